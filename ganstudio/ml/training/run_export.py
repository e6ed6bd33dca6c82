"""Export any checkpoint of a training run (latest, best-scoring or a given step) as a generator model folder.

Read-only on the run folder, so it is safe while the run is still training in another process."""

from __future__ import annotations

from pathlib import Path

from ganstudio.core.errors import RunFolderError
from ganstudio.ml.training.checkpoints import CheckpointInfo, CheckpointStore
from ganstudio.ml.training.config import TrainConfig
from ganstudio.ml.training.run_folder import read_config
from ganstudio.ml.runtime import tf


def choose_checkpoint(run_dir: Path, which: str = "latest") -> CheckpointInfo:
    """`latest`, `best` (lowest metric, e.g. FID from an evaluator) or a step number."""
    items = CheckpointStore(Path(run_dir)).list()
    if not items:
        raise RunFolderError(f"{run_dir} has no checkpoints yet.", "Wait for the first checkpoint, or train longer.")
    if which == "latest":
        return items[-1]
    if which == "best":
        scored = [c for c in items if c.metric is not None]
        if not scored:
            raise RunFolderError(f"No checkpoint in {run_dir} has a metric to rank by.",
                                 "Use --checkpoint latest or a step; a run trained with an evaluator records one.")
        return min(scored, key=lambda c: c.metric)
    if not which.isdigit() or int(which) not in {c.step for c in items}:
        steps = ", ".join(str(c.step) for c in items)
        raise RunFolderError(f"{run_dir} has no checkpoint {which!r}.", f"Use latest, best or one of the steps: {steps}.")
    return next(c for c in items if c.step == int(which))


def restore_generator(config: TrainConfig, checkpoint: CheckpointInfo):
    """Rebuild the run's generator from its recipe and load its weights from the checkpoint: the averaged ones when
    the run kept an average (config.ema; they live in the generator's optimizer), else the last step's."""
    t = tf()
    from ganstudio.ml.recipes import get
    from ganstudio.ml.training.weight_average import has_average, make_optimizer

    recipe = get(config.recipe)
    generator = recipe.build(config)["generator"]
    tracked = {"generator": generator}
    if config.ema:
        optimizer = make_optimizer(recipe.optimizer, config.lr_g, config.beta1, config.beta2, config.ema)
        optimizer.build(generator.trainable_variables)
        tracked["opt_g"] = optimizer
    try:
        status = t.train.Checkpoint(**tracked).read(str(checkpoint.path / "state"))
        status.assert_existing_objects_matched().expect_partial()  # D (and its optimizer) are not wanted
    except (AssertionError, ValueError, t.errors.OpError) as err:
        raise RunFolderError(f"{checkpoint.path} does not match the run's generator ({type(err).__name__}).",
                             "The checkpoint is damaged or from another run configuration; pick another.") from err
    if config.ema and has_average(tracked["opt_g"]):
        tracked["opt_g"].finalize_variable_values(generator.trainable_variables)  # the average becomes the weights
    return generator


def export_checkpoint(run_dir: str | Path, out_dir: str | Path, which: str = "latest", float16: bool = False,
                      title: str = "", metrics: dict | None = None) -> tuple[Path, CheckpointInfo]:
    """(model folder written, checkpoint used)."""
    from ganstudio.ml.training.export import export_generator

    run_dir = Path(run_dir)
    config = read_config(run_dir)
    checkpoint = choose_checkpoint(run_dir, which)
    generator = restore_generator(config, checkpoint)
    all_metrics = {**({"checkpoint_metric": checkpoint.metric} if checkpoint.metric is not None else {}), **(metrics or {})}
    out = export_generator(generator, config, Path(out_dir), checkpoint.step, all_metrics, title, float16)
    return out, checkpoint
