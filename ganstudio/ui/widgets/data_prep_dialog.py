"""The Train page's "Make pairs from photos…" and "Make a speech corpus…" dialog: the options of `ganstudio make-pairs`
and `make-speech-corpus`, the build on a worker thread with a progress bar and Cancel, and its errors said inline.

`made` carries the new data set folder once it is complete; a cancelled or failed build leaves no folder behind.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QGridLayout, QHBoxLayout,
                               QLabel, QLayout, QLineEdit, QProgressBar, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from ganstudio.paths import user_data_dir
from ganstudio.workers import data_prep_jobs
from ganstudio.workers.background_loader import ServiceThreads
from ganstudio.workers.named_jobs import NamedJobs

JOB = "prepare"
ERROR_STYLE = "color: #b00020;"
INTRO = {
    "pairs": "Derives training pairs from a folder of photos, as <code>ganstudio make-pairs</code> does: each photo "
             "is centre-cropped and its edge map or label map becomes the input the model learns to turn into the "
             "photo. Held-out photos go to the val split.",
    "speech": "Builds a denoising corpus from Debian's speech, text-to-speech and noise packages, as "
              "<code>ganstudio make-speech-corpus</code> does: clean speech and noise for training, and noisy "
              "mixtures of held-out speakers for previews and tests. With every package installed it takes many minutes.",
}
TITLES = {"pairs": ("Make pairs from photos", "Make pairs"), "speech": ("Make a speech corpus", "Build corpus")}


class DataPrepDialog(QDialog):
    made = Signal(str)  # the new data set folder, complete

    def __init__(self, what: str, parent: QWidget | None = None, *, pair_kind: str = "edges",
                 ask_folder: Callable[[str, str], str | None] | None = None, work: Callable | None = None) -> None:
        """`what`: "pairs" or "speech"; `ask_folder(title, start)` for the Browse buttons; `work` replaces the
        engine job (tests)."""
        super().__init__(parent)
        self.what = what
        self.work = work or (data_prep_jobs.make_pairs if what == "pairs" else data_prep_jobs.make_speech_corpus)
        self._ask_folder = ask_folder or self._folder_dialog
        self._threads = ServiceThreads()
        self.jobs = NamedJobs(self._threads, "data-prep", self)
        self._suggested = ""  # the output folder we filled in: replaced when the photos or the kind change
        self._close_when_stopped = False
        self._busy = False  # from start until the job's outcome arrives (a cancelled job still runs a moment)
        self.setWindowTitle(TITLES[what][0])
        self._build(pair_kind)
        self._connect()
        self._set_running(False)

    # ---- public ---------------------------------------------------------------------------------------------------
    def start(self) -> None:
        """Check the fields, then build on the worker thread."""
        self._show_status("")
        if self.what == "pairs" and not self.photos.text().strip():
            self._show_status("Choose the folder of photos first.", error=True)
            return
        if not self.output.text().strip():
            self._show_status("Choose an output folder first.", error=True)
            return
        self.progress.setValue(0)
        self.progress.show()
        self._busy = True
        self._set_running(True)
        self._show_status("Making pairs…" if self.what == "pairs" else "Building the corpus…")
        self.jobs.start(JOB, self.work, *self._arguments())

    def running(self) -> bool:
        """A build runs, or is stopping after Cancel."""
        return self._busy

    def cancel(self) -> None:
        if self.jobs.running(JOB):
            self.jobs.cancel(JOB)
            self.close_button.setEnabled(False)
            self._show_status("Cancelling…")

    def shutdown(self, timeout: float = 10.0) -> None:
        """Stop a build in progress and join its thread (tests; nothing of it is announced any more)."""
        self.jobs.cancel_all()
        self._threads.join(timeout)

    def reject(self) -> None:
        """Esc and the window's close button stop a build first; the dialog closes once it has stopped."""
        if self.running():
            self._close_when_stopped = True
            self.cancel()
            return
        super().reject()

    # ---- layout ---------------------------------------------------------------------------------------------------
    def _build(self, pair_kind: str) -> None:
        intro = QLabel(INTRO[self.what])
        intro.setWordWrap(True)
        intro.setMinimumWidth(540)  # sets the dialog's width: its layout fixes the minimum size (below)
        self.note = self._install_note()  # what is missing for the full speech corpus
        self.photos, self.output = QLineEdit(), QLineEdit()
        self.kind = QComboBox()
        for value, text in data_prep_jobs.PAIR_KINDS:
            self.kind.addItem(text, value)
        self.kind.setCurrentIndex(max(0, self.kind.findData(pair_kind)))
        self.size = _spin(16, 1024, 128, " px", "Photos are centre-cropped and resized to this size")
        self.holdout = _spin(0, 90, 10, " %", "Share of the photos written to the val split (chosen by file name)")
        self.seed = _spin(0, 2**31 - 1, 0, "", "Every random choice of the build comes from this seed")
        self.tts_per_voice = _spin(1, 1000, 40, "", "Synthetic utterances per text-to-speech voice")
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setFormat("%p%")
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox()
        self.start_button = self.buttons.addButton(TITLES[self.what][1], QDialogButtonBox.ButtonRole.ActionRole)
        # Not a reject button: while building it stops the build and the dialog stays to say so; then it closes.
        self.close_button = self.buttons.addButton("Close", QDialogButtonBox.ButtonRole.ActionRole)
        self.start_button.setDefault(True)
        column = QVBoxLayout(self)
        column.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # never squeezes the fields
        for widget in (intro, self.note):
            column.addWidget(widget)
        column.addLayout(self._form())
        for widget in (self.progress, self.status):
            column.addWidget(widget)
        column.addStretch(1)
        column.addWidget(self.buttons)

    def _install_note(self) -> QWidget:
        """The apt-get command on one line, to copy whole (a wrapped label breaks package names at their hyphens)."""
        note = QWidget()
        layout = QGridLayout(note)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addWidget(QLabel("Not every source is installed: a smaller corpus is built without them. For the full "
                                "corpus, install:", wordWrap=True), 0, 0, 1, 2)
        self.install_command = QLineEdit(readOnly=True)
        copy = QPushButton("Copy")
        copy.setToolTip("Copy the command to the clipboard")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.install_command.text()))
        layout.addWidget(self.install_command, 1, 0)
        layout.addWidget(copy, 1, 1)
        note.hide()
        return note

    def _form(self) -> QFormLayout:
        form = QFormLayout()
        self._browse_buttons: list[QPushButton] = []
        if self.what == "pairs":
            form.addRow("Photos", self._with_browse(self.photos, self._on_photos_browse_clicked))
            form.addRow("Kind", self.kind)
            form.addRow("Size", self.size)
            form.addRow("Held out", self.holdout)
        else:
            command = data_prep_jobs.speech_install_command()
            self.install_command.setText(command)
            self.install_command.setCursorPosition(0)  # the start of the command shows, not its end
            self.note.setVisible(bool(command))
            form.addRow("Seed", self.seed)
            form.addRow("TTS per voice", self.tts_per_voice)
            self._suggest_output(user_data_dir() / "data" / "speech-corpus")
        form.addRow("Output", self._with_browse(self.output, self._on_output_browse_clicked))
        self.output.setPlaceholderText("a new or empty folder")
        self.photos.setPlaceholderText("a folder of JPEG or PNG photos (subfolders are searched)")
        self._fields = [self.photos, self.kind, self.size, self.holdout, self.seed, self.tts_per_voice, self.output,
                        *self._browse_buttons]
        return form

    def _connect(self) -> None:
        self.start_button.clicked.connect(self.start)
        self.close_button.clicked.connect(self._on_close_button_clicked)
        self.photos.editingFinished.connect(self._on_photos_changed)
        self.kind.currentIndexChanged.connect(self._on_photos_changed)
        self.jobs.progressed.connect(self._on_jobs_progressed)
        self.jobs.done.connect(self._on_jobs_done)
        self.jobs.failed.connect(self._on_jobs_failed)
        self.jobs.cancelled.connect(self._on_jobs_cancelled)

    # ---- slots ----------------------------------------------------------------------------------------------------
    def _on_photos_browse_clicked(self) -> None:
        folder = self._ask_folder("Choose the folder of photos", self.photos.text() or str(Path.home()))
        if folder:
            self.photos.setText(folder)
            self._on_photos_changed()

    def _on_output_browse_clicked(self) -> None:
        """An empty folder is used as it is; in any other folder a new one is suggested."""
        start = str(Path(self.output.text()).parent) if self.output.text() else str(Path.home())
        folder = self._ask_folder("Choose where to write the new data set", start)
        if folder:
            empty = Path(folder).is_dir() and not any(Path(folder).iterdir())
            self.output.setText(folder if empty else str(_unused(Path(folder) / self._default_name())))
            self._suggested = ""

    def _on_photos_changed(self) -> None:
        """Suggest `<photos>-edges` beside the photos, unless the user typed an output folder of their own."""
        photos = self.photos.text().strip()
        if photos and self.output.text() in ("", self._suggested):
            self._suggest_output(Path(photos).parent / self._default_name())

    def _on_close_button_clicked(self) -> None:
        if self.running():
            self.cancel()
        else:
            self.reject()

    def _on_jobs_progressed(self, name: str, fraction: float) -> None:
        self.progress.setValue(round(fraction * self.progress.maximum()))

    def _on_jobs_done(self, name: str, prepared) -> None:
        self._busy = False
        self._set_running(False)
        self.progress.setValue(self.progress.maximum())
        self._show_status(f"{prepared.summary}\nIt is now the chosen data set.")
        self.made.emit(prepared.folder)
        self._close_if_asked()

    def _on_jobs_failed(self, name: str, message: str) -> None:
        self._busy = False
        self._set_running(False)
        self.progress.hide()
        self._show_status(message, error=True)
        self._close_if_asked()

    def _on_jobs_cancelled(self, name: str) -> None:
        self._busy = False
        self._set_running(False)
        self.progress.hide()
        self._show_status("Cancelled: nothing was written.")
        self._close_if_asked()

    # ---- helpers --------------------------------------------------------------------------------------------------
    def _arguments(self) -> tuple:
        out = self.output.text().strip()
        if self.what == "pairs":
            return (self.photos.text().strip(), out, self.kind.currentData(), self.size.value(),
                    self.holdout.value() / 100)
        return out, self.seed.value(), self.tts_per_voice.value()

    def _default_name(self) -> str:
        if self.what == "speech":
            return "speech-corpus"
        return f"{Path(self.photos.text().strip()).name or 'photos'}-{self.kind.currentData()}"

    def _suggest_output(self, folder: Path) -> None:
        self._suggested = str(_unused(folder))
        self.output.setText(self._suggested)

    def _set_running(self, running: bool) -> None:
        for widget in self._fields:
            widget.setEnabled(not running)
        self.start_button.setEnabled(not running)
        self.close_button.setEnabled(True)
        self.close_button.setText("Cancel" if running else "Close")

    def _show_status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(ERROR_STYLE if error else "")
        if self.isVisible():
            self.adjustSize()  # a wrapped label's height is not in the layout's minimum: grow to show it all

    def _close_if_asked(self) -> None:
        if self._close_when_stopped:
            self._close_when_stopped = False
            super().reject()

    def _with_browse(self, line: QLineEdit, on_click: Callable[[], None]) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        button = QPushButton("Browse…")
        button.clicked.connect(on_click)
        self._browse_buttons.append(button)
        layout.addWidget(line, 1)
        layout.addWidget(button)
        return row

    def _folder_dialog(self, title: str, start: str) -> str | None:
        return QFileDialog.getExistingDirectory(self, title, start) or None


def _spin(low: int, high: int, value: int, suffix: str, tip: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    box.setSuffix(suffix)
    box.setToolTip(tip)
    return box


def _unused(folder: Path) -> Path:
    """`folder`, or `folder-2`, `-3`, … when it exists and is not empty (a build never writes into a full folder)."""
    candidate, n = folder, 1
    while candidate.exists() and (not candidate.is_dir() or any(candidate.iterdir())):
        n += 1
        candidate = folder.with_name(f"{folder.name}-{n}")
    return candidate
