"""Sketch files (no Qt): label maps of ids, palette-coloured maps, edge sketches, photos, exports, autosave, and the
bad input the Sketch page must turn into messages (non-images, unknown ids, foreign colours, huge images)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from ganstudio.core.errors import DataError
from ganstudio.core.sketch.palette import Palette
from ganstudio.core.sketch.sketch_io import (autosave_path, load_label_map, load_photo, load_sketch, read_autosave,
                                             save_label_map, save_png, save_sketch, side_by_side, sketch_to_rgb)

PALETTE = Palette(("background", "sky", "leaf", "petal"), ((100, 100, 100), (140, 180, 220), (80, 125, 45),
                                                            (230, 140, 175)))


def label_map(h: int = 24, w: int = 32) -> np.ndarray:
    ids = np.zeros((h, w), np.uint8)
    ids[: h // 2] = 1
    ids[h // 2:, : w // 2] = 2
    ids[4:8, 20:26] = 3
    return ids


def test_label_map_round_trip_is_a_greyscale_png_of_ids(tmp_path):
    ids = label_map()
    path = tmp_path / "map.png"
    save_label_map(ids, path)
    with Image.open(path) as img:
        assert img.mode == "L" and img.size == (32, 24)  # the Cityscapes / pix2pixHD train_label convention
        assert np.array_equal(np.asarray(img), ids)
    loaded, notes = load_label_map(path, PALETTE)
    assert np.array_equal(loaded, ids) and loaded.dtype == np.uint8 and notes == []
    assert [p.name for p in tmp_path.iterdir()] == ["map.png"]  # the atomic write left no temp file


def test_indexed_png_indices_are_the_ids(tmp_path):
    ids = label_map()
    img = Image.frombytes("P", (32, 24), ids.tobytes())
    img.putpalette([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9] + [0] * (768 - 12))
    img.save(tmp_path / "indexed.png")
    loaded, _ = load_label_map(tmp_path / "indexed.png", PALETTE)
    assert np.array_equal(loaded, ids)


def test_a_picture_painted_in_palette_colours_maps_back_to_ids(tmp_path):
    ids = label_map()
    Image.fromarray(PALETTE.colorize(ids)).save(tmp_path / "coloured.png")
    loaded, _ = load_label_map(tmp_path / "coloured.png", PALETTE)
    assert np.array_equal(loaded, ids)


def test_unknown_ids_are_refused_with_the_ids_listed(tmp_path):
    ids = label_map()
    ids[0, :3] = (7, 12, 200)
    save_label_map(ids, tmp_path / "foreign.png")
    with pytest.raises(DataError) as err:
        load_label_map(tmp_path / "foreign.png", PALETTE)
    assert "7, 12, 200" in str(err.value) and "0–3" in str(err.value)


def test_a_sixteen_bit_map_with_large_ids_is_refused_not_wrapped(tmp_path):
    ids = np.full((8, 8), 2, np.uint16)
    ids[0, 0] = 258  # 258 % 256 == 2 would be a valid id if the map were cast to uint8 first
    Image.fromarray(ids).save(tmp_path / "wide.png")
    with pytest.raises(DataError, match="258"):
        load_label_map(tmp_path / "wide.png", PALETTE)


def test_a_colour_photo_is_not_a_label_map(tmp_path):
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 255, (16, 16, 3), dtype=np.uint8)).save(tmp_path / "photo.png")
    with pytest.raises(DataError, match="palette"):
        load_label_map(tmp_path / "photo.png", PALETTE)


@pytest.mark.parametrize("loader", [lambda p: load_label_map(p, PALETTE), load_sketch, lambda p: load_photo(p, 64)])
def test_non_image_files_raise_data_errors(tmp_path, loader):
    path = tmp_path / "notes.png"
    path.write_text("this is not a picture")
    with pytest.raises(DataError, match="not a readable image"):
        loader(path)
    with pytest.raises(DataError):
        loader(tmp_path / "missing.png")


def test_truncated_png_is_a_data_error(tmp_path):
    save_label_map(label_map(256, 256), tmp_path / "full.png")
    data = (tmp_path / "full.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(data[: len(data) // 2])
    with pytest.raises(DataError):
        load_label_map(tmp_path / "cut.png", PALETTE)


def test_huge_label_maps_are_downscaled_nearest_with_a_note(tmp_path):
    ids = np.kron(label_map(12, 16), np.ones((10, 10), np.uint8))  # 120 × 160
    save_label_map(ids, tmp_path / "big.png")
    loaded, notes = load_label_map(tmp_path / "big.png", PALETTE, max_side=40)
    assert loaded.shape == (30, 40)
    assert set(np.unique(loaded)) <= {0, 1, 2, 3}  # nearest neighbour: no blended, invented ids
    assert len(notes) == 1 and "160×120" in notes[0] and "40×30" in notes[0]


def test_sketch_round_trip_and_threshold(tmp_path):
    edges = np.full((20, 30), 255, np.uint8)
    edges[10, 2:28] = 0
    save_sketch(edges, tmp_path / "s.png")
    loaded, notes = load_sketch(tmp_path / "s.png")
    assert np.array_equal(loaded, edges) and notes == []
    grey = np.full((20, 30), 200, np.uint8)
    grey[5] = 60
    Image.fromarray(grey).save(tmp_path / "grey.png")
    loaded, _ = load_sketch(tmp_path / "grey.png")
    assert set(np.unique(loaded)) == {0, 255} and (loaded[5] == 0).all() and (loaded[6] == 255).all()


def test_transparent_drawing_becomes_ink_on_paper(tmp_path):
    rgba = np.zeros((16, 16, 4), np.uint8)  # fully transparent ...
    rgba[8, :, 3] = 255  # ... except an opaque black line
    Image.fromarray(rgba, "RGBA").save(tmp_path / "line.png")
    loaded, _ = load_sketch(tmp_path / "line.png")
    assert (loaded[8] == 0).all() and (np.delete(loaded, 8, axis=0) == 255).all()


def test_a_photo_loaded_as_sketch_gets_a_hint(tmp_path):
    gradient = np.tile(np.linspace(0, 255, 64).astype(np.uint8), (64, 1))
    Image.fromarray(gradient).save(tmp_path / "photo.png")
    _, notes = load_sketch(tmp_path / "photo.png")
    assert any("Load photo" in n for n in notes)


def test_huge_sketch_downscale_keeps_thin_lines(tmp_path):
    edges = np.full((300, 400), 255, np.uint8)
    edges[151, :] = 0  # one pixel wide: an area filter would fade it to grey and lose it at the threshold
    edges[:, 203] = 0
    save_sketch(edges, tmp_path / "big.png")
    loaded, notes = load_sketch(tmp_path / "big.png", max_side=100)
    assert max(loaded.shape) <= 100 and len(notes) == 1 and "downscaled" in notes[0]
    assert (loaded == 0).any(axis=1).sum() >= 1 and (loaded.min(axis=1) == 0).sum() >= 1
    assert (loaded.min(axis=0) == 0).all()  # the horizontal line survived across the whole width


def test_load_photo_scales_to_the_model_size(tmp_path):
    Image.fromarray(np.full((200, 300, 3), 90, np.uint8)).save(tmp_path / "photo.jpg")
    rgb, notes = load_photo(tmp_path / "photo.jpg", 64)
    assert rgb.shape == (43, 64, 3) and rgb.dtype == np.uint8
    assert "300×200" in notes[0]
    small, notes = load_photo(tmp_path / "photo.jpg", 512)
    assert small.shape == (200, 300, 3) and notes == []


def test_pair_and_display_images():
    ids = label_map(16, 16)
    shown = sketch_to_rgb(ids, PALETTE)
    assert shown.shape == (16, 16, 3) and tuple(shown[0, 0]) == PALETTE.colors[1]
    assert sketch_to_rgb(np.zeros((4, 4), np.uint8), None).shape == (4, 4, 3)
    render = np.zeros((64, 64, 3), np.uint8)
    pair = side_by_side(shown, render, gap=4)
    assert pair.shape == (64, 132, 3)
    assert tuple(pair[0, 0]) == PALETTE.colors[1] and (pair[:, 64:68] == 255).all()


def test_autosave_lives_in_the_user_data_folder(isolated_home):
    path = autosave_path("labels")
    assert path.is_relative_to(isolated_home) and "labels" in path.name
    assert read_autosave("labels") is None
    save_png(label_map(), path)
    assert np.array_equal(read_autosave("labels"), label_map())
    path.write_bytes(b"garbage")
    assert read_autosave("labels") is None  # a damaged autosave means a blank canvas, not a crash
