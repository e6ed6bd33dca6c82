"""The recipe contract across the whole zoo, parametrized from the registries, so a new recipe or loss is covered
without a new test:
- every registered recipe takes two optimizer steps with every loss it accepts (its own step function, on a tiny
  batch: the loss is the only thing that changes between these cases);
- every recipe, with its default loss and with each loss that changes the run's structure (RMSprop + clipping,
  n_critic 5 + penalty, relativistic terms), trains, resumes and exports through the same run builder as
  `ganstudio train` and the Train page. A full run per (recipe, loss) pair cost ~10 minutes of the suite for code
  paths these two tests already cover.
Also: the losses themselves, against hand computations."""

from __future__ import annotations

import numpy as np
import pytest

from ganstudio.core.errors import StudioError
from ganstudio.ml.training import gan_losses
from ganstudio.ml.recipes import all_recipes, get

TINY = {  # by recipe family: the smallest networks that still run every code path
    "gan": dict(image_size=16, ngf=4, ndf=4, z_dim=4, batch_size=4, kernel=3),
    "translation": dict(image_size=32, ngf=4, ndf=4, batch_size=4, d_scales=1),
    "speech": dict(ngf=2, ndf=2, batch_size=2, window=1024),
    "text": dict(image_size=16, ngf=4, ndf=4, z_dim=4, ca_dim=4, batch_size=4, kernel=3),
}
COMMON = dict(xla=False, preview_count=4, preview_every=1000, checkpoint_every=1000)
MATRIX = [(recipe.name, loss) for recipe in all_recipes() for loss in recipe.losses]
STRUCTURAL = ("wgan", "wgan-gp", "rasgan")  # another optimizer and clipping; n_critic and a penalty; D on real in G
# each recipe with its default loss; each structural loss once, on the first recipe that takes it (the z → image
# recipes share one train step, so the others would run the same code again)
RUNS = list(dict.fromkeys([(recipe.name, recipe.losses[0]) for recipe in all_recipes()] +
                          [next((r.name, s) for r in all_recipes() if s in r.losses) for s in STRUCTURAL]))


@pytest.fixture(scope="module")
def zoo_data(tmp_path_factory, edge_data, label_data):
    """A data set for each recipe: 16-px digits for z → image recipes, pairs, and a tiny speech set."""
    from caption_fixtures import write_caption_folder, write_tiny_encoder
    from speech_fixtures import write_mix_set

    from ganstudio.core.image_data import datasets
    from ganstudio.ml.training.prepare import resolve_dataset

    digits = tmp_path_factory.mktemp("digits")
    loaded = datasets.load(resolve_dataset("mnist"), 16)
    for i, (image, label) in enumerate(zip(loaded.images[:40], loaded.labels[:40])):
        from PIL import Image

        (digits / str(label % 3)).mkdir(exist_ok=True)
        Image.fromarray(image[..., 0]).save(digits / str(label % 3) / f"{i}.png")
    speech = write_mix_set(tmp_path_factory.mktemp("speech"))
    captions = write_caption_folder(tmp_path_factory.mktemp("captions"))
    TINY["text"]["text_encoder"] = str(write_tiny_encoder(tmp_path_factory.mktemp("encoder") / "enc"))
    return {"gan-cls": captions, "dcgan": digits, "cdcgan": digits, "resnet": digits, "mlp": digits, "pix2pix": edge_data,
            "unet-l1": edge_data, "pix2pixhd": label_data, "segan": speech}


def _request(recipe: str, data, run_dir, steps: int, **overrides):
    from ganstudio.core.training.run_request import RunRequest

    family = get(recipe).family
    return RunRequest(recipe, str(data) if data else None, run_dir, steps, {**TINY[family], **COMMON, **overrides}, device="cpu",
                      tensorboard=False, samples=False)


def _train(request):
    from ganstudio.ml.training.run_builder import make_trainer, prepare_run

    events: list = []
    trainer = make_trainer(prepare_run(request), [events.append])
    trainer.run()
    return trainer, events


@pytest.mark.parametrize("recipe,loss", MATRIX, ids=[f"{r}-{loss}" for r, loss in MATRIX])
def test_every_recipe_steps_with_every_loss_it_accepts(recipe, loss, zoo_data):
    """Two steps of the recipe's own train step on one batch of its data: finite terms, and both networks moved."""
    from ganstudio.ml.training.prepare import prepare, resolve_dataset
    from ganstudio.ml.training.trainer import make_optimizers
    from ganstudio.ml.runtime import tf

    spec = resolve_dataset(str(zoo_data[recipe]))
    overrides = {**TINY[get(recipe).family], **COMMON, "loss": loss}
    data, config = prepare(recipe, spec, overrides)
    r = get(recipe)
    r.check(config)
    models = r.build(config)
    optimizers = make_optimizers(r, config, models)
    step = r.make_step(models, optimizers, tf().random.Generator.from_seed(0), config, 1)
    before = {name: [w.copy() for w in model.get_weights()] for name, model in models.items()}
    batch, labels = next(iter(data.batches(0, 1)))
    for _ in range(2):
        out = step(r.decode_batch(tf().nest.map_structure(tf().constant, batch), config), tf().constant(labels))
    assert out and all(np.isfinite(float(v)) for v in out.values())
    moved = {name for name, model in models.items()
             if any(not np.array_equal(a, b) for a, b in zip(before[name], model.get_weights()))}
    assert moved == {spec.name for spec in r.optimizers if spec.name in models}


