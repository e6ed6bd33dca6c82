"""TensorBoard is a sink of every run by default: a real run's event file holds its losses, gradient norms, learning
rates, previews and the hyperparameters from the table, read back here with TensorBoard's own reader."""

from __future__ import annotations

import pytest


@pytest.mark.slow
def test_a_run_writes_its_curves_previews_and_hyperparameters(tmp_path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    from tensorboard.plugins.hparams import plugin_data_pb2
    from tensorboard.util.tensor_util import make_ndarray

    from ganstudio import cli

    run_dir = tmp_path / "run"
    argv = ["train", "dcgan", "--data", "mnist", "--steps", "3", "--out", str(run_dir), "--image-size", "16",
            "--ngf", "4", "--ndf", "4", "--z-dim", "4", "--batch-size", "8", "--no-xla", "--quiet", "--loss", "hinge",
            "--preview-every", "2"]
    assert cli.main(argv) == 0
    events = EventAccumulator(str(run_dir / "tensorboard"), size_guidance={"tensors": 0, "images": 0}).Reload()
    tags = set(events.Tags()["tensors"])
    assert {"train/d_loss", "train/g_loss", "train/grad_norm_d", "train/lr_g", "train/steps_per_s"} <= tags
    assert [e.step for e in events.Tensors("train/g_loss")] == [1, 2, 3]
    assert float(make_ndarray(events.Tensors("train/lr_d")[0].tensor_proto)) == pytest.approx(5e-4)  # DCGAN's rate for digits
    assert {"preview/fake", "preview/real"} <= set(events.Tags()["tensors"]) | set(events.Tags()["images"])
    hparams = events.summary_metadata["_hparams_/session_start_info"].plugin_data.content
    start = plugin_data_pb2.HParamsPluginData.FromString(hparams).session_start_info
    assert start.hparams["loss"].string_value == "hinge" and start.hparams["batch_size"].number_value == 8
    assert start.hparams["recipe"].string_value == "dcgan"
