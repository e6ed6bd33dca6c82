"""`ganstudio eval-pairs MODEL --data PAIRED_DIR`: L1 and domain FID of a translator on the held-out (val) pairs,
as `name value unit` lines (the same contract as `ganstudio eval`)."""

from __future__ import annotations


def add_parser(sub) -> None:
    p = sub.add_parser("eval-pairs", help="L1 and FID of a pix2pix / pix2pixHD model on held-out pairs")
    p.add_argument("model", help="translator model folder, run folder or installed name")
    p.add_argument("--data", required=True, help="paired data set with a val split (e.g. from `ganstudio make-pairs`)")
    p.add_argument("--split", default="val")
    p.add_argument("--classifier", help="classifier model folder or name (default: the shipped flower classifier)")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=run)


def run(args) -> int:
    from ganstudio.core.paired import load_paired
    from ganstudio.ml.evaluation.classifier import ClassifierSession
    from ganstudio.ml.evaluation.translation_eval import evaluate_translator
    from ganstudio.ml.inference.generator import resolve_model
    from ganstudio.ml.inference.translator import TranslatorSession

    session = TranslatorSession.load(resolve_model(args.model))
    size, direction = session.native_size, session.config.direction
    heldout = load_paired(args.data, args.split, size, direction)
    train = load_paired(args.data, "train", size, direction)
    classifier = ClassifierSession.load(args.classifier)
    for name, value, unit in evaluate_translator(session, heldout, classifier, train.targets, args.seed):
        print(f"{name} {value:.6g} {unit}", flush=True)
    return 0
