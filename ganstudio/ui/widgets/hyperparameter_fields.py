"""Form rows generated from the hyperparameter table (ml/training/config.py, via workers/catalog.py): one editor per row,
chosen by the value's type, with the table's range, choices and help as its limits and tooltip."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QSpinBox, QWidget

SPIN_STEPS = {"batch_size": 8, "z_dim": 8, "ngf": 8, "ndf": 8, "preview_every": 10}


class FieldSet:
    """The generated editors, laid out as rows of an existing QFormLayout (shown per recipe family)."""

    def __init__(self, choices: list, layout: QFormLayout) -> None:
        self._choices = {c.name: c for c in choices}
        self._layout = layout
        self._family, self._tricks_shown = "", False
        self.widgets: dict[str, QWidget] = {}
        self.tricks_toggle = QCheckBox("Show the book's tricks (ch. 5)")
        self.tricks_toggle.setToolTip("TTUR, spectral norm, minibatch std, label smoothing, instance noise, feature "
                                      "matching: all off by default")
        self.tricks_toggle.toggled.connect(self.show_tricks)
        for choice in choices:
            if choice.trick and self._layout.indexOf(self.tricks_toggle) < 0:  # the fold opens above the first trick
                layout.addRow("Tricks", self.tricks_toggle)
            widget = self.widgets[choice.name] = _editor(choice)
            widget.setToolTip(choice.help[:1].upper() + choice.help[1:])
            layout.addRow(choice.title, widget)

    def show_family(self, family: str) -> None:
        self._family = family
        for name, widget in self.widgets.items():
            choice = self._choices[name]
            self._layout.setRowVisible(widget, family in choice.families and (self._tricks_shown or not choice.trick))
        has_tricks = any(c.trick and family in c.families for c in self._choices.values())
        if self._layout.indexOf(self.tricks_toggle) >= 0:
            self._layout.setRowVisible(self.tricks_toggle, has_tricks)

    def show_tricks(self, shown: bool) -> None:
        """Unfold (or fold) the tricks' rows; folded ones keep their values and still apply."""
        self._tricks_shown = shown
        self.tricks_toggle.setChecked(shown)
        self.show_family(self._family)

    def applies(self, name: str) -> bool:
        """The row belongs to the chosen recipe's family (shown, or folded under Tricks)."""
        return name in self.widgets and self._family in self._choices[name].families

    def is_shown(self, name: str) -> bool:
        return name in self.widgets and self._layout.isRowVisible(self.widgets[name])

    def values(self) -> dict:
        """The values of the rows that apply to the chosen recipe (other families' rows do not)."""
        return {name: _value(widget) for name, widget in self.widgets.items() if self.applies(name)}

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
