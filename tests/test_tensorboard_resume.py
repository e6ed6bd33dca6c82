"""After a resume, TensorBoard's curves do not double back (issue 13, item 5): the steps the killed process had
already logged, which the resumed run replays from its checkpoint, are not written a second time."""

from __future__ import annotations

from collections import Counter

import numpy as np

from ganstudio.core.training import events as ev


def logged(step: int) -> ev.StepLogged:
    return ev.StepLogged(step, {"d_loss": 1.0 / step, "g_loss": float(step)}, {}, 10.0, float(step))


def written_steps(logdir) -> Counter:
    """(tag, step) → how many times it is in the event files, read record by record (no reader's purging)."""
    from ganstudio.ml.runtime import tf

    seen = Counter()
    for path in sorted(logdir.glob("events.out.tfevents.*")):
        try:
            for event in tf().compat.v1.train.summary_iterator(str(path)):
                for value in event.summary.value:
                    seen[value.tag, event.step] += 1
        except tf().errors.DataLossError:  # the record the kill cut short
            pass
    return seen


def test_a_resumed_run_logs_each_step_once(tmp_path):
    from ganstudio.ml.training.tensorboard import TensorBoardSink

    logdir = tmp_path / "tensorboard"
    killed = TensorBoardSink(logdir)  # logged up to step 7, checkpointed at 4, then killed
    killed(ev.Started(0, 10, "CPU", False))
    for step in range(1, 8):
        killed(logged(step))
        if step == 6:
            killed(ev.PreviewReady(6, np.zeros((4, 4, 3), np.uint8)))
    killed(ev.CheckpointSaved(7, str(tmp_path / "ckpt")))  # flushes; a kill loses only what was never flushed
    killed.writer.close()
    events_file = next(logdir.glob("events.out.tfevents.*"))
    with open(events_file, "r+b") as f:
        f.truncate(events_file.stat().st_size - 10)  # the last record (step 7's steps_per_s) cut short by the kill

    resumed = TensorBoardSink(logdir)
    resumed(ev.Started(4, 10, "CPU", True))
    for step in range(5, 11):  # replays 5..7, then new steps
        resumed(logged(step))
        if step % 2 == 0:
            resumed(ev.PreviewReady(step, np.zeros((4, 4, 3), np.uint8)))
    resumed(ev.Finished(10, "completed", str(tmp_path / "model")))

    seen = written_steps(logdir)
    assert sorted(step for tag, step in seen if tag == "train/g_loss") == list(range(1, 11))
    assert sorted(step for tag, step in seen if tag == "preview/fake") == [6, 8, 10]
    assert max(seen.values()) == 1


def test_a_fresh_run_in_the_sink_writes_everything(tmp_path):
    from ganstudio.ml.training.tensorboard import TensorBoardSink, last_logged_step

    sink = TensorBoardSink(tmp_path / "tb")
    sink(ev.Started(0, 3, "CPU", False))
    for step in (1, 2, 3):
        sink(logged(step))
    sink(ev.Finished(3, "completed", str(tmp_path / "model")))
    assert sorted(s for t, s in written_steps(tmp_path / "tb") if t == "train/d_loss") == [1, 2, 3]
    assert last_logged_step(tmp_path / "tb") == 3 and last_logged_step(tmp_path / "none") == -1
