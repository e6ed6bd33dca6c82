"""Zoo network builders (SPEC §6.3, §6.4): ResNet G/critic, MLP GAN, and the shared discriminator tricks.

Networks are kept tiny (16–32 px, 4–8 filters): these tests check wiring, shapes and dtypes, not training.
"""

from __future__ import annotations

import numpy as np
import pytest

from ganstudio.ml.runtime import tf


def _keras():
    tf()
    import keras

    return keras


def _images(n: int, size: int, channels: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-1, 1, (n, size, size, channels)).astype("float32")


def _layer_types(model) -> list[str]:
    return [type(layer).__name__ for layer in model.layers]


def _check_d(d, size: int, channels: int, labels=None):
    x = _images(3, size, channels)
    out = d([x, labels] if labels is not None else x, training=False)
    assert tuple(out.shape) == (3, 1) and out.dtype == "float32"
    assert d.name == "discriminator"


def _check_g(g, z_dim: int, size: int, channels: int, labels=None):
    z = np.random.default_rng(1).normal(size=(3, z_dim)).astype("float32")
    out = np.asarray(g([z, labels] if labels is not None else z, training=False))
    assert out.shape == (3, size, size, channels) and out.dtype == np.float32
    assert np.all(np.abs(out) <= 1.0)  # tanh
    assert g.name == "generator"


@pytest.mark.parametrize("size", [16, 32])
def test_resnet_shapes(size):
    from ganstudio.ml.networks.resnet import resnet_discriminator, resnet_generator

    _check_g(resnet_generator(8, size, 3, ngf=8), 8, size, 3)
    _check_d(resnet_discriminator(size, 3, ndf=8), size, 3)


def test_resnet_block_counts_at_64_px():
    from ganstudio.ml.networks.resnet import resnet_discriminator, resnet_generator

    g = resnet_generator(4, 64, 1, ngf=4)
    _check_g(g, 4, 64, 1)
    assert _layer_types(g).count("UpSampling2D") == 2 * 4  # 4 up-blocks (main path + shortcut each)
    d = resnet_discriminator(64, 1, ndf=4)
    _check_d(d, 64, 1)
    assert _layer_types(d).count("Add") == 1 + 2 + 2  # first block (64→32), down blocks 32→16→8, 2 plain blocks


def test_resnet_rejects_non_power_of_two():
    from ganstudio.ml.networks.resnet import resnet_generator

    with pytest.raises(ValueError):
        resnet_generator(8, 24, 3, ngf=4)


def test_mlp_shapes_at_28_and_32_px():
    from ganstudio.ml.networks.mlp import mlp_discriminator, mlp_generator

    for size, channels in ((28, 1), (32, 3)):
        _check_g(mlp_generator(8, size, channels, hidden=16), 8, size, channels)
        _check_d(mlp_discriminator(size, channels, hidden=16), size, channels)


def test_conditional_variants_take_int32_labels():
    from ganstudio.ml.networks import dcgan
    from ganstudio.ml.networks.mlp import mlp_discriminator, mlp_generator
    from ganstudio.ml.networks.resnet import resnet_discriminator, resnet_generator

    labels = np.array([0, 3, 9], "int32")
    _check_g(resnet_generator(8, 16, 3, ngf=8, num_classes=10), 8, 16, 3, labels)
    _check_g(mlp_generator(8, 16, 1, hidden=16, num_classes=10), 8, 16, 1, labels)
    for d in (resnet_discriminator(16, 3, ndf=8, num_classes=10),
              dcgan.discriminator(16, 3, ndf=4, num_classes=10, norm="layer", spectral_norm=True, minibatch_std=True)):
        _check_d(d, 16, 3, labels)
        assert [i.name for i in d.inputs] == ["image", "label"] and d.inputs[1].dtype == "int32"
    _check_d(mlp_discriminator(16, 1, hidden=16, num_classes=10), 16, 1, labels)
    # the label changes the output: it is really wired in
    g = mlp_generator(8, 16, 1, hidden=16, num_classes=10)
    z = np.zeros((2, 8), "float32")
    a, b = np.asarray(g([z, np.array([1, 2], "int32")]))
    assert not np.allclose(a, b)


