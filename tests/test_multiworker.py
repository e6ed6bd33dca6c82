"""`--distribute multiworker` with two real worker processes on 127.0.0.1 (issue 13, item 10).

Two `ganstudio train` processes, each with its own TF_CONFIG (worker 0 and worker 1, two free loopback ports), run
MultiWorkerMirroredStrategy on the CPU. Each gets its own --out, as two machines without a shared disk would. The test
stops worker 1 with SIGTERM (both must stop at one step, cleanly), resumes both, kills worker 1 after the next
checkpoint (the chief must stop with an error that says what to do, rather than hang in a collective), and resumes
both again to the end: global batch as configured (two replicas, half each), finite losses, everything in the chief's
run folder and nothing left in the worker's.
"""

from __future__ import annotations

import json
import math
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ganstudio.ml.training.checkpoints import CheckpointStore
from test_engine_kill import wait_for, write_tiny_image_folder

BATCH = 8  # global: 4 images per replica
TINY = ["--image-size", "16", "--ngf", "8", "--ndf", "8", "--z-dim", "8", "--batch-size", str(BATCH), "--no-xla",
        "--quiet", "--device", "cpu", "--distribute", "multiworker"]
START_TIMEOUT_S = 120  # two TensorFlow start-ups on a shared 2-core machine
STOP_TIMEOUT_S = 60  # the chief must notice a dead worker within this (it notices in ~2 s: the connection breaks)


def free_ports(n: int) -> list[int]:
    """n distinct free loopback ports (held open together while picked, so they differ)."""
    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


class Workers:
    """Two `ganstudio train` processes of one cluster; output goes to files (a full pipe would block a worker)."""

    def __init__(self, tmp_path: Path, name: str, args_of) -> None:
        ports = free_ports(2)
        cluster = {"worker": [f"127.0.0.1:{port}" for port in ports]}
        self.logs = [tmp_path / f"{name}-{i}.log" for i in range(2)]
        self.outs = [tmp_path / f"{name}-{i}.out" for i in range(2)]
        self.procs = []
        for i in range(2):
            env = {**os.environ, "TF_CONFIG": json.dumps({"cluster": cluster, "task": {"type": "worker", "index": i}})}
            with open(self.outs[i], "w") as out, open(self.logs[i], "w") as log:
                argv = [sys.executable, "-m", "ganstudio", "train", *args_of(i)]
                self.procs.append(subprocess.Popen(argv, stdout=out, stderr=log, env=env))

    def log(self, i: int) -> str:
        return self.logs[i].read_text(errors="replace")

    def out(self, i: int) -> str:
        return self.outs[i].read_text(errors="replace")

    def wait(self, i: int, timeout: float) -> int:
        try:
            return self.procs[i].wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"worker {i} did not finish within {timeout:.0f} s:\n{self.log(i)[-3000:]}")

    def kill(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=30)


def newest_checkpoint(run_dir: Path) -> int:
    latest = CheckpointStore(run_dir).latest()
    return latest.step if latest else 0


def wait_for_checkpoint_after(workers: Workers, run_dir: Path, step: int) -> None:
    """Until the chief has written a checkpoint past `step`, with both workers still running."""
    done = wait_for(lambda: newest_checkpoint(run_dir) > step or any(p.poll() is not None for p in workers.procs),
                    START_TIMEOUT_S, poll_s=0.1)  # a folder listing: no need to poll it every 2 ms
    assert done and all(p.poll() is None for p in workers.procs), (workers.log(0)[-3000:], workers.log(1)[-3000:])


