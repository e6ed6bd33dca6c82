"""Whether this machine probably has an NVIDIA GPU, told without starting TensorFlow (which takes seconds): used only
to pick sensible defaults (network sizes) before a run; the run itself reports the device TensorFlow really uses.
GANSTUDIO_ASSUME_GPU=1 or 0 overrides the guess."""

from __future__ import annotations

import os
from pathlib import Path


def gpu_likely() -> bool:
    forced = os.environ.get("GANSTUDIO_ASSUME_GPU", "")
    if forced in ("0", "1"):
        return forced == "1"
    return Path("/dev/nvidiactl").exists() or Path("/dev/dxg").exists()  # Linux driver, or WSL's GPU bridge
