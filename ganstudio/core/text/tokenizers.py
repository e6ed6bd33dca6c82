"""Word- and character-level tokenisers for captions and prompts. Both pad to a fixed length (one traced shape at
inference), map what they do not know to one unknown id, and travel in a model's manifest as a plain dict."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

PAD, UNK = 0, 1  # id 0 pads (the encoder ignores it), id 1 stands for anything unknown
ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789 ,.;:'!?-()/&"
_WORD = re.compile(r"[^\W\d_]+")  # runs of letters of any script: "玫瑰" is one (unknown) word, "🌹" none
_SPACE = re.compile(r"\s+")
_SLACK = 8  # characters read per token of max_len: bounds the work a 5,000-character paste costs


def normalise(text: str, limit: int | None = None) -> str:
    """Lowercase, accents stripped ("café" → "cafe"), whitespace runs as one space; at most `limit` characters are
    read. Non-strings (None) count as empty."""
    text = text if isinstance(text, str) else ""
    text = unicodedata.normalize("NFKD", text[:limit] if limit else text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _SPACE.sub(" ", text.lower()).strip()


def words_of(text: str, limit: int | None = None) -> list[str]:
    """The words of a text: lowercase letter runs, split on everything else (digits, punctuation, emoji)."""
    return _WORD.findall(normalise(text, limit))


@dataclass(frozen=True)
class Tokenizer:
    """What both tokenisers share: padding to max_len and naming the words training never saw."""

    vocabulary: tuple[str, ...]  # words seen in training captions (the word tokeniser's ids follow this order)
    max_len: int
    kind = ""

    def tokens(self, text: str) -> list[int]:
        raise NotImplementedError

    @property
    def size(self) -> int:
        """Number of ids, PAD and UNK included (the embedding's input dimension)."""
        raise NotImplementedError

    @property
    def separator(self) -> int | None:
        """The id between words (None: every id is a word)."""
        return None

    def encode(self, text: str) -> list[int]:
        """Ids of a text, truncated to max_len; never empty (nothing known encodes as one UNK)."""
        return self.tokens(text)[: self.max_len] or [UNK]

    def encode_batch(self, texts: Iterable[str]) -> np.ndarray:
        """int32 (n, max_len), padded with PAD."""
        rows = [self.encode(t) for t in texts]
        out = np.full((len(rows), self.max_len), PAD, np.int32)
        for i, row in enumerate(rows):
            out[i, : len(row)] = row
        return out

    def unknown_words(self, text: str) -> list[str]:
        """Words of `text` that no training caption used, each once, in order ("peony" for "a red peony")."""
        known, seen = set(self.vocabulary), []
        for word in words_of(text, self.max_len * _SLACK):
            if word not in known and word not in seen:
                seen.append(word)
        return seen

    def to_config(self) -> dict:
        return {"tokenizer": self.kind, "max_len": self.max_len, "vocabulary": list(self.vocabulary)}


@dataclass(frozen=True)
class WordTokenizer(Tokenizer):
    """One id per training word (most frequent first); other words are UNK."""

    kind = "word"

    def __post_init__(self) -> None:
        object.__setattr__(self, "_ids", {w: i + 2 for i, w in enumerate(self.vocabulary)})

    @property
    def size(self) -> int:
        return len(self.vocabulary) + 2

    def tokens(self, text: str) -> list[int]:
        return [self._ids.get(w, UNK) for w in words_of(text, self.max_len * _SLACK)]


@dataclass(frozen=True)
class CharTokenizer(Tokenizer):
    """One id per character of a fixed alphabet; any other character (another script, an emoji) is UNK."""

    alphabet: str = ALPHABET
    kind = "char"

    def __post_init__(self) -> None:
        object.__setattr__(self, "_ids", {c: i + 2 for i, c in enumerate(self.alphabet)})

    @property
    def size(self) -> int:
        return len(self.alphabet) + 2

    @property
    def separator(self) -> int | None:
        return self._ids.get(" ")

    def tokens(self, text: str) -> list[int]:
        return [self._ids.get(c, UNK) for c in normalise(text, self.max_len * _SLACK)]

    def to_config(self) -> dict:
        return {**super().to_config(), "alphabet": self.alphabet}


def training_vocabulary(captions: Iterable[str], max_words: int = 5000) -> tuple[str, ...]:
    """Words of the training captions, most frequent first (ties alphabetical, so the ids are reproducible)."""
    counts = Counter(w for caption in captions for w in words_of(caption))
    return tuple(sorted(counts, key=lambda w: (-counts[w], w))[:max_words])


def build_tokenizer(kind: str, captions: Iterable[str], max_len: int | None = None) -> Tokenizer:
    """A tokeniser of `kind` ("word" | "char") for these training captions; max_len defaults to 32 words or
    128 characters."""
    vocabulary = training_vocabulary(captions)
    if kind == "word":
        return WordTokenizer(vocabulary, max_len or 32)
    if kind == "char":
        return CharTokenizer(vocabulary, max_len or 128)
    raise ValueError(f"tokenizer kind must be 'word' or 'char', got {kind!r}")


def tokenizer_from_config(config: dict) -> Tokenizer:
    """The tokeniser a manifest's config describes (the inverse of Tokenizer.to_config)."""
    kind, vocabulary, max_len = config["tokenizer"], tuple(config["vocabulary"]), int(config["max_len"])
    if kind == "word":
        return WordTokenizer(vocabulary, max_len)
    if kind == "char":
        return CharTokenizer(vocabulary, max_len, config.get("alphabet", ALPHABET))
    raise ValueError(f"unknown tokenizer kind {kind!r}")
