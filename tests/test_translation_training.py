"""The image-translation engine's training at toy size (shared fixtures: translation_fixtures.py): each recipe's
translator model files and logged losses, the L1 baseline without a discriminator, input | output | target previews,
exact pix2pix resume (and resuming an older checkpoint without dropout seed states), and data the recipes refuse."""

from __future__ import annotations

import re
import shutil
import signal
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from translation_fixtures import SIZE, TINY, TINY_OVERRIDES, manifest, model_dir_of

from ganstudio import cli
from ganstudio.core.errors import DataError
from ganstudio.core.sketch.edges import INK, PAPER
from ganstudio.core.sketch.palette import FLOWER_MATERIALS


@pytest.fixture
def no_signal_handlers(monkeypatch):
    """`ganstudio train` installs Ctrl+C handlers for a clean stop; they must not outlive the test in pytest."""
    monkeypatch.setattr(signal, "signal", lambda *args: None)


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
    from ganstudio.core.training.events import StepLogged
    from ganstudio.ml.training.checkpoints import CheckpointStore

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


def test_the_l1_baseline_has_no_discriminator_in_its_checkpoints(unet_l1_events, translation_work):
    from ganstudio.ml.runtime import tf

    names = tf().train.load_checkpoint(str(translation_work / "unet-l1" / "checkpoints" / "ckpt-000000002" / "state"))
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
    from ganstudio.core.training.events import PreviewReady
    from ganstudio.core.paired import load_paired

    val = load_paired(label_data, "val", SIZE)
    previews = [e for e in pix2pixhd_events if isinstance(e, PreviewReady)]
    assert previews and all(e.kind == "fake" for e in previews)
    colours = {tuple(c) for c in FLOWER_MATERIALS.colors}

    def is_label_picture(tile):
        assert {tuple(p) for p in tile.reshape(-1, 3)} <= colours

    preview_layout_check(previews[-1].grid, len(val.targets), val.targets, is_label_picture)


def test_pix2pix_resume_gives_the_losses_and_weights_of_a_straight_run(pix2pix_runs):
    from ganstudio.ml.training.checkpoints import CheckpointStore
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
    from ganstudio.core.training.events import Finished
    from ganstudio.ml.training.prepare import prepare, resolve_dataset
    from ganstudio.ml.training.run_folder import check_resumable
    from ganstudio.ml.runtime import tf
    from ganstudio.ml.training.trainer import Trainer

    run_dir = shutil.copytree(model_dir_of(unet_l1_events).parent, tmp_path / "legacy")
    config = check_resumable(run_dir, "unet-l1")
    data, config = prepare("unet-l1", resolve_dataset(str(edge_data)), {}, config)
    old = Trainer(config, data, run_dir, 3, device="cpu", resume=True)
    old._prepare()
    state = run_dir / "checkpoints" / "ckpt-000000002" / "state"
    old._legacy_checkpoint.write(str(state))  # what the trainer wrote before it kept the seed states
    assert not any(name.startswith("seeds/") for name, _ in tf().train.list_variables(str(state)))
    old.lock.release()  # done with the folder, as a finished run is: the resume below is its one writer
    events = []
    Trainer(config, data, run_dir, 3, sinks=[events.append], device="cpu", resume=True).run()
    assert isinstance(events[-1], Finished) and events[-1].step == 3


# ---- data errors ----------------------------------------------------------------------------------------------------
def test_pix2pixhd_refuses_edge_data(edge_data):
    from ganstudio.ml.training.prepare import prepare, resolve_dataset

    with pytest.raises(DataError, match="label maps"):
        prepare("pix2pixhd", resolve_dataset(str(edge_data)), TINY_OVERRIDES)


def test_a_photo_folder_given_to_pix2pix_points_to_make_pairs(translation_photos, tmp_path, capsys,
                                                              no_signal_handlers):
    argv = ["train", "pix2pix", "--data", str(translation_photos), "--steps", "2", "--out", str(tmp_path / "run"),
            *TINY]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "not a paired data set" in err and "ganstudio make-pairs" in err
    assert not (tmp_path / "run").exists()


def test_a_paired_data_set_given_to_dcgan_is_refused(edge_data):
    from ganstudio.ml.training.prepare import prepare, resolve_dataset

    with pytest.raises(DataError, match="paired data set"):
        prepare("dcgan", resolve_dataset(str(edge_data)), {})
