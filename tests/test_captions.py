"""Generated captions: facts measured from pixels, varied deterministic captions with a held-out split, captioned
data set layouts and their bad input, `ganstudio make-captions`, and the captions shipped with the built-in flowers.
No TensorFlow; tiny images made here."""

from __future__ import annotations

import argparse
import hashlib
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ganstudio import cli
from ganstudio.commands import make_captions
from ganstudio.core.captions import folder as caption_folder_module
from ganstudio.core.captions.attributes import PhotoFacts, measure
from ganstudio.core.captions.data import detect_captioned, load_captioned
from ganstudio.core.captions.generate import captions_for, seed_for
from ganstudio.core.captions.templates import HELD_OUT_TEMPLATES, TEMPLATES, fields, held_out_phrases, vocabulary
from ganstudio.core.errors import DataError

FLOWERS = Path(__file__).resolve().parent.parent / "resources" / "data" / "flowers64"
SKY, GRASS, YELLOW, WHITE, DARK = (90, 150, 230), (60, 130, 40), (240, 205, 30), (245, 245, 240), (40, 28, 18)


def disc_photo(background, petal, centre=None, radius=18, size=64, seed=0) -> np.ndarray:
    """A flower-like disc (optionally with a centre disc) on a flat background, with a little sensor noise."""
    y, x = np.mgrid[0:size, 0:size] - (size - 1) / 2
    img = np.empty((size, size, 3), np.float64)
    img[:] = background
    img[x**2 + y**2 <= radius**2] = petal
    if centre is not None:
        img[x**2 + y**2 <= (radius / 3) ** 2] = centre
    img += np.random.default_rng(seed).normal(0, 3, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def save(path: Path, rgb: np.ndarray) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(rgb).save(path)
    return path


FACTS = [
    PhotoFacts(("white",), "yellow", ("foliage",), True, "a few", True, 0.3),
    PhotoFacts(("yellow",), "dark", ("sky",), False, "one", False, 0.2),
    PhotoFacts(("red", "white"), None, ("dark", "brown"), False, None, True, 0.5),
    PhotoFacts((), None, (), False, None, False, 0.0),
    PhotoFacts(("pink",), None, (), False, "many", False, 0.4),
]
CLASSES = ("daisy", "dandelion", "rose", "sunflower", "tulip")


# ---- attributes -----------------------------------------------------------------------------------------------------
def test_a_yellow_disc_on_blue_sky_is_a_yellow_flower_against_the_sky():
    facts = measure(disc_photo(SKY, YELLOW))
    assert facts.petal_colours == ("yellow",)
    assert facts.background == ("sky",)
    assert facts.count == "one" and facts.centre_colour is None


def test_a_white_disc_with_a_dark_centre_on_green_is_a_white_flower_with_a_dark_centre_in_foliage():
    facts = measure(disc_photo(GRASS, WHITE, DARK))
    assert facts.petal_colours == ("white",)
    assert facts.centre_colour == "dark"
    assert facts.background == ("foliage",)


def test_a_yellow_centre_ringed_by_white_makes_white_the_petals_even_in_close_up():
    facts = measure(disc_photo(GRASS, WHITE, YELLOW, radius=30))
    assert facts.petal_colours == ("white",) and facts.centre_colour == "yellow" and facts.close_up


def test_larger_photos_are_measured_like_their_64_px_version_and_bad_arrays_are_refused():
    big = np.asarray(Image.fromarray(disc_photo(SKY, YELLOW)).resize((256, 256), Image.Resampling.NEAREST))
    assert measure(big).petal_colours == ("yellow",)
    with pytest.raises(ValueError):
        measure(np.zeros((64, 64), np.uint8))


# ---- captions -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("facts", FACTS)
@pytest.mark.parametrize("class_name", CLASSES)
def test_ten_distinct_captions_that_name_the_flower(facts, class_name):
    captions = captions_for(facts, class_name, f"{class_name}/photo.jpg")
    assert len(captions) == 10 and len(set(captions)) == 10
    plural = "daisies" if class_name == "daisy" else class_name + "s"
    assert all(re.search(rf"\b({class_name}|{plural})\b", c) for c in captions)
    assert all(c[0].isupper() and c.endswith(".") and "  " not in c for c in captions)


def test_captions_state_only_measured_facts():
    bare = captions_for(FACTS[3], "tulip", "x", n=10)
    assert not any(re.search(r"close|petal|sky|leaves|background|centre|middle|disc", c) for c in bare)
    rose = captions_for(PhotoFacts(("red",), "dark", (), False, None, False, 0.2), "rose", "x", n=30)
    assert not any(re.search(r"centre|middle|disc", c) for c in rose)  # a rose's dark heart is shading, not a disc
    daisy = captions_for(FACTS[0], "daisy", "x", n=10)
    for fact in (r"white|ivory", r"yellow", r"leaves|foliage|blurred|out-of-focus", r"close"):
        assert any(re.search(fact, c) for c in daisy), fact  # every measured fact is said at least once


def test_captions_are_deterministic_per_photo_name_and_vary_between_photos():
    assert captions_for(FACTS[0], "daisy", "daisy/a.jpg") == captions_for(FACTS[0], "daisy", "daisy/a.jpg")
    assert captions_for(FACTS[0], "daisy", "daisy/a.jpg") != captions_for(FACTS[0], "daisy", "daisy/b.jpg")
    assert seed_for("daisy/a.jpg") == seed_for("daisy/a.jpg") != seed_for("daisy/a.jpg", seed=1)
    # SHA-256 of the name, not hash(): the same on every machine and in every process.
    assert seed_for("daisy/a.jpg") == int.from_bytes(hashlib.sha256(b"0\0daisy/a.jpg").digest()[:8], "big") >> 1


def _template_regex(template: str) -> re.Pattern:
    parts = re.split(r"\{[a-z_0-9]+\}", template)
    return re.compile("(?i)^" + ".+?".join(re.escape(p) for p in parts) + "$")


def test_held_out_templates_and_synonyms_never_appear_in_training_captions():
    assert len(TEMPLATES) + len(HELD_OUT_TEMPLATES) >= 40 and len(HELD_OUT_TEMPLATES) >= 8
    held_words = [re.compile(rf"(?i)\b{re.escape(p)}\b") for p in held_out_phrases()]
    held_templates = [_template_regex(t) for t in HELD_OUT_TEMPLATES]
    training = [c for facts in FACTS for name in CLASSES for k in range(8)
                for c in captions_for(facts, name, f"{name}/{k}.jpg", n=20)]
    assert len(training) > 3000
    for caption in training:
        assert not any(w.search(caption) for w in held_words), caption
        assert not any(t.match(caption) for t in held_templates), caption
    held = [c for facts in FACTS[:3] for k in range(5) for c in captions_for(facts, "daisy", f"d/{k}", held_out=True)]
    assert held and all(any(t.match(c) for t in held_templates) for c in held)
    assert any(w.search(c) for c in held for w in held_words)


def test_every_template_names_the_flower_and_the_vocabulary_is_grouped_for_the_ui():
    assert all({"np", "np0", "noun"} & set(fields(t)) for t in TEMPLATES + HELD_OUT_TEMPLATES)
    vocab = vocabulary()
    assert set(vocab) == {"colours", "flowers", "places", "counts and shapes"}
    assert {"white", "crimson", "yellow"} <= set(vocab["colours"]) and "sunflower" in vocab["flowers"]
    assert not set(held_out_phrases()) & {w for words in vocab.values() for w in words}
    assert "snowy" in vocabulary(held_out=True)["colours"]


# ---- captioned data sets --------------------------------------------------------------------------------------------
def _photo(seed: int) -> np.ndarray:
    return disc_photo(GRASS, WHITE, DARK, radius=20, size=80, seed=seed)


def test_the_oxford_layout_loads_with_classes_from_text_c10(tmp_path):
    for i, cls in enumerate(("class_00001", "class_00001", "class_00002")):
        save(tmp_path / "jpg" / f"image_{i:05d}.jpg", _photo(i))
        text = tmp_path / "text_c10" / cls / f"image_{i:05d}.txt"
        text.parent.mkdir(parents=True, exist_ok=True)
        text.write_text("".join(f"caption {k} of image {i}\n" for k in range(10)))
    assert detect_captioned(tmp_path) == "oxford"
    data = load_captioned(tmp_path, 32)
    assert data.images.shape == (3, 32, 32, 3) and data.images.dtype == np.uint8
    assert data.names == ["jpg/image_00000.jpg", "jpg/image_00001.jpg", "jpg/image_00002.jpg"]
    assert data.labels.dtype == np.int64 and data.labels.tolist() == [0, 0, 1]
    assert data.class_names == ("class_00001", "class_00002") and data.skipped == []
    assert data.captions[2] == [f"caption {k} of image 2" for k in range(10)]


def test_the_cub_layout_with_class_subfolders_of_images_loads(tmp_path):
    save(tmp_path / "images" / "001.Albatross" / "Albatross_0001.jpg", _photo(1))
    (tmp_path / "text_c10" / "001.Albatross").mkdir(parents=True)
    (tmp_path / "text_c10" / "001.Albatross" / "Albatross_0001.txt").write_text("a large white bird\n")
    data = load_captioned(tmp_path, 16)
    assert data.names == ["images/001.Albatross/Albatross_0001.jpg"] and data.captions == [["a large white bird"]]


def test_sidecar_folders_load_with_class_subfolders_or_without_labels(tmp_path):
    for cls in ("daisy", "rose"):
        save(tmp_path / "classed" / cls / "a.png", _photo(2))
        (tmp_path / "classed" / cls / "a.txt").write_text("one\r\n\r\n  two  words \n", encoding="utf-8")
    (tmp_path / "classed" / "CREDITS.txt").write_text("photos by someone")
    data = load_captioned(tmp_path / "classed", 24)
    assert detect_captioned(tmp_path / "classed") == "sidecar"
    assert data.class_names == ("daisy", "rose") and data.labels.tolist() == [0, 1]
    assert data.captions == [["one", "two words"]] * 2 and data.skipped == []  # CREDITS.txt is not a caption
    save(tmp_path / "loose" / "b.jpg", _photo(3))
    (tmp_path / "loose" / "b.txt").write_text("\ufeffa flower\n", encoding="utf-8")
    loose = load_captioned(tmp_path / "loose", 24)
    assert loose.labels.tolist() == [-1] and loose.class_names == () and loose.captions == [["a flower"]]


def test_bad_caption_files_and_images_are_skipped_with_their_reasons(tmp_path):
    save(tmp_path / "good.jpg", _photo(4))
    (tmp_path / "good.txt").write_text("a white flower\n")
    save(tmp_path / "uncaptioned.jpg", _photo(5))
    save(tmp_path / "empty.jpg", _photo(6))
    (tmp_path / "empty.txt").write_text("\n   \n")
    save(tmp_path / "latin1.jpg", _photo(7))
    (tmp_path / "latin1.txt").write_bytes("une fleur d\xe9j\xe0 vue\n".encode("latin-1"))
    (tmp_path / "orphan.txt").write_text("a caption without its image\n")
    (tmp_path / "broken.jpg").write_bytes(b"not a jpeg")
    (tmp_path / "broken.txt").write_text("a caption of a broken image\n")
    data = load_captioned(tmp_path, 16)
    assert data.names == ["good.jpg"] and data.captions == [["a white flower"]]
    reasons = "\n".join(data.skipped)
    assert "uncaptioned.jpg: no caption file uncaptioned.txt beside it" in reasons
    assert "empty.txt: empty caption file — its image empty.jpg is left out" in reasons
    assert "latin1.txt: not UTF-8 text" in reasons
    assert "orphan.txt: no image of the same name beside it" in reasons
    assert "broken.jpg: broken.jpg is not a readable image" in reasons
    assert len(data.skipped) == 5


def test_oxford_layout_mismatches_are_skipped_both_ways(tmp_path):
    save(tmp_path / "jpg" / "image_00001.jpg", _photo(1))
    save(tmp_path / "jpg" / "image_00002.jpg", _photo(2))
    (tmp_path / "text_c10" / "class_00001").mkdir(parents=True)
    (tmp_path / "text_c10" / "class_00001" / "image_00001.txt").write_text("petals\n")
    (tmp_path / "text_c10" / "class_00001" / "image_00009.txt").write_text("no photo\n")
    data = load_captioned(tmp_path, 16)
    assert data.names == ["jpg/image_00001.jpg"]
    assert sorted(data.skipped) == ["jpg/image_00002.jpg: no caption file text_c10/<class>/image_00002.txt",
                                    "text_c10/class_00001/image_00009.txt: no image named image_00009 in jpg/"]


def test_no_usable_pair_is_a_data_error_that_says_what_to_do(tmp_path):
    with pytest.raises(DataError, match="not a folder"):
        load_captioned(tmp_path / "missing", 16)
    save(tmp_path / "photos" / "a.jpg", _photo(1))
    assert detect_captioned(tmp_path / "photos") is None
    with pytest.raises(DataError, match="holds no captioned images") as err:
        load_captioned(tmp_path / "photos", 16)
    assert "make-captions" in str(err.value)
    (tmp_path / "photos" / "a.txt").write_text("\n")
    with pytest.raises(DataError, match=r"No image .* has a usable caption file .*empty caption file"):
        load_captioned(tmp_path / "photos", 16)


# ---- `ganstudio make-captions` --------------------------------------------------------------------------------------
def run_command(*argv: str) -> int:
    """The command as `ganstudio make-captions` runs it (its own parser, so other commands' flags do not matter)."""
    parser = argparse.ArgumentParser()
    make_captions.add_parser(parser.add_subparsers())
    args = parser.parse_args(["make-captions", *argv])
    return args.func(args)


def test_the_cli_registers_make_captions():
    source = Path(cli.__file__).read_text(encoding="utf-8")
    assert "make_captions.add_parser(sub)" in source and "make_captions" in source.split("def _parser")[1][:400]


@pytest.fixture
def photo_folder(tmp_path) -> Path:
    root = tmp_path / "flowers"
    save(root / "daisy" / "d1.jpg", disc_photo(GRASS, WHITE, YELLOW, seed=1))
    save(root / "daisy" / "d2.png", disc_photo(SKY, WHITE, YELLOW, seed=2))
    save(root / "sunflower" / "s1.jpg", disc_photo(SKY, YELLOW, DARK, seed=3))
    (root / "sunflower" / "broken.jpg").write_bytes(b"\xff\xd8 truncated")
    return root


def test_make_captions_writes_ten_lines_beside_every_photo_and_a_summary(photo_folder, capsys):
    assert run_command(str(photo_folder)) == 0
    out = capsys.readouterr().out
    assert "4 photos: wrote 3 caption files, kept 0 existing, skipped 1" in out
    assert "daisy (2): petals white 2; centres yellow 2" in out and "sunflower (1): petals yellow 1" in out
    assert "skipped sunflower/broken.jpg: broken.jpg is not a readable image" in out
    lines = (photo_folder / "daisy" / "d1.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 10 and all("dais" in line for line in lines)
    assert not (photo_folder / "sunflower" / "broken.txt").exists()
    assert load_captioned(photo_folder, 16).class_names == ("daisy", "sunflower")

    before = (photo_folder / "daisy" / "d1.txt").read_text()
    assert run_command(str(photo_folder)) == 0
    assert "kept 3 existing caption files; pass --overwrite" in capsys.readouterr().out
    assert run_command(str(photo_folder), "--overwrite") == 0
    assert (photo_folder / "daisy" / "d1.txt").read_text() == before  # the same photo name gives the same captions
    assert run_command(str(photo_folder), "--overwrite", "--seed", "3") == 0
    assert (photo_folder / "daisy" / "d1.txt").read_text() != before


def test_make_captions_writes_nothing_when_it_fails_midway(photo_folder, monkeypatch):
    calls = []

    def failing(rgb):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("killed")
        return measure(rgb)

    monkeypatch.setattr(caption_folder_module, "measure", failing)
    with pytest.raises(RuntimeError):
        caption_folder_module.caption_folder(photo_folder)
    assert not list(photo_folder.rglob("*.txt")) and not list(photo_folder.rglob(".*"))


def test_make_captions_on_a_folder_without_photos_is_a_data_error(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="No photos found"):
        run_command(str(tmp_path / "empty"))


# ---- the built-in flowers -------------------------------------------------------------------------------------------
def test_every_shipped_flower_photo_has_ten_captions_beside_it():
    photos = sorted(p for p in FLOWERS.rglob("*.jpg"))
    assert len(photos) == 3850
    missing = [p.name for p in photos if not p.with_suffix(".txt").is_file()]
    assert not missing, f"{len(missing)} photos without captions, e.g. {missing[:3]}"
    for photo in photos[::97]:
        lines = photo.with_suffix(".txt").read_text(encoding="utf-8").splitlines()
        assert len(lines) == 10 and all(lines) and len(set(lines)) == 10
    assert detect_captioned(FLOWERS) == "sidecar" and (FLOWERS / "CAPTIONS.md").is_file()
