"""Issue 13, item 4: foreign or mismatched model files are named, not tracebacks or "No model called …".

A model file of another shape, a hand-edited manifest (wrong types, missing keys) and a folder without a manifest each
get a ModelFileError that says what does not fit (ml/model_check.py, core/manifest.py, core/catalog.find_model), and
every command that loads a model prints it as one error line and exits 2.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ganstudio import cli
from ganstudio.core.errors import ModelFileError
from ganstudio.core.manifest import sha256_of

SHIPPED = Path(__file__).resolve().parent.parent / "models"


def copy_of(folder: Path, tmp_path: Path, name: str = "model") -> Path:
    return Path(shutil.copytree(folder, tmp_path / name))


def edit_manifest(model_dir: Path, edit) -> Path:
    path = model_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    edit(manifest)
    path.write_text(json.dumps(manifest))
    return model_dir


def load_error(model_dir: Path, kind: str | None = None) -> str:
    from ganstudio.ml.modelfile import load_model

    with pytest.raises(ModelFileError) as caught:
        load_model(model_dir, kind)
    return str(caught.value)


# ---- (a) a model of another shape ------------------------------------------------------------------------------
@pytest.mark.parametrize("changes, expected", [
    ({"z_dim": 100}, "generator.keras takes (None, 8) but the manifest says z_dim 100."),
    ({"channels": 1}, "generator.keras makes (None, 16, 16, 3) but the manifest says channels 1."),
    ({"image_size": 32}, "generator.keras makes (None, 16, 16, 3) but the manifest says image_size 32."),
    ({"num_classes": 3}, "generator.keras takes 1 tensor, (None, 8), but the manifest's generator takes 2: z, "
                         "class label (num_classes 3)."),
])
def test_a_generator_that_does_not_fit_its_manifest_is_named(tiny_generator_dir, tmp_path, changes, expected):
    model_dir = edit_manifest(copy_of(tiny_generator_dir, tmp_path), lambda m: m["config"].update(changes))
    message = load_error(model_dir)
    assert message.startswith(expected) and "re-export the model" in message


def test_a_keras_file_from_another_model_with_its_checksum_is_named(tiny_generator_dir, tiny_conditional_generator_dir,
                                                                    tmp_path):
    """The likeliest way in: someone copies another run's generator.keras over this one and fixes the checksum."""
    model_dir = copy_of(tiny_generator_dir, tmp_path)
    shutil.copy(tiny_conditional_generator_dir / "generator.keras", model_dir / "generator.keras")
    edit_manifest(model_dir, lambda m: m.update(files={"generator.keras": sha256_of(model_dir / "generator.keras")}))
    assert load_error(model_dir).startswith("generator.keras takes 2 tensors, (None, 8), (None,), but the manifest's "
                                            "generator takes 1: z.")


@pytest.mark.parametrize("kind, expected", [
    ("denoiser", "generator.keras takes 1 tensor, (None, 8), but the manifest's denoiser takes 2: noisy audio, z."),
    ("text-generator", "generator.keras takes 1 tensor, (None, 8), but the manifest's text-generator takes 3: z, "
                       "text embedding, conditioning noise."),
])
def test_a_generator_relabelled_as_another_kind_is_named(tiny_generator_dir, tmp_path, kind, expected):
    model_dir = edit_manifest(copy_of(tiny_generator_dir, tmp_path), lambda m: m.update(kind=kind))
    assert load_error(model_dir).startswith(expected)


@pytest.mark.parametrize("name, edit, expected", [
    ("digit-classifier", lambda c: c.update(class_names=["a", "b", "c", "d", "e"]),
     "classifier.keras makes (None, 10) but the manifest names 5 classes."),
    ("digit-classifier", lambda c: c.update(image_size=28),
     "classifier.keras takes (None, 32, 32, 1) but the manifest says image_size 28."),
    ("sketch-labels-pix2pixhd", lambda c: c.update(label_classes=10),
     "generator.keras takes (None, None, None, 14) but the manifest's label_classes 10 and input_channels 1 make 10 "
     "channels."),
    ("text-encoder-flowers", lambda c: c.update(embedding_dim=64),
     "joint_embedding.keras makes (None, 128) as its text embedding but the manifest says embedding_dim 64."),
    ("text-encoder-flowers", lambda c: c.update(max_len=100),
     "joint_embedding.keras takes (None, 128) as its token ids but the manifest says max_len 100."),
])
def test_shipped_models_of_other_kinds_are_checked_against_an_edited_manifest(tmp_path, name, edit, expected):
    model_dir = edit_manifest(copy_of(SHIPPED / name, tmp_path), lambda m: edit(m["config"]))
    assert load_error(model_dir).startswith(expected)


