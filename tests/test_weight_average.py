"""Generator weight averaging (--ema): the average is what previews and exports use, training continues from the
last step's weights, and a resume carries the average exactly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from speech_fixtures import train_segan, write_mix_set


@pytest.fixture(scope="module")
def averaged_runs(tmp_path_factory):
    """(straight 4-step run's trainer, run dir of 2 steps resumed to 4)."""
    root = tmp_path_factory.mktemp("ema")
    corpus = write_mix_set(root / "corpus", seconds=0.3)
    straight = train_segan(corpus, root / "straight", 4, ema=0.5)
    train_segan(corpus, root / "resumed", 2, ema=0.5)
    train_segan(corpus, root / "resumed", 4, resume=True)
    return straight, root / "resumed"


def test_the_average_is_swapped_in_for_the_block_and_the_training_weights_come_back():
    import keras

    from ganstudio.ml.runtime import tf
    from ganstudio.ml.training.weight_average import averaged_weights, make_optimizer

    t = tf()
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    optimizer = make_optimizer("rmsprop", 0.1, 0.5, 0.999, ema=0.75)
    optimizer.build(model.trainable_variables)
    with averaged_weights(model, optimizer):  # no step yet: no average to use, the model is left alone
        untouched = model.get_weights()
    after = []
    for _ in range(2):
        with t.GradientTape() as tape:
            loss = t.reduce_sum(model(t.ones((1, 3))) ** 2)
        optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
        after.append(model.get_weights())
    with averaged_weights(model, optimizer):
        inside = model.get_weights()
    for w0, w1, w2, avg, now in zip(untouched, after[0], after[1], inside, model.get_weights()):
        assert not np.allclose(w1, w2)
        np.testing.assert_allclose(avg, 0.75 * w1 + 0.25 * w2, rtol=1e-6)  # the first step starts the average
        np.testing.assert_array_equal(now, w2)
    assert not np.allclose(untouched[0], after[0][0])


def test_exports_hold_the_average_and_the_run_trains_on_its_own_weights(averaged_runs, tmp_path):
    from ganstudio.ml.modelfile import load_model
    from ganstudio.ml.training.run_export import export_checkpoint
    from ganstudio.ml.runtime import tf

    trainer = averaged_runs[0]
    run_dir = trainer.run_dir
    exported, _ = load_model(run_dir / "model")
    reader = tf().train.load_checkpoint(str(run_dir / "checkpoints" / "ckpt-000000004" / "state"))
    generator = trainer.models["generator"]
    kernel = next(i for i, v in enumerate(generator.trainable_variables) if v.path.endswith("kernel"))
    last_step = generator.trainable_variables[kernel].numpy()
    assert not np.allclose(exported.trainable_variables[kernel].numpy(), last_step)  # the average, not the last step
    saved = [reader.get_tensor(n) for n in reader.get_variable_to_shape_map() if "OBJECT_GRAPH" not in n]
    assert any(s.shape == last_step.shape and np.array_equal(s, last_step) for s in saved)  # training weights kept
    again, _ = export_checkpoint(run_dir, tmp_path / "again", "4")
    for a, b in zip(load_model(again)[0].get_weights(), exported.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_a_resume_carries_the_average_exactly(averaged_runs):
    from ganstudio.ml.runtime import tf

    final = Path("checkpoints") / "ckpt-000000004" / "state"
    a, b = (tf().train.load_checkpoint(str(run / final)) for run in (averaged_runs[0].run_dir, averaged_runs[1]))
    names = [n for n in a.get_variable_to_shape_map() if n.startswith("opt_g/")]
    assert len(names) > 2 * len(averaged_runs[0].models["generator"].trainable_variables)  # RMSprop slots + averages
    for name in names:
        np.testing.assert_allclose(b.get_tensor(name), a.get_tensor(name), rtol=1e-5, atol=1e-6, err_msg=name)
