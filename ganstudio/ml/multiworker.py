"""`--distribute multiworker`: tf.distribute.MultiWorkerMirroredStrategy over the machines TF_CONFIG names.

Roles. The chief (the task of type "chief", or worker 0 when TF_CONFIG names no chief) owns the run folder: its lock,
run.json, checkpoints, samples, TensorBoard logs and model/. Every other worker computes the same steps on its share
of each global batch and keeps nothing: it takes part in every save, as TensorFlow requires, but writes to a scratch
folder that is deleted at once (TensorFlow's recommended pattern), and it writes no run.json, samples, logs or model.

So that a worker needs no shared file system, what the chief reads from its run folder reaches the others over the
collectives: the run's config (a resume), and the restored state (models, optimizers, RNG, step) after a resume or a
NaN rollback. A stop request on any worker is agreed on before each step, so all stop at the same step.

A worker that dies cannot be replaced in a running cluster: the survivors' collectives fail (MultiWorkerMirrored-
Strategy's health check, or the broken connection) and they stop with an error that says how to resume.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ganstudio.core.errors import StudioError
from ganstudio.ml.runtime import DeviceInfo, tf

TF_CONFIG_HINT = ('Set TF_CONFIG on every machine, e.g. {"cluster": {"worker": ["host1:12345", "host2:12345"]}, '
                  '"task": {"type": "worker", "index": 0}} (index 1 on the second machine).')


class WorkerLost(StudioError):
    """A peer of a multi-worker run stopped or cannot be reached: the cluster cannot go on without it."""


@dataclass(frozen=True)
class ClusterRole:
    task_type: str  # "chief" | "worker"
    index: int
    workers: int  # tasks that train: the chief (if named) and the workers
    chief: bool

    @property
    def name(self) -> str:
        return f"{self.task_type} {self.index}"


SINGLE = ClusterRole("worker", 0, 1, True)  # any run that is not multi-worker


def cluster_role(environ=os.environ) -> ClusterRole:
    """This process's place in the cluster, from TF_CONFIG; StudioError says what is missing or wrong."""
    raw = environ.get("TF_CONFIG", "")
    if not raw.strip():
        raise StudioError("--distribute multiworker needs TF_CONFIG, which names the workers and this one's index.",
                          TF_CONFIG_HINT)
    try:
        config = json.loads(raw)
        cluster, task = config["cluster"], config["task"]
        task_type, index = str(task["type"]), int(task["index"])
        counts = {kind: len(cluster.get(kind) or []) for kind in ("chief", "worker")}
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise StudioError(f"TF_CONFIG cannot be read ({type(err).__name__}: {err}).", TF_CONFIG_HINT) from err
    if task_type not in counts or not 0 <= index < counts[task_type]:
        raise StudioError(f"TF_CONFIG names this task {task_type} {index}, which is not in its cluster "
                          f"({counts['chief']} chief, {counts['worker']} workers).", TF_CONFIG_HINT)
    chief = task_type == "chief" or (index == 0 and counts["chief"] == 0)
    return ClusterRole(task_type, index, counts["chief"] + counts["worker"], chief)


def make_multiworker_strategy(device: str):
    """(MultiWorkerMirroredStrategy, DeviceInfo); the strategy carries its ClusterRole (role_of). Blocks until every
    worker has started."""
    role = cluster_role()
    t = tf()
    strategy = t.distribute.MultiWorkerMirroredStrategy()
    strategy.cluster_role = role  # the Trainer reads it to decide who owns the run folder
    _take_back_sigterm()
    gpus = t.config.list_logical_devices("GPU") if device != "cpu" else []
    if device == "gpu" and not gpus:
        raise StudioError("No GPU is visible to TensorFlow.", "Install the CUDA build of TensorFlow and NVIDIA drivers, or use --device cpu.")
    local = f"{len(gpus)} GPU(s)" if gpus else f"CPU ({os.cpu_count()} cores)"
    what = "the chief, which writes the run folder" if role.chief else "it writes no run folder"
    desc = (f"{role.workers} workers, {strategy.num_replicas_in_sync} replicas in sync "
            f"(this is {role.name}, {what}; here: {local})")
    return strategy, DeviceInfo("gpu" if gpus else "cpu", desc, strategy.num_replicas_in_sync)


