"""The real app in a subprocess: `ganstudio --smoke-test` builds the window offscreen, visits every page, exits 0."""

from __future__ import annotations

import os
import re
import subprocess
import sys


def test_smoke_test_visits_every_page_without_tensorflow(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GANSTUDIO_HOME": str(tmp_path / "home"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}  # a fresh user: no remembered page or model
    result = subprocess.run([sys.executable, "-m", "ganstudio", "--smoke-test"], capture_output=True, text=True,
                            env=env, timeout=180)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert re.findall(r"^page=(\w+) ok$", out, re.M) == ["Train", "Sketch", "Latent", "Denoise", "Prompt"]
    assert float(re.search(r"^startup_ms=(\d+)$", out, re.M).group(1)) > 0
    assert "tensorflow_imported_at_show=false" in out  # the window appears before TensorFlow is imported
