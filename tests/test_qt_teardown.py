"""Widgets die by Qt's hand, in Qt's order, never by the cyclic garbage collector: the cause of the Train page tests'
segfaults (in ~QComboBox / QWidget::clearFocus, the collector having fired inside LossPlot._add_axes), see
tests/conftest.py `collect_garbage_between_tests`. And the loss plot builds pyqtgraph only for a plot on screen."""

from __future__ import annotations

import gc
import weakref

import shiboken6

from conftest import destroy_deferred_widgets
from ganstudio.ui.pages.train_page import TrainPage
from ganstudio.ui.widgets import loss_plot
from ganstudio.ui.widgets.loss_plot import LossPlot


def test_the_collector_never_runs_on_its_own_during_a_test():
    """Not on a training thread, not inside Qt or pyqtgraph code: only between tests, after Qt deleted the widgets."""
    assert not gc.isenabled()


def test_a_closed_page_is_deleted_by_qt_before_its_python_cycle_is_collected(qtbot, settings):
    """What pytest-qt's teardown does (close, deleteLater), then the conftest's flush: the whole C++ tree is gone
    before the collector meets the page's Python cycle, so collecting it touches no live C++ object. Collected while
    alive instead, a TrainPage crashes shiboken's collector (PySide6 6.11) in ~QComboBox."""
    page = TrainPage(settings, ask_folder=lambda: None, ask_run=lambda: None)
    page.show()
    combo, plot = weakref.ref(page.form.dataset_box), weakref.ref(page.loss_plot)
    page.shutdown(timeout=5)
    page.close()
    page.deleteLater()
    destroy_deferred_widgets()
    assert not shiboken6.isValid(page)
    assert combo() is None or not shiboken6.isValid(combo())
    assert plot() is None or not shiboken6.isValid(plot())
    del page
    gc.collect()


def test_the_plot_is_not_built_for_a_widget_hidden_before_the_build_delay(qtbot):
    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.show()
    plot.hide()  # e.g. a page closed by its test's teardown, waiting for deleteLater
    qtbot.wait(loss_plot.BUILD_DELAY_MS + 200)
    assert plot._graphics is None
    plot.show()
    qtbot.waitUntil(lambda: plot._graphics is not None, timeout=5000)
    assert plot._graphics.parent() is plot


def test_a_plot_deleted_before_the_build_delay_builds_nothing(qtbot):
    built = []
    plot = LossPlot()
    plot._build_graphics = lambda: built.append(True)
    plot.show()
    plot.close()
    plot.deleteLater()
    destroy_deferred_widgets()
    assert not shiboken6.isValid(plot)
    qtbot.wait(loss_plot.BUILD_DELAY_MS + 200)  # the pending build timer went with its widget
    assert built == []
