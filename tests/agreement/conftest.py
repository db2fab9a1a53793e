from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


def make_corpus(seed: int, coders: tuple[str, ...] = ("anna", "erik", "olle")) -> dict:
    """Random segments, codings (with spans) and seen sets; olle skips the last document."""
    rng = np.random.default_rng(seed)
    n_docs, per_doc = 3, int(rng.integers(4, 12))
    segs = pd.DataFrame(
        {
            "segment": np.arange(n_docs * per_doc) + 100,
            "document": np.repeat([f"d{i}" for i in range(n_docs)], per_doc),
        }
    )
    segs["start"] = (np.arange(len(segs)) % per_doc) * 30
    segs["end"] = segs["start"] + 25
    rows = []
    for seg in segs.itertuples():
        for coder in coders:
            if coder == "olle" and seg.document == "d2":
                continue
            for code in ("a", "b", "c"):
                if rng.random() < 0.35:
                    start = int(seg.start + rng.integers(0, 15))
                    end = min(int(seg.end), start + int(rng.integers(1, 20)))
                    rows.append((seg.segment, seg.document, code, coder, start, end))
    codings = pd.DataFrame(rows, columns=["segment", "document", "code", "coder", "start", "end"])
    seen = pd.DataFrame(
        [
            (s.segment, c)
            for s in segs.itertuples()
            for c in coders
            if not (c == "olle" and s.document == "d2")
        ],
        columns=["segment", "coder"],
    )
    return {"codings": codings, "segments": segs, "seen": seen, "coders": list(coders)}


@pytest.fixture
def corpus() -> dict:
    return make_corpus(7)


@pytest.fixture(scope="session")
def corpus_factory():  # type: ignore[no-untyped-def]
    return make_corpus
