"""Does a loaded model fit its manifest? A .keras file of another shape (one copied in from another run) or a
hand-edited manifest would otherwise load and then fail on first use with a raw TensorFlow shape error, or quietly make
images of another size. The inputs and outputs that a kind of model's inference session feeds and reads are worked
out from the manifest's config and compared with the loaded model's, naming the first thing that differs:
"generator.keras takes (None, 64) but the manifest says z_dim 100".

A recipe-made model's config is a TrainConfig, so every TrainConfig field it holds is type-checked too: the sessions
read more of it than the shapes (the prior, the palette, the class names).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ganstudio.core.errors import ModelFileError
from ganstudio.core.manifest import JSON_TYPES, Manifest, check_type, missing_field
from ganstudio.ml.training.config import TrainConfig

ANY = None  # a dimension of any size: the batch; a translator's height and width; a clip's length


@dataclass(frozen=True)
class Dim:
    size: int
    why: str  # where the size comes from, as the end of a sentence: "the manifest says z_dim 100"


@dataclass(frozen=True)
class Port:
    name: str
    shape: tuple  # Dim or ANY per axis


@dataclass(frozen=True)
class Signature:
    kind: str
    inputs: list[Port]
    outputs: list[Port]


MISMATCH_HINT = ("The model file does not belong with this manifest: re-export the model from its run folder, or put "
                 "back the files that came with it.")


def expected_signature(manifest: Manifest, manifest_path: Path) -> Signature | None:
    """What the manifest says its model takes and makes, its config checked on the way (so a hand-edited field is
    named before the slow load); None for a kind this version does not know (a page asking for a kind refuses it)."""
    build = SIGNATURES.get(manifest.kind)
    if build is None:
        return None
    return Signature(manifest.kind, *build(manifest.config, manifest_path))


def check_model(model, expected: Signature | None, filename: str) -> None:
    """ModelFileError naming the first input or output of the loaded `model` that differs from `expected`."""
    if expected is not None:
        _compare(filename, "takes", [tuple(t.shape) for t in model.inputs], expected.inputs, expected.kind)
        _compare(filename, "makes", [tuple(t.shape) for t in model.outputs], expected.outputs, expected.kind)


def _compare(filename: str, verb: str, actual: list[tuple], expected: list[Port], kind: str) -> None:
    if len(actual) != len(expected):
        shapes = ", ".join(str(shape) for shape in actual)
        raise ModelFileError(f"{filename} {verb} {len(actual)} tensor{'s' if len(actual) != 1 else ''}, {shapes}, but "
                             f"the manifest's {kind} {verb} {len(expected)}: {', '.join(p.name for p in expected)}.",
                             MISMATCH_HINT)
    for shape, port in zip(actual, expected):
        where = f"{filename} {verb} {shape}" + (f" as its {port.name}" if len(expected) > 1 else "")
        if len(shape) != len(port.shape):
            wanted = tuple(d.size if isinstance(d, Dim) else d for d in port.shape)
            raise ModelFileError(f"{where} but the manifest's {kind} {verb} {wanted}.", MISMATCH_HINT)
        for size, dim in zip(shape, port.shape):
            if isinstance(dim, Dim) and size != dim.size:
                raise ModelFileError(f"{where} but {dim.why}.", MISMATCH_HINT)


# ---- what each kind of model takes and makes, from its manifest's config ----------------------------------------
def _train_config(config: dict, where: Path, *required: str) -> TrainConfig:
    """A recipe-made model's TrainConfig: each field present of its type, and `required` ones present (the rest take
    their defaults, as for old run folders)."""
    for item in dataclasses.fields(TrainConfig):
        kind = "list" if item.type.startswith("tuple") else item.type  # JSON stores tuples as lists
        if item.name in config and kind in JSON_TYPES:
            check_type(where, item.name, config[item.name], kind)
    for name in ("recipe", *required):  # TrainConfig has no default recipe
        if name not in config:
            raise missing_field(where, name)
    return TrainConfig.from_dict(config)


def _field(config: dict, where: Path, name: str, kind: str = "int"):
    """A field of a config that is not a TrainConfig (classifiers, text encoders): present and of its type."""
    if name not in config:
        raise missing_field(where, name)
    check_type(where, name, config[name], kind)
    return config[name]


def _says(name: str, value: int) -> Dim:
    return Dim(value, f"the manifest says {name} {value}")


def _image(size: int, channels: int | Dim) -> tuple:
    channels = channels if isinstance(channels, Dim) else _says("channels", channels)
    return ANY, _says("image_size", size), _says("image_size", size), channels


def _generator(config: dict, where: Path) -> tuple[list[Port], list[Port]]:
    c = _train_config(config, where, "z_dim", "image_size", "channels", "num_classes")
    labels = [Port(f"class label (num_classes {c.num_classes})", (ANY,))] if c.num_classes > 0 else []
    return [Port("z", (ANY, _says("z_dim", c.z_dim))), *labels], [Port("image", _image(c.image_size, c.channels))]


def _text_generator(config: dict, where: Path) -> tuple[list[Port], list[Port]]:
    c = _train_config(config, where, "z_dim", "text_dim", "ca_dim", "image_size", "channels")
    inputs = [Port("z", (ANY, _says("z_dim", c.z_dim))), Port("text embedding", (ANY, _says("text_dim", c.text_dim))),
              Port("conditioning noise", (ANY, _says("ca_dim", c.ca_dim)))]
    return inputs, [Port("image", _image(c.image_size, c.channels))]


def _translator(config: dict, where: Path) -> tuple[list[Port], list[Port]]:
    from ganstudio.ml.networks.translation_inputs import condition_channels

    c = _train_config(config, where, "input_kind", "input_channels", "label_classes")
    n = condition_channels(c)
    why = (f"the manifest's label_classes {c.label_classes} and input_channels {c.input_channels} make {n} channels"
           if c.input_kind == "labels" else f"the manifest says input_channels {c.input_channels}")
    photo = Dim(3, "a translator makes RGB photos (3 channels)")  # paired data stores the photo as RGB
    return [Port("condition", (ANY, ANY, ANY, Dim(n, why)))], [Port("photo", (ANY, ANY, ANY, photo))]


def _denoiser(config: dict, where: Path) -> tuple[list[Port], list[Port]]:
    _train_config(config, where)
    mono = (ANY, ANY, Dim(1, "a denoiser works on mono audio (1 channel)"))
    return [Port("noisy audio", mono), Port("z", (ANY, ANY, ANY))], [Port("audio", mono)]


def _classifier(config: dict, where: Path) -> tuple[list[Port], list[Port]]:
    size, channels = _field(config, where, "image_size"), _field(config, where, "channels")
    names = _field(config, where, "class_names", "list")
    classes = Dim(len(names), f"the manifest names {len(names)} classes")
    return [Port("image", _image(size, channels))], [Port("class scores", (ANY, classes))]


def _text_encoder(config: dict, where: Path) -> tuple[list[Port], list[Port]]:
    max_len, size = _field(config, where, "max_len"), _field(config, where, "image_size")
    dim = _says("embedding_dim", _field(config, where, "embedding_dim"))
    rgb = Dim(3, "a text encoder reads RGB photos (3 channels)")
    return ([Port("token ids", (ANY, _says("max_len", max_len))), Port("photo", _image(size, rgb))],
            [Port("text embedding", (ANY, dim)), Port("image embedding", (ANY, dim))])


# kind → config → (inputs, outputs); the kinds are the manifest "kind" values the sessions load
SIGNATURES: dict[str, Callable[[dict, Path], tuple[list[Port], list[Port]]]] = {
    "generator": _generator, "text-generator": _text_generator, "translator": _translator, "denoiser": _denoiser,
    "classifier": _classifier, "text-encoder": _text_encoder,
}
