"""Write generated captions beside the photos of a folder (a same-named .txt, ten lines), as `make-captions` does.

Every photo is measured and captioned before the first file is written, and each file is written atomically, so
an unreadable photo or a crash never leaves a half-written caption file behind.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ganstudio.core.atomic import write_text_atomic
from ganstudio.core.captions.attributes import PhotoFacts, measure
from ganstudio.core.captions.data import CAPTION_SUFFIX
from ganstudio.core.captions.generate import captions_for, seed_for, stateable
from ganstudio.core.errors import DataError
from ganstudio.core.image_data.images import is_image_name, load_image

CAPTIONS_PER_PHOTO = 10
MEASURE_SIZE = 64
UNCLASSED = "flower"  # the noun for photos that sit directly in the folder, outside any class subfolder


@dataclass
class CaptionReport:
    photos: int = 0
    written: int = 0
    kept: int = 0  # existing caption files left alone (no --overwrite)
    skipped: list[str] = field(default_factory=list)
    colours: dict[str, Counter] = field(default_factory=dict)  # class → Counter of petal colours ("none" if unseen)
    centres: dict[str, Counter] = field(default_factory=dict)  # class → Counter of stated centre colours

    def summary(self) -> list[str]:
        lines = [f"{self.photos} photos: wrote {self.written} caption files, kept {self.kept} existing, "
                 f"skipped {len(self.skipped)}"]
        for name in sorted(self.colours):
            total = sum(self.colours[name].values())
            hist = ", ".join(f"{c} {n}" for c, n in self.colours[name].most_common())
            centres = ", ".join(f"{c} {n}" for c, n in self.centres[name].most_common()) or "none stated"
            lines.append(f"  {name} ({total}): petals {hist}; centres {centres}")
        return lines + [f"skipped {line}" for line in self.skipped]


def photo_class(rel: Path) -> str:
    """A photo's class: its top-level subfolder, as image data sets label them."""
    return rel.parts[0] if len(rel.parts) > 1 else UNCLASSED


def caption_folder(folder: str | Path, seed: int = 0, overwrite: bool = False,
                   progress: Callable[[int, int], None] | None = None) -> CaptionReport:
    """Caption every photo under `folder`; existing caption files are kept unless overwrite is True."""
    root = Path(folder).expanduser()
    if not root.is_dir():
        raise DataError(f"{root} is not a folder.", "Pass a folder of photos (class subfolders are fine).")
    photos = sorted(p for p in root.rglob("*") if p.is_file() and is_image_name(p)
                    and not any(part.startswith(".") for part in p.relative_to(root).parts))
    if not photos:
        raise DataError(f"No photos found in {root}.", "Pass a folder that holds JPEG or PNG photos.")
    report, planned = CaptionReport(photos=len(photos)), []
    for i, photo in enumerate(photos):
        planned += _plan(root, photo, seed, overwrite, report)
        if progress:
            progress(i + 1, len(photos))
    for path, text in planned:  # only now, with every photo read, is anything written
        write_text_atomic(path, text)
        report.written += 1
    return report


def _plan(root: Path, photo: Path, seed: int, overwrite: bool, report: CaptionReport) -> list[tuple[Path, str]]:
    rel = photo.relative_to(root)
    target = photo.with_suffix(CAPTION_SUFFIX)
    if target.exists() and not overwrite:
        report.kept += 1
        return []
    try:
        facts = measure(load_image(photo, MEASURE_SIZE))
    except DataError as err:
        report.skipped.append(f"{rel.as_posix()}: {err.problem}")
        return []
    name = photo_class(rel)
    _tally(report, name, facts)
    captions = captions_for(facts, name, seed_for(rel.as_posix(), seed), CAPTIONS_PER_PHOTO)
    return [(target, "\n".join(captions) + "\n")]


def _tally(report: CaptionReport, name: str, facts: PhotoFacts) -> None:
    report.colours.setdefault(name, Counter())[facts.petal_colours[0] if facts.petal_colours else "none"] += 1
    centres = report.centres.setdefault(name, Counter())
    if facts.centre_colour and "centre" in stateable(facts, name):
        centres[facts.centre_colour] += 1
