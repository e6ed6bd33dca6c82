"""`ganstudio eval-text`'s measures can fail: a generator that draws what the prompt says scores 1, one that draws
the wrong flower or colour scores 0 (fake generator and classifier); the caption reading behind the prompt list
keeps centre colours out of petal colours; paraphrase prompts use only held-out words; the command prints every
contract line on the tiny model."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from ganstudio.ml.evaluation import text_to_image as t2i

RGB = {"white": (245, 245, 245), "yellow": (240, 220, 30), "orange": (250, 140, 20), "red": (220, 30, 30),
       "pink": (240, 130, 180), "purple": (140, 60, 200)}
CLASSES = ("daisy", "rose", "tulip")
SIZE = 64


def flower(colour: str, class_id: int) -> np.ndarray:
    """A disc of petal colour on foliage; the class is written in the corner pixel (for the fake classifier)."""
    y, x = np.mgrid[:SIZE, :SIZE] / SIZE - 0.5
    image = np.zeros((SIZE, SIZE, 3), np.uint8)
    image[:] = (40, 140, 40)
    image[np.hypot(x, y) < 0.3] = RGB[colour]
    image[0, 0] = (class_id * 10, 140, 40)
    return image


class FakeClassifier:
    class_names = CLASSES

    def embed(self, images):
        ids = np.asarray(images)[:, 0, 0, 0].astype(int) // 10
        probs = np.eye(len(CLASSES))[np.clip(ids, 0, len(CLASSES) - 1)]
        return np.asarray(images, np.float64).reshape(len(images), -1)[:, ::97], probs


class FakeSession:
    """Reads the class and colour a prompt names and draws them, or (wrong=True) the next class in another colour."""

    def __init__(self, wrong: bool = False) -> None:
        self.wrong = wrong
        self.config = SimpleNamespace(text_dim=2, class_names=CLASSES)
        self.image_size = SIZE

    def sample_z(self, n, seed=None):
        return np.random.default_rng(seed).standard_normal((n, 4)).astype(np.float32)

    def embed(self, texts):
        texts = [texts] if isinstance(texts, str) else texts
        colours = list(RGB)
        rows = []
        for text in texts:
            named = [c for c in CLASSES if c in text.lower()]
            colour = sorted(t2i.caption_colours(text)) or ["white"]
            rows.append((CLASSES.index(named[0]) if named else 0, colours.index(colour[0])))
        return np.asarray(rows, np.float32)

    def generate(self, embeddings, z):
        rows = np.broadcast_to(np.asarray(embeddings).reshape(-1, 2), (len(z), 2))
        colours = list(RGB)
        out = []
        for class_id, colour in rows.astype(int):
            if self.wrong:
                class_id, colour = (class_id + 1) % len(CLASSES), (colour + 1) % len(colours)
            out.append(flower(colours[colour], class_id))
        return np.stack(out)

    def prompt(self, text, z):
        return self.generate(self.embed(text), z)


PAIRS = [("daisy", "white", 30), ("rose", "red", 30), ("rose", "pink", 25), ("tulip", "purple", 20)]


@pytest.mark.parametrize("wrong, expected", [(False, 1.0), (True, 0.0)])
def test_agreement_is_one_for_right_images_and_zero_for_wrong_ones(wrong, expected):
    options = t2i.TextEvalOptions(per_prompt=2, prompts_per_pair=2)
    for held_out, suffix in ((False, ""), (True, "_paraphrase")):
        prompts = t2i.agreement_prompts(PAIRS, 2, held_out)
        lines = dict((name, value) for name, value, _ in
                     t2i.agreement_lines(FakeSession(wrong), FakeClassifier(), prompts, options, suffix))
        assert lines[f"class_agreement{suffix}"] == expected and lines[f"colour_agreement{suffix}"] == expected
        assert lines[f"class_agreement{suffix}_rose"] == expected and lines[f"agreement_images{suffix}"] == 16


def test_real_photo_agreement_scores_each_pair_once_and_can_fail():
    captions = [["A white daisy."], ["A white daisy."], ["A red rose."], ["A red rose."], ["A red and pink rose."]]
    right = np.stack([flower("white", 0), flower("white", 0), flower("red", 1), flower("red", 1), flower("red", 1)])
    wrong = right.copy()
    wrong[2:4] = flower("yellow", 2)  # both roses look like yellow tulips: the rose pair scores 0
    for images, expected in ((right, 1.0), (wrong, 0.5)):
        split = t2i.HeldOut(images, captions, np.array([0, 0, 1, 1, 1]), images, captions, np.array([0, 0, 1, 1, 1]),
                            CLASSES)
        lines = {name: value for name, value, _ in t2i.real_agreement_lines(FakeClassifier(), PAIRS, split)}
        assert lines["class_agreement_real"] == lines["colour_agreement_real"] == expected
        assert lines["agreement_images_real"] == 4  # the two-colour rose states no single colour: left out


def test_class_and_colour_agreement_count_hits():
    probs = np.eye(3)[[0, 1, 2, 2]]
    assert t2i.class_agreement(probs, np.array([0, 1, 2, 2])) == 1.0
    assert t2i.class_agreement(probs, np.array([1, 2, 0, 0])) == 0.0
    assert t2i.class_agreement(probs, np.array([0, 1, 0, 0])) == 0.5
    assert t2i.colour_agreement(["red", None, "pink"], ["red", "red", "red"]) == pytest.approx(1 / 3)
    images = np.stack([flower("red", 0), flower("yellow", 0)])
    assert t2i.dominant_colours(images) == ["red", "yellow"]  # the real pixel rules, not a fake


@pytest.mark.parametrize("caption, colours", [
    ("A white daisy whose centre is yellow.", {"white"}),
    ("A close-up photo of a daisy with white petals and a lemon yellow middle.", {"white"}),
    ("This sunflower has yellow petals around a dark brown disc.", {"yellow"}),
    ("A red and pinkish rose.", {"red", "pink"}),
    ("The petals of this tulip are lilac.", {"purple"}),
    ("Scarlet is the colour of this rose.", {"red"}),
    ("A dandelion with a tawny center.", set()),
])
def test_captions_give_petal_colours_and_not_centre_colours(caption, colours):
    assert t2i.caption_colours(caption) == colours


def test_pairs_are_the_colours_enough_photos_of_a_class_show():
    captions = [["A white daisy.", "A daisy with a yellow centre."]] * 3 + [["A yellow daisy."]] + \
               [["A red rose.", "A crimson rose."]] * 2
    labels = np.array([0, 0, 0, 0, 1, 1])
    assert t2i.colour_pairs(captions, labels, ("daisy", "rose"), 2) == [("daisy", "white", 3), ("rose", "red", 2)]
    assert ("daisy", "yellow", 1) in t2i.colour_pairs(captions, labels, ("daisy", "rose"), 1)


def test_prompts_name_the_flower_and_colour_and_paraphrases_only_held_out_words():
    from ganstudio.core.captions.templates import COLOURS

    train, held = t2i.agreement_prompts(PAIRS, 3), t2i.agreement_prompts(PAIRS, 3, held_out=True)
    assert len(train) == 12 and len(held) >= 8
    for prompt in train + held:
        assert prompt.class_name in prompt.text.lower() and t2i.caption_colours(prompt.text) == {prompt.colour}
    for prompt in held:
        text = prompt.text.lower()
        assert any(word in text for word in COLOURS[prompt.colour].held)
        assert not any(f" {word} " in f" {text.replace('.', ' ')} " for word in COLOURS[prompt.colour].train)
    assert t2i.agreement_prompts(PAIRS, 3) == train  # a fixed list


def test_diversity_and_r_precision_can_fail():
    same = np.tile([[1.0, 2.0]], (5, 1))
    assert t2i.mean_pairwise_distance(same) == 0.0
    assert t2i.mean_pairwise_distance(np.array([[0.0, 0.0], [3.0, 4.0]])) == pytest.approx(5.0)
    emb = np.eye(20, dtype=np.float32)
    assert t2i.r_precision_of(emb, emb) == 1.0
    assert t2i.r_precision_of(emb, np.roll(emb, 1, axis=0)) == 0.0


def test_eval_text_prints_every_line_on_the_tiny_model(tiny_prompt_model, monkeypatch, capsys):
    """The whole command on the toy model and its toy captions (fake classifier: the shipped one knows five flowers,
    the toy data has red squares)."""
    from ganstudio import cli
    from ganstudio.ml.evaluation.classifier import ClassifierSession

    class Toy(FakeClassifier):
        class_names = ("rose", "daisy")

    monkeypatch.setattr(ClassifierSession, "load", classmethod(lambda cls, *a, **k: Toy()))
    assert cli.main(["eval-text", str(tiny_prompt_model), "--min-count", "2", "--n", "8", "--per-prompt", "1",
                     "--prompts-per-pair", "1", "--diversity-samples", "4"]) == 0
    out, err = capsys.readouterr()
    lines = {line.split()[0]: (float(line.split()[1]), line.split()[2]) for line in out.splitlines()}
    for name in ("class_agreement", "colour_agreement", "class_agreement_paraphrase", "colour_agreement_paraphrase",
                 "r_precision", "r_precision_real", "class_agreement_real", "colour_agreement_real"):
        assert lines[name][1] == "share" and 0.0 <= lines[name][0] <= 1.0
    assert lines["class_agreement_chance"] == (0.5, "share")
    for name in ("fid_vs_heldout", "fid_real_floor", "diversity", "diversity_real"):
        assert np.isfinite(lines[name][0]) and lines[name][0] >= 0
    assert "flatters" in err and "prompt pairs:" in err


def test_eval_text_refuses_bad_counts(tmp_path, capsys):
    from ganstudio import cli

    assert cli.main(["eval-text", str(tmp_path), "--n", "1"]) == 2
    assert "--n 1 is too small" in capsys.readouterr().err
