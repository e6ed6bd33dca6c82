"""Bad input → a clear StudioError that says what is wrong and what to do: data folders, images, IDX files, and
data that does not suit the recipe. (Run folders and full disks: test_engine_run_folders.py; model files:
test_engine_modelfile.py.)
"""

from __future__ import annotations

import gzip
import io
import struct
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ganstudio.core.image_data import datasets
from ganstudio.core.errors import DataError, StudioError
from ganstudio.ml.training.prepare import prepare, resolve_dataset

RNG = np.random.default_rng(7)


def noise(h: int, w: int, c: int | None = 3, dtype=np.uint8, high: int = 255) -> np.ndarray:
    shape = (h, w) if c is None else (h, w, c)
    return RNG.integers(0, high, shape, dtype=dtype)


def jpeg_bytes(h: int = 24, w: int = 24) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(noise(h, w)).save(buf, "JPEG")
    return buf.getvalue()


def mixed_folder(folder: Path) -> Path:
    """One good image of every awkward kind, plus a truncated JPEG and an empty 'image'."""
    folder.mkdir(parents=True)
    Image.fromarray(noise(20, 30)).save(folder / "rgb-wide.jpg")
    Image.fromarray(noise(40, 20, None)).save(folder / "grey-tall.png")
    Image.fromarray(noise(17, 17, 4)).save(folder / "rgba.png")
    Image.fromarray(noise(24, 24, None, np.uint16, 65535)).save(folder / "grey16.png")
    Image.fromarray(noise(24, 24)).convert("P").save(folder / "palette.png")
    Image.fromarray(noise(24, 24, 2), "LA").save(folder / "grey-alpha.png")
    Image.fromarray(noise(24, 24, 4), "CMYK").save(folder / "cmyk.jpg")
    Image.new("1", (300, 200)).save(folder / "bilevel-big.bmp")
    data = jpeg_bytes(64, 64)
    (folder / "truncated.jpg").write_bytes(data[: len(data) // 2])
    (folder / "empty.png").write_bytes(b"")
    return folder


# ---- data folders ------------------------------------------------------------------------------------------------

def test_empty_folder(tmp_path):
    with pytest.raises(DataError, match="holds no images and no IDX files") as caught:
        resolve_dataset(str(tmp_path))
    assert ".jpg/.png" in caught.value.hint
    with pytest.raises(DataError, match="No readable images"):
        datasets.load(datasets.DatasetSpec("images", str(tmp_path), "empty"), 16)


def test_folder_of_non_images(tmp_path):
    (tmp_path / "notes.txt").write_text("not a picture")
    (tmp_path / "table.csv").write_text("a,b\n1,2\n")
    with pytest.raises(DataError, match="holds no images and no IDX files"):
        resolve_dataset(str(tmp_path))


def test_missing_folder(tmp_path):
    with pytest.raises(DataError, match="is not a folder"):
        resolve_dataset(str(tmp_path / "nowhere"))


def test_only_broken_images_says_which(tmp_path):
    (tmp_path / "a.jpg").write_bytes(b"\xff\xd8\xff garbage")
    with pytest.raises(DataError, match=r"No readable images .* \(1 unreadable files, e.g. a.jpg"):
        datasets.load(resolve_dataset(str(tmp_path)), 16)


@pytest.mark.parametrize("channels", [3, 1])
def test_mixed_sizes_and_modes_load_to_one_shape_and_bad_files_are_reported(tmp_path, channels):
    data = datasets.load(resolve_dataset(str(mixed_folder(tmp_path / "mixed"))), 16, channels)
    assert data.images.shape == (8, 16, 16, channels) and data.images.dtype == np.uint8
    assert data.labels is None and len(data.names) == 8
    skipped = sorted(data.skipped)
    assert len(skipped) == 2
    assert skipped[0].startswith("empty.png: empty.png is not a readable image")
    assert skipped[1].startswith("truncated.jpg: truncated.jpg is not a readable image") and "truncated" in skipped[1][15:]
    grey16 = data.images[data.names.index("grey16.png")]
    assert grey16.max() > 200  # 16-bit values are rescaled, not clipped to white or truncated to black


def test_truncated_image_in_a_class_folder_keeps_the_labels_aligned(tmp_path):
    for name, n in (("cats", 3), ("dogs", 2)):
        (tmp_path / name).mkdir()
        for i in range(n):
            Image.fromarray(noise(16, 16)).save(tmp_path / name / f"{i}.png")
    (tmp_path / "cats" / "9.jpg").write_bytes(jpeg_bytes()[:100])
    data = datasets.load(resolve_dataset(str(tmp_path)), 16)
    assert data.class_names == ("cats", "dogs")
    assert data.labels.tolist() == [0, 0, 0, 1, 1]
    assert [s.split(":")[0] for s in data.skipped] == ["cats/9.jpg"]


# ---- IDX files ---------------------------------------------------------------------------------------------------

def write_idx(path: Path, array: np.ndarray, gz: bool = False) -> None:
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    payload = header + array.astype(np.uint8).tobytes()
    path.write_bytes(gzip.compress(payload) if gz else payload)


def test_idx_file_that_is_not_idx(tmp_path):
    (tmp_path / "train-images-idx3-ubyte").write_bytes(b"<html>404 Not Found</html>")
    with pytest.raises(DataError, match="is not an IDX file") as caught:
        datasets.load(resolve_dataset(str(tmp_path)), 16)
    assert "idx3-ubyte" in caught.value.hint


def test_truncated_idx_file(tmp_path):
    write_idx(tmp_path / "train-images-idx3-ubyte", noise(10, 28, 28))
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(DataError, match=r"is truncated: expected 7840 bytes of data, found 7740"):
        datasets.load(resolve_dataset(str(tmp_path)), 16)


def test_truncated_gzipped_idx_file(tmp_path):
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", noise(10, 28, 28), gz=True)
    path = tmp_path / "t10k-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    with pytest.raises(DataError, match="truncated"):
        datasets.load(resolve_dataset(str(tmp_path)), 16)


def test_idx_labels_that_do_not_match_the_images(tmp_path):
    write_idx(tmp_path / "train-images-idx3-ubyte", noise(10, 28, 28))
    write_idx(tmp_path / "train-labels-idx1-ubyte", np.zeros(9))
    with pytest.raises(DataError, match="has 9 labels for 10 images"):
        datasets.load(resolve_dataset(str(tmp_path)), 16)


def test_idx_file_that_holds_labels_instead_of_images(tmp_path):
    write_idx(tmp_path / "train-images-idx3-ubyte", np.zeros(10))
    with pytest.raises(DataError, match="not 8-bit images"):
        datasets.load(resolve_dataset(str(tmp_path)), 16)


# ---- recipe versus data ------------------------------------------------------------------------------------------

def test_conditional_recipe_on_unlabelled_data(tmp_path):
    for i in range(4):
        Image.fromarray(noise(16, 16)).save(tmp_path / f"{i}.png")
    with pytest.raises(DataError, match="has no class labels; the conditional recipe needs labels") as caught:
        prepare("cdcgan", resolve_dataset(str(tmp_path)), {"image_size": 16, "batch_size": 2})
    assert "one subfolder per class" in caught.value.hint


def test_conditional_recipe_on_a_single_class(tmp_path):
    (tmp_path / "roses").mkdir()
    for i in range(4):
        Image.fromarray(noise(16, 16)).save(tmp_path / "roses" / f"{i}.png")
    with pytest.raises(DataError, match="has only 1 class"):
        prepare("cdcgan", resolve_dataset(str(tmp_path)), {"image_size": 16, "batch_size": 2})


def test_batch_larger_than_the_data_set(tmp_path):
    for i in range(3):
        Image.fromarray(noise(16, 16)).save(tmp_path / f"{i}.png")
    with pytest.raises(DataError, match="has 3 images, fewer than one batch"):
        prepare("dcgan", resolve_dataset(str(tmp_path)), {"image_size": 16, "batch_size": 8})


def test_unknown_recipe():
    from ganstudio.ml.recipes import get

    with pytest.raises(StudioError, match="Unknown recipe 'stylegan9'") as caught:
        get("stylegan9")
    assert "dcgan" in caught.value.hint
