"""Export any checkpoint of a training run (latest, best-scoring or a given step) as a generator model folder.

Read-only on the run folder, so it is safe while the run is still training in another process. A checkpoint is read
back whole before it is used (checkpoint_check.py, as a resume does): a damaged newest or best one is passed over for
the next intact one, and the export says which and why."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ganstudio.core.errors import RunFolderError
from ganstudio.ml.training.checkpoint_check import damage, newest_intact
from ganstudio.ml.training.checkpoints import CheckpointInfo, CheckpointStore
from ganstudio.ml.training.config import TrainConfig
from ganstudio.ml.training.run_folder import read_config
from ganstudio.ml.runtime import tf


def choose_checkpoint(run_dir: Path, which: str = "latest") -> tuple[CheckpointInfo, str]:
    """`latest` (the newest intact), `best` (the intact one with the lowest metric, e.g. FID from an evaluator) or a
    step number (refused when damaged: the user asked for that one); and a note naming any damaged checkpoint passed
    over, or ""."""
    store = CheckpointStore(Path(run_dir))
    if not store.list() and not store.unreadable():
        raise RunFolderError(f"{run_dir} has no checkpoints yet.", "Wait for the first checkpoint, or train longer.")
    if which == "latest":
        chosen, damaged = newest_intact(store)
        return _intact_or_refuse(run_dir, chosen, damaged, "the newest intact one")
    items = store.list()
    if which == "best":
        scored = sorted((c for c in items if c.metric is not None), key=lambda c: c.metric)
        if not scored:
            raise RunFolderError(f"No checkpoint in {run_dir} has a metric to rank by.",
                                 "Use --checkpoint latest or a step; a run trained with an evaluator records one.")
        damaged = []
        for info in scored:
            why = damage(info.path)
            if why is None:
                return _intact_or_refuse(run_dir, info, damaged, "the best intact one")
            damaged.append(f"checkpoint {info.step} is damaged ({why})")
        raise RunFolderError(f"Every checkpoint of {run_dir} with a metric is damaged: {'; '.join(damaged)}.",
                             "Use --checkpoint latest, which passes over damaged checkpoints.")
    steps = ", ".join(str(c.step) for c in items)
    if not which.isdigit() or int(which) not in {c.step for c in items}:
        raise RunFolderError(f"{run_dir} has no checkpoint {which!r}.", f"Use latest, best or one of the steps: {steps}.")
    info = next(c for c in items if c.step == int(which))
    why = damage(info.path)
    if why is not None:
        raise RunFolderError(f"Checkpoint {info.step} of {run_dir} is damaged ({why}).",
                             f"Export another: latest or best pass over damaged ones; the steps are {steps}.")
    return info, ""


def _intact_or_refuse(run_dir: Path, chosen: CheckpointInfo | None, damaged: list[str],
                      chosen_as: str) -> tuple[CheckpointInfo, str]:
    """`chosen` with a note naming the damaged checkpoints passed over for it; refused when there is none."""
    if chosen is None:
        raise RunFolderError(f"No checkpoint of {run_dir} can be exported: {'; '.join(damaged)}.",
                             "Train the run again (delete the damaged ckpt-* folders first), or export another run.")
    passed_over = "; ".join(damaged)
    note = f"{passed_over[:1].upper()}{passed_over[1:]}; exporting step {chosen.step}, {chosen_as}." if damaged else ""
    return chosen, note


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
                      title: str = "", metrics: dict | None = None,
                      say: Callable[[str], None] | None = None) -> tuple[Path, CheckpointInfo]:
    """(model folder written, checkpoint used); `say` hears why another checkpoint than the one asked for was used."""
    from ganstudio.ml.training.export import export_generator

    run_dir = Path(run_dir)
    config = read_config(run_dir)
    checkpoint, note = choose_checkpoint(run_dir, which)
    if note and say is not None:
        say(note)
    generator = restore_generator(config, checkpoint)
    all_metrics = {**({"checkpoint_metric": checkpoint.metric} if checkpoint.metric is not None else {}), **(metrics or {})}
    out = export_generator(generator, config, Path(out_dir), checkpoint.step, all_metrics, title, float16)
    return out, checkpoint