@pytest.mark.slow
@pytest.mark.parametrize("recipe,loss", RUNS, ids=[f"{r}-{loss}" for r, loss in RUNS])
def test_every_recipe_trains_resumes_and_exports(recipe, loss, zoo_data, tmp_path):
    from dataclasses import replace

    from ganstudio.ml.modelfile import load_model

    run_dir = tmp_path / "run"
    first, _ = _train(_request(recipe, zoo_data[recipe], run_dir, 2, loss=loss))
    assert first.step == 2 and first.config.loss == loss
    assert all(np.isfinite(v) for series in first.history.series.values() for v in series)
    resumed, events = _train(replace(_request(recipe, None, run_dir, 3), recipe="", overrides={}, resume=True))
    assert resumed.step == 3 and resumed.history.steps == [1, 2, 3]  # the curves continue where they stopped
    assert resumed.config == first.config
    model, manifest = load_model(run_dir / "model")
    assert manifest.recipe == recipe and manifest.config["loss"] == loss
    exported, trained = model.get_weights(), resumed.generator.get_weights()
    assert len(exported) == len(trained) and all(np.array_equal(a, b) for a, b in zip(exported, trained))


def test_a_loss_a_recipe_does_not_take_is_refused_with_the_choices(zoo_data, tmp_path):
    with pytest.raises(StudioError, match="does not train with the 'wgan-gp' loss") as caught:
        _train(_request("pix2pix", zoo_data["pix2pix"], tmp_path / "run", 2, loss="wgan-gp"))
    assert "lsgan" in caught.value.hint
    assert not (tmp_path / "run").exists()  # refused before anything was written


@pytest.mark.parametrize("overrides,message", [
    (dict(n_critic=0), "n_critic must be at least 1"),
    (dict(loss="hinge", label_smoothing=0.1), "Label smoothing needs a probability loss"),
    (dict(loss="wgan-gp", d_norm="batch"), "cannot be used with batch norm"),
])
def test_settings_that_cannot_train_are_refused_before_anything_is_written(overrides, message, zoo_data, tmp_path):
    with pytest.raises(StudioError, match=message):
        _train(_request("dcgan", zoo_data["dcgan"], tmp_path / "run", 2, **overrides))
    assert not (tmp_path / "run" / "run.json").exists()


def test_a_loss_brings_its_own_settings_below_what_the_user_sets():
    wgan_gp = get("dcgan").config(loss="wgan-gp")
    assert (wgan_gp.n_critic, wgan_gp.gp_weight, wgan_gp.lr_g, wgan_gp.beta1, wgan_gp.beta2, wgan_gp.d_norm) == \
        (5, 10.0, 1e-4, 0.0, 0.9, "none")
    assert get("dcgan").config(loss="wgan-gp", n_critic=2).n_critic == 2
    wgan = get("dcgan").config(loss="wgan")
    assert (wgan.optimizer, wgan.clip_weights, wgan.lr_d) == ("rmsprop", 0.01, 5e-5)
    assert get("dcgan").config().loss == "ns" and get("segan").config().loss == "lsgan"


@pytest.mark.parametrize("gpu,expected", [("0", ("lean", False)), ("1", ("book", True))])
def test_presets_and_xla_follow_the_device_unless_asked(gpu, expected, monkeypatch):
    """XLA's CPU convolutions are several times slower than oneDNN's: a new run jit-compiles only with a GPU."""
    monkeypatch.setenv("GANSTUDIO_ASSUME_GPU", gpu)
    for name in ("dcgan", "segan"):
        config = get(name).config()
        assert config.xla is expected[1], name
    assert get("dcgan").config().preset == expected[0]
    assert get("dcgan").config(xla=not expected[1]).xla is (not expected[1])


def test_runs_made_before_losses_existed_train_with_their_recipes_own_loss():
    from ganstudio.ml.training.config import TrainConfig

    old = TrainConfig.from_dict({"recipe": "pix2pixhd", "lr_g": 2e-4})  # run.json of an earlier version: no "loss"
    assert old.loss == "" and get("pix2pixhd").loss_name(old) == "lsgan"
    assert (old.n_critic, old.gp_weight, old.feature_matching, old.d_norm) == (1, 0.0, 0.0, "batch")


