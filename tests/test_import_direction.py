"""Layering: the UI side (app, ui/, workers/) imports without TensorFlow; the engine (ml/, core/, audio/) never
imports Qt, and audio/ imports without PortAudio.

Imports are checked in fresh interpreters (sys.modules of this test process is shared with other tests), and
the source is scanned for imports hidden inside functions that an import alone would not reveal.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ganstudio"
QT = ("PySide6", "pyqtgraph", "qasync", "shiboken6")
TENSORFLOW = ("tensorflow", "keras")


def modules_under(*parts: str) -> list[str]:
    """Dotted names of every module in a sub-package of ganstudio (found on disk, so new modules are covered)."""
    names = []
    for path in sorted((PACKAGE.joinpath(*parts)).rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        names.append(".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts))
    return names


def imported_after(modules: list[str]) -> set[str]:
    """Top-level package names in sys.modules after importing `modules` in a fresh interpreter."""
    code = ("import importlib, json, sys\n"
            "for name in sys.argv[1:]:\n    importlib.import_module(name)\n"
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    env_code = subprocess.run([sys.executable, "-c", code, *modules], capture_output=True, text=True, timeout=120)
    assert env_code.returncode == 0, env_code.stderr[-3000:]
    return set(json.loads(env_code.stdout.strip().splitlines()[-1]))


def test_ui_side_imports_without_tensorflow():
    modules = ["ganstudio.app", "ganstudio.ui.main_window", *modules_under("ui"), *modules_under("workers")]
    assert len(modules) > 4
    loaded = imported_after(modules)
    assert "PySide6" in loaded  # the check ran against the real UI modules
    assert not loaded & set(TENSORFLOW), f"UI-side import pulled in {sorted(loaded & set(TENSORFLOW))}"


def test_engine_imports_without_qt_or_eager_tensorflow():
    modules = [*modules_under("core"), *modules_under("ml")]
    assert "ganstudio.ml.training.trainer" in modules and "ganstudio.core.image_data.datasets" in modules
    loaded = imported_after(modules)
    assert not loaded & set(QT), f"engine import pulled in {sorted(loaded & set(QT))}"
    # ml/ modules reach TensorFlow only through runtime.tf() inside functions, so listing recipes stays instant.
    assert not loaded & set(TENSORFLOW), f"engine import pulled in {sorted(loaded & set(TENSORFLOW))} at import time"


def imports_in(path: Path) -> list[str]:
    """Every module a source file imports, at any depth (function-level imports included)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def offending(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    return [f"{path.relative_to(PACKAGE)} imports {name}"
            for path in sorted((PACKAGE / folder).rglob("*.py"))
            for name in imports_in(path) if name.split(".")[0] in forbidden or name.startswith(forbidden)]


def test_audio_imports_without_qt_tensorflow_or_portaudio():
    """audio/ reaches sounddevice only inside functions, so it imports on a machine without PortAudio."""
    modules = modules_under("audio")
    assert "ganstudio.audio.live" in modules and "ganstudio.audio.devices" in modules
    pulled_in = imported_after(modules) & {*QT, *TENSORFLOW, "sounddevice"}
    assert not pulled_in, f"audio import pulled in {sorted(pulled_in)}"


@pytest.mark.parametrize("folder", ["ml", "core", "audio"])
def test_engine_source_never_mentions_qt(folder):
    assert offending(folder, QT + ("ganstudio.ui", "ganstudio.workers")) == []


def test_ui_source_never_imports_the_engine_or_tensorflow():
    assert offending("ui", TENSORFLOW + ("ganstudio.ml",)) == []


@pytest.mark.parametrize("folder", ["core", "audio"])
def test_core_source_never_imports_tensorflow(folder):
    assert offending(folder, TENSORFLOW + ("ganstudio.ml",)) == []


def ganstudio_imports(path: Path, modules: set[str]) -> set[str]:
    """The ganstudio modules a source file imports, at any depth (`from pkg import module` counts as the module)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found & modules


def test_no_two_modules_import_each_other():
    """A two-module cycle means one of them is on the wrong shelf (a package and its own submodules excepted)."""
    paths = {name: path for name, path in zip(modules_under(), sorted(PACKAGE.rglob("*.py")))}
    names = set(paths)
    graph = {name: ganstudio_imports(path, names) - {name} for name, path in paths.items()}
    assert "ganstudio.ml.training.trainer" in graph["ganstudio.ml.training.run_builder"]  # the scan sees imports
    nested = lambda a, b: a.startswith(b + ".") or b.startswith(a + ".")  # noqa: E731
    cycles = sorted(f"{a} ↔ {b}" for a in graph for b in graph[a] if a < b and a in graph[b] and not nested(a, b))
    assert cycles == []
