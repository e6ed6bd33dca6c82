"""Sentences for the TTS voices: real English prose from the licence texts every Debian system ships."""

from __future__ import annotations

import re
from pathlib import Path

LICENCE_DIR = Path("/usr/share/common-licenses")
_WORD = re.compile(r"^[A-Za-z][A-Za-z'\-]*[,;:]?$")


def sentences(folder: Path = LICENCE_DIR, min_words: int = 5, max_words: int = 22) -> list[str]:
    """Unique sentences of plain words (no numbers, URLs or section marks), in a stable order."""
    seen: dict[str, None] = {}
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        text = " ".join(path.read_text("utf-8", errors="ignore").split())
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            words = sentence.rstrip(".!?").split()
            if min_words <= len(words) <= max_words and all(_WORD.match(w) for w in words):
                seen.setdefault(" ".join(words) + ".", None)
    return list(seen)