# ---- (b) a hand-edited manifest --------------------------------------------------------------------------------
@pytest.mark.parametrize("edit, expected", [
    (lambda m: m["config"].update(image_size="64px"), "manifest.json: image_size must be an integer, got '64px'."),
    (lambda m: m["config"].update(z_dim=True), "manifest.json: z_dim must be an integer, got True."),
    (lambda m: m["config"].update(prior=5), "manifest.json: prior must be a string, got 5."),
    (lambda m: m["config"].update(class_names="daisy"), "manifest.json: class_names must be a list, got 'daisy'."),
    (lambda m: m["config"].pop("z_dim"), "manifest.json: z_dim is missing."),
    (lambda m: m["config"].pop("recipe"), "manifest.json: recipe is missing."),
    (lambda m: m.update(config=[1, 2]), "manifest.json: config must be a JSON object, got [1, 2]."),
    (lambda m: m.update(files=["generator.keras"]), "manifest.json: files must be a JSON object, got ['generator.keras']."),
    (lambda m: m.update(files={"generator.keras": 5}), "manifest.json: the checksum of generator.keras must be a string"),
    (lambda m: m.update(title=5), "manifest.json: title must be a string, got 5."),
    (lambda m: m.pop("kind"), "manifest.json: kind is missing."),
])
def test_a_hand_edited_manifest_names_the_field(tiny_generator_dir, tmp_path, edit, expected):
    model_dir = edit_manifest(copy_of(tiny_generator_dir, tmp_path), edit)
    message = load_error(model_dir)
    assert f"{model_dir}/{expected}" in message and "Undo the hand edit" in message


def test_a_config_error_is_named_before_the_model_file_is_read(tiny_generator_dir, tmp_path):
    """So a manifest copied without its model file still says what is wrong with the manifest."""
    model_dir = edit_manifest(copy_of(tiny_generator_dir, tmp_path), lambda m: m["config"].update(image_size="64px"))
    (model_dir / "generator.keras").unlink()
    assert "image_size must be an integer, got '64px'" in load_error(model_dir)


# ---- (c) a folder without a manifest ---------------------------------------------------------------------------
def test_a_folder_without_a_manifest_is_named_by_every_resolver(tmp_path):
    from ganstudio.ml.evaluation.classifier import resolve_classifier
    from ganstudio.ml.inference.generator import resolve_model
    from ganstudio.ml.inference.prompt import resolve_prompt_model
    from ganstudio.ml.inference.text_encoder import resolve_text_encoder

    (tmp_path / "empty").mkdir()
    for resolve in (resolve_model, resolve_prompt_model, resolve_text_encoder, resolve_classifier):
        with pytest.raises(ModelFileError, match="empty has no manifest.json: not a ganstudio model folder"):
            resolve(str(tmp_path / "empty"))
    with pytest.raises(ModelFileError, match="No model called"):  # a path that does not exist may be a typo'd name
        resolve_model(str(tmp_path / "nothing-here"))


def test_a_run_folder_without_an_exported_model_says_how_to_export_one(tmp_path):
    from ganstudio.ml.inference.generator import resolve_model

    (tmp_path / "run" / "checkpoints").mkdir(parents=True)
    (tmp_path / "run" / "run.json").write_text("{}")
    with pytest.raises(ModelFileError) as caught:
        resolve_model(str(tmp_path / "run"))
    assert "run has no manifest.json" in caught.value.problem and "ganstudio export" in caught.value.hint


# ---- the commands ----------------------------------------------------------------------------------------------
COMMANDS = {  # command line with M for the model folder, and the kind of model it loads there
    "sample": (["sample", "M", "--out", "OUT/x.png"], "generator"),
    "eval": (["eval", "M", "--n", "10"], "generator"),
    "eval --classifier": (["eval", "GOOD", "--classifier", "M", "--n", "10"], "classifier"),
    "render": (["render", "M", "--input", "OUT/in.png", "--out", "OUT/x.png"], "translator"),
    "eval-pairs": (["eval-pairs", "M", "--data", "OUT"], "translator"),
    "denoise": (["denoise", "--model", "M", "--input", "OUT/in.wav", "--output", "OUT/x.wav"], "denoiser"),
    "eval-denoiser": (["eval-denoiser", "M", "--data", "OUT"], "denoiser"),
    "prompt": (["prompt", "a red rose", "--model", "M", "--out", "OUT/x.png"], "text-generator"),
    "eval-text": (["eval-text", "M"], "text-generator"),
}


def run_cli(argv: list[str], capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = cli.main(argv)
    return code, capsys.readouterr().err


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_that_loads_a_model_prints_one_error_and_exits_2(command, tiny_generator_dir, tmp_path, capsys):
    argv, kind = COMMANDS[command]
    empty = tmp_path / "empty"
    empty.mkdir()
    edited = edit_manifest(copy_of(tiny_generator_dir, tmp_path),
                           lambda m: (m.update(kind=kind), m["config"].update(image_size="64px")))
    for model, expected in ((empty, "empty has no manifest.json: not a ganstudio model folder."),
                            (edited, "manifest.json: image_size must be an integer, got '64px'.")):
        line = [str(model) if a == "M" else str(tiny_generator_dir) if a == "GOOD" else a.replace("OUT", str(tmp_path))
                for a in argv]
        code, err = run_cli(line, capsys)
        assert code == 2 and "Traceback" not in err, err
        assert err.splitlines()[0].startswith("error: ") and expected in err.splitlines()[0], err


def test_sample_names_a_swapped_model_file(tiny_generator_dir, tmp_path, capsys):
    model_dir = edit_manifest(copy_of(tiny_generator_dir, tmp_path), lambda m: m["config"].update(z_dim=100))
    code, err = run_cli(["sample", str(model_dir), "--out", str(tmp_path / "x.png")], capsys)
    assert code == 2 and err.startswith("error: generator.keras takes (None, 8) but the manifest says z_dim 100.\n")
    assert not (tmp_path / "x.png").exists()
