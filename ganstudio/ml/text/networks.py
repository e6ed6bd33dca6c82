"""The encoders of the joint embedding: token ids → a unit vector (char- or word-level), a 64×64 photo → a unit
vector in the same space. CPU-sized: well under a million parameters each."""

from __future__ import annotations

import functools

from ganstudio.ml.runtime import tf

EMBED_DIM = 128
TEXT_OUTPUT, IMAGE_OUTPUT = "text_embedding", "image_embedding"  # output layer names of the joint model
CHAR_WIDTHS, WORD_WIDTHS = (128, 192, 256), (256, 256)


@functools.cache
def masked_pool_class():
    """The MaskedPool1D layer class, defined and registered (as "ganstudio>MaskedPool1D") on first use."""
    tf()
    import keras

    @keras.saving.register_keras_serializable(package="ganstudio")
    class MaskedPool1D(keras.layers.Layer):
        """[features (B, T, C), ids (B, T·stride)] → mean and max of the features over real tokens (B, 2C).

        Padding must not count: a prompt pads to the same length as a long caption, and its meaning may not depend on
        how much padding follows it. `stride` is how much the convolutions shortened the sequence.
        """

        def __init__(self, stride: int = 1, **kwargs) -> None:
            super().__init__(**kwargs)
            self.stride = int(stride)

        def call(self, inputs):
            ops = keras.ops
            x, ids = inputs
            real = ops.cast(ops.not_equal(ids, 0), x.dtype)[..., None]  # (B, L, 1)
            if self.stride > 1:  # a shortened step is real if any token it covers is
                real = ops.max_pool(real, self.stride, self.stride, padding="valid")
            count = ops.maximum(ops.sum(real, axis=1), 1.0)
            mean = ops.sum(x * real, axis=1) / count
            peak = ops.max(ops.where(real > 0, x, ops.full_like(x, -1e4)), axis=1)
            return ops.concatenate([mean, ops.where(peak > -1e4, peak, ops.zeros_like(peak))], axis=-1)

        def compute_output_shape(self, shapes):
            shape = shapes[0]
            return (shape[0], None if shape[-1] is None else 2 * shape[-1])

        def get_config(self) -> dict:
            return {**super().get_config(), "stride": self.stride}

    return MaskedPool1D


def text_encoder(kind: str, vocab_size: int, max_len: int, widths: tuple[int, ...] | None = None,
                 dim: int = EMBED_DIM, dropout: float = 0.1):
    """ids (B, max_len) int32 → unit vectors (B, dim).

    char: embedding 48 → conv k5 → pool/2 → conv k5 → pool/2 → conv k3 (Reed's char-CNN without its RNN: the
    pooled convolutions see ~30-character spans); word: embedding 128 → convs k3 (word bigrams and trigrams:
    "yellow centre" is not "yellow petals"). Then masked mean+max over the sequence → dense → L2 normalisation.
    """
    tf()
    import keras

    layers = keras.layers
    widths = widths or (CHAR_WIDTHS if kind == "char" else WORD_WIDTHS)
    ids = keras.Input((max_len,), dtype="int32", name="ids")
    x = layers.Embedding(vocab_size, 48 if kind == "char" else 128, name="token_embedding")(ids)
    stride = 1
    for i, width in enumerate(widths):
        if kind == "char" and 0 < i < 3:
            x, stride = layers.MaxPooling1D(2, name=f"pool{i}")(x), stride * 2
        kernel = 5 if kind == "char" and i < 2 else 3
        x = layers.Conv1D(width, kernel, padding="same", activation="relu", name=f"conv{i}")(x)
    x = masked_pool_class()(stride, name="masked_pool")([x, ids])
    x = layers.Dropout(dropout)(x)
    x = layers.Dense(dim, name="projection")(x)
    return keras.Model(ids, layers.UnitNormalization(name=TEXT_OUTPUT)(x), name=f"{kind}_text_encoder")


def image_encoder(image_size: int, base=None, widths: tuple[int, ...] | None = None, dim: int = EMBED_DIM):
    """uint8-valued photos (B, S, S, 3) as float → unit vectors (B, dim): a feature network (`base`, e.g. the flower
    classifier up to its pooled features, or a fresh classifier trunk of `widths`) → dense → L2 normalisation."""
    tf()
    import keras

    from ganstudio.ml.networks.classifier import DEFAULT_WIDTHS, FEATURES_LAYER, classifier

    if base is None:
        trunk = classifier(image_size, 3, 2, DEFAULT_WIDTHS if widths is None else widths)
        base = keras.Model(trunk.inputs, trunk.get_layer(FEATURES_LAYER).output)
    image = keras.Input((image_size, image_size, 3), name="image")
    x = keras.layers.Dense(dim, name="image_projection")(base(image))
    return keras.Model(image, keras.layers.UnitNormalization(name=IMAGE_OUTPUT)(x), name="image_encoder")


def joint_model(text, image):
    """One model over both encoders: one set of trainable variables for the update, and one .keras file that holds
    both (the image encoder scores generated images later, as AttnGAN's R-precision does)."""
    tf()
    import keras

    return keras.Model([text.input, image.input], [text.output, image.output], name="joint_embedding")


def split_joint(model):
    """(text encoder, image encoder) sharing the joint model's layers and weights."""
    tf()
    import keras

    text_in, image_in = model.inputs
    text_out = model.get_layer(TEXT_OUTPUT).output
    image_out = model.get_layer(IMAGE_OUTPUT).output
    return keras.Model(text_in, text_out), keras.Model(image_in, image_out)
