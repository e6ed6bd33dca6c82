"""The README's troubleshooting entries quote messages the program really prints, word for word, so a user who
searches the README for what they see finds it (issue 13, leftovers: the model-file checks of ml/model_check.py)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from ganstudio.core.errors import ModelFileError

README = Path(__file__).resolve().parents[1] / "README.md"


def troubleshooting() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("\n## Troubleshooting\n")
    return text[start:text.index("\n## ", start + 1)]


def test_a_model_file_that_does_not_fit_its_manifest_is_explained():
    from ganstudio.ml.model_check import MISMATCH_HINT, Dim, Port, Signature, check_model

    model = SimpleNamespace(inputs=[SimpleNamespace(shape=(None, 8))], outputs=[])  # a z of 8 …
    expected = Signature("generator", [Port("z", (None, Dim(100, "the manifest says z_dim 100")))], [])  # … not 100
    with pytest.raises(ModelFileError) as caught:
        check_model(model, expected, "generator.keras")
    entry = next((p for p in troubleshooting().split("\n\n") if f'**"{caught.value.problem}"**' in p), None)
    assert entry is not None, f"no troubleshooting entry starts with {caught.value.problem!r}"
    assert "re-export" in MISMATCH_HINT and "re-export" in entry.lower() and "ganstudio export" in entry
