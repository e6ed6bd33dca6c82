"""The loss plot's log-scale switch: pix2pix's G loss (GAN + 100·L1) and D's loss differ by orders of magnitude."""

from __future__ import annotations

import numpy as np

from ganstudio.core.training import events as ev
from ganstudio.ui.widgets.loss_plot import LossPlot


def test_log_scale_switch_puts_the_loss_axis_in_log_mode(qtbot):
    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.append_steps([ev.StepLogged(s, {"d_loss": 0.5, "g_loss": 30.0 - s}, {}, 1.0, 1.0, {}) for s in range(1, 5)])
    plot.log_scale.setChecked(True)
    assert plot.loss_axes.ctrl.logYCheck.isChecked()
    _, y = plot.curve_data("g_loss", displayed=True)
    assert np.allclose(10 ** np.asarray(y), [29.0, 28.0, 27.0, 26.0])  # drawn as log10 of the same values
    plot.log_scale.setChecked(False)
    assert not plot.loss_axes.ctrl.logYCheck.isChecked()


def test_arriving_steps_redraw_at_most_twice_a_second_and_the_last_ones_are_drawn(qtbot, monkeypatch):
    """Training logs ~4 times a second; each redraw costs the GUI thread 6–20 ms, so arriving steps are drawn
    together, and the newest are never left undrawn."""
    from ganstudio.ui.widgets import loss_plot

    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.show()
    plot.redraw()
    redraws = []
    original = LossPlot.redraw
    monkeypatch.setattr(LossPlot, "redraw", lambda self: (redraws.append(len(self.history.steps)), original(self)))
    for step in range(1, 21):
        plot.append_steps([ev.StepLogged(step, {"g_loss": float(step)}, {}, 1.0, 0.0)])
    assert redraws == []  # all within the interval after the first redraw
    qtbot.waitUntil(lambda: redraws == [20], timeout=loss_plot.MIN_REDRAW_INTERVAL_MS * 4)
    x, _ = plot.curve_data("g_loss")
    assert x[-1] == 20
    plot.set_smoothing(0.5)  # what the user does is drawn at once
    assert len(redraws) == 2
