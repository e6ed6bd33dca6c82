"""The recipe registry: the Train page, the CLI and the tests all list recipes from here.

Importing this package never imports TensorFlow; recipes build their networks lazily.
"""

from __future__ import annotations

from ganstudio.ml.recipes.base import Recipe

_REGISTRY: dict[str, Recipe] = {}


def register(recipe: Recipe) -> Recipe:
    if recipe.name in _REGISTRY:
        raise ValueError(f"recipe {recipe.name!r} registered twice")
    _REGISTRY[recipe.name] = recipe
    return recipe


def all_recipes() -> list[Recipe]:
    _load_builtin()
    return list(_REGISTRY.values())


def get(name: str) -> Recipe:
    _load_builtin()
    try:
        return _REGISTRY[name]
    except KeyError:
        from ganstudio.core.errors import StudioError

        raise StudioError(f"Unknown recipe {name!r}.", f"Choose one of: {', '.join(_REGISTRY)} (see `ganstudio recipes`).") from None


def _load_builtin() -> None:
    from ganstudio.ml.recipes import dcgan  # noqa: F401  (registers dcgan and cdcgan)
    from ganstudio.ml.recipes import resnet  # noqa: F401
    from ganstudio.ml.recipes import mlp  # noqa: F401
    from ganstudio.ml.recipes import pix2pix  # noqa: F401  (registers pix2pix and unet-l1)
    from ganstudio.ml.recipes import pix2pixhd  # noqa: F401
    from ganstudio.ml.recipes import segan  # noqa: F401
    from ganstudio.ml.recipes import gancls  # noqa: F401
