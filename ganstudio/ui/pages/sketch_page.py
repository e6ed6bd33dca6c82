"""The Sketch page: paint a label map (named classes from the model's palette) or draw edges, and watch a pix2pix /
pix2pixHD-lite model render a photo beside the canvas while you paint. Renders go through the SketchService (latest
request wins), so the canvas never waits on the model; the canvas is autosaved per model kind and restored, and each
kind keeps its undo history for the session and its tool and brush size across sessions. While another model loads,
the old one's render is not shown."""

from __future__ import annotations

import json

import numpy as np
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from ganstudio.core.errors import StudioError
from ganstudio.core.sketch.palette import FLOWER_MATERIALS, Palette
from ganstudio.core.sketch.sketch_io import autosave_path, read_autosave, save_png
from ganstudio.ui.pages.model_page import ModelPage
from ganstudio.ui.pages.sketch_files import SketchFileBar
from ganstudio.ui.widgets.image_view import ImageView
from ganstudio.ui.widgets.model_bar import folder_label
from ganstudio.ui.widgets.shortcuts import add_shortcuts
from ganstudio.ui.widgets.sketch_canvas import SketchCanvas
from ganstudio.ui.widgets.sketch_model_bar import SketchModelBar
from ganstudio.ui.widgets.sketch_palette import SketchPaletteBar
from ganstudio.ui.widgets.sketch_toolbar import SketchToolbar, VariationControls, undo_actions
from ganstudio.workers.sketch_service import SketchModelInfo, SketchService

DEFAULT_SIDE = 256  # the canvas size before any model says its own
AUTOSAVE_DELAY_MS = 1500  # after the last change: a stroke in progress is not written dozens of times
FULL_RENDER_DELAY_MS = 250  # a canvas larger than the model renders drafts while painting, in full once it pauses
NO_MODEL = "No model loaded: pick one above (or train one on the Train page). You can paint meanwhile."
# A one-colour canvas is not rendered. The shipped models answer it with a flat ochre smear and bright bands along
# the bottom and right edges: their strided convolutions pad with zeros on those two sides only, and on a constant
# input that border is the only variation, which each instance norm then scales up to unit variance. Nor did they
# see such a map in training (of 300 sampled label maps of the photos, one was over 90% background).
EMPTY_CANVAS = ("Paint something: the render follows your first stroke (a canvas of one colour gives the model "
                "no shapes to follow).")


