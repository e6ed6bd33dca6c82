"""The training loop: owns steps, previews from a fixed z, checkpoints, exact resume and the NaN guard.

It knows nothing about its caller: events go out to plain callables, control comes in through a `Control`. It knows
nothing about the recipe or the data either: it calls the recipe's hooks (recipes/base.py) and reads batches through
the TrainingData protocol (core/training/data.py).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from ganstudio.core.training import events as ev
from ganstudio.core.training.alarms import AlarmWatcher
from ganstudio.core.atomic import clean_stale_temp, clean_stale_temp_files
from ganstudio.core.training.control import Control
from ganstudio.core.errors import RunFolderError, StudioError
from ganstudio.core.training.history import LossHistory
from ganstudio.core.training.data import TrainingData
from ganstudio.ml.training import run_folder
from ganstudio.ml.training.checkpoint_check import newest_intact
from ganstudio.ml.training.checkpoints import CheckpointInfo, CheckpointStore
from ganstudio.ml.training.config import TrainConfig
from ganstudio.ml.training.data import make_dataset
from ganstudio.ml import multiworker
from ganstudio.ml.training.run_lock import RunFolderLock
from ganstudio.ml.recipes import get as get_recipe
from ganstudio.ml.runtime import tf
from ganstudio.ml.strategy import make_strategy
from ganstudio.ml.training.weight_average import averaged_weights, make_optimizer

log = logging.getLogger(__name__)
MAX_ROLLBACKS = 3
IMAGES = "_images"  # beside the losses a train step returns: the images it trained on, over all replicas
Sink = Callable[[ev.Event], None]


class TrainingDiverged(StudioError):
    pass


class Trainer:
    def __init__(self, config: TrainConfig, data: TrainingData, run_dir: str | Path, total_steps: int,
                 sinks: Sequence[Sink] = (), control: Control | None = None, strategy=None, device: str = "auto",
                 resume: bool = False, log_interval_s: float = 0.25, evaluator: Callable | None = None) -> None:
        self.config, self.data, self.total_steps = config, data, total_steps
        self.run_dir = Path(run_dir)
        self.sinks, self.control = list(sinks), control or Control()
        self.resume, self.log_interval_s, self.evaluator = resume, log_interval_s, evaluator
        self.recipe = get_recipe(config.recipe)
        self.strategy, self.device_info = (strategy, None) if strategy else make_strategy(device)
        # Multi-worker (ml/multiworker.py): the chief owns the run folder; another worker writes only to its scratch
        # folder (emptied after each use) and gets the chief's state over the collectives.
        self.role = multiworker.role_of(self.strategy)
        self.multi = self.role.workers > 1
        self.scratch = self.run_dir / f".{self.role.task_type}-{self.role.index}-scratch"
        self.images_seen: int | None = 0  # images trained on from step 0, summed over replicas (None: unknown)
        self._checkpoint_step = 0  # step of the newest checkpoint, as every worker knows it
        self.store = CheckpointStore(self.run_dir, config.keep_checkpoints)
        self.lock = RunFolderLock(self.run_dir)
        self.history = LossHistory()
        self.step = 0
        self.rollbacks = 0
        self._pending: list[tuple[int, dict]] = []
        self.alarms = AlarmWatcher(self.recipe.loss_name(config), label_smoothing=config.label_smoothing)
        self._flush_clock = time.perf_counter()
        self._started_at = time.perf_counter()

    # ---- public -------------------------------------------------------------------------------------------------
    def run(self) -> int:
        """Train until total_steps or a stop request; returns the step reached. Emits Failed and re-raises on error."""
        try:
            try:
                self._prepare()
                self._loop()
            except tf().errors.OpError as err:
                if not self.multi or not isinstance(err, multiworker.lost_worker_errors()):
                    raise
                # A peer died or cannot be reached: the collectives were aborted, this cluster cannot go on.
                raise multiworker.lost_worker_error(err, self.role, self.step, self._checkpoint_step) from err
            finally:
                self.lock.release()  # before Failed goes out: whoever reacts to it may start on this folder again
                if self.multi and not self.role.chief:
                    multiworker.remove_scratch(self.scratch)
        except Exception as err:  # noqa: BLE001 - every failure must reach the user as an event
            self._emit(ev.Failed(self.step, str(err)))
            raise
        return self.step

    @property
    def generator(self):
        return self.models["generator"]

    # ---- set-up -------------------------------------------------------------------------------------------------
    def _prepare(self) -> None:
        t = tf()
        self.recipe.check_loss(self.recipe.loss_name(self.config))  # before anything is written
        self.recipe.check(self.config)
        run_folder.check_folder(self.run_dir)
        if self.role.chief:
            note = self.lock.acquire()  # before anything is written or cleaned: one writer per run folder
            if note:
                self._emit(ev.Notice(0, note))
            if not self.resume:
                run_folder.create(self.run_dir, self.config)
            self.store.clean_stale()
            clean_stale_temp(self.run_dir)  # e.g. a model/ export cut short by a kill
            for folder in (self.run_dir, self.run_dir / "samples"):  # a run.json or a sample grid / clip cut short
                clean_stale_temp_files(folder)
        else:  # another worker: the run folder is the chief's; ours holds only a scratch folder, maybe left by a kill
            multiworker.remove_scratch(self.scratch)
        with self.strategy.scope():
            self._build(t)
        if self.multi:
            multiworker.check_same_data(self.strategy, self.role, len(self.data))
        latest, damaged = self._restore_newest_intact() if self.resume and self.role.chief else (None, [])
        if damaged:
            self._emit(ev.Notice(self.step, f"{_sentence(damaged)}; resuming from {latest.step}."))
        if latest:
            self._say_restored_lrs(latest.step)
        if not latest:
            if self.config.init_generator and self.role.chief:  # the others get the weights from the chief
                self._load_generator_weights(Path(self.config.init_generator))
            self._init_fixed()
        resumed = bool(latest)
        if self.multi:
            resumed = self._sync_from_chief(latest is not None)
        self._compile(t)
        self._emit(ev.Started(self.step, self.total_steps, self._device_text(), resumed))
        reference = self.recipe.reference_grid(self.config, self.data)
        if reference is not None:
            self._emit(ev.PreviewReady(self.step, reference, kind="real"))

    def _build(self, t) -> None:
        import keras

        c = self.config
        keras.utils.set_random_seed(c.seed)  # initial weights are a function of the seed: runs are reproducible
        self.models = self.recipe.build(c)
        # A recipe may leave a declared model out (the L1-only baseline's D): optimizers only for the models built.
        self.specs = [spec for spec in self.recipe.optimizers if spec.name in self.models]
        self.optimizers = make_optimizers(self.recipe, c, self.models)
        for name, opt in self.optimizers.items():
            opt.build(self.models[name].trainable_variables)  # slots must exist before a restore fills them
        self.rng = t.random.Generator.from_seed(c.seed)
        self.step_var = t.Variable(0, dtype=t.int64, trainable=False)
        self.tracked = {**self.models, **{spec.key: self.optimizers[spec.name] for spec in self.specs},
                        **self.recipe.extra_state(self.models)}
        self.tf_checkpoint = self._legacy_checkpoint = t.train.Checkpoint(**self.tracked, rng=self.rng, step=self.step_var)
        seeds = dropout_seed_states(self.models.values())
        if seeds:  # dropout's random stream (pix2pix's noise): without it a resume draws other masks than a straight one
            self.tf_checkpoint = t.train.Checkpoint(**self.tracked, rng=self.rng, step=self.step_var, seeds=seeds)

    def _averaged(self):
        """A block in which the generator holds its averaged weights (config.ema), for what the user sees and keeps."""
        averaged = next((spec.name for spec in self.specs if spec.averaged), None)
        if averaged is None:
            return averaged_weights(None, None)
        return averaged_weights(self.models[averaged], self.optimizers[averaged])

    def _load_generator_weights(self, model_dir: Path) -> None:
        """Start from another model's generator (same recipe and sizes): fine-tuning, not a resume: the step, the
        optimizers and the discriminator start anew."""
        from ganstudio.core.errors import ModelFileError
        from ganstudio.ml.modelfile import load_model

        source, manifest = load_model(model_dir)
        target = self.models["generator"]
        theirs, ours = source.get_weights(), target.get_weights()
        if [w.shape for w in theirs] != [w.shape for w in ours]:
            raise ModelFileError(f"{model_dir} does not fit this run's generator (a {manifest.recipe} model with "
                                 f"other sizes or layers).",
                                 "Start from a model trained with the same recipe, width and options.")
        target.set_weights(theirs)
        self._emit(ev.Notice(0, f"Generator starts from {model_dir} ({manifest.title})."))

    def _init_fixed(self) -> None:
        self.fixed = self.recipe.init_fixed(self.config, self.data)

    def _restore(self, path: Path) -> None:
        self._check_contents(path)
        try:
            self._checkpoint_for(path).read(str(path / "state")).assert_existing_objects_matched()
            self.history, self.fixed = self.store.load_extras(path)
        except (AssertionError, ValueError, OSError, KeyError, tf().errors.OpError) as err:
            raise RunFolderError(f"The checkpoint {path} does not fit this run ({type(err).__name__}: {err}).",
                                 "Delete that ckpt-* folder to resume from the one before, or start a new run.") from err
        self.step = self._checkpoint_step = int(self.step_var.numpy())
        self.images_seen = self.store.images_at(path)
        self.history.truncate(self.step)
        self.alarms.replay(self.history.steps, self.history.series)

    def _say_restored_lrs(self, checkpoint_step: int) -> None:
        """A rate changed mid-run (from the Train page, or halved after a NaN) is restored with its optimizer, while the
        stored config keeps the run's first rates: say what the run really uses, so forms showing the config follow."""
        lrs = self._lrs()
        if any(not math.isclose(value, getattr(self.config, key), rel_tol=1e-5) for key, value in lrs.items()):
            self._emit(ev.LearningRatesChanged(self.step, lrs, f"as checkpoint {checkpoint_step} left them"))

    def _restore_newest_intact(self) -> tuple[CheckpointInfo | None, list[str]]:
        """Restore the newest checkpoint that reads back whole (checkpoint_check.py); returns it (None when the run
        has none yet) and a line for each newer damaged one passed over. Refuses when every checkpoint is damaged:
        starting again from step 0 would bury them."""
        latest, damaged = newest_intact(self.store)
        if latest is None and damaged:
            which = "that ckpt-* folder" if len(damaged) == 1 else "those ckpt-* folders"
            raise RunFolderError(f"No checkpoint of {self.run_dir} can be resumed: {'; '.join(damaged)}.",
                                 f"Delete {which} to train this run again from step 0, or start a new run.")
        if latest is not None:
            self._restore(latest.path)
        return latest, damaged

    def _sync_from_chief(self, chief_restored: bool) -> bool:
        """Multi-worker: every worker takes the chief's models, optimizers, RNG and step (new, restored or rolled
        back alike: the others read no checkpoint, so they need no shared file system). True when the chief resumed."""
        restored = bool(multiworker.broadcast_int(self.strategy, int(chief_restored)))
        multiworker.sync_from_chief(self.strategy, multiworker.checkpoint_variables(self.tf_checkpoint))
        self.step = self._checkpoint_step = int(self.step_var.numpy()) if restored else self.step
        if not self.role.chief:
            self.images_seen = None  # the chief's run folder keeps the count
            self.history.truncate(self.step)
        return restored

    def _check_contents(self, path: Path) -> None:
        """Every model, optimizer and state the recipe declares must be in the checkpoint: a missing one would
        silently keep its fresh initial values."""
        try:
            names = checkpoint_children(path / "state")
        except (ValueError, tf().errors.OpError) as err:
            raise RunFolderError(f"The checkpoint {path} is damaged: its state cannot be read ({type(err).__name__}).",
                                 "Delete that ckpt-* folder to resume from the one before, or start a new run.") from err
        missing = [key for key in self.tracked if key not in names]
        if missing:
            raise RunFolderError(f"The checkpoint {path} has no {', '.join(missing)}: it was not written by a "
                                 f"{self.recipe.title} run with these settings.",
                                 "Resume it with the recipe and options that wrote it, or start a new run.")

    def _checkpoint_for(self, path: Path):
        """Checkpoints written before dropout seed states were saved restore without them (then not bit-exact)."""
        if self.tf_checkpoint is self._legacy_checkpoint:
            return self.tf_checkpoint
        names = (name for name, _ in tf().train.list_variables(str(path / "state")))
        return self.tf_checkpoint if any(name.startswith("seeds/") for name in names) else self._legacy_checkpoint

    def _compile(self, t) -> None:
        step_fn = self.recipe.make_step(self.models, self.optimizers, self.rng, self.config, self.strategy.num_replicas_in_sync)
        decode = self.recipe.decode_batch
        if self.config.xla:
            step_fn = t.function(step_fn, jit_compile=True)  # per replica: XLA cannot compile strategy.run itself
        strategy, config = self.strategy, self.config

        def per_replica(images, labels):
            count = t.shape(t.nest.flatten(images)[0], out_type=t.int64)[0]  # this replica's share of the batch
            return step_fn(decode(images, config), labels), count

        @t.function
        def train_step(batch):
            images, labels = batch
            out, count = strategy.run(per_replica, args=(images, labels))
            losses = {k: strategy.reduce("MEAN", v, axis=None) for k, v in out.items()}
            return {**losses, IMAGES: strategy.reduce("SUM", count, axis=None)}  # the global batch, as the replicas saw it

        self._train_step = train_step
        self._preview = self.recipe.make_preview(self.models, self.config)
        self._preview_metrics = self.recipe.preview_metrics(self.models, self.config)

    # ---- the loop -----------------------------------------------------------------------------------------------
    def _loop(self) -> None:
        c = self.config
        iterator = self._iterator()
        while self.step < self.total_steps:
            before_wait = time.perf_counter()
            go_on = self.control.wait_turn(on_pause=self._flush)
            if self.multi:  # a stop on any worker stops all at one step (a lone stop would leave the others waiting)
                go_on = not multiworker.any_worker(self.strategy, not go_on)
            if not go_on:
                break
            self._flush_clock += time.perf_counter() - before_wait  # time spent paused is not training time
            self._apply_changes()
            out = self._train_step(next(iterator))
            self.step += 1
            self.step_var.assign(self.step)
            self._pending.append((self.step, out))
            due_ckpt = self.step % c.checkpoint_every == 0
            due_preview = self.step % c.preview_every == 0
            # Multi-worker: every step, so that all workers meet a NaN (and roll back) at the same step.
            due_log = self.multi or time.perf_counter() - self._flush_clock >= self.log_interval_s
            if due_ckpt or due_preview or self.control.paused or due_log:
                if not self._flush():
                    iterator = self._iterator()  # rolled back: the data order restarts at the restored step
                    continue
            if due_preview:
                self._emit_preview()
            if due_ckpt:
                self._checkpoint()
        self._finish("completed" if self.step >= self.total_steps else "stopped")

    def _iterator(self):
        """Global batches, split into one share per replica. Every worker builds the same batches (a pure function
        of seed and step) and keeps its replicas' shares (DATA sharding: the data set is not a set of files)."""
        t = tf()
        ds = make_dataset(self.data, self.step, self.total_steps)
        options = t.data.Options()
        options.experimental_distribute.auto_shard_policy = t.data.experimental.AutoShardPolicy.DATA
        return iter(self.strategy.experimental_distribute_dataset(ds.with_options(options)))

    def _apply_changes(self) -> None:
        by_key = {spec.lr_key: self.optimizers[spec.name] for spec in self.specs}
        applied = {}
        for key, value in self.control.take_changes().items():
            if key in by_key:
                by_key[key].learning_rate.assign(float(value))
                applied[key] = float(value)
        if applied:
            changed = ", ".join(f"{key} set to {value:g}" for key, value in applied.items())
            self._emit(ev.LearningRatesChanged(self.step, self._lrs(), changed))

    def _flush(self) -> bool:
        """Turn pending step outputs into events; False (after a rollback) when a loss was NaN/Inf."""
        if not self._pending:
            return True
        now = time.perf_counter()
        rate = len(self._pending) / max(now - self._flush_clock, 1e-9)  # steps/s
        self._flush_clock = now
        pending, self._pending = self._pending, []
        lrs = self._lrs()
        for step, out in pending:
            count = out.get(IMAGES)
            values = {k: float(v.numpy()) for k, v in out.items() if k != IMAGES}
            if not all(math.isfinite(v) for v in values.values()):
                self._rollback(step, values)
                return False
            losses = {k: v for k, v in values.items() if not k.startswith("grad_norm")}
            norms = {k: v for k, v in values.items() if k.startswith("grad_norm")}
            images = int(count.numpy()) if count is not None else 0
            if self.images_seen is not None:
                self.images_seen = self.images_seen + images if count is not None else None
            self.history.append(step, values)
            self._emit(ev.StepLogged(step, losses, norms, rate, time.perf_counter() - self._started_at, lrs, images))
            self._watch(self.alarms.on_step, step, losses, norms)
        return True

    def _lrs(self) -> dict[str, float]:
        return {spec.lr_key: float(self.optimizers[spec.name].learning_rate.numpy()) for spec in self.specs}

    def _rollback(self, bad_step: int, values: dict) -> None:
        has_checkpoint = bool(self.store.list()) if self.role.chief else False
        if self.multi:  # the chief's run folder decides, for all
            has_checkpoint = bool(multiworker.broadcast_int(self.strategy, int(has_checkpoint)))
        bad = ", ".join(k for k, v in values.items() if not math.isfinite(v))
        if not has_checkpoint or self.rollbacks >= MAX_ROLLBACKS:
            why = "before the first checkpoint" if not has_checkpoint else f"again after {MAX_ROLLBACKS} rollbacks"
            raise TrainingDiverged(f"Training diverged: {bad} became NaN/Inf at step {bad_step}, {why}.",
                                   "Lower the learning rates or the batch size, then start again.")
        self.rollbacks += 1
        lrs = self._lrs()
        _, damaged = self._restore_newest_intact() if self.role.chief else (None, [])
        if self.multi:
            self._sync_from_chief(True)
        for spec in self.specs:
            self.optimizers[spec.name].learning_rate.assign(lrs[spec.lr_key] * 0.5)
        halved = ", ".join(f"{k}={v * 0.5:g}" for k, v in lrs.items())
        passed_over = f" ({'; '.join(damaged)})" if damaged else ""
        message = (f"{bad} became NaN/Inf at step {bad_step}: rolled back to step {self.step}{passed_over} and halved "
                   f"the learning rates ({halved}).")
        self._emit(ev.Notice(self.step, message))
        self._emit(ev.LearningRatesChanged(self.step, self._lrs(), "halved after NaN/Inf"))

    def _emit_preview(self) -> None:
        with self._averaged():
            self._emit_preview_now()

    def _emit_preview_now(self) -> None:
        preview = self._preview(self.fixed)
        preview = preview if isinstance(preview, dict) else {"grid": preview}  # see Recipe.make_preview
        self._emit(ev.PreviewReady(self.step, preview["grid"], clips=preview.get("clips")))
        for name, value in self._preview_metrics(self.fixed).items():
            self._emit(ev.MetricComputed(self.step, name, value))
        if preview.get("samples") is not None:
            self._watch(self.alarms.on_preview, self.step, preview["samples"])

    def _watch(self, check, *args) -> None:
        """Failure alarms (core/training/alarms.py) go out as events; a fault in the watcher never stops the run."""
        try:
            alarms = check(*args)
        except Exception:  # noqa: BLE001
            log.exception("the alarm watcher failed")
            return
        for alarm in alarms:
            self._emit(alarm)

    def _checkpoint(self) -> None:
        metric = None
        if self.evaluator is not None:
            with self._averaged():
                scores = self.evaluator(self.models["generator"], self.config)
            for name, value in scores.items():
                self._emit(ev.MetricComputed(self.step, name, value))
                metric = value if metric is None else metric  # the first metric ranks checkpoints ("best")
        self._checkpoint_step = self.step
        if not self.role.chief:
            # Every worker takes part in a save (a variable may need its replicas' values); the others' copy goes.
            multiworker.write_to_scratch(self.tf_checkpoint, self.scratch)
            return
        path = self.store.save(self.step, self.tf_checkpoint, self.history, self.fixed, metric, self.images_seen)
        self._emit(ev.CheckpointSaved(self.step, str(path)))

    def _finish(self, reason: str) -> None:
        self._flush()
        if self.multi:
            due = self._checkpoint_step != self.step  # what every worker knows alike: they must all save, or none
        else:
            latest = self.store.latest()
            due = latest is None or latest.step != self.step
        if due:
            self._checkpoint()
        self._emit_preview()
        from ganstudio.ml.training.export import export_generator

        with self._averaged():
            if self.role.chief:
                model_dir = export_generator(self.models["generator"], self.config, self.run_dir / "model", self.step)
            else:  # the same work as the chief's export (in step with it), kept nowhere
                model_dir = ""
                multiworker.export_to_scratch(lambda out: export_generator(
                    self.models["generator"], self.config, out, self.step), self.scratch)
        if self.multi:  # all are done before any exits: a worker that left early would look lost to the others
            multiworker.any_worker(self.strategy, False)
        self.lock.release()  # the run is done with its folder: whoever reacts to Finished may resume it at once
        self._emit(ev.Finished(self.step, reason, str(model_dir)))

    # ---- helpers ------------------------------------------------------------------------------------------------
    def _device_text(self) -> str:
        if self.device_info:
            return self.device_info.description
        return f"{self.strategy.__class__.__name__} × {self.strategy.num_replicas_in_sync}"

    def _emit(self, event: ev.Event) -> None:
        for sink in self.sinks:
            try:
                sink(event)
            except Exception:  # noqa: BLE001 - a broken display must not kill a long training run
                log.exception("event sink %r failed on %s", sink, type(event).__name__)


