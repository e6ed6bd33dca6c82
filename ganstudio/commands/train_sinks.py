"""The terminal as an event sink: a progress bar with losses, and notices on their own lines."""

from __future__ import annotations

import sys

from ganstudio.core import events as ev
from ganstudio.core.progress import ProgressBar


class TerminalSink:
    def __init__(self, total_steps: int, batch_size: int, quiet: bool = False) -> None:
        self.batch_size = batch_size
        self.bar = ProgressBar(total_steps)
        self.quiet = quiet
        self._rates: list[float] = []

    def mean_rate(self) -> float:
        rates = self._rates[1:] or self._rates  # the first interval includes tracing; leave it out when we can
        return sum(rates) / len(rates) if rates else 0.0

    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, ev.StepLogged):
            if not self._rates or self._rates[-1] != event.images_per_s:
                self._rates.append(event.images_per_s)
            if not self.quiet:
                losses = " ".join(f"{k}={v:.3f}" for k, v in event.losses.items() if k in ("d_loss", "g_loss"))
                self.bar.update(event.step, event.images_per_s / self.batch_size, losses)
        elif isinstance(event, ev.Started):
            print(f"{'resuming at step ' + str(event.step) if event.resumed else 'starting'} on {event.device}", file=sys.stderr)
        elif isinstance(event, ev.Notice):
            self._line(f"note: {event.message}")
        elif isinstance(event, ev.MetricComputed):
            self._line(f"step {event.step}: {event.name} = {event.value:.3f}")
        elif isinstance(event, ev.Finished):
            if not self.quiet:
                self.bar.close()
            print(f"{event.reason} at step {event.step}; model saved to {event.model_dir}", file=sys.stderr)
        elif isinstance(event, ev.Failed):
            self._line(f"failed at step {event.step}")

    def _line(self, text: str) -> None:
        if not self.quiet:
            sys.stderr.write("\n")
        print(text, file=sys.stderr)


class SampleFolderSink:
    """Saves every preview grid as samples/step-<n>.png (and the real grid once), like the book's checkpoint images;
    speech previews also as samples/step-<n>.wav."""

    def __init__(self, folder) -> None:
        from pathlib import Path

        self.folder = Path(folder)

    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, ev.PreviewReady):
            import io

            from ganstudio.core.atomic import write_bytes_atomic
            from ganstudio.core.images import to_pil

            name = "real.png" if event.kind == "real" else f"step-{event.step:09d}.png"
            buf = io.BytesIO()
            to_pil(event.grid).save(buf, format="PNG")
            write_bytes_atomic(self.folder / name, buf.getvalue())  # a kill never leaves a truncated PNG
            if event.clips is not None:
                self._save_clips(event)

    def _save_clips(self, event: ev.PreviewReady) -> None:
        """The enhanced validation clips as samples/step-<n>.wav, one after another with a short pause; the noisy and
        clean ones once, as validation-noisy.wav and validation-clean.wav, to listen against."""
        import numpy as np

        from ganstudio.core.audio_files import SPEECH_RATE, write_audio

        def joined(which: int) -> np.ndarray:
            pause = np.zeros(SPEECH_RATE // 4, np.float32)
            return np.concatenate([part for clip in event.clips[:, which] for part in (clip, pause)])

        write_audio(self.folder / f"step-{event.step:09d}.wav", joined(1), SPEECH_RATE)
        for which, name in ((0, "validation-noisy.wav"), (2, "validation-clean.wav")):
            if not (self.folder / name).exists():
                write_audio(self.folder / name, joined(which), SPEECH_RATE)
