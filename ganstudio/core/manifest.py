"""Model folder manifests (manifest.json): what a model is, how it was trained, how good it is, and file hashes."""

from __future__ import annotations

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
        raise ModelFileError(f"{model_dir} is not a ganstudio model (no manifest.json).",
                             "Pick a folder exported by ganstudio (a run's model/ folder or one under models/).")
    try:
        payload = json.loads(path.read_text())
    except (OSError, ValueError) as err:
        raise ModelFileError(f"{path} is damaged ({err}).", "Re-export the model or reinstall ganstudio.") from err
    if not isinstance(payload, dict) or payload.get("format") != MODEL_FORMAT:
        raise ModelFileError(f"{path} is not a ganstudio manifest.", "Pick a folder exported by ganstudio.")
    version = payload.get("format_version", 0)
    if not isinstance(version, int) or version > MODEL_FORMAT_VERSION:
        raise ModelFileError(f"{model_dir} needs a newer ganstudio (model format {version}).", "Upgrade ganstudio.")
    fields = {k: payload[k] for k in ("kind", "recipe", "title", "config", "dataset", "metrics", "files", "notes") if k in payload}
    try:
        return Manifest(**fields)
    except TypeError as err:  # a required field is missing
        raise ModelFileError(f"{path} is incomplete ({err}).", "Re-export the model or reinstall ganstudio.") from err


def verify_files(model_dir: Path, manifest: Manifest) -> None:
    """Check every file listed in the manifest exists and matches its sha256."""
    for name, expected in manifest.files.items():
        path = Path(model_dir) / name
        if not path.exists():
            raise ModelFileError(f"{path} is missing.", "Re-export the model or reinstall ganstudio.")
        if sha256_of(path) != expected:
            raise ModelFileError(f"{path} is corrupt (checksum mismatch).", "Re-export the model or reinstall ganstudio.")
