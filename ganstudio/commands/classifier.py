"""`ganstudio classifier train --data flowers|mnist --holdout 0.1 --out DIR [--epochs E]`: train the small domain
classifier whose features give FID (see `ganstudio eval`) or the digit rate, on the generator's training split."""

from __future__ import annotations

import sys


def add_parser(sub) -> None:
    p = sub.add_parser("classifier", help="train the domain classifier used by `ganstudio eval`")
    actions = p.add_subparsers(dest="action", required=True)
    t = actions.add_parser("train", help="train on a labelled data set's training split, save a model folder")
    t.add_argument("--data", default="flowers",
                   help="labelled data set: class subfolders or IDX files (default: built-in flowers; mnist: digits)")
    t.add_argument("--holdout", type=float, default=0.1, help="fraction held out by file-name hash (as in training)")
    t.add_argument("--out", required=True, help="model folder to write (classifier.keras + manifest.json)")
    t.add_argument("--preset", choices=["photos", "digits"],
                   help="network size and augmentation (default: digits for IDX data, photos otherwise)")
    t.add_argument("--epochs", type=int, help="default: the preset's (45 photos, 20 digits)")
    t.add_argument("--batch-size", type=int, default=64)
    t.add_argument("--image-size", type=int, help="default: the data's training size (64 photos, 32 digits)")
    t.add_argument("--seed", type=int, default=0)
    t.set_defaults(func=run_train)


def _print_epoch(total: int):
    def progress(epoch: int, logs: dict) -> None:
        print(f"epoch {epoch}/{total} loss={logs['loss']:.3f} train_acc={logs['train_accuracy']:.3f}",
              file=sys.stderr, flush=True)

    return progress


def run_train(args) -> int:
    from dataclasses import replace

    from ganstudio.ml.evaluation.classifier import PRESETS, preset_for, save_classifier, train_classifier
    from ganstudio.ml.evaluation.data import load_split
    from ganstudio.ml.training.prepare import default_image_size, resolve_dataset

    spec = resolve_dataset(args.data)
    preset = args.preset or preset_for(spec.kind)
    size = args.image_size or default_image_size(spec)
    spec, train, heldout = load_split(args.data, args.holdout, size, channels=None)  # the data's own channels
    print(f"training on {len(train.images)} images of {spec.name}, {len(heldout.images)} held out "
          f"({', '.join(train.class_names)}), preset {preset}", file=sys.stderr)
    base = PRESETS[preset].config
    cfg = replace(base, epochs=args.epochs or base.epochs, batch_size=args.batch_size, seed=args.seed)
    trained = train_classifier(train, heldout, cfg, _print_epoch(cfg.epochs))
    dataset = {"name": spec.name, "path": spec.path, "builtin": spec.builtin}
    out = save_classifier(trained, args.out, dataset, args.holdout, preset)
    for name, value in trained.metrics.items():
        print(f"{name} {value:g}")
    print(f"saved to {out}", file=sys.stderr)
    return 0
