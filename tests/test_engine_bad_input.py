"""Bad input → a clear StudioError that says what is wrong and what to do, and nothing on disk is lost.

Data folders, IDX files, run folders, output folders and full disks (model files are in test_engine_modelfile.py).
"""

from __future__ import annotations

import errno
import gzip
import io
import json
import os
import signal
import struct
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ganstudio.core import datasets
from ganstudio.core.errors import DataError, RunFolderError, StudioError
from ganstudio.ml import run_folder
from ganstudio.ml.prepare import prepare, resolve_dataset

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


# ---- run folders -------------------------------------------------------------------------------------------------

@pytest.fixture
def dcgan_run(tmp_path, tiny_config) -> Path:
    run_dir = tmp_path / "run"
    run_folder.create(run_dir, tiny_config("dcgan"))
    return run_dir


def test_resume_with_another_recipe(dcgan_run):
    with pytest.raises(RunFolderError, match="is a 'dcgan' run, not 'cdcgan'") as caught:
        run_folder.check_resumable(dcgan_run, "cdcgan")
    assert "Resume it with recipe 'dcgan'" in caught.value.hint


def test_cli_resume_with_another_recipe_exits_with_the_message(dcgan_run, capsys):
    from ganstudio import cli

    assert cli.main(["train", "cdcgan", "--resume", "--out", str(dcgan_run), "--steps", "3"]) == 2
    assert "is a 'dcgan' run, not 'cdcgan'" in capsys.readouterr().err


def test_run_folder_from_a_future_format(dcgan_run):
    payload = json.loads((dcgan_run / "run.json").read_text())
    payload.update(format=99, config={"recipe": "dcgan", "a_field_from_the_future": 1})
    (dcgan_run / "run.json").write_text(json.dumps(payload))
    with pytest.raises(RunFolderError, match=r"written by a newer version of ganstudio \(run format 99"):
        run_folder.check_resumable(dcgan_run, "dcgan")


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"format": 1}'])
def test_damaged_run_json(dcgan_run, content):
    (dcgan_run / "run.json").write_text(content)
    with pytest.raises(RunFolderError, match="damaged|another version"):
        run_folder.read_config(dcgan_run)


def test_folder_that_is_not_a_run(tmp_path):
    with pytest.raises(RunFolderError, match=r"is not a training run \(no run.json\)"):
        run_folder.check_resumable(tmp_path, "dcgan")


def test_new_run_refuses_to_overwrite_a_run_with_checkpoints(dcgan_run, tiny_config):
    (dcgan_run / "checkpoints" / "ckpt-000000002").mkdir(parents=True)
    with pytest.raises(RunFolderError, match="already holds a training run") as caught:
        run_folder.create(dcgan_run, tiny_config("dcgan"))
    assert "--resume" in caught.value.hint


def test_damaged_checkpoint_on_resume(dcgan_run, tiny_config, tiny_digits):
    from ganstudio.ml.trainer import Trainer

    broken = dcgan_run / "checkpoints" / "ckpt-000000002"
    broken.mkdir(parents=True)
    (broken / "meta.json").write_text(json.dumps({"format": 1, "step": 2, "metric": None}))
    (broken / "state.index").write_bytes(b"garbage")
    (broken / "state.data-00000-of-00001").write_bytes(b"garbage")
    with pytest.raises(RunFolderError, match="does not fit this run") as caught:
        Trainer(tiny_config("dcgan"), tiny_digits, dcgan_run, 4, device="cpu", resume=True).run()
    assert "Delete that ckpt-* folder" in caught.value.hint


# ---- output folders and full disks -------------------------------------------------------------------------------

def test_output_folder_blocked_by_a_file(tmp_path, tiny_config):
    (tmp_path / "taken").write_text("a file where the run's parent folder should be")
    with pytest.raises(RunFolderError, match="is a file, not a folder") as caught:
        run_folder.create(tmp_path / "taken" / "run", tiny_config("dcgan"))
    assert "Choose another output folder" in caught.value.hint


