"""`ganstudio make-captions FOLDER [--seed S] [--overwrite]`: write ten generated captions beside every photo."""

from __future__ import annotations


def add_parser(sub) -> None:
    p = sub.add_parser("make-captions", help="write a same-named .txt of ten generated captions beside every photo")
    p.add_argument("folder", help="folder of photos (class subfolders name the flowers)")
    p.add_argument("--seed", type=int, default=0, help="varies the wording; the same seed gives the same captions")
    p.add_argument("--overwrite", action="store_true", help="replace caption files that already exist")
    p.set_defaults(func=run)


def run(args) -> int:
    import time
    from pathlib import Path

    from ganstudio.core.captions.folder import caption_folder
    from ganstudio.core.progress import ProgressBar

    bar, started = None, time.monotonic()

    def progress(done: int, total: int) -> None:
        nonlocal bar
        bar = bar or ProgressBar(total)
        bar.update(done, done / max(time.monotonic() - started, 1e-6), force=done == total)

    report = caption_folder(Path(args.folder), args.seed, args.overwrite, progress)
    if bar:
        bar.close()
    for line in report.summary():
        print(line)
    if report.kept:
        print(f"kept {report.kept} existing caption files; pass --overwrite to replace them")
    return 0
