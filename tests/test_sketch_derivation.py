"""Deriving sketches from photos (core/sketch): edge maps, label maps, palettes, canvas fitting, the paired data set
builder and `ganstudio make-pairs`. No TensorFlow: every test here runs in milliseconds."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ganstudio import cli
from ganstudio.core.errors import DataError
from ganstudio.core.image_data.images import load_image
from ganstudio.core.paired import load_paired
from ganstudio.core.sketch.edges import INK, PAPER, edges_from_photo
from ganstudio.core.sketch.fit import resize_photo, resize_sketch, work_size
from ganstudio.core.sketch.labels import labels_from_photo, mode_filter, nearest_class, rgb_to_lab
from ganstudio.core.sketch.pairs_builder import build_pairs
from ganstudio.core.sketch.palette import FLOWER_MATERIALS, Palette, generic_palette
from ganstudio.core.image_data.splits import is_held_out

SKY, YELLOW = 1, 8  # two FLOWER_MATERIALS classes with very different colours


def square_photo(side: int = 64, lo: int = 60, hi: int = 220) -> tuple[np.ndarray, np.ndarray]:
    """A dark photo with a bright square in the middle → (rgb, mask of the square)."""
    mask = np.zeros((side, side), bool)
    mask[side // 4: 3 * side // 4, side // 4: 3 * side // 4] = True
    return np.repeat(np.where(mask, hi, lo).astype(np.uint8)[..., None], 3, -1), mask


def distance_to_border(mask: np.ndarray) -> np.ndarray:
    """Chebyshev distance of each pixel to the nearest pixel on the other side of the mask's border."""
    from scipy import ndimage

    inside = ndimage.distance_transform_cdt(mask, metric="chessboard")
    outside = ndimage.distance_transform_cdt(~mask, metric="chessboard")
    return np.where(mask, inside, outside)


# ---- edges ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lo, hi", [(60, 220), (10, 60), (150, 250), (220, 60)])
def test_edges_of_a_sharp_square_are_ink_on_its_border_and_paper_elsewhere(lo, hi):
    """Thresholds are quantiles, so a dim low-contrast photo gets the same contour as a bright one."""
    rgb, mask = square_photo(lo=lo, hi=hi)
    edges = edges_from_photo(rgb)
    assert edges.shape == mask.shape and edges.dtype == np.uint8
    assert set(np.unique(edges)) == {INK, PAPER}
    assert (edges[distance_to_border(mask) > 3] == PAPER).all(), "ink away from the only contour in the picture"
    ink = edges == INK
    a, b = 16, 48  # the square's first and one-past-last row/column
    for name, band in {"top": ink[a - 3: a + 3, a + 4: b - 4], "bottom": ink[b - 3: b + 3, a + 4: b - 4],
                       "left": ink[a + 4: b - 4, a - 3: a + 3], "right": ink[a + 4: b - 4, b - 3: b + 3]}.items():
        covered = band.any(axis=0) if name in ("top", "bottom") else band.any(axis=1)
        assert covered.all(), f"the {name} side of the square has gaps in its line"
    assert ink.sum() <= 4 * 32 * 2, "the contour should be a thin line, not a thick band"


@pytest.mark.parametrize("value", [0, 128, 255])
def test_a_uniform_photo_has_no_ink(value):
    edges = edges_from_photo(np.full((48, 40, 3), value, np.uint8))
    assert edges.shape == (48, 40) and (edges == PAPER).all()


def test_grayscale_photos_are_accepted():
    rgb, _ = square_photo()
    np.testing.assert_array_equal(edges_from_photo(rgb[..., 0]), edges_from_photo(rgb))


# ---- labels ---------------------------------------------------------------------------------------------------------
def test_lab_of_white_black_and_a_known_colour():
    lab = rgb_to_lab(np.array([[255, 255, 255], [0, 0, 0], [255, 0, 0]], np.uint8))
    np.testing.assert_allclose(lab[0], [100, 0, 0], atol=0.5)
    np.testing.assert_allclose(lab[1], [0, 0, 0], atol=0.5)
    np.testing.assert_allclose(lab[2], [53.2, 80.1, 67.2], atol=1.0)  # sRGB red, the textbook value


