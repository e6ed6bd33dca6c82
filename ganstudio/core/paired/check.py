"""The paired data set check run before training: pair counts per split and every problem a user should fix first.

Problems: files without their partner, size mismatches, unreadable files, label ids outside the palette.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ganstudio.core.errors import DataError
from ganstudio.core.image_data.images import is_image_name
from ganstudio.core.paired.layout import (LabelPair, PairedLayout, image_files, label_pairs, read_ids, read_palette,
                                          readable_size, require_paired, split_folder)
from ganstudio.core.sketch.palette import Palette

SUMMARY_PROBLEMS = 12  # the summary lists this many problems, then says how many more there are


@dataclass
class PairedReport:
    layout: PairedLayout
    counts: dict[str, int]  # usable pairs per split ("" for a flat A|B folder)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    palette: Palette | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self, limit: int | None = SUMMARY_PROBLEMS) -> str:
        """A few lines: layout, pairs per split, then the first `limit` problems (None: all) or "no problems"."""
        counts = ", ".join(f"{split or 'all'} {n:,} pairs" for split, n in self.counts.items())
        lines = [f"{self.layout.kind} data set in {self.layout.root}: {counts}."]
        if self.ok:
            lines.append("No problems found.")
        else:
            lines.append(f"{len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}:")
            shown = self.problems if limit is None else self.problems[:limit]
            lines += [f"  • {p}" for p in shown]
            if len(shown) < len(self.problems):
                lines.append(f"  … and {len(self.problems) - len(shown)} more")
        return "\n".join(lines + self.notes)


def check_paired(path: str | Path, palette: Palette | None = None) -> PairedReport:
    """Look at every file of every split; DataError only when the folder is not a paired data set at all."""
    layout = require_paired(path)
    report = PairedReport(layout, {})
    if layout.kind == "pix2pix":
        for split in layout.splits:
            report.counts[split] = _check_side_by_side(split_folder(layout, split), split, report.problems)
        _note_other_files([split_folder(layout, split) for split in layout.splits], report.notes)
        return report
    report.palette = palette or _palette_or_problem(layout.root, report.problems)
    highest = [-1]
    for split in layout.splits:
        report.counts[split] = _check_labels(layout.root, split, report, highest)
    if report.palette is None and highest[0] >= 0:
        report.notes.append(f"No palette.json: a generic palette of {highest[0] + 1} classes will be used.")
    _note_other_files([layout.root / f"{s}_{part}" for s in layout.splits for part in ("label", "img", "inst")],
                      report.notes)
    return report


def _note_other_files(folders: list[Path], notes: list[str]) -> None:
    """Files that are not images are left alone (a README, a .txt list), but said, in case one was meant."""
    others = [f for folder in folders if folder.is_dir() for f in sorted(folder.iterdir())
              if f.is_file() and not f.name.startswith(".") and not is_image_name(f)]
    if others:
        notes.append(f"Ignored {len(others)} file(s) that are not images (e.g. {others[0].name}).")


def _palette_or_problem(root: Path, problems: list[str]) -> Palette | None:
    try:
        return read_palette(root)
    except DataError as err:
        problems.append(err.problem)
        return None


def _check_side_by_side(folder: Path, split: str, problems: list[str]) -> int:
    usable = 0
    for f in image_files(folder):
        where = f"{split}/{f.name}" if split else f.name
        try:
            w, h = readable_size(f)
        except DataError:
            problems.append(f"{where} is not a readable image")
            continue
        if w != 2 * h:
            problems.append(f"{where} is {w}×{h}: not a side-by-side A|B pair (width should be 2 × height)")
            continue
        usable += 1
    return usable


def _check_labels(root: Path, split: str, report: PairedReport, highest: list[int]) -> int:
    pairs, unpaired = label_pairs(root, split)
    report.problems.extend(unpaired)
    usable = 0
    for pair in pairs:
        problem = _label_pair_problem(pair, split, report.palette, highest)
        if problem:
            report.problems.append(problem)
        else:
            usable += 1
    return usable


def _label_pair_problem(pair: LabelPair, split: str, palette: Palette | None, highest: list[int]) -> str | None:
    label, image = f"{split}_label/{pair.label.name}", f"{split}_img/{pair.image.name}"
    try:
        ids = read_ids(pair.label, palette)
    except DataError as err:
        return f"{split}_label/{err.problem}"  # the problem starts with the file name
    try:
        image_size = readable_size(pair.image)
    except DataError:
        return f"{image} is not a readable image"
    if (ids.shape[1], ids.shape[0]) != image_size:
        return f"{label} is {ids.shape[1]}×{ids.shape[0]} but {image} is {image_size[0]}×{image_size[1]}"
    if pair.instance is not None:
        problem = _instance_problem(pair.instance, ids.shape, split, label)
        if problem:
            return problem
    highest[0] = max(highest[0], int(ids.max()))
    unknown = palette.unknown_ids(ids) if palette else [int(v) for v in np.unique(ids) if v > 255]
    if unknown:
        where = f"the palette ({len(palette)} classes)" if palette else "0–255"
        return f"{label} has class ids outside {where}: {', '.join(map(str, unknown[:8]))}"
    return None


def _instance_problem(path: Path, shape: tuple[int, ...], split: str, label: str) -> str | None:
    where = f"{split}_inst/{path.name}"
    try:
        instances = read_ids(path)
    except DataError:
        return f"{where} is not a readable image"
    return None if instances.shape == shape else f"{where} is not the size of {label}"
