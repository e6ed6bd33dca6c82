"""Paired data sets (core/paired*.py): layout detection, loading (edges / RGB / labels, NEAREST), the data check."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ganstudio.core.errors import DataError
from ganstudio.core.paired import (PairedLayout, check_paired, detect_paired, instance_boundaries, load_paired,
                                   read_ids)
from ganstudio.core.sketch.palette import Palette

RED, GREY_LINE = (200, 30, 30), 40


def edge_half(side: int = 16) -> np.ndarray:
    """White paper with one dark vertical ink line (a greyscale A image)."""
    half = np.full((side, side, 3), 255, np.uint8)
    half[:, side // 2] = GREY_LINE
    return half


def save_ab(path: Path, a: np.ndarray, b: np.ndarray) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.concatenate([a, b], axis=1)).save(path)
    return path


def pix2pix_folder(root: Path, splits=("train", "val"), count: int = 3, colour_a: bool = False) -> Path:
    for split in splits:
        for i in range(count):
            a = np.full((16, 16, 3), (20, 120, 220), np.uint8) if colour_a else edge_half()
            save_ab(root / split / f"{i}.png", a, np.full((16, 16, 3), RED, np.uint8))
    return root


def save_ids(path: Path, ids: np.ndarray) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(ids.astype(np.uint8), mode="L").save(path)
    return path


def label_map(seed: int = 0) -> np.ndarray:
    """8×8 ids 0 and 5 in a checkerboard of 2×2 blocks: any blending filter would invent other ids."""
    blocks = (np.indices((4, 4)).sum(0) % 2) * 5
    return np.kron(blocks, np.ones((2, 2), int)) if seed == 0 else np.rot90(np.kron(blocks, np.ones((2, 2), int)))


def pix2pixhd_folder(root: Path, count: int = 3, instances: bool = False, palette: Palette | None = None) -> Path:
    for i in range(count):
        save_ids(root / "train_label" / f"{i:03d}.png", label_map())
        Image.fromarray(np.full((8, 8, 3), RED, np.uint8)).save(_mkdir(root / "train_img") / f"{i:03d}.png")
        if instances:
            inst = np.where(np.arange(8) < 4, 1, 2)[None, :].repeat(8, 0)  # two objects, side by side
            Image.fromarray(inst.astype(np.uint16)).save(_mkdir(root / "train_inst") / f"{i:03d}.png")
    if palette is not None:
        _mkdir(root)
        (root / "palette.json").write_text(json.dumps(palette.to_dict()))
    return root


def _mkdir(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def six_classes() -> Palette:
    return Palette(tuple(f"c{i}" for i in range(6)), tuple((i * 40, 0, 0) for i in range(6)))


def corrupt_jpeg(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (64, 128, 3), np.uint8)).save(path, quality=90)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 3 // 4])  # a truncated download: the header is intact, the pixels are not
    return path


# ---- layout ---------------------------------------------------------------------------------------------------------
def test_detects_pix2pix_splits_flat_folders_and_pix2pixhd(tmp_path):
    assert detect_paired(pix2pix_folder(tmp_path / "ab")) == PairedLayout("pix2pix", tmp_path / "ab", ("train", "val"))
    flat = pix2pix_folder(tmp_path / "flat", splits=("",))
    assert detect_paired(flat) == PairedLayout("pix2pix", flat, ("",))
    hd = pix2pixhd_folder(tmp_path / "hd")
    assert detect_paired(hd) == PairedLayout("pix2pixhd", hd, ("train",))


def test_plain_photo_folders_are_not_paired(tmp_path):
    for i in range(3):
        Image.fromarray(np.zeros((16, 16, 3), np.uint8)).save(_mkdir(tmp_path / "photos" / "train") / f"{i}.png")
    assert detect_paired(tmp_path / "photos") is None
    assert detect_paired(tmp_path / "photos" / "train") is None
    assert detect_paired(tmp_path / "missing") is None
    with pytest.raises(DataError, match="not a paired data set"):
        load_paired(tmp_path / "photos")


# ---- pix2pix --------------------------------------------------------------------------------------------------------
def test_greyscale_a_images_load_as_one_channel_edges(tmp_path):
    data = load_paired(pix2pix_folder(tmp_path / "ab"), "val", size=32)
    assert data.input_kind == "edges" and data.inputs.shape == (3, 32, 32, 1) and data.targets.shape == (3, 32, 32, 3)
    assert data.names == ["0.png", "1.png", "2.png"]
    assert data.inputs[0, 0, 0, 0] == 255 and data.inputs[0, :, 16, 0].max() < 128  # paper light, ink dark
    assert np.abs(data.targets.astype(int) - RED).max() <= 2
    assert any("greyscale" in note for note in data.notes)


def test_colour_a_images_load_as_rgb_and_b_to_a_swaps(tmp_path):
    folder = pix2pix_folder(tmp_path / "ab", colour_a=True)
    forward = load_paired(folder, size=16)
    assert forward.input_kind == "image" and forward.inputs.shape == (3, 16, 16, 3)
    assert tuple(forward.inputs[0, 0, 0]) == (20, 120, 220) and tuple(forward.targets[0, 0, 0]) == RED
    backward = load_paired(folder, size=16, direction="BtoA")
    assert np.array_equal(backward.inputs, forward.targets) and np.array_equal(backward.targets, forward.inputs)


def test_b_to_a_of_an_edge_set_makes_the_edges_the_target(tmp_path):
    data = load_paired(pix2pix_folder(tmp_path / "ab"), size=16, direction="BtoA")
    assert data.input_kind == "image" and data.targets.shape == (3, 16, 16, 3)
    assert tuple(data.targets[0, 0, 8]) == (GREY_LINE,) * 3


def test_bad_pix2pix_files_are_skipped_and_listed(tmp_path):
    folder = pix2pix_folder(tmp_path / "ab", splits=("train",))
    corrupt_jpeg(folder / "train" / "broken.jpg")
    Image.fromarray(np.zeros((16, 30, 3), np.uint8)).save(folder / "train" / "narrow.png")
    (folder / "train" / "notes.txt").write_text("not an image")
    data = load_paired(folder, size=16)
    assert data.names == ["0.png", "1.png", "2.png"]
    assert [s.split(":")[0] for s in data.skipped] == ["broken.jpg", "narrow.png"]
    assert "not a side-by-side A|B pair" in data.skipped[1]
    assert any("Skipped 2" in note for note in data.notes)


def test_names_filter_keeps_a_subset_and_an_empty_result_is_a_data_error(tmp_path):
    folder = pix2pix_folder(tmp_path / "ab")
    assert load_paired(folder, size=16, names_filter=lambda name: name != "1.png").names == ["0.png", "2.png"]
    with pytest.raises(DataError, match="No usable pairs"):
        load_paired(folder, size=16, names_filter=lambda name: False)
    with pytest.raises(DataError, match="no 'test' split"):
        load_paired(folder, "test", size=16)
    with pytest.raises(DataError, match="direction"):
        load_paired(folder, size=16, direction="sideways")


def test_a_folder_of_only_broken_files_is_a_data_error(tmp_path):
    corrupt_jpeg(tmp_path / "ab" / "train" / "a.jpg")  # its header still says 128×64, so the layout is detected
    with pytest.raises(DataError, match=r"No usable pairs .*a.jpg: a.jpg is not a readable image"):
        load_paired(tmp_path / "ab", size=16)


# ---- pix2pixHD ------------------------------------------------------------------------------------------------------
def test_label_maps_resize_nearest_and_get_a_generic_palette(tmp_path):
    data = load_paired(pix2pixhd_folder(tmp_path / "hd"), size=16)
    assert data.input_kind == "labels" and data.inputs.shape == (3, 16, 16, 1) and data.inputs.dtype == np.uint8
    assert np.array_equal(data.inputs[0, ..., 0], np.kron(label_map(), np.ones((2, 2), int)))
    assert data.class_count == 6 and len(data.palette) == 6 and data.names == ["000", "001", "002"]
    assert any("generic palette of 6 classes" in note for note in data.notes)
    assert tuple(data.targets[0, 0, 0]) == RED


def test_instance_maps_add_a_boundary_channel(tmp_path):
    data = load_paired(pix2pixhd_folder(tmp_path / "hd", instances=True, palette=six_classes()), size=16)
    assert data.inputs.shape == (3, 16, 16, 2) and data.palette == six_classes() and data.class_count == 6
    boundary = data.inputs[0, ..., 1]
    assert set(np.unique(boundary)) == {0, 255}
    assert (boundary[:, 7:9] == 255).all() and (boundary[:, :7] == 0).all() and (boundary[:, 9:] == 0).all()


def test_instance_boundaries_use_the_four_neighbours():
    inst = np.zeros((5, 5), int)
    inst[2, 2] = 7
    expected = np.zeros((5, 5), np.uint8)
    expected[2, 2] = expected[1, 2] = expected[3, 2] = expected[2, 1] = expected[2, 3] = 255  # not the diagonals
    assert np.array_equal(instance_boundaries(inst), expected)


def test_label_ids_outside_the_palette_skip_the_pair(tmp_path):
    folder = pix2pixhd_folder(tmp_path / "hd", palette=Palette(("a", "b"), ((0, 0, 0), (9, 9, 9))))
    save_ids(folder / "train_label" / "003.png", np.ones((8, 8)))
    Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(folder / "train_img" / "003.png")
    data = load_paired(folder, size=8)
    assert data.names == ["003"] and len(data.skipped) == 3
    assert "class ids outside the palette (2 classes): 5" in data.skipped[0]


def test_cityscapes_names_pair_and_palette_pngs_give_their_indices(tmp_path):
    root = tmp_path / "city"
    label = Image.fromarray(label_map().astype(np.uint8), mode="P")
    label.putpalette([v for i in range(256) for v in (i, 255 - i, 0)])  # display colours must not matter
    label.save(_mkdir(root / "train_label") / "aachen_000000_000019_gtFine_labelIds.png")
    image = _mkdir(root / "train_img") / "aachen_000000_000019_leftImg8bit.png"
    Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(image)
    data = load_paired(root, size=8)
    assert data.names == ["aachen_000000_000019"] and np.array_equal(data.inputs[0, ..., 0], label_map())


def test_colour_label_maps_map_through_the_palette(tmp_path):
    palette = six_classes()
    path = tmp_path / "colour.png"
    Image.fromarray(palette.colorize(label_map())).save(path)
    assert np.array_equal(read_ids(path, palette), label_map())
    with pytest.raises(DataError, match="not palette colours"):
        read_ids(path, None)


# ---- the check ------------------------------------------------------------------------------------------------------
def test_a_clean_data_set_checks_ok(tmp_path):
    report = check_paired(pix2pix_folder(tmp_path / "ab"))
    assert report.ok and report.counts == {"train": 3, "val": 3}
    assert "train 3 pairs, val 3 pairs" in report.summary() and "No problems found" in report.summary()


def test_the_check_lists_every_kind_of_pix2pix_problem(tmp_path):
    folder = pix2pix_folder(tmp_path / "ab")
    corrupt_jpeg(folder / "val" / "broken.jpg")
    Image.fromarray(np.zeros((16, 30, 3), np.uint8)).save(folder / "train" / "narrow.png")
    (folder / "val" / "notes.txt").write_text("not an image")
    report = check_paired(folder)
    assert not report.ok and report.counts == {"train": 3, "val": 3}
    assert report.problems == ["train/narrow.png is 30×16: not a side-by-side A|B pair (width should be 2 × height)",
                               "val/broken.jpg is not a readable image"]
    assert "2 problems:" in report.summary()
    assert report.notes == ["Ignored 1 file(s) that are not images (e.g. notes.txt)."]


def test_the_check_lists_every_kind_of_pix2pixhd_problem(tmp_path):
    folder = pix2pixhd_folder(tmp_path / "hd", palette=Palette(("a", "b", "c", "d"), ((0, 0, 0),) * 4))
    save_ids(folder / "train_label" / "lonely.png", np.zeros((8, 8)))
    Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(folder / "train_img" / "orphan.png")
    save_ids(folder / "train_label" / "big.png", np.zeros((16, 16)))
    Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(folder / "train_img" / "big.png")
    save_ids(folder / "train_label" / "bad.png", np.zeros((8, 8)))
    corrupt_jpeg(folder / "train_img" / "bad.jpg")
    report = check_paired(folder)
    assert report.counts == {"train": 0}
    assert sorted(report.problems) == sorted([
        "train_img/orphan.png has no label map in train_label/",
        "train_label/lonely.png has no image in train_img/",
        "train_label/big.png is 16×16 but train_img/big.png is 8×8",
        "train_img/bad.jpg is not a readable image",
        *[f"train_label/{i:03d}.png has class ids outside the palette (4 classes): 5" for i in range(3)]])


def test_the_check_uses_a_given_palette_and_reports_missing_instances(tmp_path):
    folder = pix2pixhd_folder(tmp_path / "hd", instances=True)
    (folder / "train_inst" / "001.png").unlink()
    report = check_paired(folder, palette=six_classes())
    assert report.counts == {"train": 2}
    assert report.problems == ["train_label/001.png has no instance map in train_inst/"]
    bare = check_paired(pix2pixhd_folder(tmp_path / "bare"))
    assert bare.ok and "generic palette of 6 classes" in bare.summary()


def test_the_summary_shortens_long_problem_lists(tmp_path):
    folder = pix2pix_folder(tmp_path / "ab", splits=("train",), count=1)
    for i in range(20):
        Image.fromarray(np.zeros((16, 30, 3), np.uint8)).save(folder / "train" / f"n{i:02d}.png")
    report = check_paired(folder)
    assert len(report.problems) == 20 and "… and 8 more" in report.summary()


def test_a_malformed_palette_json_is_a_problem(tmp_path):
    folder = pix2pixhd_folder(tmp_path / "hd")
    (folder / "palette.json").write_text("{not json")
    report = check_paired(folder)
    assert not report.ok and "palette.json is not readable JSON" in report.problems[0]
    with pytest.raises(DataError, match="palette.json"):
        load_paired(folder, size=8)


# ---- `ganstudio check-data` -----------------------------------------------------------------------------------------
def test_check_data_cli_exits_0_on_a_clean_set_and_1_with_problems(tmp_path, capsys):
    from ganstudio import cli

    folder = pix2pix_folder(tmp_path / "ab")
    assert cli.main(["check-data", str(folder)]) == 0
    assert "train 3 pairs, val 3 pairs" in capsys.readouterr().out
    for i in range(14):
        Image.fromarray(np.zeros((16, 30, 3), np.uint8)).save(folder / "val" / f"n{i:02d}.png")
    assert cli.main(["check-data", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "14 problems:" in out and "val/n13.png is 30×16" in out and "more" not in out  # the CLI lists them all


def test_check_data_cli_takes_a_palette_and_refuses_other_folders(tmp_path, capsys):
    from ganstudio import cli

    folder = pix2pixhd_folder(tmp_path / "hd")
    palette = tmp_path / "two.json"
    palette.write_text(json.dumps(Palette(("a", "b"), ((0, 0, 0), (1, 1, 1))).to_dict()))
    assert cli.main(["check-data", str(folder), "--palette", str(palette)]) == 1
    assert "train_label/000.png has class ids outside the palette (2 classes): 5" in capsys.readouterr().out
    assert cli.main(["check-data", str(tmp_path / "nothing-here")]) == 2
    assert "is not a paired data set" in capsys.readouterr().err


def test_jpeg_edge_maps_next_to_colourful_photos_still_load_as_edges(tmp_path):
    rng = np.random.default_rng(0)
    for i in range(3):
        a = np.full((64, 64, 3), 255, np.uint8)
        a[rng.integers(0, 64, 200), rng.integers(0, 64, 200)] = 0  # ink specks: sharp edges for JPEG to ring on
        b = rng.integers(0, 255, (64, 64, 3), np.uint8)  # the colour bleeds across the seam in chroma subsampling
        save_ab(tmp_path / "ab" / "train" / f"{i}.jpg", a, b)
    assert load_paired(tmp_path / "ab", size=32).input_kind == "edges"
    small_colour = edge_half(64)
    small_colour[28:36, 28:36] = RED  # a small coloured patch (2 % of the image) makes the inputs RGB
    save_ab(tmp_path / "ab" / "train" / "3.png", small_colour, np.zeros((64, 64, 3), np.uint8))
    assert load_paired(tmp_path / "ab", size=32).input_kind == "image"
