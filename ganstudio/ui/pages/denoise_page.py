"""The Denoise page: record the microphone or open a file, denoise it with a SEGAN in a worker (progress, cancel), see
and hear the original and the result (waveforms and spectrograms on one time axis, A/B, loop a selection), blend them
with a strength control, save the result, score it against a clean reference, and run the denoiser live.

Long work runs in DenoiseService's jobs; sound devices live in AudioService (recording, playback, live): the page
only wires widgets to them and never waits."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QProgressBar, QPushButton, QSlider, QSplitter, QVBoxLayout,
                               QWidget)

from ganstudio.core.errors import StudioError
from ganstudio.ui.pages.denoise_devices import DeviceControl
from ganstudio.ui.pages.denoise_files import DenoiseFiles
from ganstudio.ui.pages.model_page import ModelPage
from ganstudio.ui.widgets.audio_devices import DeviceBar
from ganstudio.ui.widgets.audio_live import LivePanel
from ganstudio.ui.widgets.audio_metrics import MetricsPanel
from ganstudio.ui.widgets.audio_transport import PlaybackControls, RecordControls
from ganstudio.ui.widgets.audio_waveform import ClipViews
from ganstudio.ui.widgets.denoise_model_bar import DenoiseModelBar
from ganstudio.ui.widgets.shortcuts import add_shortcuts
from ganstudio.workers.audio_service import AudioService
from ganstudio.workers.denoise_service import DEFAULT_LIVE_WINDOW, DenoiseService, live_choices

RESCORE_DELAY_MS = 400  # after the strength stops moving: PESQ and STOI take a moment, so not on every step
PROGRESS_JOBS = {"open": "Reading the file…", "denoise": "Denoising…", "add-noise": "Adding noise…",
                 "save": "Saving…", "reference": "Reading the reference…"}


class DenoisePage(ModelPage):
    model_bar_class = DenoiseModelBar

    def __init__(self, settings: QSettings, parent: QWidget | None = None, service: DenoiseService | None = None,
                 audio: AudioService | None = None) -> None:
        super().__init__(settings, parent)
        self.service = service or DenoiseService(self)
        self.audio = audio or AudioService(self)
        self.info = None  # DenoiserInfo of the loaded model
        self.original = self.denoised = self.result = None  # workers.denoise_jobs.Clip
        self.reference: np.ndarray | None = None
        self._first_show = True
        self._progress_job: str | None = None  # the job the progress row shows
        self._cancel_requested = ""  # the job the user cancelled (others are cancelled quietly)
        self._first_blend = 0  # blends with smaller ids were made from an older denoised clip
        self._rescore_timer = QTimer(self, singleShot=True, interval=RESCORE_DELAY_MS)
        self._rescore_timer.timeout.connect(self.score)
        self._build()
        self.files = DenoiseFiles(self)
        self.devices = DeviceControl(self)
        self._connect()
        add_shortcuts(self, (("Space", self.devices.toggle_play), ("B", self.playback.toggle_source),
                             ("Ctrl+O", self.files.ask_open), ("Ctrl+S", self.files.ask_save),
                             ("R", self.record.toggle)))
        self.strength.setValue(int(self.settings.value("denoise/strength", 100)))
        self.live.choose_window(int(self.settings.value("denoise/live_window", DEFAULT_LIVE_WINDOW)))
        self.update_controls()
        self.model_bar.list_models()

    # ---- layout ---------------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.device_bar = DeviceBar()
        self.record = RecordControls()
        self.open_button = QPushButton("Open file…")
        self.open_button.setToolTip("A WAV, FLAC or OGG recording, any rate or channels (Ctrl+O)")
        self.demo_button = QPushButton("Demo clip")
        self.demo_button.setToolTip("Open a noisy demo recording (jet engine at 5 dB) with its clean reference")
        self.denoise_button = QPushButton("Denoise")
        self.denoise_button.setToolTip("Run the denoiser on the whole clip")
        self.strength = QSlider(Qt.Orientation.Horizontal)
        self.strength.setRange(0, 100)
        self.strength.setToolTip("How much of the denoised sound to keep: 0% is the original, 100% fully denoised")
        self.strength_label = QLabel("")
        self.strength_label.setMinimumWidth(90)
        self.progress, self.cancel_button = QProgressBar(), QPushButton("Cancel")
        self.progress.setRange(0, 1000)
        self.progress_label = QLabel("")
        self.views = ClipViews()
        self.live = LivePanel(live_choices())
        self.metrics = MetricsPanel()
        self.playback = PlaybackControls()
        self.save_button = QPushButton("Save result…")
        self.save_button.setToolTip("Save the result at the chosen strength as a 16-bit WAV (Ctrl+S)")
        self.lay_out(self.device_bar,
                     self._row(self.record, self.open_button, self.demo_button, self.denoise_button, QLabel("Strength"),
                               self.strength, self.strength_label),
                     self._row(self.progress_label, self.progress, self.cancel_button),
                     (self._body(), 1), self._row(self.playback, self.save_button))

    @staticmethod
    def _row(*widgets: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        for widget in widgets:
            row.addWidget(widget, 2 if isinstance(widget, (RecordControls, QSlider, QProgressBar,
                                                           PlaybackControls)) else 0)
        return row

    def _body(self) -> QSplitter:
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.live)
        column.addWidget(self.metrics)
        column.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.views)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([10_000, 330])
        return splitter

    def _connect(self) -> None:
        s = self.service
        self.connect_model(s.model_loaded)
        s.job_progressed.connect(self._on_service_job_progressed)
        s.job_done.connect(self._on_service_job_done)
        s.job_failed.connect(self._on_service_job_failed)
        s.job_cancelled.connect(self._on_service_job_cancelled)
        s.blended.connect(self._on_service_blended)
        s.blend_failed.connect(lambda message: self.show_status(message, error=True))
        self.open_button.clicked.connect(self.files.ask_open)
        self.demo_button.clicked.connect(self.files.open_demo)
        self.save_button.clicked.connect(self.files.ask_save)
        self.denoise_button.clicked.connect(self.denoise)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.strength.valueChanged.connect(self._on_strength_value_changed)
        self.metrics.reference_requested.connect(self.files.ask_reference)
        self.metrics.add_noise_requested.connect(self.files.ask_add_noise)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        if self._first_show:
            self._first_show = False
            self.audio.refresh_devices()  # PortAudio loads on a thread, and only once the page is visited
        super().showEvent(event)  # the first showing also loads the model

    # ---- the model ----------------------------------------------------------------------------------------------
    def model_ready(self, _info) -> None:
        self.update_controls()

    # ---- clips --------------------------------------------------------------------------------------------------
    def set_input(self, clip, notes: str = "") -> None:
        """A new original clip (opened, recorded or made noisy): the old result goes, the reference stays."""
        self.service.cancel("denoise")  # a result of the previous clip must not land on this one
        self.original, self.denoised, self.result = clip, None, None
        self.views.set_clip("a", clip.display)
        self.views.set_clip("b", None)
        self.devices.clips_changed()
        self.update_controls()
        self.show_status(notes or " ".join(clip.notes))
        self.score()

    def denoise(self) -> None:
        if self.original is None:
            self.show_status("Record or open a clip first.", error=True)
            return
        try:
            self.service.denoise(self.original.samples)
        except StudioError as err:
            self.show_status(str(err), error=True)
            return
        self.begin_job("denoise")

    def _on_strength_value_changed(self, value: int) -> None:
        self.strength_label.setText(f"{value}% denoised")
        self.settings.setValue("denoise/strength", value)
        self.devices.strength_changed(value / 100)
        if self.denoised is not None:
            self.service.blend(self.original.samples, self.denoised.samples, value / 100)

    def _on_service_blended(self, request_id: int, strength: float, clip) -> None:
        if self.denoised is None or request_id < self._first_blend:
            return  # made from a clip that has been replaced meanwhile
        self.result = clip
        self.views.set_clip("b", clip.display)
        self.devices.clips_changed()
        self.update_controls()
        if self.reference is not None:
            self._rescore_timer.start()

    def score(self) -> None:
        """Scores of the noisy input (and the result, if any) against the reference, in a job."""
        if self.reference is None or self.original is None:
            return
        clips = {"noisy": self.original.samples}
        if self.result is not None:
            clips["denoised"] = self.result.samples
        self.metrics.show_computing()
        self.service.score(self.reference, clips)

    # ---- jobs ---------------------------------------------------------------------------------------------------
    def begin_job(self, name: str) -> None:
        """Show the progress row for a long job (the newest one shown wins the row)."""
        self._progress_job = name
        self.progress_label.setText(PROGRESS_JOBS.get(name, "Working…"))
        self.progress.setValue(0)
        self._set_progress_visible(True)
        self.update_controls()

    def _set_progress_visible(self, visible: bool) -> None:
        for widget in (self.progress_label, self.progress, self.cancel_button):
            widget.setVisible(visible)

    def _end_job(self, name: str) -> None:
        if self._progress_job == name:
            self._progress_job = None
            self._set_progress_visible(False)
        self.update_controls()

    def _on_cancel_clicked(self) -> None:
        if self._progress_job:
            self._cancel_requested = self._progress_job
            self.service.cancel(self._progress_job)

    def _on_service_job_progressed(self, name: str, fraction: float) -> None:
        if self._progress_job == name:
            self.progress.setValue(int(fraction * 1000))

    def _on_service_job_done(self, name: str, result) -> None:
        self._end_job(name)
        if name == "denoise":
            self.denoised = result
            self.show_status(" ".join(result.notes))
            self._first_blend = self.service.blend(self.original.samples, result.samples,
                                                   self.strength.value() / 100)
        elif name == "score":
            self.metrics.show_scores(result)
        elif name == "live":
            self.devices.live_ready(result)
        else:
            self.files.job_done(name, result)

    def _on_service_job_failed(self, name: str, message: str) -> None:
        self._end_job(name)
        if name == "score":
            self.metrics.clear_scores(message)
        elif name == "live":
            self.devices.live_failed(message)
        else:
            self.show_status(message, error=True)

    def _on_service_job_cancelled(self, name: str) -> None:
        self._end_job(name)
        if name == "live":
            self.devices.live_failed("")
        if self._cancel_requested == name:
            self._cancel_requested = ""
            self.show_status(f"{PROGRESS_JOBS[name].rstrip('…')} — cancelled; nothing was changed.")

    def update_controls(self) -> None:
        busy = self.service.is_running("denoise")
        self.denoise_button.setEnabled(self.info is not None and self.original is not None and not busy)
        self.save_button.setEnabled(self.result is not None)
        if self._progress_job is None:
            self._set_progress_visible(False)
        self.devices.update_controls()

    def before_shutdown(self) -> None:
        """Stop recording (the file is kept), playback and live mode (the window is closing)."""
        self._rescore_timer.stop()
        self.audio.shutdown()