def test_cli_training_into_a_blocked_folder_exits_with_the_message(tmp_path, monkeypatch, capsys):
    from ganstudio import cli

    (tmp_path / "taken").write_text("x")
    data = tmp_path / "data"
    data.mkdir()
    for i in range(8):
        Image.fromarray(noise(16, 16)).save(data / f"{i}.png")
    monkeypatch.setattr(signal, "signal", lambda *args: None)
    argv = ["train", "dcgan", "--data", str(data), "--steps", "2", "--out", str(tmp_path / "taken" / "run"),
            "--image-size", "16", "--batch-size", "8", "--quiet"]
    assert cli.main(argv) == 2
    assert "is a file, not a folder" in capsys.readouterr().err


def tiny_tf_checkpoint():
    from ganstudio.ml.runtime import tf

    t = tf()
    return t.train.Checkpoint(weights=t.Variable(np.arange(6.0, dtype=np.float32)), step=t.Variable(0, dtype=t.int64))


def disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_disk_full_while_checkpointing_keeps_the_previous_checkpoint(tmp_path, monkeypatch):
    from ganstudio.core.history import LossHistory
    from ganstudio.ml.checkpoints import CheckpointStore

    store, history, fixed = CheckpointStore(tmp_path), LossHistory(), {"z": np.ones((2, 3), np.float32)}
    history.append(1, {"loss": 1.0})
    first = store.save(1, tiny_tf_checkpoint(), history, fixed)
    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(StudioError) as caught:
        store.save(2, tiny_tf_checkpoint(), history, fixed)
    assert "Could not save the checkpoint of step 2" in caught.value.problem and "is full" in caught.value.problem
    assert "previous checkpoints are intact" in caught.value.hint and "Free some space" in caught.value.hint
    monkeypatch.undo()
    assert [c.path for c in store.list()] == [first]
    assert sorted(p.name for p in (tmp_path / "checkpoints").iterdir()) == [first.name]  # no temp folder left
    assert CheckpointStore.load_extras(first)[0].steps == [1]


def test_tensorflow_write_error_while_checkpointing_reads_as_disk_full(tmp_path):
    from ganstudio.core.history import LossHistory
    from ganstudio.ml.checkpoints import CheckpointStore
    from ganstudio.ml.runtime import tf

    class FullDiskCheckpoint:
        def write(self, prefix):
            raise tf().errors.ResourceExhaustedError(None, None, f"{prefix}: No space left on device")

    with pytest.raises(StudioError, match="is full") as caught:
        CheckpointStore(tmp_path).save(1, FullDiskCheckpoint(), LossHistory(), {"z": np.zeros(1)})
    assert "previous checkpoints are intact" in caught.value.hint
    assert not any((tmp_path / "checkpoints").iterdir())


def test_disk_full_while_writing_a_file_keeps_the_old_file(tmp_path, monkeypatch):
    from ganstudio.core.atomic import write_text_atomic

    target = tmp_path / "run.json"
    write_text_atomic(target, "old")
    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(StudioError, match="is full"):
        write_text_atomic(target, "new")
    monkeypatch.undo()
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["run.json"]


def test_replacing_a_folder_that_fails_keeps_the_old_one(tmp_path, monkeypatch):
    from ganstudio.core.atomic import atomic_folder

    final = tmp_path / "model"
    with atomic_folder(final) as tmp:
        (tmp / "weights").write_text("v1")
    real_replace = os.replace

    def fail_second_rename(src, dst):
        if Path(dst) == final and not Path(src).name.startswith(".tmp-old-"):
            disk_full()
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", fail_second_rename)
    with pytest.raises(StudioError, match="is full"):
        with atomic_folder(final) as tmp:
            (tmp / "weights").write_text("v2")
    assert (final / "weights").read_text() == "v1" and [p.name for p in tmp_path.iterdir()] == ["model"]


def test_a_set_aside_folder_is_put_back_by_the_cleaner(tmp_path):
    from ganstudio.core.atomic import OLD_PREFIX, clean_stale_temp

    (tmp_path / f"{OLD_PREFIX}model-abc123").mkdir()  # killed between the two renames of a swap
    (tmp_path / ".tmp-model-def456").mkdir()  # the unfinished replacement
    assert clean_stale_temp(tmp_path) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["model"]
