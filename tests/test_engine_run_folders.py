"""Bad run and output folders, and full disks → a clear StudioError, and nothing already on disk is lost."""

from __future__ import annotations

import errno
import json
import os
import signal
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ganstudio.core.errors import RunFolderError, StudioError
from ganstudio.ml.training import run_folder


def write_images(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    for i in range(n):
        Image.fromarray(rng.integers(0, 255, (16, 16, 3), dtype=np.uint8)).save(folder / f"{i}.png")
    return folder


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
    from ganstudio.ml.training.trainer import Trainer

    broken = dcgan_run / "checkpoints" / "ckpt-000000002"
    broken.mkdir(parents=True)
    (broken / "meta.json").write_text(json.dumps({"format": 1, "step": 2, "metric": None}))
    (broken / "state.index").write_bytes(b"garbage")
    (broken / "state.data-00000-of-00001").write_bytes(b"garbage")
    with pytest.raises(RunFolderError, match="is damaged") as caught:
        Trainer(tiny_config("dcgan"), tiny_digits.with_batches(8, 0), dcgan_run, 4, device="cpu", resume=True).run()
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
    data = write_images(tmp_path / "data", 8)
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
    from ganstudio.core.training.history import LossHistory
    from ganstudio.ml.training.checkpoints import CheckpointStore

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
    from ganstudio.core.training.history import LossHistory
    from ganstudio.ml.training.checkpoints import CheckpointStore
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


def test_a_checkpoint_missing_a_declared_model_is_refused_with_what_is_missing(tmp_path, tiny_config, tiny_digits):
    """An L1-only U-Net-like checkpoint (no discriminator) must not resume a GAN, leaving D at its fresh weights."""
    from ganstudio.ml.runtime import tf
    from ganstudio.ml.training.trainer import Trainer

    config = tiny_config("dcgan")
    data = tiny_digits.with_batches(config.batch_size, config.seed)
    Trainer(config, data, tmp_path / "run", 2, device="cpu").run()
    (latest,) = sorted((tmp_path / "run" / "checkpoints").glob("ckpt-*"))
    trainer = Trainer(config, data, tmp_path / "run", 2, device="cpu", resume=True)
    trainer.recipe.build(config)  # nothing built yet: write a checkpoint of the generator alone over the latest
    with_g_only = Trainer(config, data, tmp_path / "other", 1, device="cpu")
    with_g_only._prepare()
    t = tf()
    t.train.Checkpoint(generator=with_g_only.models["generator"], rng=with_g_only.rng,
                       step=with_g_only.step_var).write(str(latest / "state"))
    with pytest.raises(RunFolderError, match="has no discriminator, opt_g, opt_d") as caught:
        trainer.run()
    assert "Resume it with the recipe and options that wrote it" in caught.value.hint
