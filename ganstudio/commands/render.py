"""`ganstudio render MODEL --input SKETCH.png --out OUT.png [--seed S]`: a sketch or label map → a photo, headless."""

from __future__ import annotations


def add_parser(sub) -> None:
    p = sub.add_parser("render", help="render an edge sketch or label map to a photo with a pix2pix / pix2pixHD model")
    p.add_argument("model", help="translator model folder, run folder or installed name (see `ganstudio models`)")
    p.add_argument("--input", required=True,
                   help="edge models: a sketch (dark lines on white); label models: a PNG of class ids, or a "
                        "picture painted in the palette's colours")
    p.add_argument("--out", required=True, help="PNG to write")
    p.add_argument("--seed", type=int, default=0, help="0: deterministic render; other values: dropout variations")
    p.add_argument("--photo", action="store_true", help="--input is a photo: derive its edge or label map first")
    p.add_argument("--pair", action="store_true", help="write input | output side by side")
    p.set_defaults(func=run)


def _sketch(session, args) -> tuple:
    from ganstudio.core.sketch import sketch_io
    from ganstudio.core.sketch.edges import edges_from_photo
    from ganstudio.core.sketch.labels import labels_from_photo

    labels = session.input_kind == "labels"
    if args.photo:
        photo, notes = sketch_io.load_photo(args.input, 4 * session.native_size)
        return (labels_from_photo(photo, session.palette) if labels else edges_from_photo(photo)), notes
    if labels:
        return sketch_io.load_label_map(args.input, session.palette)
    return sketch_io.load_sketch(args.input)


def run(args) -> int:
    from ganstudio.core.sketch import sketch_io
    from ganstudio.ml.inference.generator import resolve_model
    from ganstudio.ml.inference.translator import TranslatorSession

    session = TranslatorSession.load(resolve_model(args.model))
    sketch, notes = _sketch(session, args)
    photo = session.render(sketch, args.seed)
    if args.pair:
        photo = sketch_io.side_by_side(sketch_io.sketch_to_rgb(sketch, session.palette), photo)
    sketch_io.save_png(photo, args.out)
    for note in [*notes, *session.notes]:
        print(f"note: {note}")
    print(f"wrote {photo.shape[1]}×{photo.shape[0]} render from {session.title} to {args.out}")
    return 0
