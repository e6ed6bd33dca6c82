"""`ganstudio eval-text MODEL [--n N] [--seed S] …`: does a text-to-image model draw the flower and colour a prompt
names, do its images retrieve their captions (R-precision), how close are they to held-out photos (FID) and how
varied within one prompt; as `name value unit` lines (a contract for scripts). ml/evaluation/text_to_image.py has
the definitions."""

from __future__ import annotations

import sys
import time

from ganstudio.core.errors import StudioError


def add_parser(sub) -> None:
    p = sub.add_parser("eval-text", help="class/colour agreement, R-precision, FID and diversity of a text-to-image "
                                         "model; prints `name value unit` lines")
    p.add_argument("model", nargs="?", help="text-to-image model folder, run folder or installed name (default: shipped)")
    p.add_argument("--data", help="the captioned data set it was trained on (default: the one its manifest names)")
    p.add_argument("--holdout", type=float, help="the hold-out fraction it was trained with (default: its own)")
    p.add_argument("--n", type=int, default=1000, help="generated images for FID, from held-out captions (default 1000)")
    p.add_argument("--prompts-per-pair", type=int, default=3,
                   help="prompts per class × colour pair, and as many paraphrases (default 3)")
    p.add_argument("--per-prompt", type=int, default=3, help="images (z's) per agreement prompt (default 3)")
    p.add_argument("--min-count", type=int, default=20,
                   help="ask for a class × colour pair only when this many training photos show it (default 20)")
    p.add_argument("--diversity-samples", type=int, default=16, help="images of one prompt for diversity (default 16)")
    p.add_argument("--classifier", help="classifier model folder or name (default: the shipped flower classifier)")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=run)


def _options(args):
    from ganstudio.ml.evaluation.text_to_image import TextEvalOptions

    for flag, value, low in (("--n", args.n, 2), ("--prompts-per-pair", args.prompts_per_pair, 1),
                             ("--per-prompt", args.per_prompt, 1), ("--min-count", args.min_count, 1),
                             ("--diversity-samples", args.diversity_samples, 2)):
        if value < low:
            raise StudioError(f"{flag} {value} is too small.", f"Use {low} or more.")
    return TextEvalOptions(n=args.n, prompts_per_pair=args.prompts_per_pair, per_prompt=args.per_prompt,
                           min_count=args.min_count, diversity_samples=args.diversity_samples, seed=args.seed)


def _data_path(args, config) -> str:
    from ganstudio.ml.training.prepare import resolve_dataset

    from pathlib import Path

    wanted = args.data or config.dataset_path
    if wanted:  # a folder as it is; a built-in's name, or its folder as another install recorded it, resolved
        return str(Path(wanted).expanduser()) if Path(wanted).expanduser().is_dir() else resolve_dataset(wanted).path
    raise StudioError("The model does not say which captioned photos it was trained on.",
                      "Name them: --data FOLDER (e.g. --data flowers for the built-in photos and their captions).")


def _holdout(args, config) -> float:
    if args.holdout is not None:
        if not 0 < args.holdout < 1:
            raise StudioError(f"--holdout {args.holdout:g} is no fraction.", "Pass the model's, e.g. --holdout 0.1.")
        if config.holdout and args.holdout != config.holdout:
            print(f"note: the model was trained with holdout={config.holdout:g}, not {args.holdout:g}; some "
                  "'held-out' photos may have been seen in training", file=sys.stderr)
        return args.holdout
    if not config.holdout:
        print("note: the model was trained on all its photos (holdout 0); 0.1 of them are used as 'held-out' "
              "photos, which it has seen: FID and R-precision flatter it", file=sys.stderr)
        return 0.1
    return config.holdout


def run(args) -> int:
    from ganstudio.core.captions.data import load_captioned
    from ganstudio.ml.evaluation.classifier import ClassifierSession
    from ganstudio.ml.evaluation.text_to_image import evaluate_text
    from ganstudio.ml.inference.prompt import PromptSession

    options = _options(args)
    started = time.perf_counter()
    session = PromptSession.load(args.model)
    config = session.config
    path, holdout = _data_path(args, config), _holdout(args, config)
    classifier = ClassifierSession.load(args.classifier)
    data = load_captioned(path, session.image_size)
    print("note: r_precision uses the text encoder the generator was trained with, which flatters it (AttnGAN's "
          "DAMSM is likewise the one its GAN used)", file=sys.stderr)
    lines = evaluate_text(session, classifier, data, holdout, options,
                          log=lambda message: print(f"note: {message}", file=sys.stderr, flush=True))
    for name, value, unit in lines:
        print(f"{name} {value:.6g} {unit}", flush=True)
    print(f"eval_seconds {time.perf_counter() - started:.3g} s", flush=True)
    return 0
