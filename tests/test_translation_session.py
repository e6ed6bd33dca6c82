"""The image-translation engine's trained translators at toy size (shared fixtures: translation_fixtures.py): model
files (also loaded in a fresh process), TranslatorSession renders (odd sizes, seeds, unknown labels, bad input,
batches), and the `render` and `eval-pairs` commands."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from translation_fixtures import HOLDOUT, SIZE, model_dir_of

from ganstudio import cli
from ganstudio.core.errors import ModelFileError
from ganstudio.core.sketch.edges import INK, PAPER
from ganstudio.core.sketch.palette import FLOWER_MATERIALS


# ---- model files ----------------------------------------------------------------------------------------------------
FRESH_LOAD = """
import sys
import numpy as np
from ganstudio.ml.inference.translator import TranslatorSession
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
    from ganstudio.ml.inference.translator import TranslatorSession

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


def test_a_draft_renders_a_large_canvas_at_the_model_size_and_scales_it_up(labels_session):
    big = np.zeros((2 * SIZE, 2 * SIZE), np.uint8)
    big[SIZE // 2:SIZE, SIZE // 2:SIZE] = 8
    before = list(labels_session.notes)
    draft = labels_session.render(big, max_side=SIZE)
    at_native = labels_session.render(big[::2, ::2])  # what the model sees for the draft: the canvas at its size
    assert draft.shape == (2 * SIZE, 2 * SIZE, 3) and labels_session.notes == before  # drafts add no note
    scaled = np.asarray(Image.fromarray(draft).resize((SIZE, SIZE), Image.Resampling.BOX)).astype(int)
    assert np.abs(scaled - at_native).mean() < 6  # the draft is the native render, scaled up


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
    # A batch of 3 and a batch of 1 may take different oneDNN kernels, whose float sums round differently:
    # a pixel may land one level apart after quantisation to uint8, never more.
    for raw, photo in zip(val.inputs, batch):
        single = edges_session.render(raw[..., 0]).astype(np.int16)
        assert np.abs(single - photo.astype(np.int16)).max() <= 1


def test_a_deep_unet_renders_a_canvas_that_is_not_a_multiple_of_its_downsampling(tmp_path):
    """A U-Net trained at 128 px halves 6 times: its skips only line up on multiples of 64 (a 96 px canvas crashed)."""
    from ganstudio.ml.training.export import export_generator
    from ganstudio.ml.recipes import get
    from ganstudio.ml.inference.translator import TranslatorSession

    recipe = get("pix2pix")
    config = recipe.config(image_size=128, ngf=4, ndf=4, input_kind="edges", input_channels=1, xla=False)
    session = TranslatorSession.load(export_generator(recipe.build(config)["generator"], config, tmp_path / "m", 0))
    assert session.granularity == 64
    assert session.render(blank_sketch(96, 160)).shape == (96, 160, 3)
    assert any("multiples of 64" in note for note in session.notes)


# ---- `ganstudio render` and `ganstudio eval-pairs` ------------------------------------------------------------------
def test_render_cli_from_a_photo_writes_the_pair(pix2pix_runs, translation_photos, tmp_path, capsys):
    out = tmp_path / "pair.png"
    argv = ["render", str(pix2pix_runs[0]), "--input", str(translation_photos / "daisy" / "00.png"), "--photo",
            "--pair", "--out", str(out)]
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
def tiny_classifier(translation_work) -> Path:
    """An untrained 16 px classifier: enough for the FID arithmetic, not for a meaningful score."""
    from ganstudio.ml.evaluation.classifier import ClassifierConfig, TrainedClassifier, save_classifier
    from ganstudio.ml.networks.classifier import classifier

    cfg = ClassifierConfig(epochs=0, widths=(4, 8))
    trained = TrainedClassifier(classifier(16, 3, 2, cfg.widths), ("daisy", "rose"), cfg, {"heldout_accuracy": 0.0})
    return save_classifier(trained, translation_work / "classifier", {"name": "tiny"}, HOLDOUT)


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
