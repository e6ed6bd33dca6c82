"""Model folder manifests (manifest.json): what a model is, how it was trained, how good it is, and file hashes."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ganstudio.core.errors import ModelFileError

MODEL_FORMAT = "ganstudio-model"
MODEL_FORMAT_VERSION = 1


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class Manifest:
    kind: str  # "generator" | "classifier"
    recipe: str
    title: str
    config: dict
    dataset: dict = field(default_factory=dict)
    metrics: dict = field(default_factory=dict)
    files: dict = field(default_factory=dict)  # name → sha256
    notes: str = ""

    def to_json(self) -> str:
        payload = {"format": MODEL_FORMAT, "format_version": MODEL_FORMAT_VERSION, **self.__dict__}
        return json.dumps(payload, indent=2, sort_keys=True)


def read_manifest(model_dir: Path) -> Manifest:
    """Read and validate a model folder's manifest; ModelFileError says what is wrong."""
    path = Path(model_dir) / "manifest.json"
    if not path.exists():
        raise not_a_model_folder(Path(model_dir))
    try:
        payload = json.loads(path.read_text())
    except (OSError, ValueError) as err:
        raise ModelFileError(f"{path} is damaged ({err}).", "Re-export the model or reinstall ganstudio.") from err
    if not isinstance(payload, dict) or payload.get("format") != MODEL_FORMAT:
        raise ModelFileError(f"{path} is not a ganstudio manifest.", "Pick a folder exported by ganstudio.")
    version = payload.get("format_version", 0)
    if not isinstance(version, int) or version > MODEL_FORMAT_VERSION:
        raise ModelFileError(f"{model_dir} needs a newer ganstudio (model format {version}).", "Upgrade ganstudio.")
    # A hand-edited manifest must fail here, naming the field, not later as an AttributeError deep in a page.
    for item in dataclasses.fields(Manifest):
        if item.name in payload:
            check_type(path, item.name, payload[item.name], item.type)
        elif item.default is dataclasses.MISSING and item.default_factory is dataclasses.MISSING:
            raise missing_field(path, item.name)
    for name, digest in payload.get("files", {}).items():
        check_type(path, f"the checksum of {name}", digest, "str")
    return Manifest(**{item.name: payload[item.name] for item in dataclasses.fields(Manifest) if item.name in payload})


def not_a_model_folder(folder: Path) -> ModelFileError:
    """A folder given as a model that holds none (a run still training has no model/ yet: say how to get one)."""
    if (folder / "run.json").exists():
        hint = f"It is a training run with no exported model yet: ganstudio export {folder} --out MODEL_FOLDER."
    else:
        hint = "Pick a folder exported by ganstudio (a run's model/ folder or one under models/)."
    return ModelFileError(f"{folder} has no manifest.json: not a ganstudio model folder.", hint)


# JSON checks by the type name a field is annotated with, and how a message names that type.
JSON_TYPES = {
    "int": ("an integer", lambda v: isinstance(v, int) and not isinstance(v, bool)),
    "float": ("a number", lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)),
    "str": ("a string", lambda v: isinstance(v, str)),
    "bool": ("true or false", lambda v: isinstance(v, bool)),
    "dict": ("a JSON object", lambda v: isinstance(v, dict)),
    "list": ("a list", lambda v: isinstance(v, list)),
}
EDITED_HINT = "Undo the hand edit, or re-export the model from its run folder."


def check_type(where: Path, name: str, value, expected: str) -> None:
    """ModelFileError "WHERE: image_size must be an integer, got '64px'." unless `value` is JSON of type `expected`."""
    described, fits = JSON_TYPES[expected]
    if not fits(value):
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "…"
        raise ModelFileError(f"{where}: {name} must be {described}, got {shown}.", EDITED_HINT)


def missing_field(where: Path, name: str) -> ModelFileError:
    return ModelFileError(f"{where}: {name} is missing.", EDITED_HINT)


def verify_files(model_dir: Path, manifest: Manifest) -> None:
    """Check every file listed in the manifest exists and matches its sha256."""
    for name, expected in manifest.files.items():
        path = Path(model_dir) / name
        if not path.exists():
            raise ModelFileError(f"{path} is missing.", "Re-export the model or reinstall ganstudio.")
        if sha256_of(path) != expected:
            raise ModelFileError(f"{path} is corrupt (checksum mismatch).", "Re-export the model or reinstall ganstudio.")
