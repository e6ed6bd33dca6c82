"""The Denoise page's sound devices: the device pickers, Record/Stop (the recording is on disk before anything else
can fail, then opened as the clip), playback with A/B and loop, and live mode. Everything goes through the page's
AudioService; a missing device or PortAudio disables Record and Live with the reason shown, and files keep working."""

from __future__ import annotations

from pathlib import Path

from ganstudio.core.errors import StudioError


class DeviceControl:
    """Device actions of a DenoisePage (`page`)."""

    def __init__(self, page) -> None:
        self._page = page
        self.live_processor = None  # the BlendProcessor running live (its strength follows the slider)
        self.live_state = "off"
        self._live_sink = ""
        p, audio = page, page.audio
        audio.devices_listed.connect(self._on_audio_devices_listed)
        audio.recording_progressed.connect(p.record.show_progress)
        audio.recording_stopped.connect(self._on_audio_recording_stopped)
        audio.playback_moved.connect(self._on_audio_playback_moved)
        audio.playback_stopped.connect(lambda: p.playback.set_playing(False))
        audio.live_measured.connect(p.live.show_stats)
        audio.live_stopped.connect(self._on_audio_live_stopped)
        p.device_bar.refresh_requested.connect(audio.refresh_devices)
        p.device_bar.input_chosen.connect(lambda name: p.settings.setValue("denoise/input_device", name))
        p.device_bar.output_chosen.connect(self._on_device_bar_output_chosen)
        p.record.record_requested.connect(self.start_recording)
        p.record.stop_requested.connect(audio.stop_recording)
        p.playback.play_toggled.connect(self.toggle_play)
        p.playback.source_chosen.connect(audio.switch_to)
        p.playback.loop_toggled.connect(self._on_playback_loop_toggled)
        p.views.selection_changed.connect(self._on_views_selection_changed)
        p.views.seek_requested.connect(self.seek)
        p.live.live_toggled.connect(self._on_live_toggled)
        p.live.window_chosen.connect(lambda window: p.settings.setValue("denoise/live_window", window))
        p.live.file_toggled.connect(self._on_live_file_toggled)

    # ---- devices ------------------------------------------------------------------------------------------------
    def _on_audio_devices_listed(self, choices) -> None:
        s = self._page.settings
        self._page.device_bar.set_choices(choices, str(s.value("denoise/input_device", "")),
                                          str(s.value("denoise/output_device", "")))
        self.update_controls()

    def _on_device_bar_output_chosen(self, name: str) -> None:
        self._page.settings.setValue("denoise/output_device", name)
        if self._page.audio.playing:
            self.toggle_play()  # stop on the old device; Play starts on the new one

    def update_controls(self) -> None:
        p = self._page
        bar, live_on = p.device_bar, self.live_state != "off"
        no_input = "No input device: " + (bar.choices.input_problem if bar.choices else "looking for devices…")
        p.record.set_available(bar.has_input and not live_on,
                               "Switch Live off to record." if live_on else "" if bar.has_input else no_input)
        missing = ("Load a denoiser first." if p.info is None else
                   "Needs a microphone and speakers (see above)." if not (bar.has_input and bar.has_output) else "")
        p.live.set_available(not missing, missing)
        playable = p.original is not None and bar.has_output and not live_on
        p.playback.set_available(playable, playable and p.result is not None)

    # ---- recording ----------------------------------------------------------------------------------------------
    def start_recording(self) -> None:
        p = self._page
        self.pause()
        try:
            path = p.audio.start_recording(p.device_bar.input_index())
        except StudioError as err:
            p.show_status(str(err), error=True)
            return
        p.record.set_recording(True)
        p.show_status(f"Recording to {path} … (R or Stop to finish)")

    def _on_audio_recording_stopped(self, result) -> None:
        p = self._page
        p.record.set_recording(False)
        if p.is_shut_down:
            return  # the window is closing: the recording stays on disk
        if Path(result.path).exists() and result.seconds > 0:
            p.files.open_file(result.path, result.error)
        else:
            p.show_status(result.error or "Nothing was recorded.", error=True)

    # ---- playback -----------------------------------------------------------------------------------------------
    def clips_changed(self) -> None:
        """The original or the result changed: hand both to the player (position and loop kept)."""
        p = self._page
        p.audio.set_clips(p.original.samples if p.original else None, p.result.samples if p.result else None)
        self._apply_loop()
        if p.original is None or p.result is None:
            p.playback.set_source("a")
            p.audio.switch_to("a")
        self._on_audio_playback_moved(p.audio.position)
        self.update_controls()

    def toggle_play(self) -> None:
        """Space and the Play button: play the chosen clip (A or B) from where it stopped, or pause."""
        p = self._page
        if p.audio.playing:
            self.pause()
            return
        if p.original is None or not p.playback.play_button.isEnabled():
            return
        try:
            p.audio.play(p.playback.source, p.views.selection() if p.playback.loop.isChecked() else None,
                         p.device_bar.output_index())
        except StudioError as err:
            p.show_status(str(err), error=True)
            return
        p.playback.set_playing(True)

    def pause(self) -> None:
        self._page.audio.pause()
        self._page.playback.set_playing(False)

    def seek(self, seconds: float) -> None:
        p = self._page
        if p.original is not None:
            p.audio.seek(min(seconds, p.original.duration))
            self._on_audio_playback_moved(p.audio.position)

    def _on_audio_playback_moved(self, seconds: float) -> None:
        p = self._page
        p.views.set_playhead(seconds)
        p.playback.show_position(seconds, p.original.duration if p.original else 0.0)

    def _on_playback_loop_toggled(self, on: bool) -> None:
        self._page.views.show_selection(on)
        self._apply_loop()

    def _on_views_selection_changed(self, _start: float, _end: float) -> None:
        self._apply_loop()

    def _apply_loop(self) -> None:
        p = self._page
        p.audio.set_loop(p.views.selection() if p.playback.loop.isChecked() else None)

    # ---- live ---------------------------------------------------------------------------------------------------
    def _on_live_file_toggled(self, on: bool) -> None:
        self._live_sink = self._page.files.ask_live_sink() if on else ""
        if on and not self._live_sink:
            self._page.live.to_file.setChecked(False)

    def _on_live_toggled(self, on: bool) -> None:
        p = self._page
        if not on:
            if self.live_state == "starting":
                p.service.cancel("live")  # still warming up: never open the devices
                self._set_live_state("off")
            p.audio.stop_live()
            return
        try:
            p.service.prepare_live(p.live.chosen_window(), p.strength.value() / 100)
        except StudioError as err:
            p.show_status(str(err), error=True)
            return
        self.pause()
        self._set_live_state("starting")
        p.show_status("Preparing the denoiser for live mode…")

    def live_ready(self, processor) -> None:
        """The service warmed a processor up: open the devices and go."""
        p = self._page
        if self.live_state != "starting":
            return
        try:
            p.audio.start_live(processor, p.device_bar.input_index(), p.device_bar.output_index(),
                               self._live_sink or None)
        except StudioError as err:
            self.live_failed(str(err))
            return
        self.live_processor = processor
        self._set_live_state("on")
        p.show_status("Live: speak into the microphone (headphones avoid feedback).")

    def live_failed(self, message: str) -> None:
        self._set_live_state("off")
        if message:
            self._page.show_status(message, error=True)

    def _on_audio_live_stopped(self, reason: str) -> None:
        self.live_processor = None
        self._set_live_state("off")
        if reason:
            self._page.show_status(reason, error=True)
        elif self._live_sink:
            self._page.show_status(f"Live stopped; the denoised stream is saved in {self._live_sink}.")
        else:
            self._page.show_status("Live stopped.")

    def _set_live_state(self, state: str) -> None:
        self.live_state = state
        self._page.live.set_state(state)
        self.update_controls()

    def strength_changed(self, strength: float) -> None:
        if self.live_processor is not None:
            self.live_processor.strength = strength  # BlendProcessor: thread-safe, applies from the next batch
