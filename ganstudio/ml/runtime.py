"""TensorFlow start-up: quiet logs, GPU memory growth, device choice and the tf.distribute strategy.

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


def hide_gpus() -> None:
    """Force CPU: must run before TensorFlow initialises its devices."""
    tensorflow = tf()
    try:
        tensorflow.config.set_visible_devices([], "GPU")
    except RuntimeError:
        pass


def make_strategy(device: str = "auto", distribute: str = "default"):
    """Return (strategy, DeviceInfo). `distribute`: default | mirrored | multiworker (TF_CONFIG names the workers).

    multiworker must be asked for before TensorFlow runs anything (listing logical devices included): collective
    ops can only be configured at start-up. Its constructor waits until every worker of TF_CONFIG has started."""
    tensorflow = tf()
    if device == "cpu":
        hide_gpus()
    if distribute == "multiworker":
        from ganstudio.ml.multiworker import make_multiworker_strategy

        return make_multiworker_strategy(device)
    gpus = tensorflow.config.list_logical_devices("GPU")
    if device == "gpu" and not gpus:
        from ganstudio.core.errors import StudioError

        raise StudioError("No GPU is visible to TensorFlow.", "Install the CUDA build of TensorFlow and NVIDIA drivers, or use --device cpu.")
    if device == "cpu" and gpus:
        gpus = []  # TensorFlow had already started with the GPUs visible: pin the work to the CPU instead
        strategy = tensorflow.distribute.OneDeviceStrategy("/cpu:0")
    elif distribute == "mirrored":
        strategy = tensorflow.distribute.MirroredStrategy()
    else:
        strategy = tensorflow.distribute.get_strategy()
    kind = "gpu" if gpus else "cpu"
    desc = f"{len(gpus)} GPU(s): {', '.join(g.name for g in gpus)}" if gpus else f"CPU ({os.cpu_count()} cores)"
    return strategy, DeviceInfo(kind, desc, strategy.num_replicas_in_sync)
