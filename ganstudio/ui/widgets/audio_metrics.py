"""The Denoise page's scores: load a clean reference (or make the input by adding a noise at a chosen SNR to a clean
clip) and see SNR, segmental SNR, wide-band PESQ and STOI of the noisy input beside the denoised result."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFileDialog, QFormLayout,
                               QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from ganstudio.core.speech.noise_mix import TEST_NOISES
from ganstudio.workers.denoise_jobs import METRIC_NAMES

COLUMNS = ("noisy", "denoised")
FORMATS = {"snr_db": "{:.1f}", "ssnr_db": "{:.1f}", "pesq_wb": "{:.2f}", "stoi": "{:.3f}"}
NOISE_FILE = "From a file…"
AUDIO_FILTER = "Audio (*.wav *.flac *.ogg *.oga);;All files (*)"
BETTER, WORSE = QColor("#2e7d32"), QColor("#c62828")


class MetricsPanel(QGroupBox):
    reference_requested = Signal()
    add_noise_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Scores against a clean reference", parent)
        self.reference_button = QPushButton("Load clean reference…")
        self.reference_button.setToolTip("The clean recording of the same take, to score noisy and denoised against")
        self.noise_button = QPushButton("Add noise…")
        self.noise_button.setToolTip("Treat the current clip as clean: mix a noise into it at a chosen SNR, "
                                     "denoise the mix, and score against the clean clip")
        self.reference = QLabel("No reference loaded.")
        self.reference.setWordWrap(True)
        self.table = QTableWidget(len(METRIC_NAMES), len(COLUMNS))
        self.table.setVerticalHeaderLabels(list(METRIC_NAMES.values()))
        self.table.setHorizontalHeaderLabels([c.capitalize() for c in COLUMNS])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setFixedHeight(self.table.verticalHeader().length() + self.table.horizontalHeader().height() + 4)
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #616161;")
        # the splitter's side column does not ask wrapped labels for their height: room for three lines, always
        self.note.setMinimumHeight(3 * self.note.fontMetrics().lineSpacing() + 4)
        self.note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reference_button)
        buttons.addWidget(self.noise_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.reference)
        layout.addWidget(self.table)
        layout.addWidget(self.note)
        self.reference_button.clicked.connect(self.reference_requested)
        self.noise_button.clicked.connect(self.add_noise_requested)
        self.clear_scores()

    def set_reference(self, text: str) -> None:
        self.reference.setText(text or "No reference loaded.")

    def clear_scores(self, note: str = "") -> None:
        for row in range(self.table.rowCount()):
            for column in range(self.table.columnCount()):
                self._set(row, column, "—")
        self.note.setText(note)
        self.note.setToolTip(note)

    def show_computing(self) -> None:
        self.clear_scores("Computing the scores…")

    def show_scores(self, scores) -> None:
        """workers.denoise_jobs.Scores: each metric for the clips scored; better/worse marked on the denoised."""
        self.clear_scores(" ".join(scores.notes))
        for row, key in enumerate(METRIC_NAMES):
            for column, name in enumerate(COLUMNS):
                value = scores.table.get(name, {}).get(key)
                if value is not None:
                    self._set(row, column, FORMATS[key].format(value))
            self._mark(row, scores.table.get("noisy", {}).get(key), scores.table.get("denoised", {}).get(key))

    def value(self, key: str, column: str) -> str:
        """The shown text of a metric ("pesq_wb") for a column ("noisy" / "denoised")."""
        return self.table.item(list(METRIC_NAMES).index(key), COLUMNS.index(column)).text()

    def _set(self, row: int, column: int, text: str) -> None:
        item = QTableWidgetItem(text)
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table.setItem(row, column, item)

    def _mark(self, row: int, noisy: float | None, denoised: float | None) -> None:
        if noisy is not None and denoised is not None and denoised != noisy:
            self.table.item(row, 1).setForeground(BETTER if denoised > noisy else WORSE)


class AddNoiseDialog(QDialog):
    """Choose a noise (a synthetic one by name, or a file) and the SNR to mix it at."""

    def __init__(self, start_folder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add noise to the clean clip")
        self._start_folder, self.noise_path = start_folder, ""
        self.noise = QComboBox()
        self.noise.addItems([*TEST_NOISES, NOISE_FILE])
        self.snr = QDoubleSpinBox()
        self.snr.setRange(0.0, 20.0)
        self.snr.setSingleStep(1.0)
        self.snr.setValue(5.0)
        self.snr.setSuffix(" dB")
        form = QFormLayout(self)
        form.addRow("Noise", self.noise)
        form.addRow("SNR", self.snr)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.noise.activated.connect(self._on_noise_activated)

    def _on_noise_activated(self, _index: int) -> None:
        if self.noise.currentText() != NOISE_FILE:
            return
        path, _ = QFileDialog.getOpenFileName(self, "Choose a noise recording", self._start_folder, AUDIO_FILTER)
        if path:
            self.noise_path = path
            self.noise.setItemText(self.noise.count() - 1, Path(path).name)
        else:
            self.noise.setCurrentIndex(0)

    def choice(self) -> tuple[str, float]:
        """(a synthetic noise's name or a noise file's path, SNR in dB)."""
        index = self.noise.currentIndex()
        noise = self.noise_path if index == self.noise.count() - 1 else self.noise.currentText()
        return noise, float(self.snr.value())
