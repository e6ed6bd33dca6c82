"""`ganstudio train RECIPE --data PATH --steps N --out RUN_DIR`: headless training with a progress bar.

Last line on stdout: `steps=<n> images_per_s=<x>` (a contract for scripts).
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser("train", help="train a recipe headless (servers, scripts)")
    p.add_argument("recipe", help="recipe name (see `ganstudio recipes`)")
    p.add_argument("--data", help="data set folder, or a built-in: flowers, mnist, fashion-mnist")
    p.add_argument("--steps", type=int, required=True, help="train until this many D+G updates in total")
    p.add_argument("--out", required=True, help="run folder (checkpoints, samples, TensorBoard logs, model/)")
    p.add_argument("--batch-size", type=int)
    p.add_argument("--resume", action="store_true", help="continue the run in --out exactly where it stopped")
    p.add_argument("--device", choices=["auto", "cpu", "gpu"], default="auto")
    p.add_argument("--distribute", choices=["default", "mirrored", "multiworker"], default="default",
                   help="tf.distribute strategy: mirrored = all local GPUs, multiworker = machines named in TF_CONFIG")
    p.add_argument("--image-size", type=int)
    p.add_argument("--z-dim", type=int)
    p.add_argument("--ngf", type=int)
    p.add_argument("--ndf", type=int)
    p.add_argument("--kernel", type=int, help="conv kernel size (book: 5; 4 is ~1.5× faster)")
    p.add_argument("--lr-g", type=float)
    p.add_argument("--lr-d", type=float)
    p.add_argument("--prior", choices=["normal", "uniform"])
    p.add_argument("--flip", action="store_true", help="mirror images horizontally at random (photos, not digits)")
    p.add_argument("--seed", type=int)
    p.add_argument("--direction", choices=["AtoB", "BtoA"], help="pix2pix A|B folders: which half is the input")
    p.add_argument("--l1-weight", type=float, help="λ of the L1 term (pix2pix: 100)")
    p.add_argument("--adv-weight", type=float, help="weight of the adversarial term (0: no adversary, the L1-only "
                                                     "baseline of a translation or speech recipe)")
    p.add_argument("--fm-weight", type=float, help="feature-matching weight (pix2pixHD-lite: 10)")
    p.add_argument("--d-scales", type=int, help="PatchGAN scales (pix2pixHD-lite: 1–3)")
    p.add_argument("--n-blocks", type=int, help="residual blocks of the pix2pixHD-lite generator")
    p.add_argument("--dropout", type=float, help="generator dropout (pix2pix: 0.5)")
    p.add_argument("--window", type=int, help="SEGAN: samples per training window at 16 kHz (16384)")
    p.add_argument("--variant", choices=["book", "paper"], help="SEGAN: book (5 layers, stride 4) or paper (11, stride 2)")
    p.add_argument("--stft-weight", type=float, help="SEGAN: weight of the multi-resolution STFT loss beside the "
                                                      "L1 (0: the book's L1 only)")
    p.add_argument("--stoi-weight", type=float, help="SEGAN: weight of 1 − a differentiable STOI (intelligibility) "
                                                      "beside the L1 (0: off)")
    p.add_argument("--residual", action=argparse.BooleanOptionalAction, default=None,
                   help="SEGAN: the generator adds a correction to its input (default) or, --no-residual, rebuilds "
                        "the waveform as the book's does")
    p.add_argument("--preemphasis", type=float, help="SEGAN: pre-emphasis coefficient (paper: 0.95; book: 0)")
    p.add_argument("--snr-min", type=float, help="SEGAN, clean + noise folders: lowest mixing SNR in dB (0)")
    p.add_argument("--vary-noise", action=argparse.BooleanOptionalAction, default=None,
                   help="SEGAN, clean + noise folders: give each mixture a new variant of a noise recording (speed, "
                        "EQ, two mixed; the default), or --no-vary-noise to use the recordings as they are")
    p.add_argument("--snr-max", type=float, help="SEGAN, clean + noise folders: highest mixing SNR in dB (15)")
    p.add_argument("--init-from", metavar="MODEL",
                   help="start the generator from this model's weights (model folder, run folder or installed name; "
                        "same recipe and sizes): fine-tune, e.g. a SEGAN pre-trained with --adv-weight 0")
    p.add_argument("--ema", type=_momentum, metavar="MOMENTUM",
                   help="average the generator's weights over training (e.g. 0.999: over ~1,000 steps); previews, "
                        "checkpoint metrics and exported models use the average (default 0: off)")
    p.add_argument("--holdout", type=float, help="fraction of the data held out for evaluation (by file-name hash)")
    p.add_argument("--no-xla", dest="xla", action="store_false", default=None, help="do not jit-compile the train step")
    p.add_argument("--preview-every", type=int)
    p.add_argument("--checkpoint-every", type=int)
    p.add_argument("--keep-checkpoints", type=int)
    p.add_argument("--eval-fid", type=int, metavar="N", default=0,
                   help="at each checkpoint, FID of N samples vs the held-out photos (flower data with --holdout); "
                        "the best checkpoint is kept and `ganstudio export --checkpoint best` picks it")
    p.add_argument("--no-tensorboard", action="store_true")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def _momentum(text: str) -> float:
    value = float(text)
    if not 0.0 <= value < 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not a momentum in [0, 1), e.g. 0.999")
    return value


def run(args) -> int:
    from ganstudio.core.control import Control
    from ganstudio.ml.prepare import HYPERPARAMETERS, prepare, resolve_dataset

    run_dir = Path(args.out)
    if args.resume:
        from ganstudio.ml.run_folder import check_resumable

        config = check_resumable(run_dir, args.recipe)
        spec = resolve_dataset(args.data or config.dataset_path)
    else:
        if not args.data:
            print("error: --data is required for a new run", file=sys.stderr)
            return 2
        spec = resolve_dataset(args.data)
        config = None
    overrides = {k: getattr(args, k) for k in HYPERPARAMETERS if getattr(args, k, None) is not None}
    if args.flip:
        overrides["flip_augment"] = True
    if args.init_from and not args.resume:
        from ganstudio.ml.inference import resolve_model

        overrides["init_generator"] = str(resolve_model(args.init_from).resolve())
    data, config = prepare(args.recipe, spec, overrides, config)
    for line in data.skipped[:5]:
        print(f"skipped {line}", file=sys.stderr)
    if len(data.skipped) > 5:
        print(f"skipped {len(data.skipped) - 5} more unreadable files", file=sys.stderr)
    control = Control()
    signal.signal(signal.SIGINT, lambda *_: control.stop())  # Ctrl+C: checkpoint, export, exit cleanly
    signal.signal(signal.SIGTERM, lambda *_: control.stop())
    return _train(config, data, run_dir, args, control)


def _train(config, data, run_dir: Path, args, control) -> int:
    from ganstudio.commands.train_sinks import SampleFolderSink, TerminalSink
    from ganstudio.ml.trainer import Trainer

    terminal = TerminalSink(args.steps, config.batch_size, quiet=args.quiet)
    sinks = [terminal, SampleFolderSink(run_dir / "samples")]
    if not args.no_tensorboard:
        from ganstudio.ml.tensorboard import TensorBoardSink

        sinks.append(TensorBoardSink(run_dir / "tensorboard"))
    from ganstudio.ml.runtime import make_strategy

    strategy, info = make_strategy(args.device, args.distribute)
    evaluator = _fid_evaluator(config, args.eval_fid) if args.eval_fid else None
    trainer = Trainer(config, data, run_dir, args.steps, sinks, control, strategy=strategy, resume=args.resume,
                      evaluator=evaluator)
    trainer.device_info = info
    trainer.run()
    print(f"steps={trainer.step} images_per_s={terminal.mean_rate():.1f}")
    return 0


def _fid_evaluator(config, n: int):
    """FID against the photos this run holds out, with the shipped flower classifier's features."""
    from ganstudio.core.errors import DataError
    from ganstudio.ml.evaluation.data import load_split
    from ganstudio.ml.evaluation.trainer_fid import flower_fid_evaluator

    if config.holdout <= 0:
        raise DataError("--eval-fid needs held-out photos to compare against.", "Add --holdout 0.1 (a new run).")
    _, _, heldout = load_split(config.dataset_path, config.holdout, config.image_size, config.channels)
    return flower_fid_evaluator(None, heldout.images, n)
