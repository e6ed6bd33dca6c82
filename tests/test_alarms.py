"""Failure alarms on synthetic streams: each fires on the failure it names, stays quiet on a healthy noisy run, needs
persistence, and cools down."""

from __future__ import annotations

import dataclasses
import math
import typing

import numpy as np
import pytest

from ganstudio.core.training import events as ev
from ganstudio.core.training.alarms import KINDS, AlarmSettings, AlarmWatcher, pairwise_distances, zigzag_legs
from ganstudio.core.training.history import LossHistory


def healthy_step(rng: np.random.Generator, step: int) -> tuple[dict, dict]:
    """d_loss around 0.6, noisy; gradient norms steady with noise."""
    d_real, d_fake = (max(0.02, 0.6 + 0.12 * rng.standard_normal()) for _ in range(2))
    losses = {"d_loss": 0.5 * (d_real + d_fake), "d_real": d_real, "d_fake": d_fake,
              "g_loss": 1.0 + 0.2 * rng.standard_normal()}
    norms = {"grad_norm_d": 2.0 * math.exp(0.3 * rng.standard_normal()),
             "grad_norm_g": 1.0 * math.exp(0.3 * rng.standard_normal())}
    return losses, norms


def winning_step(rng: np.random.Generator, step: int) -> tuple[dict, dict]:
    losses, norms = healthy_step(rng, step)
    d_real, d_fake = (0.01 + 0.005 * abs(rng.standard_normal()) for _ in range(2))
    return {**losses, "d_loss": 0.5 * (d_real + d_fake), "d_real": d_real, "d_fake": d_fake}, norms


def diverse(rng: np.random.Generator, n: int = 16) -> np.ndarray:
    return rng.integers(0, 256, (n, 8, 8, 1), dtype=np.uint8)


def collapsed(rng: np.random.Generator, n: int = 16) -> np.ndarray:
    one = rng.integers(0, 256, (1, 8, 8, 1)).astype(np.int16)
    return np.clip(one + rng.integers(-3, 4, (n, 8, 8, 1)), 0, 255).astype(np.uint8)


def run(watcher: AlarmWatcher, stream, steps: range, seed: int = 0) -> list[ev.AlarmRaised]:
    rng = np.random.default_rng(seed)
    alarms = []
    for step in steps:
        losses, norms = stream(rng, step)
        alarms += watcher.on_step(step, losses, norms)
    return alarms


def switch(at: int, before, after):
    return lambda rng, step: (before if step < at else after)(rng, step)


def with_spikes(rng, step):
    """Healthy, plus single-step outliers of every kind: none of them is a failure."""
    losses, norms = healthy_step(rng, step)
    if step in (700, 1500, 2300):
        losses = {**losses, "d_loss": 0.001, "d_real": 0.001, "d_fake": 0.001}
    if step in (900, 1901):
        norms = {**norms, "grad_norm_d": 1000.0, "grad_norm_g": 500.0}
    if step == 1200:
        losses = {**losses, "d_loss": 4.0}
    return losses, norms


@pytest.mark.parametrize("loss_kind", ["ns", "hinge", "lsgan", "wgan-gp"])
def test_a_healthy_noisy_run_with_spikes_raises_nothing(loss_kind):
    watcher = AlarmWatcher(loss_kind)
    alarms = run(watcher, with_spikes, range(1, 3001))
    rng = np.random.default_rng(1)
    for step in range(100, 3001, 100):
        alarms += watcher.on_preview(step, diverse(rng))
    assert alarms == []


def test_d_wins_fires_once_when_the_d_loss_stays_near_zero():
    alarms = run(AlarmWatcher("ns"), switch(600, healthy_step, winning_step), range(1, 1601))
    assert [a.kind for a in alarms] == ["d_wins"]
    # the window's median turns after ~25 steps, then the condition must hold for 100 (patience)
    assert 700 <= alarms[0].step <= 760
    assert "near 0" in alarms[0].message and "learning rate" in alarms[0].remedy


@pytest.mark.parametrize("loss_kind", ["wgan", "wgan-gp"])
def test_d_wins_is_not_judged_for_wasserstein_critics(loss_kind):
    def critic(rng, step):  # a critic's loss is negative and unbounded: far below 0 is normal
        losses, norms = winning_step(rng, step)
        return {**losses, "d_loss": -5.0 - rng.random(), "d_real": -6.0, "d_fake": 1.0}, norms

    assert run(AlarmWatcher(loss_kind), switch(600, healthy_step, winning_step), range(1, 1601)) == []
    assert run(AlarmWatcher(loss_kind), critic, range(1, 1601)) == []


