"""The Latent page: pick a generator and move through its latent space with direction sliders, anchors and
interpolation, re-rolls and a history; save/load points, export an interpolation as a GIF. Renders run in the
GeneratorService (latest request wins), so the preview follows a dragged slider without a queue of stale frames."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ganstudio.core.atomic import write_text_atomic
from ganstudio.core.errors import StudioError
from ganstudio.core.latent import (LatentPoint, apply_offsets, path_frames, path_point, points_from_json,
                                   points_to_json, raw_directions)
from ganstudio.ui.pages.model_page import ModelPage
from ganstudio.ui.widgets.latent_anchors import LatentAnchors
from ganstudio.ui.widgets.latent_history import LatentHistory
from ganstudio.ui.widgets.latent_model_bar import LatentModelBar
from ganstudio.ui.widgets.latent_point_controls import LatentPointControls, ask_file
from ganstudio.ui.widgets.latent_preview import LatentPreview
from ganstudio.ui.widgets.latent_sliders import DirectionSliders
from ganstudio.ui.widgets.shortcuts import add_shortcuts
from ganstudio.workers.generator_service import GeneratorService, ModelInfo

PREVIEW_SIZE = 256
GIF_SIZE = 256  # exported frames are upscaled to about this many pixels


class LatentPage(ModelPage):
    model_bar_class = LatentModelBar
    loading_text = "Loading generator…"
    no_model_text = "No generator loaded"

    def __init__(self, settings: QSettings, parent: QWidget | None = None, service: GeneratorService | None = None) -> None:
        super().__init__(settings, parent)
        self.service = service or GeneratorService(self)
        self.info: ModelInfo | None = None
        self._base: np.ndarray | None = None  # the point the sliders offset from (a seed, a path point, a history entry)
        self._seed: int | None = None  # the seed _base came from (None: a path point), kept with history entries
        self._on_path = False
        self.last_request_id = -1
        self.last_shown_id = -1
        self._build()
        self._connect()
        self._add_shortcuts()
        self._restore_settings()
        self.model_bar.list_models()

    # ---- layout ---------------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.preview = LatentPreview(PREVIEW_SIZE)
        self.controls = LatentPointControls()
        self.history = LatentHistory()
        self.sliders = DirectionSliders(rows=8)
        self.anchors = LatentAnchors()
        self.directions_note = QLabel("")  # which directions the sliders move: they change once GANSpace is computed
        self.directions_note.setWordWrap(True)
        body = QHBoxLayout()
        body.addLayout(self._left_column(), 0)
        body.addLayout(self._right_column(), 1)
        self.lay_out((body, 1), status=False)

    def _left_column(self) -> QVBoxLayout:
        column = QVBoxLayout()
        column.addWidget(self.preview)
        column.addWidget(self.controls)
        column.addWidget(self.history, 1)
        return column

    def _right_column(self) -> QVBoxLayout:
        directions = QGroupBox("Directions (GANSpace PCs of early features, PCA of z, raw z dimensions)")
        box = QVBoxLayout(directions)
        box.addWidget(self.directions_note)
        box.addWidget(self.sliders)
        column = QVBoxLayout()
        column.addWidget(directions)
        column.addWidget(self.anchors)
        column.addStretch(1)
        return column

    def _connect(self) -> None:
        s = self.service
        self.connect_model(s.loaded)
        s.directions_ready.connect(self._on_service_directions_ready)
        s.rendered.connect(self._on_service_rendered)
        s.render_failed.connect(lambda _id, message: self.model_bar.show_error(message))
        s.export_progressed.connect(self.anchors.set_export_progress)
        s.exported.connect(self._on_service_exported)
        s.export_failed.connect(self._on_service_export_failed)
        c = self.controls
        c.seed_changed.connect(self._go_to_seed)
        c.class_chosen.connect(self._on_controls_class_chosen)
        c.save_requested.connect(self._on_save_clicked)
        c.load_requested.connect(self._on_load_clicked)
        self.history.point_chosen.connect(self._on_history_point_chosen)
        self.sliders.values_changed.connect(self._render)
        self.sliders.settled.connect(lambda: self._record("sliders"))
        self.anchors.add_requested.connect(self._on_anchors_add_requested)
        self.anchors.position_changed.connect(self._on_anchors_position_changed)
        self.anchors.position_settled.connect(lambda t: self._record(f"path t={t:.2f}"))
        self.anchors.mode_changed.connect(self._on_anchors_mode_changed)
        self.anchors.export_requested.connect(self._on_anchors_export_requested)

    def _add_shortcuts(self) -> None:
        add_shortcuts(self, (("R", self.reroll), ("Ctrl+S", self._on_save_clicked),
                             ("Alt+Left", self.history.go_back), ("Alt+Right", self.history.go_forward)))

    # ---- settings and model choice --------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        self.anchors.restore_options(self.settings)
        self.sliders.restore_choice(self.settings)
        self.controls.set_seed_silently(int(self.settings.value("latent/seed", 0)))

    def show_placeholder(self, text: str) -> None:
        self.preview.show_message(text)

    # ---- service events -------------------------------------------------------------------------------------
    def model_ready(self, info: ModelInfo) -> None:
        self.controls.set_class_names(info.class_names)
        self.sliders.set_directions(raw_directions(info.z_dim))
        self.directions_note.setText("The sliders move raw z dimensions while the GANSpace directions are computed…")
        self.history.clear()
        self.anchors.set_anchors([])
        self._go_to_seed(self.controls.seed.value())

    def _on_service_directions_ready(self, directions: list) -> None:
        """The sliders switch from raw z to principal directions: say so, and keep the point where the sliders had
        moved it (set_directions zeroes them, which would otherwise jump back to the seed without a word)."""
        moved = self.current_z()
        if moved is not None:
            self._base = moved
        self.sliders.set_directions(directions)
        ganspace = any(d.key.startswith("ganspace:") for d in directions)
        self.directions_note.setText(
            "GANSpace directions ready: the sliders now move along principal components (the point is kept)."
            if ganspace else
            "GANSpace does not fit this generator: the sliders move along PCA of z and raw z dimensions.")
        self._render()

    def _on_service_rendered(self, request_id: int, image: np.ndarray) -> None:
        self.last_shown_id = request_id
        self.preview.show_image(image)

    # ---- moving through z -----------------------------------------------------------------------------------
    def label(self) -> int | None:
        return self.controls.class_index() if self.info and self.info.num_classes else None

    def current_z(self) -> np.ndarray | None:
        if self._base is None:
            return None
        return apply_offsets(self._base, self.sliders.selected_directions(), self.sliders.values())

    def current_point(self, note: str = "") -> LatentPoint | None:
        z = self.current_z()
        return None if z is None else LatentPoint(z, self.label(), note, self._seed)

    def _render(self) -> None:
        z = self.current_z()
        if z is not None:
            self.last_request_id = self.service.render(z, self.label())

    def _record(self, note: str) -> None:
        point = self.current_point(self._describe(note))
        if point is not None:
            self.history.record(point)

    def _describe(self, note: str) -> str:
        names = self.info.class_names if self.info else ()
        label = self.label()
        return f"{note} · class {names[label]}" if label is not None and label < len(names) else note

    def _go_to_seed(self, seed: int) -> None:
        if not self.service.has_model:
            return
        self.settings.setValue("latent/seed", seed)
        self._base, self._seed, self._on_path = self.service.sample_z(seed), seed, False
        self.sliders.reset()
        self._render()
        self._record(f"seed {seed}")

    def reroll(self) -> None:
        """A fresh random seed (R)."""
        self.controls.reroll()

    def _on_controls_class_chosen(self, _index: int) -> None:
        self._render()
        self._record("class")

    def _on_history_point_chosen(self, point: LatentPoint) -> None:
        self._base, self._seed, self._on_path = point.z.copy(), point.seed, False
        if point.seed is not None:  # the seed box shows where the point came from; setting it must not re-roll
            self.controls.set_seed_silently(point.seed)
            self.settings.setValue("latent/seed", point.seed)
        self.controls.set_class_index(point.label)
        self.sliders.reset()
        self._render()

    def _on_anchors_add_requested(self) -> None:
        point = self.current_point(self._describe(f"seed {self.controls.seed.value()}" if not self._on_path else "path"))
        if point is not None:
            pixmap = self.preview.current_pixmap()
            self.anchors.add_anchor(point, pixmap.scaled(48, 48) if pixmap else None)

    def _on_anchors_position_changed(self, t: float) -> None:
        anchors = self.anchors.anchors()
        if len(anchors) >= 2:
            self._base = path_point([a.z for a in anchors], t, self.anchors.mode())
            self._seed, self._on_path = None, True
            self._render()

    def _on_anchors_mode_changed(self, _mode: str) -> None:
        if self._on_path:  # only a point on the path moves when the path's shape changes
            self._on_anchors_position_changed(self.anchors.t())

    # ---- files ----------------------------------------------------------------------------------------------
    def _on_save_clicked(self) -> None:
        if self.current_point() is not None:
            path = ask_file(self, self.settings, "Save latent points", "Latent points", ".json", save=True)
            if path:
                self.save_points(path)

    def _on_load_clicked(self) -> None:
        if self.info is not None:
            path = ask_file(self, self.settings, "Load latent points", "Latent points", ".json", save=False)
            if path:
                self.load_points(path)

    def save_points(self, path: str) -> bool:
        """Write the current point and the anchors as JSON (atomically); False (error shown) if it failed."""
        if self.info is None or self.current_point() is None:
            return False
        try:
            write_text_atomic(path, points_to_json(self.current_point(), self.anchors.anchors(), self.info.path))
        except StudioError as err:
            self.model_bar.show_error(str(err))
            return False
        self.controls.show_file_status("Saved point to", path)
        return True

    def load_points(self, path: str) -> bool:
        """Restore a saved current point and its anchors; False (error shown) if the file does not fit."""
        if self.info is None:
            return False
        try:
            current, anchors = points_from_json(Path(path).read_text(encoding="utf-8"), self.info.z_dim)
        except (OSError, UnicodeDecodeError, StudioError) as err:
            self.model_bar.show_error(str(err) if isinstance(err, StudioError) else f"Could not read {path}: {err}")
            return False
        self.anchors.set_anchors(anchors)
        self._on_history_point_chosen(current)
        self._record(f"loaded {Path(path).name}")
        self.controls.show_file_status("Loaded", path)
        return True

    def _on_anchors_export_requested(self) -> None:
        path = ask_file(self, self.settings, "Export interpolation as GIF", "Animated GIF", ".gif", save=True)
        if path:
            self.export_gif(path)

    def export_gif(self, path: str) -> None:
        anchors = self.anchors.anchors()
        frames = path_frames([a.z for a in anchors], self.anchors.frames.value(), self.anchors.mode(),
                             self.anchors.closed.isChecked())
        scale = max(1, GIF_SIZE // self.info.image_size)
        self.anchors.set_exporting(True)
        self.anchors.set_export_progress(0, 1, "Rendering frames")
        self.service.export_gif(path, frames, self.label(), self.anchors.frame_ms.value(), scale)

    def _on_service_exported(self, path: str) -> None:
        self.anchors.set_exporting(False)
        self.controls.show_file_status("Saved GIF to", path)

    def _on_service_export_failed(self, message: str) -> None:
        self.anchors.set_exporting(False)
        self.model_bar.show_error(message)

    def before_shutdown(self) -> None:
        """Remember the options (the window is closing)."""
        self.anchors.save_options(self.settings)
        self.sliders.save_choice(self.settings)
