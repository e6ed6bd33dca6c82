"""The generator's averaged weights: Keras keeps an exponential moving average in the optimizer (`use_ema`); this
swaps it into the model for a preview, a metric or an export, then puts the training weights back.

Why an average: a GAN generator's last-step weights wander with the adversary; their average over the last ~1/(1−m)
steps is smoother and generalizes better (SEGAN on noises it never heard). Keras saves the average with the
optimizer's variables, so checkpoints and resumes carry it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


def make_optimizer(kind: str, lr: float, beta1: float, beta2: float, ema: float = 0.0):
    """The recipe's optimizer ("adam" | "rmsprop"), keeping a weight average when `ema` (its momentum) is > 0."""
    import keras

    average = dict(use_ema=True, ema_momentum=ema) if ema else {}
    if kind == "rmsprop":
        return keras.optimizers.RMSprop(lr, **average)
    return keras.optimizers.Adam(lr, beta_1=beta1, beta_2=beta2, **average)


def has_average(optimizer) -> bool:
    """True once the optimizer keeps an average and has taken a step (before that the average is all zeros)."""
    return bool(getattr(optimizer, "use_ema", False)) and int(optimizer.iterations.numpy()) > 0


@contextmanager
def averaged_weights(model, optimizer) -> Iterator[None]:
    """Inside the block `model` holds the optimizer's averaged weights (when it keeps one); after it, its own again."""
    if optimizer is None or not has_average(optimizer):
        yield
        return
    variables = model.trainable_variables
    saved = [v.numpy() for v in variables]
    optimizer.finalize_variable_values(variables)  # Keras: overwrite the variables with their average
    try:
        yield
    finally:
        for variable, value in zip(variables, saved):
            variable.assign(value)
