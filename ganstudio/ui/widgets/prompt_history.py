"""The Prompt page's history: the prompts looked at (with their seed and count), newest first; clicking one restores
it. It is kept in the settings and can be saved as JSON."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

LIMIT = 200


def describe(entry: dict) -> str:
    text = entry.get("text", "") or "(empty prompt)"
    if entry.get("mode") == "arithmetic":
        text = f"= {text}"
    elif entry.get("to"):
        text = f"{text} → {entry['to']} at {float(entry.get('weight', 0)):.2f}"
    return f"{text}   · seed {entry.get('seed', 0)} · {entry.get('count', 8)}"


def entries_from_json(text: str) -> list[dict]:
    """Entries from saved JSON (a list of objects, or an object with "prompts"); anything else gives []."""
    try:
        data = json.loads(text)
    except ValueError:
        return []
    data = data.get("prompts", []) if isinstance(data, dict) else data
    return [e for e in data if isinstance(e, dict) and isinstance(e.get("text", ""), str)] if isinstance(data, list) else []


class PromptHistory(QListWidget):
    entry_chosen = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setToolTip("Prompts you looked at, newest first: click one to go back to it")
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # a long prompt keeps its seed and count in view
        self.itemClicked.connect(lambda item: self.entry_chosen.emit(dict(item.data(Qt.ItemDataRole.UserRole))))

    def record(self, entry: dict) -> bool:
        """Add `entry` on top unless it is the newest already; False if it was."""
        if self.count() and self.item(0).data(Qt.ItemDataRole.UserRole) == entry:
            return False
        item = QListWidgetItem(describe(entry))
        item.setData(Qt.ItemDataRole.UserRole, dict(entry))
        item.setToolTip(describe(entry))
        self.insertItem(0, item)
        while self.count() > LIMIT:
            self.takeItem(self.count() - 1)
        return True

    def entries(self) -> list[dict]:
        """Newest first."""
        return [dict(self.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.count())]

    def set_entries(self, entries: list[dict]) -> None:
        self.clear()
        for entry in reversed(entries[:LIMIT]):
            self.record(entry)

    def to_json(self) -> str:
        return json.dumps({"prompts": self.entries()}, indent=1, ensure_ascii=False)
