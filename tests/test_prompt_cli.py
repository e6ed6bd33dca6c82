"""`ganstudio prompt`: a grid PNG of N images for a prompt (and each alone with --tiles), an animated GIF of an
interpolation between two prompts; odd text still makes flowers with notes on stderr; bad arguments are clear
errors that write nothing. Also `ganstudio bench prompt`'s contract lines, run small (no timing asserted)."""

from __future__ import annotations

import os

import numpy as np
import pytest
from PIL import Image

from ganstudio import cli
from ganstudio.core.grid import tile

S = 16  # the tiny model's image side


def grid_size(n: int) -> tuple[int, int]:
    """(width, height) of tile()'s grid of n S×S images."""
    h, w, _ = tile(np.zeros((n, S, S, 3), np.uint8)).shape
    return w, h


def test_a_prompt_writes_a_grid_of_n_images(tiny_prompt_model, tmp_path, capsys):
    out = tmp_path / "roses.png"
    assert cli.main(["prompt", "a red rose", "--model", str(tiny_prompt_model), "--n", "5", "--out", str(out)]) == 0
    assert Image.open(out).size == grid_size(5)
    assert 'wrote 5 images for "a red rose"' in capsys.readouterr().out
    assert not list(tmp_path.glob("roses-*.png")) and not list(tmp_path.glob(".*"))  # no tiles, no temp leftovers


def test_the_same_seed_gives_the_same_grid_and_tiles_are_its_images(tiny_prompt_model, tmp_path):
    args = ["prompt", "a white daisy", "--model", str(tiny_prompt_model), "--n", "3", "--seed", "7"]
    assert cli.main([*args, "--out", str(tmp_path / "a.png"), "--tiles"]) == 0
    assert cli.main([*args, "--out", str(tmp_path / "b.png")]) == 0
    grid = np.asarray(Image.open(tmp_path / "a.png"))
    np.testing.assert_array_equal(grid, np.asarray(Image.open(tmp_path / "b.png")))
    tiles = [np.asarray(Image.open(tmp_path / f"a-{i}.png")) for i in range(3)]
    assert all(t.shape == (S, S, 3) for t in tiles) and not (tmp_path / "a-3.png").exists()
    np.testing.assert_array_equal(tile(np.stack(tiles)), grid)


def gif_frames(path) -> list[np.ndarray]:
    gif = Image.open(path)
    frames = []
    for i in range(gif.n_frames):
        gif.seek(i)
        frames.append(np.asarray(gif.convert("RGB")))
    return frames


def test_interpolation_writes_a_gif_with_one_grid_per_frame(tiny_prompt_model, tmp_path, capsys, monkeypatch):
    """Each frame is the grid of the N images at that mix: the sweep PromptSession.interpolate makes (replaced here
    by one whose frames surely differ: two steps of training barely let the toy model's text change its images)."""
    from ganstudio.ml.inference.prompt import PromptSession

    asked = []

    def sweep(self, a, b, frames, z):
        asked.append((a, b, frames, len(z)))
        levels = np.linspace(0, 255, frames).astype(np.uint8)
        return np.broadcast_to(levels[:, None, None, None, None], (frames, len(z), S, S, 3)).copy()

    monkeypatch.setattr(PromptSession, "interpolate", sweep)
    out = tmp_path / "sweep.gif"
    assert cli.main(["prompt", "a red rose", "--interpolate", "a yellow daisy", "--frames", "5", "--n", "4",
                     "--model", str(tiny_prompt_model), "--out", str(out), "--frame-ms", "80"]) == 0
    assert asked == [("a red rose", "a yellow daisy", 5, 4)]
    gif = Image.open(out)
    assert gif.format == "GIF" and gif.size == grid_size(4) and gif.n_frames == 5 and gif.info["duration"] == 80
    frames = gif_frames(out)
    assert [int(f[0, 0, 0]) for f in frames] == [0, 63, 127, 191, 255]  # grid pixels: each frame's level
    assert all(f[S, S, 0] == 0 for f in frames)  # the padding between images stays black
    assert 'wrote 5 frames of 4 images from "a red rose" to "a yellow daisy"' in capsys.readouterr().out


def test_a_real_sweep_writes_a_gif_and_says_when_frames_merged(tiny_prompt_model, tmp_path, capsys):
    from ganstudio.ml.inference.prompt import PromptSession

    out = tmp_path / "sweep.gif"
    assert cli.main(["prompt", "a red rose", "--interpolate", "a yellow daisy", "--frames", "6", "--n", "3",
                     "--model", str(tiny_prompt_model), "--out", str(out)]) == 0
    session = PromptSession.load(tiny_prompt_model)
    grids = [tile(g) for g in session.interpolate("a red rose", "a yellow daisy", 6, session.sample_z(3, 0))]
    distinct = 1 + sum(not np.array_equal(a, b) for a, b in zip(grids, grids[1:]))
    gif = Image.open(out)
    assert gif.size == grid_size(3) and gif.n_frames <= distinct
    err = capsys.readouterr().err
    assert (gif.n_frames < 6) == ("frames were the same as the one before them" in err)


