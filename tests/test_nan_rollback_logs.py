"""After a NaN rollback the trainer replays the steps between its checkpoint and the NaN (issue 13, leftovers): what
keeps the run's record must not double back. The loss history is the checkpoint's, truncated and then continued (the
Train page's plot truncates likewise, see test_train_page.py); TensorBoard cannot truncate, so its sink writes each
tag's steps once: the replayed steps keep the values logged before the rollback, and the curves go on from there."""

from __future__ import annotations

from collections import Counter

from ganstudio.core.training import events as ev
from test_engine_nan_guard import PoisonedTrainer
from test_tensorboard_resume import written_steps


class PoisonedAtSeven(PoisonedTrainer):
    poison_at = 7  # two logged steps (5 and 6) after the checkpoint at 4: the rollback replays them


def test_a_rollback_replays_steps_but_no_record_doubles_back(tmp_path, tiny_config, tiny_digits):
    from ganstudio.ml.training.tensorboard import TensorBoardSink

    config = tiny_config(checkpoint_every=4, preview_every=3)
    events: list = []
    tensorboard = TensorBoardSink(tmp_path / "run" / "tensorboard", config)
    trainer = PoisonedAtSeven(config, tiny_digits.with_batches(config.batch_size, config.seed), tmp_path / "run", 10,
                              [events.append, tensorboard], device="cpu", log_interval_s=0.0)  # every step logged
    assert trainer.run() == 10 and trainer.rollbacks == 1

    logged = [e.step for e in events if isinstance(e, ev.StepLogged)]
    assert logged == [1, 2, 3, 4, 5, 6, 5, 6, 7, 8, 9, 10]  # the replay the sinks see
    assert trainer.history.steps == list(range(1, 11))  # what the checkpoints keep
    seen = written_steps(tmp_path / "run" / "tensorboard")
    assert sorted(step for tag, step in seen if tag == "train/g_loss") == list(range(1, 11))
    assert sorted(step for tag, step in seen if tag == "preview/fake") == [3, 6, 9, 10]
    assert max(seen.values()) == 1, [key for key, n in Counter(seen).items() if n > 1]
