"""Discriminator tricks shared by the zoo (SPEC §6.3, §6.4): minibatch standard deviation (Karras et al. 2018),
spectral normalisation (Miyato et al. 2018) and a choice of normalisation layer ("batch" | "layer" | "none").
"""

from __future__ import annotations

import functools
from typing import Callable

from ganstudio.ml.networks.layers import keras_layers
from ganstudio.ml.runtime import tf

NORMS = ("batch", "layer", "none")


@functools.cache
def minibatch_std_class():
    """The MinibatchStdDev layer class, defined and registered (as "ganstudio>MinibatchStdDev") on first use."""
    tf()
    import keras

    @keras.saving.register_keras_serializable(package="ganstudio")
    class MinibatchStdDev(keras.layers.Layer):
        """Appends one feature: the mean over features of each feature's stddev across the whole batch.

        A batch of near-identical fakes has a small value, so D can see mode collapse that no single sample shows.
        The whole batch is one group (not Karras' groups of 4): no divisibility constraint on a dynamic batch size.
        """

        def __init__(self, epsilon: float = 1e-8, **kwargs) -> None:
            super().__init__(**kwargs)
            self.epsilon = float(epsilon)

        def call(self, x):
            ops = keras.ops
            x32 = ops.cast(x, "float32")  # float16 variance of activations loses too much precision
            var = ops.mean(ops.square(x32 - ops.mean(x32, axis=0, keepdims=True)), axis=0)
            stat = ops.mean(ops.sqrt(var + self.epsilon))  # scalar
            plane = ops.ones_like(x[..., :1]) * ops.cast(stat, x.dtype)  # (B, …, 1); works for any rank
            return ops.concatenate([x, plane], axis=-1)

        def compute_output_shape(self, shape):
            return (*shape[:-1], None if shape[-1] is None else shape[-1] + 1)

        def get_config(self) -> dict:
            return {**super().get_config(), "epsilon": self.epsilon}

    return MinibatchStdDev


def minibatch_std_layer(name: str | None = "minibatch_std"):
    return minibatch_std_class()(name=name)


def maybe_spectral(layer, enabled: bool):
    """`layer` (a Conv2D or Dense), wrapped in keras.layers.SpectralNormalization when enabled.

    The wrapper takes the inner layer's dtype policy, so a float32 logit stays float32 under mixed precision (it
    casts its output to its input's dtype). Spectral normalisation rescales the kernel in place on training calls.
    """
    if not enabled:
        return layer
    layers, _ = keras_layers()
    return layers.SpectralNormalization(layer, dtype=layer.dtype_policy, name=f"{layer.name}_sn")


def normalization(kind: str, name: str | None = None) -> Callable:
    """A tensor → tensor function: BatchNorm, "layer" norm or identity (no layer at all, as the WGAN-GP critic needs).

    "layer" normalises each sample over all its features with per-channel scale and offset (GroupNorm with one group),
    the layer norm Gulrajani et al. recommend for the critic; keras LayerNormalization would only use the channel axis.
    """
    if kind not in NORMS:
        raise ValueError(f"norm must be one of {NORMS}, got {kind!r}")
    if kind == "none":
        return lambda x: x
    layers, _ = keras_layers()
    if kind == "batch":
        return layers.BatchNormalization(name=name)
    return layers.GroupNormalization(groups=1, epsilon=1e-5, name=name)
