"""Build the denoising corpus: train/clean (real + TTS speech), train/noise (real + synthetic), val/ and test/ mixtures.

Reproducible: every choice comes from one seed. Evaluation (test/) uses only held-out real speakers mixed with held-out
real noise recordings at 0, 5, 10 and 15 dB, so the shipped model's scores are on speech and noise it never heard.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ganstudio.core.atomic import write_text_atomic
from ganstudio.core.errors import check_cancelled
from ganstudio.core.speech.noise_mix import SYNTHETIC_NOISES, babble, mix_at_snr, synthetic_noise
from ganstudio.speech_corpus import opensfx, sound_packs, sources, texts, tts
from ganstudio.core.image_data.splits import is_held_out

RATE = 16000
TEST_SNRS = (0.0, 5.0, 10.0, 15.0)
NOISE_HOLDOUT = 0.3  # fraction of the opensfx recordings kept for evaluation (by title hash)


@dataclass(frozen=True)
class CorpusPlan:
    seed: int = 0
    tts_utterances_per_voice: int = 40
    asterisk_minutes_per_speaker: float = 6.0
    utterance_seconds: float = 4.0  # joined clips (KLettres letters/syllables) are grouped to about this length
    test_per_speaker: int = 30
    val_mixtures: int = 16


def build_corpus(out: Path, plan: CorpusPlan = CorpusPlan(), say: Callable[[str], None] = print,
                 progress: Callable[[int, int], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> dict:
    """Writes the corpus under `out` and returns its summary (also saved as out/corpus.json).

    `progress(done, total)` counts one step per speaker, per TTS voice and per written part (train speech, noise, val,
    test); `cancelled()` is asked between utterances and files and raises core.errors.Cancelled (files written so far
    stay: the Train page builds into a temp folder it removes)."""
    from ganstudio.core.speech.audio_files import write_audio

    rng = np.random.default_rng(plan.seed)
    speakers, voices = sources.real_speakers(), tts.available_voices()
    steps = _Steps(len(speakers) + len(voices) + WRITTEN_PARTS, progress, cancelled)
    summary: dict = {"plan": plan.__dict__, "rate": RATE, "missing_packages": sources.missing_packages(), "sources": {}}
    train, test_speech = [], []
    for speaker in speakers:
        utterances = []
        for utterance in _real_utterances(speaker, plan, rng):  # a speaker has hundreds of clips: cancel between them
            steps.check()
            utterances.append(utterance)
        (test_speech if speaker.held_out else train).extend((speaker.name, u) for u in utterances)
        summary["sources"][speaker.name] = _describe(utterances, "test" if speaker.held_out else "train")
        say(f"{speaker.name}: {len(utterances)} utterances")
        steps.advance()
    train += _tts_utterances(plan, rng, summary, say, voices, steps)
    is_val = [is_held_out(f"{name}/{i}", 0.02) for i, (name, _) in enumerate(train)]
    val = [item for item, v in zip(train, is_val) if v][:plan.val_mixtures]  # never trained on: preview clips
    train = [item for item, v in zip(train, is_val) if not v]
    for i, (name, samples) in enumerate(train):
        steps.check()
        write_audio(out / "train" / "clean" / f"{name}__{i:05d}.wav", samples, RATE)
    steps.advance()
    train_noise, test_noise = _noises(rng, [u for _, u in train], summary)
    for name, samples in train_noise:
        steps.check()
        write_audio(out / "train" / "noise" / f"{name}.wav", samples, RATE)
    steps.advance()
    summary["val"] = _write_mixtures(out / "val", val, train_noise, rng, write_audio, steps.check)
    steps.advance()
    test_speech = _joined_to(test_speech, plan.utterance_seconds, rng)  # last use of rng: train/val/noise stay as drawn
    test_speech = _balanced(test_speech, plan.test_per_speaker, rng)
    summary["test"] = _write_mixtures(out / "test", test_speech, test_noise, rng, write_audio, steps.check)
    summary["train_clean_minutes"] = round(sum(len(u) for _, u in train) / RATE / 60, 1)
    write_text_atomic(out / "corpus.json", json.dumps(summary, indent=1))
    steps.advance()
    return summary


WRITTEN_PARTS = 4  # train/clean, train/noise, val/, test/ (with corpus.json): one progress step each


class _Steps:
    """The build's progress in steps, and its cancel check (a Debian-sized build takes many minutes)."""

    def __init__(self, total: int, progress: Callable[[int, int], None] | None, cancelled: Callable[[], bool] | None):
        self.done, self.total, self._progress, self._cancelled = 0, total, progress, cancelled

    def check(self) -> None:
        check_cancelled(self._cancelled)

    def advance(self) -> None:
        self.check()
        self.done += 1
        if self._progress:
            self._progress(self.done, self.total)


