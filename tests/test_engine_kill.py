"""kill -9 while checkpointing: every ckpt-* folder left behind is complete, leftovers are only '.tmp-*' folders,
and training resumes from the last complete checkpoint.

Many kills at random moments hit a TF-free writer (a fake tf.train.Checkpoint, so each process starts in a fraction
of a second); one kill hits the real `ganstudio train` in the middle of a checkpoint, and `--resume` continues it.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from ganstudio.ml.training.checkpoints import CheckpointStore

FAKE_WRITER = """
import sys
from pathlib import Path
import numpy as np
from ganstudio.ml.training.checkpoints import CheckpointStore

class FakeTFCheckpoint:
    '''Writes files shaped like tf.train.Checkpoint's: the data file is filled with the step's byte value.'''
    def __init__(self):
        self.step = 0
    def write(self, prefix):
        Path(prefix + ".index").write_bytes(bytes([self.step % 256]) * 1000)
        Path(prefix + ".data-00000-of-00001").write_bytes(bytes([self.step % 256]) * 400_000)

store = CheckpointStore(Path(sys.argv[1]), keep_last=2)
store.clean_stale()
latest = store.latest()
history, fixed = CheckpointStore.load_extras(latest.path) if latest else (None, {"z": np.arange(8.0)})
if history is None:
    from ganstudio.core.training.history import LossHistory
    history = LossHistory()
writer = FakeTFCheckpoint()
writer.step = latest.step if latest else 0
print("ready", flush=True)
while True:
    writer.step += 1
    history.append(writer.step, {"loss": float(writer.step)})
    store.save(writer.step, writer, history, fixed)
"""


def assert_only_complete_checkpoints(run_dir: Path) -> list[Path]:
    """Every entry of checkpoints/ is a complete ckpt-* folder or a '.tmp-*' leftover; returns the checkpoints."""
    folder = run_dir / "checkpoints"
    complete = sorted(folder.glob("ckpt-*"))
    leftovers = [p.name for p in folder.iterdir() if p not in complete]
    assert all(name.startswith(".tmp-") for name in leftovers), leftovers
    listed = [c.path for c in CheckpointStore(run_dir).list()]
    assert listed == complete, "a ckpt-* folder without a readable meta.json"
    for path in complete:
        step = int(path.name.split("-")[1])
        history, fixed = CheckpointStore.load_extras(path)
        assert history.steps == list(range(1, step + 1))
        assert fixed["z"].size > 0
    return complete


def run_and_kill(argv: list[str], run_dir: Path, when_ready) -> None:
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        when_ready(proc)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read()[-3000:]


def test_fake_writer_killed_at_random_moments_leaves_only_complete_checkpoints(tmp_path):
    rng = random.Random(1234)
    steps_seen = []
    for _ in range(8):
        def wait_then_kill(proc):
            assert proc.stdout.readline().strip() == "ready", proc.stderr.read()[-3000:]
            time.sleep(rng.uniform(0.0, 0.3))

        run_and_kill([sys.executable, "-c", FAKE_WRITER, str(tmp_path)], tmp_path, wait_then_kill)
        complete = assert_only_complete_checkpoints(tmp_path)
        for path in complete:  # the data file is all one byte: no mix of two steps' writes
            data = (path / "state.data-00000-of-00001").read_bytes()
            assert len(data) == 400_000 and set(data) == {int(path.name.split("-")[1]) % 256}
        steps_seen.append(CheckpointStore(tmp_path).latest().step if complete else 0)
    assert steps_seen == sorted(steps_seen) and steps_seen[-1] > 8, steps_seen  # every restart resumed, none lost
    CheckpointStore(tmp_path).clean_stale()
    assert not list((tmp_path / "checkpoints").glob(".tmp-*"))


def write_tiny_image_folder(folder: Path, n: int = 16) -> Path:
    from PIL import Image

    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for i in range(n):
        Image.fromarray(rng.integers(0, 255, (16, 16, 3), dtype=np.uint8)).save(folder / f"{i:02d}.png")
    return folder


TINY_CLI = ["--image-size", "16", "--ngf", "8", "--ndf", "8", "--z-dim", "8", "--batch-size", "8", "--no-xla",
            "--quiet", "--no-tensorboard", "--preview-every", "100000"]


def wait_for(condition, timeout_s: float, poll_s: float = 0.002) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(poll_s)
    return False


@pytest.mark.slow
def test_real_training_killed_mid_checkpoint_resumes_from_the_cli(tmp_path, monkeypatch, capsys):
    from ganstudio import cli
    from ganstudio.ml.runtime import tf

    data, run_dir = write_tiny_image_folder(tmp_path / "data"), tmp_path / "run"
    argv = [sys.executable, "-m", "ganstudio", "train", "dcgan", "--data", str(data), "--steps", "100000",
            "--out", str(run_dir), "--checkpoint-every", "1", "--keep-checkpoints", "3", *TINY_CLI]
    checkpoints = run_dir / "checkpoints"

    def kill_while_writing(proc):
        started = wait_for(lambda: len(list(checkpoints.glob("ckpt-*"))) >= 2 or proc.poll() is not None, 240, 0.05)
        assert started and proc.poll() is None, proc.stderr.read()[-3000:]
        wait_for(lambda: any(checkpoints.glob(".tmp-*")), 5)  # a checkpoint is being written right now
        time.sleep(random.uniform(0.0, 0.01))

    run_and_kill(argv, run_dir, kill_while_writing)
    complete = assert_only_complete_checkpoints(run_dir)
    for path in complete:  # TensorFlow can read every checkpoint that has a name
        assert "step/.ATTRIBUTES/VARIABLE_VALUE" in tf().train.load_checkpoint(str(path / "state")).get_variable_to_shape_map()
    reached = CheckpointStore(run_dir).latest().step

    monkeypatch.setattr(signal, "signal", lambda *args: None)  # the CLI's Ctrl+C handler must not stay in pytest
    capsys.readouterr()
    assert cli.main(["train", "dcgan", "--out", str(run_dir), "--resume", "--steps", str(reached + 2), *TINY_CLI]) == 0
    last_line = capsys.readouterr().out.strip().splitlines()[-1]
    assert last_line.startswith(f"steps={reached + 2} images_per_s=")
    assert not list(checkpoints.glob(".tmp-*"))
    history, _ = CheckpointStore.load_extras(CheckpointStore(run_dir).latest().path)
    assert history.steps == list(range(1, reached + 3))