def _take_back_sigterm() -> None:
    """Starting the cluster installs TensorFlow's own SIGTERM handler (its coordination service's preemption
    notifier), which replaces ours at the C level: a SIGTERM then no longer stops training cleanly, and the cluster
    hangs. Put back whatever Python had (the CLI's clean stop, or the default)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return
    handler = signal.getsignal(signal.SIGTERM)
    if handler is not None:
        signal.signal(signal.SIGTERM, handler)


def role_of(strategy) -> ClusterRole:
    return getattr(strategy, "cluster_role", SINGLE)


# ---- the chief's values for everyone --------------------------------------------------------------------------------
def _from_replica_zero(strategy, tensors: list) -> list:
    """Every worker passes tensors of the same shapes and dtypes; all get back replica 0's (the chief's) values.

    An all-reduce (SUM) in which all but replica 0 contribute zeros: the one collective every strategy has."""
    t = tf()
    out = _compiled(strategy, "from_replica_zero")(*tensors)
    out = out if isinstance(out, (list, tuple)) else [out]
    return [t.cast(strategy.experimental_local_results(o)[0], v.dtype) for o, v in zip(out, tensors)]


def _compiled(strategy, kind: str):
    """One tf.function per strategy and kind, so a call per training step does not trace anew."""
    cache = strategy.__dict__.setdefault("_ganstudio_collectives", {})
    if kind not in cache:
        t = tf()

        def from_replica_zero(*values):
            ctx = t.distribute.get_replica_context()
            first = t.equal(ctx.replica_id_in_sync_group, 0)
            wide = [t.cast(v, t.int64) if v.dtype.is_integer or v.dtype == t.bool else v for v in values]
            masked = [t.where(first, v, t.zeros_like(v)) for v in wide]  # where, not ×: a NaN elsewhere stays out
            out = [None] * len(masked)
            for dtype in {v.dtype for v in masked}:  # one all-reduce per dtype: a batch of them is packed together
                which = [i for i, v in enumerate(masked) if v.dtype == dtype]
                for i, value in zip(which, ctx.all_reduce("SUM", [masked[i] for i in which])):
                    out[i] = value
            return out

        def total(value):  # tf.distribute reduces by SUM or MEAN only
            # identity: a tensor made on this replica's device (an argument passed through has none to reduce to)
            return t.distribute.get_replica_context().all_reduce("SUM", t.identity(value))

        fn = {"from_replica_zero": from_replica_zero, "sum": total}[kind]
        cache[kind] = t.function(lambda *args: strategy.run(fn, args=args))
    return cache[kind]


def broadcast_bytes(strategy, payload: bytes | None) -> bytes:
    """The chief's bytes (the others pass None)."""
    t = tf()
    mine = payload or b""
    (size,) = _from_replica_zero(strategy, [t.constant(len(mine), t.int64)])
    size = int(size.numpy())
    if size == 0:
        return b""
    local = np.frombuffer(mine, np.uint8) if len(mine) == size else np.zeros(size, np.uint8)
    (data,) = _from_replica_zero(strategy, [t.constant(local.astype(np.int32))])
    return data.numpy().astype(np.uint8).tobytes()


def broadcast_int(strategy, value: int) -> int:
    t = tf()
    (out,) = _from_replica_zero(strategy, [t.constant(int(value), t.int64)])
    return int(out.numpy())


def any_worker(strategy, flag: bool) -> bool:
    """True on every worker when any worker says True (e.g. a stop request)."""
    t = tf()
    out = _compiled(strategy, "sum")(t.constant(1 if flag else 0, t.int64))
    return int(strategy.experimental_local_results(out)[0].numpy()) > 0


def checkpoint_variables(tf_checkpoint) -> list:
    """Every variable a tf.train.Checkpoint saves (Keras variables by the tf.Variable they hold), once each."""
    import keras

    t = tf()
    found, seen = [], set()
    for obj in t.train.TrackableView(tf_checkpoint).descendants():
        var = obj.value if isinstance(obj, keras.Variable) else obj
        if isinstance(var, t.Variable) and id(var) not in seen:
            seen.add(id(var))
            found.append(var)
    return found


def sync_from_chief(strategy, variables: list) -> None:
    """Give every worker the chief's values of these variables (after the chief restored a checkpoint)."""
    if not variables:
        return
    values = _from_replica_zero(strategy, [v.read_value() for v in variables])
    for var, value in zip(variables, values):
        var.assign(value)


def lost_worker_error(err: Exception, role: ClusterRole, step: int, last_checkpoint: int | None) -> WorkerLost:
    """What a failed collective means to the user: a peer stopped or cannot be reached."""
    text = str(err)
    detail = re.search(r'grpc_message:"([^"]+)"', text) or re.search(r"(\S+ is down)", text)
    why = f"{type(err).__name__}: {detail.group(1)}" if detail else type(err).__name__
    where = f"the last checkpoint (step {last_checkpoint})" if last_checkpoint else "step 0 (no checkpoint yet)"
    return WorkerLost(f"Multi-worker training stopped at step {step}: another worker stopped or cannot be reached "
                      f"({why}; this is {role.name}).",
                      f"Start every worker again with the same TF_CONFIG and --resume: training continues from {where}.")


def lost_worker_errors() -> tuple:
    """The errors of a collective whose peer died (connection lost, health check aborted it, timed out)."""
    errors = tf().errors
    return (errors.UnavailableError, errors.DeadlineExceededError, errors.CancelledError, errors.AbortedError,
            errors.FailedPreconditionError, errors.InternalError)


def check_same_data(strategy, role: ClusterRole, items: int) -> None:
    """Every worker must read the same data set (the batch of a step is a function of seed, step and the data):
    refuse, on all workers at once, when one holds another number of items than the chief."""
    chief_items = broadcast_int(strategy, items)
    if any_worker(strategy, chief_items != items):
        theirs = "" if role.chief else f" (this {role.name} has {items}, the chief {chief_items})"
        raise StudioError(f"The workers do not read the same data set{theirs}.",
                          "Give every machine the same data: the same folder contents, or the same built-in set.")


def remove_scratch(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder, ignore_errors=True)


def write_to_scratch(tf_checkpoint, folder: Path) -> None:
    """A non-chief worker's part in a checkpoint: written to its scratch folder, then deleted (TensorFlow's advice
    for MultiWorkerMirroredStrategy: every worker saves, only the chief keeps it)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tf_checkpoint.write(str(folder / "state"))
    finally:
        remove_scratch(folder)


def export_to_scratch(export, folder: Path) -> None:
    """A non-chief worker's part in the export of the model: export(folder/model), then deleted."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        export(folder / "model")
    finally:
        remove_scratch(folder)
