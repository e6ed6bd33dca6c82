"""The Prompt page: type a flower, get flowers (GAN-CLS). The grid follows the typing through the PromptService (the
latest request wins, so keystrokes never wait on the model) and keeps its z while the text changes; a seed and a
re-roll change z. Unknown words are named under the box, the vocabulary is one click away; a second prompt and a
slider blend the two embeddings (exported as a GIF), a box does embedding arithmetic; a clicked image shows its
nearest training photos; the grid, one image and the prompt history can be saved."""

from __future__ import annotations

import random

import numpy as np
from PySide6.QtCore import QEvent, QSettings, Qt, QTimer
from PySide6.QtWidgets import (QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QMenu, QPushButton, QSlider,
                               QSpinBox, QVBoxLayout, QWidget)

from ganstudio.core.atomic import write_text_atomic
from ganstudio.core.errors import StudioError
from ganstudio.core.sketch.sketch_io import save_png
from ganstudio.ui.pages.model_page import ModelPage
from ganstudio.ui.widgets.latent_point_controls import ask_file
from ganstudio.ui.widgets.prompt_grid import PromptGrid
from ganstudio.ui.widgets.prompt_history import PromptHistory, entries_from_json
from ganstudio.ui.widgets.prompt_model_bar import PromptModelBar
from ganstudio.ui.widgets.prompt_neighbours import NeighboursPanel
from ganstudio.ui.widgets.prompt_vocabulary import VocabularyDialog
from ganstudio.ui.widgets.shortcuts import add_shortcuts
from ganstudio.workers.prompt_service import (ARITHMETIC, GET_A_MODEL, GIF_FRAMES, PROMPT, PromptModelInfo,
                                              PromptRequest, PromptResult, PromptService, grid_image)

COUNTS = (4, 8, 16)
DEFAULT_PROMPT = "a red rose with green leaves"
MAX_SEED = 2**31 - 1
HISTORY_PAUSE_MS = 1200  # a prompt joins the history once the typing pauses this long (or on Enter)
NOTE_STYLE = "color: #8a5a00;"


def equation(terms) -> str:
    """[(1, "red rose"), (-1, "red"), (1, "yellow")] → “red rose” − “red” + “yellow”"""
    parts = []
    for i, (sign, text) in enumerate(terms):
        op = ("− " if sign < 0 else "") if i == 0 else ("− " if sign < 0 else "+ ")
        parts.append(f"{op}“{text}”")
    return " ".join(parts)


