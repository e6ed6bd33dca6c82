"""A band of text above each column of a grid: the GAN-CLS preview writes each column's prompt over its flowers."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT_SIZE, LINES, PAD = 10, 3, 2
WORD_GAP = 4  # px between words: the bundled font's own space is 2 px at this size, so "A dandelion." read "Adandelion."


def with_column_headers(grid: np.ndarray, texts: list[str], columns: int, pad: int = 2) -> np.ndarray:
    """uint8 grid (H, W, C) of `columns` equal columns (tile()'s pad between them) → (header + H, W, C), with
    texts[i] wrapped into the band above column i (cut with "…" past LINES lines)."""
    height, width, channels = grid.shape
    cell = (width + pad) // columns - pad
    font = ImageFont.load_default(FONT_SIZE)
    line_height = FONT_SIZE + 1
    band = Image.new("RGB", (width, LINES * line_height + 2 * PAD), (255, 255, 255))
    draw = ImageDraw.Draw(band)
    def measure(line: str) -> float:
        words = line.split(" ")
        return sum(draw.textlength(word, font=font) for word in words) + WORD_GAP * (len(words) - 1)

    for i, text in enumerate(texts[:columns]):
        for row, line in enumerate(wrap(text, cell - 2, measure)):
            x = i * (cell + pad) + 1
            for word in line.split(" "):
                draw.text((x, PAD + row * line_height), word, fill=(0, 0, 0), font=font)
                x += draw.textlength(word, font=font) + WORD_GAP
    header = np.asarray(band if channels == 3 else band.convert("L"))
    return np.concatenate([header.reshape(header.shape[0], width, channels), grid], axis=0)


def wrap(text: str, width: float, measure) -> list[str]:
    """Greedy word wrap into at most LINES lines of at most `width` (as `measure` counts); the last is cut with "…"."""
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if measure(candidate) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    if len(lines) > LINES:
        lines = lines[:LINES]
        lines[-1] += " …"
    return [_fit(line, width, measure) for line in lines]


def _fit(line: str, width: float, measure) -> str:
    while measure(line) > width and len(line) > 1:
        line = line[:-2] + "…"
    return line
