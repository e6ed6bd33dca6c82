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
    images_per_s: float
    elapsed_s: float
    lrs: dict[str, float] = field(default_factory=dict)


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
class Finished:
    step: int
    reason: str  # "completed" | "stopped"
    model_dir: str = ""


@dataclass(frozen=True)
class Failed:
    step: int
    error: str


Event = Started | StepLogged | PreviewReady | MetricComputed | CheckpointSaved | Notice | Finished | Failed
