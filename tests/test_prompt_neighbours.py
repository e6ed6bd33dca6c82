"""The nearest-photos panel of the Prompt page: in a short window its rows scroll instead of losing text."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ganstudio.ui.widgets.prompt_neighbours import NeighboursPanel


def test_rows_keep_their_whole_text_in_a_short_panel_and_scroll(qtbot):
    panel = NeighboursPanel()
    qtbot.addWidget(panel)
    panel.resize(260, 300)
    panel.show()
    caption = "A photo of one lemon yellow sunflower in front of green leaves and a blue sky."
    panel.show_neighbours(SimpleNamespace(
        index=1, notes=[], photos=[np.zeros((64, 64, 3), np.uint8)] * 5, captions=[[caption, caption]] * 5,
        names=[f"sunflower/{i}_7afd290657_m.jpg" for i in range(5)], similarity=[0.9, 0.8, 0.7, 0.6, 0.5]))
    qtbot.waitUntil(lambda: panel.scroll.verticalScrollBar().maximum() > 0, timeout=2000)
    labels = [panel.rows.itemAtPosition(row, 1).widget() for row in range(5)]
    for label in labels:
        assert label.height() >= label.heightForWidth(label.width())  # nothing cut off at the bottom
    assert panel.scroll.horizontalScrollBar().maximum() == 0 and len(panel.shown) == 5
