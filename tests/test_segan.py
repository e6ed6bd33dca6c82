"""SEGAN: networks of both variants, the recipe training on speech folders with exact resume, the exported denoiser
loading safely, the processor denoising whole clips aligned, and the `denoise` / `eval-denoiser` commands."""

from __future__ import annotations

import json
import re
import signal
from pathlib import Path

import numpy as np
import pytest

from speech_fixtures import TINY_SEGAN as TINY, train_segan, voiced, write_mix_set, write_pair_set


@pytest.fixture
def no_signal_handlers(monkeypatch):
    monkeypatch.setattr(signal, "signal", lambda *args: None)


def _train(data_dir: Path, run_dir: Path, steps: int, resume: bool = False, **overrides):
    events = []
    train_segan(data_dir, run_dir, steps, resume, sinks=[events.append], **overrides)
    return events


@pytest.fixture(scope="module")
def segan_runs(tmp_path_factory):
    """(corpus, straight run of 4 steps, run of 2 steps resumed to 4)."""
    root = tmp_path_factory.mktemp("segan")
    corpus = write_mix_set(root / "corpus", seconds=0.3)
    events = _train(corpus, root / "straight", 4)
    _train(corpus, root / "resumed", 2)
    _train(corpus, root / "resumed", 4, resume=True)
    return corpus, root / "straight", root / "resumed", events


