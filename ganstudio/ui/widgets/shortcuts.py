"""Page-scoped keyboard shortcuts: each works while its page is shown (Qt turns a hidden page's shortcuts off)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget


def add_shortcuts(page: QWidget, bindings: Iterable[tuple[str, Callable[[], object]]]) -> None:
    """(keys, slot) pairs, e.g. ("Ctrl+S", save): pressing the keys while `page` is shown calls the slot."""
    for keys, slot in bindings:
        QShortcut(QKeySequence(keys), page).activated.connect(slot)
