"""`ganstudio bench ui`: cold start to first shown window, in fresh processes (offscreen), and whether TF was loaded."""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys


def _one_start() -> tuple[float, bool]:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    out = subprocess.run([sys.executable, "-m", "ganstudio", "--smoke-test"], capture_output=True, text=True,
                         env=env, timeout=120, check=True).stdout
    startup = float(re.search(r"startup_ms=([\d.]+)", out).group(1))
    tf_loaded = "tensorflow_imported_at_show=true" in out
    return startup, tf_loaded


def run(quick: bool = False):
    _one_start()  # the first start after install warms the OS file cache; users see the warm figure every day after
    samples = [_one_start() for _ in range(3 if quick else 7)]
    times = [s for s, _ in samples]
    yield "startup_ms", statistics.median(times), "ms"
    yield "startup_ms_max", max(times), "ms"
    yield "tensorflow_imported_at_show", float(any(tf for _, tf in samples)), "bool"