def test_every_palette_colour_is_its_own_nearest_class():
    colours = np.asarray(FLOWER_MATERIALS.colors, np.uint8)[None]
    np.testing.assert_array_equal(nearest_class(colours, FLOWER_MATERIALS)[0], np.arange(len(FLOWER_MATERIALS)))


def test_labels_of_a_photo_of_two_palette_colours_are_those_two_ids_in_flat_regions():
    rgb = np.zeros((64, 64, 3), np.uint8)
    rgb[:, :32] = FLOWER_MATERIALS.colors[SKY]
    rgb[:, 32:] = FLOWER_MATERIALS.colors[YELLOW]
    rgb = np.clip(rgb + np.random.default_rng(0).integers(-6, 7, rgb.shape), 0, 255).astype(np.uint8)  # sensor noise
    ids = labels_from_photo(rgb)
    assert ids.shape == (64, 64) and ids.dtype == np.uint8
    assert (ids[:, :26] == SKY).all() and (ids[:, 38:] == YELLOW).all()
    assert ids.max() < len(FLOWER_MATERIALS)


def test_labels_use_the_palette_they_are_given():
    two = Palette(("dark", "light"), ((20, 20, 20), (230, 230, 230)))
    rgb, mask = square_photo(lo=30, hi=220)
    ids = labels_from_photo(rgb, two)
    near = distance_to_border(mask)
    np.testing.assert_array_equal(ids[near > 4], mask[near > 4].astype(np.uint8))


def test_mode_filter_removes_a_one_pixel_speck_and_keeps_a_straight_border():
    ids = np.zeros((9, 9), np.uint8)
    ids[4, 4] = 3
    assert (mode_filter(ids, 4, 3) == 0).all()
    halves = np.zeros((12, 12), np.uint8)
    halves[:, 6:] = 2
    np.testing.assert_array_equal(mode_filter(halves, 3, 3), halves)


# ---- palette --------------------------------------------------------------------------------------------------------
def test_palette_round_trips_through_a_dict_and_json():
    again = Palette.from_dict(json.loads(json.dumps(FLOWER_MATERIALS.to_dict())))
    assert again == FLOWER_MATERIALS


@pytest.mark.parametrize("bad", [{}, {"names": ["a"]}, {"names": ["a"], "colors": [[1, 2]]},
                                 {"names": ["a", "b"], "colors": [[1, 2, 3]]}, {"names": ["a"], "colors": [["x", 1, 2]]},
                                 {"names": ["a"], "colors": [[1, 2, 300]]},
                                 {"names": ["a"], "colors": [[1, 2, 3]], "background": 1}])
def test_a_malformed_palette_is_a_data_error(bad):
    with pytest.raises(DataError):
        Palette.from_dict(bad)


def test_colorize_shows_unknown_ids_in_magenta_and_lists_them():
    ids = np.array([[0, 1], [7, 200]], np.uint8)
    palette = generic_palette(3)
    rgb = palette.colorize(ids)
    assert rgb.shape == (2, 2, 3) and rgb.dtype == np.uint8
    assert tuple(rgb[0, 1]) == palette.colors[1]
    assert tuple(rgb[1, 0]) == tuple(rgb[1, 1]) == (255, 0, 255)
    assert palette.unknown_ids(ids) == [7, 200]


def test_generic_palette_gives_distinct_named_colours():
    palette = generic_palette(12)
    assert len(palette) == 12 and len(set(palette.colors)) == 12
    assert palette.names[3] == "class 3" and palette.background == 0


def test_flower_materials_are_named_distinct_and_background_first():
    assert len(FLOWER_MATERIALS) == 14 and len(set(FLOWER_MATERIALS.names)) == 14
    assert len(set(FLOWER_MATERIALS.colors)) == 14
    assert FLOWER_MATERIALS.names[FLOWER_MATERIALS.background] == "background"


# ---- fitting a canvas to a model ------------------------------------------------------------------------------------
@pytest.mark.parametrize("shape, granularity, cap, expected", [
    ((100, 70), 32, 512, (96, 64)),
    ((2000, 1000), 32, 512, (512, 256)),
    ((10, 10), 32, 512, (32, 32)),
    ((128, 96), 64, 512, (128, 128)),
])
def test_work_size_rounds_to_the_granularity_within_the_cap(shape, granularity, cap, expected):
    assert work_size(*shape, granularity, cap) == expected


