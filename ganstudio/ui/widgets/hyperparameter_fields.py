"""Form rows generated from the hyperparameter table (ml/config.py, via workers/catalog.py): one editor per row,
chosen by the value's type, with the table's range, choices and help as its limits and tooltip."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QSpinBox, QWidget

SPIN_STEPS = {"batch_size": 8, "z_dim": 8, "ngf": 8, "ndf": 8, "preview_every": 10}


class FieldSet:
    """The generated editors, laid out as rows of an existing QFormLayout (shown per recipe family)."""

    def __init__(self, choices: list, layout: QFormLayout) -> None:
        self._choices = {c.name: c for c in choices}
        self._layout = layout
        self.widgets: dict[str, QWidget] = {}
        for choice in choices:
            widget = self.widgets[choice.name] = _editor(choice)
            widget.setToolTip(choice.help[:1].upper() + choice.help[1:])
            layout.addRow(choice.title, widget)

    def show_family(self, family: str) -> None:
        for name, widget in self.widgets.items():
            self._layout.setRowVisible(widget, family in self._choices[name].families)

    def is_shown(self, name: str) -> bool:
        return name in self.widgets and self._layout.isRowVisible(self.widgets[name])

    def values(self) -> dict:
        """The shown rows' values (hidden rows do not apply to the chosen recipe)."""
        return {name: _value(widget) for name, widget in self.widgets.items() if self.is_shown(name)}

    def set_values(self, values: dict) -> None:
        for name, value in values.items():
            if name in self.widgets and value is not None:
                _set_value(self.widgets[name], value)

    def set_enabled(self, enabled: bool) -> None:
        for widget in self.widgets.values():
            widget.setEnabled(enabled)


def _editor(choice) -> QWidget:
    if choice.kind == "bool":
        return QCheckBox()
    if choice.choices:
        box = QComboBox()
        for value in choice.choices:
            box.addItem(_choice_text(choice.name, value), value)
        return box
    if choice.kind == "int":
        box = QSpinBox()
        box.setRange(int(choice.low or 0), int(min(choice.high or 2**31 - 1, 2**31 - 1)))
        box.setSingleStep(SPIN_STEPS.get(choice.name, 1))
        box.setGroupSeparatorShown(True)
        return box
    box = QDoubleSpinBox()
    box.setDecimals(3)
    box.setRange(choice.low or 0.0, choice.high if choice.high is not None else 1e9)
    box.setSingleStep(0.05)
    return box


def _choice_text(name: str, value) -> str:
    if name == "image_size":
        return f"{value} × {value}"
    return str(value) if value != "" else "auto"


def _value(widget: QWidget):
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QComboBox):
        return widget.currentData()
    return widget.value()


def _set_value(widget: QWidget, value) -> None:
    if isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QComboBox):
        if widget.findData(value) >= 0:
            widget.setCurrentIndex(widget.findData(value))
    elif isinstance(widget, QSpinBox):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            widget.setValue(int(value))
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        widget.setValue(float(value))
