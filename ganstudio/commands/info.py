"""`ganstudio recipes`, `ganstudio losses` and `ganstudio models`: what can be trained and how, and which models are
installed with their metrics."""

from __future__ import annotations


def add_parsers(sub) -> None:
    p = sub.add_parser("recipes", help="list training recipes")
    p.set_defaults(func=list_recipes)
    p = sub.add_parser("losses", help="list the adversarial losses (--loss) and what each sets")
    p.set_defaults(func=list_losses)
    p = sub.add_parser("models", help="list installed models and their metrics")
    p.set_defaults(func=list_models)


def list_recipes(args) -> int:
    from ganstudio.ml.recipes import all_recipes

    for recipe in all_recipes():
        kind = "paired" if recipe.paired else "conditional" if recipe.conditional else "unconditional"
        print(f"{recipe.name:10s} {recipe.title} ({kind}) — {recipe.description}")
        print(f"{'':10s} losses: {', '.join(recipe.losses)} (default {recipe.losses[0]})")
    return 0


def list_losses(args) -> int:
    from ganstudio.ml.training import gan_losses

    for name in gan_losses.names():
        loss = gan_losses.get(name)
        sets = ", ".join(f"{k}={v}" for k, v in loss.defaults.items())
        print(f"{name:8s} {loss.title}: {loss.help}" + (f" [sets {sets}]" if sets else ""))
    return 0


def list_models(args) -> int:
    from ganstudio.core.catalog import installed_models

    for entry in installed_models():
        metrics = " ".join(f"{k}={v:g}" if isinstance(v, (int, float)) else f"{k}={v}" for k, v in entry.manifest.metrics.items())
        print(f"{entry.name:24s} {entry.manifest.kind:10s} {entry.manifest.title} [{metrics}] {entry.path}")
    return 0
