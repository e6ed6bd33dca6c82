"""Held-out speech with a room fan running: the clean test clips of a speech corpus mixed with `fan` noise.

    .venv/bin/python packaging/make_fan_test.py CORPUS/test OUT [--snr 0 5 10]
    .venv/bin/ganstudio eval-denoiser speech-denoiser-segan --data OUT

The "record your voice with a fan running" check, measured: the speakers are the corpus's held-out ones, and the
fan (airflow rumble, blade-pass tone, slow beat: core/speech/noise_mix.py) is a noise the corpus never trained on. Each clip
gets its own fan (seeded by its index), at the SNRs in turn. Writes OUT/clean, OUT/noisy and OUT/mixtures.json, the layout
`ganstudio eval-denoiser` reads.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from ganstudio.core.speech.audio_files import read_audio, write_audio
from ganstudio.core.speech.noise_mix import mix_at_snr, synthetic_noise
from ganstudio.core.speech.data import audio_files

RATE = 16000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("test", type=Path, help="a corpus's test/ folder (its clean/ clips are used)")
    parser.add_argument("out", type=Path)
    parser.add_argument("--snr", type=float, nargs="+", default=[0.0, 5.0, 10.0])
    args = parser.parse_args()
    mixtures = []
    for index, path in enumerate(audio_files(args.test / "clean")):
        clean = read_audio(path, RATE).samples
        snr = args.snr[index % len(args.snr)]
        fan = synthetic_noise("fan", len(clean), np.random.default_rng(index), RATE)
        noisy, reference = mix_at_snr(clean, fan, snr)
        write_audio(args.out / "clean" / path.name, reference, RATE)
        write_audio(args.out / "noisy" / path.name, noisy, RATE)
        mixtures.append({"file": path.name, "speaker": path.stem.split("_", 1)[1], "noise": "fan", "snr_db": snr})
    (args.out / "mixtures.json").write_text(json.dumps(mixtures, indent=1))
    print(f"wrote {len(mixtures)} mixtures to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
