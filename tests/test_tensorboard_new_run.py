"""A new run (not a resume) in a folder that still holds an earlier run's TensorBoard logs, e.g. after its checkpoints
were deleted (issue 13, leftovers): the old event files are moved into tensorboard/old-<time>/, a run of its own in
TensorBoard, so the new run's steps 1, 2, … never double back over the old run's curves."""

from __future__ import annotations

from ganstudio.core.training import events as ev
from test_tensorboard_resume import logged, written_steps


def old_run(logdir, steps: int) -> None:
    from ganstudio.ml.training.tensorboard import TensorBoardSink

    sink = TensorBoardSink(logdir)
    sink(ev.Started(0, steps, "CPU", False))
    for step in range(1, steps + 1):
        sink(logged(step))
    sink(ev.Finished(steps, "completed", ""))
    sink.writer.close()


def test_a_new_run_moves_an_earlier_runs_logs_aside(tmp_path):
    from ganstudio.ml.training.tensorboard import TensorBoardSink

    logdir = tmp_path / "tensorboard"
    old_run(logdir, 5)
    new = TensorBoardSink(logdir)
    new(ev.Notice(0, "Generator starts from …"))  # the trainer may say something before Started
    new(ev.Started(0, 3, "CPU", False))
    for step in (1, 2, 3):
        new(logged(step))
    new(ev.Finished(3, "completed", ""))

    seen = written_steps(logdir)
    assert sorted(step for tag, step in seen if tag == "train/g_loss") == [1, 2, 3] and max(seen.values()) == 1
    [aside] = [p for p in logdir.iterdir() if p.is_dir()]
    assert aside.name.startswith("old-")
    assert sorted(step for tag, step in written_steps(aside) if tag == "train/g_loss") == [1, 2, 3, 4, 5]


def test_two_new_runs_in_a_row_keep_both_earlier_logs(tmp_path):
    from ganstudio.ml.training.tensorboard import set_aside_old_events

    logdir = tmp_path / "tensorboard"
    old_run(logdir, 2)
    first = set_aside_old_events(logdir)
    old_run(logdir, 4)
    second = set_aside_old_events(logdir)
    assert first != second and not list(logdir.glob("events.out.tfevents.*"))
    assert max(step for _tag, step in written_steps(first)) == 2
    assert max(step for _tag, step in written_steps(second)) == 4
    assert set_aside_old_events(logdir) is None and set_aside_old_events(tmp_path / "none") is None


def test_a_resumed_run_keeps_its_logs_in_place(tmp_path):
    from ganstudio.ml.training.tensorboard import TensorBoardSink

    logdir = tmp_path / "tensorboard"
    old_run(logdir, 3)
    resumed = TensorBoardSink(logdir)
    resumed(ev.Started(3, 5, "CPU", True))
    for step in (4, 5):
        resumed(logged(step))
    resumed(ev.Finished(5, "completed", ""))
    assert not [p for p in logdir.iterdir() if p.is_dir()]
    assert sorted(step for tag, step in written_steps(logdir) if tag == "train/g_loss") == [1, 2, 3, 4, 5]
