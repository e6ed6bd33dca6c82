"""Caption templates and synonym sets for generated flower captions, with a fixed held-out split.

Held-out templates and synonyms never appear in training captions; they make the paraphrases of the robustness
test (does the model follow "a snowy daisy" when it only ever read "white"?). The split is written out below, not
drawn at random, so CAPTIONS.md and the test can name it.
"""

from __future__ import annotations

import string
from dataclasses import dataclass


@dataclass(frozen=True)
class Words:
    """Interchangeable phrases for one fact: `train` ones appear in training captions, `held` ones only in tests."""

    train: tuple[str, ...]
    held: tuple[str, ...] = ()

    def pick(self, held_out: bool) -> tuple[str, ...]:
        return self.held if held_out and self.held else self.train


COLOURS = {
    "white": Words(("white", "ivory", "pure white"), ("snowy",)),
    "yellow": Words(("yellow", "bright yellow", "lemon yellow"), ("golden",)),
    "orange": Words(("orange", "tangerine"), ("amber",)),
    "red": Words(("red", "crimson"), ("scarlet",)),
    "pink": Words(("pink", "pinkish"), ("rosy",)),
    "purple": Words(("purple", "lilac"), ("violet",)),
}
CENTRE_COLOURS = {
    "dark": Words(("dark", "dark brown"), ("dusky",)),
    "brown": Words(("brown", "chocolate brown"), ("tawny",)),
    "yellow": COLOURS["yellow"],
    "orange": COLOURS["orange"],
    "green": Words(("green",), ("greenish",)),
}
CENTRE_NOUNS = Words(("centre", "middle", "disc"), ("center",))
PETALS = Words(("petals",))
SEEDS = Words(("seeds", "fluff"), ("pappus",))  # a white dandelion is a seed head: it has no petals
BACKGROUNDS = {
    "sky": Words(("against a blue sky", "under a blue sky", "with blue sky behind"), ("beneath an azure sky",)),
    "foliage": Words(("among green leaves", "against green foliage", "in front of green leaves"),
                     ("amid lush greenery",)),
    "brown": Words(("against a brown background", "in front of a brown backdrop"), ("before a tan backdrop",)),
    "dark": Words(("against a dark background", "on a black background"), ("before a shadowy backdrop",)),
    "blurred": Words(("against a blurred background", "with a soft, out-of-focus background"),
                     ("before a hazy backdrop",)),
}
# Determiners by count; None (the two count estimates disagreed) only ever says "a", true of one flower or more.
DETERMINERS = {
    "one": Words(("a", "a single", "one"), ("a lone",)),
    "a few": Words(("a few", "several", "a small group of"), ("a handful of",)),
    "many": Words(("many", "lots of", "a mass of"), ("numerous",)),
    None: Words(("a",)),
}
CLOSE_UP = Words(("a close-up of", "a close-up photo of", "a close view of"), ("a macro shot of",))
NEAR = Words(("seen up close", "photographed up close"), ("in extreme close-up",))

# Real names for the built-in classes (singular, plural); a white dandelion is also its seed head.
CLASS_NOUNS = {
    "daisy": Words((("daisy", "daisies"),)),
    "dandelion": Words((("dandelion", "dandelions"),)),
    "rose": Words((("rose", "roses"),)),
    "sunflower": Words((("sunflower", "sunflowers"),)),
    "tulip": Words((("tulip", "tulips"),)),
}
SEED_HEAD_NOUNS = Words((("dandelion", "dandelions"), ("dandelion seed head", "dandelion seed heads")),
                        (("dandelion clock", "dandelion clocks"),))
# Flowers with a disc centre. A rose's or tulip's dark heart is shading between petals, so it is never captioned.
DISC_FLOWERS = frozenset({"daisy", "sunflower", "aster", "coneflower", "gerbera", "chamomile", "cosmos"})

