"""`ganstudio train-text-encoder [--data flowers] [--kind char|word] [--steps N] --out DIR`: train a caption encoder
jointly with an image encoder on captioned photos, measure retrieval on held-out photos (training templates,
paraphrases, typos) and save a text-encoder model folder; ends with `name value unit` lines."""

from __future__ import annotations

import sys
import time


def add_parser(sub) -> None:
    p = sub.add_parser("train-text-encoder", help="train the caption encoder text-to-image models condition on")
    p.add_argument("--data", default="flowers", help="captioned photos: a class-folder data set with a .txt of "
                   "captions beside each photo (default: the built-in flowers)")
    p.add_argument("--kind", choices=("char", "word"), default="char", help="character- or word-level tokens")
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--out", required=True, help="model folder to write (joint_embedding.keras + manifest.json)")
    p.add_argument("--batch-size", type=int, default=64, help="photos per batch (the contrastive negatives)")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--holdout", type=float, default=0.1, help="photos held out by file-name hash (as everywhere)")
    p.add_argument("--select", type=float, default=0.08, help="training-side photos kept out to choose the checkpoint")
    p.add_argument("--image-init", default="flower-classifier",
                   help="classifier whose features start the image encoder, or 'none' for a fresh one")
    p.add_argument("--float16", action="store_true", help="store weights as float16 (measured as stored)")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=run)


def _config(args):
    from ganstudio.ml.text.training import TextEncoderConfig

    image_init = None if args.image_init.lower() == "none" else args.image_init
    return TextEncoderConfig(kind=args.kind, steps=args.steps, batch_size=args.batch_size, lr=args.lr,
                             image_init=image_init, seed=args.seed)


def _print_progress(started: float):
    def progress(step: int, logs: dict) -> None:
        print(f"step {step} loss={logs['loss']:.3f} select_rprec={logs['select_rprec']:.3f} "
              f"elapsed={time.monotonic() - started:.0f}s", file=sys.stderr, flush=True)

    return progress


def run(args) -> int:
    from ganstudio.core.captions.data import load_captioned
    from ganstudio.ml.modelfile import recast
    from ganstudio.ml.text.caption_sets import facts_ceiling, heldout_caption_sets, measured_facts
    from ganstudio.ml.text.data import split_three
    from ganstudio.ml.text.evaluate import evaluate
    from ganstudio.ml.text.model_folder import save_text_encoder
    from ganstudio.ml.text.networks import split_joint
    from ganstudio.ml.text.training import train_text_encoder
    from ganstudio.ml.training.prepare import resolve_dataset

    spec, cfg = resolve_dataset(args.data), _config(args)
    data = load_captioned(spec.path, 64)
    train, select, heldout = split_three(data, args.holdout, args.select)
    print(f"{len(train)} training, {len(select)} selection and {len(heldout)} held-out photos of {spec.name}; "
          f"{cfg.kind}-level, {cfg.steps} steps", file=sys.stderr)
    trained = train_text_encoder(train, select, cfg, _print_progress(time.monotonic()))
    facts = measured_facts(heldout)
    sets = heldout_caption_sets(heldout, facts, args.seed)
    stored = recast(recast(trained.model, "float16"), "float32") if args.float16 else trained.model
    scores = evaluate(*split_joint(stored), trained.tokenizer, heldout.images, sets)
    scores["facts_ceiling"] = round(facts_ceiling(heldout, facts), 4)
    trained.metrics.update({f"heldout_rprec_{name}": value for name, value in scores.items()},
                           heldout_photos=len(heldout))
    dataset = {"name": spec.name, "path": spec.path, "builtin": spec.builtin}
    out = save_text_encoder(trained, args.out, dataset, {"holdout": args.holdout, "select": args.select}, args.float16)
    for name, value in trained.metrics.items():
        unit = "ratio" if "rprec" in name else "s" if name == "cpu_s" else "count"
        print(f"{name} {value:.6g} {unit}", flush=True)
    print(f"saved to {out}", file=sys.stderr)
    return 0