# ---- the losses against hand computations -----------------------------------------------------------------------
def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


REAL, FAKE = np.array([[1.5], [-0.3], [0.2]], np.float32), np.array([[-1.0], [0.4], [-2.0]], np.float32)
EXPECTED = {  # (d_real, d_fake, g) in numpy, straight from the formulas in SPEC §6.4
    "ns": (-np.mean(np.log(_sigmoid(REAL))), -np.mean(np.log(1 - _sigmoid(FAKE))), -np.mean(np.log(_sigmoid(FAKE)))),
    "minimax": (-np.mean(np.log(_sigmoid(REAL))), -np.mean(np.log(1 - _sigmoid(FAKE))),
                np.mean(np.log(1 - _sigmoid(FAKE)))),
    "lsgan": (np.mean((REAL - 1) ** 2), np.mean(FAKE ** 2), np.mean((FAKE - 1) ** 2)),
    "hinge": (np.mean(np.maximum(0, 1 - REAL)), np.mean(np.maximum(0, 1 + FAKE)), -np.mean(FAKE)),
    "wgan": (-np.mean(REAL), np.mean(FAKE), -np.mean(FAKE)),
    "wgan-gp": (-np.mean(REAL), np.mean(FAKE), -np.mean(FAKE)),
    "rsgan": (-np.mean(np.log(_sigmoid(REAL - FAKE))), 0.0, -np.mean(np.log(_sigmoid(FAKE - REAL)))),
    "rasgan": (-np.mean(np.log(_sigmoid(REAL - FAKE.mean()))), -np.mean(np.log(1 - _sigmoid(FAKE - REAL.mean()))),
               0.5 * (-np.mean(np.log(_sigmoid(FAKE - REAL.mean()))) - np.mean(np.log(1 - _sigmoid(REAL - FAKE.mean()))))),
    "ralsgan": (np.mean((REAL - FAKE.mean() - 1) ** 2), np.mean((FAKE - REAL.mean() + 1) ** 2),
                0.5 * (np.mean((FAKE - REAL.mean() - 1) ** 2) + np.mean((REAL - FAKE.mean() + 1) ** 2))),
}


def test_every_registered_loss_has_a_hand_computed_check():
    assert set(EXPECTED) == set(gan_losses.names())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_loss_matches_its_formula(name):
    terms = gan_losses.get(name).terms(REAL, FAKE, 0.0)
    assert [float(t) for t in terms] == pytest.approx(EXPECTED[name], rel=1e-5, abs=1e-6)


def test_one_sided_label_smoothing_moves_only_the_real_target():
    smooth = [float(t) for t in gan_losses.get("ns").terms(REAL, FAKE, 0.1)]
    p = _sigmoid(REAL)
    assert smooth[0] == pytest.approx(-np.mean(0.9 * np.log(p) + 0.1 * np.log(1 - p)), rel=1e-5)
    assert smooth[1:] == pytest.approx(EXPECTED["ns"][1:], rel=1e-5)


def test_gradient_penalty_matches_a_hand_computation_on_a_tiny_critic():
    """C(x) = Σ w·x² per sample: ∇C = 2w·x̂, so the penalty is mean((‖2w·x̂‖ − 1)²) with x̂ = x + ε(x̃ − x)."""
    from ganstudio.ml.runtime import tf

    t = tf()
    w = np.array([0.5, -1.0, 2.0], np.float32)
    real = np.array([[1.0, 0.0, 0.5], [0.2, 0.3, -0.1]], np.float32)
    fake = np.array([[0.0, 1.0, 0.0], [-0.4, 0.1, 0.3]], np.float32)
    rng, twin = t.random.Generator.from_seed(3), t.random.Generator.from_seed(3)
    penalty = float(gan_losses.gradient_penalty(lambda x: t.reduce_sum(w * x * x, axis=1), t.constant(real),
                                                t.constant(fake), rng))
    eps = twin.uniform((2, 1), 0.0, 1.0).numpy()
    mixed = real + eps * (fake - real)
    norms = np.linalg.norm(2 * w * mixed, axis=1)
    assert penalty == pytest.approx(np.mean((norms - 1) ** 2), rel=1e-5)
    assert penalty > 0.01  # a non-trivial case: the norms are not 1


def test_weight_clipping_keeps_every_critic_weight_in_bounds():
    from ganstudio.ml.networks.dcgan import discriminator
    from ganstudio.ml.training.update import clip_weights

    critic = discriminator(16, 1, 4, 3)
    assert max(float(np.abs(v.numpy()).max()) for v in critic.trainable_variables) > 0.01
    clip_weights(critic, 0.01)
    assert max(float(np.abs(v.numpy()).max()) for v in critic.trainable_variables) <= 0.01