def test_a_discriminator_that_is_not_trained_is_not_winning():
    def l1_warm_up(rng, step):  # SEGAN's adversary-free phase logs exact zeros
        losses, norms = healthy_step(rng, step)
        return {**losses, "d_loss": 0.0, "d_real": 0.0, "d_fake": 0.0}, {**norms, "grad_norm_d": 0.0}

    assert run(AlarmWatcher("lsgan"), l1_warm_up, range(1, 1601)) == []
    # but a D that wins so completely that its float32 losses underflow to 0 is still winning
    alarms = run(AlarmWatcher("lsgan"), switch(600, healthy_step, l1_warm_up), range(1, 1601))
    assert [a.kind for a in alarms] == ["d_wins"]


def test_label_smoothing_lifts_the_floor_d_wins_is_judged_against():
    def smoothed_win(rng, step):  # with real targets of 0.9 the real term cannot go below H(0.9) ≈ 0.325
        losses, norms = healthy_step(rng, step)
        d_real, d_fake = 0.325 + 0.01 * rng.random(), 0.01 * rng.random()
        return {**losses, "d_loss": 0.5 * (d_real + d_fake), "d_real": d_real, "d_fake": d_fake}, norms

    stream = switch(600, healthy_step, smoothed_win)
    assert [a.kind for a in run(AlarmWatcher("ns", label_smoothing=0.1), stream, range(1, 1601))] == ["d_wins"]
    assert run(AlarmWatcher("ns"), stream, range(1, 1601)) == []


@pytest.mark.parametrize("burst, fires", [(60, False), (300, True)])
def test_d_wins_needs_the_condition_to_persist(burst, fires):
    def stream(rng, step):
        return (winning_step if 800 <= step < 800 + burst else healthy_step)(rng, step)

    assert bool(run(AlarmWatcher("ns"), stream, range(1, 2001))) == fires


def test_a_condition_that_never_clears_is_repeated_only_after_repeat_after_steps():
    alarms = run(AlarmWatcher("ns"), switch(600, healthy_step, winning_step), range(1, 12_001))
    steps = [a.step for a in alarms]
    assert len(steps) == 3 and np.diff(steps).tolist() == [5000, 5000]


