"""Speech data sets (clean/noisy pairs, or clean speech + noise to mix) → SpeechData and a TrainConfig. No TensorFlow."""

from __future__ import annotations

from ganstudio.core.image_data.datasets import DatasetSpec
from ganstudio.core.errors import DataError
from ganstudio.core.speech.data import SpeechData, load_speech, require_speech
from ganstudio.ml.training.config import TrainConfig


def prepare_speech(recipe, spec: DatasetSpec, overrides: dict, resume_config: TrainConfig | None = None):
    """(SpeechData, TrainConfig); the stored config wins on resume."""
    if recipe.data_kind != "speech":
        raise DataError(f"{spec.name} is a speech data set; the {recipe.title} recipe trains on images.",
                        "Pick the SEGAN recipe for speech.")
    layout = require_speech(spec.path)
    config = resume_config or recipe.config(**overrides)
    if config.snr_min > config.snr_max:
        raise DataError(f"The SNR range {config.snr_min:g}–{config.snr_max:g} dB is empty.", "Give the lower bound first.")
    data: SpeechData = load_speech(spec.path, config.window, config.batch_size, config.seed,
                                   (config.snr_min, config.snr_max), vary_noise=config.vary_noise)
    if resume_config is None:
        config = config.replace(dataset_path=spec.path, dataset_kind="speech", dataset_name=spec.name, channels=1,
                                image_size=0)
    if layout.kind == "mix" and not data.sampler.other:
        raise DataError(f"{spec.name} has no noise recordings to mix.", "Add files to its noise/ folder.")
    return data, config
