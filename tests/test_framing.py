"""The shared framer (core/speech/framing.py): exact reconstruction, no clicks at frame edges, batching, streaming = files."""

from __future__ import annotations

import numpy as np
import pytest

from ganstudio.core.speech.framing import Cancelled, OverlapAdd, process_signal, process_stream, synthesis_window

SIZES = [(16384, 8192), (1024, 512), (1024, 256)]


class Recording:
    """A processor that applies `fn` and remembers the batch sizes it was called with."""

    def __init__(self, window: int, hop: int, fn=lambda frames: frames) -> None:
        self.window, self.hop, self.fn = window, hop, fn
        self.batches: list[int] = []

    def process(self, frames: np.ndarray) -> np.ndarray:
        assert frames.dtype == np.float32 and frames.shape[1] == self.window
        self.batches.append(frames.shape[0])
        return self.fn(frames)


def noise(n: int, seed: int = 0) -> np.ndarray:
    return (np.random.default_rng(seed).standard_normal(n) * 0.3).astype(np.float32)


@pytest.mark.parametrize("window,hop", SIZES)
def test_identity_reconstructs_every_sample(window, hop):
    signal = noise(3 * window + 777)  # not a multiple of the hop, so the tail is handled too
    out = process_signal(signal, Recording(window, hop))
    assert out.dtype == np.float32 and out.shape == signal.shape
    np.testing.assert_allclose(out, signal, atol=1e-5, rtol=0)


@pytest.mark.parametrize("window,hop", SIZES)
def test_gain_half_gives_exactly_half(window, hop):
    signal = noise(2 * window + 5, seed=1)
    out = process_signal(signal, Recording(window, hop, lambda f: f * np.float32(0.5)))
    np.testing.assert_allclose(out, 0.5 * signal, atol=1e-6, rtol=0)


def test_synthesis_windows_sum_to_one():
    for window, hop in SIZES:
        w = synthesis_window(window, hop)
        total = w.reshape(-1, hop).sum(axis=0)  # every output sample gets window/hop shifted copies
        np.testing.assert_allclose(total, 1.0, atol=1e-12)


def test_disagreeing_frames_are_cross_faded_not_clicked():
    """Frames whose outputs jump between 0 and 1 must blend smoothly: no step at a frame edge."""
    window, hop = 1024, 512
    counter = iter(range(10**6))

    def alternating(frames):
        return np.stack([np.full(window, next(counter) % 2, np.float32) for _ in frames])

    out = process_signal(np.zeros(8 * window, np.float32), Recording(window, hop, alternating), batch=1)
    largest_step = np.abs(np.diff(out)).max()
    assert 0.5 < out.max() - out.min()  # the frames really did disagree
    assert largest_step < 4.0 / hop  # a Hann cross-fade moves at most π/hop per sample; a click would be ~1


def test_streaming_in_odd_blocks_equals_the_file_path_delayed_by_the_latency():
    window, hop = 1024, 256
    signal = noise(5000, seed=2)
    framer = OverlapAdd(window, hop, lambda f: f * np.float32(0.5))
    assert framer.latency_samples == window - hop
    pieces, rng, start = [], np.random.default_rng(3), 0
    while start < signal.size:
        size = int(rng.integers(1, 700))
        pieces.append(framer.push(signal[start:start + size]))
        start += size
    pieces.append(framer.flush())
    streamed = np.concatenate(pieces)
    assert streamed.size == signal.size + framer.latency_samples
    np.testing.assert_allclose(streamed[: framer.latency_samples], 0.0, atol=1e-7)  # the lead-in
    whole = process_signal(signal, Recording(window, hop, lambda f: f * np.float32(0.5)))
    np.testing.assert_allclose(streamed[framer.latency_samples:], whole, atol=1e-6)


def test_push_hands_all_ready_frames_to_the_model_in_batches():
    processor = Recording(2048, 1024)
    framer = OverlapAdd(2048, 1024, processor.process, max_batch=4)
    out = framer.push(noise(10 * 1024))  # with the 1024-sample lead-in, 10 frames are complete: 4 + 4 + 2
    assert processor.batches == [4, 4, 2]
    assert out.size == 10 * 1024
    assert framer.push(noise(100)).size == 0 and processor.batches == [4, 4, 2]  # less than a hop: no model call


def test_process_signal_batches_and_reports_progress():
    processor = Recording(1024, 512)
    seen = []
    out = process_signal(noise(20 * 512), processor, progress=lambda done, total: seen.append((done, total)), batch=3)
    assert out.size == 20 * 512
    assert max(processor.batches) == 3
    assert seen[-1] == (20 * 512, 20 * 512) and [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_cancel_stops_between_batches():
    processor = Recording(1024, 512)
    calls = iter(range(100))
    with pytest.raises(Cancelled):
        process_signal(noise(100 * 512), processor, cancel=lambda: next(calls) >= 2, batch=2)
    assert sum(processor.batches) <= 6  # it stopped long before the 100 frames


def test_process_stream_over_blocks_matches_the_whole_clip():
    signal = noise(30000, seed=4)
    processor = Recording(2048, 512, lambda f: f * np.float32(0.25))
    blocks = [signal[i:i + 7000] for i in range(0, signal.size, 7000)]
    streamed = np.concatenate(list(process_stream(blocks, processor)))
    np.testing.assert_allclose(streamed, process_signal(signal, processor), atol=1e-7)


@pytest.mark.parametrize("length", [0, 1, 100, 1023, 1024])
def test_clips_shorter_than_a_window_keep_their_length(length):
    signal = noise(length, seed=5)
    out = process_signal(signal, Recording(1024, 512))
    assert out.shape == (length,)
    np.testing.assert_allclose(out, signal, atol=1e-5)


def test_bad_hop_and_bad_processor_output_are_refused():
    with pytest.raises(ValueError, match="hop"):
        OverlapAdd(1024, 700, lambda f: f)
    with pytest.raises(ValueError, match="hop"):
        OverlapAdd(1024, 1024, lambda f: f)
    framer = OverlapAdd(1024, 512, lambda f: f[:, :10])
    with pytest.raises(ValueError, match="shape"):
        framer.push(noise(4096))


def test_flush_resets_for_a_new_stream():
    framer = OverlapAdd(1024, 512, lambda f: f)
    first = np.concatenate([framer.push(noise(3000, 6)), framer.flush()])
    second = np.concatenate([framer.push(noise(3000, 6)), framer.flush()])
    np.testing.assert_array_equal(first, second)
