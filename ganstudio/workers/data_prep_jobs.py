"""The Train page's data preparation as NamedJobs work functions: pairs from photos (`make-pairs`) and the speech
corpus (`make-speech-corpus`), run by the same engine functions as the CLI.

Each builds into a hidden temp folder beside the output and renames it into place only when complete: a cancelled,
failed or killed build leaves no folder the data set picker would take for a data set (only a '.tmp-' leftover,
which readers ignore and the run folders' cleaner removes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ganstudio.core.atomic import atomic_folder
from ganstudio.core.errors import Cancelled, StudioError
from ganstudio.workers.named_jobs import JobCancelled, Report

PAIR_KINDS = (("edges", "Edge maps → photo (pix2pix A|B files)"),
              ("labels", "Label maps → photo (pix2pixHD folders)"))


@dataclass(frozen=True)
class Prepared:
    folder: str  # the new data set folder
    summary: str  # what was written, for the dialog (the CLI's lines)


def make_pairs(report: Report, cancelled: Callable[[], bool], photos: str, out: str, kind: str,
               size: int = 128, holdout: float = 0.1) -> Prepared:
    from ganstudio.core.sketch.pairs_builder import build_pairs, photo_files

    if not str(photos).strip():
        raise StudioError("Choose the folder of photos first.")
    photos_dir, out_dir = Path(photos), Path(out)
    _require_new_folder(out_dir)
    photo_files(photos_dir)  # a wrong or empty photo folder is said before anything is created
    progress = _progress(report)
    result = _into_new_folder(out_dir, lambda tmp: build_pairs(photos_dir, tmp, kind, size, holdout, progress, cancelled))
    lines = [f"Wrote {result.train} training and {result.val} held-out pairs to {out_dir}"]
    lines += [f"Skipped {line}" for line in result.skipped or []]
    return Prepared(str(out_dir), "\n".join(lines))


def make_speech_corpus(report: Report, cancelled: Callable[[], bool], out: str, seed: int = 0,
                       tts_per_voice: int = 40) -> Prepared:
    from ganstudio.speech_corpus import preflight
    from ganstudio.speech_corpus.builder import CorpusPlan, build_corpus

    out_dir = Path(out)
    _require_new_folder(out_dir)
    preflight.require_speech()
    plan = CorpusPlan(seed=seed, tts_utterances_per_voice=tts_per_voice)
    summary = _into_new_folder(out_dir, lambda tmp: build_corpus(tmp, plan, lambda line: None, _progress(report),
                                                                 cancelled))
    return Prepared(str(out_dir), f"Train clean speech: {summary['train_clean_minutes']} min; noises: "
                                  f"{len(summary['noise_train'])} train, {len(summary['noise_test'])} test; "
                                  f"test mixtures: {len(summary['test'])}; wrote {out_dir}")


def speech_install_command() -> str:
    """"" when every source of the full corpus is installed, else the command that installs them (a few stat calls)."""
    from ganstudio.speech_corpus import preflight

    return preflight.INSTALL_COMMAND if preflight.install_note() else ""


def _require_new_folder(out: Path) -> None:
    """A new or empty folder only: the built folder replaces it whole, so a full one would be lost."""
    if not str(out).strip():
        raise StudioError("Choose an output folder first.")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise StudioError(f"{out} is not empty.", "Choose a new folder: the data set is written into a folder of its own.")


def _into_new_folder(out: Path, build: Callable[[Path], object]):
    """build(temp folder) → its result, the temp folder renamed to `out` only when build returned."""
    try:
        with atomic_folder(out) as tmp:
            return build(tmp)
    except Cancelled:
        raise JobCancelled() from None


def _progress(report: Report) -> Callable[[int, int], None]:
    return lambda done, total: report(done / max(total, 1))
