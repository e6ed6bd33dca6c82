"""Device choice and the tf.distribute strategy of a run: one device, MirroredStrategy over local GPUs, or
MultiWorkerMirroredStrategy over the machines TF_CONFIG names (ml/multiworker.py)."""

from __future__ import annotations

import os

from ganstudio.ml.runtime import DeviceInfo, tf


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
