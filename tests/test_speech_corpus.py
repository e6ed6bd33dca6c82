"""The speech corpus builder: the opensfx.cat reader, sentences, joined test utterances, and a whole build from
stand-in sources (the Debian packages are not needed for the tests)."""

from __future__ import annotations

import io
import json
import struct

import numpy as np
import pytest
import soundfile

from ganstudio.speech_corpus import builder, opensfx, sound_packs, sources, texts, tts
from ganstudio.core.speech.data import detect_speech
from speech_fixtures import RATE, voiced


def _cat(path, entries: list[tuple[str, np.ndarray, int]]) -> None:
    """A file in opensfx.cat's layout: (offset | 0x80000000, size) pairs, then name-length, name, RIFF."""
    bodies = []
    for name, samples, rate in entries:
        wav = io.BytesIO()
        soundfile.write(wav, samples, rate, format="WAV", subtype="PCM_16")
        raw = name.encode("latin-1") + b"\0"
        bodies.append(bytes([len(raw)]) + raw + wav.getvalue())
    table, offset = b"", 8 * len(entries)
    for body in bodies:
        table += struct.pack("<II", offset | 0x80000000, len(body))
        offset += len(body)
    path.write_bytes(table + b"".join(bodies))


def test_opensfx_entries_are_read_and_resampled(tmp_path):
    tone = np.sin(2 * np.pi * 440 * np.arange(44100) / 44100).astype(np.float32) * 0.5
    _cat(tmp_path / "x.cat", [('"Wind". By someone. CC0', tone, 44100), ('"Jackhammer". CC-BY', tone[:22050], 22050)])
    entries = opensfx.read_cat(tmp_path / "x.cat")
    assert [e.name.split('"')[1] for e in entries] == ["Wind", "Jackhammer"]
    wind = opensfx.decode(entries[0], RATE)
    assert wind.shape == (RATE,) and abs(np.abs(wind).max() - 0.5) < 0.02


def test_sentences_are_plain_words(tmp_path):
    (tmp_path / "GPL").write_text("This is free software for all. See <http://x.org> 3.1 for details. Short one. "
                                  "You may copy, distribute and modify it under these terms!")
    assert texts.sentences(tmp_path) == ["This is free software for all.",
                                         "You may copy, distribute and modify it under these terms."]


