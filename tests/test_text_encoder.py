"""The text encoder for text-to-image: tokenisers and their bad input, caption noise, the contrastive loss by hand,
R-precision, a toy joint training that learns colour words, the model folder round trip and the shipped encoder."""

from __future__ import annotations


import numpy as np
import pytest

from ganstudio.core.text.noise import corrupt_ids, with_typos
from ganstudio.core.text.tokenizers import PAD, UNK, build_tokenizer, tokenizer_from_config, words_of

CAPTIONS = ["A red rose with green leaves.", "a yellow sunflower, dark centre", "white daisies against the sky"]


# ---- tokenisers -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["word", "char"])
def test_tokenisers_survive_bad_input(kind):
    tok = build_tokenizer(kind, CAPTIONS)
    for text in ["", "   \n\t ", None, "🌹🌹", "玫瑰 花", "x" * 5000, "a red rose " * 500]:
        ids = tok.encode_batch([text])
        assert ids.shape == (1, tok.max_len) and ids.dtype == np.int32
        assert ids[0, 0] != PAD and ids.max() < tok.size  # never empty, never out of the embedding's range
    assert tok.encode("") == [UNK] and tok.encode("🌹") == [UNK]
    assert len(tok.encode("a red rose " * 500)) == tok.max_len  # truncated
    assert tokenizer_from_config(tok.to_config()) == tok


def test_word_tokeniser_names_unknown_words():
    tok = build_tokenizer("word", CAPTIONS)
    assert words_of("A Red-rose, 3 times!") == ["a", "red", "rose", "times"]
    assert tok.encode("a RED rose") == tok.encode("a red rose") and UNK not in tok.encode("a red rose")
    assert tok.encode("a red peony")[-1] == UNK
    assert tok.unknown_words("a red peony and a peony 🌹 玫瑰 Café") == ["peony", "and", "玫瑰", "cafe"]
    assert tok.unknown_words("") == [] and tok.unknown_words("   ") == []


def test_char_tokeniser_maps_other_scripts_to_one_unknown_id():
    tok = build_tokenizer("char", CAPTIONS)
    assert tok.encode("ab") == [tok.encode("a")[0], tok.encode("b")[0]]
    assert tok.encode("é") == tok.encode("e")  # accents stripped, not unknown
    assert tok.encode("玫🌹") == [UNK, UNK]
    assert tok.unknown_words("a red peony") == ["peony"]  # it can embed it, but no caption taught it


def test_typos_swap_letters_and_corruption_keeps_padding():
    rng = np.random.default_rng(0)
    text = "a yellow sunflower with a dark centre"
    typo = with_typos(text, rng)
    assert typo != text and sorted(typo) == sorted(text) and typo.count(" ") == text.count(" ")
    assert with_typos("", rng) == "" and with_typos("a b", rng) == "a b"
    ids = np.array([[5, 6, 7, 8, PAD, PAD]] * 50)
    out = corrupt_ids(ids, rng, 0.3, 0.3)
    assert (out[:, 4:] == PAD).all() and (out[:, :4] != PAD).all() and (out != ids).any()
    chars = build_tokenizer("char", CAPTIONS)
    row = chars.encode_batch(["a red rose"] * 200)
    masked = corrupt_ids(row, rng, 0.5, 0.0, chars.separator)
    assert (masked[:, [1, 5]] == chars.separator).all()  # spaces stay: whole words go
    red = masked[:, 2:5]
    assert ((red == UNK).all(axis=1) | (red == row[:, 2:5]).all(axis=1)).all() and (red == UNK).any()


# ---- loss and measure -----------------------------------------------------------------------------------------------
def test_contrastive_loss_matches_a_hand_computation():
    from ganstudio.ml.text.contrastive import contrastive_loss

    text = np.array([[1.0, 0.0], [0.6, 0.8]], np.float32)
    image = np.array([[0.8, 0.6], [0.0, 1.0]], np.float32)
    # t0·i0 = 0.8, t0·i1 = 0, t1·i0 = 0.48 + 0.48 = 0.96, t1·i1 = 0.8; over τ = 0.1: logits [[8, 0], [9.6, 8]].
    # Caption 1 prefers photo 0 (9.6 > 8): the loss must count that mistake in both directions.
    xent = lambda row, k: np.log(np.exp(row).sum()) - row[k]  # noqa: E731
    logits = np.array([[8.0, 0.0], [9.6, 8.0]])
    caption_to_photo = (xent(logits[0], 0) + xent(logits[1], 1)) / 2
    photo_to_caption = (xent(logits[:, 0], 0) + xent(logits[:, 1], 1)) / 2
    by_hand = 0.5 * (caption_to_photo + photo_to_caption)
    assert float(contrastive_loss(text, image, 0.1)) == pytest.approx(by_hand, rel=1e-5)


