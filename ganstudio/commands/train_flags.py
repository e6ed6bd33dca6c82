"""`ganstudio train`'s hyperparameter flags, generated from the one table in ml/training/config.py (fields declared with hp)."""

from __future__ import annotations

import argparse
import dataclasses

from ganstudio.ml.training.config import hyperparameters

_TYPES = {"int": int, "float": float, "str": str, "bool": bool}
_FAMILY_NAMES = {"gan": "z → image GANs", "text": "GAN-CLS", "translation": "pix2pix, pix2pixHD", "speech": "SEGAN"}


def flag_name(field: dataclasses.Field) -> str:
    return "--" + (field.metadata["flag"] or field.name).replace("_", "-")


def add_hyperparameter_flags(parser: argparse.ArgumentParser) -> None:
    """One flag per hyperparameter; every default is None, so only what the user gives overrides the recipe."""
    group = parser.add_argument_group("hyperparameters (default: the recipe's)")
    for field in hyperparameters():
        kind = _TYPES[field.type]
        options = dict(dest=field.name, default=None, help=_help(field))
        if kind is bool:
            options["action"] = argparse.BooleanOptionalAction
        elif field.metadata["choices"]:
            options.update(type=kind, choices=[c for c in field.metadata["choices"] if c != ""])
        else:
            options.update(type=_ranged(kind, field.metadata["low"], field.metadata["high"]), metavar=kind.__name__.upper())
        group.add_argument(flag_name(field), **options)


def overrides_from(args: argparse.Namespace) -> dict:
    """The hyperparameters the user gave on the command line."""
    return {f.name: getattr(args, f.name) for f in hyperparameters() if getattr(args, f.name, None) is not None}


def _help(field: dataclasses.Field) -> str:
    families = field.metadata["families"]
    scope = "" if len(families) == len(_FAMILY_NAMES) else f" [{', '.join(_FAMILY_NAMES[f] for f in families)}]"
    return field.metadata["help"].replace("%", "%%") + scope


def _ranged(kind, low, high):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a{'n integer' if kind is int else ' number'}") from None
        if (low is not None and value < low) or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"{text} is outside {low:g} … {high:g}")
        return value

    return parse