def test_short_test_prompts_are_joined_per_speaker():
    rng = np.random.default_rng(0)
    speech = [("a", np.ones(RATE // 2, np.float32))] * 9 + [("b", np.ones(3 * RATE, np.float32))]
    joined = builder._joined_to(speech, 2.0, rng)
    assert [name for name, _ in joined].count("b") == 1
    lengths = [len(x) / RATE for name, x in joined if name == "a"]
    assert len(lengths) >= 2 and min(lengths) >= 2.0  # a short remainder joins the previous utterance


def _stand_in_sources(tmp_path, monkeypatch) -> None:
    speakers = []
    for name, f0 in (("klettres-en", 220), ("klettres-xx", 120)):  # klettres-en is a held-out speaker
        files = []
        for i in range(4):
            files.append(tmp_path / "src" / name / f"{i}.wav")
            files[-1].parent.mkdir(parents=True, exist_ok=True)
            soundfile.write(files[-1], voiced(1.2, f0 + 10 * i, i), RATE)
        speakers.append(sources.Speaker(name, tuple(files), True, RATE))
    monkeypatch.setattr(sources, "real_speakers", lambda: speakers)
    monkeypatch.setattr(tts, "available_voices", lambda: [])
    monkeypatch.setattr(opensfx, "OPENSFX_CAT", tmp_path / "absent.cat")
    monkeypatch.setattr(sound_packs, "PACKS", ())


def _build(out, packs=()):
    plan = builder.CorpusPlan(utterance_seconds=2.0, test_per_speaker=5, val_mixtures=2)
    return builder.build_corpus(out, plan, say=lambda _: None) if not packs else _with_packs(out, plan, packs)


def _with_packs(out, plan, packs):
    original = sound_packs.PACKS
    sound_packs.PACKS = packs
    try:
        return builder.build_corpus(out, plan, say=lambda _: None)
    finally:
        sound_packs.PACKS = original


def test_a_corpus_from_stand_in_sources_holds_out_speakers_and_noises(tmp_path, monkeypatch):
    _stand_in_sources(tmp_path, monkeypatch)
    summary = _build(tmp_path / "corpus")
    layout = detect_speech(tmp_path / "corpus")
    assert layout.kind == "mix" and layout.validation is not None
    train_names = {p.name.split("__")[0] for p in (tmp_path / "corpus" / "train" / "clean").iterdir()}
    assert train_names == {"klettres-xx"}
    rows = json.loads((tmp_path / "corpus" / "test" / "mixtures.json").read_text())
    assert rows and {r["speaker"] for r in rows} == {"klettres-en"} and {r["snr_db"] for r in rows} <= {0, 5, 10, 15}
    assert set(summary["noise_test"]).isdisjoint(summary["noise_train"])
    clean, _ = soundfile.read(tmp_path / "corpus" / "test" / "clean" / rows[0]["file"])
    assert len(clean) >= 2.0 * RATE


def test_noise_hold_out_follows_the_original_recording():
    wind = builder._recording('"Wind". Original "wind1.wav" by "Anton". Edited by Janis Lukss.', "Wind")
    heavy = builder._recording('"Heavy wind". Original "wind1.wav" by "Anton". Edited by Janis Lukss.', "Heavy wind")
    assert wind == heavy == "wind1.wav"  # one recording: both in training or both held out
    assert builder._recording('"Steam (of steam engine)". By Janis Lukss.', "Steam (of steam engine)") == \
        "Steam (of steam engine)"


def _pack(folder) -> sound_packs.SoundPack:
    rng = np.random.default_rng(3)
    (folder / "sounds" / "sub").mkdir(parents=True)
    soundfile.write(folder / "sounds" / "Traffic High.wav", 0.1 * rng.standard_normal(RATE), RATE)
    soundfile.write(folder / "sounds" / "sub" / "water.ogg", 0.1 * rng.standard_normal(RATE * 2), 22050)
    soundfile.write(folder / "sounds" / "click.wav", 0.1 * rng.standard_normal(RATE // 10), RATE)  # too short
    soundfile.write(folder / "sounds" / "silent.wav", np.zeros(RATE), RATE)
    (folder / "sounds" / "broken.wav").write_bytes(b"RIFF....not a wave")
    return sound_packs.SoundPack("stand-in-data", folder / "sounds", "CC0")


def test_sound_packs_give_their_usable_recordings_and_skip_the_rest(tmp_path):
    pack = _pack(tmp_path)
    found = dict(sound_packs.recordings(RATE, (pack, sound_packs.SoundPack("absent-data", tmp_path / "no", "?"))))
    assert sorted(found) == ["stand-in-traffic-high", "stand-in-water"]
    assert len(found["stand-in-water"]) == pytest.approx(2 * RATE * RATE / 22050, abs=2)  # resampled to 16 kHz


def test_sound_packs_add_training_noise_and_leave_the_test_set_as_it_was(tmp_path, monkeypatch):
    _stand_in_sources(tmp_path, monkeypatch)
    without = _build(tmp_path / "without")
    with_pack = _build(tmp_path / "with", (_pack(tmp_path / "pack"),))
    added = set(with_pack["noise_train"]) - set(without["noise_train"])
    assert added == {"stand-in-traffic-high", "stand-in-water"}
    assert (tmp_path / "with" / "train" / "noise" / "stand-in-water.wav").exists()
    assert with_pack["test"] == without["test"] and with_pack["noise_test"] == without["noise_test"]
    for path in sorted((tmp_path / "without" / "test").rglob("*.wav")):
        twin = tmp_path / "with" / path.relative_to(tmp_path / "without")
        assert twin.read_bytes() == path.read_bytes(), path.name
