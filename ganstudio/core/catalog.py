"""Finding models: the shipped ones (models/) and the user's trained runs (each run's model/ folder)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ganstudio.core.errors import ModelFileError
from ganstudio.core.manifest import Manifest, read_manifest
from ganstudio.paths import runs_dir, shipped_models_dir


@dataclass(frozen=True)
class ModelEntry:
    name: str
    path: Path
    manifest: Manifest
    shipped: bool


def _scan(folder: Path, shipped: bool, pattern: str) -> list[ModelEntry]:
    entries = []
    if not folder.is_dir():
        return entries
    for manifest_path in sorted(folder.glob(pattern)):
        try:
            manifest = read_manifest(manifest_path.parent)
        except ModelFileError:
            continue  # a broken folder is reported when someone tries to load it, not while listing
        name = manifest_path.parent.name if shipped else manifest_path.parent.parent.name
        entries.append(ModelEntry(name, manifest_path.parent, manifest, shipped))
    return entries


def installed_models(kind: str | None = None, extra_run_dirs: tuple[Path, ...] = ()) -> list[ModelEntry]:
    """Shipped models first, then runs under the user's runs folder (and any extra run folders given)."""
    entries = _scan(shipped_models_dir(), True, "*/manifest.json") + _scan(runs_dir(), False, "*/model/manifest.json")
    for run in extra_run_dirs:
        entries += _scan(Path(run), False, "model/manifest.json")
    return [e for e in entries if kind is None or e.manifest.kind == kind]


def default_generator() -> ModelEntry | None:
    shipped = [e for e in installed_models("generator") if e.shipped]
    return shipped[0] if shipped else None
