"""The one optimizer update every recipe uses: tape → per-replica scaling → apply → gradient norm.

tf.distribute sums the gradients of all replicas, so each replica's loss is divided by the replica count inside the
tape (outside it, the division would not be recorded); the logged norm is multiplied back to the whole batch's.
"""

from __future__ import annotations

from collections.abc import Callable

from ganstudio.ml.runtime import tf


def update(model, optimizer, loss_fn: Callable[[], tuple], replicas: int):
    """Minimise `loss_fn() -> (loss, parts)` over `model`'s weights with one step of `optimizer`.

    Returns (loss, parts, gradient norm): what the recipe logs.
    """
    t = tf()
    variables = model.trainable_variables
    with t.GradientTape() as tape:
        loss, parts = loss_fn()
        scaled = loss / replicas
    grads = tape.gradient(scaled, variables)
    optimizer.apply_gradients(zip(grads, variables))
    return loss, parts, t.linalg.global_norm(grads) * replicas


def clip_weights(model, bound: float) -> None:
    """WGAN's Lipschitz constraint: every critic weight clipped to [−bound, bound] after each critic step."""
    t = tf()
    for variable in model.trainable_variables:
        variable.assign(t.clip_by_value(variable, -bound, bound))
