"""The image-translation engine end to end at toy size: pairs derived from 12 synthetic photos (32 px), the pix2pix,
unet-l1 and pix2pixHD-lite recipes trained a few steps, exact resume, translator model files (also in a fresh
process), TranslatorSession renders, and the `train`, `render` and `eval-pairs` commands.

pix2pix trains through `ganstudio train` in one subprocess with GANSTUDIO_DETERMINISTIC=1: a straight 4-step run, then
a copy cut back to its step-2 checkpoint and resumed. The resume runs in the same process as the straight run; that
is still a real restore, because the Trainer builds new networks, optimizers and generators and re-seeds every global
random source before reading the checkpoint (the cross-process mechanics are covered in test_engine_resume.py).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ganstudio import cli
from ganstudio.core.errors import DataError, ModelFileError
from ganstudio.core.sketch.edges import INK, PAPER
from ganstudio.core.sketch.pairs_builder import build_pairs
from ganstudio.core.sketch.palette import FLOWER_MATERIALS

SIZE, STEPS = 32, 4
PHOTO_NAMES = [f"{group}/{i:02d}.png" for group in ("daisy", "rose") for i in range(6)]
HOLDOUT = 0.3  # 4 of the 12 names hash into val (see test_sketch_derivation.py)
TINY = ["--image-size", str(SIZE), "--ngf", "8", "--ndf", "8", "--batch-size", "4", "--no-xla", "--no-tensorboard",
        "--quiet", "--preview-every", "2", "--checkpoint-every", "2", "--seed", "3"]
TINY_OVERRIDES = dict(image_size=SIZE, ngf=8, ndf=8, batch_size=4, xla=False, preview_every=2, checkpoint_every=2)


@pytest.fixture
def no_signal_handlers(monkeypatch):
    """`ganstudio train` installs Ctrl+C handlers for a clean stop; they must not outlive the test in pytest."""
    monkeypatch.setattr(signal, "signal", lambda *args: None)


# ---- data -----------------------------------------------------------------------------------------------------------
def synthetic_photo(rng: np.random.Generator) -> np.ndarray:
    """40×48: a palette-coloured background, a rectangle and an ellipse in other palette colours, a little noise."""
    colors = np.asarray(FLOWER_MATERIALS.colors, np.int16)
    a, b, c = rng.choice(len(colors), 3, replace=False)
    img = np.empty((40, 48, 3), np.int16)
    img[:] = colors[a]
    y0, x0 = rng.integers(2, 20, 2)
    img[y0: y0 + 14, x0: x0 + 16] = colors[b]
    yy, xx = np.mgrid[:40, :48]
    cy, cx = rng.uniform(12, 30, 2)
    img[((yy - cy) / 9) ** 2 + ((xx - cx) / 7) ** 2 <= 1] = colors[c]
    return np.clip(img + rng.integers(-4, 5, img.shape), 0, 255).astype(np.uint8)


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("translation")


@pytest.fixture(scope="module")
def photos(work) -> Path:
    rng = np.random.default_rng(11)
    for name in PHOTO_NAMES:
        (work / "photos" / name).parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(synthetic_photo(rng)).save(work / "photos" / name)
    return work / "photos"


@pytest.fixture(scope="module")
def edge_data(photos, work) -> Path:
    report = build_pairs(photos, work / "edge-pairs", "edges", size=SIZE, holdout=HOLDOUT)
    assert (report.train, report.val) == (8, 4)
    return work / "edge-pairs"


@pytest.fixture(scope="module")
def label_data(photos, work) -> Path:
    build_pairs(photos, work / "label-pairs", "labels", size=SIZE, holdout=HOLDOUT)
    return work / "label-pairs"


# ---- training -------------------------------------------------------------------------------------------------------
RESUME_SCRIPT = """
import shutil, sys
from pathlib import Path
from ganstudio import cli

