"""Evaluation tooling: FID math against closed forms, the classifier's features, `ganstudio eval` end to end on a
tiny generator and classifier, checkpoint export round trips, and the trainer's FID evaluator hook."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from ganstudio.cli import main
from ganstudio.core.metrics.fid import feature_stats, fid_from_features, frechet_distance

CLASSES = ("blue", "green", "red")  # sorted, as class folders are read
CHANNEL = {"red": 0, "green": 1, "blue": 2}


# ---- FID math (closed forms) ------------------------------------------------------------------------------------
def test_identical_feature_sets_have_zero_distance():
    feats = np.random.default_rng(0).normal(size=(500, 16))
    assert fid_from_features(feats, feats) == pytest.approx(0.0, abs=1e-6)


def test_shifted_gaussians_differ_by_squared_mean_shift():
    feats = np.random.default_rng(1).normal(size=(400, 8)) @ np.random.default_rng(2).normal(size=(8, 8))
    shift = np.arange(8, dtype=np.float64) / 4
    assert fid_from_features(feats, feats + shift) == pytest.approx(shift @ shift, rel=1e-6)


def test_diagonal_covariances_match_the_closed_form():
    var1, var2 = np.array([1.0, 4.0, 9.0]), np.array([4.0, 1.0, 9.0])
    mu1, mu2 = np.zeros(3), np.array([1.0, 0.0, 2.0])
    expected = 5.0 + np.sum((np.sqrt(var1) - np.sqrt(var2)) ** 2)  # ‖Δμ‖² + Σ(σ1 − σ2)²
    assert frechet_distance(mu1, np.diag(var1), mu2, np.diag(var2)) == pytest.approx(expected, rel=1e-9)


def test_singular_covariance_gets_the_eps_offset_not_a_crash():
    # A constant feature set has Σ = 0: FID must be ‖Δμ‖² + Tr Σ2 (up to the tiny eps·I offset).
    other = np.random.default_rng(3).normal(size=(300, 4))
    mu2, s2 = feature_stats(other)
    value = frechet_distance(np.ones(4), np.zeros((4, 4)), mu2, s2)
    assert value == pytest.approx(np.sum((1 - mu2) ** 2) + np.trace(s2), abs=2e-2)


def test_fewer_samples_than_dimensions_still_gives_a_finite_distance():
    rng = np.random.default_rng(4)
    value = fid_from_features(rng.normal(size=(6, 32)), rng.normal(size=(6, 32)) + 1.0)
    assert np.isfinite(value) and value > 0


def test_mismatched_statistics_are_rejected():
    with pytest.raises(ValueError):
        frechet_distance(np.zeros(3), np.eye(3), np.zeros(4), np.eye(4))
    with pytest.raises(ValueError):
        feature_stats(np.zeros((1, 3)))


# ---- tiny data, classifier and generator ------------------------------------------------------------------------
def _class_image(rng, channel: int, size: int) -> np.ndarray:
    """A noisy blob of the class colour on a random dark background."""
    yy, xx = np.mgrid[:size, :size]
    cy, cx = rng.uniform(size * 0.3, size * 0.7, 2)
    blob = ((yy - cy) ** 2 + (xx - cx) ** 2) < (size * rng.uniform(0.2, 0.35)) ** 2
    img = np.full((size, size, 3), rng.integers(0, 60), dtype=np.int32)
    img[blob, channel] = rng.integers(170, 255)
    return np.clip(img + rng.integers(-15, 16, img.shape), 0, 255).astype(np.uint8)


@pytest.fixture(scope="module")
def tiny_folder(tmp_path_factory):
    """3 class folders × 24 PNG images of 16×16."""
    root = tmp_path_factory.mktemp("tiny_data")
    rng = np.random.default_rng(0)
    for name in CLASSES:
        (root / name).mkdir()
        for i in range(24):
            Image.fromarray(_class_image(rng, CHANNEL[name], 16)).save(root / name / f"{i:03d}.png")
    return root


@pytest.fixture(scope="module")
def tiny_classifier(tmp_path_factory):
    """An untrained 16×16 classifier (widths 4, 8) saved as a model folder."""
    from ganstudio.ml.evaluation.classifier import ClassifierConfig, TrainedClassifier, save_classifier
    from ganstudio.ml.networks.classifier import classifier

    cfg = ClassifierConfig(epochs=0, widths=(4, 8))
    trained = TrainedClassifier(classifier(16, 3, len(CLASSES), cfg.widths), CLASSES, cfg, {"heldout_accuracy": 0.0})
    return save_classifier(trained, tmp_path_factory.mktemp("cls") / "tiny-classifier", {"name": "tiny"}, 0.3)


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory, tiny_folder, tiny_classifier):
    """A 4-step DCGAN run at 16×16 (ngf 8) checkpointed every 2 steps, scored by the trainer FID evaluator."""
    from ganstudio.core.image_data.datasets import detect
    from ganstudio.ml.evaluation.data import load_split
    from ganstudio.ml.evaluation.trainer_fid import flower_fid_evaluator
    from ganstudio.ml.training.prepare import prepare
    from ganstudio.ml.training.trainer import Trainer

    overrides = dict(image_size=16, ngf=8, ndf=8, batch_size=8, checkpoint_every=2, preview_every=2, holdout=0.3, xla=False)
    data, config = prepare("dcgan", detect(tiny_folder), overrides)
    _, _, heldout = load_split(str(tiny_folder), 0.3, 16)
    evaluator = flower_fid_evaluator(tiny_classifier, heldout.images, n=24)
    run_dir = tmp_path_factory.mktemp("runs") / "tiny"
    seen = []
    Trainer(config, data, run_dir, 4, sinks=[seen.append], device="cpu", evaluator=evaluator).run()
    return run_dir, seen


# ---- classifier ---------------------------------------------------------------------------------------------------
def test_classifier_features_have_the_pooled_width_and_probabilities_sum_to_one(tiny_classifier):
    from ganstudio.ml.evaluation.classifier import ClassifierSession

    session = ClassifierSession.load(tiny_classifier)
    images = np.random.default_rng(0).integers(0, 256, (7, 16, 16, 3), dtype=np.uint8)
    features, probs = session.embed(images)
    assert features.shape == (7, 8) and probs.shape == (7, 3)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
    bigger_gray = np.random.default_rng(1).integers(0, 256, (3, 32, 32, 1), dtype=np.uint8)
    assert session.embed(bigger_gray)[0].shape == (3, 8)  # resized and repeated to the classifier's input


def test_classifier_learns_an_easy_split(tiny_folder, tmp_path):
    from ganstudio.ml.evaluation.classifier import ClassifierConfig, ClassifierSession, save_classifier, train_classifier
    from ganstudio.ml.evaluation.data import load_split

    _, train, heldout = load_split(str(tiny_folder), 0.3, 16)
    assert set(train.names).isdisjoint(heldout.names)
    trained = train_classifier(train, heldout, ClassifierConfig(epochs=12, batch_size=16, lr=1e-2, widths=(8, 16)))
    assert trained.metrics["heldout_accuracy"] >= 0.7  # chance is 1/3
    out = save_classifier(trained, tmp_path / "cls", {"name": "tiny"}, 0.3)
    assert ClassifierSession.load(out).class_names == CLASSES


# ---- trainer hook and export ---------------------------------------------------------------------------------------
def test_trainer_evaluator_scores_every_checkpoint(tiny_run):
    from ganstudio.core.training import events as ev
    from ganstudio.ml.training.checkpoints import CheckpointStore

    run_dir, seen = tiny_run
    fids = [e for e in seen if isinstance(e, ev.MetricComputed) and e.name == "fid"]
    assert [e.step for e in fids] == [2, 4] and all(np.isfinite(e.value) and e.value >= 0 for e in fids)
    assert all(c.metric is not None for c in CheckpointStore(run_dir).list())


def _weights_equal(a, b) -> bool:
    return all(np.array_equal(x, y) for x, y in zip(a.get_weights(), b.get_weights(), strict=True))


def test_export_latest_checkpoint_equals_the_runs_final_model(tiny_run, tmp_path, capsys):
    from ganstudio.ml.modelfile import load_model

    run_dir, _ = tiny_run
    assert main(["export", str(run_dir), "--out", str(tmp_path / "latest"), "--metric", "fid_vs_heldout=1.5"]) == 0
    assert "step=4" in capsys.readouterr().out
    exported, manifest = load_model(tmp_path / "latest", kind="generator")
    final, _ = load_model(run_dir / "model", kind="generator")
    assert _weights_equal(exported, final)
    assert manifest.metrics["steps"] == 4 and manifest.metrics["fid_vs_heldout"] == 1.5


def test_export_by_step_best_and_float16(tiny_run, tmp_path):
    from ganstudio.ml.training.checkpoints import CheckpointStore
    from ganstudio.ml.inference.generator import GeneratorSession
    from ganstudio.ml.modelfile import load_model
    from ganstudio.ml.training.run_export import export_checkpoint

    run_dir, _ = tiny_run
    early, info = export_checkpoint(run_dir, tmp_path / "step2", "2")
    assert info.step == 2 and not _weights_equal(load_model(early)[0], load_model(run_dir / "model")[0])
    best = min(CheckpointStore(run_dir).list(), key=lambda c: c.metric)
    _, chosen = export_checkpoint(run_dir, tmp_path / "best", "best", float16=True, title="tiny best")
    assert chosen.step == best.step
    session = GeneratorSession.load(tmp_path / "best")
    assert session.manifest.title == "tiny best" and session.sample(2, seed=0).shape == (2, 16, 16, 3)


def test_export_refuses_unknown_steps_and_unscored_best(tiny_run, tmp_path, capsys):
    import shutil

    run_dir, _ = tiny_run
    assert main(["export", str(run_dir), "--out", str(tmp_path / "x"), "--checkpoint", "3"]) == 2
    assert "2, 4" in capsys.readouterr().err
    unscored = tmp_path / "unscored"
    shutil.copytree(run_dir, unscored)
    for meta in (unscored / "checkpoints").glob("ckpt-*/meta.json"):
        meta.write_text(meta.read_text().replace('"metric": ', '"metric": null, "old": '))
    assert main(["export", str(unscored), "--out", str(tmp_path / "y"), "--checkpoint", "best"]) == 2
    assert not (tmp_path / "x").exists() and not (tmp_path / "y").exists()


# ---- ganstudio eval end to end -------------------------------------------------------------------------------------
def test_eval_prints_fid_references_and_mode_histogram(tiny_run, tiny_folder, tiny_classifier, capsys):
    run_dir, _ = tiny_run
    rc = main(["eval", str(run_dir), "--data", str(tiny_folder), "--holdout", "0.3", "--n", "40",
               "--classifier", str(tiny_classifier)])
    assert rc == 0
    lines = [line.split() for line in capsys.readouterr().out.splitlines()]
    values = {name: float(value) for name, value, _ in lines}
    for name in ("fid_vs_heldout", "fid_train_vs_heldout", "fid_blur_vs_heldout", "fid_noise_vs_heldout"):
        assert np.isfinite(values[name]) and values[name] >= 0
    assert values["fid_train_vs_heldout"] < values["fid_noise_vs_heldout"]
    shares = [values[f"mode_histogram_{c}"] for c in CLASSES]
    assert sum(shares) == pytest.approx(1.0) and 0 <= values["mode_histogram_tv_vs_real"] <= 1
    assert values["samples_generated"] == 40


def test_eval_metrics_prints_the_toolkits_fixed_names(tiny_run, tiny_folder, tiny_classifier, capsys):
    run_dir, _ = tiny_run
    rc = main(["eval", str(run_dir), "--data", str(tiny_folder), "--holdout", "0.3", "--n", "40",
               "--classifier", str(tiny_classifier), "--metrics", "fid,kid,is,prdc,knn,birthday,tequila,modes"])
    assert rc == 0
    values = {name: float(value) for name, value, _ in (line.split() for line in capsys.readouterr().out.splitlines())}
    fixed = ("fid", "kid", "inception_score", "precision", "recall", "density", "coverage", "knn_copy_rate",
             "birthday_support", "ks_statistic", "jsd", "mode_histogram_tv_vs_real")
    assert all(np.isfinite(values[name]) for name in fixed)
    assert 1.0 <= values["inception_score"] <= len(CLASSES) and 0 <= values["ks_statistic"] <= 1
    assert "fid_vs_heldout" not in values and values["samples_generated"] == 40


def test_eval_refuses_unknown_metrics(capsys):
    assert main(["eval", "--metrics", "fid,fidd"]) == 2
    assert "fidd" in capsys.readouterr().err


def test_eval_refuses_too_few_samples(capsys):
    assert main(["eval", "--n", "1"]) == 2
    assert "too few samples" in capsys.readouterr().err
