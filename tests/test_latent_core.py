"""Latent math (lerp/slerp, paths, PCA, points, history) and GANSpace directions on a tiny untrained generator."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ganstudio.core.errors import DataError
from ganstudio.core.latent import (LatentPoint, PointHistory, apply_offsets, interpolate, lerp, orthonormalize, path_frames,
                                   path_point, pca, points_from_json, points_to_json, raw_directions, slerp,
                                   z_pca_directions)


def unit(v):
    v = np.asarray(v, np.float64)
    return v / np.linalg.norm(v)


def test_lerp_endpoints_and_midpoint():
    a, b = np.array([1.0, 2.0, 3.0]), np.array([3.0, -2.0, 5.0])
    np.testing.assert_allclose(lerp(a, b, 0.0), a)
    np.testing.assert_allclose(lerp(a, b, 1.0), b)
    np.testing.assert_allclose(lerp(a, b, 0.5), [2.0, 0.0, 4.0])


def test_slerp_endpoints_unit_norm_and_midpoint():
    rng = np.random.default_rng(1)
    a, b = unit(rng.standard_normal(16)), unit(rng.standard_normal(16))
    np.testing.assert_allclose(slerp(a, b, 0.0), a, atol=1e-6)
    np.testing.assert_allclose(slerp(a, b, 1.0), b, atol=1e-6)
    for t in np.linspace(0, 1, 11):
        assert np.linalg.norm(slerp(a, b, t)) == pytest.approx(1.0, abs=1e-5)
    np.testing.assert_allclose(slerp(a, b, 0.5), unit(a + b), atol=1e-5)  # the arc's midpoint bisects the angle
    assert np.linalg.norm(lerp(a, b, 0.5)) < 0.99  # lerp cuts through the inside: why slerp exists


def test_slerp_of_parallel_vectors_falls_back_to_lerp():
    a = np.array([1.0, 0.0])
    np.testing.assert_allclose(slerp(a, 2 * a, 0.5), [1.5, 0.0], atol=1e-6)
    np.testing.assert_allclose(slerp(np.zeros(2), a, 0.25), [0.25, 0.0])


def test_interpolate_rejects_unknown_mode():
    with pytest.raises(ValueError):
        interpolate(np.zeros(2), np.ones(2), 0.5, "cubic")


def test_path_through_three_anchors():
    anchors = [np.array([0.0, 0.0]), np.array([1.0, 0.0]), np.array([1.0, 1.0])]
    np.testing.assert_allclose(path_point(anchors, 0.0, "lerp"), anchors[0])
    np.testing.assert_allclose(path_point(anchors, 0.5, "lerp"), anchors[1])
    np.testing.assert_allclose(path_point(anchors, 1.0, "lerp"), anchors[2])
    np.testing.assert_allclose(path_point(anchors, 0.75, "lerp"), [1.0, 0.5])
    frames = path_frames(anchors, 5, "lerp")
    assert frames.shape == (5, 2)
    np.testing.assert_allclose(frames[-1], anchors[-1])
    closed = path_frames(anchors, 6, "lerp", closed=True)  # returns towards A but stops one step short of it
    np.testing.assert_allclose(closed[0], anchors[0])
    assert not np.allclose(closed[-1], anchors[0])


def test_orthonormalize_keeps_order_and_span():
    rng = np.random.default_rng(2)
    vectors = rng.standard_normal((4, 10))
    basis = orthonormalize(vectors)
    np.testing.assert_allclose(basis @ basis.T, np.eye(4), atol=1e-5)
    np.testing.assert_allclose(basis[0], unit(vectors[0]), atol=1e-5)
    projected = vectors @ basis.T @ basis  # every input lies in the span of the basis
    np.testing.assert_allclose(projected, vectors, atol=1e-4)


def test_pca_finds_the_dominant_axis():
    rng = np.random.default_rng(3)
    axis = unit(rng.standard_normal(6))
    samples = rng.standard_normal((500, 1)) * 5 * axis + rng.standard_normal((500, 6)) * 0.3 + 7.0
    result = pca(samples, 3)
    assert abs(result.components[0] @ axis) > 0.99
    assert np.all(np.diff(result.explained_ratio) <= 0)
    assert result.explained_ratio[0] > 0.9 and result.explained_ratio.sum() <= 1.0 + 1e-9
    np.testing.assert_allclose(np.linalg.norm(result.components, axis=1), 1.0, atol=1e-9)


def test_pca_of_normal_z_is_near_isotropic_and_labelled_so():
    z = np.random.default_rng(4).standard_normal((4000, 8))
    directions = z_pca_directions(z, 8)
    ratios = np.array([d.explained for d in directions])
    assert ratios.max() < 0.2 and ratios.min() > 0.06  # 1/8 = 0.125 each for a perfectly isotropic prior
    assert all("near-isotropic" in d.name for d in directions)


def test_apply_offsets_in_sigma_units():
    directions = raw_directions(3, sigma=2.0)
    z = apply_offsets(np.zeros(3), directions[:2], [1.0, -0.5])
    np.testing.assert_allclose(z, [2.0, -1.0, 0.0])


def test_points_round_trip_and_errors():
    current = LatentPoint(np.arange(4, dtype=np.float32), 2, "seed 3", seed=3)
    anchors = [LatentPoint(np.ones(4, np.float32)), LatentPoint(-np.ones(4, np.float32), None, "B")]
    loaded, loaded_anchors = points_from_json(points_to_json(current, anchors, "model"), 4)
    assert loaded.same_as(current) and loaded.note == "seed 3" and loaded.seed == 3
    assert loaded_anchors[0].seed is None  # a point not from a seed (a path point, an older file) has none
    assert [a.same_as(b) for a, b in zip(loaded_anchors, anchors)] == [True, True]
    with pytest.raises(DataError, match="z_dim 4"):
        points_from_json(points_to_json(current, anchors), 8)
    with pytest.raises(DataError, match="not valid JSON"):
        points_from_json("{", 4)
    with pytest.raises(DataError, match="not a ganstudio points file"):
        points_from_json(json.dumps({"z": [1, 2]}), 2)
    damaged = json.loads(points_to_json(current, anchors))
    damaged["current"]["z"] = [1.0, float("nan"), 0.0, 0.0]
    with pytest.raises(DataError, match="damaged"):
        points_from_json(json.dumps(damaged), 4)


def test_history_back_forward_and_truncation():
    history = PointHistory(limit=3)
    points = [LatentPoint(np.full(2, i, np.float32)) for i in range(4)]
    for point in points[:3]:
        assert history.visit(point)
    assert not history.visit(LatentPoint(np.full(2, 2, np.float32)))  # same as the current: not recorded
    assert history.back().same_as(points[1]) and history.back().same_as(points[0])
    assert history.back() is None and history.forward().same_as(points[1])
    history.visit(points[3])  # visiting after going back drops the forward part
    assert [p.z[0] for p in history.points] == [0, 1, 3] and not history.can_go_forward()
    history.visit(LatentPoint(np.full(2, 9, np.float32)))
    assert len(history.points) == 3 and history.points[0].z[0] == 1  # the oldest falls off past the limit


def test_ganspace_directions_are_unit_and_ordered(tiny_generator_dir):
    from ganstudio.ml.inference.generator import GeneratorSession
    from ganstudio.ml.inference.latent_directions import all_directions, ganspace_directions, sample_features

    session = GeneratorSession.load(tiny_generator_dir)
    directions = ganspace_directions(session, n_samples=600, n_components=6)
    assert len(directions) == 6
    np.testing.assert_allclose([np.linalg.norm(d.vector) for d in directions], 1.0, atol=1e-5)
    ratios = [d.explained for d in directions]
    assert ratios == sorted(ratios, reverse=True) and ratios[0] > ratios[-1]
    # moving z along the first direction changes the features' first PC much more than the last direction does
    z = session.sample_z(300, 7)
    features = sample_features(session, z)
    from ganstudio.core.latent import pca as pca_of

    basis = pca_of(sample_features(session, session.sample_z(600, 0)), 1)
    along = [np.abs(basis.transform(sample_features(session, z + 0.5 * d.vector)) - basis.transform(features)).mean()
             for d in (directions[0], directions[-1])]
    assert along[0] > 2 * along[1]
    everything = all_directions(session, n_samples=300, n_components=4)
    keys = [d.key for d in everything]
    assert keys[:4] == [f"ganspace:{i}" for i in range(4)] and "zpca:0" in keys and keys[-1] == f"z:{session.z_dim - 1}"


def test_ganspace_on_a_conditional_generator(tiny_conditional_generator_dir):
    from ganstudio.ml.inference.generator import GeneratorSession
    from ganstudio.ml.inference.latent_directions import ganspace_directions

    session = GeneratorSession.load(tiny_conditional_generator_dir)
    directions = ganspace_directions(session, n_samples=300, n_components=4)
    assert len(directions) == 4 and all(np.isfinite(d.vector).all() for d in directions)
