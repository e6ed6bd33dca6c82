"""The metrics library (ganstudio/core/metrics) against references computed independently here: closed forms, the
formulas written out as loops, hand-made cases with known answers, and scipy where it has the same statistic."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from scipy.spatial.distance import jensenshannon

from ganstudio.core.errors import StudioError
from ganstudio.core.metrics.birthday import birthday_test, closest_pairs
from ganstudio.core.metrics.fid import feature_stats, fid_from_features, frechet_distance
from ganstudio.core.metrics.inception_score import inception_score
from ganstudio.core.metrics.kid import kid
from ganstudio.core.metrics.memorisation import k_nearest, knn_copy_rate
from ganstudio.core.metrics.modes import class_histogram, total_variation
from ganstudio.core.metrics.prdc import prdc
from ganstudio.core.metrics.tequila import (centroid_slopes, column_centroids, ecdf, intensity_histogram, jsd,
                                            ks_two_sample)


# ---- FID ------------------------------------------------------------------------------------------------------------
def test_fid_matches_the_two_by_two_closed_form_for_non_commuting_covariances():
    # For 2×2 M with positive eigenvalues: Tr sqrt(M) = sqrt(Tr M + 2 sqrt(det M)); here M = Σ1 Σ2.
    s1, s2 = np.array([[2.0, 0.8], [0.8, 1.0]]), np.array([[1.0, -0.3], [-0.3, 3.0]])
    mu1, mu2 = np.array([0.5, -1.0]), np.array([2.0, 1.0])
    m = s1 @ s2
    trace_sqrt = math.sqrt(np.trace(m) + 2 * math.sqrt(np.linalg.det(m)))
    expected = np.sum((mu1 - mu2) ** 2) + np.trace(s1) + np.trace(s2) - 2 * trace_sqrt
    assert frechet_distance(mu1, s1, mu2, s2) == pytest.approx(expected, rel=1e-9)


def test_fid_of_samples_approaches_the_gaussians_closed_form():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(4000, 2)), rng.normal(size=(4000, 2)) * 2.0 + 1.0
    # N(0, I) vs N(1, 4I): ‖Δμ‖² = 2, Σ(σ1 − σ2)² = 2
    assert fid_from_features(a, b) == pytest.approx(4.0, abs=0.25)
    assert feature_stats(a)[1].shape == (2, 2)


# ---- KID ------------------------------------------------------------------------------------------------------------
def _mmd2_by_loops(x, y):
    k = lambda a, b: (sum(ai * bi for ai, bi in zip(a, b)) / len(a) + 1.0) ** 3  # noqa: E731
    n, m = len(x), len(y)
    xx = sum(k(x[i], x[j]) for i in range(n) for j in range(n) if i != j) / (n * (n - 1))
    yy = sum(k(y[i], y[j]) for i in range(m) for j in range(m) if i != j) / (m * (m - 1))
    xy = sum(k(x[i], y[j]) for i in range(n) for j in range(m)) / (n * m)
    return xx + yy - 2 * xy


def test_kid_equals_the_unbiased_mmd_formula_written_out():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(7, 3)), rng.normal(size=(7, 3)) + 0.5
    # one block of all samples: a permutation, which the MMD does not see
    mean, std = kid(x, y, subset_size=100, subsets=1)
    assert mean == pytest.approx(_mmd2_by_loops(x.tolist(), y.tolist()), rel=1e-10) and std == 0.0


def test_kid_is_near_zero_for_one_distribution_and_symmetric():
    rng = np.random.default_rng(2)
    x, y, z = rng.normal(size=(300, 4)), rng.normal(size=(300, 4)), rng.normal(size=(300, 4)) + 1.0
    same, far = kid(x, y, subset_size=100, subsets=20)[0], kid(x, z, subset_size=100, subsets=20)[0]
    assert abs(same) < 0.05 * far
    assert kid(z, x, subset_size=300, subsets=1)[0] == pytest.approx(kid(x, z, subset_size=300, subsets=1)[0])


def test_kid_refuses_one_sample():
    with pytest.raises(StudioError, match="at least 2"):
        kid(np.zeros((1, 3)), np.zeros((5, 3)))


# ---- Inception-style score ------------------------------------------------------------------------------------------
def test_inception_score_of_one_hot_predictions_is_the_class_count():
    probs = np.eye(5)[np.arange(100) % 5]  # every split of 10 holds every class twice
    mean, std = inception_score(probs, splits=10)
    assert mean == pytest.approx(5.0, rel=1e-9) and std == pytest.approx(0.0, abs=1e-9)


def test_inception_score_of_undecided_predictions_is_one():
    assert inception_score(np.full((40, 4), 0.25), splits=4)[0] == pytest.approx(1.0)


def test_inception_score_refuses_too_few_samples_and_logits():
    with pytest.raises(StudioError, match="at least 20"):
        inception_score(np.eye(3)[np.arange(10) % 3], splits=10)
    with pytest.raises(StudioError, match="summing to 1"):
        inception_score(np.random.default_rng(0).normal(size=(40, 3)), splits=2)


# ---- precision, recall, density, coverage ---------------------------------------------------------------------------
def test_identical_sets_score_one_even_with_duplicates():
    x = np.random.default_rng(3).normal(size=(200, 2))
    result = prdc(x, x.copy())
    assert (result.precision, result.recall, result.coverage) == (1.0, 1.0, 1.0)
    # each real ball holds its own sample and its k neighbours, so a set's copy has density (k + 1) / k exactly;
    # two independent draws of one distribution have density ≈ 1 (Naeem et al.: its expectation is 1)
    assert result.density == pytest.approx(4 / 3)
    other = np.random.default_rng(13).normal(size=(2000, 2))
    assert prdc(x, other).density == pytest.approx(1.0, abs=0.15)
    binary = np.repeat(np.eye(3), 10, axis=0)  # every sample has 9 exact copies: all radii are 0, `<=` keeps them in
    assert prdc(binary, binary) == prdc(binary, binary.copy()) and prdc(binary, binary).coverage == 1.0


def test_disjoint_sets_score_zero():
    rng = np.random.default_rng(4)
    result = prdc(rng.normal(size=(50, 3)), rng.normal(size=(50, 3)) + 100.0)
    assert (result.precision, result.recall, result.density, result.coverage) == (0.0, 0.0, 0.0, 0.0)


def test_hand_made_two_dimensional_case():
    real = np.array([[0.0, 0], [1, 0], [2, 0], [3, 0]])
    fake = np.array([[1.5, 0], [10, 0], [0, 2.5], [5, 0]])
    # k = 3 real radii: 3, 2, 2, 3. (1.5, 0) is in all 4 real balls; (10, 0) in none; (0, 2.5) only in (0, 0)'s
    # (2.5 ≤ 3; 2.69 > 2 for (1, 0)); (5, 0) only in (3, 0)'s (2 ≤ 3; 3 > 2 for (2, 0)).
    # → precision 3/4, density (4 + 0 + 1 + 1) / (3 · 4) = 1/2, every real ball holds (1.5, 0) → coverage 1.
    # k = 3 fake radii: 8.5, 10.31, 10.31, 5.59; every real point is within 8.5 of (1.5, 0) → recall 1.
    result = prdc(real, fake, k=3)
    assert (result.precision, result.recall, result.density, result.coverage) == (0.75, 1.0, 0.5, 1.0)
    swapped = prdc(fake, real, k=3)  # fake as reference: recall becomes precision and back
    assert (swapped.precision, swapped.recall) == (1.0, 0.75)


def test_swapped_arguments_give_the_mirrored_precision_and_recall():
    rng = np.random.default_rng(5)
    a, b = rng.normal(size=(120, 2)), rng.normal(size=(80, 2)) * 1.5 + 0.5
    ab, ba = prdc(a, b), prdc(b, a)
    assert (ab.precision, ab.recall) == (ba.recall, ba.precision)


def test_prdc_refuses_fewer_samples_than_k_plus_one():
    with pytest.raises(StudioError, match="at least 4 samples"):
        prdc(np.zeros((3, 2)), np.zeros((10, 2)))
    with pytest.raises(StudioError, match="differ in size"):
        prdc(np.zeros((10, 2)), np.zeros((10, 3)))


# ---- kNN memorisation ---------------------------------------------------------------------------------------------
def test_copies_of_training_samples_are_caught_and_found():
    rng = np.random.default_rng(6)
    train = rng.uniform(size=(40, 6))
    generated = np.concatenate([train[[3, 17, 29]] + 1e-4, rng.uniform(size=(3, 6)) + 5.0])
    check = knn_copy_rate(generated, train)  # default threshold: half the median gap between training samples
    assert check.copy_rate == 0.5 and list(check.index[:3]) == [3, 17, 29]
    assert check.threshold > 1e-3 and knn_copy_rate(generated, train, threshold=1e-5).copy_rate == 0.0


def test_k_nearest_matches_a_full_sort():
    rng = np.random.default_rng(7)
    train, generated = rng.normal(size=(30, 5)), rng.normal(size=(4, 5))
    brute = np.argsort(np.abs(generated[:, None] - train[None]).sum(2), axis=1)[:, :3]
    assert (k_nearest(generated, train, 3) == brute).all()


# ---- birthday paradox ---------------------------------------------------------------------------------------------
def test_birthday_test_estimates_the_support_of_a_uniform_sampler():
    rng = np.random.default_rng(8)
    support = rng.normal(size=(400, 8))  # 400 distinct outputs, far apart
    draws = support[rng.integers(0, 400, 20 * 300)]
    result = birthday_test(draws, threshold=1e-6, batch_size=20, pairs=5)
    # batches of s = 20 from N = 400 = s²: collisions in 1 − exp(−190/400) ≈ 38% of the batches
    assert result.bound == "estimate" and result.collision_rate == pytest.approx(0.38, abs=0.08)
    assert result.support == pytest.approx(400, rel=0.25)
    assert len(result.pairs) == 300 and len(result.pairs[0]) == 5


def test_birthday_test_without_duplicates_gives_a_lower_bound_and_refuses_one_batch():
    draws = np.random.default_rng(9).normal(size=(100, 4))
    result = birthday_test(draws, threshold=1e-6, batch_size=10)
    assert result.bound == "lower" and result.collision_rate == 0.0 and result.support > 100
    with pytest.raises(StudioError, match="at least 20 samples"):
        birthday_test(draws[:15], threshold=1e-6, batch_size=10)


def test_closest_pairs_are_sorted_and_find_the_duplicate():
    batch = np.array([[0.0, 0], [5, 5], [0.1, 0], [9, 0]])
    pairs = closest_pairs(batch, count=2)
    assert pairs[0][:2] == (0, 2) and pairs[0][2] == pytest.approx(0.1) and pairs[1][2] >= pairs[0][2]


# ---- TequilaGAN statistics ----------------------------------------------------------------------------------------
def test_ks_statistic_and_p_value_match_scipy_with_ties_and_either_order():
    rng = np.random.default_rng(10)
    real = rng.integers(0, 256, (30, 8, 8)) / 255.0  # 8-bit pixels: many ties
    fake = np.clip(rng.normal(0.55, 0.25, (20, 8, 8)), 0, 1)
    d, p = ks_two_sample(real, fake)
    reference = stats.ks_2samp(real.ravel(), fake.ravel(), method="asymp")
    assert d == pytest.approx(reference.statistic, abs=1e-12) and p == pytest.approx(reference.pvalue, rel=1e-6)
    assert ks_two_sample(fake, real)[0] == pytest.approx(d, abs=1e-12)
    assert ks_two_sample(real, real) == (0.0, 1.0)


def test_jsd_matches_scipy_and_its_bounds():
    p, q = intensity_histogram(np.array([0.05, 0.05, 0.5])), intensity_histogram(np.array([0.5, 0.95]))
    assert p.sum() == pytest.approx(1.0) and len(p) == 100
    assert jsd(p, q) == pytest.approx(jensenshannon(p, q) ** 2, rel=1e-9)  # scipy returns the square root
    assert jsd(p, p) == 0.0 and jsd([1, 0], [0, 1]) == pytest.approx(math.log(2))


def test_ecdf_counts_values_at_or_below_each_point():
    assert list(ecdf(np.array([0.0, 0.2, 0.2, 1.0]), np.array([0.1, 0.2, 1.0]))) == [0.25, 0.75, 1.0]


def test_column_centroids_and_slopes_of_a_diagonal_line():
    image = np.zeros((1, 12, 12))
    image[0, np.arange(12) // 2, np.arange(12)] = 1.0  # column j lit at row j // 2
    centroids = column_centroids(image)
    assert centroids[0] == pytest.approx(np.arange(12) // 2, abs=1e-6)
    slopes = centroid_slopes(centroids)
    expected = [np.polyfit(np.arange(7), centroids[0, s:s + 7], 1)[0] for s in range(6)]
    assert slopes.shape == (1, 6) and slopes[0] == pytest.approx(expected, abs=1e-9)
    assert column_centroids(image[..., None].repeat(3, axis=3)) == pytest.approx(centroids)


# ---- mode histogram -----------------------------------------------------------------------------------------------
def test_mode_histogram_and_total_variation():
    probs = np.eye(3)[[0, 0, 1, 1]]  # class 2 dropped
    assert list(class_histogram(probs)) == [0.5, 0.5, 0.0]
    assert total_variation(class_histogram(probs), np.full(3, 1 / 3)) == pytest.approx(1 / 3)
