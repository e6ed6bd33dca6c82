"""`ganstudio make-speech-corpus OUT`: build the denoising corpus from Debian's speech, TTS and noise packages.

Reproducible (one seed); see models/README.md for the packages it uses and the held-out speakers and noises.
"""

from __future__ import annotations

import sys
from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser("make-speech-corpus", help="build a speech + noise corpus (train/ val/ test/) from Debian packages")
    p.add_argument("out", help="folder to create (must not exist or be empty)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--tts-per-voice", type=int, default=40, help="synthetic utterances per TTS voice")
    p.set_defaults(func=run)


def run(args) -> int:
    from ganstudio.speech_corpus import preflight
    from ganstudio.speech_corpus.builder import CorpusPlan, build_corpus

    out = Path(args.out)
    if out.exists() and any(out.iterdir()):
        print(f"error: {out} is not empty; choose a new folder", file=sys.stderr)
        return 2
    note = preflight.install_note()
    if note:
        print(f"note: {note}", file=sys.stderr)
    if not preflight.has_speech():
        print("error: no speech sources found (see the note above)", file=sys.stderr)
        return 1
    summary = build_corpus(out, CorpusPlan(seed=args.seed, tts_utterances_per_voice=args.tts_per_voice))
    print(f"train clean speech: {summary['train_clean_minutes']} min; noises: {len(summary['noise_train'])} train, "
          f"{len(summary['noise_test'])} test; test mixtures: {len(summary['test'])}; wrote {out}")
    return 0
