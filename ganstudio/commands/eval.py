"""`ganstudio eval MODEL --data flowers --holdout 0.1 [--n 2000] [--classifier DIR] [--metrics fid,kid,…]`: FID
against held-out photos, with reference figures and a mode histogram, as `name value unit` lines (a contract for
scripts); `--metrics` prints the chosen metrics of the book's toolkit instead (ml/evaluation/toolkit.py)."""

from __future__ import annotations

import sys

from ganstudio.core.errors import StudioError


def add_parser(sub) -> None:
    p = sub.add_parser("eval", help="FID vs held-out photos and mode coverage; prints `name value unit` lines")
    p.add_argument("model", nargs="?", help="generator model folder, run folder or installed name (default: shipped)")
    p.add_argument("--data", default="flowers", help="the data set the generator was trained on (default: flowers)")
    p.add_argument("--holdout", type=float, default=0.1, help="the hold-out fraction it was trained with")
    p.add_argument("--n", type=int, default=2000, help="generated images (real training photos: the same number)")
    p.add_argument("--classifier", help="classifier model folder or name (default: the shipped flower classifier)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--metrics", help="comma-separated, any of fid,kid,is,prdc,knn,birthday,tequila,modes: print these "
                                     "instead of the default report (references: the held-out photos)")
    p.set_defaults(func=run)


def _warn_if_mismatched(config, holdout: float, spec) -> None:
    if config.holdout != holdout:
        print(f"note: the generator was trained with holdout={config.holdout:g}, not {holdout:g}; "
              "some 'held-out' photos may have been seen in training", file=sys.stderr)
    if config.dataset_name and config.dataset_name != spec.name:  # names, not paths: built-ins move with the install
        print(f"note: the generator was trained on {config.dataset_name}, evaluating against {spec.name}", file=sys.stderr)


def _warn_if_classifier_mismatched(classifier, holdout: float) -> None:
    trained_with = classifier.manifest.config.get("holdout")
    if trained_with != holdout:
        print(f"note: the classifier was trained with holdout={trained_with}, not {holdout:g}", file=sys.stderr)


def run(args) -> int:
    from ganstudio.ml.evaluation.classifier import ClassifierSession
    from ganstudio.ml.evaluation.data import load_split
    from ganstudio.ml.evaluation.protocol import evaluate, generated_samples
    from ganstudio.ml.inference.generator import GeneratorSession, resolve_model

    from ganstudio.ml.evaluation.toolkit import parse_metrics, toolkit_lines

    metrics = parse_metrics(args.metrics) if args.metrics is not None else None  # refuse a typo before loading models
    if args.n < 2:
        raise StudioError(f"--n {args.n} is too few samples for FID.", "Use a few hundred or more (default 2000).")
    session = GeneratorSession.load(resolve_model(args.model))
    classifier = ClassifierSession.load(args.classifier)
    spec, train, heldout = load_split(args.data, args.holdout, classifier.image_size, classifier.channels)
    _warn_if_mismatched(session.config, args.holdout, spec)
    _warn_if_classifier_mismatched(classifier, args.holdout)
    generated = generated_samples(session, args.n, args.seed)
    if metrics:
        lines = toolkit_lines(metrics, generated, classifier, train.images, heldout.images, args.seed)
    else:
        lines = evaluate(generated, classifier, train.images, heldout.images, args.seed)
    for name, value, unit in lines:
        print(f"{name} {value:.6g} {unit}", flush=True)
    return 0
