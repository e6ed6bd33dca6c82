"""One spectrogram row of the clip views: an image placed in seconds × Hz (so it lines up with the waveform above
it), drawn with the perceptual "inferno" colour map on a fixed dB range so two clips compare at a glance."""

from __future__ import annotations

from PySide6.QtCore import QRectF

COLOUR_MAP = "inferno"
EMPTY_SECONDS, EMPTY_NYQUIST = 10.0, 8000.0  # the axes shown before any clip


class SpectrogramPlot:
    """Wraps a pyqtgraph PlotItem (built by ClipViews once pyqtgraph is imported); `pg` is the pyqtgraph module."""

    def __init__(self, plot, pg, title: str) -> None:
        self.plot = plot
        self.display = None
        plot.setTitle(title, size="9pt")
        plot.setMouseEnabled(x=True, y=False)
        plot.setMenuEnabled(False)
        plot.getAxis("left").setLabel(units="Hz")  # y is in Hz; the SI prefix makes the axis read kHz
        plot.hideButtons()
        plot.setLimits(xMin=0.0, yMin=0.0, yMax=EMPTY_NYQUIST)
        plot.setRange(xRange=(0.0, EMPTY_SECONDS), yRange=(0.0, EMPTY_NYQUIST), padding=0.0)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setLookupTable(pg.colormap.get(COLOUR_MAP).getLookupTable(nPts=256))
        plot.addItem(self.image)
        self._empty = pg.TextItem("", color="#90a4ae", anchor=(0.5, 0.5))
        plot.addItem(self._empty, ignoreBounds=True)

    def set_display(self, display, empty_text: str = "") -> None:
        """workers.clip_display.ClipDisplay, or None to clear (showing `empty_text`)."""
        self.display = display
        if display is None:
            self.image.clear()
            self._empty.setText(empty_text)
            (left, right), (bottom, top) = self.plot.viewRange()
            self._empty.setPos((left + right) / 2, (bottom + top) / 2)
            return
        self._empty.setText("")
        self.image.setImage(display.image, autoLevels=False, levels=(0, 255))
        self.image.setRect(QRectF(*display.rect))
        nyquist = display.rate / 2
        self.plot.setLimits(yMin=0.0, yMax=nyquist)
        self.plot.setYRange(0.0, nyquist, padding=0.0)
