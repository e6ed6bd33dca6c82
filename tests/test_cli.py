"""The headless CLI: `ganstudio recipes | train | sample | models`, run in-process through cli.main.

Output lines named in the README are a contract for scripts, so they are asserted literally.
"""

from __future__ import annotations

import re
import signal
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ganstudio import cli


@pytest.fixture
def no_signal_handlers(monkeypatch):
    """`ganstudio train` installs Ctrl+C handlers for a clean stop; they must not outlive the test in pytest."""
    monkeypatch.setattr(signal, "signal", lambda *args: None)


def test_recipes_lists_dcgan_and_cdcgan(capsys):
    assert cli.main(["recipes"]) == 0
    names = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert {"dcgan", "cdcgan"} <= set(names)


def test_train_needs_data_for_a_new_run(tmp_path, capsys):
    assert cli.main(["train", "dcgan", "--steps", "3", "--out", str(tmp_path / "run")]) == 2
    assert "--data is required" in capsys.readouterr().err


def photo_folder_with_a_broken_file(folder: Path) -> Path:
    folder.mkdir()
    rng = np.random.default_rng(3)
    for i in range(10):
        Image.fromarray(rng.integers(0, 255, (20, 20, 3), dtype=np.uint8)).save(folder / f"{i:02d}.png")
    (folder / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 truncated")
    return folder


def test_train_then_sample_then_list_models(tmp_path, isolated_home, capsys, no_signal_handlers):
    data, run_dir = photo_folder_with_a_broken_file(tmp_path / "photos"), isolated_home / "runs" / "tiny-run"
    argv = ["train", "dcgan", "--data", str(data), "--steps", "3", "--out", str(run_dir), "--image-size", "16",
            "--ngf", "8", "--ndf", "8", "--z-dim", "8", "--batch-size", "8", "--no-xla", "--no-tensorboard"]
    assert cli.main(argv) == 0
    out, err = capsys.readouterr()
    assert re.fullmatch(r"steps=3 images_per_s=\d+(\.\d+)?", out.strip().splitlines()[-1])
    assert "skipped broken.jpg: broken.jpg is not a readable image" in err
    assert (run_dir / "model" / "generator.keras").exists() and (run_dir / "samples" / "real.png").exists()

    png = tmp_path / "grid.png"
    assert cli.main(["sample", str(run_dir / "model"), "--n", "4", "--out", str(png), "--seed", "5"]) == 0
    assert "wrote 4 samples" in capsys.readouterr().out
    with Image.open(png) as grid:
        assert grid.format == "PNG" and grid.size == (2 * 16 + 2, 2 * 16 + 2)  # a 2×2 grid, 2 px apart

    assert cli.main(["models"]) == 0
    listed = [line for line in capsys.readouterr().out.splitlines() if line.startswith("tiny-run ")]
    assert len(listed) == 1 and "generator" in listed[0] and "steps=3" in listed[0]


def test_models_runs_with_nothing_trained(capsys):
    assert cli.main(["models"]) == 0
    assert capsys.readouterr().err == ""


def test_eval_fid_ranks_checkpoints_and_export_picks_the_best(tmp_path, capsys, no_signal_handlers):
    run_dir = tmp_path / "run"
    argv = ["train", "dcgan", "--data", "flowers", "--holdout", "0.1", "--steps", "4", "--out", str(run_dir),
            "--ngf", "8", "--ndf", "8", "--z-dim", "8", "--batch-size", "16", "--checkpoint-every", "2",
            "--keep-checkpoints", "1", "--eval-fid", "64", "--no-xla", "--no-tensorboard", "--quiet"]
    assert cli.main(argv) == 0
    fids = {int(m[0]): float(m[1]) for m in re.findall(r"step (\d+): fid = ([\d.]+)", capsys.readouterr().err)}
    assert set(fids) == {2, 4}
    best = min(fids, key=fids.get)
    kept = sorted(int(p.name.split("-")[1]) for p in (run_dir / "checkpoints").glob("ckpt-*"))
    assert kept == sorted({best, 4})  # the last one, plus the best by FID
    assert cli.main(["export", str(run_dir), "--out", str(tmp_path / "best"), "--checkpoint", "best"]) == 0
    assert f"step={best}" in capsys.readouterr().out
