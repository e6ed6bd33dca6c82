"""Captions from measured photo facts: varied sentences that name the flower and state only what was measured.

Deterministic: a photo's captions are a function of its facts, class and name (seed_for hashes the name with
SHA-256, not Python's per-process hash()).
"""

from __future__ import annotations

import hashlib
import random
import re

import numpy as np

from ganstudio.core.captions.attributes import PhotoFacts
from ganstudio.core.captions.templates import (BACKGROUNDS, CENTRE_COLOURS, CENTRE_NOUNS, CLOSE_UP, COLOURS,
                                               DETERMINERS, DISC_FLOWERS, HELD_OUT_TEMPLATES, NEAR, PETALS,
                                               SEED_HEAD_NOUNS, SEEDS, TEMPLATES, Words, class_nouns, needs)

FACT_ORDER = ("colour", "centre", "background", "close_up")


def seed_for(name: str, seed: int = 0) -> int:
    """A stable 63-bit seed from a photo's name (its path relative to the data set) and a run seed."""
    digest = hashlib.sha256(f"{seed}\0{name}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def captions_for(facts: PhotoFacts, class_name: str, rng_or_seed: random.Random | np.random.Generator | int | str,
                 n: int = 10, held_out: bool = False) -> list[str]:
    """Up to n distinct captions (n whenever the facts allow; ten always do for training captions).

    Every fact that may be stated is stated by at least one caption (when n allows); held_out=True draws from the
    held-out templates and synonyms only, for the paraphrase test.
    """
    rng = _rng(rng_or_seed)
    have = stateable(facts, class_name)
    pool = [t for t in (HELD_OUT_TEMPLATES if held_out else TEMPLATES) if needs(t) <= have]
    order = [rng.choice(covering) for fact in FACT_ORDER if fact in have
             if (covering := [t for t in pool if fact in needs(t)])]
    out: list[str] = []
    for attempt in range(40 * n):
        if len(out) >= n:
            break
        if attempt >= len(order):
            order += rng.sample(pool, len(pool))
        caption = fill(order[attempt], facts, class_name, rng, held_out)
        if caption not in out:
            out.append(caption)
    return out


def stateable(facts: PhotoFacts, class_name: str) -> frozenset[str]:
    """The facts a caption of this photo may state."""
    have = set()
    if facts.petal_colours:
        have.add("colour")
    if facts.centre_colour and class_name.strip().lower() in DISC_FLOWERS:
        have.add("centre")
    if facts.background or facts.blurred_background:
        have.add("background")
    if facts.close_up:
        have.add("close_up")
    return frozenset(have)


def fill(template: str, facts: PhotoFacts, class_name: str, rng: random.Random, held_out: bool = False) -> str:
    """One caption: the template with every field drawn from its synonym set."""
    def pick(words: Words):
        return rng.choice(words.pick(held_out))

    plural = facts.count in ("a few", "many")
    seed_head = class_name.strip().lower() == "dandelion" and facts.petal_colours == ("white",)
    noun = pick(SEED_HEAD_NOUNS if seed_head else class_nouns(class_name))[int(plural)]
    det = pick(DETERMINERS[facts.count])
    colour = " and ".join(pick(COLOURS[c]) for c in facts.petal_colours)
    values = {
        "noun": noun, "np0": f"{det} {noun}", "np": f"{det} {colour} {noun}" if colour else f"{det} {noun}",
        "col": colour, "petals": pick(SEEDS if seed_head else PETALS),
        "this": "these" if plural else "this", "is": "are" if plural else "is", "has": "have" if plural else "has",
    }
    if facts.centre_colour:
        cen, cn = pick(CENTRE_COLOURS[facts.centre_colour]), pick(CENTRE_NOUNS)
        values.update(cen=cen, cns=cn + "s" if plural else cn, a_cen=f"{cen} {cn}s" if plural else f"a {cen} {cn}")
    places = [*facts.background, *(["blurred"] if facts.blurred_background else [])]
    if places:
        values["bg"] = pick(BACKGROUNDS[rng.choice(places)])
    values.update(close=pick(CLOSE_UP), near=pick(NEAR))
    return tidy(template.format(**values))


def tidy(text: str) -> str:
    """a → an before a vowel, single spaces, a capital first letter."""
    text = re.sub(r"\b([Aa]) (?=[aeiouAEIOU])", r"\1n ", re.sub(r"\s+", " ", text).strip())
    return text[:1].upper() + text[1:]


def _rng(rng_or_seed) -> random.Random:
    if isinstance(rng_or_seed, random.Random):
        return rng_or_seed
    if isinstance(rng_or_seed, str):
        return random.Random(seed_for(rng_or_seed))
    if isinstance(rng_or_seed, np.random.Generator):
        return random.Random(int(rng_or_seed.integers(2**62)))
    return random.Random(int(rng_or_seed))