def test_critic_norm_choice():
    from ganstudio.ml.networks.resnet import resnet_discriminator

    assert "BatchNormalization" not in _layer_types(resnet_discriminator(32, 3, ndf=4))  # WGAN-GP critic
    assert "GroupNormalization" not in _layer_types(resnet_discriminator(32, 3, ndf=4))
    assert "BatchNormalization" in _layer_types(resnet_discriminator(16, 3, ndf=4, norm="batch"))
    assert "GroupNormalization" in _layer_types(resnet_discriminator(16, 3, ndf=4, norm="layer"))
    with pytest.raises(ValueError):
        resnet_discriminator(16, 3, ndf=4, norm="instance")


def test_every_image_discriminator_takes_the_same_switches():
    """The image recipes pass norm / spectral_norm / minibatch_std to whichever builder the config names."""
    from ganstudio.ml.networks import dcgan
    from ganstudio.ml.networks.mlp import mlp_discriminator
    from ganstudio.ml.networks.resnet import resnet_discriminator

    options = dict(norm="batch", spectral_norm=True, minibatch_std=True)
    for d in (dcgan.discriminator(16, 1, ndf=4, **options), resnet_discriminator(16, 1, ndf=4, **options),
              mlp_discriminator(16, 1, hidden=8, **options)):
        types = _layer_types(d)
        assert {"BatchNormalization", "SpectralNormalization", "MinibatchStdDev"} <= set(types)
        _check_d(d, 16, 1)
    assert "BatchNormalization" not in _layer_types(mlp_discriminator(16, 1, hidden=8))


def test_dcgan_discriminator_defaults_unchanged_and_options():
    from ganstudio.ml.networks import dcgan

    types = _layer_types(dcgan.discriminator(32, 3, ndf=4))
    assert types.count("BatchNormalization") == 2 and types.count("Conv2D") == 3  # 32 → 4: 3 convs, no BN on the first
    assert "SpectralNormalization" not in types and "MinibatchStdDev" not in types
    d = dcgan.discriminator(32, 3, ndf=4, norm="none", spectral_norm=True, minibatch_std=True)
    types = _layer_types(d)
    assert "BatchNormalization" not in types and "Conv2D" not in types and "Dense" not in types
    assert types.count("SpectralNormalization") == 3 + 1
    assert types.index("MinibatchStdDev") == types.index("Flatten") - 1
    assert d.get_layer("minibatch_std").output.shape[-1] == 4 * 4 + 1  # 3rd stage has 4·ndf = 16 channels, plus one
    _check_d(d, 32, 3)


@pytest.mark.parametrize("builder", ["resnet", "mlp"])
def test_spectral_norm_wraps_every_weight_layer(builder):
    from ganstudio.ml.networks.mlp import mlp_discriminator
    from ganstudio.ml.networks.resnet import resnet_discriminator

    build = (lambda **kw: resnet_discriminator(16, 3, ndf=4, **kw)) if builder == "resnet" else \
        (lambda **kw: mlp_discriminator(16, 3, hidden=8, **kw))
    plain, wrapped = _layer_types(build()), build(spectral_norm=True)
    types = _layer_types(wrapped)
    assert "Conv2D" not in types and "Dense" not in types
    assert types.count("SpectralNormalization") == plain.count("Conv2D") + plain.count("Dense")
    inner = {type(layer.layer).__name__ for layer in wrapped.layers if type(layer).__name__ == "SpectralNormalization"}
    assert inner <= {"Conv2D", "Dense"}
    assert wrapped.get_layer("logit_sn").dtype_policy.compute_dtype == "float32"
    # a training call normalises the kernels in place (power iteration): the logit kernel's spectral norm becomes ≈ 1
    wrapped(_images(2, 16, 3), training=True)
    kernel = np.asarray(wrapped.get_layer("logit_sn").layer.kernel)
    assert abs(np.linalg.svd(kernel, compute_uv=False)[0] - 1.0) < 1e-3  # (n, 1): one power step is exact


