"""Temp files of killed saves are cleaned on the next run (issue 13, item 5): only atomic_file's own temp names, and
only stale ones: a save in progress holds a lock on its temp file, which the OS drops when its process dies."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from ganstudio.core.atomic import atomic_file, clean_stale_temp_files

KILLED_WRITER = """
import os, signal, sys
from ganstudio.core.atomic import atomic_file
with atomic_file(sys.argv[1]) as tmp:
    tmp.write_bytes(b"half a file")
    print(tmp, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # killed mid-save, as by kill -9 or a power cut of the process
"""


def killed_save(target) -> str:
    proc = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(target)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    return proc.stdout.strip()


def test_a_killed_saves_temp_file_is_removed_and_others_are_kept(tmp_path):
    leftover = killed_save(tmp_path / "step-000000100.png")
    assert leftover and (tmp_path / leftover.rsplit("/", 1)[-1]).exists()
    keep = ["step-000000100.tmp", ".tmp", "notes.tmp", ".x.tmp", ".a.b.TOOLONG99.tmp", "real.png"]
    for name in keep:
        (tmp_path / name).write_text("someone else's")
    (tmp_path / ".tmp-ckpt-000000200-abcd1234").mkdir()  # a '.tmp-' folder is clean_stale_temp's business
    assert clean_stale_temp_files(tmp_path) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(keep + [".tmp-ckpt-000000200-abcd1234"])
    assert clean_stale_temp_files(tmp_path / "missing") == 0


def test_a_save_in_progress_is_never_removed(tmp_path):
    target = tmp_path / "out.wav"
    with atomic_file(target) as tmp:
        tmp.write_bytes(b"being written")
        assert clean_stale_temp_files(tmp_path) == 0  # its lock says it is alive (here: another open file, same process)
        assert tmp.exists()
    assert target.read_bytes() == b"being written" and [p.name for p in tmp_path.iterdir()] == ["out.wav"]


def test_a_temp_file_cleaned_before_its_writer_locked_it_is_replaced(tmp_path, monkeypatch):
    """The gap between creating a temp file and locking it: a cleaner may take it for a leftover; the writer sees it
    unlinked and starts over with a fresh one."""
    import fcntl

    real_flock, cleaned = fcntl.flock, []

    def cleaner_first(fd, op):
        if not cleaned and op == fcntl.LOCK_EX:
            cleaned.append(clean_stale_temp_files(tmp_path))
        return real_flock(fd, op)

    monkeypatch.setattr(fcntl, "flock", cleaner_first)
    with atomic_file(tmp_path / "a.txt") as tmp:
        tmp.write_text("kept")
    assert cleaned == [1] and (tmp_path / "a.txt").read_text() == "kept"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


@pytest.mark.slow
def test_a_run_cleans_its_samples_folder_when_it_starts(tmp_path):
    from ganstudio import cli

    run_dir = tmp_path / "run"
    samples = run_dir / "samples"
    samples.mkdir(parents=True)
    leftover = killed_save(samples / "step-000000100.png").rsplit("/", 1)[-1]
    argv = ["train", "dcgan", "--data", "mnist", "--steps", "1", "--out", str(run_dir), "--image-size", "16",
            "--ngf", "4", "--ndf", "4", "--z-dim", "4", "--batch-size", "8", "--no-xla", "--quiet",
            "--no-tensorboard", "--preview-every", "100000"]
    assert cli.main(argv) == 0
    assert not (samples / leftover).exists()
    assert not [p.name for p in samples.iterdir() if p.name.endswith(".tmp")]
