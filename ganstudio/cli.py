"""`ganstudio` command line: no sub-command opens the app; the others run headless on the same engine.

Output lines named in the README (e.g. `steps=… images_per_s=…`, bench `name value unit`) are a contract.
"""

from __future__ import annotations

import argparse
import sys

from ganstudio.core.errors import StudioError


def _parser() -> argparse.ArgumentParser:
    from ganstudio.commands import bench, check_data, classifier, eval_pairs, export, info, make_pairs, render, sample, train
    from ganstudio.commands import denoise, eval_denoiser, eval_text, make_captions, make_speech_corpus, prompt
    from ganstudio.commands import train_text_encoder
    from ganstudio.commands import eval as eval_command

    parser = argparse.ArgumentParser(prog="ganstudio", description="GAN studio: train, explore and use GANs.")
    parser.add_argument("--smoke-test", action="store_true", help="build the window offscreen, visit every page, exit")
    sub = parser.add_subparsers(dest="command")
    train.add_parser(sub)
    sample.add_parser(sub)
    info.add_parsers(sub)
    bench.add_parser(sub)
    classifier.add_parser(sub)
    eval_command.add_parser(sub)
    export.add_parser(sub)
    make_pairs.add_parser(sub)
    make_captions.add_parser(sub)
    eval_pairs.add_parser(sub)
    render.add_parser(sub)
    check_data.add_parser(sub)
    make_speech_corpus.add_parser(sub)
    denoise.add_parser(sub)
    eval_denoiser.add_parser(sub)
    train_text_encoder.add_parser(sub)
    prompt.add_parser(sub)
    eval_text.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv == ["--smoke-test"]:
        from ganstudio.app import run_app  # the fast path: no argparse of engine commands, no TF

        return run_app(smoke_test=bool(argv))
    args = _parser().parse_args(argv)
    if args.command is None:
        from ganstudio.app import run_app

        return run_app(smoke_test=args.smoke_test)
    if getattr(args, "graceful_stop", False):
        args.control = _stop_on_signals()
    try:
        return int(args.func(args) or 0)
    except StudioError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130


def _stop_on_signals():
    """A Control that Ctrl+C and SIGTERM stop: a long command (training) checkpoints, exports and exits cleanly."""
    import signal

    from ganstudio.core.training.control import Control

    control = Control()
    signal.signal(signal.SIGINT, lambda *_: control.stop())
    signal.signal(signal.SIGTERM, lambda *_: control.stop())
    return control
