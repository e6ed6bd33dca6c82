"""Live loss curves (one per loss part) and gradient norms, with EMA smoothing and downsampling for long runs.

pyqtgraph is imported shortly after the plot is first shown (or when it gets data), not at import: it takes
0.3–1.5 s on 2 cores, which would otherwise delay the window's first appearance.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from ganstudio.core.training import events as ev
from ganstudio.core.training.history import LossHistory, ema

BUILD_DELAY_MS = 300  # lets the window paint (and start-up finish) before pyqtgraph is imported
MAX_POINTS = 1000  # per curve on screen: about one per pixel of a wide plot; keeps a redraw to a few ms
# Curves arriving faster are drawn together: a redraw costs the GUI thread ~6 ms on a quiet CPU and 15–20 ms while
# training shares the cores (`bench train`: ui_latency_p99_ms 19–21 at ~5 redraws/s, 3.4 with no plot).
MIN_REDRAW_INTERVAL_MS = 500
COLORS = {"d_loss": "#1f77b4", "d_real": "#17becf", "d_fake": "#9467bd", "g_loss": "#ff7f0e",
          "grad_norm_d": "#1f77b4", "grad_norm_g": "#ff7f0e"}
DASHED = {"d_real", "d_fake"}
FALLBACK_COLORS = ("#2ca02c", "#d62728", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22")


def downsample(x: np.ndarray, y: np.ndarray, max_points: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Means over power-of-two buckets (stable as data grows), each drawn at its newest step so the curve ends at
    the current step; NaNs are ignored. Returns (x, y, bucket)."""
    n = len(y)
    bucket = 1 if n <= max_points else 2 ** math.ceil(math.log2(n / max_points))
    if bucket == 1:
        return x, y, 1
    full = n - n % bucket
    xs = x[bucket - 1:full:bucket]
    blocks = y[:full].reshape(-1, bucket)
    finite = np.isfinite(blocks)
    counts = finite.sum(axis=1)
    ys = np.where(counts > 0, np.where(finite, blocks, 0).sum(axis=1) / np.maximum(counts, 1), np.nan)
    if full < n:  # the partial last bucket, so the newest steps are always visible
        xs, ys = np.append(xs, x[-1]), np.append(ys, np.nanmean(y[full:]) if np.isfinite(y[full:]).any() else np.nan)
    return xs, ys, bucket


def _display_order(name: str) -> tuple[int, str]:
    """Known series in a fixed order (D parts, then G), so curve colours and the key never shuffle."""
    return (list(COLORS).index(name) if name in COLORS else len(COLORS), name)


