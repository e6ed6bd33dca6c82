"""Sound devices for the Denoise page: device listing (on a thread), recording to disk, A/B playback and live mode,
polled by timers so the page redraws meters and counters at its own pace. ganstudio.audio (and with it sounddevice)
is imported lazily, so the app starts — and files still work — on a machine without PortAudio or a sound card."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from ganstudio.core.errors import StudioError
from ganstudio.paths import user_data_dir
from ganstudio.workers.background_loader import ServiceThreads
from ganstudio.workers.latest_wins import describe_error

RATE = 16000
POLL_MS = 100  # recording meter and playhead
LIVE_POLL_MS = 200  # live figures, 5× a second


@dataclass(frozen=True)
class DeviceOption:
    index: int
    name: str  # remembered in the settings (indices change when devices come and go)
    label: str


@dataclass(frozen=True)
class DeviceChoices:
    """Devices to offer; a problem is the message to show when a side has none (or PortAudio is missing)."""

    inputs: list[DeviceOption] = field(default_factory=list)
    outputs: list[DeviceOption] = field(default_factory=list)
    input_problem: str = ""
    output_problem: str = ""


@dataclass(frozen=True)
class RecordingResult:
    path: str
    seconds: float
    error: str = ""  # the device went away (what was recorded is in `path`)


class SoundEngine:
    """The real devices through ganstudio.audio. `stream_factory(kind)` and `list_devices()` can be injected (tests
    pass simulated streams); by default they are the sounddevice ones."""

    def __init__(self, stream_factory: Callable[[str], Callable[..., Any]] | None = None,
                 list_devices: Callable[[], DeviceChoices] | None = None, stall_seconds: float = 3.0) -> None:
        self._stream_factory, self._list_devices = stream_factory, list_devices
        self.stall_seconds = stall_seconds  # a microphone silent this long (no callbacks at all) counts as unplugged

    def devices(self) -> DeviceChoices:
        return self._list_devices() if self._list_devices is not None else sound_devices()

    def _factory(self, kind: str):
        return self._stream_factory(kind) if self._stream_factory is not None else None

    def recorder(self, path: Path, device: int | None):
        from ganstudio.audio.recorder import Recorder

        return Recorder(path, self._factory("input"), RATE, device=device, stall_seconds=self.stall_seconds)

    def player(self, device: int | None):
        from ganstudio.audio.player import Player

        return Player(self._factory("output"), RATE, device=device)

    def live(self, processor: Any, device: tuple[int | None, int | None], sink_path: str | None):
        from ganstudio.audio.live import LiveDenoiser

        both = None if device == (None, None) else device
        return LiveDenoiser(processor, self._factory("duplex"), sink_path=sink_path, device=both)


def sound_devices() -> DeviceChoices:
    """Inputs and outputs, each with the problem to show when there are none (PortAudio missing, no microphone)."""
    from ganstudio.audio import devices

    sides = []
    for lister in (devices.input_devices, devices.output_devices):
        try:
            sides.append(([DeviceOption(d.index, d.name, d.label) for d in lister()], ""))
        except StudioError as err:
            sides.append(([], str(err)))
    (inputs, input_problem), (outputs, output_problem) = sides
    return DeviceChoices(inputs, outputs, input_problem, output_problem)


def recording_path(folder: Path) -> Path:
    """A new file in the recordings folder, named by the time it was started."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path, n = folder / f"recording-{stamp}.wav", 1
    while path.exists():
        n += 1
        path = folder / f"recording-{stamp}-{n}.wav"
    return path


