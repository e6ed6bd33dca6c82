"""What the Train page offers, without TensorFlow: recipes, built-in data sets, and the runs already on disk.

The engine modules used here are TF-free but still imported lazily, to keep the window's start-up path short.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ganstudio.core.image_data.datasets import DatasetSpec


@dataclass(frozen=True)
class RecipeChoice:
    name: str
    title: str
    description: str
    conditional: bool
    defaults: dict = field(default_factory=dict)  # a new run's full config with the default loss (TrainConfig fields)
    paired: bool = False  # trains on (condition, photo) pairs: pix2pix / pix2pixHD folders, checked before a run
    data_kind: str = "images"  # "speech" for SEGAN: no image size, no z size
    preview_title: str = "Generated (fixed z)"
    family: str = "gan"  # which hyperparameters apply (HyperparameterChoice.families)
    losses: tuple[str, ...] = ("ns",)  # the adversarial losses it takes, its default first
    learning_rates: tuple[tuple[str, str], ...] = (("lr_g", "LR generator"), ("lr_d", "LR discriminator"))
    presets: dict = field(default_factory=dict)  # network sizes by preset name ("lean", "book")
    data_defaults: dict = field(default_factory=dict)  # settings by data set kind ("idx": MNIST-style digits)


@dataclass(frozen=True)
class HyperparameterChoice:
    """One row of the hyperparameter table (ml/training/config.py) that the Train form shows."""

    name: str
    kind: str  # "int" | "float" | "bool" | "str"
    title: str
    help: str
    families: tuple[str, ...]
    low: float | None = None
    high: float | None = None
    choices: tuple = ()
    trick: bool = False  # folded under "Tricks" in the form until asked for


@dataclass(frozen=True)
class LossChoice:
    name: str
    title: str
    help: str
    defaults: dict = field(default_factory=dict)  # what choosing it sets (n_critic, learning rates, …)


@dataclass(frozen=True)
class RunSummary:
    path: str
    name: str
    recipe: str
    dataset_name: str
    step: int  # step of the latest complete checkpoint (0: none yet)
    config: dict = field(default_factory=dict)


def recipe_choices() -> list[RecipeChoice]:
    import dataclasses

    from ganstudio.ml.recipes import all_recipes

    return [RecipeChoice(r.name, r.title, r.description, r.conditional, dataclasses.asdict(r.config()),
                         bool(r.paired), r.data_kind, r.preview_title, r.family, tuple(r.losses),
                         tuple((spec.lr_key, spec.title) for spec in r.optimizers), dict(r.presets),
                         dict(r.data_defaults))
            for r in all_recipes()]


def hyperparameter_choices() -> list[HyperparameterChoice]:
    """The form's rows of the hyperparameter table, in its order."""
    from ganstudio.ml.training.config import hyperparameters

    return [HyperparameterChoice(f.name, f.type, f.metadata["title"] or f.name.replace("_", " ").capitalize(),
                                 f.metadata["help"], f.metadata["families"], f.metadata["low"], f.metadata["high"],
                                 f.metadata["choices"], f.metadata["trick"])
            for f in hyperparameters() if f.metadata["form"]]


def loss_choices() -> dict[str, LossChoice]:
    from ganstudio.ml.training import gan_losses

    return {name: LossChoice(name, loss.title, loss.help, dict(loss.defaults))
            for name in gan_losses.names() for loss in [gan_losses.get(name)]}


def dataset_choices() -> list[DatasetSpec]:
    """Built-in data sets first (flowers, MNIST, Fashion-MNIST when installed), as the picker lists them."""
    from ganstudio.core.image_data.datasets import builtin_datasets

    return builtin_datasets()


def paired_layout_kind(dataset: DatasetSpec | str) -> str | None:
    """The paired layout of a data set ("pix2pix" | "pix2pixhd"), else None: a quick look at a few file headers."""
    from ganstudio.core.paired.layout import detect_paired

    layout = detect_paired(getattr(dataset, "path", dataset))
    return layout.kind if layout else None


