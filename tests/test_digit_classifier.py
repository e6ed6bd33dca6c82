"""The shipped digit classifier: confident on real MNIST digits, not on noise, chosen by name (the flower classifier
stays FID's default), and the outlier images it was trained against."""

from __future__ import annotations

import numpy as np
import pytest

from ganstudio.ml.evaluation.outliers import outlier_images


@pytest.fixture(scope="module")
def digits():
    from ganstudio.ml.evaluation.digits import digit_session

    return digit_session()


@pytest.fixture(scope="module")
def heldout_digits():
    """300 of the MNIST digits the shipped classifier held out (32×32, one channel, as the DCGAN sees them)."""
    from ganstudio.ml.evaluation.data import load_split

    _, _, heldout = load_split("mnist", 0.1, 32, channels=None)
    return heldout.images[:300]


def test_real_digits_score_high_and_noise_low(digits, heldout_digits):
    from ganstudio.ml.evaluation.digits import digit_rate

    assert digits.class_names == tuple("0123456789") and digits.image_size == 32 and digits.channels == 1
    assert digit_rate(digits, heldout_digits) >= 0.8
    rng = np.random.default_rng(0)
    assert digit_rate(digits, rng.integers(0, 256, (200, 32, 32, 1), dtype=np.uint8)) <= 0.05
    assert digit_rate(digits, np.full((20, 32, 32, 1), 128, np.uint8)) <= 0.05  # an untrained generator's grey


def test_digit_rate_loads_a_classifier_by_name_and_refuses_no_images(heldout_digits):
    from ganstudio.ml.evaluation.digits import digit_rate

    assert digit_rate("digit-classifier", heldout_digits[:20], confidence=0.0) == 1.0
    with pytest.raises(ValueError):
        digit_rate("digit-classifier", heldout_digits[:0])


def test_the_default_classifier_is_still_the_flower_one():
    from ganstudio.ml.evaluation.classifier import resolve_classifier

    assert resolve_classifier(None).name == "flower-classifier"
    assert resolve_classifier("digit-classifier").name == "digit-classifier"


def test_outliers_are_shaped_like_the_data_and_blends_mix_classes():
    from ganstudio.ml.evaluation import outliers

    labels = np.arange(40) % 2
    data = np.zeros((40, 12, 12, 1), np.uint8)
    data[labels == 0, 5:7, 2:10] = 255  # class 0: a horizontal bar
    data[labels == 1, 2:10, 5:7] = 255  # class 1: a vertical bar
    out = outlier_images(data, np.random.default_rng(0), 60, labels)
    assert out.shape == (60, 12, 12, 1) and out.dtype == np.uint8
    assert len(np.unique(out.reshape(60, -1), axis=0)) > 30  # varied, not one image repeated
    crosses = outliers._blends(np.random.default_rng(1), 20, data, labels)
    assert np.all(crosses.sum(axis=(1, 2, 3)) == 255 * 28)  # every blend is both bars: 16 + 16 - 4 overlapping pixels