class AudioService(QObject):
    devices_listed = Signal(object)  # DeviceChoices
    recording_progressed = Signal(float, float)  # seconds recorded, peak level in dBFS
    recording_stopped = Signal(object)  # RecordingResult (also when the device went away: see its error)
    playback_moved = Signal(float)  # position in seconds
    playback_stopped = Signal()  # reached the end
    live_measured = Signal(object)  # ganstudio.audio.live.LiveStats
    live_stopped = Signal(str)  # why it stopped by itself; "" when switched off
    _listed = Signal(object)

    def __init__(self, parent: QObject | None = None, engine: SoundEngine | None = None,
                 recordings_dir: Path | None = None) -> None:
        super().__init__(parent)
        self.engine = engine or SoundEngine()
        self.recordings_dir = recordings_dir or user_data_dir() / "recordings"
        self._threads = ServiceThreads()
        self._recorder = self._player = self._live = None
        self._player_device: int | None = None
        self._clips: tuple[np.ndarray, np.ndarray | None] | None = None  # kept to hand to a new player (device)
        self._started_playing = False  # so the end of a clip is announced once
        self._listed.connect(self.devices_listed)
        self._timer = QTimer(self, interval=POLL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._live_timer = QTimer(self, interval=LIVE_POLL_MS)
        self._live_timer.timeout.connect(self._on_live_timer_timeout)

    # ---- devices ------------------------------------------------------------------------------------------------
    def refresh_devices(self) -> None:
        """List devices on a thread (loading PortAudio can take a moment): `devices_listed` follows."""
        self._threads.start(self._list, name="audio-devices")

    def _list(self) -> None:
        try:
            choices = self.engine.devices()
        except Exception as err:  # noqa: BLE001 - shown on the page; files keep working
            choices = DeviceChoices(input_problem=describe_error(err), output_problem=describe_error(err))
        self._listed.emit(choices)

    # ---- recording ----------------------------------------------------------------------------------------------
    @property
    def recording(self) -> bool:
        return self._recorder is not None

    def start_recording(self, device: int | None) -> Path:
        """Record to a new WAV in the recordings folder, written as it goes; raises StudioError if it cannot start."""
        recorder = self.engine.recorder(recording_path(self.recordings_dir), device)
        recorder.start()
        self._recorder = recorder
        self._timer.start()
        return recorder.path

    def stop_recording(self) -> RecordingResult | None:
        """Stop and close the file; `recording_stopped` is emitted with the result."""
        recorder, self._recorder = self._recorder, None
        if recorder is None:
            return None
        path = recorder.stop()
        error = str(recorder.error) if recorder.error is not None else ""
        result = RecordingResult(str(path), float(recorder.elapsed_seconds), error)
        self.recording_stopped.emit(result)
        return result

    # ---- playback -----------------------------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self._player is not None and self._player.playing

    def set_clips(self, original: np.ndarray | None, result: np.ndarray | None) -> None:
        """The clips A (original) and B (result) to play; the position is kept."""
        if original is None:
            self.stop_playback()
            self._clips = None
            return
        self._clips = (original, result)
        self._ensure_player(self._player_device).set_clips(original, result)

    def play(self, which: str, loop: tuple[float, float] | None = None, device: int | None = None) -> None:
        """Play "a" (original) or "b" (result) from the current position, looping `loop` seconds if given."""
        player = self._ensure_player(device)
        player.switch_to(which)
        self.set_loop(loop)
        player.play()
        self._started_playing = True
        self._timer.start()

    def switch_to(self, which: str) -> None:
        if self._player is not None:
            self._player.switch_to(which)

    def set_loop(self, loop: tuple[float, float] | None) -> None:
        if self._player is None:
            return
        if loop is None or int(loop[1] * RATE) - int(loop[0] * RATE) < 1:
            self._player.clear_loop()
        else:
            self._player.set_loop(int(loop[0] * RATE), int(loop[1] * RATE))

    def seek(self, seconds: float) -> None:
        if self._player is not None:
            self._player.seek(int(seconds * RATE))

    @property
    def position(self) -> float:
        return self._player.position / RATE if self._player is not None else 0.0

    def pause(self) -> None:
        """Stop playing and release the device; play() resumes at the same position."""
        self._started_playing = False
        if self._player is not None:
            self._player.stop()

    def stop_playback(self) -> None:
        self.pause()
        self._player = None

    def _ensure_player(self, device: int | None = None):
        """The player for `device` (a new one when the output device changed, at the same position)."""
        if self._player is None or device != self._player_device:
            position = self._player.position if self._player is not None else 0
            self.pause()
            self._player, self._player_device = self.engine.player(device), device
            if self._clips is not None:
                self._player.set_clips(*self._clips)
                self._player.seek(position)
        return self._player

    # ---- live ---------------------------------------------------------------------------------------------------
    @property
    def live_running(self) -> bool:
        return self._live is not None

    def start_live(self, processor: Any, input_device: int | None, output_device: int | None,
                   sink_path: str | None = None) -> None:
        """Microphone → processor → speakers (and `sink_path`, if given); raises StudioError if devices refuse."""
        self.pause()
        live = self.engine.live(processor, (input_device, output_device), sink_path)
        live.start()
        self._live = live
        self._live_timer.start()

    def stop_live(self, reason: str = "") -> None:
        live, self._live = self._live, None
        self._live_timer.stop()
        if live is not None:
            live.stop()
            self.live_stopped.emit(reason)

    # ---- polling ------------------------------------------------------------------------------------------------
    def _on_timer_timeout(self) -> None:
        recorder, player = self._recorder, self._player
        if recorder is not None:
            self.recording_progressed.emit(float(recorder.elapsed_seconds), float(recorder.level[1]))
            if not recorder.recording:
                self.stop_recording()  # the device went away: the file holds what was recorded
        if player is not None:
            self.playback_moved.emit(self.position)
            if self._started_playing and not player.playing:
                self.pause()  # the clip ended: release the device
                self.playback_stopped.emit()
        if self._recorder is None and not self.playing:
            self._timer.stop()

    def _on_live_timer_timeout(self) -> None:
        if self._live is None:
            return
        stats = self._live.stats()
        self.live_measured.emit(stats)
        if stats.error:
            self.stop_live(stats.error)

    def shutdown(self) -> None:
        """Stop recording (the file is kept), playback and live mode; join the device-listing thread."""
        self._timer.stop()
        self.stop_recording()
        self.stop_live()
        self.stop_playback()
        self._threads.join(10.0)
