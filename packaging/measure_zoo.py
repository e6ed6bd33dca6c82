"""Measure the loss and architecture zoo on the built-in flower photos: each entry trains for the same CPU-time
budget with the same seed and data, then `ganstudio eval` scores its generator (FID vs the held-out photos).

CPU time, not wall time: runs share the machine with each other and with other work, and a fair budget must not
depend on who else was running. Each run is pinned to one TensorFlow thread, so CPU time is what it really used.

    python packaging/measure_zoo.py --out zoo-runs dcgan-ns dcgan-lsgan      # two runs side by side
    python packaging/measure_zoo.py --out zoo-runs --table                   # the table of what has finished
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

# The shipped flower generator's shape (models/README.md): 64×64, 32 base filters, 4×4 kernels, batch 64.
COMMON = dict(data="flowers", holdout="0.1", image_size="64", ngf="32", ndf="32", kernel="4", batch_size="64",
              seed="0", preview_every="250", checkpoint_every="500", keep_checkpoints="1")
ENTRIES = {
    "dcgan-ns": ("dcgan", "ns"), "dcgan-lsgan": ("dcgan", "lsgan"), "dcgan-wgan-gp": ("dcgan", "wgan-gp"),
    "dcgan-rasgan": ("dcgan", "rasgan"), "dcgan-hinge": ("dcgan", "hinge"),
    **{f"resnet-{loss}": ("resnet", loss) for loss in ("ns", "lsgan", "wgan-gp", "rasgan", "hinge")},
}
TRAIN = """
import sys, time
from ganstudio import cli
from ganstudio.core.training import events as ev
from ganstudio.ml.training import run_builder

budget = float(sys.argv[1])
original = run_builder.make_trainer

def make_trainer(prepared, sinks, control=None):
    started = []

    def stop_at_budget(event):  # CPU seconds of this process since the networks were built and compiled
        if isinstance(event, ev.Started):
            started.append(time.process_time())
        elif isinstance(event, ev.StepLogged) and started and time.process_time() - started[0] >= budget:
            trainer.control.stop()

    trainer = original(prepared, [*sinks, stop_at_budget], control)
    return trainer

run_builder.make_trainer = make_trainer
sys.exit(cli.main(sys.argv[2:]))
"""


CLI = "import sys; from ganstudio.cli import main; sys.exit(main(sys.argv[1:]))"


def train(name: str, out: Path, budget_s: float, steps: int) -> subprocess.Popen:
    recipe, loss = ENTRIES[name]
    flags = [f"--{k.replace('_', '-')}={v}" for k, v in COMMON.items()]
    argv = ["train", recipe, *flags, "--loss", loss, "--flip", "--steps", str(steps), "--quiet",
            "--out", str(out / name)]
    env = {**os.environ, "TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1", "OMP_NUM_THREADS": "1"}
    log = open(out / f"{name}.log", "w")  # noqa: SIM115 - closed when the process ends
    return subprocess.Popen([sys.executable, "-c", TRAIN, str(budget_s), *argv], stdout=log, stderr=log, env=env)


def evaluate(name: str, out: Path, n: int) -> dict:
    done = subprocess.run([sys.executable, "-c", CLI, "eval", str(out / name / "model"), "--data", "flowers",
                           "--holdout", "0.1", "--n", str(n)], capture_output=True, text=True)
    figures = {}
    for line in done.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3:
            figures[parts[0]] = float(parts[1])
    return figures


def run_entries(names: list[str], out: Path, budget_s: float, n: int) -> None:
    started = time.time()
    procs = {name: train(name, out, budget_s, 10**7) for name in names}
    for name, proc in procs.items():
        proc.wait()
        manifest = json.loads((out / name / "model" / "manifest.json").read_text())
        result = {"name": name, "steps": manifest["metrics"]["steps"], "budget_cpu_s": budget_s,
                  "wall_s": round(time.time() - started), **evaluate(name, out, n)}
        (out / f"{name}.json").write_text(json.dumps(result, indent=2))
        print(json.dumps(result), flush=True)


def table(out: Path) -> None:
    print("| entry | steps | FID ↓ |\n|---|---|---|")
    for path in sorted(out.glob("*.json")):
        r = json.loads(path.read_text())
        print(f"| {r['name']} | {r['steps']} | {r.get('fid_vs_heldout', float('nan')):.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("entries", nargs="*", help=f"zoo entries to train side by side: {', '.join(ENTRIES)}")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--budget-cpu-s", type=float, default=1200.0, help="CPU seconds of training per entry")
    parser.add_argument("--n", type=int, default=1000, help="generated images for FID")
    parser.add_argument("--table", action="store_true")
    args = parser.parse_args()
    unknown = [name for name in args.entries if name not in ENTRIES]
    if unknown:
        parser.error(f"unknown entries {unknown}; choose from {', '.join(ENTRIES)}")
    args.out.mkdir(parents=True, exist_ok=True)
    if args.entries:
        run_entries(args.entries, args.out, args.budget_cpu_s, args.n)
    if args.table:
        table(args.out)


if __name__ == "__main__":
    main()
