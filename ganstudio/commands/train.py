"""`ganstudio train RECIPE --data PATH --steps N --out RUN_DIR`: headless training with a progress bar.

Last line on stdout: `steps=<n> images_per_s=<x>` (a contract for scripts). The hyperparameter flags are generated
from the table in ml/training/config.py; the run is assembled by ml/training/run_builder.py, as the Train page's is.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ganstudio.commands.train_flags import add_hyperparameter_flags, overrides_from


def add_parser(sub) -> None:
    p = sub.add_parser("train", help="train a recipe headless (servers, scripts)")
    p.add_argument("recipe", help="recipe name (see `ganstudio recipes`)")
    p.add_argument("--data", help="data set folder, or a built-in: flowers, mnist, fashion-mnist")
    p.add_argument("--steps", type=int, required=True, help="train until this many D+G updates in total")
    p.add_argument("--out", required=True, help="run folder (checkpoints, samples, TensorBoard logs, model/)")
    p.add_argument("--resume", action="store_true", help="continue the run in --out exactly where it stopped")
    p.add_argument("--device", choices=["auto", "cpu", "gpu"], default="auto")
    p.add_argument("--distribute", choices=["default", "mirrored", "multiworker"], default="default",
                   help="tf.distribute strategy: mirrored = all local GPUs, multiworker = machines named in TF_CONFIG")
    p.add_argument("--init-from", metavar="MODEL",
                   help="start the generator from this model's weights (model folder, run folder or installed name; "
                        "same recipe and sizes): fine-tune, e.g. a SEGAN pre-trained with --adv-weight 0")
    p.add_argument("--eval-fid", type=int, metavar="N", default=0,
                   help="at each checkpoint, FID of N samples vs the held-out photos (flower data with --holdout); "
                        "the best checkpoint is kept and `ganstudio export --checkpoint best` picks it")
    p.add_argument("--no-tensorboard", action="store_true")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_hyperparameter_flags(p)
    p.set_defaults(func=run, graceful_stop=True)  # cli.main turns Ctrl+C and SIGTERM into args.control.stop()


def run(args: argparse.Namespace) -> int:
    from ganstudio.commands.train_sinks import TerminalSink
    from ganstudio.core.training.control import Control
    from ganstudio.core.training.run_request import RunRequest
    from ganstudio.ml.training.run_builder import make_trainer, prepare_run, start_strategy

    request = RunRequest(args.recipe, args.data, Path(args.out), args.steps, overrides_from(args), args.resume,
                         args.device, args.distribute, tensorboard=not args.no_tensorboard, eval_fid=args.eval_fid,
                         init_from=args.init_from or "")
    started = start_strategy(request)  # multiworker: first, and it waits until every worker has started
    prepared = prepare_run(request, started[0] if started else None)
    _report_skipped(prepared.data.skipped)
    terminal = TerminalSink(args.steps, prepared.config.batch_size, quiet=args.quiet)
    trainer = make_trainer(prepared, [terminal], getattr(args, "control", None) or Control(), started)
    trainer.run()
    print(f"steps={trainer.step} images_per_s={terminal.mean_rate():.1f}")
    return 0


def _report_skipped(skipped: list[str]) -> None:
    for line in skipped[:5]:
        print(f"skipped {line}", file=sys.stderr)
    if len(skipped) > 5:
        print(f"skipped {len(skipped) - 5} more unreadable files", file=sys.stderr)
