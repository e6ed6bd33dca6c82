"""Custom layers shared by the image-translation networks, registered so `.keras` files load with safe_mode=True.

Keras is imported only when a layer is first needed: listing recipes must not start TensorFlow.
"""

from __future__ import annotations

import functools

from ganstudio.ml.runtime import tf


@functools.cache
def reflection_pad_class():
    """The ReflectionPad2D layer class, defined and registered (as "ganstudio>ReflectionPad2D") on first use."""
    tf()
    import keras

    @keras.saving.register_keras_serializable(package="ganstudio")
    class ReflectionPad2D(keras.layers.Layer):
        """Mirror padding (pix2pixHD): border pixels see real image content instead of zeros, so no dark frame."""

        def __init__(self, pad: int = 1, **kwargs) -> None:
            super().__init__(**kwargs)
            self.pad = int(pad)

        def call(self, x):
            p = self.pad
            return keras.ops.pad(x, [[0, 0], [p, p], [p, p], [0, 0]], mode="reflect")

        def compute_output_shape(self, shape):
            grow = lambda n: None if n is None else n + 2 * self.pad  # noqa: E731
            return (shape[0], grow(shape[1]), grow(shape[2]), shape[3])

        def get_config(self) -> dict:
            return {**super().get_config(), "pad": self.pad}

    return ReflectionPad2D


def reflection_pad(pad: int):
    return reflection_pad_class()(pad)


def instance_norm(name: str | None = None):
    """Instance normalisation (GroupNorm with one group per channel).

    pix2pix trained with batch size 1, where BatchNorm *is* instance norm; pix2pixHD uses instance norm. It also
    keeps inference independent of batch statistics, so a render with dropout on (a "variation") changes nothing else.
    """
    tf()
    import keras

    return keras.layers.GroupNormalization(groups=-1, epsilon=1e-5, name=name)


def keras_layers():
    """keras.layers and keras, imported lazily (the networks are built inside functions only)."""
    tf()
    import keras

    return keras.layers, keras
