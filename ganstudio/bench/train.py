"""`ganstudio bench train`: engine throughput headless and with the Train page live, GUI latency while training, and
the engine against a plain Keras loop of the same model, all in one process so the ratios share the machine's noise."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from ganstudio.core import events as ev
from ganstudio.core.datasets import builtin_datasets, load

# The shipped flower generator's shape: 64×64 DCGAN, 32 base filters, 4×4 kernels, batch 64.
BENCH_OVERRIDES = dict(image_size=64, ngf=32, ndf=32, kernel=4, batch_size=64, preview_every=100,
                       checkpoint_every=10**9, flip_augment=True)


class RateProbe:
    """An event sink timing StepLogged flushes; images/s is measured after `warmup` steps (tracing excluded)."""

    def __init__(self, batch_size: int, warmup: int) -> None:
        self.batch_size, self.warmup = batch_size, warmup
        self.marks: list[tuple[float, int]] = []

    def __call__(self, event) -> None:
        if isinstance(event, ev.StepLogged):
            now = time.perf_counter()
            if event.step >= self.warmup and (not self.marks or self.marks[-1][1] != event.step):
                self.marks.append((now, event.step))

    def images_per_s(self) -> float:
        if len(self.marks) < 2:
            return 0.0
        (t0, s0), (t1, s1) = self.marks[0], self.marks[-1]
        return (s1 - s0) * self.batch_size / (t1 - t0)


def bench_config():
    from ganstudio.ml.prepare import prepare

    spec = builtin_datasets()[0]  # flowers 64×64
    return prepare("dcgan", spec, dict(BENCH_OVERRIDES))


def headless_images_per_s(config, data, warmup: int, steps: int) -> float:
    from ganstudio.ml.trainer import Trainer

    probe = RateProbe(config.batch_size, warmup)
    with tempfile.TemporaryDirectory() as tmp:
        Trainer(config, data, Path(tmp) / "run", warmup + steps, [probe]).run()
    return probe.images_per_s()


def run(quick: bool = False):
    from ganstudio.bench.train_app import in_app_figures
    from ganstudio.bench.train_reference import reference_images_per_s

    data, config = bench_config()
    warmup, steps = (5, 25) if quick else (10, 80)
    reference = reference_images_per_s(config, data.images, warmup, steps)
    headless = headless_images_per_s(config, data, warmup, steps)
    in_app, p50, p99 = in_app_figures(config, data, warmup, steps)
    yield "images_per_s_headless", headless, "img/s"
    yield "images_per_s_in_app", in_app, "img/s"
    yield "train_overhead_pct", max(0.0, (headless - in_app) / headless * 100), "%"
    yield "ui_latency_p50_ms", p50, "ms"
    yield "ui_latency_p99_ms", p99, "ms"
    yield "images_per_s_reference", reference, "img/s"
    yield "engine_vs_reference_ratio", headless / reference, "x"
