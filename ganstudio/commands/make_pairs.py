"""`ganstudio make-pairs PHOTOS --kind edges|labels --out DIR`: derive paired training data from photos."""

from __future__ import annotations


def add_parser(sub) -> None:
    p = sub.add_parser("make-pairs", help="derive edge or label-map training pairs from a folder of photos")
    p.add_argument("photos", help="folder of photos (subfolders are searched)")
    p.add_argument("--kind", choices=("edges", "labels"), required=True,
                   help="edges: pix2pix A|B files; labels: pix2pixHD train_label/ + train_img/ folders")
    p.add_argument("--out", required=True, help="output folder (created)")
    p.add_argument("--size", type=int, default=128, help="photos are centre-cropped and resized to this size")
    p.add_argument("--holdout", type=float, default=0.1, help="fraction of photos written to the val split")
    p.set_defaults(func=run)


def run(args) -> int:
    import time
    from pathlib import Path

    from ganstudio.core.progress import ProgressBar
    from ganstudio.core.sketch.pairs_builder import build_pairs, photo_files

    bar, started = ProgressBar(len(photo_files(Path(args.photos)))), time.monotonic()

    def progress(done: int, total: int) -> None:
        bar.update(done, done / max(time.monotonic() - started, 1e-6), force=done == total)

    report = build_pairs(Path(args.photos), Path(args.out), args.kind, args.size, args.holdout, progress)
    bar.close()
    print(f"wrote {report.train} training and {report.val} held-out pairs to {args.out}")
    for line in report.skipped:
        print(f"skipped {line}")
    return 0