class LossPlot(QWidget):
    smoothing_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None, max_points: int = MAX_POINTS) -> None:
        super().__init__(parent)
        self.history = LossHistory()
        self.max_points = max_points
        self._cache: dict[str, np.ndarray] = {}  # numpy copies of history columns, extended as steps arrive
        self._curves: dict = {}  # name -> pyqtgraph PlotDataItem
        self._graphics = None  # pyqtgraph GraphicsLayoutWidget, built on first show or first data
        self._stale = False  # data arrived while hidden, or sooner than MIN_REDRAW_INTERVAL_MS after a redraw
        self._last_redraw = -math.inf  # time.monotonic() of the last redraw
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.timeout.connect(self._redraw_if_stale)
        self._titles: dict = {}  # axes -> title
        self._keys: dict = {}  # axes -> coloured curve names shown after the title
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addStretch(1)
        self._layout.addLayout(self._smoothing_row())

    def showEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().showEvent(event)
        if self._graphics is None:
            QTimer.singleShot(BUILD_DELAY_MS, self._redraw_if_stale)
        elif self._stale:
            self.redraw()

    def _redraw_if_stale(self) -> None:
        # The delayed build is for a plot on screen: one hidden (or closed, waiting for deleteLater) since is built by
        # its next showEvent, so pyqtgraph's scene is never made for a widget that may be on its way out.
        if self.isVisible() and (self._graphics is None or self._stale):
            self.redraw()

    def _build_graphics(self) -> None:
        import pyqtgraph as pg

        self._graphics = pg.GraphicsLayoutWidget(self)  # Qt-owned from the start, never a parentless Python-owned tree
        self._graphics.setBackground("w")
        self.loss_axes = self._add_axes("Losses", row=0)
        self.norm_axes = self._add_axes("Gradient norms", row=1)
        self.norm_axes.setXLink(self.loss_axes)
        self._graphics.ci.layout.setRowStretchFactor(0, 3)
        self._graphics.ci.layout.setRowStretchFactor(1, 2)
        self._layout.takeAt(0)  # the stretch that held the place
        self._layout.insertWidget(0, self._graphics, 1)

    # ---- data ---------------------------------------------------------------------------------------------------
    def set_history(self, history: LossHistory) -> None:
        """Replace everything shown (e.g. the history of a resumed run)."""
        self.history = history
        self._cache.clear()
        self._refresh()

    def clear(self) -> None:
        self.set_history(LossHistory())

    def append_steps(self, logged: Sequence[ev.StepLogged]) -> None:
        for event in logged:
            if self.history.steps and event.step <= self.history.steps[-1]:
                self.history.truncate(event.step - 1)  # a NaN rollback restarts earlier: never draw a curve backwards
                self._cache.clear()
            self.history.append(event.step, {**event.losses, **event.grad_norms})
        self._refresh(throttled=True)

    def _refresh(self, throttled: bool = False) -> None:
        """Redraw now (what the user did: smoothing, a new history), or for arriving steps at most every
        MIN_REDRAW_INTERVAL_MS."""
        self._stale = True  # drawn when shown: a hidden page costs the GUI thread nothing per step
        if not self.isVisible():
            return
        wait_ms = MIN_REDRAW_INTERVAL_MS - (time.monotonic() - self._last_redraw) * 1000 if throttled else 0
        if wait_ms <= 0:
            self.redraw()
        elif not self._redraw_timer.isActive():
            self._redraw_timer.start(math.ceil(wait_ms))

    # ---- smoothing ----------------------------------------------------------------------------------------------
    @property
    def smoothing(self) -> float:
        return self._slider.value() / 100

    def set_smoothing(self, value: float) -> None:
        self._slider.setValue(round(min(max(value, 0.0), 0.99) * 100))

    def _on_slider_changed(self, value: int) -> None:
        self._smoothing_label.setText(f"{value / 100:.2f}")
        if self._graphics is not None:
            self._refresh()
        self.smoothing_changed.emit(value / 100)

    # ---- drawing ------------------------------------------------------------------------------------------------
    def redraw(self) -> None:
        if self._graphics is None:
            self._build_graphics()
        self._stale = False
        self._last_redraw = time.monotonic()
        steps = self._column("__steps__", self.history.steps)
        for name in sorted(self.history.series, key=_display_order):
            x, y, bucket = downsample(steps, self._column(name, self.history.series[name]), self.max_points)
            # One EMA step over a bucket of k points ≈ k steps over the raw points: keep the visual time constant.
            self._curve(name).setData(x, ema(y, self.smoothing ** bucket) if self.smoothing else y)
        for name in self._curves.keys() - self.history.series.keys():
            self._curves[name].setData([], [])

    def curve_data(self, name: str, displayed: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) as given to the curve (smoothed, downsampled), or as `displayed` (log-transformed, clipped to the
        view as of the last paint), for tests."""
        if self._stale:
            self.redraw()
        curve = self._curves.get(name)
        if curve is None:
            return np.empty(0), np.empty(0)
        x, y = curve.getData() if displayed else curve.getOriginalDataset()
        return (np.empty(0), np.empty(0)) if x is None else (x, y)

    def _column(self, name: str, values: list) -> np.ndarray:
        cached = self._cache.get(name)
        if cached is None or len(cached) > len(values):
            cached = np.asarray(values, dtype=np.float64)
        elif len(cached) < len(values):
            cached = np.concatenate([cached, np.asarray(values[len(cached):], dtype=np.float64)])
        self._cache[name] = cached
        return cached

    def _curve(self, name: str):
        if name not in self._curves:
            import pyqtgraph as pg

            axes = self.norm_axes if name.startswith("grad_norm") else self.loss_axes
            color = COLORS.get(name) or FALLBACK_COLORS[len(self._curves) % len(FALLBACK_COLORS)]
            style = Qt.PenStyle.DashLine if name in DASHED else Qt.PenStyle.SolidLine
            self._curves[name] = axes.plot(pen=pg.mkPen(color, width=1.5, style=style))
            label = name.removeprefix("grad_norm_").upper() if name.startswith("grad_norm") else name
            self._keys[axes].append(f'<span style="color:{color}">{"┅" if name in DASHED else "━"} {label}</span>')
            self._show_title(axes)
        return self._curves[name]

    def _show_title(self, axes) -> None:
        # The key lives in the title, not in a legend box, so it never covers the newest (right-most) points.
        keys = "&nbsp;&nbsp;&nbsp;".join(self._keys[axes])
        axes.setTitle(f'<span style="color:#444">{self._titles[axes]}</span>&nbsp;&nbsp;&nbsp;&nbsp;{keys}', size="9pt")

    def _add_axes(self, title: str, row: int):
        axes = self._graphics.addPlot(row=row, col=0)
        self._titles[axes], self._keys[axes] = title, []
        self._show_title(axes)
        # No grid: replaying translucent grid lines cost more than all the curves together on every redraw.
        if row == 1:
            axes.setLabel("bottom", "step")
        else:
            axes.hideAxis("bottom")  # the step axis is shared (linked x): drawn once, under the lower plot
        axes.setClipToView(True)
        return axes

    def _smoothing_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setContentsMargins(6, 0, 6, 0)
        self._slider = QSlider(Qt.Orientation.Horizontal)
        self._slider.setRange(0, 99)
        self._slider.setToolTip("Exponential moving average of the curves (0 = raw values)")
        self._smoothing_label = QLabel("0.00")
        self._slider.valueChanged.connect(self._on_slider_changed)
        row.addWidget(QLabel("Smoothing"))
        row.addWidget(self._slider, 1)
        row.addWidget(self._smoothing_label)
        # pix2pix's G loss (GAN + 100·L1) sits orders of magnitude above D's: a log axis shows both moving.
        self.log_scale = QCheckBox("Log scale")
        self.log_scale.toggled.connect(self._on_log_scale_toggled)
        row.addWidget(self.log_scale)
        return row

    def _on_log_scale_toggled(self, on: bool) -> None:
        if self._graphics is None:
            self.redraw()
        self.loss_axes.setLogMode(y=on)