def test_resizing_a_label_map_never_invents_ids():
    ids = (np.indices((30, 30)).sum(0) % 3 * 4).astype(np.uint8)  # ids 0, 4, 8 in diagonal stripes
    out = resize_sketch(ids, (64, 48), "labels")
    assert out.shape == (64, 48) and set(np.unique(out)) <= {0, 4, 8}


def test_shrinking_an_edge_sketch_keeps_a_one_pixel_line():
    sketch = np.full((64, 64), PAPER, np.uint8)
    sketch[:, 11] = INK
    out = resize_sketch(sketch, (32, 32), "edges")
    assert set(np.unique(out)) == {INK, PAPER}
    assert (out == INK).any(axis=1).all(), "the line broke when shrunk"
    assert resize_sketch(sketch, (64, 64), "edges") is sketch


def test_resize_photo_gives_the_size_asked_for():
    photo = np.zeros((20, 30, 3), np.uint8)
    assert resize_photo(photo, (40, 24)).shape == (40, 24, 3)
    assert resize_photo(photo, (20, 30)) is photo


# ---- building paired data sets from photos --------------------------------------------------------------------------
def synthetic_photo(rng: np.random.Generator, height: int = 40, width: int = 48) -> np.ndarray:
    """A palette-coloured background with a rectangle and an ellipse of other palette colours."""
    colors = np.asarray(FLOWER_MATERIALS.colors, np.uint8)
    a, b, c = rng.choice(len(colors), 3, replace=False)
    img = np.empty((height, width, 3), np.uint8)
    img[:] = colors[a]
    y0, x0 = rng.integers(2, height // 2, 2)
    img[y0: y0 + height // 3, x0: x0 + width // 3] = colors[b]
    yy, xx = np.mgrid[:height, :width]
    cy, cx = rng.uniform(0.3, 0.7, 2) * (height, width)
    img[((yy - cy) / 8) ** 2 + ((xx - cx) / 6) ** 2 <= 1] = colors[c]
    return img


PHOTO_NAMES = [f"{group}/{i:02d}.png" for group in ("daisy", "rose") for i in range(6)]
HOLDOUT = 0.3  # holds out daisy/01, daisy/03, rose/01, rose/02: both splits have photos


@pytest.fixture(scope="module")
def photo_folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("photos")
    rng = np.random.default_rng(5)
    for name in PHOTO_NAMES:
        (root / name).parent.mkdir(exist_ok=True)
        Image.fromarray(synthetic_photo(rng)).save(root / name)
    (root / "rose" / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    (root / "notes.txt").write_text("not a photo")
    return root


def expected_val_names() -> set[str]:
    return {n.replace("/", "_").removesuffix(".png") for n in PHOTO_NAMES if is_held_out(n, HOLDOUT)}


def stems(folder: Path) -> set[str]:
    return {p.stem for p in folder.glob("*.png")}


@pytest.fixture(scope="module")
def edge_pairs(photo_folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("edges") / "pairs"
    calls = []
    report = build_pairs(photo_folder, out, "edges", size=32, holdout=HOLDOUT, progress=lambda *a: calls.append(a))
    return out, report, calls


@pytest.fixture(scope="module")
def label_pairs(photo_folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("labels") / "pairs"
    return out, build_pairs(photo_folder, out, "labels", size=32, holdout=HOLDOUT)


def test_the_split_precondition_holds():
    assert 0 < len(expected_val_names()) < len(PHOTO_NAMES)


def test_edge_pairs_are_side_by_side_sketch_and_photo(edge_pairs, photo_folder):
    out, report, _ = edge_pairs
    assert (report.train, report.val) == (len(PHOTO_NAMES) - len(expected_val_names()), len(expected_val_names()))
    assert stems(out / "val") == expected_val_names()
    assert stems(out / "train") | stems(out / "val") == {n.replace("/", "_")[:-4] for n in PHOTO_NAMES}
    pair = np.asarray(Image.open(out / "train" / "daisy_00.png"))
    assert pair.shape == (32, 64, 3)
    sketch, photo = pair[:, :32], pair[:, 32:]
    assert (sketch == sketch[..., :1]).all() and set(np.unique(sketch)) <= {INK, PAPER}
    assert (sketch == INK).any(), "a photo with shapes on it should give some ink"
    np.testing.assert_array_equal(photo, load_image(photo_folder / "daisy" / "00.png", 32, 3))
    np.testing.assert_array_equal(sketch[..., 0], edges_from_photo(photo))


def test_label_pairs_are_id_maps_photos_and_a_palette(label_pairs, photo_folder):
    out, report = label_pairs
    assert stems(out / "val_label") == stems(out / "val_img") == expected_val_names()
    assert len(stems(out / "train_label")) == report.train == len(PHOTO_NAMES) - report.val
    assert Palette.from_dict(json.loads((out / "palette.json").read_text())) == FLOWER_MATERIALS
    with Image.open(out / "train_label" / "rose_00.png") as label:
        assert label.mode == "L" and label.size == (32, 32)
        ids = np.asarray(label)
    photo = np.asarray(Image.open(out / "train_img" / "rose_00.png"))
    np.testing.assert_array_equal(photo, load_image(photo_folder / "rose" / "00.png", 32, 3))
    np.testing.assert_array_equal(ids, labels_from_photo(photo))
    assert len(np.unique(ids)) >= 2


def test_derived_pairs_load_with_the_paired_readers(edge_pairs, label_pairs):
    edges = load_paired(edge_pairs[0], "val", 32)
    assert edges.input_kind == "edges" and edges.inputs.shape == (len(expected_val_names()), 32, 32, 1)
    labels = load_paired(label_pairs[0], "train", 32)
    assert labels.input_kind == "labels" and labels.palette == FLOWER_MATERIALS and not labels.skipped


def test_an_unreadable_photo_is_skipped_and_listed(edge_pairs, label_pairs):
    for report in (edge_pairs[1], label_pairs[1]):
        assert len(report.skipped) == 1 and report.skipped[0].startswith("broken.jpg: ")
    assert edge_pairs[2][-1][1] == len(PHOTO_NAMES) + 1  # progress counts every file it tried


def test_the_val_split_is_stable_across_builds(photo_folder, edge_pairs, tmp_path):
    again = tmp_path / "again"
    build_pairs(photo_folder, again, "edges", size=32, holdout=HOLDOUT)
    assert stems(again / "val") == stems(edge_pairs[0] / "val")
    assert stems(again / "train") == stems(edge_pairs[0] / "train")


def test_no_holdout_puts_every_photo_in_train(photo_folder, tmp_path):
    report = build_pairs(photo_folder, tmp_path / "all", "edges", size=32, holdout=0.0)
    assert (report.train, report.val) == (len(PHOTO_NAMES), 0)


def test_bad_kind_and_an_empty_folder_are_data_errors(photo_folder, tmp_path):
    with pytest.raises(DataError, match="kind"):
        build_pairs(photo_folder, tmp_path / "x", "depth", size=32)
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="No photos"):
        build_pairs(tmp_path / "empty", tmp_path / "y", "edges", size=32)


# ---- `ganstudio make-pairs` -----------------------------------------------------------------------------------------
def test_make_pairs_cli_writes_the_layout_and_reports_counts_and_skips(photo_folder, tmp_path, capsys):
    out = tmp_path / "cli-pairs"
    argv = ["make-pairs", str(photo_folder), "--kind", "labels", "--out", str(out), "--size", "32",
            "--holdout", str(HOLDOUT)]
    assert cli.main(argv) == 0
    stdout = capsys.readouterr().out
    train = len(PHOTO_NAMES) - len(expected_val_names())
    assert f"wrote {train} training and {len(expected_val_names())} held-out pairs to {out}" in stdout
    assert "skipped broken.jpg: " in stdout
    assert stems(out / "val_img") == expected_val_names() and (out / "palette.json").exists()


def test_make_pairs_cli_on_a_folder_without_photos_exits_with_an_error(tmp_path, capsys):
    (tmp_path / "nothing").mkdir()
    argv = ["make-pairs", str(tmp_path / "nothing"), "--kind", "edges", "--out", str(tmp_path / "out")]
    assert cli.main(argv) == 2
    assert "No photos found" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
