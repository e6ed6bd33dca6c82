"""A learning rate changed mid-run is checkpointed with its optimizer: a resume says so (LearningRatesChanged), so
forms that show the stored config's rates show the run's instead (issue 13, item 6)."""

from __future__ import annotations

import pytest

from ganstudio.core.training import events as ev
from ganstudio.core.training.control import Control
from ganstudio.ml.training.trainer import Trainer


def train(config, data, run_dir, steps, resume=False, control=None) -> list:
    events: list = []
    data = data.with_batches(config.batch_size, config.seed)
    Trainer(config, data, run_dir, steps, [events.append], control=control, device="cpu", resume=resume).run()
    return events


def test_a_resume_reports_the_learning_rates_the_checkpoint_left(tmp_path, tiny_config, tiny_digits):
    config = tiny_config(checkpoint_every=2, lr_g=2e-4, lr_d=2e-4)
    control = Control()
    control.set_hyperparameters(lr_g=5e-5)  # as the Train page sends it mid-run
    train(config, tiny_digits, tmp_path / "run", 2, control=control)
    events = train(config, tiny_digits, tmp_path / "run", 3, resume=True)
    changed = [e for e in events if isinstance(e, ev.LearningRatesChanged)]
    assert len(changed) == 1
    assert changed[0].lrs == pytest.approx({"lr_g": 5e-5, "lr_d": 2e-4})
    assert changed[0].step == 2 and changed[0].reason == "as checkpoint 2 left them"
    started = next(i for i, e in enumerate(events) if isinstance(e, ev.Started))
    assert events.index(changed[0]) < started  # before the first step is shown
    logged = [e for e in events if isinstance(e, ev.StepLogged)]
    assert logged and logged[0].lrs == pytest.approx({"lr_g": 5e-5, "lr_d": 2e-4})


def test_a_resume_with_the_configs_learning_rates_says_nothing_about_them(tmp_path, tiny_config, tiny_digits):
    config = tiny_config(checkpoint_every=2)
    train(config, tiny_digits, tmp_path / "run", 2)
    events = train(config, tiny_digits, tmp_path / "run", 3, resume=True)
    assert not [e for e in events if isinstance(e, ev.LearningRatesChanged)]