def test_r_precision_is_one_for_perfect_and_shares_ties():
    from ganstudio.ml.text.contrastive import r_precision

    eye = np.eye(4, dtype=np.float32)
    assert r_precision(eye, eye, np.arange(4), np.random.default_rng(0)) == 1.0
    same = np.ones((4, 2), np.float32) / np.sqrt(2)  # every caption alike: a random tie-break, 1 in 4
    assert r_precision(same, same, np.arange(4), np.random.default_rng(0)) == pytest.approx(0.25)


# ---- training on toy colours ----------------------------------------------------------------------------------------
COLOURS = {"red": (220, 30, 30), "green": (30, 200, 40), "blue": (30, 60, 220), "yellow": (230, 220, 30),
           "white": (240, 240, 240), "black": (10, 10, 10), "purple": (140, 40, 180), "orange": (240, 140, 20)}


def toy_photos(n: int, seed: int):
    """Flat colour squares (jittered) captioned with their colour's name: chance R-precision is 1/8 among 8."""
    from ganstudio.ml.text.data import CaptionedPhotos

    rng, names = np.random.default_rng(seed), list(COLOURS)
    colours = [names[i % len(names)] for i in range(n)]
    rgb = np.clip([np.add(COLOURS[c], rng.integers(-15, 16, 3)) for c in colours], 0, 255).astype(np.uint8)
    images = np.broadcast_to(rgb[:, None, None, :], (n, 16, 16, 3)).copy()
    captions = [[f"a {c} square", f"this one is {c}", c] for c in colours]
    return CaptionedPhotos(images, captions, [f"toy/{seed}-{i}.png" for i in range(n)])


def tiny_config(kind: str, **kw):
    from ganstudio.ml.text.training import TextEncoderConfig

    widths = (32, 32, 32) if kind == "char" else (32,)
    return TextEncoderConfig(kind=kind, batch_size=16, lr=5e-3, text_widths=widths, image_widths=(), dim=32,
                             max_len=32 if kind == "char" else 8, **kw)


def test_twenty_steps_on_toy_colours_retrieve_well_above_chance():
    from ganstudio.ml.text.evaluate import evaluate
    from ganstudio.ml.text.training import train_text_encoder

    train, held = toy_photos(64, 0), toy_photos(8, 1)
    trained = train_text_encoder(train, held, tiny_config("word", steps=20, select_every=20))
    score = evaluate(*trained.encoders(), trained.tokenizer, held.images, {"s": held.captions})["s"]
    assert score >= 0.5, f"R-precision {score} (chance 0.125)"
    assert trained.metrics["best_step"] == 20 and len(trained.history) == 1


def test_save_load_round_trip_gives_identical_embeddings(tmp_path):
    from ganstudio.core.text.tokenizers import build_tokenizer as build
    from ganstudio.ml.inference.text_encoder import TextEncoderSession
    from ganstudio.ml.text.evaluate import embed
    from ganstudio.ml.text.model_folder import save_text_encoder
    from ganstudio.ml.text.training import TrainedTextEncoder, build_joint

    photos, cfg = toy_photos(8, 0), tiny_config("char")
    trained = TrainedTextEncoder(build_joint(cfg, build("char", CAPTIONS, 32), 16), build("char", CAPTIONS, 32), cfg)
    save_text_encoder(trained, tmp_path / "enc", {"name": "toy"}, {"holdout": 0.1, "select": 0.08})
    session = TextEncoderSession.load(tmp_path / "enc")
    texts = ["a red square", "", "🌹 玫瑰", "x" * 5000]
    text_model, image_model = trained.encoders()
    np.testing.assert_array_equal(session.encode(texts), embed(text_model, trained.tokenizer.encode_batch(texts)))
    images = embed(image_model, photos.images.astype("float32"))
    np.testing.assert_array_equal(session.encode_images(photos.images), images)
    assert session.encode([]).shape == (0, 32) and session.unknown_words("a red peony") == ["peony"]
