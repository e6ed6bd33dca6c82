"""The Denoise page's files: open a recording, save the result, load a clean reference, add a noise to a clean clip.
Dialogs start in the last folder used; reading, mixing and writing run in the service's jobs (every save atomic, and
what killed saves left in that folder is removed), and a bad file leaves the page as it was, with a message saying why."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog

from ganstudio.ui.widgets.audio_metrics import AUDIO_FILTER, AddNoiseDialog

WAV_FILTER = "WAV audio (*.wav)"


class DenoiseFiles:
    """File actions of a DenoisePage (`page`); results arrive through the page's job_done."""

    def __init__(self, page) -> None:
        self._page = page
        self._open_note = ""  # said first once the file opened (e.g. why a recording ended early)
        if page.settings.contains("denoise/dir"):  # a folder the user chose (not the home folder by default)
            page.service.clean_folder(self.folder)

    @property
    def folder(self) -> str:
        return str(self._page.settings.value("denoise/dir", str(Path.home())))

    def _remember(self, path: str, clean: bool = True) -> None:
        """Dialogs start in this folder from now on. A save killed there (the app, or `ganstudio denoise`) left a
        hidden temp file as large as its clip: it goes now, not only when a later save lands in that folder (a save
        cleans its folder itself: `clean` False)."""
        folder = str(Path(path).parent)
        if clean and (folder != self.folder or not self._page.settings.contains("denoise/dir")):
            self._page.service.clean_folder(folder)
        self._page.settings.setValue("denoise/dir", folder)

    def _ask_open(self, title: str) -> str:
        path, _ = QFileDialog.getOpenFileName(self._page, title, self.folder, AUDIO_FILTER)
        if path:
            self._remember(path)
        return path

    # ---- opening ------------------------------------------------------------------------------------------------
    def ask_open(self) -> None:
        path = self._ask_open("Open a recording")
        if path:
            self.open_file(path)

    def open_file(self, path: str, note: str = "") -> None:
        """Read any WAV/FLAC/OGG as the new original clip (a job; long files show progress and can be cancelled).
        A `note` is a warning shown with the opened clip's description."""
        self._open_note = note
        self._page.service.open_file(path)
        self._page.begin_job("open")

    def open_demo(self) -> None:
        """The shipped demo clip (a speaker and a noise the model never heard) with its clean reference, so a new user
        without a microphone hears and measures the model at once."""
        from ganstudio.paths import resources_dir

        demo = resources_dir() / "audio"
        self.open_file(str(demo / "demo-noisy.wav"))
        self.load_reference(str(demo / "demo-clean.wav"))

    def ask_reference(self) -> None:
        path = self._ask_open("Open the clean reference recording")
        if path:
            self.load_reference(path)

    def load_reference(self, path: str) -> None:
        self._page.service.open_file(path, name="reference")
        self._page.begin_job("reference")

    # ---- adding noise -------------------------------------------------------------------------------------------
    def ask_add_noise(self) -> None:
        page = self._page
        if page.original is None:
            page.show_status("Open or record a clean clip first: the noise is mixed into it.", error=True)
            return
        dialog = AddNoiseDialog(self.folder, page)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            noise, snr_db = dialog.choice()
            self.add_noise(noise, snr_db)

    def add_noise(self, noise: str, snr_db: float, seed: int = 0) -> None:
        """The current clip becomes the clean reference; `noise` (a synthetic name or a file) at `snr_db` is added."""
        self._page.service.add_noise(self._page.original.samples, noise, snr_db, seed)
        self._page.begin_job("add-noise")

    # ---- saving -------------------------------------------------------------------------------------------------
    def ask_save(self) -> None:
        page = self._page
        if page.result is None:
            page.show_status("Nothing to save yet: press Denoise first.", error=True)
            return
        source = Path(page.original.source).stem if page.original.source else "recording"
        start = str(Path(self.folder) / f"{source}-denoised.wav")
        path, _ = QFileDialog.getSaveFileName(page, "Save the denoised result", start, WAV_FILTER)
        if path:
            self._remember(path, clean=False)
            self.save_file(path if path.lower().endswith(".wav") else path + ".wav")

    def save_file(self, path: str) -> None:
        """Write the result at the current strength (a job; the file appears whole or not at all)."""
        self._page.service.save(path, self._page.result.samples)
        self._page.begin_job("save")

    def ask_live_sink(self) -> str:
        path, _ = QFileDialog.getSaveFileName(self._page, "Save the live output to", str(Path(self.folder) /
                                              "live-denoised.wav"), WAV_FILTER)
        if path:
            self._remember(path)
        return path if not path or path.lower().endswith(".wav") else path + ".wav"

    # ---- results ------------------------------------------------------------------------------------------------
    def job_done(self, name: str, result) -> None:
        page = self._page
        if name == "open":
            note, self._open_note = self._open_note, ""
            page.set_input(result, " ".join([note, f"Opened {Path(result.source).name} ({result.duration:.1f} s)."]
                                            + list(result.notes)).strip())
            if note:
                page.show_status(page.status.text(), error=True)
        elif name == "reference":
            page.reference = result.samples
            page.metrics.set_reference(f"Reference: {Path(result.source).name} ({result.duration:.1f} s)")
            page.show_status(" ".join([f"Loaded the clean reference {Path(result.source).name}."]
                                      + list(result.notes)))
            page.score()
        elif name == "add-noise":
            page.reference = result.clean
            page.metrics.set_reference("Reference: the clean clip, before the noise was added")
            page.set_input(result.noisy)
        elif name == "save":
            page.show_status(" ".join([f"Saved the result to {result.path}.", result.cleaned.note]).strip())
        elif name == "clean" and result.removed:
            page.show_status(result.note)
