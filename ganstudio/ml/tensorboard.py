"""TensorBoard as an event sink: scalars for losses, grad norms and metrics; images for previews."""

from __future__ import annotations

import logging
from pathlib import Path

from ganstudio.core import events as ev
from ganstudio.ml.runtime import tf

log = logging.getLogger(__name__)


class TensorBoardSink:
    def __init__(self, logdir: Path) -> None:
        # The writer is opened on the first event, i.e. after the trainer has checked the run folder, so a bad
        # output folder is reported by the trainer's clear message rather than by TensorFlow's.
        self.logdir = Path(logdir)
        self.writer = None
        self.broken = False

    def _open(self) -> bool:
        if self.writer is None and not self.broken:
            try:
                self.writer = tf().summary.create_file_writer(str(self.logdir))
            except tf().errors.OpError as err:
                self.broken = True  # training matters more than its logs: warn once, then stay quiet
                log.warning("TensorBoard logs disabled: cannot write to %s (%s)", self.logdir, err.message)
        return self.writer is not None

    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, ev.Failed) or not self._open():
            return
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
