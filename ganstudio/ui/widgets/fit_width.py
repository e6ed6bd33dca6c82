"""Labels that never make their panel wider: text that grows while a run goes on (errors with paths, the device, the
learning rates, notes) wraps to the width the panel has instead of asking for more."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QSizePolicy


def shrinkable(*labels: QLabel) -> None:
    """Word-wrap each label and let it be as narrow as its layout gives: Qt wraps at spaces, '/' and '-', so paths
    break too; only a long run without any of those is cut at the panel's edge (the page puts such text in a
    tooltip). Without this a QLabel's minimum width is its longest word, which widens a whole scroll panel."""
    for label in labels:
        label.setWordWrap(True)
        policy = label.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
        label.setSizePolicy(policy)
