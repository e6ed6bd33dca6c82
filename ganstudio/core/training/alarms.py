"""Failure alarms during training (ganhacks' "track failure", SPEC §6.2): the discriminator wins, exploding gradient
norms, mode collapse of the fixed-z samples, oscillating losses. Pure Python + numpy; an alarm never stops a run.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import median

import numpy as np

from ganstudio.core.training.events import AlarmRaised

Alarm = AlarmRaised
KINDS = ("d_wins", "exploding_gradients", "mode_collapse", "oscillation")
TITLES = {"d_wins": "The discriminator is winning", "exploding_gradients": "Exploding gradients",
          "mode_collapse": "Possible mode collapse", "oscillation": "Oscillating losses"}
REMEDIES = {
    "d_wins": "Lower the discriminator's learning rate (or raise the generator's), add one-sided label smoothing or "
              "instance noise, or switch to a WGAN-GP or hinge loss.",
    "exploding_gradients": "Lower the learning rates, add spectral normalisation or a gradient penalty (WGAN-GP), "
                           "and resume from an earlier checkpoint if the samples got worse.",
    "mode_collapse": "Add minibatch standard deviation to the discriminator, try a WGAN-GP or relativistic loss or "
                     "more critic steps, lower the generator's learning rate, and resume from a checkpoint taken "
                     "before the collapse.",
    "oscillation": "Lower both learning rates (or the generator's only, TTUR), keep Adam's β1 at 0.5 or below, add "
                   "instance noise, or use a WGAN-GP loss.",
}
# The D-loss terms (d_real + d_fake, less their label-smoothing minimum) below which D has won, per loss kind. WGAN
# critics are unbounded and their loss is rightly negative, so "D wins" is not judged for them. At equilibrium (D
# unsure) NS sits at 2·ln 2 ≈ 1.39 and LSGAN at 0.5: LSGAN's floor is 5× below that, where a measured 64² flower run
# that never left grey noise sat for 400 steps (a healthy NS run of the same shape stayed above 0.2).
D_WINS_FLOORS = {"ns": 0.1, "minimax": 0.1, "rsgan": 0.05, "rasgan": 0.1, "lsgan": 0.1, "ralsgan": 0.1,
                 "hinge": 0.1}
CROSS_ENTROPY_KINDS = frozenset({"ns", "minimax", "rsgan", "rasgan"})  # their d_real cannot go below H(1 − smoothing)
MAX_PREVIEW_VALUES = 16384  # per sample: distances between larger previews are estimated on a strided subset


@dataclass(frozen=True)
class AlarmSettings:
    """Thresholds; counts are in calls of on_step (one per logged step) unless they say previews."""

    window: int = 50  # recent values whose median a step alarm judges, so one spike cannot move it
    warmup: int = 100  # first steps ignored: initialisation transients are not failures
    baseline: int = 200  # steps after the warm-up whose median is the early-training level
    patience: int = 100  # steps a step alarm's condition must hold before it fires
    cooldown: int = 500  # fewest steps between two alarms of one kind, even when the condition cleared in between
    repeat_after: int = 5000  # a condition that never cleared is reported again after this many steps
    d_wins_floor: float | None = None  # None: D_WINS_FLOORS[loss_kind]
    explode_factor: float = 10.0  # recent gradient norm over its early-training level
    oscillation_window: int = 400
    oscillation_block: int = 20  # steps averaged into one point of the smoothed trend
    oscillation_swing: float = 0.4  # a swing counts when it moves the trend by this fraction of the loss's size
    oscillation_legs: int = 4  # up-down-up-down: a single rise or fall is a trend, not an oscillation
    oscillation_patience: int = 3  # consecutive blocks
    preview_warmup: int = 300  # previews before this step are not compared (early samples are noise)
    collapse_ratio: float = 0.4  # mean pairwise distance of the samples over its best value so far
    duplicate_ratio: float = 0.1  # two samples closer than this × the best spread are near-duplicates
    duplicate_share: float = 0.5  # of the samples that have a near-duplicate
    collapse_patience: int = 2  # previews


class _Trigger:
    """Persistence and cool-down of one alarm kind: fire after `patience` checks in a row, then only after the
    condition cleared and `cooldown` steps passed, or after `repeat_after` steps if it never cleared."""

    def __init__(self, patience: int, cooldown: int, repeat_after: int) -> None:
        self.patience, self.cooldown, self.repeat_after = patience, cooldown, repeat_after
        self.streak = 0
        self.armed = True
        self.last_fired: int | None = None

    def update(self, step: int, condition: bool) -> bool:
        if not condition:
            self.streak, self.armed = 0, True
            return False
        self.streak += 1
        if self.streak < self.patience:
            return False
        since = math.inf if self.last_fired is None else step - self.last_fired
        if (self.armed and since >= self.cooldown) or since >= self.repeat_after:
            self.armed, self.last_fired = False, step
            return True
        return False

    def reset(self) -> None:
        self.streak, self.armed = 0, True


class _Series:
    """The recent values of one logged series and, once seen, its early-training median."""

    def __init__(self, window: int, warmup: int = 0, baseline: int = 0) -> None:
        self.steps: deque[int] = deque(maxlen=window)
        self.recent: deque[float] = deque(maxlen=window)
        self.warmup, self.baseline_n = warmup, baseline
        self.seen = 0
        self.baseline: float | None = None
        self._early: list[float] = []

    def add(self, step: int, value: float) -> None:
        while self.steps and self.steps[-1] >= step:  # a NaN rollback restarts at an earlier step
            self.steps.pop()
            self.recent.pop()
        self.steps.append(step)
        self.recent.append(value)
        self.seen += 1
        if self.baseline is None and self.baseline_n and self.seen > self.warmup:
            self._early.append(value)
            if len(self._early) >= self.baseline_n:
                self.baseline, self._early = median(self._early), []

    @property
    def full(self) -> bool:
        return len(self.recent) == self.recent.maxlen

    def median(self) -> float:
        return median(self.recent)

    def values(self) -> np.ndarray:
        return np.fromiter(self.recent, np.float64, len(self.recent))


class AlarmWatcher:
    """Feed it every logged step and every fixed-z preview; it returns the alarms that fire (usually none).

    `loss_kind`: the adversarial loss's registry name (ns, minimax, lsgan, hinge, wgan, wgan-gp, rsgan, rasgan,
    ralsgan); "D wins" is judged only for the bounded ones listed in D_WINS_FLOORS. `label_smoothing`: the one-sided
    smoothing of the real target, which lifts the cross-entropy losses' minimum.
    """

    def __init__(self, loss_kind: str = "ns", settings: AlarmSettings | None = None,
                 label_smoothing: float = 0.0) -> None:
        s = self.settings = settings or AlarmSettings()
        self.loss_kind = loss_kind
        self.d_wins_floor = s.d_wins_floor if s.d_wins_floor is not None else D_WINS_FLOORS.get(loss_kind)
        self.real_minimum = _binary_entropy(1.0 - label_smoothing) if loss_kind in CROSS_ENTROPY_KINDS else 0.0
        self._triggers = {kind: _Trigger(s.patience, s.cooldown, s.repeat_after) for kind in KINDS}
        self._triggers["oscillation"].patience = s.oscillation_patience
        self._triggers["mode_collapse"].patience = s.collapse_patience
        self._d_terms = _Series(s.window, s.warmup)
        self._d_trend = _Series(s.oscillation_window)
        self._norms: dict[str, _Series] = {}
        self._peak_spread, self._peak_step = 0.0, 0
        self._adversary_seen = False  # D losses that are exactly 0 from the start mean no adversary (SEGAN's L1 phase)

    # ---- steps ------------------------------------------------------------------------------------------------------
    def on_step(self, step: int, losses: Mapping[str, float], grad_norms: Mapping[str, float]) -> list[Alarm]:
        """One logged step's losses (d_loss, d_real, d_fake, g_loss, …) and gradient norms (grad_norm_d, …)."""
        alarms = [self._check_d_wins(step, losses), self._check_gradients(step, grad_norms),
                  self._check_oscillation(step, losses)]
        return [alarm for alarm in alarms if alarm is not None]

    def replay(self, steps: Sequence[int], series: Mapping[str, Sequence[float]]) -> None:
        """Prime the windows and early-training levels from a resumed run's history (core.history.LossHistory's
        `steps` and `series`) without raising anything: a condition that still holds fires after its patience."""
        s = self.settings
        head = s.warmup + s.baseline
        tail = max(s.window, s.oscillation_window)
        for i in _head_and_tail(len(steps), head, tail):
            values = {name: column[i] for name, column in series.items()}
            norms = {k: v for k, v in values.items() if k.startswith("grad_norm")}
            self.on_step(steps[i], {k: v for k, v in values.items() if k not in norms}, norms)
        for trigger in self._triggers.values():
            trigger.reset()
            trigger.last_fired = None

    def _check_d_wins(self, step: int, losses: Mapping[str, float]) -> Alarm | None:
        value = self._d_loss_excess(losses)
        if self.d_wins_floor is None or value is None:
            return None
        self._d_terms.add(step, value)
        ready = self._d_terms.full and self._d_terms.seen > self.settings.warmup
        level = self._d_terms.median() if ready else math.inf
        if not self._triggers["d_wins"].update(step, level < self.d_wins_floor):
            return None
        return self._alarm(step, "d_wins", f"The discriminator's loss has stayed near 0 (median {level:.3g} over the "
                                           f"last {self.settings.window} steps): it tells real from fake so easily "
                                           "that the generator gets almost no useful gradient.")

    def _d_loss_excess(self, losses: Mapping[str, float]) -> float | None:
        """d_real + d_fake above their minimum (d_loss when the terms are not logged); None for a D not trained."""
        if "d_real" in losses and "d_fake" in losses:
            real, fake = float(losses["d_real"]), float(losses["d_fake"])
            if not self._trained(real, fake):
                return None
            value = max(0.0, real - self.real_minimum) + fake
        elif "d_loss" in losses and self._trained(float(losses["d_loss"])):
            value = float(losses["d_loss"])
        else:
            return None
        return value if math.isfinite(value) else None

    def _trained(self, *d_losses: float) -> bool:
        self._adversary_seen = self._adversary_seen or any(v != 0.0 for v in d_losses)
        return self._adversary_seen

    def _check_gradients(self, step: int, grad_norms: Mapping[str, float]) -> Alarm | None:
        worst: tuple[float, str, float, float] | None = None
        for key, value in grad_norms.items():
            if not (math.isfinite(value) and value > 0):  # 0: that network was not updated this step
                continue
            if key not in self._norms:
                self._norms[key] = _Series(self.settings.window, self.settings.warmup, self.settings.baseline)
            series = self._norms[key]
            series.add(step, float(value))
            if series.full and series.baseline:
                recent = series.median()
                ratio = recent / series.baseline
                if worst is None or ratio > worst[0]:
                    worst = (ratio, key, recent, series.baseline)
        exploding = worst is not None and worst[0] > self.settings.explode_factor
        if not self._triggers["exploding_gradients"].update(step, exploding):
            return None
        ratio, key, recent, baseline = worst
        return self._alarm(step, "exploding_gradients", f"{_network(key)} gradient norm is {ratio:.0f}× its "
                                                        f"early-training level (median {recent:.3g} over the last "
                                                        f"{self.settings.window} steps, was {baseline:.3g}).")

    def _check_oscillation(self, step: int, losses: Mapping[str, float]) -> Alarm | None:
        value = float(losses.get("d_loss", math.nan))
        if not (math.isfinite(value) and self._trained(value)):
            return None
        s = self.settings
        self._d_trend.add(step, value)
        if not self._d_trend.full or self._d_trend.seen % s.oscillation_block:
            return None  # judged once per block, on a full window
        values = self._d_trend.values()
        blocks = values[len(values) % s.oscillation_block:].reshape(-1, s.oscillation_block)
        noise = math.sqrt(float(blocks.var(axis=1).mean()) / s.oscillation_block)  # of a block mean
        # The upper quartile of |loss| is its size: a window that spans a change of regime (0.6 → 0.01) must not
        # judge the noise of the louder part against the quieter part's level.
        size = float(np.quantile(np.abs(values), 0.75))
        swing = max(4 * noise, s.oscillation_swing * size)
        legs = zigzag_legs(blocks.mean(axis=1), swing) if swing > 0 else 0
        if not self._triggers["oscillation"].update(step, legs >= s.oscillation_legs):
            return None
        return self._alarm(step, "oscillation", f"The discriminator's loss keeps swinging instead of settling: its "
                                                f"smoothed trend rose or fell by ≥ {swing:.3g} {legs} times in the "
                                                f"last {s.oscillation_window} steps.")

    # ---- previews ---------------------------------------------------------------------------------------------------
    def on_preview(self, step: int, images: np.ndarray) -> list[Alarm]:
        """The fixed-z samples, uint8 or float (N, H, W, C), before they are tiled into a grid."""
        images = np.asarray(images)
        if step < self.settings.preview_warmup or len(images) < 3:
            return []
        distances = pairwise_distances(images)
        spread = float(distances[np.triu_indices(len(images), 1)].mean())
        if spread > self._peak_spread:
            self._peak_spread, self._peak_step = spread, step
        np.fill_diagonal(distances, np.inf)
        duplicates = int((distances.min(axis=1) < self.settings.duplicate_ratio * self._peak_spread).sum())
        s = self.settings
        shrunk = spread < s.collapse_ratio * self._peak_spread
        collapsed = self._peak_spread > 0 and (shrunk or duplicates >= s.duplicate_share * len(images))
        if not self._triggers["mode_collapse"].update(step, collapsed):
            return []
        why = (f"they are only {spread / self._peak_spread:.0%} as varied as at step {self._peak_step:,}" if shrunk
               else f"{duplicates} of the {len(images)} look almost alike")
        return [self._alarm(step, "mode_collapse", f"The fixed-z samples are losing variety: {why}.")]

    def _alarm(self, step: int, kind: str, message: str) -> Alarm:
        return AlarmRaised(step, kind, message, REMEDIES[kind])


