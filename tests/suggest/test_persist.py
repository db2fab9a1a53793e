from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest

from workbench.errors import SuggestError
from workbench.suggest import CodeSuggester


def test_save_load_round_trip_identical(tmp_path: Path, codebook, texts, codes) -> None:
    s = CodeSuggester(codebook=codebook, random_state=0).fit(texts, codes)
    path = tmp_path / "model.npz"
    s.save(path)
    t = CodeSuggester.load(path)
    np.testing.assert_array_equal(s.predict_proba(texts), t.predict_proba(texts))
    assert t.status_ == s.status_
    assert t.codebook_hash_ == s.codebook_hash_
    assert t.get_params()["C"] == s.C
    assert t.suggest(texts[0]) == s.suggest(texts[0])


def test_load_refuses_pickle(tmp_path: Path) -> None:
    path = tmp_path / "evil.npz"
    path.write_bytes(pickle.dumps({"a": 1}))
    with pytest.raises(SuggestError, match="evil.npz"):
        CodeSuggester.load(path)


def test_load_refuses_object_arrays(tmp_path: Path) -> None:
    path = tmp_path / "objects.npz"
    np.savez(path, manifest=np.array([{"x": 1}], dtype=object))
    with pytest.raises(SuggestError, match="objects.npz"):
        CodeSuggester.load(path)


def test_load_refuses_tampered_arrays(tmp_path: Path, texts, codes) -> None:
    s = CodeSuggester(random_state=0).fit(texts, codes)
    path = tmp_path / "model.npz"
    s.save(path)
    with np.load(path) as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["coef"] = arrays["coef"] + 1.0
    np.savez(path, **arrays)
    with pytest.raises(SuggestError, match="changed after saving"):
        CodeSuggester.load(path)


def test_load_refuses_foreign_manifest(tmp_path: Path) -> None:
    path = tmp_path / "other.npz"
    blob = np.frombuffer(json.dumps({"format": "other"}).encode(), np.uint8)
    np.savez(path, manifest=blob)
    with pytest.raises(SuggestError, match="not a saved code suggester"):
        CodeSuggester.load(path)


def test_load_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SuggestError, match="no such file"):
        CodeSuggester.load(tmp_path / "absent.npz")
