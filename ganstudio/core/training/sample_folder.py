"""The run folder's samples/ as an event sink: every preview grid as samples/step-<n>.png (and the real grid once),
like the book's checkpoint images; speech previews also as samples/step-<n>.wav. Used by every run, CLI or GUI."""

from __future__ import annotations

from pathlib import Path

from ganstudio.core.training import events as ev


class SampleFolderSink:
    def __init__(self, folder) -> None:
        self.folder = Path(folder)

    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, ev.PreviewReady):
            import io

            from ganstudio.core.atomic import write_bytes_atomic
            from ganstudio.core.image_data.images import to_pil

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

        from ganstudio.core.speech.audio_files import SPEECH_RATE, write_audio

        def joined(which: int) -> np.ndarray:
            pause = np.zeros(SPEECH_RATE // 4, np.float32)
            return np.concatenate([part for clip in event.clips[:, which] for part in (clip, pause)])

        write_audio(self.folder / f"step-{event.step:09d}.wav", joined(1), SPEECH_RATE)
        for which, name in ((0, "validation-noisy.wav"), (2, "validation-clean.wav")):
            if not (self.folder / name).exists():
                write_audio(self.folder / name, joined(which), SPEECH_RATE)
