"""`ganstudio classifier train --data flowers --holdout 0.1 --out DIR [--epochs E]`: train the small domain
classifier whose features give FID (see `ganstudio eval`), on the same training split the generator used."""

from __future__ import annotations

import sys


def add_parser(sub) -> None:
    p = sub.add_parser("classifier", help="train the domain classifier used by `ganstudio eval`")
    actions = p.add_subparsers(dest="action", required=True)
    t = actions.add_parser("train", help="train on a labelled data set's training split, save a model folder")
    t.add_argument("--data", default="flowers", help="labelled data set: class subfolders (default: built-in flowers)")
    t.add_argument("--holdout", type=float, default=0.1, help="fraction held out by file-name hash (as in training)")
    t.add_argument("--out", required=True, help="model folder to write (classifier.keras + manifest.json)")
    t.add_argument("--epochs", type=int, default=45)
    t.add_argument("--batch-size", type=int, default=64)
    t.add_argument("--image-size", type=int, default=64)
    t.add_argument("--seed", type=int, default=0)
    t.set_defaults(func=run_train)


def _print_epoch(total: int):
    def progress(epoch: int, logs: dict) -> None:
        print(f"epoch {epoch}/{total} loss={logs['loss']:.3f} train_acc={logs['train_accuracy']:.3f}",
              file=sys.stderr, flush=True)

    return progress


def run_train(args) -> int:
    from ganstudio.ml.evaluation.classifier import ClassifierConfig, save_classifier, train_classifier
    from ganstudio.ml.evaluation.data import load_split

    spec, train, heldout = load_split(args.data, args.holdout, args.image_size)
    print(f"training on {len(train.images)} images of {spec.name}, {len(heldout.images)} held out "
          f"({', '.join(train.class_names)})", file=sys.stderr)
    cfg = ClassifierConfig(epochs=args.epochs, batch_size=args.batch_size, seed=args.seed)
    trained = train_classifier(train, heldout, cfg, _print_epoch(cfg.epochs))
    out = save_classifier(trained, args.out, {"name": spec.name, "path": spec.path, "builtin": spec.builtin}, args.holdout)
    for name, value in trained.metrics.items():
        print(f"{name} {value:g}")
    print(f"saved to {out}", file=sys.stderr)
    return 0
