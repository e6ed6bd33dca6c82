"""The tf.distribute hook: the Trainer runs unchanged under MirroredStrategy (two logical CPU devices).

Also pins the Keras behaviour the recipes' loss scaling relies on: under a strategy, Keras 3 optimizers SUM the
replicas' gradients (keras/src/backend/tensorflow/optimizer.py, `_all_reduce_sum_gradients`), so each replica's
mean loss is divided by the replica count to get the global-batch mean (as tf.nn.compute_average_loss does).
Logical devices must be configured before TensorFlow starts, hence a subprocess.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

SCRIPT = """
import json
import sys
import numpy as np
from ganstudio.ml.runtime import tf

t = tf()
cpu = t.config.list_physical_devices("CPU")[0]
t.config.set_logical_device_configuration(cpu, [t.config.LogicalDeviceConfiguration()] * 2)
strategy = t.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
import keras

# 1. How a Keras optimizer combines replica gradients: replica i contributes gradient i + 1 to one SGD(1.0) step.
with strategy.scope():
    weight = keras.Variable(0.0)
    sgd = keras.optimizers.SGD(1.0)
    sgd.build([weight])

@t.function
def one_update():
    def per_replica():
        grad = t.cast(t.distribute.get_replica_context().replica_id_in_sync_group + 1, t.float32)
        sgd.apply_gradients([(grad, weight)])
    strategy.run(per_replica)

one_update()
result = {"sgd_weight": float(weight.numpy())}

# 2. Two steps of the real Trainer.
from ganstudio.core.training import events as ev
from ganstudio.core.image_data.datasets import LoadedData
from ganstudio.ml.recipes import get
from ganstudio.ml.training.trainer import Trainer

with np.load(sys.argv[2]) as npz:
    data = LoadedData(npz["images"], npz["labels"], ())
config = get("dcgan").config(image_size=16, ngf=8, ndf=8, z_dim=8, batch_size=16, channels=1, xla=False,
                             preview_count=4, preview_every=1000, checkpoint_every=1000, ema=0.5)
data = data.with_batches(config.batch_size, config.seed)
before, events = {}, []

def sink(event):
    events.append(type(event).__name__)
    if isinstance(event, ev.Started):
        result["device"] = event.device
        before["g"], before["d"] = trainer.generator.get_weights(), trainer.models["discriminator"].get_weights()

trainer = Trainer(config, data, sys.argv[1], 2, [sink], strategy=strategy)
result["steps"] = trainer.run()
after_g, after_d = trainer.generator.get_weights(), trainer.models["discriminator"].get_weights()
result["g_changed"] = sum(not np.array_equal(a, b) for a, b in zip(before["g"], after_g))
result["d_changed"] = sum(not np.array_equal(a, b) for a, b in zip(before["d"], after_d))
result["all_finite"] = bool(all(np.isfinite(w).all() for w in after_g + after_d))
result["history"] = {k: v for k, v in trainer.history.series.items()}
from pathlib import Path
from ganstudio.ml.modelfile import load_model
exported, _ = load_model(Path(sys.argv[1]) / "model")  # the weight average, swapped in under the strategy
result["export_differs"] = sum(not np.allclose(a, b) for a, b in zip(exported.get_weights(), after_g))
result["events"] = events
print("RESULT " + json.dumps(result))
"""


@pytest.fixture(scope="module")
def mirrored(tmp_path_factory, tiny_digits) -> dict:
    folder = tmp_path_factory.mktemp("mirrored")
    np.savez(folder / "digits.npz", images=tiny_digits.images, labels=tiny_digits.labels)
    argv = [sys.executable, "-c", SCRIPT, str(folder / "run"), str(folder / "digits.npz")]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-4000:]
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line[len("RESULT "):])


def test_keras_optimizers_sum_replica_gradients(mirrored):
    # Summed: 0 − 1.0·(1 + 2) = −3. A mean (−1.5) would mean the recipes' division by replicas is wrong.
    assert mirrored["sgd_weight"] == pytest.approx(-3.0)


def test_trainer_runs_two_steps_on_two_replicas(mirrored):
    assert mirrored["device"] == "MirroredStrategy × 2"
    assert mirrored["steps"] == 2 and mirrored["events"][-1] == "Finished"
    assert mirrored["g_changed"] > 0 and mirrored["d_changed"] > 0 and mirrored["all_finite"]
    assert mirrored["export_differs"] > 0  # --ema: the exported generator is the average, not the last step
    for name in ("d_loss", "g_loss", "grad_norm_d", "grad_norm_g"):
        values = mirrored["history"][name]
        assert len(values) == 2 and all(0 < v < 100 for v in values), (name, values)
