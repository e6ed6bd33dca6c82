"""`ganstudio bench train|ui|latent|sketch|denoise|prompt`: one `name value unit` line per figure, for scripts."""

from __future__ import annotations


def add_parser(sub) -> None:
    p = sub.add_parser("bench", help="measure speed; prints `name value unit` lines")
    p.add_argument("what", choices=["train", "ui", "latent", "sketch", "denoise", "prompt"])
    p.add_argument("--quick", action="store_true", help="shorter runs (noisier figures)")
    p.set_defaults(func=run)


def run(args) -> int:
    import importlib

    module = importlib.import_module(f"ganstudio.bench.{args.what}")
    for name, value, unit in module.run(quick=args.quick):
        print(f"{name} {value:.6g} {unit}", flush=True)
    return 0