def test_generators_of_both_variants_keep_any_length_multiple_of_their_stride():
    from ganstudio.ml.networks.segan import segan_generator, total_stride

    for variant, stride in (("book", 1024), ("paper", 2048)):
        assert total_stride(variant) == stride
        G = segan_generator(variant, width=2)
        for length in (stride, 3 * stride):
            x = np.zeros((1, length, 1), np.float32)
            z = np.zeros((1, length // stride, G.inputs[1].shape[-1]), np.float32)
            assert tuple(G([x, z]).shape) == (1, length, 1)
        scales = [w for w in G.weights if "scale" in w.path]
        assert scales and all(len(w.shape) == 1 for w in scales), "skip scales are per channel (SPEC §16 #37)"


def test_the_residual_generator_starts_as_the_identity_and_the_book_one_does_not():
    from ganstudio.ml.networks.segan import segan_generator

    x = (0.3 * np.sin(np.arange(2048) / 5.0)).astype(np.float32)[None, :, None]
    for residual in (True, False):
        G = segan_generator("book", width=2, residual=residual)
        out = np.asarray(G([x, np.zeros((1, 2, G.inputs[1].shape[-1]), np.float32)]))
        assert (np.abs(out - x).max() == 0.0) == residual


def test_without_an_adversary_only_the_generator_learns(tmp_path):
    from ganstudio.ml.training.checkpoints import CheckpointStore
    from ganstudio.ml.runtime import tf

    run = tmp_path / "l1"
    _train(write_mix_set(tmp_path / "corpus", seconds=0.3), run, 2, adv_weight=0.0, checkpoint_every=1)
    history, _ = CheckpointStore.load_extras(run / "checkpoints" / "ckpt-000000002")
    assert all(v == 0.0 for v in history.series["d_loss"]) and all(v > 0 for v in history.series["l1"])
    first, second = (tf().train.load_checkpoint(str(run / "checkpoints" / f"ckpt-00000000{i}" / "state"))
                     for i in (1, 2))
    names = [n for n in first.get_variable_to_shape_map() if n.startswith("discriminator/")]
    assert names and all(np.array_equal(first.get_tensor(n), second.get_tensor(n)) for n in names)


def test_training_logs_lsgan_and_l1_parts_and_previews_spectrograms(segan_runs):
    from ganstudio.ml.training.checkpoints import CheckpointStore

    history, fixed = CheckpointStore.load_extras(segan_runs[1] / "checkpoints" / "ckpt-000000004")
    assert {"d_loss", "d_real", "d_fake", "g_loss", "g_adv", "l1"} <= set(history.series)
    assert fixed["clips"].shape == (2, 32768, 2)  # the corpus's two val pairs (~2 s), never trained on
    previews = [e for e in segan_runs[3] if type(e).__name__ == "PreviewReady"]
    assert [e.step for e in previews] == [2, 4, 4]  # every 2 steps, and the final one
    bins, frames = 129, 32768 // 128 + 1  # n_fft 256, hop 128; rows: noisy | enhanced | clean, 3 px apart
    assert previews[-1].grid.shape == (2 * bins + 3, 3 * frames + 6, 3)
    metrics = {(e.step, e.name): e.value for e in segan_runs[3] if type(e).__name__ == "MetricComputed"}
    assert {"val_pesq_wb_noisy", "val_pesq_wb_enhanced"} <= {name for step, name in metrics if step == 4}
    assert 1.0 <= metrics[(4, "val_pesq_wb_noisy")] <= 4.7  # PESQ's scale: the input's own score, for comparison
    manifest = json.loads((segan_runs[1] / "model" / "manifest.json").read_text())
    assert manifest["kind"] == "denoiser" and manifest["config"]["window"] == 1024


def test_previews_carry_the_clips_to_listen_to_and_the_cli_saves_them(segan_runs, tmp_path):
    import soundfile

    from ganstudio.core.training.sample_folder import SampleFolderSink

    preview = [e for e in segan_runs[3] if type(e).__name__ == "PreviewReady"][-1]
    fixed_clips = np.load(segan_runs[1] / "checkpoints" / "ckpt-000000004" / "fixed.npz")["clips"]
    assert preview.clips.shape == (2, 3, 32768) and preview.clips.dtype == np.float32
    np.testing.assert_array_equal(preview.clips[:, 0], fixed_clips[..., 1])  # noisy | enhanced | clean
    np.testing.assert_array_equal(preview.clips[:, 2], fixed_clips[..., 0])
    SampleFolderSink(tmp_path)(preview)
    joined = 2 * (32768 + 4000)  # each clip, then a quarter-second pause
    for name in ("step-000000004.wav", "validation-noisy.wav", "validation-clean.wav"):
        info = soundfile.info(str(tmp_path / name))
        assert (info.samplerate, info.frames) == (16000, joined)
    enhanced, _ = soundfile.read(str(tmp_path / "step-000000004.wav"), dtype="float32")
    np.testing.assert_allclose(enhanced[:32768], preview.clips[0, 1], atol=1 / 32768 + 1e-6)


def test_resume_gives_the_weights_of_a_straight_run(segan_runs):
    from ganstudio.ml.runtime import tf

    final = Path("checkpoints") / "ckpt-000000004" / "state"
    a, b = (tf().train.load_checkpoint(str(run / final)) for run in segan_runs[1:3])
    names = [n for n in a.get_variable_to_shape_map() if "OBJECT_GRAPH" not in n]
    assert any(n.startswith("opt_d/") for n in names)
    for name in names:
        np.testing.assert_allclose(b.get_tensor(name), a.get_tensor(name), rtol=1e-5, atol=1e-6, err_msg=name)


def test_the_denoiser_processes_clips_of_any_length_aligned(segan_runs):
    from ganstudio.core.errors import DataError
    from ganstudio.ml.inference.denoiser import DenoiserSession

    session = DenoiserSession.load(segan_runs[1] / "model")
    assert (session.window, session.hop, session.rate) == (1024, 512, 16000)
    clip = voiced(0.37)
    out = session.denoise(clip)
    assert out.shape == clip.shape and out.dtype == np.float32 and np.isfinite(out).all()
    frames = np.stack([clip[:1024], clip[1024:2048]])
    np.testing.assert_allclose(session.process(frames), session.process(frames), atol=0)  # z fixed: repeatable
    with pytest.raises(DataError, match="multiple of 1024"):
        session.set_window(1500)


def test_paired_folders_train_too(tmp_path):
    events = _train(write_pair_set(tmp_path / "pairs"), tmp_path / "run", 1)
    assert any(type(e).__name__ == "Finished" for e in events)


def test_denoise_and_eval_commands(segan_runs, tmp_path, capsys, no_signal_handlers):
    import soundfile

    from ganstudio.cli import main

    stereo = np.stack([voiced(22050 / 16000), voiced(22050 / 16000, 180)], -1)  # 0.5 s at 44.1 kHz
    soundfile.write(tmp_path / "in.wav", stereo, 44100, subtype="PCM_24")
    model = str(segan_runs[1] / "model")
    assert main(["denoise", "--model", model, "--input", str(tmp_path / "in.wav"), "--output", str(tmp_path / "out.wav"),
                 "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "Converted 44.1 kHz stereo to 16 kHz mono" in out and "real-time factor" in out
    info = soundfile.info(tmp_path / "out.wav")
    assert (info.samplerate, info.channels, info.frames) == (16000, 1, 8000)
    assert main(["eval-denoiser", model, "--data", str(segan_runs[0] / "val")]) == 0
    lines = dict(line.split() for line in capsys.readouterr().out.splitlines() if re.match(r"^\w+ [-\d.]+$", line))
    assert {"noisy_pesq_wb", "baseline_stoi", "model_ssnr_db", "pairs"} <= set(lines) and lines["pairs"] == "2"


def test_a_run_can_start_from_another_models_generator_and_refuses_one_that_does_not_fit(segan_runs, tmp_path):
    from ganstudio.core.errors import ModelFileError
    from ganstudio.ml.modelfile import load_model
    from ganstudio.ml.training.prepare import prepare, resolve_dataset
    from ganstudio.ml.training.trainer import Trainer

    source = segan_runs[1] / "model"
    data, config = prepare("segan", resolve_dataset(str(segan_runs[0])), {**TINY, "init_generator": str(source)})
    events = []
    trainer = Trainer(config, data, tmp_path / "tuned", 1, sinks=[events.append], device="cpu")
    trainer._prepare()
    pretrained, _ = load_model(source)
    for ours, theirs in zip(trainer.generator.get_weights(), pretrained.get_weights()):
        np.testing.assert_array_equal(ours, theirs)
    assert any(type(e).__name__ == "Notice" and str(source) in e.message for e in events)
    wider = config.replace(ngf=4)
    with pytest.raises(ModelFileError, match="does not fit"):
        Trainer(wider, data, tmp_path / "wider", 1, device="cpu")._prepare()


def test_the_stoi_loss_follows_pystoi_and_has_gradients():
    from ganstudio.core.speech.metrics import stoi_score
    from ganstudio.ml.training.speech_losses import stoi_loss
    from ganstudio.ml.runtime import tf

    t = tf()
    rng = np.random.default_rng(0)
    clean = np.concatenate([voiced(1.0, 130, 1), voiced(1.0, 180, 2)])
    clean += 1e-3 * rng.standard_normal(len(clean)).astype(np.float32)  # a recording's floor: every band has energy
    noise = rng.standard_normal(len(clean)).astype(np.float32)
    ours, theirs = [], []
    for snr_db in (-5.0, 0.0, 5.0, 15.0):
        noisy = clean + noise * np.sqrt(np.mean(clean ** 2) / 10 ** (snr_db / 10))
        ours.append(1.0 - float(stoi_loss(noisy[None].astype(np.float32), clean[None]).numpy()))
        theirs.append(stoi_score(clean, noisy, 16000))
    assert ours == sorted(ours) and theirs == sorted(theirs)  # both rise with the SNR
    # STOI drops silent frames, the loss can only leave out silent segments: on this clip, half pauses, it reads
    # higher (on the corpus's speech the two agree within ~0.03)
    assert np.max(np.abs(np.subtract(ours, theirs))) < 0.2 and np.corrcoef(ours, theirs)[0, 1] > 0.95
    assert float(stoi_loss(clean[None], clean[None]).numpy()) == pytest.approx(0.0, abs=1e-4)
    estimate = t.Variable(noisy[None].astype(np.float32))
    with t.GradientTape() as tape:
        loss = stoi_loss(estimate, clean[None])
    grad = tape.gradient(loss, estimate).numpy()
    assert np.all(np.isfinite(grad)) and np.abs(grad).max() > 0


def test_a_run_with_the_stoi_loss_logs_it_and_refuses_windows_too_short_for_it(tmp_path):
    corpus = write_mix_set(tmp_path / "corpus", seconds=0.6)
    events = _train(corpus, tmp_path / "run", 2, window=8192, stoi_weight=1.0)
    logged = [e.losses for e in events if type(e).__name__ == "StepLogged"]
    assert logged and all(0.0 < row["stoi_loss"] <= 2.0 for row in logged)
    with pytest.raises(ValueError, match="at least 8192"):
        _train(corpus, tmp_path / "short", 1, stoi_weight=1.0)