class PromptPage(ModelPage):
    model_bar_class = PromptModelBar
    loading_text = "Loading the text-to-image model…"
    no_model_text = GET_A_MODEL

    def __init__(self, settings: QSettings, parent: QWidget | None = None, service: PromptService | None = None) -> None:
        super().__init__(settings, parent)
        self.service = service or PromptService(self)
        self.info: PromptModelInfo | None = None
        self.result: PromptResult | None = None  # the grid shown
        self.arithmetic_result: PromptResult | None = None
        self.last_request_id = self.last_shown_id = -1
        self.last_arithmetic_id = self.arithmetic_shown_id = -1
        self.vocabulary_dialog: VocabularyDialog | None = None
        self._history_kind = PROMPT  # what the history records when typing pauses: the prompt or the arithmetic
        self._history_timer = QTimer(self, singleShot=True, interval=HISTORY_PAUSE_MS)
        self._history_timer.timeout.connect(self.record_history)
        self._build()
        self._target_box = self.prompt_box  # where a vocabulary word goes: the prompt box last focused
        self._connect()
        add_shortcuts(self, (("Ctrl+R", self.reroll), ("Ctrl+S", self._on_save_grid_clicked)))
        self._restore_settings()
        self.model_bar.list_models()
        if not self.model_bar.paths():
            self.grid.set_placeholder(GET_A_MODEL)
        self._update_controls()

    # ---- layout ---------------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.prompt_box = QLineEdit()
        self.prompt_box.setPlaceholderText("Describe a flower, e.g. a red rose with green leaves")
        self.prompt_box.setClearButtonEnabled(True)
        self.vocabulary_button = QPushButton("Vocabulary…")
        self.vocabulary_button.setToolTip("The words this model knows, grouped; click one to insert it")
        self.messages = QLabel("")
        self.messages.setWordWrap(True)
        self.messages.setStyleSheet(NOTE_STYLE)
        self.to_box = QLineEdit()
        self.to_box.setPlaceholderText("optional: a second prompt to blend towards with the slider")
        self.to_box.setClearButtonEnabled(True)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 100)
        self.slider.setToolTip("0: the prompt; 1: the second prompt; between: the generator sees the blended embedding")
        self.weight_label = QLabel("0.00")
        self.weight_label.setMinimumWidth(34)
        self.gif_button = QPushButton("Export GIF…")
        self.gif_button.setToolTip(f"The sweep from the prompt to the second prompt, {GIF_FRAMES} frames")
        self.count = QComboBox()
        for n in COUNTS:
            self.count.addItem(f"{n} images", n)
        self.seed = QSpinBox()
        self.seed.setRange(0, MAX_SEED)
        self.seed.setKeyboardTracking(False)
        self.seed.setPrefix("seed ")
        self.seed.setToolTip("The seed of the grid's z: the same seed keeps the same z while you edit the prompt")
        self.reroll_button = QPushButton("Re-roll")
        self.reroll_button.setToolTip("New random z for the grid (Ctrl+R)")
        self.save_grid_button = QPushButton("Save grid…")
        self.save_grid_button.setToolTip("Save the grid as a PNG (Ctrl+S)")
        self.save_image_button = QPushButton("Save image…")
        self.save_image_button.setToolTip("Save the selected image (click one; or right-click it)")
        self.grid = PromptGrid("Pick a text-to-image model above.")
        self.arithmetic_box = QLineEdit()
        self.arithmetic_box.setPlaceholderText("embedding arithmetic, e.g. red rose - red + yellow")
        self.arithmetic_box.setClearButtonEnabled(True)
        self.equation = QLabel("")
        self.equation.setWordWrap(True)
        self.arithmetic_grid = PromptGrid("Write prompts joined by + and − (spaces around them).")
        self.arithmetic_grid.setMaximumHeight(190)
        self.neighbours = NeighboursPanel()
        self.history = PromptHistory()
        self.save_history_button = QPushButton("Save history…")
        body = QHBoxLayout()
        body.addLayout(self._main_column(), 3)
        body.addLayout(self._side_column(), 1)
        self.lay_out((body, 1))

    def _main_column(self) -> QVBoxLayout:
        rows = QGridLayout()
        rows.addWidget(QLabel("Prompt"), 0, 0)
        rows.addWidget(self.prompt_box, 0, 1)
        rows.addWidget(self.vocabulary_button, 0, 2)
        rows.addWidget(self.messages, 1, 1, 1, 2)
        rows.addWidget(QLabel("to"), 2, 0)
        blend = QHBoxLayout()
        blend.addWidget(self.to_box, 3)
        blend.addWidget(self.slider, 2)
        blend.addWidget(self.weight_label)
        rows.addLayout(blend, 2, 1)
        rows.addWidget(self.gif_button, 2, 2)
        options = QHBoxLayout()
        for widget in (self.count, self.seed, self.reroll_button):
            options.addWidget(widget)
        options.addStretch(1)
        options.addWidget(self.save_grid_button)
        options.addWidget(self.save_image_button)
        arithmetic = QHBoxLayout()
        arithmetic.addWidget(QLabel("Arithmetic"))
        arithmetic.addWidget(self.arithmetic_box, 1)
        column = QVBoxLayout()
        column.addLayout(rows)
        column.addLayout(options)
        column.addWidget(self.grid, 1)
        column.addLayout(arithmetic)
        column.addWidget(self.equation)
        column.addWidget(self.arithmetic_grid)
        return column

    def _side_column(self) -> QVBoxLayout:
        header = QHBoxLayout()
        header.addWidget(QLabel("<b>History</b>"))
        header.addStretch(1)
        header.addWidget(self.save_history_button)
        column = QVBoxLayout()
        column.addWidget(self.neighbours, 3)
        column.addLayout(header)
        column.addWidget(self.history, 2)
        return column

    def _connect(self) -> None:
        s = self.service
        self.connect_model(s.model_loaded)
        s.rendered.connect(self._on_service_rendered)
        s.render_failed.connect(self._on_service_render_failed)
        s.neighbours_ready.connect(self.neighbours.show_neighbours)
        s.neighbours_failed.connect(lambda message: self.neighbours.show_message(message, error=True))
        s.exported.connect(self._on_service_exported)
        s.export_failed.connect(self._on_service_export_failed)
        for box in (self.prompt_box, self.to_box):
            box.textChanged.connect(self._on_prompt_changed)
            box.returnPressed.connect(lambda: self.record_history(PROMPT))
            box.installEventFilter(self)
        self.arithmetic_box.textChanged.connect(self._on_arithmetic_changed)
        self.arithmetic_box.returnPressed.connect(lambda: self.record_history(ARITHMETIC))
        self.arithmetic_box.installEventFilter(self)
        self.slider.valueChanged.connect(self._on_slider_value_changed)
        self.count.currentIndexChanged.connect(self._on_z_changed)
        self.seed.valueChanged.connect(self._on_z_changed)
        self.reroll_button.clicked.connect(self.reroll)
        self.vocabulary_button.clicked.connect(self.show_vocabulary)
        self.gif_button.clicked.connect(self._on_gif_clicked)
        self.save_grid_button.clicked.connect(self._on_save_grid_clicked)
        self.save_image_button.clicked.connect(self._on_save_image_clicked)
        self.save_history_button.clicked.connect(self._on_save_history_clicked)
        self.grid.image_clicked.connect(self.find_neighbours)
        self.grid.image_menu_requested.connect(self._on_grid_image_menu_requested)
        self.history.entry_chosen.connect(self.restore_entry)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt naming)
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QLineEdit):
            self._target_box = watched
        return super().eventFilter(watched, event)

    def show_placeholder(self, text: str) -> None:
        if self.result is None:
            self.grid.set_placeholder(text)

    # ---- settings ---------------------------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        s = self.settings
        widgets = (self.prompt_box, self.to_box, self.arithmetic_box, self.slider, self.count, self.seed)
        for widget in widgets:
            widget.blockSignals(True)
        self.prompt_box.setText(str(s.value("prompt/text", DEFAULT_PROMPT)))
        self.to_box.setText(str(s.value("prompt/to", "")))
        self.arithmetic_box.setText(str(s.value("prompt/arithmetic", "red rose - red + yellow")))
        self.slider.setValue(int(s.value("prompt/weight", 0)))
        self.count.setCurrentIndex(max(0, self.count.findData(int(s.value("prompt/count", 8)))))
        self.seed.setValue(int(s.value("prompt/seed", 0)))
        for widget in widgets:
            widget.blockSignals(False)
        self.weight_label.setText(f"{self.weight():.2f}")
        self.history.set_entries(entries_from_json(str(s.value("prompt/history", "[]"))))

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("prompt/text", self.prompt_box.text())
        s.setValue("prompt/to", self.to_box.text())
        s.setValue("prompt/arithmetic", self.arithmetic_box.text())
        s.setValue("prompt/weight", self.slider.value())
        s.setValue("prompt/count", self.count_value())
        s.setValue("prompt/seed", self.seed.value())
        s.setValue("prompt/history", self.history.to_json())

    # ---- the model --------------------------------------------------------------------------------------------
    def model_ready(self, info: PromptModelInfo) -> None:
        self.vocabulary_dialog = None  # the next one lists this model's words
        self.grid.set_placeholder("Rendering…")
        self.neighbours.show_message("Click a generated image to see the training photos closest to it.")
        self._update_controls()
        self.render()
        self.render_arithmetic()

    # ---- requests ---------------------------------------------------------------------------------------------
    def count_value(self) -> int:
        return int(self.count.currentData())

    def weight(self) -> float:
        return self.slider.value() / 100.0

    def request(self) -> PromptRequest:
        return PromptRequest(self.prompt_box.text(), self.seed.value(), self.count_value(), PROMPT,
                             self.to_box.text(), self.weight())

    def render(self) -> None:
        if not self._shut_down and self.service.has_model:
            self.last_request_id = self.service.render(self.request())

    def render_arithmetic(self) -> None:
        if self._shut_down or not self.service.has_model:
            return
        if not self.arithmetic_box.text().strip():
            self.arithmetic_result = None
            self.equation.setText("")
            self.arithmetic_grid.clear("Write prompts joined by + and − (spaces around them), e.g. "
                                       "red rose - red + yellow.")
            return
        request = PromptRequest(self.arithmetic_box.text(), self.seed.value(), self.count_value(), ARITHMETIC)
        self.last_arithmetic_id = self.service.render(request)

    def _on_prompt_changed(self, _text: str = "") -> None:
        self._update_controls()
        self.render()
        self._remember_later(PROMPT)

    def _on_arithmetic_changed(self, _text: str = "") -> None:
        self.render_arithmetic()
        self._remember_later(ARITHMETIC)

    def _remember_later(self, kind: str) -> None:
        self._history_kind = kind
        self._history_timer.start()

    def _on_slider_value_changed(self, _value: int) -> None:
        self.weight_label.setText(f"{self.weight():.2f}")
        if self.to_box.text().strip():
            self.render()
            self._remember_later(PROMPT)

    def _on_z_changed(self, *_args) -> None:
        self.render()
        self.render_arithmetic()
        self._history_timer.start()  # the seed or count of whichever was edited last

    def reroll(self) -> None:
        """A new random seed, so a new z for both grids (Ctrl+R)."""
        self.seed.setValue(random.randrange(MAX_SEED))

    def _update_controls(self) -> None:
        blending = bool(self.to_box.text().strip())
        self.slider.setEnabled(blending)
        self.gif_button.setEnabled(blending and self.info is not None)
        self.save_grid_button.setEnabled(self.result is not None)
        self.save_image_button.setEnabled(self.grid.selected_image() is not None)

    # ---- results ----------------------------------------------------------------------------------------------
    def _on_service_rendered(self, request_id: int, result: PromptResult) -> None:
        if result.request.mode == ARITHMETIC:
            self.arithmetic_shown_id, self.arithmetic_result = request_id, result
            self.arithmetic_grid.set_images(result.images)
            text = f"{equation(result.terms)} ="
            self.equation.setText(text + ("\n" + "\n".join(result.messages) if result.messages else ""))
            self.equation.setStyleSheet("")
            return
        self.last_shown_id, self.result = request_id, result
        self.grid.set_images(result.images)
        self.messages.setText("\n".join(result.messages))
        self.show_status(f"{len(result.images)} images in {result.ms:.0f} ms")
        self._update_controls()

    def _on_service_render_failed(self, mode: str, request_id: int, message: str) -> None:
        if mode == ARITHMETIC:
            self.arithmetic_shown_id = request_id
            self.arithmetic_result = None
            self.arithmetic_grid.clear("")
            self.equation.setText(message)
            self.equation.setStyleSheet("color: #b00020;")
        else:
            self.last_shown_id = request_id
            self.show_status(message, error=True)

    # ---- vocabulary, neighbours, history ----------------------------------------------------------------------
    def show_vocabulary(self) -> VocabularyDialog | None:
        if self.info is None:
            self.show_status("Load a model first: the vocabulary is the words its captions used.", error=True)
            return None
        if self.vocabulary_dialog is None:
            self.vocabulary_dialog = VocabularyDialog(self.info.vocabulary, self)
            self.vocabulary_dialog.word_chosen.connect(self.insert_word)
        self.vocabulary_dialog.show()
        return self.vocabulary_dialog

    def insert_word(self, word: str) -> None:
        """Put `word` into the prompt box last used, at its cursor, with a space on either side as needed."""
        box = self._target_box
        text, at = box.text(), box.cursorPosition()
        before = " " if at > 0 and not text[at - 1].isspace() else ""
        after = " " if at < len(text) and not text[at].isspace() else ""
        box.insert(f"{before}{word}{after}")

    def find_neighbours(self, index: int) -> None:
        image = self.grid.images[index] if self.grid.images is not None and index < len(self.grid.images) else None
        self._update_controls()
        if image is not None:
            self.neighbours.show_message(f"Looking for the training photos nearest to image {index + 1}… (the first "
                                         "time, the whole data set is read and embedded)")
            self.service.find_neighbours(index, image)

    def _on_grid_image_menu_requested(self, index: int, position) -> None:
        self._update_controls()
        menu = QMenu(self)
        menu.addAction("Save this image…", self._on_save_image_clicked)
        menu.addAction("Nearest training photos", lambda: self.find_neighbours(index))
        menu.popup(position)

    def history_entry(self, kind: str = PROMPT) -> dict:
        if kind == ARITHMETIC:
            return {"mode": ARITHMETIC, "text": self.arithmetic_box.text(), "seed": self.seed.value(),
                    "count": self.count_value()}
        entry = {"text": self.prompt_box.text(), "seed": self.seed.value(), "count": self.count_value()}
        if self.to_box.text().strip():
            entry.update(to=self.to_box.text(), weight=self.weight())
        return entry

    def record_history(self, kind: str | None = None) -> None:
        """Put the prompt (or the arithmetic, kind=ARITHMETIC) on top of the history; by default what was edited
        last."""
        self._history_timer.stop()
        if self.history.record(self.history_entry(kind or self._history_kind)):
            self.save_settings()

    def restore_entry(self, entry: dict) -> None:
        """Go back to a history entry: its prompt (or expression), seed and count."""
        self.count.blockSignals(True)
        self.seed.blockSignals(True)
        self.count.setCurrentIndex(max(0, self.count.findData(int(entry.get("count", 8)))))
        self.seed.setValue(int(entry.get("seed", 0)))
        self.count.blockSignals(False)
        self.seed.blockSignals(False)
        if entry.get("mode") == ARITHMETIC:
            self.arithmetic_box.setText(str(entry.get("text", "")))
        else:
            self.to_box.blockSignals(True)
            self.to_box.setText(str(entry.get("to", "")))
            self.slider.setValue(round(float(entry.get("weight", 0)) * 100))
            self.to_box.blockSignals(False)
            self.prompt_box.setText(str(entry.get("text", "")))
        self._history_timer.stop()
        self._update_controls()
        self.render()
        self.render_arithmetic()

    # ---- files ------------------------------------------------------------------------------------------------
    def _ask(self, title: str, kind: str, suffix: str) -> str:
        return ask_file(self, self.settings, title, kind, suffix, save=True)

    def _on_save_grid_clicked(self) -> None:
        if self.result is not None:
            path = self._ask("Save the grid", "PNG image", ".png")
            if path:
                self.save_grid(path)

    def _on_save_image_clicked(self) -> None:
        if self.grid.selected_image() is not None:
            path = self._ask("Save the image", "PNG image", ".png")
            if path:
                self.save_image(path)

    def _on_save_history_clicked(self) -> None:
        path = self._ask("Save the prompt history", "Prompt history", ".json")
        if path:
            self.save_history(path)

    def _write(self, what: str, path: str, write) -> bool:
        try:
            write()
        except StudioError as err:
            self.show_status(str(err), error=True)
            return False
        self.show_status(f"Saved {what} to {path}")
        return True

    def save_grid(self, path: str) -> bool:
        return self.result is not None and self._write("the grid", path,
                                                       lambda: save_png(grid_image(self.result.images), path))

    def save_image(self, path: str, index: int | None = None) -> bool:
        image = self.grid.images[index] if index is not None and self.grid.images is not None \
            else self.grid.selected_image()
        return image is not None and self._write("the image", path, lambda: save_png(np.asarray(image), path))

    def save_history(self, path: str) -> bool:
        return self._write("the prompt history", path, lambda: write_text_atomic(path, self.history.to_json()))

    def _on_gif_clicked(self) -> None:
        path = self._ask("Export the interpolation as GIF", "Animated GIF", ".gif")
        if path:
            self.export_gif(path)

    def export_gif(self, path: str) -> None:
        if not self.to_box.text().strip():
            self.show_status("Write a second prompt in “to” first: the GIF sweeps from one prompt to the other.",
                             error=True)
            return
        self.gif_button.setEnabled(False)
        self.show_status(f"Exporting a {GIF_FRAMES}-frame GIF…")
        self.service.export_gif(path, self.request(), GIF_FRAMES)

    def _on_service_exported(self, path: str) -> None:
        self._update_controls()
        self.show_status(f"Saved the interpolation ({GIF_FRAMES} frames) to {path}")

    def _on_service_export_failed(self, message: str) -> None:
        self._update_controls()
        self.show_status(message, error=True)

    def before_shutdown(self) -> None:
        self._history_timer.stop()
        self.save_settings()
