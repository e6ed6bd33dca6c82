"""Model folders: float16 storage round-trips to a float32 model, and corrupt, foreign, unsafe or future files give
ModelFileError with a clear message."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from ganstudio.core.errors import ModelFileError
from ganstudio.core.manifest import Manifest, sha256_of


@pytest.fixture(scope="module")
def generator_and_config():
    """A 16×16 generator with weights far from their tiny initial values, so outputs span [−1, 1]."""
    from ganstudio.ml.recipes import get

    config = get("dcgan").config(image_size=16, ngf=8, ndf=8, z_dim=8, channels=3)
    generator = get("dcgan").build(config)["generator"]
    rng = np.random.default_rng(0)
    generator.set_weights([w + rng.normal(0, 0.2, w.shape).astype(w.dtype) for w in generator.get_weights()])
    return generator, config


def export(generator_and_config, folder: Path, float16: bool = False) -> Path:
    from ganstudio.ml.training.export import export_generator

    generator, config = generator_and_config
    return export_generator(generator, config, folder, steps=5, float16=float16)


@pytest.fixture
def model_dir(tmp_path, generator_and_config) -> Path:
    return export(generator_and_config, tmp_path / "model")


def test_float16_storage_loads_as_float32_with_close_outputs(tmp_path, generator_and_config):
    from ganstudio.ml.modelfile import load_model

    generator, _ = generator_and_config
    full, half = export(generator_and_config, tmp_path / "f32"), export(generator_and_config, tmp_path / "f16", True)
    loaded, manifest = load_model(half, kind="generator")
    assert manifest.config["storage_dtype"] == "float16"
    assert all(w.dtype == np.float32 for w in loaded.get_weights())
    z = np.random.default_rng(1).standard_normal((16, 8)).astype(np.float32)
    expected, got = generator(z, training=False).numpy(), loaded(z, training=False).numpy()
    assert got.dtype == np.float32 and np.ptp(expected) > 1.0  # a real test: outputs are not all ≈ 0
    np.testing.assert_allclose(got, expected, atol=1e-2)
    saved = (full / "generator.keras").stat().st_size - (half / "generator.keras").stat().st_size
    assert saved > 0.4 * sum(w.nbytes for w in generator.get_weights())  # about half of the weight bytes


def test_float32_round_trip_is_exact(model_dir, generator_and_config):
    from ganstudio.ml.modelfile import load_model

    generator, _ = generator_and_config
    loaded, manifest = load_model(model_dir)
    assert manifest.kind == "generator" and manifest.recipe == "dcgan" and manifest.metrics["steps"] == 5
    for a, b in zip(generator.get_weights(), loaded.get_weights()):
        np.testing.assert_array_equal(a, b)


def load_error(model_dir: Path, kind: str | None = None) -> ModelFileError:
    from ganstudio.ml.modelfile import load_model

    with pytest.raises(ModelFileError) as caught:
        load_model(model_dir, kind)
    return caught.value


def rewrite_manifest(model_dir: Path, **changes) -> None:
    path = model_dir / "manifest.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), **changes}))


def test_checksum_mismatch(model_dir):
    keras_file = model_dir / "generator.keras"
    data = bytearray(keras_file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    keras_file.write_bytes(bytes(data))
    err = load_error(model_dir)
    assert "generator.keras is corrupt (checksum mismatch)" in err.problem and "Re-export" in err.hint


def test_corrupt_keras_file_with_a_matching_checksum(model_dir):
    keras_file = model_dir / "generator.keras"
    keras_file.write_bytes(b"PK\x03\x04 this is not a zip archive")
    rewrite_manifest(model_dir, files={"generator.keras": sha256_of(keras_file)})
    assert "could not be loaded safely" in load_error(model_dir).problem


def test_missing_keras_file(model_dir):
    (model_dir / "generator.keras").unlink()
    assert "generator.keras is missing" in load_error(model_dir).problem


def test_no_manifest(tmp_path):
    assert "has no manifest.json: not a ganstudio model folder" in load_error(tmp_path).problem


@pytest.mark.parametrize("payload, expected", [
    ('{"format": "someone-else", "kind": "generator"}', "is not a ganstudio manifest"),
    ("[1, 2, 3]", "is not a ganstudio manifest"),
    ("{broken", "is damaged"),
])
def test_foreign_or_damaged_manifest(model_dir, payload, expected):
    (model_dir / "manifest.json").write_text(payload)
    assert expected in load_error(model_dir).problem


def test_manifest_without_required_fields(model_dir):
    (model_dir / "manifest.json").write_text(json.dumps({"format": "ganstudio-model", "format_version": 1}))
    assert "manifest.json: kind is missing" in load_error(model_dir).problem


def test_model_from_a_future_version(model_dir):
    rewrite_manifest(model_dir, format_version=99)
    err = load_error(model_dir)
    assert "needs a newer ganstudio (model format 99)" in err.problem and "Upgrade" in err.hint


def test_wrong_kind_of_model(model_dir):
    assert "holds a generator, not a classifier" in load_error(model_dir, kind="classifier").problem


def test_unsafe_lambda_layer_is_refused(tmp_path):
    """safe_mode=True: a .keras file with a Lambda layer (arbitrary Python bytecode) is never deserialised."""
    import keras

    from ganstudio.ml.modelfile import save_model

    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.layers.Lambda(lambda x: x * 2)(inputs))
    config = {"recipe": "dcgan", "z_dim": 4, "image_size": 2, "channels": 1, "num_classes": 0}  # passes its checks
    save_model(model, Manifest(kind="generator", recipe="dcgan", title="lambda", config=config), tmp_path / "m",
               "generator.keras")
    err = load_error(tmp_path / "m")
    assert "could not be loaded safely" in err.problem and "untrusted" in err.hint


def test_a_model_folder_is_replaced_whole(tmp_path, generator_and_config):
    """Re-exporting over an existing model folder leaves exactly one complete folder, no leftovers."""
    first = export(generator_and_config, tmp_path / "model")
    (first / "stale-extra-file").write_text("from the old export")
    export(generator_and_config, tmp_path / "model", float16=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]
    assert sorted(p.name for p in first.iterdir()) == ["generator.keras", "manifest.json"]
    shutil.rmtree(first)
