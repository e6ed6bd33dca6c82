"""The Denoise page's clip views: original and denoised waveforms, each above its spectrogram, on one linked time
axis, with a playhead and a loop selection shared by all rows. Long clips arrive as min/max envelopes (computed by
the worker), so drawing stays fast. pyqtgraph is imported when the views are first shown or get data, not at
import, so it never slows the window's first appearance."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ganstudio.ui.widgets.audio_spectrogram import SpectrogramPlot

BUILD_DELAY_MS = 300
ROWS = (("a", "wave", "Original"), ("a", "spec", "Original — spectrogram"),
        ("b", "wave", "Denoised"), ("b", "spec", "Denoised — spectrogram"))
STRETCH = {"wave": 2, "spec": 3}
COLOURS = {"a": "#1565c0", "b": "#2e7d32"}
EMPTY = {"a": "Record or open a clip (Ctrl+O).", "b": "Press Denoise to see the result here."}
MIN_Y = 0.05  # the waveform's y range follows the original's peak, but never zooms into the noise floor
EMPTY_SECONDS = 10.0  # the time axis shown before any clip


class WaveformPlot:
    """Wraps a pyqtgraph PlotItem; `pg` is the pyqtgraph module."""

    def __init__(self, plot, pg, title: str, colour: str) -> None:
        self.plot = plot
        self.display = None
        plot.setTitle(title, size="9pt")
        plot.setMouseEnabled(x=True, y=False)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setLimits(xMin=0.0)
        plot.setRange(xRange=(0.0, EMPTY_SECONDS), yRange=(-1.0, 1.0), padding=0.0)
        self.curve = plot.plot(pen=pg.mkPen(colour, width=1))
        self._empty = pg.TextItem("", color="#90a4ae", anchor=(0.5, 0.5))
        plot.addItem(self._empty, ignoreBounds=True)

    def set_display(self, display, empty_text: str = "") -> None:
        self.display = display
        if display is None:
            self.curve.setData([], [])
            self._empty.setText(empty_text)
            self._empty.setPos(sum(self.plot.viewRange()[0]) / 2, 0.0)
            return
        self._empty.setText("")
        self.curve.setData(display.times, display.values)


class ClipViews(QWidget):
    selection_changed = Signal(float, float)  # loop start, end in seconds
    seek_requested = Signal(float)  # a click on a view: seconds

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._graphics = None
        self._rows: dict[tuple[str, str], object] = {}
        self._regions: list = []
        self._playheads: list = []
        self._displays: dict[str, object] = {"a": None, "b": None}
        self._selection: tuple[float, float] | None = None
        self._selection_visible = False
        self._playhead = 0.0
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.setMinimumHeight(320)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().showEvent(event)
        if self._graphics is None:
            QTimer.singleShot(BUILD_DELAY_MS, self, self._ensure_built)

    @property
    def built(self) -> bool:
        return self._graphics is not None

    def _ensure_built(self) -> None:
        if self._graphics is not None:
            return
        import pyqtgraph as pg

        self._graphics = pg.GraphicsLayoutWidget()
        self._graphics.setBackground("w")
        first = None
        for row, (clip, kind, title) in enumerate(ROWS):
            plot = self._graphics.addPlot(row=row, col=0)
            plot.getAxis("left").setWidth(48)  # equal widths keep the rows' time axes aligned
            view = (WaveformPlot(plot, pg, title, COLOURS[clip]) if kind == "wave" else
                    SpectrogramPlot(plot, pg, title))
            self._rows[(clip, kind)] = view
            self._graphics.ci.layout.setRowStretchFactor(row, STRETCH[kind])
            if first is None:
                first = plot
            else:
                plot.setXLink(first)
            self._add_markers(plot, pg)
        plot.setLabel("bottom", units="s")  # the shared time axis, named once under the last row
        self._graphics.scene().sigMouseClicked.connect(self._on_scene_clicked)
        self._layout.addWidget(self._graphics)
        for clip in ("a", "b"):
            self._draw(clip)
        self._apply_selection()

    def _add_markers(self, plot, pg) -> None:
        region = pg.LinearRegionItem(values=(0.0, 1.0), brush=pg.mkBrush(255, 193, 7, 60),
                                     pen=pg.mkPen("#ff8f00", width=1))
        region.setZValue(10)
        region.setVisible(False)
        region.sigRegionChanged.connect(self._on_region_changed)
        plot.addItem(region, ignoreBounds=True)
        self._regions.append(region)
        playhead = pg.InfiniteLine(pos=self._playhead, angle=90, movable=False, pen=pg.mkPen("#e53935", width=1))
        playhead.setZValue(20)
        plot.addItem(playhead, ignoreBounds=True)
        self._playheads.append(playhead)

    # ---- data ---------------------------------------------------------------------------------------------------
    def set_clip(self, clip: str, display) -> None:
        """Show a ClipDisplay as clip "a" (original) or "b" (denoised); None clears that clip's rows."""
        self._displays[clip] = display
        self._ensure_built()
        self._draw(clip)

    def display(self, clip: str):
        return self._displays[clip]

    def row(self, clip: str, kind: str):
        """The WaveformPlot ("wave") or SpectrogramPlot ("spec") of a clip (built on demand)."""
        self._ensure_built()
        return self._rows[(clip, kind)]

    def _draw(self, clip: str) -> None:
        display = self._displays[clip]
        self._rows[(clip, "wave")].set_display(display, EMPTY[clip])
        self._rows[(clip, "spec")].set_display(display, EMPTY[clip])
        if clip == "a" and display is not None:
            self._fit(display)

    def _fit(self, display) -> None:
        """Whole clip in view; waveform rows share the original's level so A and B compare by eye."""
        peak = max(MIN_Y, float(abs(display.values).max()) if len(display.values) else MIN_Y)
        for clip in ("a", "b"):
            plot = self._rows[(clip, "wave")].plot
            plot.setLimits(xMin=0.0, xMax=max(display.duration, 1e-3))
            plot.setYRange(-peak * 1.05, peak * 1.05, padding=0.0)
        for (_, kind), view in self._rows.items():
            if kind == "spec":
                view.plot.setLimits(xMin=0.0, xMax=max(display.duration, 1e-3))
        self._rows[("a", "wave")].plot.setXRange(0.0, max(display.duration, 1e-3), padding=0.0)

    # ---- selection and playhead ---------------------------------------------------------------------------------
    def show_selection(self, visible: bool) -> tuple[float, float]:
        """Show (or hide) the loop region; a first one covers the middle third of what is in view."""
        self._selection_visible = visible
        if self._selection is None:
            start, end = self._view_range()
            self._selection = (start + (end - start) / 3, start + 2 * (end - start) / 3)
        self._apply_selection()
        return self._selection

    def selection(self) -> tuple[float, float] | None:
        return self._selection if self._selection_visible else None

    def set_selection(self, start: float, end: float) -> None:
        self._selection = (min(start, end), max(start, end))
        self._apply_selection()
        self.selection_changed.emit(*self._selection)

    def _view_range(self) -> tuple[float, float]:
        display = self._displays["a"]
        if self._graphics is None:
            return 0.0, display.duration if display is not None else 1.0
        return tuple(self._rows[("a", "wave")].plot.viewRange()[0])

    def _apply_selection(self) -> None:
        for region in self._regions:
            region.blockSignals(True)
            if self._selection is not None:
                region.setRegion(self._selection)
            region.setVisible(self._selection_visible)
            region.blockSignals(False)

    def _on_region_changed(self, region) -> None:
        self._selection = tuple(float(v) for v in region.getRegion())
        self._apply_selection()
        self.selection_changed.emit(*self._selection)

    def set_playhead(self, seconds: float) -> None:
        self._playhead = float(seconds)
        for line in self._playheads:
            line.setValue(self._playhead)

    def _on_scene_clicked(self, event) -> None:
        for (_clip, _kind), view in self._rows.items():
            box = view.plot.getViewBox()
            if box.sceneBoundingRect().contains(event.scenePos()):
                self.seek_requested.emit(max(0.0, float(box.mapSceneToView(event.scenePos()).x())))
                return
