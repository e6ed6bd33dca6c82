"""TensorBoard as an event sink: the run's hyperparameters (HParams dashboard), scalars for losses, grad norms,
learning rates and metrics; images for previews; text for alarms."""

from __future__ import annotations

import logging
from pathlib import Path

from ganstudio.core.training import events as ev
from ganstudio.ml.training.config import TrainConfig, hyperparameters
from ganstudio.ml.runtime import tf

log = logging.getLogger(__name__)


class TensorBoardSink:
    def __init__(self, logdir: Path, config: TrainConfig | None = None) -> None:
        # The writer is opened on the first event, i.e. after the trainer has checked the run folder, so a bad
        # output folder is reported by the trainer's clear message rather than by TensorFlow's.
        self.logdir = Path(logdir)
        self.config = config
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
                for name, value in {**event.losses, **event.grad_norms, **event.lrs}.items():
                    t.summary.scalar(f"train/{name}", value, step=event.step)
                t.summary.scalar("train/steps_per_s", event.steps_per_s, step=event.step)
            elif isinstance(event, ev.Started) and self.config is not None and not event.resumed:
                self._write_hparams()
            elif isinstance(event, ev.PreviewReady):
                t.summary.image(f"preview/{event.kind}", event.grid[None], step=event.step)
            elif isinstance(event, ev.MetricComputed):
                t.summary.scalar(f"eval/{event.name}", event.value, step=event.step)
            elif isinstance(event, ev.AlarmRaised):
                t.summary.text(f"alarms/{event.kind}", f"{event.message} — {event.remedy}", step=event.step)
                self.writer.flush()  # rare, and worth seeing in TensorBoard at once
            elif isinstance(event, (ev.Finished, ev.CheckpointSaved)):
                self.writer.flush()

    def _write_hparams(self) -> None:
        """The config's hyperparameters (the table in ml/training/config.py), for comparing runs in the HParams dashboard."""
        from tensorboard.plugins.hparams import api as hparams_api

        values = {f.name: getattr(self.config, f.name) for f in hyperparameters()}
        hparams_api.hparams({"recipe": self.config.recipe, **values}, trial_id=self.logdir.parent.name)