@pytest.mark.slow
def test_two_workers_stop_together_lose_one_then_resume_from_the_chiefs_checkpoint(tmp_path):
    data = write_tiny_image_folder(tmp_path / "data", n=32)
    chief_dir, worker_dir = tmp_path / "chief-run", tmp_path / "worker-run"
    out_of = lambda i: str(chief_dir if i == 0 else worker_dir)  # noqa: E731
    long_run = lambda first: lambda i: [  # noqa: E731
        "dcgan", *(["--data", str(data)] if first else ["--resume"]), "--steps", "100000", "--out", out_of(i),
        "--checkpoint-every", "2", "--preview-every", "2", *TINY]

    # 1. SIGTERM to worker 1 (not the chief): both stop at the same step, cleanly, and the chief checkpoints it.
    #    (TensorFlow's cluster start-up takes SIGTERM over for itself; without taking it back, this hangs.)
    first = Workers(tmp_path, "first", long_run(True))
    try:
        wait_for_checkpoint_after(first, chief_dir, 0)
        first.procs[1].send_signal(signal.SIGTERM)
        codes = [first.wait(i, STOP_TIMEOUT_S) for i in range(2)]
    finally:
        first.kill()
    assert codes == [0, 0], (first.log(0)[-3000:], first.log(1)[-3000:])
    stops = [re.search(r"^stopped at step (\d+)", first.log(i), re.M) for i in range(2)]
    assert all(stops), (first.log(0)[-3000:], first.log(1)[-3000:])
    stopped = int(stops[0].group(1))
    assert int(stops[1].group(1)) == stopped == newest_checkpoint(chief_dir)
    assert (chief_dir / "model" / "manifest.json").exists()

    # 2. Both again with --resume (the worker's folder holds no run.json: it takes the chief's config and state);
    #    worker 1 is killed after the next checkpoint: the chief must stop with an error that says what to do.
    second = Workers(tmp_path, "second", long_run(False))
    try:
        wait_for_checkpoint_after(second, chief_dir, stopped)
        second.procs[1].send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        chief_code = second.wait(0, STOP_TIMEOUT_S)  # a hang in a collective would fail here
    finally:
        second.kill()
    chief_log = second.log(0)
    assert f"resuming at step {stopped} on 2 workers" in chief_log, chief_log[-3000:]
    assert chief_code != 0 and second.procs[1].returncode == -signal.SIGKILL
    assert "another worker stopped or cannot be reached" in chief_log, chief_log[-3000:]
    assert "--resume" in chief_log and "Traceback" not in chief_log, chief_log[-3000:]
    print(f"the chief stopped {time.monotonic() - killed_at:.1f} s after the kill")
    reached = newest_checkpoint(chief_dir)
    assert reached > stopped

    # 3. Both with --resume again, to the end this time.
    total = reached + 3
    third = Workers(tmp_path, "third", lambda i: ["dcgan", "--resume", "--steps", str(total), "--out", out_of(i), *TINY])
    try:
        codes = [third.wait(i, START_TIMEOUT_S) for i in range(2)]
    finally:
        third.kill()
    assert codes == [0, 0], (third.log(0)[-3000:], third.log(1)[-3000:])
    for i in range(2):
        assert f"resuming at step {reached} on 2 workers, 2 replicas in sync (this is worker {i}" in third.log(i)
        assert third.out(i).strip().splitlines()[-1].startswith(f"steps={total} images_per_s=")
        assert f"completed at step {total}" in third.log(i)

    # Only the chief keeps anything: run.json, checkpoints, samples, TensorBoard logs, model/. The worker's folder
    # is left empty: its scratch copies of each checkpoint and of the model were deleted after use.
    assert {"run.json", "checkpoints", "samples", "tensorboard", "model"} <= {p.name for p in chief_dir.iterdir()}
    assert not list(worker_dir.iterdir()), sorted(p.name for p in worker_dir.rglob("*"))

    # The global batch is the configured one, on two replicas: every step trained on BATCH images (counted inside
    # the step, over both replicas), across the stop, the kill and the resumes, as on one worker.
    store = CheckpointStore(chief_dir)
    saved = store.list()
    assert saved[-1].step == total
    assert all(c.images == c.step * BATCH for c in saved), [(c.step, c.images) for c in saved]
    history, _ = store.load_extras(saved[-1].path)
    assert history.steps == list(range(1, total + 1))  # each run's steps up to its last checkpoint, then the next's
    for name in ("d_loss", "g_loss"):
        assert all(math.isfinite(v) for v in history.series[name]), (name, history.series[name])