def pairwise_distances(images: np.ndarray) -> np.ndarray:
    """(N, N) root-mean-square distances between samples (uint8 on a 0–1 scale, floats as they are)."""
    x = np.asarray(images).reshape(len(images), -1)
    x = x.astype(np.float64) / 255.0 if x.dtype == np.uint8 else x.astype(np.float64)
    if x.shape[1] > MAX_PREVIEW_VALUES:
        x = x[:, :: math.ceil(x.shape[1] / MAX_PREVIEW_VALUES)]
    x = x - x.mean(axis=0)  # centred, so near-identical samples do not lose their distance to cancellation
    squares = (x * x).sum(axis=1)
    d2 = squares[:, None] + squares[None, :] - 2.0 * (x @ x.T)
    return np.sqrt(np.maximum(d2, 0.0) / x.shape[1])


def zigzag_legs(trend: Sequence[float], swing: float) -> int:
    """How many times the trend rose or fell by at least `swing` from its last turning point."""
    legs, direction = 0, 0
    low = high = extreme = trend[0]
    for v in trend[1:]:
        if direction == 0:
            low, high = min(low, v), max(high, v)
            if v - low >= swing or high - v >= swing:
                direction, extreme, legs = (1 if v - low >= swing else -1), v, 1
        elif (v - extreme) * direction > 0:
            extreme = v
        elif abs(v - extreme) >= swing:
            direction, extreme, legs = -direction, v, legs + 1
    return legs


def _binary_entropy(p: float) -> float:
    return 0.0 if p <= 0 or p >= 1 else -(p * math.log(p) + (1 - p) * math.log(1 - p))


def _network(key: str) -> str:
    return {"grad_norm_d": "The discriminator's", "grad_norm_g": "The generator's"}.get(key, f"The {key}")


def _head_and_tail(n: int, head: int, tail: int) -> Iterable[int]:
    return (*range(min(n, head)), *range(max(head, n - tail), n))
