"""`ganstudio check-data PATH [--palette FILE]`: the paired data set check (pix2pix / pix2pixHD folders) before
training; prints every problem and exits 1 when there are any."""

from __future__ import annotations


def add_parser(sub) -> None:
    p = sub.add_parser("check-data", help="check a paired data set (pix2pix A|B or pix2pixHD label/img folders)")
    p.add_argument("path", help="data set folder")
    p.add_argument("--palette", default="", help="palette JSON to check label ids against (default: PATH/palette.json)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ganstudio.core.paired import check_paired
    from ganstudio.core.paired.layout import read_palette_file

    report = check_paired(args.path, read_palette_file(args.palette) if args.palette else None)
    print(report.summary(limit=None))
    return 0 if report.ok else 1
