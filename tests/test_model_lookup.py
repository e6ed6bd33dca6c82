"""The Latent, Sketch and Denoise pages' services find their models as every command does, with
core.catalog.find_model (issue 13, leftovers): a model folder, a run folder (its model/) or an installed model's name,
and the same messages everywhere for a folder that holds no model and for a name nothing is called."""

from __future__ import annotations

import pytest

from ganstudio.core.errors import ModelFileError
from ganstudio.paths import shipped_models_dir


class Loaded(Exception):
    """Raised by a stand-in session loader with the folder it was given: the lookup is what is tested here."""


def generator_loader(path: str):
    from ganstudio.workers.generator_service import GeneratorService

    return GeneratorService._load(path, lambda: True)


def translator_loader(path: str):
    from ganstudio.workers.sketch_service import load_translator

    return load_translator(path)


def denoiser_loader(path: str):
    from ganstudio.workers.denoise_service import load_denoiser

    return load_denoiser(path)


# loader, the session class its load() reads the folder with, an installed model of that kind
LOADERS = {
    "generator": (generator_loader, "ganstudio.ml.inference.generator.GeneratorSession", "flowers-dcgan64"),
    "translator": (translator_loader, "ganstudio.ml.inference.translator.TranslatorSession", "sketch-edges-pix2pix"),
    "denoiser": (denoiser_loader, "ganstudio.ml.inference.denoiser.DenoiserSession", "speech-denoiser-segan"),
}


@pytest.fixture(params=list(LOADERS))
def loader(request, monkeypatch):
    load, session_class, installed = LOADERS[request.param]

    def stand_in(cls, folder, *args, **kwargs):
        raise Loaded(folder)

    monkeypatch.setattr(f"{session_class}.load", classmethod(stand_in))
    return load, installed


def folder_loaded(load, path) -> object:
    with pytest.raises(Loaded) as loaded:
        load(str(path))
    return loaded.value.args[0]


def test_a_folder_without_a_manifest_gets_the_same_message(loader, tmp_path):
    load, _ = loader
    (tmp_path / "foreign").mkdir()
    with pytest.raises(ModelFileError, match="foreign has no manifest.json: not a ganstudio model folder."):
        load(str(tmp_path / "foreign"))


def test_a_name_nothing_is_called_says_so(loader, tmp_path):
    load, _ = loader
    with pytest.raises(ModelFileError, match="No model called"):
        load(str(tmp_path / "nothing-here"))


def test_installed_names_model_folders_and_run_folders_are_found(loader, tmp_path):
    load, installed = loader
    assert folder_loaded(load, installed) == shipped_models_dir() / installed
    assert folder_loaded(load, shipped_models_dir() / installed) == shipped_models_dir() / installed
    (tmp_path / "run" / "model").mkdir(parents=True)
    (tmp_path / "run" / "model" / "manifest.json").write_text("{}")
    assert folder_loaded(load, tmp_path / "run") == tmp_path / "run" / "model"