def test_after_clearing_an_alarm_fires_again_but_not_within_the_cool_down():
    settings = AlarmSettings(cooldown=2000, repeat_after=10**9)

    def flapping(rng, step):  # D wins for 400 steps, then recovers for 400 steps, over and over
        return (winning_step if step > 400 and (step // 400) % 2 else healthy_step)(rng, step)

    alarms = run(AlarmWatcher("ns", settings), flapping, range(1, 8001))
    assert {a.kind for a in alarms} == {"d_wins"}  # a change of regime every 400 steps is no oscillation
    steps = [a.step for a in alarms]
    assert len(steps) >= 3  # re-armed by every recovery
    assert min(np.diff(steps)) >= 2000


def test_exploding_gradient_norms_fire_and_name_the_network():
    def exploding(rng, step):
        losses, norms = healthy_step(rng, step)
        return losses, {**norms, "grad_norm_d": norms["grad_norm_d"] * 1.02 ** max(0, step - 1000)}

    alarms = run(AlarmWatcher("ns"), exploding, range(1, 1501))
    assert [a.kind for a in alarms] == ["exploding_gradients"]
    assert 1200 <= alarms[0].step <= 1300  # ×10 after ~116 steps, the median lags ~25, patience 100
    assert "discriminator" in alarms[0].message and "learning rate" in alarms[0].remedy


def test_gradient_norms_that_shrink_over_training_are_healthy():
    def shrinking(rng, step):
        losses, norms = healthy_step(rng, step)
        return losses, {k: v * 20 * 0.999 ** step for k, v in norms.items()}

    assert run(AlarmWatcher("ns"), shrinking, range(1, 4001)) == []


def test_oscillating_losses_fire_and_a_steady_decline_does_not():
    def oscillating(rng, step):
        losses, norms = healthy_step(rng, step)
        d = 0.65 + 0.45 * math.sin(2 * math.pi * step / 100) + 0.05 * rng.standard_normal()
        return {**losses, "d_loss": d, "d_real": d, "d_fake": d}, norms

    def declining(rng, step):  # early learning: the D loss falls from 1.4 to 0.6 and stays
        losses, norms = healthy_step(rng, step)
        return {**losses, "d_loss": 0.6 + 0.8 * math.exp(-step / 300) + 0.1 * rng.standard_normal()}, norms

    alarms = run(AlarmWatcher("ns"), switch(1000, healthy_step, oscillating), range(1, 2001))
    assert [a.kind for a in alarms] == ["oscillation"]
    assert 1000 < alarms[0].step <= 1500 and "swinging" in alarms[0].message
    assert run(AlarmWatcher("ns"), declining, range(1, 3001)) == []


def test_zigzag_counts_swings_not_noise():
    assert zigzag_legs([0, 1, 0, 1, 0], 0.5) == 4
    assert zigzag_legs([0, 0.2, 0.1, 0.3, 0.2, 0.4], 0.5) == 0
    assert zigzag_legs([0, 0.3, 0.6, 0.9, 1.2], 0.5) == 1


def previews(watcher: AlarmWatcher, make, steps: range, seed: int = 0) -> list[ev.AlarmRaised]:
    rng = np.random.default_rng(seed)
    return [alarm for step in steps for alarm in watcher.on_preview(step, make(rng, step))]


def test_mode_collapse_fires_when_the_fixed_z_samples_lose_their_variety():
    def make(rng, step):
        return diverse(rng) if step < 2000 else collapsed(rng)

    alarms = previews(AlarmWatcher("ns"), make, range(100, 4001, 100))
    assert [(a.kind, a.step) for a in alarms] == [("mode_collapse", 2100)]  # persistence: the 2nd collapsed preview
    assert "as varied as at step" in alarms[0].message and "minibatch standard deviation" in alarms[0].remedy


def test_partial_collapse_is_seen_as_near_duplicates():
    def make(rng, step):
        images = diverse(rng)
        if step >= 2000:
            images[:10] = collapsed(rng, 10)  # 10 of 16 samples became one; the mean distance only drops to ~60%
        return images

    alarms = previews(AlarmWatcher("ns"), make, range(100, 3001, 100))
    assert [a.kind for a in alarms] == ["mode_collapse"] and "10 of the 16 look almost alike" in alarms[0].message


def test_early_previews_are_not_compared_and_float_images_work():
    def make(rng, step):  # noise-like grey samples at first (like an untrained G), then diverse, in [-1, 1]
        images = diverse(rng).astype(np.float32) / 127.5 - 1
        return images * 0.01 if step < 300 else images

    assert previews(AlarmWatcher("ns"), make, range(100, 3001, 100)) == []
    watcher = AlarmWatcher("ns", AlarmSettings(preview_warmup=0))
    assert previews(watcher, lambda rng, step: diverse(rng) if step < 300 else collapsed(rng),
                    range(100, 1001, 100))


def test_pairwise_distances_are_root_mean_square_on_a_0_to_1_scale():
    images = np.zeros((3, 4, 4, 1), np.uint8)
    images[1] = 255
    images[2, :2] = 255
    d = pairwise_distances(images)
    assert d[0, 1] == pytest.approx(1.0) and d[0, 2] == pytest.approx(math.sqrt(0.5)) and d[1, 1] == 0


def test_a_rollback_rewinds_the_windows():
    watcher = AlarmWatcher("ns")
    run(watcher, healthy_step, range(1, 501))
    run(watcher, winning_step, range(401, 451))  # restarted at a checkpoint: steps 401… again
    steps = list(watcher._d_terms.steps)
    assert steps == sorted(steps) and steps[-1] == 450 and len(set(steps)) == len(steps)


def test_replay_primes_a_resumed_run_without_raising():
    rng = np.random.default_rng(3)
    history = LossHistory()
    for step in range(1, 3001):
        losses, norms = winning_step(rng, step)
        history.append(step, {**losses, **norms})
    watcher = AlarmWatcher("ns")
    watcher.replay(history.steps, history.series)  # D was already winning before the resume: reported again later

    def exploding(rng, step):
        losses, norms = winning_step(rng, step)
        return losses, {**norms, "grad_norm_g": 50 * norms["grad_norm_g"]}

    alarms = run(watcher, exploding, range(3001, 3201))
    # the early-training level came from the history, so no warm-up and baseline are needed after the resume
    assert sorted(a.kind for a in alarms) == ["d_wins", "exploding_gradients"]
    assert all(a.step <= 3001 + 100 + 30 for a in alarms)


def test_alarms_are_frozen_engine_events_with_a_remedy():
    alarm = run(AlarmWatcher("ns"), switch(600, healthy_step, winning_step), range(1, 1001))[0]
    assert isinstance(alarm, ev.AlarmRaised) and ev.AlarmRaised in typing.get_args(ev.Event)
    assert alarm.kind in KINDS and alarm.remedy
    with pytest.raises(dataclasses.FrozenInstanceError):
        alarm.step = 0
