"""TensorFlow start-up: quiet logs and GPU memory growth (the device choice and strategy: ml/strategy.py).

Import TensorFlow through `tf()` so the cost is paid once, off the UI's start-up path.
GANSTUDIO_DETERMINISTIC=1 turns on TensorFlow's deterministic ops (bit-exact resume tests; slower on GPU).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

_configured = False
_module = None


def tf():
    """Import and configure TensorFlow once; returns the module. Cheap after the first call (safe inside traced code)."""
    return _module if _module is not None else _import_tf()


def _import_tf():
    global _configured, _module
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tensorflow

    _module = tensorflow
    if not _configured:
        for gpu in tensorflow.config.list_physical_devices("GPU"):
            try:
                tensorflow.config.experimental.set_memory_growth(gpu, True)
            except RuntimeError:
                pass  # already initialised by someone else; growth is then whatever they chose
        if os.environ.get("GANSTUDIO_DETERMINISTIC", "") not in ("", "0"):
            tensorflow.config.experimental.enable_op_determinism()
        _configured = True
    return tensorflow


@dataclass(frozen=True)
class DeviceInfo:
    kind: str  # "gpu" | "cpu"
    description: str
    replicas: int