data, straight, resumed, *tiny = sys.argv[1:]
assert cli.main(["train", "pix2pix", "--data", data, "--steps", "4", "--out", straight, *tiny]) == 0
shutil.copytree(straight, resumed)
shutil.rmtree(Path(resumed) / "checkpoints" / "ckpt-000000004")  # as a kill during step 3 or 4 would leave it
shutil.rmtree(Path(resumed) / "model")
assert cli.main(["train", "pix2pix", "--steps", "4", "--out", resumed, "--resume", "--no-tensorboard", "--quiet"]) == 0
"""


@pytest.fixture(scope="module")
def pix2pix_runs(edge_data, work) -> tuple[Path, Path, str]:
    """(straight run, resumed run, stdout) of pix2pix trained by `ganstudio train` (see the module docstring)."""
    straight, resumed = work / "pix2pix-straight", work / "pix2pix-resumed"
    env = {**os.environ, "GANSTUDIO_DETERMINISTIC": "1"}
    done = subprocess.run([sys.executable, "-c", RESUME_SCRIPT, str(edge_data), str(straight), str(resumed), *TINY],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return straight, resumed, done.stdout


def train_in_process(recipe: str, data: Path, run_dir: Path, steps: int, **overrides) -> list:
    from ganstudio.ml.prepare import prepare, resolve_dataset
    from ganstudio.ml.trainer import Trainer

    loaded, config = prepare(recipe, resolve_dataset(str(data)), {**TINY_OVERRIDES, **overrides})
    events = []
    Trainer(config, loaded, run_dir, steps, sinks=[events.append], device="cpu").run()
    return events


@pytest.fixture(scope="module")
def unet_l1_events(edge_data, work) -> list:
    return train_in_process("unet-l1", edge_data, work / "unet-l1", 2)


@pytest.fixture(scope="module")
def pix2pixhd_events(label_data, work) -> list:
    return train_in_process("pix2pixhd", label_data, work / "pix2pixhd", 2, n_blocks=1, d_scales=2)


def model_dir_of(events: list) -> Path:
    from ganstudio.core.events import Finished

    finished = [e for e in events if isinstance(e, Finished)]
    assert finished and finished[-1].reason == "completed"
    return Path(finished[-1].model_dir)


@pytest.fixture(scope="module")
def edges_session(pix2pix_runs):
    from ganstudio.ml.translation import TranslatorSession

    return TranslatorSession.load(pix2pix_runs[0] / "model")


@pytest.fixture(scope="module")
def labels_session(pix2pixhd_events):
    from ganstudio.ml.translation import TranslatorSession

    return TranslatorSession.load(model_dir_of(pix2pixhd_events))


def manifest(model_dir: Path) -> dict:
    return json.loads((model_dir / "manifest.json").read_text())


def test_each_recipe_exports_a_translator_that_says_what_it_translates(pix2pix_runs, unet_l1_events, pix2pixhd_events):
    for model_dir, kind in ((pix2pix_runs[0] / "model", "edges"), (model_dir_of(unet_l1_events), "edges"),
                            (model_dir_of(pix2pixhd_events), "labels")):
        m = manifest(model_dir)
        assert m["kind"] == "translator", model_dir
        assert (m["config"]["input_kind"], m["config"]["image_size"]) == (kind, SIZE)
        if kind == "labels":
            assert m["config"]["palette"] == FLOWER_MATERIALS.to_dict()
            assert (m["config"]["label_classes"], m["config"]["input_channels"]) == (len(FLOWER_MATERIALS), 1)
        else:
            assert (m["config"]["palette"], m["config"]["input_channels"]) == ({}, 1)
    assert re.search(r"^steps=4 images_per_s=[\d.]+$", pix2pix_runs[2], re.M)


def test_losses_logged_per_recipe(pix2pix_runs, unet_l1_events, pix2pixhd_events):
    from ganstudio.core.events import StepLogged
    from ganstudio.ml.checkpoints import CheckpointStore

    history, _ = CheckpointStore.load_extras(pix2pix_runs[0] / "checkpoints" / "ckpt-000000004")
    assert {"d_loss", "d_real", "d_fake", "g_loss", "g_adv", "l1"} <= set(history.series)
    hd = [e for e in pix2pixhd_events if isinstance(e, StepLogged)]
    assert {"d_loss", "g_adv", "fm", "l1"} <= set(hd[-1].losses) and hd[-1].losses["fm"] > 0
    logged = [e for e in unet_l1_events if isinstance(e, StepLogged)]
    assert [e.step for e in logged] == [1, 2]
    for event in logged:  # no discriminator: no D losses and no D learning rate; g_loss is the L1 term alone
        assert set(event.losses) == {"g_loss", "g_adv", "l1"} and event.losses["g_adv"] == 0.0
        assert event.losses["g_loss"] == pytest.approx(event.losses["l1"]) and set(event.lrs) == {"lr_g"}
        assert set(event.grad_norms) == {"grad_norm_g"}


def test_the_l1_baseline_has_no_discriminator_in_its_checkpoints(unet_l1_events, work):
    from ganstudio.ml.runtime import tf

    names = tf().train.load_checkpoint(str(work / "unet-l1" / "checkpoints" / "ckpt-000000002" / "state"))
    variables = names.get_variable_to_shape_map()
    assert any(n.startswith("opt_g/") for n in variables)
    assert not any(n.startswith(("discriminator/", "opt_d/")) for n in variables)


def preview_layout_check(grid: np.ndarray, pairs: int, targets: np.ndarray, input_check) -> None:
    """input | output | target, two pairs per row: width = 2 × (3 tiles of SIZE) + the 2 px gap."""
    rows = -(-pairs // 2)
    assert grid.shape == (rows * (SIZE + 2) - 2, 2 * (3 * SIZE + 2) - 2, 3)
    for i in range(pairs):
        r, c = divmod(i, 2)
        row = grid[r * (SIZE + 2): r * (SIZE + 2) + SIZE, c * (3 * SIZE + 2): c * (3 * SIZE + 2) + 3 * SIZE]
        condition, target = row[:, :SIZE], row[:, 2 * SIZE:]
        input_check(condition)
        assert any(np.array_equal(target, t) for t in targets), f"pair {i}: the right tile is not a val photo"


def test_pix2pix_preview_is_input_output_target_on_the_val_pairs(pix2pix_runs, edge_data):
    from ganstudio.core.paired import load_paired

    val = load_paired(edge_data, "val", SIZE)
    grid = np.asarray(Image.open(pix2pix_runs[0] / "samples" / "step-000000004.png"))

    def is_sketch(tile):
        assert (tile == tile[..., :1]).all() and set(np.unique(tile)) <= {INK, PAPER}

    preview_layout_check(grid, len(val.targets), val.targets, is_sketch)
    assert not (pix2pix_runs[0] / "samples" / "real.png").exists(), "paired runs have no separate real grid"


def test_pix2pixhd_preview_shows_the_label_map_in_palette_colours(pix2pixhd_events, label_data):
    from ganstudio.core.events import PreviewReady
    from ganstudio.core.paired import load_paired

    val = load_paired(label_data, "val", SIZE)
    previews = [e for e in pix2pixhd_events if isinstance(e, PreviewReady)]
    assert previews and all(e.kind == "fake" for e in previews)
    colours = {tuple(c) for c in FLOWER_MATERIALS.colors}

    def is_label_picture(tile):
        assert {tuple(p) for p in tile.reshape(-1, 3)} <= colours

    preview_layout_check(previews[-1].grid, len(val.targets), val.targets, is_label_picture)


def test_pix2pix_resume_gives_the_losses_and_weights_of_a_straight_run(pix2pix_runs):
    from ganstudio.ml.checkpoints import CheckpointStore
    from ganstudio.ml.runtime import tf

    straight, resumed, _ = pix2pix_runs
    final = Path("checkpoints") / "ckpt-000000004"
    history_a, fixed_a = CheckpointStore.load_extras(straight / final)
    history_b, fixed_b = CheckpointStore.load_extras(resumed / final)
    assert history_a.steps == history_b.steps == [1, 2, 3, 4]
    for name in history_a.series:
        np.testing.assert_allclose(history_b.array(name), history_a.array(name), rtol=1e-6, atol=0, err_msg=name)
    np.testing.assert_array_equal(fixed_b["pairs"], fixed_a["pairs"])
    a, b = (tf().train.load_checkpoint(str(run / final / "state")) for run in (straight, resumed))
    names = [n for n in a.get_variable_to_shape_map() if "OBJECT_GRAPH" not in n]
    assert any(n.startswith("seeds/") for n in names), "dropout's random state is not in the checkpoint"
    for name in names:
        np.testing.assert_allclose(b.get_tensor(name), a.get_tensor(name), rtol=1e-6, atol=1e-7, err_msg=name)
    assert (resumed / "model" / "manifest.json").exists()


def test_a_checkpoint_saved_without_dropout_seed_states_still_resumes(unet_l1_events, edge_data, tmp_path):
    """Runs checkpointed before the seed states were saved must stay resumable (only not bit-exact)."""
    from ganstudio.core.events import Finished
    from ganstudio.ml.prepare import prepare, resolve_dataset
    from ganstudio.ml.run_folder import check_resumable
    from ganstudio.ml.runtime import tf
    from ganstudio.ml.trainer import Trainer

    run_dir = shutil.copytree(model_dir_of(unet_l1_events).parent, tmp_path / "legacy")
    config = check_resumable(run_dir, "unet-l1")
    data, config = prepare("unet-l1", resolve_dataset(str(edge_data)), {}, config)
    old = Trainer(config, data, run_dir, 3, device="cpu", resume=True)
    old._prepare()
    state = run_dir / "checkpoints" / "ckpt-000000002" / "state"
    old._legacy_checkpoint.write(str(state))  # what the trainer wrote before it kept the seed states
    assert not any(name.startswith("seeds/") for name, _ in tf().train.list_variables(str(state)))
    events = []
    Trainer(config, data, run_dir, 3, sinks=[events.append], device="cpu", resume=True).run()
    assert isinstance(events[-1], Finished) and events[-1].step == 3


# ---- data errors ----------------------------------------------------------------------------------------------------
def test_pix2pixhd_refuses_edge_data(edge_data):
    from ganstudio.ml.prepare import prepare, resolve_dataset

    with pytest.raises(DataError, match="label maps"):
        prepare("pix2pixhd", resolve_dataset(str(edge_data)), TINY_OVERRIDES)


def test_a_photo_folder_given_to_pix2pix_points_to_make_pairs(photos, tmp_path, capsys, no_signal_handlers):
    argv = ["train", "pix2pix", "--data", str(photos), "--steps", "2", "--out", str(tmp_path / "run"), *TINY]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "not a paired data set" in err and "ganstudio make-pairs" in err
    assert not (tmp_path / "run").exists()


def test_a_paired_data_set_given_to_dcgan_is_refused(edge_data):
    from ganstudio.ml.prepare import prepare, resolve_dataset

    with pytest.raises(DataError, match="paired data set"):
        prepare("dcgan", resolve_dataset(str(edge_data)), {})


# ---- model files ----------------------------------------------------------------------------------------------------
FRESH_LOAD = """
import sys
import numpy as np
from ganstudio.ml.translation import TranslatorSession
session = TranslatorSession.load(sys.argv[1])
names = [type(layer).__name__ for layer in session.model.layers]
print("LAYERS", names.count("ReflectionPad2D"), session.render(np.zeros((32, 32), np.uint8)).shape)
"""


def test_a_pix2pixhd_model_loads_in_safe_mode_in_a_fresh_process(pix2pixhd_events):
    """ReflectionPad2D must be registered by loading itself, not as a side effect of building a network first."""
    done = subprocess.run([sys.executable, "-c", FRESH_LOAD, str(model_dir_of(pix2pixhd_events))],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    count, shape = re.search(r"^LAYERS (\d+) (.*)$", done.stdout, re.M).groups()
    assert int(count) >= 3 and shape == "(32, 32, 3)"


def test_a_generator_is_not_a_translator(tiny_generator_dir):
    from ganstudio.ml.translation import TranslatorSession

    with pytest.raises(ModelFileError, match="not a translator"):
        TranslatorSession.load(tiny_generator_dir)


# ---- TranslatorSession ----------------------------------------------------------------------------------------------
def blank_sketch(height: int, width: int) -> np.ndarray:
    sketch = np.full((height, width), PAPER, np.uint8)
    sketch[height // 4: 3 * height // 4, width // 3] = INK
    sketch[height // 2, width // 4: 3 * width // 4] = INK
    return sketch


def test_session_describes_its_model(edges_session, labels_session):
    assert (edges_session.input_kind, edges_session.native_size, edges_session.palette) == ("edges", SIZE, None)
    assert (labels_session.input_kind, labels_session.native_size) == ("labels", SIZE)
    assert labels_session.palette == FLOWER_MATERIALS and labels_session.title


@pytest.mark.parametrize("shape", [(45, 70), (31, 33), (96, 40)])
def test_odd_canvas_sizes_render_at_their_own_size_with_a_note(edges_session, shape):
    photo = edges_session.render(blank_sketch(*shape))
    assert photo.shape == (*shape, 3) and photo.dtype == np.uint8
    assert any(f"{shape[1]}×{shape[0]} canvas is rendered at" in note for note in edges_session.notes)


def test_a_native_size_canvas_needs_no_note(labels_session):
    before = list(labels_session.notes)
    labels_session.render(np.zeros((SIZE, SIZE), np.uint8))
    assert labels_session.notes == before


def test_seed_zero_is_deterministic_and_other_seeds_repeatable_variations(edges_session):
    sketch = blank_sketch(SIZE, SIZE)
    base = edges_session.render(sketch)
    np.testing.assert_array_equal(edges_session.render(sketch, seed=0), base)
    varied = edges_session.render(sketch, seed=7)
    edges_session.render(sketch, seed=8)  # in between: the seed, not the call count, decides
    np.testing.assert_array_equal(edges_session.render(sketch, seed=7), varied)
    assert not np.array_equal(varied, base)
    assert not np.array_equal(edges_session.render(sketch, seed=8), varied)
    np.testing.assert_array_equal(edges_session.render(sketch, seed=0), base)


def test_label_variations_are_repeatable_too(labels_session):
    ids = np.zeros((SIZE, SIZE), np.uint8)
    ids[8:24, 8:24] = 10
    varied = labels_session.render(ids, seed=5)
    np.testing.assert_array_equal(labels_session.render(ids, seed=5), varied)
    assert not np.array_equal(varied, labels_session.render(ids)), "pix2pixHD-lite's dropout should vary the render"


def test_unknown_label_ids_render_as_background_with_a_note(labels_session):
    ids = np.zeros((SIZE, SIZE), np.uint8)
    ids[4:20, 4:20] = 200
    ids[20:, 20:] = 9
    as_background = np.where(ids == 200, FLOWER_MATERIALS.background, ids).astype(np.uint8)
    np.testing.assert_array_equal(labels_session.render(ids), labels_session.render(as_background))
    assert any("200" in note and "background" in note for note in labels_session.notes)


@pytest.mark.parametrize("bad", [np.zeros((SIZE, SIZE), np.float32), np.zeros((SIZE, SIZE, 3), np.uint8),
                                 np.zeros((2, SIZE, SIZE), np.uint8), np.zeros(SIZE, np.uint8)])
def test_a_sketch_of_the_wrong_dtype_or_shape_is_a_model_file_error(edges_session, bad):
    with pytest.raises(ModelFileError, match="uint8"):
        edges_session.render(bad)


def test_a_one_channel_image_is_taken_as_a_sketch(edges_session):
    sketch = blank_sketch(SIZE, SIZE)
    np.testing.assert_array_equal(edges_session.render(sketch[..., None]), edges_session.render(sketch))


def test_render_batch_equals_single_renders(edges_session, edge_data):
    from ganstudio.core.paired import load_paired

    val = load_paired(edge_data, "val", SIZE)
    batch = edges_session.render_batch(val.inputs, batch=3)  # 4 pairs: a full batch and a partial one
    assert batch.shape == (len(val.inputs), SIZE, SIZE, 3) and batch.dtype == np.uint8
    for raw, photo in zip(val.inputs, batch):
        np.testing.assert_array_equal(edges_session.render(raw[..., 0]), photo)


def test_a_deep_unet_renders_a_canvas_that_is_not_a_multiple_of_its_downsampling(tmp_path):
    """A U-Net trained at 128 px halves 6 times: its skips only line up on multiples of 64 (a 96 px canvas crashed)."""
    from ganstudio.ml.export import export_generator
    from ganstudio.ml.recipes import get
    from ganstudio.ml.translation import TranslatorSession

    recipe = get("pix2pix")
    config = recipe.config(image_size=128, ngf=4, ndf=4, input_kind="edges", input_channels=1, xla=False)
    session = TranslatorSession.load(export_generator(recipe.build(config)["generator"], config, tmp_path / "m", 0))
    assert session.granularity == 64
    assert session.render(blank_sketch(96, 160)).shape == (96, 160, 3)
    assert any("multiples of 64" in note for note in session.notes)


# ---- `ganstudio render` and `ganstudio eval-pairs` ------------------------------------------------------------------
def test_render_cli_from_a_photo_writes_the_pair(pix2pix_runs, photos, tmp_path, capsys):
    out = tmp_path / "pair.png"
    argv = ["render", str(pix2pix_runs[0]), "--input", str(photos / "daisy" / "00.png"), "--photo", "--pair",
            "--out", str(out)]
    assert cli.main(argv) == 0
    with Image.open(out) as img:
        assert img.size == (48 + 4 + 48, 40)  # the photo's own 48×40: sketch | gap | render
        pair = np.asarray(img.convert("RGB"))
    sketch = pair[:, :48]
    assert (sketch == sketch[..., :1]).all() and (sketch == INK).any(), "the left half is the derived edge map"
    assert "wrote 100×40 render" in capsys.readouterr().out


def test_render_cli_from_a_label_map(pix2pixhd_events, tmp_path, capsys):
    ids = np.zeros((SIZE, 40), np.uint8)
    ids[:, 20:] = 8
    Image.fromarray(ids, mode="L").save(tmp_path / "labels.png")
    out = tmp_path / "render.png"
    argv = ["render", str(model_dir_of(pix2pixhd_events)), "--input", str(tmp_path / "labels.png"), "--out", str(out),
            "--seed", "2"]
    assert cli.main(argv) == 0
    with Image.open(out) as img:
        assert (img.size, img.mode) == ((40, SIZE), "RGB")
    assert "note: A 40×32 canvas is rendered at" in capsys.readouterr().out


def test_render_cli_on_a_file_that_is_not_an_image_exits_with_a_clear_error(pix2pix_runs, tmp_path, capsys):
    (tmp_path / "sketch.png").write_text("this is not a PNG")
    out = tmp_path / "out.png"
    assert cli.main(["render", str(pix2pix_runs[0]), "--input", str(tmp_path / "sketch.png"), "--out", str(out)]) == 2
    assert "sketch.png is not a readable image" in capsys.readouterr().err
    assert not out.exists()


def test_render_cli_with_a_missing_model_exits_with_a_clear_error(tmp_path, capsys):
    assert cli.main(["render", str(tmp_path / "nope"), "--input", "x.png", "--out", str(tmp_path / "o.png")]) == 2
    assert "No model called" in capsys.readouterr().err


@pytest.fixture(scope="module")
def tiny_classifier(work) -> Path:
    """An untrained 16 px classifier: enough for the FID arithmetic, not for a meaningful score."""
    from ganstudio.ml.evaluation.classifier import ClassifierConfig, TrainedClassifier, save_classifier
    from ganstudio.ml.networks.classifier import classifier

    cfg = ClassifierConfig(epochs=0, widths=(4, 8))
    trained = TrainedClassifier(classifier(16, 3, 2, cfg.widths), ("daisy", "rose"), cfg, {"heldout_accuracy": 0.0})
    return save_classifier(trained, work / "classifier", {"name": "tiny"}, HOLDOUT)


def test_eval_pairs_prints_name_value_unit_lines(pix2pix_runs, edge_data, tiny_classifier, capsys):
    argv = ["eval-pairs", str(pix2pix_runs[0] / "model"), "--data", str(edge_data), "--classifier", str(tiny_classifier)]
    assert cli.main(argv) == 0
    lines = [line.split() for line in capsys.readouterr().out.strip().splitlines()]
    assert all(len(parts) == 3 for parts in lines), lines
    values = {name: (float(value), unit) for name, value, unit in lines}
    assert list(values) == ["heldout_pairs", "l1", "fid", "fid_floor_real_train_photos", "fid_blurred_heldout_photos"]
    assert values["heldout_pairs"] == (4.0, "pairs")
    assert values["l1"][1] == "mean_abs_0_1" and 0.0 < values["l1"][0] < 1.0
    assert all(np.isfinite(v) and v >= 0 for v, _ in values.values())


def test_eval_pairs_without_a_val_split_is_a_clear_error(pix2pix_runs, tmp_path, edge_data, tiny_classifier, capsys):
    shutil.copytree(edge_data / "train", tmp_path / "only-train" / "train")
    argv = ["eval-pairs", str(pix2pix_runs[0]), "--data", str(tmp_path / "only-train"), "--classifier",
            str(tiny_classifier)]
    assert cli.main(argv) == 2
    assert "no 'val' split" in capsys.readouterr().err
