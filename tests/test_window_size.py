"""Every page is usable at 1024×700, a common laptop size (issue 13, item 7): the main window can be that small,
each page's minimum fits in what the window gives it, and no button or box reaches past the window's right edge,
even with long model names listed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox

LAPTOP = (1024, 700)
LONG_NAME = "flowers-dcgan64-with-a-very-long-run-name-20250101-120000 — Flowers 64×64 DCGAN, 200,000 steps (run)"


@pytest.fixture
def window(qtbot, settings, monkeypatch):
    from ganstudio.ui.main_window import MainWindow

    monkeypatch.setattr("ganstudio.ui.widgets.model_bar.installed_models", lambda kind=None: [])  # nothing loads
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    for page in window.pages.values():
        if hasattr(page, "model_bar"):
            page.model_bar.set_models([(LONG_NAME, "/nowhere/model")])  # sized to it, the combo widened the page
    yield window
    window.close()


def test_the_window_and_every_page_fit_in_1024_by_700(qtbot, window):
    minimum = window.minimumSizeHint()
    assert minimum.width() <= LAPTOP[0] and minimum.height() <= LAPTOP[1] - 30  # 30: a title bar
    window.resize(*LAPTOP)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == LAPTOP, timeout=2000)
    for name, page in window.pages.items():
        window.show_page(name)
        QApplication.processEvents()
        hint = page.minimumSizeHint()
        assert hint.width() <= page.width() and hint.height() <= page.height(), (name, hint, page.size())
        for widget in [*page.findChildren(QAbstractButton), *page.findChildren(QComboBox)]:
            if widget.isVisible():
                right = widget.mapTo(window, QPoint(widget.width(), 0)).x()
                assert right <= window.width(), (name, type(widget).__name__, widget.toolTip() or widget.objectName())


def test_the_sketch_tools_wrap_onto_a_second_row_rather_than_widen_the_page(qtbot, window):
    window.resize(*LAPTOP)
    window.show_page("Sketch")
    toolbar = window.pages["Sketch"].toolbar
    qtbot.waitUntil(lambda: toolbar.width() < toolbar.sizeHint().width(), timeout=2000)
    rows = {button.mapTo(toolbar, QPoint(0, 0)).y() for button in (toolbar.tool_buttons["brush"], toolbar.fit_button)}
    assert len(rows) == 2 and toolbar.height() >= 2 * toolbar.tool_buttons["brush"].height()
    window.resize(1600, 900)
    qtbot.waitUntil(lambda: toolbar.width() >= toolbar.sizeHint().width(), timeout=2000)
    QApplication.processEvents()
    assert toolbar.fit_button.mapTo(toolbar, QPoint(0, 0)).y() == toolbar.tool_buttons["brush"].mapTo(toolbar, QPoint(0, 0)).y()
