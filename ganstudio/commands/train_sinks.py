"""The terminal as an event sink: a progress bar with losses, and notices and alarms on their own lines."""

from __future__ import annotations

import sys

from ganstudio.core.training import events as ev
from ganstudio.core.progress import ProgressBar


class TerminalSink:
    def __init__(self, total_steps: int, batch_size: int, quiet: bool = False) -> None:
        self.batch_size = batch_size
        self.bar = ProgressBar(total_steps)
        self.quiet = quiet
        self._rates: list[float] = []

    def mean_rate(self) -> float:
        rates = self._rates[1:] or self._rates  # the first interval includes tracing; leave it out when we can
        return sum(rates) / len(rates) if rates else 0.0

    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, ev.StepLogged):
            images_per_s = event.steps_per_s * self.batch_size
            if not self._rates or self._rates[-1] != images_per_s:
                self._rates.append(images_per_s)
            if not self.quiet:
                losses = " ".join(f"{k}={v:.3f}" for k, v in event.losses.items() if k in ("d_loss", "g_loss"))
                self.bar.update(event.step, event.steps_per_s, losses)
        elif isinstance(event, ev.Started):
            print(f"{'resuming at step ' + str(event.step) if event.resumed else 'starting'} on {event.device}", file=sys.stderr)
        elif isinstance(event, ev.Notice):
            self._line(f"note: {event.message}")
        elif isinstance(event, ev.AlarmRaised):
            self._line(f"alarm: {event.kind} at step {event.step}: {event.message} — {event.remedy}")
        elif isinstance(event, ev.MetricComputed):
            self._line(f"step {event.step}: {event.name} = {event.value:.3f}")
        elif isinstance(event, ev.Finished):
            if not self.quiet:
                self.bar.close()
            where = f"model saved to {event.model_dir}" if event.model_dir else "the chief's run folder holds the model"
            print(f"{event.reason} at step {event.step}; {where}", file=sys.stderr)
        elif isinstance(event, ev.Failed):
            self._line(f"failed at step {event.step}")

    def _line(self, text: str) -> None:
        if not self.quiet:
            sys.stderr.write("\n")
        print(text, file=sys.stderr)
