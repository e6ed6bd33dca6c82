"""Training alarms reach the user: the notice widget, the Train page through the throttled bridge (never dropped),
the terminal sink and the TensorBoard sink."""

from __future__ import annotations

import numpy as np
import pytest

from ganstudio.core.training import events as ev
from ganstudio.ui.pages.train_page import TrainPage
from ganstudio.ui.widgets.alarm_notice import AlarmNotice
from ganstudio.workers.training_worker import TrainingWorker


def alarm(step: int, kind: str = "d_wins") -> ev.AlarmRaised:
    return ev.AlarmRaised(step, kind, f"message {step}", f"remedy {step}")


class NoThreadWorker(TrainingWorker):
    """Records the jobs it is given instead of training: the page can 'start' a run in a test."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.jobs = []

    def start(self, job, paused: bool = False) -> None:
        self.events.clear()
        self.jobs.append(job)


@pytest.fixture
def page(qtbot, settings):
    page = TrainPage(settings, worker=NoThreadWorker(), ask_folder=lambda: None, ask_run=lambda: None)
    page.tensorboard = False
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    yield page
    assert page.shutdown(timeout=5)


def test_the_notice_shows_the_newest_alarm_and_lists_the_others_in_its_tooltip(qtbot):
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    panel = QWidget()
    qtbot.addWidget(panel)
    notice = AlarmNotice()
    QVBoxLayout(panel).addWidget(notice)
    panel.show()  # as the page's panel is: the notice stays hidden until an alarm arrives
    assert not notice.isVisible()
    notice.show_alarm(ev.AlarmRaised(1200, "d_wins", "D loss near 0.", "Lower lr_d."))
    assert notice.isVisible() and "discriminator is winning" in notice.title.text() and "1,200" in notice.title.text()
    assert notice.message.text() == "D loss near 0." and "Lower lr_d." in notice.remedy.text()
    notice.show_alarm(ev.AlarmRaised(3400, "mode_collapse", "Samples alike.", "Minibatch std."))
    assert "mode collapse" in notice.title.text() and "(2 this run)" in notice.title.text()
    tip = notice.toolTip()
    assert tip.index("3,400") < tip.index("1,200")  # newest first
    notice.dismiss_button.click()
    assert not notice.isVisible() and len(notice.history) == 2
    notice.show_alarm(ev.AlarmRaised(5000, "oscillation", "Swinging.", "Lower both rates."))
    assert notice.isVisible()
    notice.clear()
    assert not notice.isVisible() and notice.history == [] and notice.toolTip() == ""


def test_every_alarm_posted_through_the_bridge_reaches_the_page_despite_throttling(qtbot, page):
    received = []
    page.worker.events.alarm_raised.connect(received.append)
    assert not page.alarm.isVisible()
    grid = np.zeros((8, 8, 3), np.uint8)
    for step in range(1, 51):  # a burst from the training thread: previews coalesce, alarms must not
        page.worker.events(ev.PreviewReady(step, grid))
        page.worker.events(alarm(step, "oscillation" if step % 2 else "exploding_gradients"))
    qtbot.waitUntil(lambda: len(received) == 50, timeout=5000)
    assert [a.step for a in received] == list(range(1, 51))
    title = page.alarm.title.text()
    assert page.alarm.isVisible() and "Exploding gradients · step 50 (50 this run)" in title
    assert len(page.alarm.history) == 20 and page.alarm.toolTip().count("step") == 20  # the tooltip keeps the latest
    assert page.alarm.message.text() == "message 50"
    assert "Alarm at step 50: Exploding gradients. message 50" in page._log.toPlainText()


def test_a_new_run_clears_the_previous_runs_alarm(qtbot, page, tmp_path):
    with qtbot.waitSignal(page.worker.events.alarm_raised, timeout=5000):
        page.worker.events(alarm(700))
    assert page.alarm.isVisible()
    page.start_run("dcgan", str(tmp_path), steps=10, run_dir=tmp_path / "run")
    assert page.worker.jobs and not page.alarm.isVisible() and page.alarm.history == []


def test_the_terminal_prints_alarms_on_stderr(capsys):
    from ganstudio.commands.train_sinks import TerminalSink

    TerminalSink(total_steps=10, batch_size=4, quiet=True)(ev.AlarmRaised(7, "d_wins", "D loss near 0.", "Lower lr_d."))
    assert capsys.readouterr().err.strip() == "alarm: d_wins at step 7: D loss near 0. — Lower lr_d."


def test_tensorboard_writes_alarms_as_text(tmp_path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    from ganstudio.ml.training.tensorboard import TensorBoardSink

    sink = TensorBoardSink(tmp_path / "tb")
    sink(ev.AlarmRaised(42, "mode_collapse", "Samples alike.", "Minibatch std."))
    sink(ev.Finished(42, "completed"))
    accumulator = EventAccumulator(str(tmp_path / "tb"), size_guidance={"tensors": 0}).Reload()
    (event,) = accumulator.Tensors("alarms/mode_collapse")
    assert event.step == 42
    assert event.tensor_proto.string_val[0].decode() == "Samples alike. — Minibatch std."
