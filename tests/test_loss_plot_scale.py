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
    _, y = plot.curve_data("g_loss")
    assert np.allclose(10 ** np.asarray(y), [29.0, 28.0, 27.0, 26.0])  # drawn as log10 of the same values
    plot.log_scale.setChecked(False)
    assert not plot.loss_axes.ctrl.logYCheck.isChecked()
