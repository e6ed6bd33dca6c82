"""One way to assemble a training run, for the CLI and the Train page alike: data, config, sinks, evaluator,
tf.distribute strategy and device, in two stages so a caller can show the prepared run before the networks build."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ganstudio.core.training.control import Control
from ganstudio.core.image_data.datasets import DatasetSpec
from ganstudio.core.training.run_request import RunRequest
from ganstudio.core.training.data import TrainingData
from ganstudio.ml.training.config import TrainConfig


@dataclass
class PreparedRun:
    request: RunRequest
    config: TrainConfig
    data: TrainingData


def start_strategy(request: RunRequest):
    """(strategy, DeviceInfo) for a multi-worker run, None otherwise. Call it first, before prepare_run: collective
    ops can only be set up before TensorFlow runs anything, and the chief's config reaches the others through them.
    Returns once every worker named in TF_CONFIG has started."""
    if request.distribute != "multiworker":
        return None
    from ganstudio.ml.strategy import make_strategy

    return make_strategy(request.device, request.distribute)


def prepare_run(request: RunRequest, strategy=None) -> PreparedRun:
    """Load and check the data and resolve the full config (the stored one on resume). Imports no TensorFlow, unless
    given a multi-worker strategy: then the chief prepares as usual and the other workers take its config."""
    if strategy is not None:
        from ganstudio.ml.multiworker import role_of

        if role_of(strategy).workers > 1:
            return _prepare_multiworker(request, strategy)
    return _prepare_here(request)


def _prepare_multiworker(request: RunRequest, strategy) -> PreparedRun:
    """The chief's config (its run.json on a resume, its flags on a new run) for every worker: a worker needs no
    copy of the run folder, only the data set (its own --data, else the chief's data path)."""
    import json

    from ganstudio.core.errors import StudioError
    from ganstudio.ml.multiworker import broadcast_bytes, role_of
    from ganstudio.ml.training.prepare import prepare, resolve_dataset

    if role_of(strategy).chief:
        try:
            prepared = _prepare_here(request)
        except BaseException:
            broadcast_bytes(strategy, b"")  # the others stop too, rather than wait for a config that never comes
            raise
        broadcast_bytes(strategy, prepared.config.to_json().encode())
        return prepared
    payload = broadcast_bytes(strategy, None)
    if not payload:
        raise StudioError("The chief could not start the run (its output says why).",
                          "Fix that, then start every worker again.")
    config = TrainConfig.from_dict(json.loads(payload.decode()))
    dataset = request.dataset or config.dataset_path
    spec = dataset if isinstance(dataset, DatasetSpec) else resolve_dataset(str(dataset))
    data, config = prepare(config.recipe, spec, {}, config)
    return PreparedRun(request, config, data)


def _prepare_here(request: RunRequest) -> PreparedRun:
    from ganstudio.ml.training.prepare import prepare, resolve_dataset
    from ganstudio.ml.training.run_folder import check_resumable, read_config

    stored = None
    if request.resume:
        run_dir = Path(request.run_dir)
        stored = check_resumable(run_dir, request.recipe) if request.recipe else read_config(run_dir)
    elif not request.dataset:
        from ganstudio.core.errors import DataError

        raise DataError("--data is required for a new run: no data set was given.",
                        "Pass --data with a folder or a built-in name (flowers, mnist).")
    dataset = request.dataset or stored.dataset_path
    spec = dataset if isinstance(dataset, DatasetSpec) else resolve_dataset(str(dataset))
    overrides = dict(request.overrides)
    if request.init_from and not request.resume:
        from ganstudio.ml.inference.generator import resolve_model

        overrides["init_generator"] = str(resolve_model(request.init_from).resolve())
    data, config = prepare(request.recipe or stored.recipe, spec, overrides, stored)
    return PreparedRun(request, config, data)


def make_trainer(run: PreparedRun, sinks: Sequence[Callable], control: Control | None = None, started=None):
    """The Trainer of a prepared run, with the run folder's own sinks (samples/, tensorboard/) after the caller's;
    `started`: start_strategy's (strategy, DeviceInfo) when it was called. A multi-worker run's folder sinks are the
    chief's alone."""
    from ganstudio.ml.multiworker import role_of
    from ganstudio.ml.strategy import make_strategy
    from ganstudio.ml.training.trainer import Trainer

    request, config = run.request, run.config
    run_dir = Path(request.run_dir)
    strategy, info = started or make_strategy(request.device, request.distribute)
    folder_sinks = _folder_sinks(request, config) if role_of(strategy).chief else []
    trainer = Trainer(config, run.data, run_dir, request.total_steps, [*sinks, *folder_sinks],
                      control, strategy=strategy, resume=request.resume, evaluator=_evaluator(config, request.eval_fid))
    trainer.device_info = info
    return trainer


def _folder_sinks(request: RunRequest, config: TrainConfig) -> list:
    from ganstudio.core.training.sample_folder import SampleFolderSink

    run_dir = Path(request.run_dir)
    sinks: list = [SampleFolderSink(run_dir / "samples")] if request.samples else []
    if request.tensorboard:
        from ganstudio.ml.training.tensorboard import TensorBoardSink

        sinks.append(TensorBoardSink(run_dir / "tensorboard", config))
    return sinks


def _evaluator(config: TrainConfig, n: int):
    """FID against the photos this run holds out, with the shipped flower classifier's features."""
    if not n:
        return None
    from ganstudio.core.errors import DataError
    from ganstudio.ml.evaluation.data import load_split
    from ganstudio.ml.evaluation.trainer_fid import flower_fid_evaluator

    if config.holdout <= 0:
        raise DataError("--eval-fid needs held-out photos to compare against.", "Add --holdout 0.1 (a new run).")
    _, _, heldout = load_split(config.dataset_path, config.holdout, config.image_size, config.channels)
    return flower_fid_evaluator(None, heldout.images, n)
