"""Issue 13, items 1 and 2: one writer per run folder (ml/training/run_lock.py), and a resume that passes over
damaged checkpoints to the newest intact one and says so (ml/training/checkpoint_check.py).

The lock tests need no TensorFlow. The others share one 4-step run through the CLI (checkpoints 2 and 4), and work on
copies of it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from ganstudio.core.errors import RunFolderError
from ganstudio.ml.training.run_lock import RunFolderLock

TINY_CLI = ["--image-size", "16", "--ngf", "8", "--ndf", "8", "--z-dim", "8", "--batch-size", "8", "--no-xla",
            "--quiet", "--no-tensorboard", "--preview-every", "100000", "--checkpoint-every", "2"]

LOCK_HOLDER = """
import sys, time
from ganstudio.ml.training.run_lock import RunFolderLock

RunFolderLock(sys.argv[1]).acquire()
print("locked", flush=True)
time.sleep(600)
"""


def lock_is_free(run_dir: Path) -> bool:
    lock = RunFolderLock(run_dir)
    try:
        lock.acquire()
    except RunFolderError:
        return False
    lock.release()
    return True


# ---- the lock ----------------------------------------------------------------------------------------------------
def test_a_second_writer_in_the_same_process_is_refused_with_the_holders_name(tmp_path):
    first = RunFolderLock(tmp_path)
    assert first.acquire() == ""
    with pytest.raises(RunFolderError, match=rf"is in use: this program \(process {os.getpid()}\)"):
        RunFolderLock(tmp_path).acquire()  # flock is per open file: a second open in one process conflicts too
    first.release()
    assert lock_is_free(tmp_path)


def test_a_lock_held_by_another_process_is_refused_until_the_process_is_killed(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, str(tmp_path)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked", holder.stderr.read()[-3000:]
        with pytest.raises(RunFolderError) as refused:
            RunFolderLock(tmp_path).acquire()
        assert f"process {holder.pid} on {socket.gethostname()}" in str(refused.value)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    assert lock_is_free(tmp_path)  # the OS dropped the dead process's lock; its lock file blocks no one


# ---- a real run --------------------------------------------------------------------------------------------------
def cli(argv: list[str], capsys) -> tuple[int, str, str]:
    from ganstudio import cli as cli_module

    capsys.readouterr()
    code = cli_module.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def trained_run(tmp_path_factory) -> Path:
    """4 steps of a tiny DCGAN on the built-in digits: checkpoints 2 and 4. Tests copy it before writing."""
    from ganstudio import cli as cli_module

    run_dir = tmp_path_factory.mktemp("trained") / "run"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(signal, "signal", lambda *args: None)  # the CLI's Ctrl+C handler must not stay in pytest
        code = cli_module.main(["train", "dcgan", "--data", "mnist", "--steps", "4", "--out", str(run_dir), *TINY_CLI])
    assert code == 0
    assert [p.name for p in sorted((run_dir / "checkpoints").glob("ckpt-*"))] == ["ckpt-000000002", "ckpt-000000004"]
    return run_dir


@pytest.fixture
def run_copy(trained_run, tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(signal, "signal", lambda *args: None)
    return Path(shutil.copytree(trained_run, tmp_path / "run"))


def resume_argv(run_dir: Path, steps: int) -> list[str]:
    return ["train", "dcgan", "--out", str(run_dir), "--resume", "--steps", str(steps), *TINY_CLI]


def test_the_cli_refuses_a_run_folder_in_use_and_export_still_reads_it(run_copy, tmp_path, capsys):
    before = {p.name: p.stat().st_mtime_ns for p in (run_copy / "checkpoints").iterdir()}
    lock = RunFolderLock(run_copy)
    lock.acquire()
    try:
        code, _, err = cli(resume_argv(run_copy, 6), capsys)  # a second --resume
        assert code == 2 and "is in use: this program" in err and "Traceback" not in err, err
        code, _, err = cli(["train", "dcgan", "--data", "mnist", "--steps", "2", "--out", str(run_copy),
                            *TINY_CLI], capsys)  # a second new run in the same folder
        assert code == 2 and "is in use" in err, err
        code, out, err = cli(["export", str(run_copy), "--out", str(tmp_path / "model")], capsys)  # reading is fine
        assert code == 0 and out.strip().splitlines()[-1].startswith("step=4 "), err
    finally:
        lock.release()
    assert {p.name: p.stat().st_mtime_ns for p in (run_copy / "checkpoints").iterdir()} == before  # nothing written


def test_the_lock_is_held_while_training_and_free_when_finished_goes_out(run_copy):
    from ganstudio.core.training import events as ev
    from ganstudio.core.training.run_request import RunRequest
    from ganstudio.ml.training.run_builder import make_trainer, prepare_run

    free_at = {}

    def probe(event):
        if isinstance(event, (ev.Started, ev.Finished)):
            free_at[type(event).__name__] = lock_is_free(run_copy)

    request = RunRequest("dcgan", None, run_copy, 5, {}, resume=True, device="cpu", tensorboard=False, samples=False)
    make_trainer(prepare_run(request), [probe]).run()
    assert free_at == {"Started": False, "Finished": True}


# ---- damaged checkpoints -----------------------------------------------------------------------------------------
def damage(checkpoint: Path, name: str) -> None:
    path = next(checkpoint.glob(name))
    data = path.read_bytes()
    path.write_bytes(b"{not json" if name == "meta.json" else data[: len(data) // 2])


@pytest.mark.parametrize("name", ["history.npz", "fixed.npz", "state.data-*", "meta.json"])
def test_a_damaged_newest_checkpoint_is_named_and_the_run_resumes_from_the_one_before(run_copy, capsys, name):
    from ganstudio.ml.training.checkpoint_check import damage as damage_of
    from ganstudio.ml.training.checkpoints import CheckpointStore

    damage(run_copy / "checkpoints" / "ckpt-000000004", name)
    code, out, err = cli(resume_argv(run_copy, 4), capsys)
    assert code == 0, err
    assert f"note: Checkpoint 4 is damaged ({name} cannot be read" in err and "; resuming from 2." in err, err
    assert "resuming at step 2" in err and out.strip().splitlines()[-1].startswith("steps=4 ")
    latest = CheckpointStore(run_copy).latest()  # step 4 was trained again and its checkpoint replaced the damaged one
    assert latest.step == 4 and damage_of(latest.path) is None
    history, _ = CheckpointStore.load_extras(latest.path)
    assert history.steps == [1, 2, 3, 4]


def test_when_every_checkpoint_is_damaged_the_resume_says_so_and_frees_the_folder(run_copy, capsys):
    damage(run_copy / "checkpoints" / "ckpt-000000004", "history.npz")
    damage(run_copy / "checkpoints" / "ckpt-000000002", "state.data-*")
    code, _, err = cli(resume_argv(run_copy, 6), capsys)
    assert code == 2 and "Traceback" not in err and "does not fit" not in err, err
    assert "No checkpoint of" in err and "checkpoint 4 is damaged (history.npz" in err
    assert "checkpoint 2 is damaged (state.data-* cannot be read" in err
    assert lock_is_free(run_copy)  # released when the run failed


def test_the_train_page_worker_resumes_past_a_damaged_checkpoint_and_is_refused_a_folder_in_use(qtbot, run_copy):
    from ganstudio.workers.training_worker import TrainingWorker, TrainJob

    worker = TrainingWorker()
    histories, notices = [], []
    worker.events.history_loaded.connect(histories.append)
    worker.events.notice_posted.connect(notices.append)
    try:
        lock = RunFolderLock(run_copy)
        lock.acquire()
        with qtbot.waitSignal(worker.events.failed, timeout=60_000) as failed:
            worker.start(TrainJob("dcgan", None, run_copy, 4, {}, resume=True, tensorboard=False))
        lock.release()
        assert "is in use: this program" in str(failed.args[0])

        damage(run_copy / "checkpoints" / "ckpt-000000004", "fixed.npz")
        with qtbot.waitSignal(worker.events.finished, timeout=60_000) as finished:
            worker.start(TrainJob("dcgan", None, run_copy, 4, {}, resume=True, tensorboard=False))
        assert finished.args[0].step == 4
        assert [h.step for h in histories] == [4, 2]  # then the curves of the checkpoint the run really resumed from
        assert any(n.startswith("Checkpoint 4 is damaged (fixed.npz") and n.endswith("resuming from 2.") for n in notices)
    finally:
        assert worker.shutdown(timeout=60)


# ---- export past a damaged checkpoint (the same check as a resume: checkpoint_check.py) ---------------------------
@pytest.mark.parametrize("name", ["history.npz", "state.data-*", "meta.json"])
def test_export_latest_passes_over_a_damaged_newest_checkpoint_and_says_which_and_why(run_copy, tmp_path, capsys, name):
    from ganstudio.ml.modelfile import load_model

    damage(run_copy / "checkpoints" / "ckpt-000000004", name)
    code, out, err = cli(["export", str(run_copy), "--out", str(tmp_path / "model")], capsys)
    assert code == 0 and "Traceback" not in err, err
    assert f"note: Checkpoint 4 is damaged ({name} cannot be read" in err, err
    assert "; exporting step 2, the newest intact one." in err and "exported step 2 of" in err, err
    assert out.strip().splitlines()[-1].startswith("step=2 ")
    _, manifest = load_model(tmp_path / "model")
    assert manifest.metrics["steps"] == 2


def test_export_refuses_a_damaged_step_asked_for_and_a_run_with_no_intact_checkpoint(run_copy, tmp_path, capsys):
    damage(run_copy / "checkpoints" / "ckpt-000000004", "state.data-*")
    code, _, err = cli(["export", str(run_copy), "--checkpoint", "4", "--out", str(tmp_path / "model")], capsys)
    assert code == 2 and "Traceback" not in err and "does not match" not in err, err
    assert "Checkpoint 4 of" in err and "is damaged (state.data-* cannot be read" in err, err
    damage(run_copy / "checkpoints" / "ckpt-000000002", "history.npz")
    code, _, err = cli(["export", str(run_copy), "--out", str(tmp_path / "model")], capsys)
    assert code == 2 and "No checkpoint of" in err and "can be exported" in err, err
    assert "checkpoint 4 is damaged (state.data-*" in err and "checkpoint 2 is damaged (history.npz" in err, err
    assert not (tmp_path / "model").exists()
