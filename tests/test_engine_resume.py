"""Exact resume: 8 steps straight equal 4 steps + a killed process + a resume in a new process, bit for bit.

Both processes run with GANSTUDIO_DETERMINISTIC=1 (TensorFlow's deterministic ops). The killed run is the straight
run's folder as a kill after step 5 would leave it: checkpoints up to step 4, a half-written checkpoint in a '.tmp-'
folder, no model/. (The folder a kill leaves is covered for real in test_engine_kill.py.)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

TRAIN_SCRIPT = """
import json, sys
import numpy as np
from ganstudio.core.training import events as ev
from ganstudio.core.image_data.datasets import LoadedData
from ganstudio.ml.training.config import TrainConfig
from ganstudio.ml.training.trainer import Trainer

args = json.loads(sys.argv[1])
config = TrainConfig.from_dict(args["config"])
with np.load(args["data"]) as npz:
    data = LoadedData(npz["images"], npz["labels"], ()).with_batches(config.batch_size, config.seed)

def report(event):
    if isinstance(event, (ev.Started, ev.Finished)):
        print("EVENT", json.dumps({"type": type(event).__name__, **event.__dict__}), flush=True)

Trainer(config, data, args["run_dir"], args["steps"], [report], device="cpu", resume=args["resume"]).run()
"""


def train_in_subprocess(config, data: Path, run_dir: Path, steps: int, resume: bool) -> list[dict]:
    args = json.dumps({"config": json.loads(config.to_json()), "data": str(data), "run_dir": str(run_dir),
                       "steps": steps, "resume": resume})
    env = {**os.environ, "GANSTUDIO_DETERMINISTIC": "1"}
    done = subprocess.run([sys.executable, "-c", TRAIN_SCRIPT, args], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-4000:]
    return [json.loads(line[6:]) for line in done.stdout.splitlines() if line.startswith("EVENT ")]


def simulate_kill_after_step_5(run_dir: Path) -> None:
    """What a SIGKILL while writing checkpoint 6 leaves behind: checkpoints ≤ 4 and a temp folder."""
    checkpoints = run_dir / "checkpoints"
    for later in ("ckpt-000000006", "ckpt-000000008"):
        shutil.rmtree(checkpoints / later)
    shutil.rmtree(run_dir / "model")
    partial = checkpoints / ".tmp-ckpt-000000006-x1y2z3"
    partial.mkdir()
    (partial / "state.index").write_bytes(b"\0" * 10)  # half a TF checkpoint, no meta.json


def checkpoint_variables(path: Path) -> dict[str, np.ndarray]:
    from ganstudio.ml.runtime import tf

    reader = tf().train.load_checkpoint(str(path / "state"))
    return {name: reader.get_tensor(name) for name in reader.get_variable_to_shape_map()
            if "OBJECT_GRAPH" not in name}


@pytest.fixture(scope="module")
def straight_and_resumed(tmp_path_factory, tiny_config_module, tiny_digits):
    config = tiny_config_module
    straight, resumed = tmp_path_factory.mktemp("straight"), tmp_path_factory.mktemp("resumed")
    data = tmp_path_factory.mktemp("data") / "digits.npz"
    np.savez(data, images=tiny_digits.images, labels=tiny_digits.labels)
    train_in_subprocess(config, data, straight, 8, resume=False)
    shutil.copytree(straight, resumed, dirs_exist_ok=True)
    simulate_kill_after_step_5(resumed)
    events = train_in_subprocess(config, data, resumed, 8, resume=True)
    return straight, resumed, events


@pytest.fixture(scope="module")
def tiny_config_module():
    from ganstudio.ml.recipes import get

    return get("dcgan").config(image_size=16, ngf=8, ndf=8, z_dim=8, batch_size=8, channels=1, xla=False,
                               preview_count=4, preview_every=1000, checkpoint_every=2, keep_checkpoints=10)


def final(run_dir: Path) -> Path:
    return run_dir / "checkpoints" / "ckpt-000000008"


def test_resume_starts_at_the_checkpoint_and_finishes_the_run(straight_and_resumed):
    _, resumed, events = straight_and_resumed
    started, finished = events[0], events[-1]
    assert (started["type"], started["step"], started["resumed"]) == ("Started", 4, True)
    assert (finished["type"], finished["step"], finished["reason"]) == ("Finished", 8, "completed")
    assert not list((resumed / "checkpoints").glob(".tmp-*")), "the killed writer's temp folder was not cleaned"
    assert (resumed / "model" / "manifest.json").exists()


def test_history_is_continuous_and_equal_to_the_straight_run(straight_and_resumed):
    from ganstudio.ml.training.checkpoints import CheckpointStore

    straight, resumed, _ = straight_and_resumed
    history_a, _ = CheckpointStore.load_extras(final(straight))
    history_b, _ = CheckpointStore.load_extras(final(resumed))
    assert history_a.steps == history_b.steps == list(range(1, 9))
    assert set(history_a.series) == set(history_b.series) >= {"d_loss", "g_loss", "d_real", "d_fake"}
    for name in history_a.series:
        np.testing.assert_allclose(history_b.array(name), history_a.array(name), rtol=1e-6, atol=0, err_msg=name)


def test_weights_optimizer_and_rng_state_equal_the_straight_run(straight_and_resumed):
    straight, resumed, _ = straight_and_resumed
    a, b = checkpoint_variables(final(straight)), checkpoint_variables(final(resumed))
    assert a.keys() == b.keys()
    assert any("rng" in name for name in a) and any("opt_g" in name for name in a)
    for name in a:
        np.testing.assert_allclose(b[name], a[name], rtol=1e-6, atol=1e-7, err_msg=name)


def test_fixed_z_survives_resume(straight_and_resumed):
    from ganstudio.ml.training.checkpoints import CheckpointStore

    straight, resumed, _ = straight_and_resumed
    _, fixed_first = CheckpointStore.load_extras(straight / "checkpoints" / "ckpt-000000002")
    _, fixed_resumed = CheckpointStore.load_extras(final(resumed))
    assert fixed_first["z"].shape == (4, 8)
    np.testing.assert_array_equal(fixed_resumed["z"], fixed_first["z"])
    np.testing.assert_array_equal(fixed_resumed["labels"], fixed_first["labels"])


def test_initial_weights_are_a_function_of_the_seed(tmp_path, tiny_config, tiny_digits):
    """What lets a fresh process rebuild the same run: the same seed gives the same initial networks."""
    from ganstudio.ml.training.trainer import Trainer

    weights = []
    for i, seed in enumerate((0, 0, 1)):
        config = tiny_config(seed=seed)
        data = tiny_digits.with_batches(config.batch_size, config.seed)
        trainer = Trainer(config, data, tmp_path / f"run{i}", 1, device="cpu")
        trainer._prepare()  # builds the networks (no training step)
        weights.append(trainer.generator.get_weights() + trainer.models["discriminator"].get_weights())
    assert all(np.array_equal(a, b) for a, b in zip(weights[0], weights[1]))
    assert not all(np.array_equal(a, b) for a, b in zip(weights[0], weights[2]))
