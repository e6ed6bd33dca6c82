"""TensorBoard as an event sink: scalars for losses, grad norms and metrics; images for previews."""

from __future__ import annotations

from pathlib import Path

from ganstudio.core import events as ev
from ganstudio.ml.runtime import tf


class TensorBoardSink:
    def __init__(self, logdir: Path) -> None:
        self.writer = tf().summary.create_file_writer(str(logdir))

    def __call__(self, event: ev.Event) -> None:
        t = tf()
        with self.writer.as_default():
            if isinstance(event, ev.StepLogged):
                for name, value in {**event.losses, **event.grad_norms}.items():
                    t.summary.scalar(f"train/{name}", value, step=event.step)
                t.summary.scalar("train/images_per_s", event.images_per_s, step=event.step)
            elif isinstance(event, ev.PreviewReady):
                t.summary.image(f"preview/{event.kind}", event.grid[None], step=event.step)
            elif isinstance(event, ev.MetricComputed):
                t.summary.scalar(f"eval/{event.name}", event.value, step=event.step)
            elif isinstance(event, (ev.Finished, ev.CheckpointSaved)):
                self.writer.flush()
