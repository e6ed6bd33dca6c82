"""The Train page's inputs: recipe, data set (dataset_picker), its loss and learning rates,
and the hyperparameters the recipe's family uses, generated from the one table in ml/training/config.py (hyperparameter_fields).

Paired recipes (pix2pix, pix2pixHD-lite) show what kind of paired folder is chosen and, for A|B folders, a direction.
Paired and speech recipes offer to make such a folder (data_prep_dialog: `make-pairs` / `make-speech-corpus`).
It remembers the choices in the injected QSettings and never touches the engine: the page turns them into a run.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QFormLayout, QLabel, QPushButton, QSpinBox, QWidget

from ganstudio.ui.widgets.data_prep_dialog import DataPrepDialog
from ganstudio.ui.widgets.dataset_picker import DatasetPicker
from ganstudio.ui.widgets.hyperparameter_fields import FieldSet
from ganstudio.ui.widgets.training_previews import GENERATED_TITLE

PREFIX = "train/"
TTUR_RATES = {"lr_g": 1e-4, "lr_d": 4e-4}  # Heusel et al.: D learns four times faster
DIRECTIONS = (("A → B (left half is the input)", "AtoB"), ("B → A (right half is the input)", "BtoA"))
PAIRS_TEXT = {
    "pix2pix": "pix2pix A|B folder. Every file is checked when you press Start.",
    "pix2pixhd": "pix2pixHD label/image folders. Every file is checked when you press Start.",
    None: "Not a paired folder: choose one with train/ (A|B images) or train_label/ + train_img/.",
    "no pairs": "Choose a paired folder: train/ with A|B images, or train_label/ + train_img/. “Make pairs from "
                "photos…” derives one from any photo folder (as `ganstudio make-pairs` does).",
    "speech": "Speech folder: clean speech with noise/ (mixed on the fly) or noisy/ (pairs).",
    "not speech": "Choose a speech folder: clean/ + noise/ or clean/ + noisy/. “Make a speech corpus…” builds one "
                  "from Debian's speech and noise packages (as `ganstudio make-speech-corpus` does).",
}
PREP_TEXT = {"pairs": ("Make pairs from photos…", "Derive an edge-map or label-map paired data set from a folder of "
                                                   "photos (as `ganstudio make-pairs` does)"),
             "speech": ("Make a speech corpus…", "Build a clean speech + noise corpus from Debian's speech and noise "
                                                 "packages (as `ganstudio make-speech-corpus` does)")}


class TrainForm(QWidget):
    learning_rates_changed = Signal(dict)  # {lr_g: …, lr_d: …}: applied mid-run by the page

    def __init__(self, recipes: list, datasets: list, dataset_defaults: Callable[[object], tuple[str, int]],
                 ask_folder: Callable[[], str | None], parent: QWidget | None = None, *,
                 hyperparameters: list = (), losses: dict | None = None,
                 paired_layout: Callable[[object], str | None] = lambda dataset: None,
                 data_kinds: Callable[[str], frozenset] = lambda folder: frozenset({"images"})) -> None:
        super().__init__(parent)
        self._recipes = {r.name: r for r in recipes}
        self._hyperparameters, self._losses = list(hyperparameters), dict(losses or {})
        self._dataset_defaults = dataset_defaults  # data set → (kind, default image size)
        self._paired_layout = paired_layout  # data set → "pix2pix" | "pix2pixhd" | None
        self.make_prep_dialog = DataPrepDialog  # (what, parent, pair_kind=…) → a dialog with `made`; tests replace it
        self.prep_dialog: DataPrepDialog | None = None
        self._direction_shown = self._was_paired = False
        self.recipe_box, self.dataset_box = QComboBox(), DatasetPicker(datasets, ask_folder, data_kinds)
        for r in recipes:
            self.recipe_box.addItem(r.title, r.name)
            self.recipe_box.setItemData(self.recipe_box.count() - 1, r.description, Qt.ItemDataRole.ToolTipRole)
        self.recipe_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.recipe_box.setMinimumContentsLength(14)
        self._build_spin_boxes()
        self._build_paired_rows()
        self._lay_out()
        self.recipe_box.currentIndexChanged.connect(self._on_recipe_box_changed)
        self.dataset_box.picked.connect(self._on_dataset_box_picked)
        self._on_recipe_box_changed()
        self._apply_data_defaults()

    def _build_spin_boxes(self) -> None:
        self.steps = _spin(1, 10_000_000, 1000, 10_000)
        self.loss_box = QComboBox()
        self.loss_box.currentIndexChanged.connect(self._on_loss_box_changed)
        titles = {key: title for r in self._recipes.values() for key, title in r.learning_rates}
        self.lr_fields: dict[str, QDoubleSpinBox] = {key: _lr_spin() for key in titles}
        self._lr_titles = titles
        for box in self.lr_fields.values():
            box.valueChanged.connect(self._on_lr_changed)

    def _build_paired_rows(self) -> None:
        self.direction = QComboBox()
        for text, value in DIRECTIONS:
            self.direction.addItem(text, value)
        self.direction.setToolTip("Which half of each A|B image is the input; the other half is the photo to learn")
        self.pairs_note = QLabel()
        self.pairs_note.setWordWrap(True)
        self.prep_button = QPushButton()
        self.prep_button.clicked.connect(self._on_prep_button_clicked)

    def _lay_out(self) -> None:
        form = self._form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        for label, widget in (("Recipe", self.recipe_box), ("Data set", self.dataset_box), ("", self.prep_button),
                              ("Direction", self.direction), ("Pairs", self.pairs_note), ("Steps", self.steps),
                              ("Loss", self.loss_box)):
            form.addRow(label, widget)
        for key, box in self.lr_fields.items():
            form.addRow(self._lr_titles[key], box)
            box.setToolTip(f"{self._lr_titles[key]}: the optimizer's learning rate; changes apply to a running run")
        self.fields = FieldSet(self._hyperparameters, form)  # batch size, image size, z size, widths, tricks, …
        self.steps.setToolTip("Train until this many D+G updates in total (a resumed run counts its earlier steps)")
        if "ttur" in self.fields.widgets:
            self.fields.widgets["ttur"].toggled.connect(self._on_ttur_toggled)
        if "preset" in self.fields.widgets:
            self.fields.widgets["preset"].currentIndexChanged.connect(self._on_preset_changed)

    def field(self, name: str) -> QWidget:
        """The editor of a hyperparameter (the table's name: batch_size, z_dim, lr_g, loss, …)."""
        return {**self.fields.widgets, **self.lr_fields, "loss": self.loss_box}[name]

    def is_shown(self, name: str) -> bool:
        return self._form.isRowVisible(self.field(name))

    # ---- values -------------------------------------------------------------------------------------------------
    def recipe(self) -> str:
        return self.recipe_box.currentData()

    def is_paired(self, recipe: str | None = None) -> bool:
        """The recipe (default: the chosen one) trains on (input, photo) pairs; its data set is checked first."""
        return bool(getattr(self._recipes.get(recipe or self.recipe()), "paired", False))

    def preview_title(self, recipe: str) -> str:
        return getattr(self._recipes.get(recipe), "preview_title", GENERATED_TITLE)

    def data_kind(self) -> str:
        """What the chosen recipe trains on: "images", "speech", "captions" or "pairs" (the picker lists only those)."""
        if self.is_paired():
            return "pairs"
        return getattr(self._recipes.get(self.recipe()), "data_kind", "images")

    def is_speech(self) -> bool:
        return self.data_kind() == "speech"

    def dataset(self):
        """The chosen DatasetSpec (built-in) or folder path (str)."""
        return self.dataset_box.dataset()

    def has_dataset(self) -> bool:
        return self.dataset_box.has_dataset()

    def dataset_slug(self) -> str:
        return self.dataset_box.slug()

    def overrides(self) -> dict:
        """The shown fields' values: what the chosen recipe uses (hidden rows belong to other families)."""
        values = {**self.fields.values(), **self.learning_rates(), "loss": self.loss_box.currentData()}
        if self._direction_shown:
            values["direction"] = self.direction.currentData()
        return values

    def learning_rates(self) -> dict[str, float]:
        return {key: box.value() for key, box in self.lr_fields.items() if self._form.isRowVisible(box)}

    def show_learning_rates(self, lrs: dict[str, float]) -> None:
        """What the run really uses (e.g. halved after a NaN rollback); emits no change back to the run."""
        for key, value in lrs.items():
            if key in self.lr_fields:
                self.lr_fields[key].blockSignals(True)
                self.lr_fields[key].setValue(float(value))
                self.lr_fields[key].blockSignals(False)

    def set_running(self, running: bool) -> None:
        """While a run goes on only the learning rates stay editable (they apply mid-run)."""
        for widget in (self.recipe_box, self.dataset_box, self.prep_button, self.direction, self.steps, self.loss_box):
            widget.setEnabled(not running)
        self.fields.set_enabled(not running)

    def show_config(self, config: dict, steps: int) -> None:
        """Show a run's settings (its data set is added to the picker if needed); emits no learning-rate change."""
        for box in self.lr_fields.values():
            box.blockSignals(True)
        try:
            self.recipe_box.setCurrentIndex(max(0, self.recipe_box.findData(config.get("recipe"))))
            self.dataset_box.select(config.get("dataset_path", ""))
            self._set_values(config)
            self._update_paired_rows()
        finally:
            for box in self.lr_fields.values():
                box.blockSignals(False)
        self.steps.setValue(steps)

    # ---- settings -----------------------------------------------------------------------------------------------
    def save_settings(self, settings: QSettings) -> None:
        values = {**self.overrides(), "recipe": self.recipe(), "steps": self.steps.value(),
                  "show_tricks": self.fields.tricks_toggle.isChecked(),
                  "direction": self.direction.currentData(),
                  "dataset": str(getattr(self.dataset(), "path", self.dataset())), "folders": self.dataset_box.folders()}
        for key, value in values.items():
            settings.setValue(PREFIX + key, json.dumps(value))

    def load_settings(self, settings: QSettings) -> None:
        values = {key.removeprefix(PREFIX): _loads(settings.value(key)) for key in settings.allKeys()
                  if key.startswith(PREFIX)}
        if "recipe" in values:
            self.recipe_box.setCurrentIndex(max(0, self.recipe_box.findData(values["recipe"])))
        for folder in values.get("folders") or []:
            if Path(folder).is_dir():
                self.dataset_box.add_folder(folder, select=False)
        if values.get("dataset"):
            self.dataset_box.select(values["dataset"])
        self._set_values(values)
        if isinstance(values.get("steps"), int):
            self.steps.setValue(values["steps"])
        self.fields.show_tricks(values.get("show_tricks") is True)
        self._update_paired_rows()

    # ---- slots and helpers --------------------------------------------------------------------------------------
    def _on_recipe_box_changed(self) -> None:
        recipe = self._recipes.get(self.recipe())
        if recipe is not None:
            self._fill_losses(recipe)
            self._set_values({k: v for k, v in recipe.defaults.items() if k not in ("image_size", "direction")})
            self.recipe_box.setToolTip(recipe.description)
            self.fields.show_family(recipe.family)
            declared = {key for key, _ in recipe.learning_rates}
            for key, box in self.lr_fields.items():
                self._form.setRowVisible(box, key in declared)
        self.dataset_box.show_kind(self.data_kind())
        if self.is_paired() != self._was_paired:  # paired recipes have their own sizes (128, 256)
            self._was_paired = self.is_paired()
            self._apply_data_defaults()
        elif recipe is not None:
            self._set_values(self._data_settings())  # the recipe's defaults were just put back: its data's on top
        self._update_paired_rows()

    def _on_dataset_box_picked(self) -> None:
        self._apply_data_defaults()
        self._update_paired_rows()

    def _on_prep_button_clicked(self) -> None:
        """A window-modal dialog (the page keeps drawing); its new folder is added to the picker and chosen."""
        if self.prep_dialog is not None:
            self.prep_dialog.deleteLater()  # closed, so idle: the button cannot be pressed while it is open
        what = "speech" if self.is_speech() else "pairs"
        kind = "labels" if self.recipe() == "pix2pixhd" else "edges"  # pix2pixHD-lite learns from label maps
        self.prep_dialog = self.make_prep_dialog(what, self, pair_kind=kind)
        self.prep_dialog.made.connect(self.dataset_box.add_new_folder)
        self.prep_dialog.open()

    def _on_lr_changed(self) -> None:
        self.learning_rates_changed.emit(self.learning_rates())

    def _fill_losses(self, recipe) -> None:
        """The recipe's losses, its default first; the row is hidden when there is no choice to make."""
        self.loss_box.blockSignals(True)
        self.loss_box.clear()
        for name in recipe.losses:
            loss = self._losses.get(name)
            self.loss_box.addItem(loss.title if loss else name, name)
            self.loss_box.setItemData(self.loss_box.count() - 1, loss.help if loss else "", Qt.ItemDataRole.ToolTipRole)
        self.loss_box.setCurrentIndex(max(0, self.loss_box.findData(recipe.defaults.get("loss"))))
        self.loss_box.blockSignals(False)
        self._form.setRowVisible(self.loss_box, len(recipe.losses) > 1)

    def _loss_settings(self, name: str | None) -> dict:
        """What choosing loss `name` sets: the recipe's values of everything any loss sets, then the loss's own."""
        recipe = self._recipes.get(self.recipe())
        if recipe is None:
            return {}
        keys = {key for loss in self._losses.values() for key in loss.defaults}
        chosen = self._losses.get(name)
        general = {**recipe.defaults, **self._data_settings_for(recipe)}
        return {**{k: general[k] for k in keys if k in general}, **(chosen.defaults if chosen else {})}

    def _on_loss_box_changed(self) -> None:
        self._set_values(self._loss_settings(self.loss_box.currentData()))
        self.loss_box.setToolTip(self.loss_box.currentData() and self.loss_box.itemData(
            self.loss_box.currentIndex(), Qt.ItemDataRole.ToolTipRole) or "")

    def _on_preset_changed(self) -> None:
        """A preset is a set of network sizes: choosing one fills them in (they stay editable)."""
        recipe = self._recipes.get(self.recipe())
        preset = self.fields.widgets["preset"].currentData()
        if recipe is not None and preset in recipe.presets:
            self.fields.set_values(recipe.presets[preset])

    def _on_ttur_toggled(self, on: bool) -> None:
        """TTUR is a pair of learning rates: on sets them, off puts back the recipe's (and its loss's)."""
        if on:
            self._set_values(TTUR_RATES)
        else:
            settings = self._loss_settings(self.loss_box.currentData())
            self._set_values({key: settings.get(key, self._recipes[self.recipe()].defaults.get(key))
                              for key in TTUR_RATES})

    def _apply_data_defaults(self) -> None:
        """The chosen data's image size and the recipe's settings for that kind of data (e.g. digits' learning
        rates), below the chosen loss's own settings (WGAN-GP keeps its 1e-4)."""
        recipe = self._recipes.get(self.recipe())
        if self.is_paired() and recipe is not None:
            self._set_values({"image_size": recipe.defaults.get("image_size")})
        elif self.has_dataset():
            self._set_values({"image_size": self._dataset_defaults(self.dataset())[1], **self._data_settings()})

    def _data_settings(self) -> dict:
        """Every setting the recipe varies by data kind, at its value for the chosen data (the recipe's general
        value for other data), minus what the chosen loss or TTUR sets itself (they come later, as in the engine)."""
        loss = self._losses.get(self.loss_box.currentData())
        ttur = self.fields.widgets.get("ttur")
        above = {*(loss.defaults if loss else ()), *(TTUR_RATES if ttur is not None and ttur.isChecked() else ())}
        settings = self._data_settings_for(self._recipes.get(self.recipe()))
        return {k: v for k, v in settings.items() if k not in above}

    def _data_settings_for(self, recipe) -> dict:
        if recipe is None or not recipe.data_defaults or not self.has_dataset():
            return {}
        varied = {key: recipe.defaults.get(key) for settings in recipe.data_defaults.values() for key in settings}
        return {**varied, **recipe.data_defaults.get(self._dataset_defaults(self.dataset())[0], {})}

    def _update_paired_rows(self) -> None:
        """Direction only for A|B folders of a paired recipe; the z size only where there is a z; no image size for
        speech (SEGAN trains on 16,384-sample windows)."""
        paired = self.is_paired()
        speech = self.is_speech()
        kind = (self._layout_kind() if self.has_dataset() else "no pairs") if paired else None
        self._direction_shown = kind == "pix2pix"
        self._form.setRowVisible(self.direction, self._direction_shown)
        if speech:
            kind = "speech" if self.has_dataset() and self.dataset_box.fits(self.dataset()) else "not speech"
        self._form.setRowVisible(self.pairs_note, paired or speech)
        self._form.setRowVisible(self.prep_button, paired or speech)
        text, tip = PREP_TEXT["speech" if speech else "pairs"]
        self.prep_button.setText(text)
        self.prep_button.setToolTip(tip)
        self._form.labelForField(self.pairs_note).setText("Speech" if speech else "Pairs")
        self.pairs_note.setText(PAIRS_TEXT[kind])
        self.pairs_note.setStyleSheet("" if kind in ("pix2pix", "pix2pixhd", "speech") else "color: #b00020;")

    def _layout_kind(self) -> str | None:
        if not self.has_dataset():
            return None
        try:
            return self._paired_layout(self.dataset())
        except OSError:  # an unplugged drive or a folder without read permission is simply "not paired"
            return None

    def _set_values(self, values: dict) -> None:
        if "loss" in values and self.loss_box.findData(values["loss"] or None) >= 0:
            self.loss_box.blockSignals(True)  # a stored config brings its own learning rates and n_critic
            self.loss_box.setCurrentIndex(self.loss_box.findData(values["loss"]))
            self.loss_box.blockSignals(False)
        self.fields.set_values(values)
        for key, box in self.lr_fields.items():
            if isinstance(values.get(key), (int, float)):
                box.setValue(float(values[key]))
        if self.direction.findData(values.get("direction")) >= 0:
            self.direction.setCurrentIndex(self.direction.findData(values["direction"]))


def _spin(low: int, high: int, step: int, value: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setSingleStep(step)
    box.setValue(value)
    box.setGroupSeparatorShown(True)
    return box


def _lr_spin() -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setDecimals(6)
    box.setRange(1e-6, 0.1)
    box.setSingleStep(5e-5)
    box.setValue(2e-4)
    box.setKeyboardTracking(False)  # one change per edit, not one per keystroke (each is applied to the run)
    return box


def _loads(value) -> object:
    try:
        return json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return None
