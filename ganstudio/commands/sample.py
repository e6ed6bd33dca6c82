"""`ganstudio sample [MODEL] --n N --out FILE.png [--seed S]`: a grid of samples from a generator."""

from __future__ import annotations


def add_parser(sub) -> None:
    p = sub.add_parser("sample", help="write a grid of generated images")
    p.add_argument("model", nargs="?", help="model folder or installed model name (default: the shipped flower generator)")
    p.add_argument("--n", type=int, default=16)
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--label", type=int, help="class index for a conditional generator")
    p.set_defaults(func=run)


def run(args) -> int:
    from ganstudio.core.atomic import write_bytes_atomic
    from ganstudio.core.grid import tile
    from ganstudio.core.image_data.images import to_pil
    from ganstudio.ml.inference.generator import GeneratorSession, resolve_model

    session = GeneratorSession.load(resolve_model(args.model))
    images = session.sample(args.n, seed=args.seed, label=args.label)
    import io

    buf = io.BytesIO()
    to_pil(tile(images)).save(buf, format="PNG")
    write_bytes_atomic(args.out, buf.getvalue())
    print(f"wrote {args.n} samples from {session.manifest.title} to {args.out}")
    return 0
