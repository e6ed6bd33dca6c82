"""What a user asks of a training run (CLI flags or the Train page's form), before anything is loaded: a plain
value the UI can build without importing the engine; ml/training/run_builder.py turns it into a Trainer."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ganstudio.core.image_data.datasets import DatasetSpec


@dataclass(frozen=True)
class RunRequest:
    """What the user asked for. For a resume, recipe and dataset may be empty: the run folder's config names them."""

    recipe: str
    dataset: DatasetSpec | str | None  # a spec, a built-in alias (mnist, flowers) or a folder path
    run_dir: Path
    total_steps: int
    overrides: dict = field(default_factory=dict)  # TrainConfig fields the user set (batch_size, lr_g, loss, …)
    resume: bool = False
    device: str = "auto"  # auto | cpu | gpu
    distribute: str = "default"  # default | mirrored | multiworker (tf.distribute)
    tensorboard: bool = True  # TensorBoard event files in the run folder
    samples: bool = True  # preview grids (and clips) in samples/
    eval_fid: int = 0  # at each checkpoint, FID of this many samples vs the held-out photos (0: off)
    init_from: str = ""  # a model whose generator weights start a new run
