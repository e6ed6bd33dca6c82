"""NaN/Inf guard: a diverged step rolls back to the last checkpoint with halved learning rates and a Notice, and
training goes on; without a checkpoint to return to (or after too many rollbacks) the run fails with a clear message."""

from __future__ import annotations

import math

import pytest

from ganstudio.core.training import events as ev
from ganstudio.core.errors import StudioError
from ganstudio.ml.training.trainer import MAX_ROLLBACKS, Trainer


class PoisonedTrainer(Trainer):
    """The real train step, except that step `poison_at` returns a NaN generator loss, once (a one-off blow-up)."""

    poison_at = 3

    def _compile(self, t) -> None:
        super()._compile(t)
        clean, self.poisoned = self._train_step, []

        def step(batch):
            out = clean(batch)
            if self.step + 1 == self.poison_at and not self.poisoned:
                self.poisoned.append(self.step + 1)
                out = {**out, "g_loss": t.constant(float("nan"))}
            return out

        self._train_step = step


class ScriptedTrainer(Trainer):
    """No network update at all: each step returns the losses `script(step)` gives (builds in a second, no tracing)."""

    def script(self, step: int) -> float:
        return 0.5

    def _compile(self, t) -> None:
        def step(batch):
            value = t.constant(self.script(self.step + 1))
            return {"d_loss": value, "g_loss": value, "grad_norm_d": t.constant(1.0)}

        self._train_step, self._preview = step, None


def collect(trainer_class, config, data, run_dir, total_steps):
    events: list = []
    data = data.with_batches(config.batch_size, config.seed)
    trainer = trainer_class(config, data, run_dir, total_steps, [events.append], device="cpu")
    return trainer, events


def test_nan_after_a_checkpoint_rolls_back_halves_lrs_and_continues(tmp_path, tiny_config, tiny_digits):
    config = tiny_config(checkpoint_every=2)
    trainer, events = collect(PoisonedTrainer, config, tiny_digits, tmp_path / "run", 6)
    assert trainer.run() == 6
    assert trainer.poisoned == [3] and trainer.rollbacks == 1
    notices = [e.message for e in events if isinstance(e, ev.Notice)]
    assert len(notices) == 1
    assert "g_loss became NaN/Inf at step 3" in notices[0] and "rolled back to step 2" in notices[0]
    assert "halved the learning rates" in notices[0]
    halved = {"lr_g": config.lr_g / 2, "lr_d": config.lr_d / 2}
    assert trainer._lrs() == pytest.approx(halved)
    changed = [e for e in events if isinstance(e, ev.LearningRatesChanged)]  # so forms show what the run uses
    assert len(changed) == 1 and changed[0].lrs == pytest.approx(halved) and changed[0].step == 2
    logged = [e for e in events if isinstance(e, ev.StepLogged)]
    assert [e.step for e in logged] == [1, 2, 3, 4, 5, 6]  # the poisoned step never reached a sink
    assert all(e.lrs == pytest.approx(halved) for e in logged[2:])
    assert all(math.isfinite(v) for e in logged for v in e.losses.values())
    assert trainer.history.steps == [1, 2, 3, 4, 5, 6]
    assert isinstance(events[-1], ev.Finished) and events[-1].reason == "completed"


def test_nan_before_any_checkpoint_fails_with_a_clear_message(tmp_path, tiny_config, tiny_digits):
    class DivergesAtOnce(ScriptedTrainer):
        def script(self, step):
            return float("inf")

    trainer, events = collect(DivergesAtOnce, tiny_config(), tiny_digits, tmp_path / "run", 5)
    with pytest.raises(StudioError) as caught:
        trainer.run()
    assert "became NaN/Inf at step 1, before the first checkpoint" in str(caught.value)
    assert "Lower the learning rates" in caught.value.hint
    failed = events[-1]
    assert isinstance(failed, ev.Failed) and "before the first checkpoint" in failed.error
    assert not any(isinstance(e, ev.Finished) for e in events)


def test_nan_that_keeps_coming_back_fails_after_the_rollback_limit(tmp_path, tiny_config, tiny_digits):
    class DivergesForGood(ScriptedTrainer):
        def script(self, step):
            return 0.5 if step <= 2 else float("nan")

    config = tiny_config(checkpoint_every=2)
    trainer, events = collect(DivergesForGood, config, tiny_digits, tmp_path / "run", 10)
    with pytest.raises(StudioError, match=f"again after {MAX_ROLLBACKS} rollbacks"):
        trainer.run()
    notices = [e for e in events if isinstance(e, ev.Notice)]
    assert len(notices) == MAX_ROLLBACKS and all("rolled back to step 2" in n.message for n in notices)
    assert trainer._lrs()["lr_g"] == pytest.approx(config.lr_g / 2**MAX_ROLLBACKS)
    assert isinstance(events[-1], ev.Failed)
