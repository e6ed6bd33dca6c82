"""The Prompt page's engine room: loads a text-to-image (GAN-CLS) model in the background and renders prompts into
grids of flowers through latest-wins runners (one for the prompt and its interpolation, one for embedding arithmetic,
one for a clicked image's nearest training photos), so a keystroke never waits for the model. It also exports a prompt
interpolation as an animated GIF. TensorFlow is imported lazily, on the worker threads only."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from ganstudio.core.text.tokenizers import words_of
from ganstudio.workers.latest_wins import LatestWinsRunner, describe_error
from ganstudio.workers.model_service import ModelService

PROMPT = "prompt"  # request modes: a prompt (blended towards `to_text` by `weight` when there is one) ...
ARITHMETIC = "arithmetic"  # ... or an expression such as "red rose - red + yellow"
GIF_FRAMES = 16
NEIGHBOURS = 5
GET_A_MODEL = ("No text-to-image model is installed. Train one on the Train page (recipe GAN-CLS) or in a terminal: "
               "ganstudio train gan-cls --data flowers — then pick it above, or open its folder.")


@dataclass(frozen=True)
class PromptModelInfo:
    """What the page needs to know about a loaded model (plain data: the UI never touches the ml layer)."""

    path: str
    title: str
    image_size: int
    z_dim: int
    vocabulary: dict[str, tuple[str, ...]]  # group ("colours", "flowers", …) → phrases the model read in training
    dataset_path: str  # the photos it was trained on, for the nearest-photo check


@dataclass(frozen=True)
class PromptRequest:
    text: str = ""  # the prompt, or the arithmetic expression
    seed: int = 0  # z = the model's prior sampled with this seed: the same seed keeps the same z
    count: int = 8
    mode: str = PROMPT
    to_text: str = ""  # a second prompt: the generator sees (1 − weight)·embed(text) + weight·embed(to_text)
    weight: float = 0.0


@dataclass(frozen=True)
class PromptResult:
    request: PromptRequest
    images: np.ndarray  # uint8 (count, S, S, 3)
    messages: tuple[str, ...]  # what was done with the text: unknown words, cuts, empty prompts
    embedding: np.ndarray  # float32 (1, text_dim): what the generator saw
    terms: tuple[tuple[float, str], ...] = ()  # arithmetic: the parsed terms
    ms: float = 0.0


@dataclass(frozen=True)
class Neighbours:
    """A generated image's nearest training photos by the text encoder's image embedding (cosine similarity)."""

    index: int  # which image of the grid
    photos: np.ndarray  # uint8 (k, S, S, 3)
    captions: tuple[tuple[str, ...], ...]
    names: tuple[str, ...]
    similarity: tuple[float, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)


def grid_columns(count: int) -> int:
    """4 → one row of 4, 8 → 4×2, 16 → 4×4: the page's grid, its saved PNG and the GIF's frames share this layout."""
    return min(4, count) if count <= 16 else math.ceil(math.sqrt(count))


def grid_image(images: np.ndarray) -> np.ndarray:
    """uint8 (n, S, S, 3) → one image of the grid as the page lays it out, 2 px apart."""
    from ganstudio.core.grid import tile

    return tile(np.asarray(images, np.uint8), columns=grid_columns(len(images)))


def reading_messages(text: str, unknown: list[str], notes: list[str]) -> list[str]:
    """What the page says under the prompt box: unknown words named, with how the prompt was read, and the notes."""
    messages = list(notes)
    if unknown:
        names = ", ".join(f"'{w}'" for w in unknown)
        verb = "is" if len(unknown) == 1 else "are"
        missing = set(unknown)
        read = " ".join("___" if w in missing else w for w in words_of(text))
        messages.append(f"{names} {verb} not in this model's vocabulary; read as: {read}")
    elif text and not words_of(text):
        messages.append("The prompt has no words this model reads (emoji, digits and signs are skipped): these "
                        "flowers come from a prompt that says nothing.")
    return messages


def load_training_photos(dataset_path: str, image_size: int):
    """The captioned photos a model was trained on (core.captions.data.CaptionedData) at image_size."""
    from ganstudio.core.captions.data import load_captioned
    from ganstudio.core.errors import DataError, StudioError
    from ganstudio.ml.training.prepare import resolve_dataset

    if not dataset_path:
        raise DataError("This model does not say which photos it was trained on.",
                        "Models exported by ganstudio record it; re-export the model from its run.")
    try:
        path = resolve_dataset(dataset_path).path  # a built-in set recorded by another install is found here too
    except StudioError:
        path = dataset_path
    if not Path(path).is_dir():
        raise DataError(f"The photos this model was trained on ({dataset_path}) are not on this machine.",
                        "Copy the data set back to that folder to compare generated images with them.")
    return load_captioned(path, image_size)


class PromptService(ModelService):
    model_loaded = Signal(object)  # PromptModelInfo
    rendered = Signal(int, object)  # request id, PromptResult (a prompt or an arithmetic result)
    render_failed = Signal(str, int, str)  # mode (PROMPT or ARITHMETIC), request id, message
    neighbours_ready = Signal(object)  # Neighbours
    neighbours_failed = Signal(str)
    exported = Signal(str)  # path written
    export_failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__("prompt", parent)
        self._serial = 0  # results made with a replaced model are dropped, not shown under the new one
        self._arithmetic = LatestWinsRunner(self._render, self, name="prompt-arithmetic")
        self._neighbour_runner = LatestWinsRunner(self._neighbours, self, name="prompt-neighbours")
        self._photos: dict[tuple[str, int], tuple[Any, np.ndarray]] = {}  # (data set, size) → (data, embeddings)
        self._photos_lock = threading.Lock()
        for mode, runner in ((PROMPT, self._runner), (ARITHMETIC, self._arithmetic)):
            runner.delivered.connect(self._on_runner_delivered)
            runner.failed.connect(lambda request_id, message, m=mode: self.render_failed.emit(m, request_id, message))
        self._neighbour_runner.delivered.connect(self._on_neighbours_delivered)
        self._neighbour_runner.failed.connect(lambda _id, message: self.neighbours_failed.emit(message))

    # ---- loading (load(path) → `model_loaded` or `load_failed`) -------------------------------------------------
    @staticmethod
    def _load(path: str, still_wanted: Callable[[], bool]) -> tuple[Any, PromptModelInfo] | None:
        from ganstudio.ml.inference.prompt import PromptSession, resolve_prompt_model

        if not still_wanted():
            return None  # superseded, or shut down, while TensorFlow was importing
        folder = resolve_prompt_model(path)  # a model folder, a run folder, or an installed model's name
        session = PromptSession.load(folder)
        session.prompt("a flower", session.sample_z(1, 0))  # trace the graphs now, not on the first keystroke
        c = session.config
        info = PromptModelInfo(str(folder), str(session.manifest.title), int(c.image_size), int(c.z_dim),
                               session.vocabulary(), str(c.dataset_path))
        return session, info

    def _session_adopted(self, info: PromptModelInfo) -> None:
        self._serial += 1
        self.model_loaded.emit(info)

    # ---- rendering ----------------------------------------------------------------------------------------------
    def render(self, request: PromptRequest) -> int:
        """Ask for a grid; returns the request id `rendered` will carry (-1: no model yet). Arithmetic requests have
        their own runner (and ids), so a prompt typed meanwhile does not replace them."""
        if self._session is None:
            return -1
        runner = self._arithmetic if request.mode == ARITHMETIC else self._runner
        return runner.submit((self._session, self._serial, request))

    @staticmethod
    def _render(job) -> tuple[int, PromptResult]:
        from ganstudio.ml.inference.prompt import clean_prompt, parse_arithmetic

        session, serial, request = job
        start = time.perf_counter()
        z = session.sample_z(max(1, int(request.count)), int(request.seed))
        terms: tuple[tuple[float, str], ...] = ()
        if request.mode == ARITHMETIC:
            terms = tuple(parse_arithmetic(request.text))
            embedding = session.arithmetic(list(terms))
            texts = [t for _, t in terms]
        else:
            texts = [request.text] + ([request.to_text] if request.to_text.strip() else [])
            embeddings = session.embed(texts)
            w = float(request.weight) if len(texts) == 2 else 0.0
            embedding = embeddings[:1] if w == 0.0 else (1.0 - w) * embeddings[:1] + w * embeddings[1:]
        messages = []
        for i, text in enumerate(texts):
            read, notes = clean_prompt(text)
            said = reading_messages(read, session.unknown_words(text), notes)
            messages += [f"In “to”: {m}" for m in said] if request.mode == PROMPT and i == 1 else said
        images = session.generate(embedding, z)
        result = PromptResult(request, images, tuple(dict.fromkeys(messages)), np.asarray(embedding, np.float32),
                              terms, (time.perf_counter() - start) * 1000.0)
        return serial, result

    def _on_runner_delivered(self, request_id: int, delivered) -> None:
        serial, result = delivered
        if serial == self._serial:
            self.rendered.emit(request_id, result)

    def is_idle(self) -> bool:
        return all(r.is_idle() for r in (self._runner, self._arithmetic, self._neighbour_runner))

    # ---- nearest training photos --------------------------------------------------------------------------------
    def find_neighbours(self, index: int, image: np.ndarray, k: int = NEIGHBOURS) -> None:
        """The k training photos nearest to a generated image: `neighbours_ready` or `neighbours_failed`. The
        photos' embeddings are computed once per data set and kept."""
        if self._session is not None:
            self._neighbour_runner.submit((self._session, int(index), np.array(image, np.uint8), int(k)))

    def _neighbours(self, job) -> Neighbours:
        session, index, image, k = job
        encoder = session.encoder
        data, embeddings = self._training_embeddings(session)
        query = encoder.encode_images(_resized(image, encoder.image_size)[None])[0]
        similarity = embeddings @ query
        order = np.argsort(-similarity)[:k]
        notes = (f"{len(data.skipped)} files of the data set were left out (unreadable or without captions).",) \
            if data.skipped else ()
        return Neighbours(index, data.images[order], tuple(tuple(data.captions[i]) for i in order),
                          tuple(data.names[i] for i in order), tuple(float(similarity[i]) for i in order), notes)

    def _training_embeddings(self, session) -> tuple[Any, np.ndarray]:
        key = (str(session.config.dataset_path), int(session.encoder.image_size))
        with self._photos_lock:
            if key not in self._photos:
                data = load_training_photos(*key)
                self._photos[key] = (data, session.encoder.encode_images(data.images))
            return self._photos[key]

    def _on_neighbours_delivered(self, _request_id: int, neighbours: Neighbours) -> None:
        self.neighbours_ready.emit(neighbours)

    # ---- GIF export ---------------------------------------------------------------------------------------------
    def export_gif(self, path: str, request: PromptRequest, frames: int = GIF_FRAMES, frame_ms: int = 120,
                   min_side: int = 256) -> None:
        """The sweep from request.text to request.to_text (its grid at each of `frames` weights) as an animated GIF,
        written atomically in the background: `exported(path)` or `export_failed(message)`."""
        if self._session is None:
            self.export_failed.emit("No model is loaded.")
            return
        self._threads.start(self._export, self._session, str(path), request, int(frames), int(frame_ms),
                            int(min_side), name="prompt-gif")

    def _export(self, session, path: str, request: PromptRequest, frames: int, frame_ms: int, min_side: int) -> None:
        from ganstudio.core.atomic import write_bytes_atomic
        from ganstudio.workers.generator_service import encode_gif

        try:
            z = session.sample_z(max(1, request.count), request.seed)
            sweep = session.interpolate(request.text, request.to_text, frames, z)
            grids = np.stack([grid_image(frame) for frame in sweep])
            scale = max(1, -(-min_side // max(grids.shape[1:3])))
            write_bytes_atomic(path, encode_gif(grids, frame_ms, scale))
        except Exception as err:  # noqa: BLE001 - disk full, permissions, a bad prompt: said on the page
            self.export_failed.emit(describe_error(err))
            return
        self.exported.emit(path)

    def shutdown(self, timeout: float = 30.0) -> None:
        """Stop every runner and join every thread (a model load in flight is allowed to finish, unannounced)."""
        self._arithmetic.shutdown(timeout)
        self._neighbour_runner.shutdown(timeout)
        super().shutdown(timeout)


def _resized(image: np.ndarray, size: int) -> np.ndarray:
    if image.shape[0] == size and image.shape[1] == size:
        return image
    from PIL import Image

    return np.asarray(Image.fromarray(image).resize((size, size), Image.Resampling.BILINEAR), np.uint8)