# {np} determiner + colour + flower; {np0} the same without colour; {noun} the flower word; {col} petal colour(s);
# {cen} centre colour, {a_cen} "a dark centre" / "dark centres", {cns} "centre" / "centres"; {bg} background;
# {close} / {near} close-up; {this} {is} {has} agree with the count; {petals} petals (or seeds).
_TEMPLATES = (
    # name (and colour, when known)
    ("{np}.", False),
    ("A photo of {np}.", False),
    ("A picture of {np}.", False),
    ("An image showing {np}.", False),
    ("This photo shows {np}.", False),
    ("There {is} {np} in this picture.", False),
    ("Here {is} {np}.", False),
    ("A snapshot of {np}.", False),
    ("A photograph of {np}.", False),
    ("This is {np}.", False),
    ("In this picture: {np}.", False),
    ("A flower photo: {np}.", False),
    ("The photo is of {np}.", False),
    ("The picture contains {np}.", True),
    ("We can see {np} here.", True),
    # petal colour
    ("{np0} with {col} {petals}.", False),
    ("{this} {noun} {has} {col} {petals}.", False),
    ("The {petals} of {this} {noun} are {col}.", False),
    ("{np0} whose {petals} are {col}.", False),
    ("{np0}; the {petals} are {col}.", False),
    ("{this} {noun} {is} {col}.", False),
    ("A photo of {np0} with {col} {petals}.", False),
    ("The {noun} in this picture {is} mostly {col}.", True),
    ("{col} is the colour of {this} {noun}.", True),
    # centre
    ("{np} with {a_cen}.", False),
    ("{np0} with {col} {petals} and {a_cen}.", False),
    ("{this} {noun} {has} {col} {petals} around {a_cen}.", False),
    ("{np} whose {cns} {is} {cen}.", False),
    ("The {cns} of {this} {noun} {is} {cen}.", False),
    ("{col} {petals} ring {a_cen} on {np0}.", True),
    ("Look closely: {np0} with {a_cen}.", True),
    # background
    ("{np} {bg}.", False),
    ("A photo of {np} {bg}.", False),
    ("{np0} with {col} {petals} {bg}.", False),
    ("{this} {noun} {is} photographed {bg}.", False),
    ("{np} with {a_cen} {bg}.", False),
    ("Shown {bg}: {np}.", True),
    ("Someone framed {np} {bg}.", True),
    # close-up
    ("{close} {np}.", False),
    ("{close} {np} {bg}.", False),
    ("{close} {np0} with {col} {petals}.", False),
    ("{close} {np0} with {a_cen}.", False),
    ("{np}, {near}.", False),
    ("{np} {near} {bg}.", False),
    ("Zoomed in on {np}.", True),
    ("Filling the frame, {np}.", True),
    # everything together
    ("{np0} with {col} {petals} and {a_cen} {bg}.", False),
    ("{close} {np0} with {col} {petals} and {a_cen}.", False),
    ("A picture of {np0}: {col} {petals}, {a_cen}.", False),
    ("Our subject is {np}, {near}.", True),
)
TEMPLATES = tuple(text for text, held in _TEMPLATES if not held)
HELD_OUT_TEMPLATES = tuple(text for text, held in _TEMPLATES if held)

# Templates whose fixed words state a fact no field carries.
CLAIMS = {"Zoomed in on {np}.": ("close_up",), "Filling the frame, {np}.": ("close_up",)}
# Which facts each field needs; a template is used only when all its fields' facts were measured.
FIELD_NEEDS = {"col": "colour", "cen": "centre", "a_cen": "centre", "cns": "centre", "bg": "background",
               "close": "close_up", "near": "close_up"}


def fields(template: str) -> tuple[str, ...]:
    return tuple(name for _, name, _, _ in string.Formatter().parse(template) if name)


def needs(template: str) -> frozenset[str]:
    """The facts a template states: those of its fields, plus any its fixed words claim."""
    stated = {FIELD_NEEDS[f] for f in fields(template) if f in FIELD_NEEDS}
    return frozenset(stated | set(CLAIMS.get(template, ())))


def class_nouns(class_name: str) -> Words:
    """(singular, plural) names of a class: the built-in flowers' real names, else the folder name made readable."""
    key = class_name.strip().lower()
    if key in CLASS_NOUNS:
        return CLASS_NOUNS[key]
    word = key.replace("_", " ").replace("-", " ").strip() or "flower"
    if word.endswith("y") and word[-2:-1] not in tuple("aeiou"):
        plural = word[:-1] + "ies"
    elif word.endswith(("s", "x", "ch", "sh")):
        plural = word + "es"
    else:
        plural = word + "s"
    return Words(((word, plural),))


def _phrases(groups: dict) -> tuple[str, ...]:
    return tuple(p for words in groups.values() for p in words.train)


def vocabulary(held_out: bool = False) -> dict[str, tuple[str, ...]]:
    """What the generator can say, grouped for the UI's "what the model knows" list (training phrases by default;
    held_out=True lists the paraphrases kept for the robustness test instead)."""
    def pick(words: Words) -> tuple[str, ...]:
        return words.held if held_out else words.train

    def unique(items) -> tuple[str, ...]:
        return tuple(dict.fromkeys(items))

    flowers = [n[0] for w in CLASS_NOUNS.values() for n in pick(w)] + [n[0] for n in pick(SEED_HEAD_NOUNS)]
    return {
        "colours": unique(p for w in (*COLOURS.values(), *CENTRE_COLOURS.values()) for p in pick(w)),
        "flowers": unique(flowers),
        "places": unique(p for w in BACKGROUNDS.values() for p in pick(w)),
        "counts and shapes": unique(p for w in (*(DETERMINERS[k] for k in ("one", "a few", "many")), CLOSE_UP, NEAR,
                                                CENTRE_NOUNS, PETALS, SEEDS) for p in pick(w)),
    }


def held_out_phrases() -> tuple[str, ...]:
    """Every held-out synonym phrase (flower names as their singular and plural)."""
    groups = (*COLOURS.values(), *CENTRE_COLOURS.values(), CENTRE_NOUNS, PETALS, SEEDS, *BACKGROUNDS.values(),
              *DETERMINERS.values(), CLOSE_UP, NEAR)
    phrases = [p for w in groups for p in w.held]
    phrases += [form for pair in SEED_HEAD_NOUNS.held for form in pair]
    return tuple(dict.fromkeys(phrases))
