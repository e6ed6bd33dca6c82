"""`ganstudio export RUN_DIR --out MODEL_DIR [--checkpoint latest|best|STEP] [--float16] [--title T]`: turn a
checkpoint of a training run (even one still training) into a model folder for the Latent page and `sample`.
A damaged checkpoint is passed over for the next intact one, with a note saying which and why."""

from __future__ import annotations

import argparse
import sys


def _metric(text: str) -> tuple[str, float]:
    name, sep, value = text.partition("=")
    try:
        return name.strip(), float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected NAME=NUMBER, got {text!r}") from None


def add_parser(sub) -> None:
    p = sub.add_parser("export", help="export a run's checkpoint as a model folder")
    p.add_argument("run_dir", help="training run folder (the --out of `ganstudio train`)")
    p.add_argument("--out", required=True, help="model folder to write")
    p.add_argument("--checkpoint", default="latest", help="latest (default), best (lowest metric) or a step number")
    p.add_argument("--float16", action="store_true", help="store weights as float16 (half the size)")
    p.add_argument("--title", default="", help="display title in the model list")
    p.add_argument("--metric", type=_metric, action="append", default=[], metavar="NAME=VALUE",
                   help="a quality figure to record in the manifest, e.g. fid_vs_heldout=42.1 (repeatable)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ganstudio.ml.training.run_export import export_checkpoint

    out, checkpoint = export_checkpoint(args.run_dir, args.out, args.checkpoint, args.float16, args.title,
                                        dict(args.metric), say=lambda note: print(f"note: {note}", file=sys.stderr))
    print(f"exported step {checkpoint.step} of {args.run_dir} to {out}", file=sys.stderr)
    print(f"step={checkpoint.step} out={out}")
    return 0
