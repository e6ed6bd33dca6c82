"""What the pages that run one model share (Sketch, Latent, Denoise, Prompt): the model bar on top, a status line at
the bottom, loading a model through the page's ModelService when the page is first shown (the newest choice wins),
and load failures named on the model bar while the model still loaded keeps working. A page says which bar it shows,
builds what lies between, and fills in what a loaded model changes."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel, QLayout, QVBoxLayout, QWidget

from ganstudio.ui.widgets.model_bar import ModelBar

ERROR_STYLE = "color: #b00020;"


class ModelPage(QWidget):
    model_bar_class: type[ModelBar]  # each page's own bar (its kind of model and its wording)
    loading_text = ""  # shown in the page's output (show_placeholder) while its first model loads
    no_model_text = ""  # shown there when no model could be loaded

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        """The page then sets self.service (a workers.model_service.ModelService) and calls connect_model()."""
        super().__init__(parent)
        self.settings = settings
        self.service = None
        self.info = None  # the service's description of the loaded model
        self._shut_down = False
        self.model_bar = self.model_bar_class(settings)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def lay_out(self, *parts: QWidget | QLayout | tuple[QWidget | QLayout, int], status: bool = True) -> QVBoxLayout:
        """The page's column: the model bar, the parts ((part, stretch) to stretch one), then the status line."""
        layout = QVBoxLayout(self)
        layout.addWidget(self.model_bar)
        for part in parts:
            part, stretch = part if isinstance(part, tuple) else (part, 0)
            if isinstance(part, QLayout):
                layout.addLayout(part, stretch)
            else:
                layout.addWidget(part, stretch)
        if status:
            layout.addWidget(self.status)
        else:
            self.status.hide()  # the page says things in its own widgets
        return layout

    def connect_model(self, loaded) -> None:
        """Wire the bar's choice to load_model() and the service's `loaded` signal and load failures to the page."""
        self.model_bar.model_chosen.connect(self.load_model)
        loaded.connect(self._on_service_model_loaded)
        self.service.load_failed.connect(self._on_service_load_failed)

    def show_status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(ERROR_STYLE if error else "")

    def show_placeholder(self, text: str) -> None:
        """Say `text` where the model's output goes (pages with an output view override this)."""

    # ---- the model --------------------------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().showEvent(event)
        self.model_bar.autoload_once(self.load_model, self.needs_a_model)

    def needs_a_model(self) -> bool:
        return self.info is None and not self.service.has_model and not self._shut_down

    def load_model(self, path: str) -> None:
        self.model_bar.show_loading(path)
        if self.info is None and self.loading_text:
            self.show_placeholder(self.loading_text)
        self.service.load(path)

    def _on_service_model_loaded(self, info) -> None:
        self.info = info
        self.model_bar.show_loaded(info)
        self.model_ready(info)

    def model_ready(self, info) -> None:
        """A model loaded (self.info is set and the bar describes it): adopt it."""

    def _on_service_load_failed(self, message: str) -> None:
        self.model_bar.show_load_failed(message, self.info.path if self.info else "")
        if self.info is None and self.no_model_text:
            self.show_placeholder(self.no_model_text)

    # ---- closing ----------------------------------------------------------------------------------------------
    @property
    def is_shut_down(self) -> bool:
        return self._shut_down

    def shutdown(self) -> None:
        """Once: the page's own saving (before_shutdown), then stop the service's threads (the main window's close)."""
        if self._shut_down:
            return
        self._shut_down = True
        self.before_shutdown()
        self.service.shutdown()

    def before_shutdown(self) -> None:
        """Stop timers, save options (the service still runs)."""