class SketchPage(ModelPage):
    model_bar_class = SketchModelBar
    no_model_text = NO_MODEL  # while loading, the output names the model (load_model)

    def __init__(self, settings: QSettings, parent: QWidget | None = None,
                 service: SketchService | None = None) -> None:
        super().__init__(settings, parent)
        self.service = service or SketchService(self)
        self.info: SketchModelInfo | None = None
        self.last_render: np.ndarray | None = None
        self.kind, self.palette = self._remembered_kind()
        self._fitted_shape: tuple[int, ...] | None = None
        self._loading = False  # a model is loading: renders would come from the one it replaces
        self._autosave_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_DELAY_MS)
        self._full_render_timer = QTimer(self, singleShot=True, interval=FULL_RENDER_DELAY_MS)
        self._full_render_timer.timeout.connect(self._render)
        self._build()
        self._connect()
        self._add_shortcuts()
        self._restore_settings()
        self._restore_canvas()
        self.model_bar.list_models()

    # ---- layout ---------------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.canvas = SketchCanvas((DEFAULT_SIDE, DEFAULT_SIDE), self.kind, self.palette)
        self.undo_action, self.redo_action = undo_actions(self.canvas.undo_group, self)
        self.toolbar = SketchToolbar(self.undo_action, self.redo_action)
        self.palette_bar = SketchPaletteBar()
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.canvas)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.output = ImageView(NO_MODEL, smooth=True)
        self.variation = VariationControls()
        self.files = SketchFileBar(self)
        output_column = QVBoxLayout()
        output_column.addWidget(self.output, 1)
        output_column.addWidget(self.variation)
        body = QHBoxLayout()
        body.addWidget(self.palette_bar)
        body.addWidget(self.scroll, 1)
        body.addLayout(output_column, 1)
        self.lay_out(self.toolbar, (body, 1), self.files)

    def _connect(self) -> None:
        c, t, s = self.canvas, self.toolbar, self.service
        c.changed.connect(self._on_canvas_changed)
        c.value_picked.connect(self._on_canvas_value_picked)
        c.zoom_changed.connect(t.set_zoom)
        t.tool_chosen.connect(self._on_toolbar_tool_chosen)
        t.brush_size_changed.connect(c.set_brush_size)
        t.zoom_in_requested.connect(c.zoom_in)
        t.zoom_out_requested.connect(c.zoom_out)
        t.fit_requested.connect(self.fit_canvas)
        t.clear_requested.connect(self._on_toolbar_clear_requested)
        self.palette_bar.class_chosen.connect(c.set_value)
        self.variation.seed_changed.connect(lambda _seed: self._render())
        self.connect_model(s.model_loaded)
        s.rendered.connect(self._on_service_rendered)
        s.failed.connect(self._on_service_failed)
        s.job_done.connect(self._on_service_job_done)
        s.job_failed.connect(self._on_service_job_failed)
        self._autosave_timer.timeout.connect(self.autosave)

    def _add_shortcuts(self) -> None:
        self.palette_bar.install_shortcuts(self)
        self.toolbar.install_shortcuts(self)
        add_shortcuts(self, (("V", self.variation.new_variation), ("Ctrl+S", self.files.ask_and_save),
                             ("Ctrl+O", self.files.ask_and_open)))

    # ---- settings and the remembered canvas -----------------------------------------------------------------
    def _remembered_kind(self) -> tuple[str, Palette | None]:
        kind = str(self.settings.value("sketch/kind", "labels"))
        if kind != "labels":
            return "edges", None
        try:
            return kind, Palette.from_dict(json.loads(str(self.settings.value("sketch/palette", ""))))
        except (ValueError, TypeError, AttributeError, StudioError):
            return kind, FLOWER_MATERIALS  # what the shipped label model paints with

    def _restore_settings(self) -> None:
        self._restore_tool()
        zoom = self.settings.value("sketch/zoom")
        self.canvas.set_zoom(float(zoom) if zoom is not None else 2.0)
        self._fitted_shape = self.canvas.array.shape if zoom is not None else None  # None: fit when first shown
        self.variation.set_seed_silently(int(self.settings.value("sketch/seed", 0)))
        self._show_palette()

    def _restore_tool(self) -> None:
        """This kind's tool and brush size: label maps are painted in broad areas and edge maps in thin lines, so
        each kind keeps its own (falling back to the one pair that versions before kept for both)."""
        s, key = self.settings, f"sketch/{self.kind}"
        tool = str(s.value(f"{key}/tool", s.value("sketch/tool", "brush")))
        self._on_toolbar_tool_chosen(tool if tool in self.toolbar.tool_buttons else "brush")
        self.toolbar.set_brush_size(int(s.value(f"{key}/brush_size", s.value("sketch/brush_size", 8))))

    def _save_settings(self) -> None:
        s = self.settings
        s.setValue(f"sketch/{self.kind}/tool", self.canvas.tool)
        s.setValue(f"sketch/{self.kind}/brush_size", self.canvas.brush_size)
        s.setValue("sketch/zoom", self.canvas.zoom)
        s.setValue("sketch/seed", self.variation.seed.value())
        s.setValue("sketch/kind", self.kind)
        s.setValue("sketch/palette", json.dumps(self.palette.to_dict()) if self.palette else "")

    def _restore_canvas(self) -> None:
        restored = self._autosaved_or_blank(DEFAULT_SIDE)
        self.canvas.set_sketch(restored, undoable=False)

    def _autosaved_or_blank(self, side: int) -> np.ndarray:
        """The autosaved canvas of this kind; classes this palette lacks become background (the file keeps them)."""
        array = read_autosave(self.kind)
        if array is None:
            return np.full((side, side), self.canvas.background, np.uint8)
        if self.palette is not None and self.palette.unknown_ids(array):
            array = np.where(array < len(self.palette), array, self.palette.background).astype(np.uint8)
        return array

    def fit_canvas(self) -> None:
        """Zoom so the whole canvas shows beside the render."""
        self.canvas.fit_into(self.scroll.viewport().size())
        self._fitted_shape = self.canvas.array.shape

    def _on_canvas_changed(self) -> None:
        if self.isVisible() and self.canvas.array.shape != self._fitted_shape:
            self.fit_canvas()  # a loaded file or another model's canvas: show all of it
        if self.service.draft_helps(self.canvas.array.shape):
            self._render(draft=True)  # fast, at the model's own size; the full render follows when painting pauses
            self._full_render_timer.start()
        else:
            self._render()
        self._autosave_timer.start()  # restarted by every change: written once the painting pauses

    def autosave(self) -> None:
        """Write the canvas to the per-kind autosave file (atomically) and remember the kind and palette."""
        try:
            save_png(self.canvas.array, autosave_path(self.kind))
        except StudioError as err:
            self.show_status(f"Could not autosave the canvas: {err}", error=True)
        self._save_settings()

    # ---- model choice ---------------------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().showEvent(event)
        if self._fitted_shape != self.canvas.array.shape:
            QTimer.singleShot(0, self.fit_canvas)  # once the layout has given the scroll area its size

    def show_placeholder(self, text: str) -> None:
        self.output.set_placeholder(text)

    def load_model(self, path: str) -> None:
        """The output shows no render until the new model's first: the old one's would pass for the new one's."""
        super().load_model(path)
        self._loading = True
        self._show_no_render(f"Loading {folder_label(path)}…")
        self.show_status("")  # "<old model> is ready" no longer is
        self.variation.timing.clear()

    def _on_service_load_failed(self, message: str) -> None:
        super()._on_service_load_failed(message)
        self._loading = False
        self._render()  # the model still loaded, if any, carries on

    def model_ready(self, info: SketchModelInfo) -> None:
        self._loading = False
        notes = list(info.notes) + self._switch_kind(info.input_kind, info.palette)
        self._fit_blank_canvas(info.native_size)
        h, w = self.canvas.array.shape
        if (h, w) != (info.native_size, info.native_size):
            notes.append(f"The canvas is {w}×{h} and this model renders at {info.native_size}×{info.native_size}: "
                         "the sketch is resized for it.")
        self.show_status(" ".join(notes) or f"{info.title} is ready: paint, and the render follows.")
        self.output.set_placeholder("Rendering…")
        self._render()

    def _on_toolbar_clear_requested(self) -> None:
        """Clear starts a fresh page of the model's own size (undoable), the size its renders look best at."""
        side = self.info.native_size if self.info is not None else None
        canvas = self.canvas
        if side is None or canvas.array.shape == (side, side):
            canvas.clear()
        else:
            canvas.set_sketch(np.full((side, side), canvas.background, np.uint8), "Clear")

    def _fit_blank_canvas(self, side: int) -> None:
        """An empty canvas takes the model's own size; a painted one keeps its size (the session resizes it)."""
        canvas = self.canvas
        if canvas.array.shape != (side, side) and not (canvas.array != canvas.background).any():
            canvas.set_sketch(np.full((side, side), canvas.background, np.uint8), "Fit the model's size",
                              undoable=canvas.undo_stack.count() > 0)

    def _switch_kind(self, kind: str, palette: Palette | None) -> list[str]:
        """Adopt the model's input kind and palette; returns notes for the status line."""
        if kind != self.kind:
            self.autosave()  # this kind's canvas also waits in its own file, for the next session
            self.kind, self.palette = kind, palette
            # the other kind's canvas and undo history as this session left them, else its autosave
            self.canvas.switch_mode(kind, palette, lambda: self._autosaved_or_blank(self.info.native_size))
            self._restore_tool()  # autosave() above kept the other kind's
        elif palette != self.palette:
            self.palette = palette
            self.canvas.set_mode(kind, palette)
        notes = self._drop_unknown_classes()
        self.files.set_kind(kind)
        self._show_palette()
        self._save_settings()
        return notes

    def _drop_unknown_classes(self) -> list[str]:
        unknown = self.palette.unknown_ids(self.canvas.array) if self.palette else []
        if not unknown:
            return []
        array = self.canvas.array
        self.canvas.set_sketch(np.where(array < len(self.palette), array, self.palette.background).astype(np.uint8),
                               "Unknown classes to background")
        return [f"Classes {unknown} are not in this model's palette: they were painted as background (Undo restores)."]

    def _show_palette(self) -> None:
        generic = self.info is not None and self.info.generic_palette
        self.palette_bar.set_palette(self.palette, "Generic palette: the model names no classes." if generic else "")
        self.palette_bar.choose_value(self.canvas.value)

    # ---- rendering, tools and files ---------------------------------------------------------------------------
    def _render(self, draft: bool = False) -> None:
        if self._shut_down or self._loading or self.info is None:
            return
        if self.canvas.is_uniform():
            self._show_no_render(EMPTY_CANVAS)
            return
        self.service.render(self.canvas.array, self.variation.seed.value(), draft)

    def _show_no_render(self, text: str) -> None:
        """An empty output saying why (a model loading, an empty canvas); nothing to export meanwhile."""
        self.last_render = None
        self.output.clear()
        self.output.set_placeholder(text)
        self.files.set_render_available(False)

    def _on_service_rendered(self, image: np.ndarray, ms: float, draft: bool = False) -> None:
        if self._loading or self.canvas.is_uniform():
            return  # the old model's, or an earlier canvas's: the user cleared it since
        self.last_render = image
        self.output.set_image(image)
        self.variation.show_timing(ms, draft)
        self.files.set_render_available(True)

    def _on_toolbar_tool_chosen(self, tool: str) -> None:
        self.canvas.set_tool(tool)
        self.toolbar.set_tool(tool)

    def _on_canvas_value_picked(self, value: int) -> None:
        self.palette_bar.choose_value(value)
        self._on_toolbar_tool_chosen("brush")  # the pipette is a one-shot: paint with what it picked

    def _on_service_job_done(self, name: str, result) -> None:
        if name != f"canvas-{self.kind}":
            self.show_status("The model changed kind while the file was read: open it again.", error=True)
            return
        sketch, notes = result
        self.canvas.set_sketch(sketch, "Load file")
        self.show_status(" ".join(notes))

    def _on_service_failed(self, message: str) -> None:
        self.show_status(message, error=True)

    def _on_service_job_failed(self, _name: str, message: str) -> None:
        self.show_status(message, error=True)

    def before_shutdown(self) -> None:
        """Autosave the canvas and remember the options (the window is closing)."""
        self._autosave_timer.stop()
        self._full_render_timer.stop()
        self.autosave()
