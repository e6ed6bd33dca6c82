"""The evaluation behind `ganstudio eval-text`: does a text-to-image model draw what the text says?

- Agreement on a fixed list of class × colour prompts: the flower classifier names the flower of the prompt
  (`class_agreement`), and the dominant petal colour measured from the pixels (core/captions/attributes.py, the same
  rules that wrote the training captions) is the colour of the prompt (`colour_agreement`). The pairs are those the
  training captions state often enough (a blue rose was never shown), the prompts are captions of those two facts
  alone from the training templates, and again from the held-out templates and synonyms (`…_paraphrase`). The
  held-out real photos of those pairs, scored by the same tools, are the reference (`…_real`): the classifier is
  not always right about a real photo either.
- R-precision as AttnGAN reports it: an image generated from a held-out photo's caption, is that caption the best of
  100 (it and 99 random others) by the joint embedding? The same for the real photos is the reference.
- FID against the held-out photos on the classifier's features, with the floor of real training photos; and the
  variety within one prompt (mean pairwise feature distance of its samples) beside that of real photos of it.

Pure functions over arrays and sessions passed in; the command (commands/eval_text.py) loads them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Line = tuple[str, float, str]  # (name, value, unit): the `name value unit` contract of eval/bench output
BATCH = 250


# ---- which colours a caption gives the petals -----------------------------------------------------------------------
def _alternation(phrases) -> str:
    return "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True))


def _patterns():
    from ganstudio.core.captions.templates import CENTRE_COLOURS, CENTRE_NOUNS, COLOURS

    centre_colour = _alternation(p for w in CENTRE_COLOURS.values() for p in (*w.train, *w.held))
    centre_noun = rf"(?:{_alternation((*CENTRE_NOUNS.train, *CENTRE_NOUNS.held))})s?"
    centre = re.compile(rf"\b(?:(?:{centre_colour})\s+{centre_noun}|{centre_noun}\s+(?:is|are)\s+(?:{centre_colour}))\b")
    petals = {key: re.compile(rf"\b(?:{_alternation((*w.train, *w.held))})\b") for key, w in COLOURS.items()}
    return centre, petals


_PATTERNS = None


def caption_colours(caption: str) -> set[str]:
    """The petal colours a caption states (COLOURS keys; synonyms read as their key). Centre colours ("a yellow
    disc", "whose centre is dark brown") are not petal colours and are left out."""
    global _PATTERNS
    if _PATTERNS is None:
        _PATTERNS = _patterns()
    centre, petals = _PATTERNS
    text = centre.sub(" ", " ".join(caption.lower().split()))
    return {key for key, pattern in petals.items() if pattern.search(text)}


def photo_colours(captions: list[str]) -> set[str]:
    """The petal colours any caption of one photo states."""
    return set().union(*(caption_colours(c) for c in captions)) if captions else set()


def colour_pairs(captions: list[list[str]], labels: np.ndarray, class_names: tuple[str, ...],
                 min_count: int) -> list[tuple[str, str, int]]:
    """(class, colour, photos) for every class × petal colour that at least min_count training photos' captions
    state, classes in their order and colours most frequent first: the prompts a model can be asked fairly."""
    from ganstudio.core.captions.templates import COLOURS

    counts: dict[tuple[int, str], int] = {}
    for caps, label in zip(captions, labels):
        if 0 <= label < len(class_names):
            for colour in photo_colours(caps):
                counts[(int(label), colour)] = counts.get((int(label), colour), 0) + 1
    order = list(COLOURS)
    kept = sorted(((label, colour, n) for (label, colour), n in counts.items() if n >= min_count),
                  key=lambda p: (p[0], -p[2], order.index(p[1])))
    return [(class_names[label], colour, n) for label, colour, n in kept]


@dataclass(frozen=True)
class Prompt:
    text: str
    class_name: str
    colour: str


def agreement_prompts(pairs: list[tuple[str, str, int]], per_pair: int, held_out: bool = False,
                      seed: int = 0) -> list[Prompt]:
    """per_pair captions of each (class, colour) pair that state the flower and its petal colour and nothing else,
    from the training templates and synonyms, or (held_out=True) only from held-out ones: the paraphrase test."""
    from ganstudio.core.captions.attributes import PhotoFacts
    from ganstudio.core.captions.generate import captions_for, seed_for

    prompts = []
    for class_name, colour, _ in pairs:
        facts = PhotoFacts((colour,), None, (), False, "one", False, 0.0)
        texts = captions_for(facts, class_name, seed_for(f"{class_name}/{colour}", seed), per_pair, held_out)
        prompts += [Prompt(t, class_name, colour) for t in texts if caption_colours(t) == {colour}]
    return prompts


# ---- scores ---------------------------------------------------------------------------------------------------------
def class_agreement(probabilities: np.ndarray, expected: np.ndarray) -> float:
    """Share of images whose most probable class is the expected one."""
    return float(np.mean(np.argmax(probabilities, axis=1) == np.asarray(expected))) if len(expected) else float("nan")


def dominant_colours(images: np.ndarray, measure: Callable | None = None) -> list[str | None]:
    """The strongest petal colour measured in each uint8 image (None when no flower colour stands out)."""
    if measure is None:
        from ganstudio.core.captions.attributes import measure
    return [(facts.petal_colours or (None,))[0] for facts in map(measure, images)]


def colour_agreement(dominant: list[str | None], expected: list[str]) -> float:
    """Share of images whose dominant petal colour is the expected one (no colour found counts as a miss)."""
    return float(np.mean([d == e for d, e in zip(dominant, expected)])) if len(expected) else float("nan")


def mean_pairwise_distance(features: np.ndarray) -> float:
    """Mean Euclidean distance over all pairs of rows: the variety of a set of images in feature space."""
    f = np.asarray(features, np.float64)
    if len(f) < 2:
        return float("nan")
    squared = np.maximum((f * f).sum(1)[:, None] + (f * f).sum(1)[None, :] - 2 * f @ f.T, 0.0)
    upper = np.triu_indices(len(f), 1)
    return float(np.sqrt(squared[upper]).mean())


def r_precision_of(image_emb: np.ndarray, text_emb: np.ndarray, seed: int = 0, rounds: int = 10) -> float:
    """Image i's true caption is row i of text_emb: is it the best of 100 (it and 99 other rows at random)?"""
    from ganstudio.ml.text.evaluate import retrieval

    return retrieval(image_emb, text_emb, np.arange(len(text_emb)), seed, rounds)


# ---- generating -----------------------------------------------------------------------------------------------------
def generate_for(session, texts: list[str], z: np.ndarray) -> np.ndarray:
    """uint8 images, image i from texts[i] and z[i] (texts embedded once each)."""
    unique = list(dict.fromkeys(texts))
    emb = session.embed(unique) if unique else np.zeros((0, session.config.text_dim), np.float32)
    rows = emb[[unique.index(t) for t in texts]]
    parts = [session.generate(rows[i:i + BATCH], z[i:i + BATCH]) for i in range(0, len(texts), BATCH)]
    return np.concatenate(parts) if parts else np.zeros((0, session.image_size, session.image_size, 3), np.uint8)


def at_size(images: np.ndarray, size: int) -> np.ndarray:
    """uint8 images resized to size × size (the text encoder's image side may differ from the generator's)."""
    if images.shape[1:3] == (size, size):
        return images
    from PIL import Image

    return np.stack([np.asarray(Image.fromarray(im).resize((size, size), Image.Resampling.BICUBIC)) for im in images])


# ---- the whole evaluation -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TextEvalOptions:
    n: int = 1000  # generated images for FID (from held-out captions, cycled)
    prompts_per_pair: int = 3  # agreement prompts per class × colour pair (and again as paraphrases)
    per_prompt: int = 3  # z's per agreement prompt
    min_count: int = 20  # a class × colour pair is asked only when this many training photos show it
    diversity_samples: int = 16
    rounds: int = 10  # R-precision draws of distractors
    seed: int = 0


@dataclass
class HeldOut:
    """The data split the model was trained on: images, captions and class ids of both parts."""

    train_images: np.ndarray
    train_captions: list[list[str]]
    train_labels: np.ndarray
    images: np.ndarray
    captions: list[list[str]]
    labels: np.ndarray
    class_names: tuple[str, ...] = ()

    @classmethod
    def of(cls, data, holdout: float) -> HeldOut:
        """data: a core.captions.data.CaptionedData; holdout: the fraction the model was trained with."""
        from ganstudio.core.image_data.splits import split_mask

        held = split_mask(data.names, holdout)
        parts = [(data.images[m], [data.captions[i] for i in np.flatnonzero(m)], data.labels[m]) for m in (~held, held)]
        return cls(*parts[0], *parts[1], tuple(data.class_names))


def _class_ids(names: list[str], classifier_classes: tuple[str, ...]) -> np.ndarray:
    index = {c.lower(): i for i, c in enumerate(classifier_classes)}
    return np.asarray([index[n.lower()] for n in names], np.int64)


def agreement_lines(session, classifier, prompts: list[Prompt], options: TextEvalOptions, suffix: str = "",
                    measure: Callable | None = None) -> list[Line]:
    """class_agreement and colour_agreement (overall and per class) of options.per_prompt images per prompt; the
    same z's under every prompt, so prompts differ only in their text."""
    if not prompts:
        return []
    z = np.tile(session.sample_z(options.per_prompt, options.seed), (len(prompts), 1))
    texts = [p.text for p in prompts for _ in range(options.per_prompt)]
    classes = [p.class_name for p in prompts for _ in range(options.per_prompt)]
    colours = [p.colour for p in prompts for _ in range(options.per_prompt)]
    images = generate_for(session, texts, z)
    _, probs = classifier.embed(images)
    expected = _class_ids(classes, classifier.class_names)
    dominant = dominant_colours(images, measure)
    lines = [(f"class_agreement{suffix}", class_agreement(probs, expected), "share"),
             (f"colour_agreement{suffix}", colour_agreement(dominant, colours), "share")]
    for name in dict.fromkeys(classes):
        mine = np.asarray([c == name for c in classes])
        lines.append((f"class_agreement{suffix}_{name}", class_agreement(probs[mine], expected[mine]), "share"))
        lines.append((f"colour_agreement{suffix}_{name}",
                      colour_agreement([d for d, m in zip(dominant, mine) if m], [c for c, m in zip(colours, mine) if m]),
                      "share"))
    lines.append((f"agreement_images{suffix}", float(len(images)), "images"))
    return lines


def real_agreement_lines(classifier, pairs: list[tuple[str, str, int]], split: HeldOut,
                         measure: Callable | None = None) -> list[Line]:
    """The same two agreements for the held-out real photos of the prompt pairs (captions stating one petal colour):
    what the measuring tools give a true photo, so the generated figures can be read against it. Each pair counts
    once, as each pair's prompts do."""
    names = list(split.class_names)
    members = {}
    for i, (caps, label) in enumerate(zip(split.captions, split.labels)):
        colours = photo_colours(caps)
        if len(colours) == 1 and 0 <= label < len(names):
            members.setdefault((names[label], next(iter(colours))), []).append(i)
    chosen = [(pair[:2], members[pair[:2]]) for pair in pairs if pair[:2] in members]
    if not chosen:
        return []
    index = np.concatenate([np.asarray(i) for _, i in chosen])
    _, probs = classifier.embed(split.images[index])
    dominant = dominant_colours(split.images[index], measure)
    class_scores, colour_scores, start = [], [], 0
    for (class_name, colour), rows in chosen:
        part = slice(start, start + len(rows))
        start += len(rows)
        class_scores.append(class_agreement(probs[part], _class_ids([class_name] * len(rows), classifier.class_names)))
        colour_scores.append(colour_agreement(dominant[part], [colour] * len(rows)))
    return [("class_agreement_real", float(np.mean(class_scores)), "share"),
            ("colour_agreement_real", float(np.mean(colour_scores)), "share"),
            ("agreement_images_real", float(len(index)), "images")]


def retrieval_and_fid_lines(session, classifier, split: HeldOut, options: TextEvalOptions) -> list[Line]:
    """r_precision (generated and real held-out photos against the same captions), fid_vs_heldout and its floor."""
    from ganstudio.core.metrics.fid import feature_stats, frechet_distance

    rng = np.random.default_rng(options.seed)
    chosen = [caps[rng.integers(len(caps))] for caps in split.captions]  # one caption per held-out photo
    count = max(options.n, len(chosen))
    texts = [chosen[i % len(chosen)] for i in range(count)]
    generated = generate_for(session, texts, session.sample_z(count, options.seed))
    encoder = session.encoder
    text_emb = session.embed(chosen)
    gen_emb = encoder.encode_images(at_size(generated[:len(chosen)], encoder.image_size))
    real_emb = encoder.encode_images(at_size(split.images, encoder.image_size))
    lines = [("r_precision", r_precision_of(gen_emb, text_emb, options.seed, options.rounds), "share"),
             ("r_precision_real", r_precision_of(real_emb, text_emb, options.seed, options.rounds), "share"),
             ("r_precision_candidates", float(min(100, len(chosen))), "captions")]
    reference = feature_stats(classifier.embed(split.images)[0])
    fid_n = min(options.n, count)
    train = split.train_images[rng.choice(len(split.train_images), min(fid_n, len(split.train_images)), replace=False)]
    lines += [("fid_vs_heldout", frechet_distance(*feature_stats(classifier.embed(generated[:fid_n])[0]), *reference), "fid"),
              ("fid_real_floor", frechet_distance(*feature_stats(classifier.embed(train)[0]), *reference), "fid"),
              ("samples_generated", float(fid_n), "images"), ("samples_heldout", float(len(split.images)), "images")]
    return lines


def diversity_lines(session, classifier, pairs: list[tuple[str, str, int]], split: HeldOut,
                    options: TextEvalOptions) -> list[Line]:
    """Per class, its most frequent colour's plain prompt ("A red rose."): the variety of diversity_samples images
    of it, and of up to 200 real photos of that class whose captions give it that colour (means over classes)."""
    from ganstudio.core.captions.generate import tidy
    from ganstudio.core.captions.templates import class_nouns

    firsts = {}
    for class_name, colour, _ in pairs:
        firsts.setdefault(class_name, colour)
    images = np.concatenate([split.train_images, split.images])
    captions = split.train_captions + split.captions
    labels = np.concatenate([split.train_labels, split.labels])
    names = list(split.class_names)
    rng = np.random.default_rng(options.seed)
    z = session.sample_z(options.diversity_samples, options.seed + 1)
    fake, real = [], []
    for class_name, colour in firsts.items():
        noun = class_nouns(class_name).train[0][0]
        generated = session.prompt(tidy(f"a {colour} {noun}."), z)
        fake.append(mean_pairwise_distance(classifier.embed(generated)[0]))
        label = names.index(class_name) if class_name in names else -1
        mine = [i for i in np.flatnonzero(labels == label) if colour in photo_colours(captions[i])]
        pick = rng.permutation(mine)[:200]
        real.append(mean_pairwise_distance(classifier.embed(images[pick])[0]) if len(pick) >= 2 else np.nan)
    if not fake:
        return []
    return [("diversity", float(np.nanmean(fake)), "distance"), ("diversity_real", float(np.nanmean(real)), "distance")]


def evaluate_text(session, classifier, data, holdout: float, options: TextEvalOptions = TextEvalOptions(),
                  measure: Callable | None = None, log: Callable[[str], None] = lambda message: None) -> list[Line]:
    """Every `ganstudio eval-text` line. data: the captioned data set the model was trained on (CaptionedData);
    classes the classifier does not know are left out of the agreement prompts (log says which)."""
    from ganstudio.core.errors import StudioError

    split = HeldOut.of(data, holdout)
    if len(split.images) < 2 or len(split.train_images) < 2:
        raise StudioError(f"Holding out {holdout:g} of {len(data.images)} photos leaves {len(split.images)} held out.",
                          "Evaluate on the data set the model was trained on, with the hold-out it used (--holdout).")
    class_names = tuple(session.config.class_names) or tuple(data.class_names)
    known = {c.lower() for c in classifier.class_names}
    missing = [c for c in class_names if c.lower() not in known]
    if missing:
        log(f"the classifier does not know {', '.join(missing)}: left out of the agreement prompts")
    pairs = [p for p in colour_pairs(split.train_captions, split.train_labels, tuple(data.class_names),
                                     options.min_count) if p[0].lower() in known and p[0] in class_names]
    if not pairs:
        log(f"no class × colour pair is stated by {options.min_count} training photos: no agreement lines")
    log("prompt pairs: " + ", ".join(f"{colour} {name} ({n})" for name, colour, n in pairs))
    lines: list[Line] = [("agreement_pairs", float(len(pairs)), "pairs"),
                         ("class_agreement_chance", 1.0 / len(classifier.class_names), "share")]
    for suffix, held_out in (("", False), ("_paraphrase", True)):
        prompts = agreement_prompts(pairs, options.prompts_per_pair, held_out, options.seed)
        log(f"{len(prompts)} {'paraphrase' if held_out else 'agreement'} prompts, e.g. "
            + "; ".join(p.text for p in prompts[:: max(1, len(prompts) // 3)][:3]))
        lines += agreement_lines(session, classifier, prompts, options, suffix, measure)
    lines += real_agreement_lines(classifier, pairs, split, measure)
    log(f"R-precision and FID on {len(split.images)} held-out photos' captions")
    lines += retrieval_and_fid_lines(session, classifier, split, options)
    lines += diversity_lines(session, classifier, pairs, split, options)
    return lines
