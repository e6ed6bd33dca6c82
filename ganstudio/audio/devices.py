"""Sound devices through sounddevice (imported only when needed): listing them and opening streams, with clear
messages when PortAudio is missing, no microphone or speaker exists, or a device refuses to open."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass

from ganstudio.core.errors import StudioError

_import_module = importlib.import_module  # replaced by tests to simulate a machine without PortAudio
_STREAM_CLASSES = {"duplex": "Stream", "input": "InputStream", "output": "OutputStream"}


@dataclass(frozen=True)
class AudioDevice:
    index: int
    name: str
    hostapi: str
    max_input_channels: int
    max_output_channels: int
    default_samplerate: float
    is_default_input: bool
    is_default_output: bool

    @property
    def label(self) -> str:
        default = " (default)" if self.is_default_input or self.is_default_output else ""
        return f"{self.name} — {self.hostapi}{default}"


def load_sounddevice():
    """The sounddevice module, or a StudioError saying how to get PortAudio."""
    try:
        return _import_module("sounddevice")
    except OSError as err:  # sounddevice raises OSError when libportaudio cannot be loaded
        raise StudioError("PortAudio, the library used to reach sound devices, is not installed.",
                          "On Debian or Ubuntu run: sudo apt install libportaudio2 — then restart ganstudio. "
                          "Denoising files works without it.") from err
    except ImportError as err:
        raise StudioError("The Python package sounddevice is missing.",
                          "Install it with: pip install sounddevice") from err


def list_devices(sd=None) -> list[AudioDevice]:
    """Every device PortAudio sees (possibly none)."""
    sd = sd or load_sounddevice()
    try:
        raw = list(sd.query_devices())
        default_in, default_out = (int(i) for i in sd.default.device)
        hostapis = [api["name"] for api in sd.query_hostapis()]
    except Exception as err:  # PortAudioError: the audio system itself failed
        raise StudioError(f"The sound system could not list devices ({err}).",
                          "Check that an audio server (PulseAudio/PipeWire) or ALSA is working.") from err
    return [_device(i, info, hostapis, default_in, default_out) for i, info in enumerate(raw)]


def _device(index: int, info: dict, hostapis: list[str], default_in: int, default_out: int) -> AudioDevice:
    api = int(info.get("hostapi", 0))
    index = int(info.get("index", index))
    return AudioDevice(index=index, name=str(info["name"]), hostapi=hostapis[api] if api < len(hostapis) else "",
                       max_input_channels=int(info["max_input_channels"]),
                       max_output_channels=int(info["max_output_channels"]),
                       default_samplerate=float(info["default_samplerate"]),
                       is_default_input=index == default_in, is_default_output=index == default_out)


def input_devices(sd=None) -> list[AudioDevice]:
    """Devices that can record, default first; StudioError when there is none."""
    found = [d for d in list_devices(sd) if d.max_input_channels > 0]
    if not found:
        raise StudioError("No microphone or other input device was found.",
                          "Plug in a microphone (or enable it in the system sound settings), then press Refresh. "
                          "You can still open audio files.")
    return sorted(found, key=lambda d: not d.is_default_input)


def output_devices(sd=None) -> list[AudioDevice]:
    """Devices that can play, default first; StudioError when there is none."""
    found = [d for d in list_devices(sd) if d.max_output_channels > 0]
    if not found:
        raise StudioError("No speakers or headphones were found.",
                          "Connect an output device (or enable it in the system sound settings), then press Refresh. "
                          "You can still save results to files.")
    return sorted(found, key=lambda d: not d.is_default_output)


def open_stream(kind: str, sd=None, **kwargs):
    """Open a sounddevice Stream / InputStream / OutputStream; device refusals become a StudioError."""
    sd = sd or load_sounddevice()
    cls = getattr(sd, _STREAM_CLASSES[kind])
    try:
        return cls(**kwargs)
    except Exception as err:  # PortAudioError or ValueError (unknown device, unsupported rate/channels)
        what = {"duplex": "The input/output devices", "input": "The input device", "output": "The output device"}
        raise StudioError(f"{what[kind]} could not be opened at {kwargs.get('samplerate', '?')} Hz mono ({err}).",
                          "Pick another device, or close other programs using it, then try again.") from err


def stream_factory(kind: str, sd=None) -> Callable[..., object]:
    """The default factory LiveDenoiser ("duplex"), Recorder ("input") and Player ("output") use."""
    if kind not in _STREAM_CLASSES:
        raise ValueError(f"unknown stream kind {kind!r}")
    return functools.partial(open_stream, kind, sd)
