"""A palette of named label classes: ids ↔ names ↔ display colours, stored in a model's manifest."""

from __future__ import annotations

import colorsys
from dataclasses import dataclass

import numpy as np

from ganstudio.core.errors import DataError


@dataclass(frozen=True)
class Palette:
    names: tuple[str, ...]
    colors: tuple[tuple[int, int, int], ...]  # display RGB; for derived maps also the prototype colour of the class
    background: int = 0  # what the eraser paints

    def __post_init__(self) -> None:
        if not self.names or len(self.names) != len(self.colors):
            raise DataError("A palette needs one colour per class name.", "Check the model's manifest palette.")
        # Checked here, not when drawing: a bad colour would otherwise crash colorize() deep inside the canvas.
        if len(self.names) > 256 or not all(len(c) == 3 and all(0 <= v <= 255 for v in c) for c in self.colors):
            raise DataError("A palette's colours must be (r, g, b) values 0–255, for at most 256 classes.",
                            "Check the model's manifest palette.")
        if not 0 <= self.background < len(self.names):
            raise DataError(f"The palette's background id {self.background} is not one of its classes.",
                            "Check the model's manifest palette.")

    def __len__(self) -> int:
        return len(self.names)

    def colorize(self, ids: np.ndarray) -> np.ndarray:
        """(H, W) class ids → (H, W, 3) uint8 display colours (unknown ids are drawn magenta, so they show)."""
        table = np.full((256, 3), (255, 0, 255), np.uint8)
        table[: len(self)] = np.asarray(self.colors, np.uint8)
        return table[np.asarray(ids, np.uint8)]

    def unknown_ids(self, ids: np.ndarray) -> list[int]:
        return [int(v) for v in np.unique(ids) if v >= len(self)]

    def to_dict(self) -> dict:
        return {"names": list(self.names), "colors": [list(c) for c in self.colors], "background": self.background}

    @classmethod
    def from_dict(cls, data: dict) -> Palette:
        try:
            return cls(tuple(data["names"]), tuple(tuple(int(v) for v in c) for c in data["colors"]),
                       int(data.get("background", 0)))
        except (KeyError, TypeError, ValueError) as err:
            raise DataError(f"The palette is malformed ({err}).", "Re-export the model, or use a generic palette.") from err


def generic_palette(count: int) -> Palette:
    """`count` evenly spaced hues, for label data sets whose classes have no names (e.g. a Cityscapes folder)."""
    colors = tuple(tuple(int(255 * v) for v in colorsys.hsv_to_rgb(i / max(count, 1), 0.55, 0.9)) for i in range(count))
    return Palette(tuple(f"class {i}" for i in range(count)), colors)


# The materials the flower label maps are derived into (core/sketch/labels.py assigns each pixel the nearest colour).
FLOWER_MATERIALS = Palette(
    names=("background", "sky", "foliage", "dark foliage", "soil", "shadow", "petal white", "petal cream", "petal yellow",
           "petal orange", "petal pink", "petal red", "petal purple", "flower centre"),
    colors=((105, 105, 98), (140, 180, 220), (80, 125, 45), (30, 55, 22), (135, 110, 80), (15, 15, 15),
            (238, 238, 232), (212, 200, 160), (240, 205, 40), (230, 125, 30), (230, 140, 175), (185, 25, 40), (145, 85, 170),
            (85, 50, 15)),
)