def _real_utterances(speaker: sources.Speaker, plan: CorpusPlan, rng: np.random.Generator) -> Iterator[np.ndarray]:
    from ganstudio.core.speech.data import load_clips

    skipped: list[str] = []  # a few packaged prompts are empty files: skipped, not fatal
    clips = [_trim(c) for c in load_clips(list(speaker.files), RATE, skipped, speaker.files[0].parent)]
    clips = [c for c in clips if len(c) > RATE // 10]
    if not speaker.joined:
        budget = plan.asterisk_minutes_per_speaker * 60 * RATE
        for i in rng.permutation(len(clips)):
            if budget <= 0 and not speaker.held_out:
                return
            budget -= len(clips[i])
            yield _normalise(clips[i], rng)
        return
    order = list(rng.permutation(len(clips)))
    while order:
        group, length = [], 0
        while order and length < plan.utterance_seconds * RATE:
            clip = clips[order.pop()]
            group += [clip, np.zeros(int(rng.uniform(0.08, 0.3) * RATE), np.float32)]
            length += len(clip)
        yield _normalise(np.concatenate(group[:-1]), rng)


def _tts_utterances(plan: CorpusPlan, rng, summary: dict, say, voices: list, steps: _Steps) -> list[tuple[str, np.ndarray]]:
    lines, out = texts.sentences(), []
    for voice in voices:
        picks = rng.choice(len(lines), size=min(plan.tts_utterances_per_voice, len(lines)), replace=False)
        utterances = []
        for i in picks:  # one TTS call each (up to a second): cancel is asked between them
            steps.check()
            utterances.append(_normalise(_trim(tts.synthesize(voice, lines[i], rng, RATE)), rng))
        out += [(voice.name, u) for u in utterances]
        summary["sources"][voice.name] = _describe(utterances, "train")
        say(f"{voice.name}: {len(utterances)} utterances")
        steps.advance()
    return out


def _noises(rng, speech: list[np.ndarray], summary: dict):
    """(train noises, test noises) as (name, samples); opensfx recordings are split by title; the game packs' recordings
    and the synthetic noises are for training only. Draws no random numbers for the packs: with or without them
    installed, the test set is the same."""
    train, test = [], []
    if opensfx.OPENSFX_CAT.exists():
        for entry in opensfx.read_cat():
            samples = opensfx.decode(entry, RATE)
            title = entry.name.split('"')[1] if entry.name.count('"') >= 2 else entry.name
            if len(samples) >= RATE // 2 and np.abs(samples).max() > 1e-3:
                held_out = is_held_out(_recording(entry.name, title), NOISE_HOLDOUT)
                (test if held_out else train).append((_slug(title), samples))
    train += list(sound_packs.recordings(RATE))
    for kind in SYNTHETIC_NOISES:
        train += [(f"synthetic-{kind}-{k}", 0.1 * synthetic_noise(kind, 20 * RATE, rng, RATE)) for k in range(3)]
    train += [(f"synthetic-babble-{k}", 0.1 * babble(speech, 20 * RATE, rng)) for k in range(4)]
    if not test:  # no opensfx recordings on this machine: new synthetic draws stand in (said in corpus.json)
        fresh = np.random.default_rng([int(rng.integers(2**31)), 5])
        test = [(f"synthetic-{kind}-test", 0.1 * synthetic_noise(kind, 20 * RATE, fresh, RATE)) for kind in ("pink", "hum")]
    summary["noise_train"] = [n for n, _ in train]
    summary["noise_test"] = [n for n, _ in test]
    return train, test


def _write_mixtures(folder: Path, speech, noises, rng, write_audio, check: Callable[[], None]) -> list[dict]:
    rows = []
    for i, (speaker, clean) in enumerate(speech):
        check()
        noise_name, noise = noises[int(rng.integers(len(noises)))]
        start = int(rng.integers(len(noise)))
        snr = TEST_SNRS[i % len(TEST_SNRS)]
        noisy, clean = mix_at_snr(clean, np.roll(noise, -start), snr)
        name = f"{i:04d}_{speaker}.wav"
        write_audio(folder / "clean" / name, clean, RATE)
        write_audio(folder / "noisy" / name, noisy, RATE)
        rows.append({"file": name, "speaker": speaker, "noise": noise_name, "snr_db": snr})
    write_text_atomic(folder / "mixtures.json", json.dumps(rows, indent=1))
    return rows


def _joined_to(speech, seconds: float, rng) -> list:
    """Consecutive utterances of one speaker joined (with short pauses) until each lasts `seconds`: short prompts
    ("yes", "seven") are too short for STOI and PESQ, which need sentence-length speech. A short remainder joins
    the speaker's previous utterance."""
    out: list = []
    for name in dict.fromkeys(speaker for speaker, _ in speech):
        groups: list[list[np.ndarray]] = [[]]
        for speaker, samples in speech:
            if speaker != name:
                continue
            if groups[-1] and sum(map(len, groups[-1])) >= seconds * RATE:
                groups.append([])
            pause = np.zeros(int(rng.uniform(0.15, 0.4) * RATE), np.float32)
            groups[-1] += [pause, samples] if groups[-1] else [samples]
        if len(groups) > 1 and sum(map(len, groups[-1])) < seconds * RATE:
            groups[-2] += [np.zeros(RATE // 4, np.float32), *groups.pop()]
        out += [(name, np.concatenate(g)) for g in groups if g]
    return out


def _balanced(speech, per_speaker: int, rng) -> list:
    by_speaker: dict[str, list] = {}
    for name, samples in speech:
        by_speaker.setdefault(name, []).append(samples)
    out = []
    for name, items in sorted(by_speaker.items()):
        picks = rng.permutation(len(items))[:per_speaker]
        out += [(name, items[i]) for i in picks]
    return out


def _trim(x: np.ndarray, threshold_db: float = -45.0, pad: int = RATE // 20) -> np.ndarray:
    """Cut leading/trailing silence (relative to the peak), keeping 50 ms of margin."""
    if not len(x):
        return x
    loud = np.flatnonzero(np.abs(x) > np.abs(x).max() * 10 ** (threshold_db / 20))
    return x[max(0, loud[0] - pad):loud[-1] + pad] if len(loud) else x[:0]


def _normalise(x: np.ndarray, rng) -> np.ndarray:
    """Peak-normalise to a random level between −12 and −1 dBFS: a denoiser must not depend on input loudness."""
    peak = float(np.abs(x).max()) if len(x) else 0.0
    return (x * (10 ** (rng.uniform(-12, -1) / 20) / peak)).astype(np.float32) if peak > 0 else x.astype(np.float32)


def _describe(utterances: list[np.ndarray], split: str) -> dict:
    return {"split": split, "utterances": len(utterances), "minutes": round(sum(map(len, utterances)) / RATE / 60, 2)}


def _recording(name: str, title: str) -> str:
    """The original recording an opensfx entry was edited from ("Wind" and "Heavy wind" are both wind1.wav): the
    hold-out is decided per recording, so no test noise has a sibling cut from the same file in training."""
    import re

    match = re.search(r'[Oo]rigi?nal "([^"]+)"', name)
    return match.group(1) if match else title


def _slug(title: str) -> str:
    return "sfx-" + "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")[:40]
