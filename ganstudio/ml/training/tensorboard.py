"""TensorBoard as an event sink: the run's hyperparameters (HParams dashboard), scalars for losses, grad norms,
learning rates and metrics; images for previews; text for alarms.

After a resume the trainer replays the steps between its checkpoint and the kill, which the killed process had
already logged: written again, every curve would double back. tf.summary cannot purge, and TensorBoard's own purge
(a SessionLog.START event) is neither writable with tf.summary nor honoured by every TensorBoard reader, so the
simplest honest fix is to skip what the event files already hold: a resumed sink writes only steps after the last
step found in them. The values kept for the replayed steps are the killed process's, those of the very same steps
from the very same checkpoint (identical under GANSTUDIO_DETERMINISTIC=1; the run's own loss history is the replay's).
A NaN rollback replays too, from its checkpoint up to the step that diverged: the sink writes each record's steps once,
so those steps keep the values logged on the way to the NaN (which is what one looks at there), and the curves go on
from the replay's next step, with the halved learning rates (the rollback's notice, in the terminal and on the Train
page, names both steps).

A new run in a folder that already holds event files (checkpoints deleted, tensorboard/ kept) would log its steps 1, 2,
… over the old run's: before writing, it moves them aside into tensorboard/old-<time>/, which TensorBoard shows as a
run of its own, so nothing is lost and no curve doubles back.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from ganstudio.core.training import events as ev
from ganstudio.ml.training.config import TrainConfig, hyperparameters
from ganstudio.ml.runtime import tf

log = logging.getLogger(__name__)
# What this sink writes (or flushes on); notices, rate changes and failures are not logged here.
WRITTEN = (ev.Started, ev.StepLogged, ev.PreviewReady, ev.MetricComputed, ev.AlarmRaised, ev.Finished,
           ev.CheckpointSaved)


class TensorBoardSink:
    def __init__(self, logdir: Path, config: TrainConfig | None = None) -> None:
        # The writer is opened on the first event, i.e. after the trainer has checked the run folder, so a bad
        # output folder is reported by the trainer's clear message rather than by TensorFlow's.
        self.logdir = Path(logdir)
        self.config = config
        self.writer = None
        self.broken = False
        self.logged_upto = -1  # steps up to here are in the event files already (a resumed run's replay)
        self.last_step: dict[str, int] = {}  # per kind of record, the last step written (a NaN rollback's replay)

    def _open(self) -> bool:
        if self.writer is None and not self.broken:
            try:
                self.writer = tf().summary.create_file_writer(str(self.logdir))
            except tf().errors.OpError as err:
                self.broken = True  # training matters more than its logs: warn once, then stay quiet
                log.warning("TensorBoard logs disabled: cannot write to %s (%s)", self.logdir, err.message)
        return self.writer is not None

    def __call__(self, event: ev.Event) -> None:
        if not isinstance(event, WRITTEN):
            return  # and the writer stays shut: a new run's notices come before Started, which sets old logs aside
        if isinstance(event, ev.Started) and self.writer is None and not event.resumed:
            set_aside_old_events(self.logdir)  # before the writer opens its own file here
        if not self._open():
            return
        if isinstance(event, ev.Started) and event.resumed:
            self.logged_upto = last_logged_step(self.logdir)
        if not self._new_step(event):
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

    def _new_step(self, event: ev.Event) -> bool:
        """False for a step already written: one the event files held when the run resumed, or one this sink wrote
        before a NaN rollback (its record is kept per kind, since a preview and metrics follow a step's losses)."""
        key = _record_key(event)
        if key is None:
            return True
        if event.step <= max(self.logged_upto, self.last_step.get(key, -1)):
            return False
        self.last_step[key] = event.step
        return True

    def _write_hparams(self) -> None:
        """The config's hyperparameters (the table in ml/training/config.py), for comparing runs in the HParams dashboard."""
        from tensorboard.plugins.hparams import api as hparams_api

        values = {f.name: getattr(self.config, f.name) for f in hyperparameters()}
        hparams_api.hparams({"recipe": self.config.recipe, **values}, trial_id=self.logdir.parent.name)


def _record_key(event: ev.Event) -> str | None:
    """Which of the sink's records a step-numbered event adds to (None: not step-numbered here)."""
    if isinstance(event, ev.StepLogged):
        return "train"
    if isinstance(event, ev.PreviewReady):
        return f"preview/{event.kind}"
    if isinstance(event, ev.MetricComputed):
        return f"eval/{event.name}"
    if isinstance(event, ev.AlarmRaised):
        return f"alarms/{event.kind}"
    return None


def last_logged_step(logdir: Path) -> int:
    """The highest step of any summary in the event files under `logdir` (-1 if none). Reads them whole: a resume
    is rare and the files hold at most a run's curves and previews. A record cut short by a kill ends its file."""
    t = tf()
    last = -1
    for path in sorted(Path(logdir).glob("events.out.tfevents.*")):
        try:
            for event in t.compat.v1.train.summary_iterator(str(path)):
                if event.HasField("summary"):
                    last = max(last, int(event.step))
        except t.errors.OpError:  # DataLossError: cut short; or unreadable: TensorBoard logs never stop a run
            continue
    return last


def set_aside_old_events(logdir: Path) -> Path | None:
    """Move the event files of an earlier run in `logdir` into logdir/old-<time>/ (returned; None if there were
    none). A failure to move them only costs clean curves: it is logged, and training goes on."""
    logdir = Path(logdir)
    old = sorted(logdir.glob("events.out.tfevents.*")) if logdir.is_dir() else []
    if not old:
        return None
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside, n = logdir / f"old-{stamp}", 1
    while aside.exists():  # two new runs within a second: old-<time>-2
        n += 1
        aside = logdir / f"old-{stamp}-{n}"
    try:
        aside.mkdir()
        for path in old:
            os.replace(path, aside / path.name)
    except OSError as err:
        log.warning("Could not move the earlier run's TensorBoard logs out of %s (%s): its curves and this run's "
                    "will overlap", logdir, err)
        return None
    log.info("Moved an earlier run's TensorBoard logs to %s", aside)
    return aside
