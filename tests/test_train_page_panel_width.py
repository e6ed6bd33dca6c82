"""The Train page's controls panel never scrolls sideways: text that grows during a run (errors with paths, the
device, learning rates, notes, the log) wraps to the panel's width, and every button stays in view (issue 13, item 6)."""

from __future__ import annotations

from PySide6.QtCore import QPoint

from ganstudio.ui.pages.train_page import TrainPage

UNBROKEN = "/home/someone/" + "x" * 300 + "/checkpoints/ckpt-000000030"


def test_long_unbroken_lines_do_not_widen_the_panel_or_hide_buttons(qtbot, settings):
    page = TrainPage(settings, ask_folder=lambda: None, ask_run=lambda: None)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    scroll = page.main_splitter.widget(0)
    panel, bar = scroll.widget(), scroll.horizontalScrollBar()
    width_before = panel.minimumSizeHint().width()
    page._log.add("Saved " + UNBROKEN)
    page._show_error("Failed: " + UNBROKEN)
    page.stats.set_device("CPU " + "y" * 300)
    page.stats.show_learning_rates({f"lr_{name}_{'z' * 40}": 1e-4 for name in "abcd"})
    page.form.pairs_note.setText(UNBROKEN)
    page.form._form.setRowVisible(page.form.pairs_note, True)
    page.controls.set_state("paused", 123_456_789_012)
    qtbot.wait(50)  # layouts settle
    assert panel.minimumSizeHint().width() <= width_before
    assert bar.maximum() == 0 and panel.width() <= scroll.viewport().width()
    viewport = scroll.viewport()
    for name, button in page.buttons.items():
        scroll.ensureWidgetVisible(button)  # what a focus change does: it must not scroll sideways either
        right = button.mapTo(viewport, QPoint(button.width(), 0)).x()
        assert bar.value() == 0 and right <= viewport.width(), name
    assert page._error.toolTip().endswith("ckpt-000000030")  # the whole text, should a long word be cut
