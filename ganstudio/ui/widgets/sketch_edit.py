"""One undoable canvas edit (a stroke, fill, shape, clear or loaded file) for the Sketch canvas's QUndoStack.

It keeps only the pixels of the edit's bounding box, before and after, so hundreds of strokes cost little memory;
a whole-canvas replacement (box None) keeps both arrays, because the canvas size may change with it."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QUndoCommand

from ganstudio.core.sketch.drawing import Box


def crop(array: np.ndarray, box: Box) -> np.ndarray:
    """A copy of the box's pixels (a view would change with the canvas)."""
    return array[box[1]:box[3], box[0]:box[2]].copy()


class CanvasEdit(QUndoCommand):
    def __init__(self, canvas, text: str, box: Box | None, before: np.ndarray, after: np.ndarray) -> None:
        super().__init__(text)
        self._canvas = canvas  # a SketchCanvas: anything with _write(box, pixels)
        self.box, self.before, self.after = box, before, after
        self._already_applied = True  # the canvas shows `after` when the command is pushed; redo() then does nothing

    def redo(self) -> None:
        if self._already_applied:
            self._already_applied = False
            return
        self._canvas._write(self.box, self.after)

    def undo(self) -> None:
        self._canvas._write(self.box, self.before)

    def nbytes(self) -> int:
        return self.before.nbytes + self.after.nbytes