def data_kinds(folder: str) -> frozenset:
    """What a folder can train: {"speech"} for speech folders, else {"images"}, plus "captions" when images have
    captions beside them (Oxford/CUB text_c10 or same-named .txt files) and "pairs" for pix2pix / pix2pixHD layouts."""
    from ganstudio.core.captions.data import detect_captioned

    if is_speech_data(folder):
        return frozenset({"speech"})
    kinds = {"images"}
    if detect_captioned(folder):
        kinds.add("captions")
    if paired_layout_kind(folder):
        kinds.add("pairs")
    return frozenset(kinds)


def is_speech_data(folder: str) -> bool:
    """A folder SEGAN trains on (clean speech + noise/ or noisy/ folders): a look at folder names and one listing."""
    from ganstudio.core.speech.data import detect_speech

    return detect_speech(folder) is not None


def check_paired_data(folder: str):
    """The full paired data set check (core.paired_check.PairedReport); reads every file, so call it off the GUI."""
    from ganstudio.core.paired import check_paired

    return check_paired(folder)


def dataset_defaults(dataset: DatasetSpec | str) -> tuple[str, int]:
    """(kind, recipe-independent default size) of a data set; a folder path is classified by a shallow look only.
    The kind picks a recipe's `data_defaults` (e.g. the digits' learning rates)."""
    from ganstudio.core.image_data.idx import find_idx_pairs
    from ganstudio.ml.training.prepare import default_image_size

    if not isinstance(dataset, DatasetSpec):
        folder = Path(dataset).expanduser()
        kind = "idx" if folder.is_dir() and find_idx_pairs(folder) else "images"
        dataset = DatasetSpec(kind, str(folder), folder.name)
    return dataset.kind, default_image_size(dataset)


def new_run_dir(recipe: str, dataset_name: str, now: float | None = None, root: Path | None = None) -> Path:
    """runs_dir()/<recipe>-<dataset>-<YYYYmmdd-HHMMSS>, with a numeric suffix if that folder exists already."""
    import re
    import time

    from ganstudio.paths import runs_dir

    slug = re.sub(r"[^a-z0-9]+", "-", dataset_name.lower()).strip("-")[:24] or "data"
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    base = (root or runs_dir()) / f"{recipe}-{slug}-{stamp}"
    candidate, n = base, 1
    while candidate.exists():
        n += 1
        candidate = base.with_name(f"{base.name}-{n}")
    return candidate


def describe_run(run_dir: str | Path) -> RunSummary:
    """Recipe, data set and latest step of a run folder; RunFolderError (with a hint) when it is not a usable run."""
    import dataclasses

    from ganstudio.ml.training.run_folder import read_config

    folder = Path(run_dir)
    config = read_config(folder)
    name = config.dataset_name or Path(config.dataset_path).name
    return RunSummary(str(folder), folder.name, config.recipe, name, _latest_step(folder), dataclasses.asdict(config))


def list_runs(root: Path | None = None) -> list[RunSummary]:
    """Readable runs under runs_dir(), newest first; damaged or foreign folders are left out."""
    from ganstudio.core.errors import StudioError
    from ganstudio.paths import runs_dir

    folder = root or runs_dir()
    runs = []
    for path in sorted(folder.glob("*/run.json"), key=lambda p: p.stat().st_mtime, reverse=True):
        try:
            runs.append(describe_run(path.parent))
        except StudioError:
            continue
    return runs


def _latest_step(run_dir: Path) -> int:
    # Read-only on purpose: CheckpointStore.list() also deletes stale temp folders, which must not happen to a run
    # that another process may be writing while we merely list it.
    steps = [0]
    for meta in (run_dir / "checkpoints").glob("ckpt-*/meta.json"):
        try:
            steps.append(int(json.loads(meta.read_text())["step"]))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return max(steps)
