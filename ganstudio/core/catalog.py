"""Finding models: the shipped ones (models/) and the user's trained runs (each run's model/ folder)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ganstudio.core.errors import ModelFileError
from ganstudio.core.manifest import Manifest, not_a_model_folder, read_manifest
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


def catalog_folders() -> list[Path]:
    """The folders whose changes can change installed_models(): the runs folder (a run appears or goes), each run
    folder (its model/ appears) and each run's model/ folder (its manifest is written). Shipped models do not change
    while the app runs. With no runs folder yet, its parent, where the first run will create it."""
    root = runs_dir()
    if not root.is_dir():
        return [root.parent] if root.parent.is_dir() else []
    runs = [p for p in root.iterdir() if p.is_dir()]
    return [root, *runs, *(run / "model" for run in runs if (run / "model").is_dir())]


def installed_model(name: str, kind: str | None = None) -> Path | None:
    """The folder of the installed model (of `kind`) called `name`, if there is one."""
    return next((e.path for e in installed_models(kind) if e.name == name), None)


def find_model(name_or_path: str | Path, kind: str | None = None) -> Path | None:
    """The model folder a user named: a model folder, a run folder (its model/), or an installed model's name (of
    `kind`); None when nothing is called that. A folder given by path that holds no model is an error saying so:
    "No model called …" would send the user looking for a typo in a path that is right."""
    if not str(name_or_path):
        return None  # not the current folder
    path = Path(name_or_path).expanduser()
    for folder in (path, path / "model"):
        if (folder / "manifest.json").exists():
            return folder
    found = installed_model(str(name_or_path), kind)
    if found is None and path.is_dir():
        raise not_a_model_folder(path)
    return found


def require_model(name_or_path: str | Path, kind: str | None = None) -> Path:
    """find_model, for a loader: the model folder, or a ModelFileError saying what is wrong. Every page's service
    and every command finds models this one way, so a folder that holds none gets the same message everywhere."""
    found = find_model(name_or_path, kind)
    if found is None:
        raise ModelFileError(f"No model called {str(name_or_path)!r}.", "See `ganstudio models`, or pass a model folder.")
    return found


def default_generator() -> ModelEntry | None:
    shipped = [e for e in installed_models("generator") if e.shipped]
    return shipped[0] if shipped else None
