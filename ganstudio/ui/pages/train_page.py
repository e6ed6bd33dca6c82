"""The Train page: pick a recipe and a data set, train live (losses, gradient norms, fixed-z samples), resume runs.

Training runs on the worker's thread; this page only posts requests and draws what the throttled signals bring.
Scripts and benchmarks drive it with `start_run(...)` / `resume_run(...)` and listen to `run_finished`; the Start
button goes through `start_checked()`, which first checks a paired recipe's data set.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QLabel, QMenu, QScrollArea, QSizePolicy, QSplitter, QVBoxLayout, QWidget

from ganstudio.core.errors import StudioError
from ganstudio.paths import runs_dir
from ganstudio.ui.widgets.alarm_notice import AlarmNotice, title_of
from ganstudio.ui.widgets.data_check_gate import DataCheckGate, ask_train_anyway
from ganstudio.ui.widgets.fit_width import shrinkable
from ganstudio.ui.widgets.loss_plot import LossPlot
from ganstudio.ui.widgets.run_stats import RunLog, RunStats
from ganstudio.ui.widgets.run_controls import RunControls
from ganstudio.ui.widgets.train_form import TrainForm
from ganstudio.ui.widgets.training_previews import TrainingPreviews, group
from ganstudio.workers import catalog
from ganstudio.workers.training_worker import TrainingWorker, TrainJob

RECENT_RUNS = 12


class TrainPage(QWidget):
    run_started = Signal(str)  # the run folder
    run_finished = Signal(object)  # core.events.Finished (step, reason, model_dir)
    run_failed = Signal(str)  # the error text, also shown inline

    def __init__(self, settings: QSettings, parent: QWidget | None = None, *, worker: TrainingWorker | None = None,
                 ask_folder=None, ask_run=None, check_data=None, confirm_data=None, audio=None) -> None:
        """`audio`: the AudioService that plays speech previews (the Denoise page's, in the app); made on first use
        when not given."""
        super().__init__(parent)
        self.settings = settings
        self.worker = worker or TrainingWorker(self)
        self.extra_overrides: dict = {}  # merged into every new run's config (tests, benchmarks: tiny models)
        self.tensorboard = True  # write TensorBoard event files into each run folder
        self.state = "idle"
        self._batch_size = 0
        self._ask_run = ask_run or self._ask_run_dialog
        self.form = TrainForm(catalog.recipe_choices(), catalog.dataset_choices(), catalog.dataset_defaults,
                              ask_folder or self._ask_folder_dialog, hyperparameters=catalog.hyperparameter_choices(),
                              losses=catalog.loss_choices(), paired_layout=catalog.paired_layout_kind,
                              data_kinds=catalog.data_kinds)
        self.data_check = DataCheckGate(check_data or catalog.check_paired_data,
                                        confirm_data or (lambda report: ask_train_anyway(self, report)), self)
        self.stats, self.loss_plot = RunStats(), LossPlot()
        self._own_audio = None
        self.previews = TrainingPreviews(lambda: self._audio_service(audio))
        self.controls = RunControls()
        self.buttons = self.controls.buttons
        self.resume_menu = QMenu(self)
        self.resume_menu.aboutToShow.connect(self._on_resume_menu_about_to_show)
        self.buttons["resume_run"].setMenu(self.resume_menu)  # pressing it lists recent runs
        self._log, self._error = RunLog(), QLabel()
        self.alarm = AlarmNotice()  # the newest failure alarm (D wins, mode collapse, …) with its remedy
        self._lay_out()
        self._connect()
        self._restore_settings()
        self._set_state("idle")

    # ---- public API (buttons, scripts, benchmarks) --------------------------------------------------------------
    def start_run(self, recipe: str | None = None, dataset=None, overrides: dict | None = None,
                  steps: int | None = None, run_dir: str | Path | None = None, paused: bool = False) -> Path | None:
        """Start a new run; unset arguments come from the form. `dataset`: DatasetSpec, alias or folder path.

        Returns the run folder (runs_dir()/<recipe>-<dataset>-<time> by default), or None if a run is in progress.
        """
        recipe = recipe or self.form.recipe()
        dataset = dataset or self.form.dataset()
        config = {**self.form.overrides(), **self.extra_overrides, **(overrides or {})}
        slug = Path(str(getattr(dataset, "path", dataset))).name
        folder = Path(run_dir) if run_dir else catalog.new_run_dir(recipe, slug)
        self._save_settings()
        job = TrainJob(recipe, dataset, folder, steps or self.form.steps.value(), config, tensorboard=self.tensorboard)
        return folder if self._begin(job, paused) else None

    def start_checked(self) -> None:
        """Start from the form (the Start button); a paired recipe's data set is checked first, off the GUI thread."""
        if not self.form.has_dataset():
            self._show_error("Choose a data set first: " + self.form.pairs_note.text())
            return
        if not self.form.is_paired():
            self.start_run()
            return
        self._error.hide()
        self._set_state("checking")
        dataset = self.form.dataset()
        self.data_check.check(str(getattr(dataset, "path", dataset)))

    def resume_run(self, run_dir: str | Path, steps: int | None = None) -> bool:
        """Continue a run folder where its latest checkpoint left off; the loaded loss history is plotted first."""
        try:
            summary = catalog.describe_run(run_dir)
        except StudioError as err:
            self._show_error(str(err))
            return False
        steps = steps or max(self.form.steps.value(), summary.step + 1000)
        self.form.show_config(summary.config, steps)
        job = TrainJob(summary.recipe, None, Path(run_dir), steps, tensorboard=self.tensorboard, resume=True)
        return self._begin(job)

    def shutdown(self, timeout: float = 60.0) -> bool:
        """Stop training (the engine checkpoints and exports first) and join the thread; True when it ended."""
        self._save_settings()
        self.data_check.shutdown(min(timeout, 10.0))
        self.previews.clip_player.stop()
        if self._own_audio is not None:
            self._own_audio.shutdown()
        return self.worker.shutdown(timeout)

    # ---- layout -------------------------------------------------------------------------------------------------
    def _lay_out(self) -> None:
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.addWidget(self._left_panel())
        self.right_splitter = QSplitter(Qt.Orientation.Vertical)
        self.right_splitter.addWidget(self.loss_plot)
        self.right_splitter.addWidget(self.previews)
        self.right_splitter.setSizes([420, 320])
        self.main_splitter.addWidget(self.right_splitter)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setSizes([320, 880])
        page = QVBoxLayout(self)
        page.addWidget(self.alarm)  # a banner above everything: the left panel may be scrolled away from it
        page.addWidget(self.main_splitter, 1)

    def _left_panel(self) -> QScrollArea:
        panel = QWidget()
        column = QVBoxLayout(panel)
        column.addWidget(group("Run", self.form))
        column.addWidget(self.controls)
        self._error.setWordWrap(True)
        self._error.setStyleSheet("color: #b00020;")
        self._error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._error.hide()
        column.addWidget(self._error)
        column.addWidget(group("Progress", self.stats))
        column.addWidget(group("Log", self._log), 1)
        # Text that grows during a run wraps instead of widening the panel, and the panel is never wider than the
        # scroll area (Ignored): with the scroll bar merely hidden, a wider panel cut the buttons off and a focus
        # change scrolled it sideways.
        shrinkable(self._error, self.controls.status, self.form.pairs_note, *self.stats.value_labels())
        panel.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        scroll = QScrollArea()
        scroll.setWidget(panel)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(panel.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width()
                               + 2 * scroll.frameWidth())
        return scroll

    def _connect(self) -> None:
        events = self.worker.events
        for name, button in self.buttons.items():
            button.clicked.connect(getattr(self, f"_on_{name}_clicked"))
        for name in ("prepared", "history_loaded", "started", "steps_logged", "preview_ready", "notice_posted",
                     "learning_rates_changed", "alarm_raised", "checkpoint_saved", "metric_computed", "finished",
                     "failed"):
            getattr(events, name).connect(getattr(self, f"_on_worker_{name}"))
        self.previews.follow(events)  # saved grids and every grid's step, for its step slider
        self.form.learning_rates_changed.connect(self._on_form_learning_rates_changed)
        self.form.recipe_box.currentIndexChanged.connect(self._on_form_recipe_changed)
        self.data_check.noted.connect(self._log.add)
        self.data_check.passed.connect(self._on_data_check_passed)
        self.data_check.refused.connect(self._on_data_check_refused)

    # ---- button slots -------------------------------------------------------------------------------------------
    def _on_start_clicked(self) -> None:
        self.start_checked()

    def _on_resume_run_clicked(self) -> None:
        folder = self._ask_run()
        if folder:
            self.resume_run(folder)

    def _on_resume_menu_about_to_show(self) -> None:
        """Recent runs under runs_dir() (newest first), then a folder dialog for runs kept elsewhere."""
        menu = self.resume_menu
        menu.clear()
        for run in catalog.list_runs()[:RECENT_RUNS]:
            action = menu.addAction(f"{run.name}  ·  {run.recipe}, step {run.step:,}")
            action.triggered.connect(lambda _=False, path=run.path: self.resume_run(path))
        if not menu.isEmpty():
            menu.addSeparator()
        menu.addAction("Open run folder…").triggered.connect(self._on_resume_run_clicked)

    def _on_pause_clicked(self) -> None:
        self.worker.pause()
        self._set_state("paused")

    def _on_resume_clicked(self) -> None:
        self.worker.resume()
        self._set_state("running")

    def _on_step_clicked(self) -> None:
        self.worker.step_once()

    def _on_stop_clicked(self) -> None:
        if self.state == "checking":
            self.data_check.cancel()
            self._set_state("idle")
            self._log.add("Data set check cancelled")
            return
        self.worker.stop()
        self._set_state("stopping")
        self._log.add("Stopping: saving a checkpoint and the model…")

    def _on_form_learning_rates_changed(self, lrs: dict) -> None:
        if self.state in ("running", "paused"):
            self.worker.set_learning_rates(**lrs)

    def _on_data_check_passed(self, report) -> None:
        self._set_state("idle")
        self.start_run()

    def _on_data_check_refused(self, error: str) -> None:
        self._set_state("idle")
        if error:
            self._show_error(error)

    # ---- worker slots -------------------------------------------------------------------------------------------
    def _on_worker_prepared(self, prepared) -> None:
        c = prepared.config
        self._batch_size = c["batch_size"]
        self.form.show_config(c, self.stats.total_steps)  # what really runs (stored config on resume, overrides)
        if c.get("dataset_kind") == "speech":
            self._log.add(f"{prepared.items:,} clean recordings from {c['dataset_name']}, trained in windows of "
                          f"{c['window']:,} samples ({c['window'] / 16000:.2f} s at 16 kHz)")
        else:
            self._log.add(f"{prepared.items:,} images at {c['image_size']} px from {c['dataset_name']}")

    def _on_worker_history_loaded(self, loaded) -> None:
        self.loss_plot.set_history(loaded.history)
        self.controls.show_step(loaded.step)  # a run resumed paused stands at its checkpoint's step, not 0

    def _on_worker_started(self, started) -> None:
        self.stats.set_device(started.device)
        self.stats.set_run(started.step, started.total_steps, self._batch_size)
        self.controls.show_step(started.step)
        verb = f"Resumed at step {started.step:,}" if started.resumed else "Started"
        self._log.add(f"{verb} on {started.device}")

    def _on_worker_steps_logged(self, logged: list) -> None:
        self.loss_plot.append_steps(logged)
        self.stats.update_from(logged[-1])
        self.controls.show_step(logged[-1].step)  # steps that finish after Pause, and each Step once

    def _on_worker_preview_ready(self, preview) -> None:
        self.previews.show_preview(preview)

    def _on_worker_notice_posted(self, message: str) -> None:
        self._log.add(message)

    def _on_worker_learning_rates_changed(self, changed) -> None:
        """The form shows what the run uses, so a later edit of one rate cannot put back another's old value."""
        self.form.show_learning_rates(changed.lrs)
        self.stats.show_learning_rates(changed.lrs)
        self._log.add(f"Learning rates: {changed.reason}")

    def _on_worker_alarm_raised(self, alarm) -> None:
        self.alarm.show_alarm(alarm)
        self._log.add(f"Alarm at step {alarm.step:,}: {title_of(alarm)}. {alarm.message}")

    def _on_worker_checkpoint_saved(self, saved) -> None:
        self._log.add(f"Checkpoint saved at step {saved.step:,}")

    def _on_worker_metric_computed(self, metric) -> None:
        self._log.add(f"Step {metric.step:,}: {metric.name} = {metric.value:.4g}")

    def _on_worker_finished(self, finished) -> None:
        self._set_state("idle")
        self._log.add(f"{finished.reason.capitalize()} at step {finished.step:,}; model saved to {finished.model_dir}")
        self.run_finished.emit(finished)

    def _on_worker_failed(self, error: str) -> None:
        self._set_state("idle")
        self._show_error(error)
        self._log.add(f"Failed: {error.splitlines()[0] if error else 'unknown error'}")
        self.run_failed.emit(error)

    # ---- helpers ------------------------------------------------------------------------------------------------
    def _begin(self, job: TrainJob, paused: bool = False) -> bool:
        try:
            self.worker.start(job, paused)
        except RuntimeError as err:
            self._show_error(str(err))
            return False
        self._error.hide()
        self.alarm.clear()
        self.loss_plot.clear()
        self.previews.frame(self.form.preview_title(job.recipe))
        self.stats.reset(job.total_steps)
        self._log.add(f"{'Resuming' if job.resume else 'New run'} in {job.run_dir.name}: loading data…")
        self._set_state("paused" if paused else "running")
        self.run_started.emit(str(job.run_dir))
        return True

    def _audio_service(self, given):
        if given is not None:
            return given
        from ganstudio.workers.audio_service import AudioService

        self._own_audio = AudioService(self)
        return self._own_audio

    def _on_form_recipe_changed(self) -> None:
        if self.state == "idle":  # a run's previews keep their frame until the next run starts
            self.previews.frame(self.form.preview_title(self.form.recipe()))

    def _set_state(self, state: str) -> None:
        self.state = state
        self.controls.set_state(state, self.stats.step)
        self.form.set_running(state != "idle")

    def _show_error(self, text: str) -> None:
        self._error.setText(text)
        self._error.setToolTip(text)  # whole, should a long word be cut at the panel's edge
        self._error.show()

    def _ask_folder_dialog(self) -> str | None:
        title = "Choose a data set folder (images, IDX files, or pix2pix / pix2pixHD pairs)"
        return QFileDialog.getExistingDirectory(self, title, str(Path.home())) or None

    def _ask_run_dialog(self) -> str | None:
        return QFileDialog.getExistingDirectory(self, "Open a training run folder", str(runs_dir())) or None

    def _save_settings(self) -> None:
        self.form.save_settings(self.settings)
        self.settings.setValue("train_ui/smoothing", self.loss_plot.smoothing)
        for name in ("main_splitter", "right_splitter"):
            self.settings.setValue(f"train_ui/{name}", getattr(self, name).saveState())

    def _restore_settings(self) -> None:
        self.form.load_settings(self.settings)
        self.loss_plot.set_smoothing(float(self.settings.value("train_ui/smoothing", 0.6)))
        for name in ("main_splitter", "right_splitter"):
            state = self.settings.value(f"train_ui/{name}")
            if state is not None:
                getattr(self, name).restoreState(state)