@pytest.mark.parametrize("text, note", [
    ("", "The prompt is empty"),
    ("   ", "The prompt is empty"),
    ("rose " * 1000, "Only the first 500 characters of 4,999 were read"),
    ("a red peony", "'peony' is not in this model's vocabulary"),
    ("🌹🌹 a red rose", "2 symbols (🌹) carry no words"),
    ("🌹 a rose", "1 symbol (🌹) carries no words"),
    ("玫瑰", "No word of the prompt is in this model's vocabulary"),
])
def test_odd_prompts_still_make_a_grid_and_say_what_was_done(tiny_prompt_model, tmp_path, capsys, text, note):
    out = tmp_path / "odd.png"
    assert cli.main(["prompt", text, "--model", str(tiny_prompt_model), "--n", "2", "--out", str(out)]) == 0
    assert Image.open(out).size == grid_size(2)
    assert note in capsys.readouterr().err


@pytest.mark.parametrize("extra, out_name, message", [
    (["--n", "0"], "x.png", "--n 0"),
    (["--n", "-3"], "x.png", "--n -3"),
    (["--interpolate", "a daisy", "--frames", "1"], "x.gif", "--frames 1"),
    (["--frames", "4"], "x.png", "--frames is the length of an --interpolate sweep"),
    (["--interpolate", "a daisy", "--tiles"], "x.gif", "--tiles writes the images of one grid"),
    ([], "x.jpg", "the grid is written as a PNG"),
    ([], "x.gif", "the grid is written as a PNG"),
    (["--interpolate", "a daisy"], "x.png", "an interpolation is written as a GIF"),
])
def test_bad_arguments_are_clear_errors_that_write_nothing(tiny_prompt_model, tmp_path, capsys, extra, out_name,
                                                           message):
    out = tmp_path / "out" / out_name
    assert cli.main(["prompt", "a red rose", "--model", str(tiny_prompt_model), "--out", str(out), *extra]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_an_unwritable_folder_is_refused_before_anything_is_made(tiny_prompt_model, tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code = cli.main(["prompt", "a rose", "--model", str(tiny_prompt_model), "--out", str(locked / "g.png"),
                         "--tiles"])
        assert code == 2 and "permission denied" in capsys.readouterr().err
        assert not list(locked.iterdir())
    finally:
        locked.chmod(0o700)


def test_a_folder_without_write_permission_is_refused(tiny_prompt_model, tmp_path, capsys, monkeypatch):
    """The same check as above for any user (root may write anywhere): os.access says no."""
    from ganstudio.commands import prompt as command

    monkeypatch.setattr(command.os, "access", lambda path, mode: False)
    assert cli.main(["prompt", "a rose", "--model", str(tiny_prompt_model), "--out", str(tmp_path / "g.png")]) == 2
    assert f"Cannot write to {tmp_path}: permission denied" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_a_failed_write_leaves_no_file_of_the_set(tiny_prompt_model, tmp_path, monkeypatch, capsys):
    """A disk error while the tiles are written: neither the grid nor any tile appears, and no temp file stays."""
    from pathlib import Path

    original = Path.write_bytes

    def failing(self, data):
        if self.name.startswith(".g-2.png"):
            raise OSError(28, "No space left on device")
        return original(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    out = tmp_path / "g.png"
    assert cli.main(["prompt", "a rose", "--model", str(tiny_prompt_model), "--n", "4", "--out", str(out),
                     "--tiles"]) == 2
    assert "is full" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_an_output_that_is_a_folder_or_under_a_file_is_refused(tiny_prompt_model, tmp_path, capsys):
    (tmp_path / "grid.png").mkdir()
    assert cli.main(["prompt", "a rose", "--model", str(tiny_prompt_model), "--out", str(tmp_path / "grid.png")]) == 2
    assert "is a folder" in capsys.readouterr().err
    (tmp_path / "file").write_text("x")
    assert cli.main(["prompt", "a rose", "--model", str(tiny_prompt_model), "--out",
                     str(tmp_path / "file" / "g.png")]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err


def test_a_missing_model_is_a_clear_error(tmp_path, capsys):
    assert cli.main(["prompt", "a rose", "--model", str(tmp_path / "nothing"), "--out", str(tmp_path / "g.png")]) == 2
    assert "No text-to-image model" in capsys.readouterr().err and not (tmp_path / "g.png").exists()


def test_bench_prompt_prints_its_contract_lines(qapp):
    """Small (16 px, tiny networks, a few keystrokes): the lines and their units, not the speed."""
    from ganstudio.bench import prompt as bench

    lines = list(bench.run(image_size=16, shipped=False, count=4, ngf=4, ndf=4, z_dim=4, ca_dim=4, text_dim=16))
    assert [(name, unit) for name, _, unit in lines] == [
        ("prompt_ms_p50", "ms"), ("prompt_ms_p95", "ms"), ("prompt_session_ms_p50", "ms"), ("latent_grid_ms_p50", "ms"),
        ("prompt_vs_latent_ratio", "ratio")]
    assert all(np.isfinite(value) and value > 0 for _, value, _ in lines)
    assert lines[0][1] <= lines[1][1]
    assert bench.keystrokes(3, "ab") == ["a", "ab", "a"]
