"""The paired data set check before a pix2pix / pix2pixHD run: it reads every file on a background thread, then
lets the run start when there are no problems, or asks the user whether to train anyway (bad files are skipped)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from ganstudio.workers.latest_wins import LatestWinsRunner


class DataCheckGate(QObject):
    noted = Signal(str)  # a line for the run log: the report, then what was decided
    passed = Signal(object)  # the report (core.paired_check.PairedReport): no problems, or "train anyway"
    refused = Signal(str)  # the check failed (its error text), or "" when the user chose not to train

    def __init__(self, check: Callable[[object], object], confirm: Callable[[object], bool],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._confirm = confirm  # report with problems → True to train anyway
        self._runner = LatestWinsRunner(check, self, name="data-check")
        self._runner.delivered.connect(self._on_runner_delivered)
        self._runner.failed.connect(self._on_runner_failed)
        self._awaited = 0  # id of the check whose answer still matters (0: none)

    def check(self, dataset) -> None:
        self.noted.emit("Checking the paired data set (every file)…")
        self._awaited = self._runner.submit(dataset)

    def cancel(self) -> None:
        """Forget the check in progress (it finishes in the background, unheard)."""
        self._awaited = 0

    def shutdown(self, timeout: float = 10.0) -> None:
        self._awaited = 0
        self._runner.shutdown(timeout)

    def _on_runner_delivered(self, request_id: int, report) -> None:
        if request_id != self._awaited:
            return
        self._awaited = 0
        for line in report.summary().splitlines():
            self.noted.emit(line)
        if report.ok:
            self.passed.emit(report)
        elif self._confirm(report):
            self.noted.emit(f"Training anyway: the {len(report.problems)} files or pairs with problems are skipped")
            self.passed.emit(report)
        else:
            self.noted.emit("Not started: fix the problems listed above, or press Start again and train anyway")
            self.refused.emit("")

    def _on_runner_failed(self, request_id: int, message: str) -> None:
        if request_id == self._awaited:
            self._awaited = 0
            self.noted.emit(f"Data set check failed: {message.splitlines()[0] if message else 'unknown error'}")
            self.refused.emit(message)


def ask_train_anyway(parent: QWidget | None, report) -> bool:
    """A warning with the report (all problems under "Show Details…"); Cancel is the default button."""
    count = len(report.problems)
    box = QMessageBox(QMessageBox.Icon.Warning, "Data set check",
                      f"The data set check found {count} problem{'s' if count != 1 else ''}. Files with problems "
                      "are skipped if you train anyway.", parent=parent)
    box.setInformativeText(report.summary())
    box.setDetailedText("\n".join(report.problems))
    train = box.addButton("Train anyway", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))
    box.exec()
    return box.clickedButton() is train
