"""Every custom layer our networks use, registered in one call so `.keras` files load with safe_mode=True."""

from __future__ import annotations


def register_custom_layers() -> None:
    """Call before loading a model file that may contain these layers (safe_mode only loads registered classes)."""
    from ganstudio.ml.networks.gancls import conditioning_class
    from ganstudio.ml.networks.layers import reflection_pad_class
    from ganstudio.ml.networks.segan import channel_scale_class
    from ganstudio.ml.networks.tricks import minibatch_std_class
    from ganstudio.ml.text.networks import masked_pool_class

    conditioning_class()
    reflection_pad_class()
    channel_scale_class()
    minibatch_std_class()
    masked_pool_class()