def test_minibatch_std_adds_the_batch_stddev():
    from ganstudio.ml.networks.tricks import minibatch_std_layer

    x = np.array([[[[1.0, 0.0]]], [[[3.0, 4.0]]]], "float32")  # (2, 1, 1, 2)
    # per-feature population stddev across the batch: |1−3|/2 = 1 and |0−4|/2 = 2; their mean is 1.5
    out = np.asarray(minibatch_std_layer()(x))
    assert out.shape == (2, 1, 1, 3)
    np.testing.assert_allclose(out[..., :2], x)
    np.testing.assert_allclose(out[..., 2], 1.5, rtol=1e-6)

    rng = np.random.default_rng(3)
    x = rng.normal(size=(5, 3, 3, 4)).astype("float32")
    expected = np.sqrt(x.var(axis=0) + 1e-8).mean()
    out = np.asarray(minibatch_std_layer()(x))
    assert out.shape == (5, 3, 3, 5)
    np.testing.assert_allclose(out[..., 4], expected, rtol=1e-5)
    flat = np.asarray(minibatch_std_layer()(x.reshape(5, -1)))  # rank 2 (MLP)
    assert flat.shape == (5, 37)
    np.testing.assert_allclose(flat[:, -1], expected, rtol=1e-5)


def test_minibatch_std_unknown_batch_under_xla():
    keras = _keras()
    from ganstudio.ml.networks.tricks import minibatch_std_layer

    inp = keras.Input((2, 2, 3))
    model = keras.Model(inp, minibatch_std_layer()(inp))
    assert tuple(model.output.shape) == (None, 2, 2, 4)
    fn = tf().function(lambda x: model(x), jit_compile=True,
                       input_signature=[tf().TensorSpec((None, 2, 2, 3), "float32")])
    for n in (1, 3):
        x = np.random.default_rng(n).normal(size=(n, 2, 2, 3)).astype("float32")
        out = fn(x).numpy()
        np.testing.assert_allclose(out[..., 3], np.sqrt(x.var(axis=0) + 1e-8).mean(), rtol=1e-5, atol=1e-6)


def test_save_load_round_trip(tmp_path):
    from ganstudio.core.manifest import Manifest
    from ganstudio.ml.modelfile import load_model, save_model
    from ganstudio.ml.networks.mlp import mlp_generator
    from ganstudio.ml.networks.resnet import resnet_discriminator

    labels = np.array([1, 0, 2], "int32")
    x = _images(3, 16, 3)
    d = resnet_discriminator(16, 3, ndf=4, num_classes=3, norm="layer", spectral_norm=True, minibatch_std=True)
    d([x, labels], training=True)  # move the spectral-norm state off its initial values before saving
    save_model(d, Manifest(kind="discriminator", recipe="wgan-gp", title="d", config={}), tmp_path / "d", "d.keras")
    loaded, manifest = load_model(tmp_path / "d")
    assert manifest.kind == "discriminator" and "MinibatchStdDev" in _layer_types(loaded)
    np.testing.assert_allclose(loaded([x, labels]), d([x, labels]), rtol=1e-6, atol=1e-6)

    g = mlp_generator(4, 16, 3, hidden=8)
    config = {"recipe": "gan", "z_dim": 4, "image_size": 16, "channels": 3, "num_classes": 0}  # what load checks
    save_model(g, Manifest(kind="generator", recipe="gan", title="g", config=config), tmp_path / "g", "generator.keras")
    z = np.random.default_rng(2).normal(size=(2, 4)).astype("float32")
    np.testing.assert_allclose(load_model(tmp_path / "g", kind="generator")[0](z), g(z), rtol=1e-6, atol=1e-6)
