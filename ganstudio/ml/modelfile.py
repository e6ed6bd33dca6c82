"""Model folders: Keras 3 `.keras` + manifest.json, written atomically, loaded with safe_mode=True after a checksum
check, then checked against the manifest (model_check.py). Weights may be stored as float16 to halve the size; they
are always computed in float32 when loaded."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ganstudio.core.atomic import atomic_folder
from ganstudio.core.errors import ModelFileError
from ganstudio.core.manifest import Manifest, read_manifest, sha256_of, verify_files
from ganstudio.ml.model_check import check_model, expected_signature
from ganstudio.ml.runtime import tf


def recast(model, dtype: str):
    """A copy of a functional model whose layers all use `dtype` (weights cast), e.g. float16 ↔ float32."""
    tf()
    import keras

    def clone_layer(layer):
        config = layer.get_config()
        config["dtype"] = dtype
        return layer.__class__.from_config(config)

    clone = keras.models.clone_model(model, clone_function=clone_layer)
    clone.set_weights([w.astype(dtype) if w.dtype.kind == "f" else w for w in model.get_weights()])
    return clone


def save_model(model, manifest: Manifest, out_dir: Path, filename: str, float16: bool = False,
               bundle: dict[str, Path] | None = None) -> Path:
    """Write model + manifest into out_dir atomically (the folder appears complete or not at all). `bundle`: model
    folders the model needs at inference ({subfolder: folder}), copied inside it and checked by their own manifests."""
    import shutil

    out_dir = Path(out_dir)
    with atomic_folder(out_dir) as tmp:
        for name, folder in (bundle or {}).items():
            shutil.copytree(folder, tmp / name)
        (recast(model, "float16") if float16 else model).save(tmp / filename)
        manifest.files = {filename: sha256_of(tmp / filename)}
        manifest.config = {**manifest.config, "storage_dtype": "float16" if float16 else "float32"}
        (tmp / "manifest.json").write_text(manifest.to_json())
    return out_dir


def load_model(model_dir: Path, kind: str | None = None):
    """(keras model in float32, manifest). ModelFileError for missing, corrupt, foreign or unsafe files."""
    model_dir = Path(model_dir)
    manifest = read_manifest(model_dir)
    if kind and manifest.kind != kind:
        raise ModelFileError(f"{model_dir} holds a {manifest.kind}, not a {kind}.", f"Pick a {kind} model.")
    expected = expected_signature(manifest, model_dir / "manifest.json")
    verify_files(model_dir, manifest)
    keras_files = [n for n in manifest.files if n.endswith(".keras")]
    if not keras_files:
        raise ModelFileError(f"{model_dir} lists no .keras file.", "Re-export the model.")
    tf()
    import keras

    from ganstudio.ml.networks.custom_layers import register_custom_layers

    register_custom_layers()  # translators contain ReflectionPad2D; safe_mode only loads registered classes
    path = model_dir / keras_files[0]
    try:
        model = keras.saving.load_model(path, compile=False, safe_mode=True)
    except (ValueError, OSError, zipfile.BadZipFile, TypeError, KeyError) as err:
        raise ModelFileError(f"{path.name} could not be loaded safely ({type(err).__name__}: {err}).",
                             "The file may be corrupt or from an untrusted source; re-export it.") from err
    check_model(model, expected, path.name)
    if manifest.config.get("storage_dtype") == "float16":
        model = recast(model, "float32")
    return model, manifest