def _sentence(lines: list[str]) -> str:
    text = "; ".join(lines)
    return text[:1].upper() + text[1:]


def dropout_seed_states(models) -> list:
    """The tf.Variables holding the random state of the models' dropout layers (Keras does not checkpoint them)."""
    return [layer.seed_generator.state.value for model in models for layer in model.layers
            if getattr(layer, "seed_generator", None) is not None]


def checkpoint_children(prefix: Path) -> set[str]:
    """The names a tf.train.Checkpoint was given (its root's children): variable paths alone do not tell, since a
    variable is saved once, under whichever owner is found first (a model's weights may sit under its optimizer)."""
    from tensorflow.core.protobuf import trackable_object_graph_pb2

    graph = trackable_object_graph_pb2.TrackableObjectGraph()
    graph.ParseFromString(tf().train.load_checkpoint(str(prefix)).get_tensor("_CHECKPOINTABLE_OBJECT_GRAPH"))
    return {child.local_name for child in graph.nodes[0].children}


def make_optimizers(recipe, config: TrainConfig, models: dict) -> dict:
    """The recipe's declared optimizers, for the models it built (the L1-only baseline has no D), by model name."""
    kind = config.optimizer or recipe.optimizer
    return {spec.name: make_optimizer(kind, getattr(config, spec.lr_key), config.beta1, config.beta2,
                                      config.ema if spec.averaged else 0.0)
            for spec in recipe.optimizers if spec.name in models}
