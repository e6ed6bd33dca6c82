"""Events the training engine emits. Plain frozen dataclasses, so any sink (GUI, CLI, TensorBoard) can consume them."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Started:
    step: int  # steps already done: 0 for a new run, the checkpoint's step after a resume (logged steps start at step+1)
    total_steps: int
    device: str
    resumed: bool


@dataclass(frozen=True)
class StepLogged:
    step: int
    losses: dict[str, float]
    grad_norms: dict[str, float]
    steps_per_s: float  # sinks derive images/s (× batch size) and the ETA from it
    elapsed_s: float
    lrs: dict[str, float] = field(default_factory=dict)  # by config field: lr_g, lr_d, …
    images: int = 0  # images (windows, pairs) this step trained on, counted over all replicas: the global batch


@dataclass(frozen=True)
class PreviewReady:
    step: int
    grid: np.ndarray  # uint8 (H, W, C)
    kind: str = "fake"  # "fake" (from the fixed z) | "real" (reference grid)
    clips: np.ndarray | None = None  # speech: float32 (n, 3, samples) at 16 kHz, noisy | enhanced | clean, to listen to


@dataclass(frozen=True)
class MetricComputed:
    step: int
    name: str
    value: float


@dataclass(frozen=True)
class CheckpointSaved:
    step: int
    path: str


@dataclass(frozen=True)
class Notice:
    """Something the user should know that does not stop training (e.g. NaN rollback, skipped files)."""

    step: int
    message: str


@dataclass(frozen=True)
class LearningRatesChanged:
    """The Trainer changed learning rates itself (NaN rollback), applied a user's change, or resumed with rates
    other than the stored config's (changed mid-run before the checkpoint): forms show these."""

    step: int
    lrs: dict[str, float]  # by config field: lr_g, lr_d, …
    reason: str


@dataclass(frozen=True)
class AlarmRaised:
    """A failure sign seen during training (core.alarms): shown and logged with its usual remedy; never stops a run."""

    step: int
    kind: str  # "d_wins" | "exploding_gradients" | "mode_collapse" | "oscillation"
    message: str
    remedy: str


@dataclass(frozen=True)
class Finished:
    step: int
    reason: str  # "completed" | "stopped"
    model_dir: str = ""


@dataclass(frozen=True)
class Failed:
    step: int
    error: str


Event = (Started | StepLogged | PreviewReady | MetricComputed | CheckpointSaved | Notice | LearningRatesChanged
         | AlarmRaised | Finished | Failed)
