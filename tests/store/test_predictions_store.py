"""The store's machine-layer tables on SQLite and PostgreSQL: predictions replaced whole and
atomically, validation draws beside review items, decisions with reviewer and time, and the
database-backed sentence-vector cache."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from _helpers import ROOT

from workbench.store import QueuePurpose, Store, StoreEmbeddingCache
from workbench.suggest._embed import (
    Embedder,
    EmbeddingCache,
    embedding_cache,
    process_cache,
    text_hash,
)

from .test_store import imported, make_store


def _segments(store: Store, n: int) -> list[int]:
    imported(store, *[f"d{i:03d}.txt" for i in range(n)])
    frame = store.segments_frame(role="interviewee")
    return [int(s) for s in frame["segment"]]


def test_store_replace_predictions_replaces_everything(db: str | None, tmp_path: Path) -> None:
    store = make_store(db, tmp_path)
    ids = _segments(store, 3)
    rows = [(s, c, 0.1 * (i + 1)) for i, s in enumerate(ids) for c in ("needs", "trust")]
    assert store.replace_predictions(rows, model_fitted_at="t1", codebook_hash="h1") == 6
    frame = store.predictions_frame()
    assert list(frame.columns) == [
        "segment",
        "document",
        "participant",
        "code",
        "probability",
        "text",
        "model_fitted_at",
        "codebook_hash",
    ]
    assert frame[["segment", "code"]].values.tolist() == [[s, c] for s, c, _ in rows]
    assert set(frame["document"]) == {"d000.txt", "d001.txt", "d002.txt"}
    assert frame["text"].iloc[0] == "we need help"
    only = store.predictions_frame(code="trust", min_probability=0.2, text=False)
    assert only["segment"].tolist() == [ids[1], ids[2]]
    assert only["probability"].tolist() == pytest.approx([0.2, 0.3])
    assert "text" not in only.columns
    # A refit's predictions replace the old ones whole: none of the first model's are left.
    assert (
        store.replace_predictions(
            iter([(ids[0], "needs", 0.9)]), model_fitted_at="t2", codebook_hash="h1"
        )
        == 1
    )
    versions = store.prediction_versions()
    assert versions[["model_fitted_at", "codebook_hash", "rows", "segments"]].values.tolist() == [
        ["t2", "h1", 1, 1]
    ]
    assert store.codings_frame().empty  # predictions are never codings


def test_store_replace_predictions_in_batches(db: str | None, tmp_path: Path) -> None:
    # 12,000 rows: more than two batches of 5,000 (the demo stores about 100,000).
    store = make_store(db, tmp_path)
    ids = _segments(store, 6000)
    rows = [(s, c, (s % 97) / 96) for s in ids for c in ("needs", "trust")]
    assert store.replace_predictions(rows, model_fitted_at="t", codebook_hash="h") == 12000
    frame = store.predictions_frame(text=False)
    assert len(frame) == 12000
    assert frame.groupby("code").size().tolist() == [6000, 6000]
    assert frame["probability"].sum() == pytest.approx(sum(p for _, _, p in rows))


def test_store_replace_predictions_failure_keeps_the_old_ones(
    db: str | None, tmp_path: Path
) -> None:
    store = make_store(db, tmp_path)
    ids = _segments(store, 2)
    store.replace_predictions([(ids[0], "needs", 0.5)], model_fitted_at="t1", codebook_hash="h")
    with pytest.raises(Exception):  # noqa: B017 - a foreign key or check fails mid-way
        store.replace_predictions(
            [(ids[1], "needs", 0.4), (ids[1], "trust", 1.5)],
            model_fitted_at="t2",
            codebook_hash="h",
        )
    frame = store.predictions_frame(text=False)
    assert frame[["segment", "code", "model_fitted_at"]].values.tolist() == [
        [ids[0], "needs", "t1"]
    ]


KILLED = """
import sys, time
from pathlib import Path
from store.test_store import make_store

class Slow(list):
    def __iter__(self):
        for i, row in enumerate(list.__iter__(self)):
            if i == 5500:  # after a first batch of 5,000 went in
                Path({marker!r}).write_text("inside")
                time.sleep(60)
            yield row

store = make_store({db!r}, Path({tmp!r}))
ids = [int(s) for s in store.segments_frame(role="interviewee")["segment"]]
rows = Slow((ids[k // 2], "trust" if k % 2 else "needs", 0.25) for k in range(2 * len(ids)))
store.replace_predictions(rows, model_fitted_at="new", codebook_hash="h")
"""


def test_store_killed_process_mid_replace_leaves_the_old_predictions(
    db: str | None, tmp_path: Path
) -> None:
    store = make_store(db, tmp_path)
    ids = _segments(store, 3000)
    old = [(s, "needs", 0.75) for s in ids]
    store.replace_predictions(old, model_fitted_at="old", codebook_hash="h")
    marker = tmp_path / "inside"
    script = KILLED.format(marker=str(marker), db=db, tmp=str(tmp_path))
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'tests'}{os.pathsep}{ROOT}"}
    child = subprocess.Popen([sys.executable, "-c", script], env=env)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert child.poll() is None, "the writer ended before it was killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        # The transaction has deleted the old rows and inserted 5,000 new ones: kill it.
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    store.close()
    again = make_store(db, tmp_path)
    frame = again.predictions_frame(text=False)
    assert len(frame) == 3000 and set(frame["model_fitted_at"]) == {"old"}
    assert set(frame["probability"]) == {0.75}
    assert again.integrity_ok()


def test_store_validation_draw_keeps_review_items_and_decisions(
    db: str | None, tmp_path: Path
) -> None:
    store = make_store(db, tmp_path)
    a, b, c = _segments(store, 3)
    store.queue_suggestions(
        [
            {"segment_id": a, "code_id": "needs", "confidence": 0.9, "reason": "help"},
            {"segment_id": b, "code_id": "needs", "confidence": 0.85, "reason": "need"},
        ],
        user="t",
    )
    queue = store.queue_frame()
    decided = int(queue.loc[queue["segment"] == b, "id"].iloc[0])
    store.review_suggestion(decided, "rejected", user="erik")
    drawn = store.queue_validation(
        [
            {"segment_id": c, "code_id": "trust", "confidence": 0.05, "weight": 12.0},
            {"segment_id": b, "code_id": "needs", "confidence": 0.85, "weight": 3.0},
        ],
        user="zoe",
    )
    assert drawn == 2
    queue = store.queue_frame().set_index(["segment", "code"])
    # The open review item stays; the decided one joins the draw with its decision.
    assert queue.loc[(a, "needs"), "purpose"] == QueuePurpose.REVIEW
    assert queue.loc[(a, "needs"), "status"] == "open"
    assert queue.loc[(b, "needs"), "purpose"] == QueuePurpose.VALIDATION
    assert queue.loc[(b, "needs"), "status"] == "rejected"
    assert queue.loc[(b, "needs"), "reviewer"] == "erik"
    assert queue.loc[(b, "needs"), "weight"] == 3.0
    assert queue.loc[(c, "trust"), ["status", "weight"]].tolist() == ["open", 12.0]
    assert queue.loc[(c, "trust"), "created_at"] == queue.loc[(b, "needs"), "created_at"]
    # A new review fill replaces open review items only: the draw stays.
    store.queue_suggestions([], user="t")
    left = store.queue_frame()
    assert sorted(zip(left["segment"], left["purpose"], left["status"], strict=True)) == sorted(
        [(b, "validation", "rejected"), (c, "validation", "open")]
    )
    validation = store.queue_frame(purpose=QueuePurpose.VALIDATION)
    assert len(validation) == 2


def test_store_review_records_reviewer_and_time(db: str | None, tmp_path: Path) -> None:
    store = make_store(db, tmp_path)
    (a,) = _segments(store, 1)
    store.queue_validation(
        [{"segment_id": a, "code_id": "needs", "confidence": 0.4, "weight": 1.0}], user="t"
    )
    item = int(store.queue_frame()["id"].iloc[0])
    before = store.queue_frame().iloc[0]
    assert before["reviewer"] is None and before["reviewed_at"] is None
    store.review_suggestion(item, "accepted", user="anna")
    after = store.queue_frame().iloc[0]
    assert (after["status"], after["reviewer"]) == ("accepted", "anna")
    assert after["reviewed_at"] >= after["created_at"]


class _Counting(Embedder):
    """A stand-in model: deterministic unit vectors, counting what it had to compute."""

    def __init__(self) -> None:
        self.name = "counting"
        self.key = f"counting-{os.getpid()}-{time.perf_counter_ns()}"
        self.dim = 4
        self.computed: list[str] = []

    def _compute(self, texts: list[str]) -> np.ndarray:
        self.computed.extend(texts)
        out = np.array([[len(t), t.count("e"), 1.0, ord(t[0])] for t in texts], dtype=np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_store_embedding_cache_keeps_vectors_across_processes(
    db: str | None, tmp_path: Path
) -> None:
    store = make_store(db, tmp_path)
    cache = StoreEmbeddingCache(store)
    assert isinstance(cache, EmbeddingCache)
    model = _Counting()
    texts = ["we need help", "the queue", "we need help"]
    with embedding_cache(cache):
        first = model.encode(texts)
    assert model.computed == ["we need help", "the queue"]  # each distinct text once
    held = cache.get_many(model.key, [text_hash("the queue"), "0" * 32])
    assert list(held) == [text_hash("the queue")]
    assert held[text_hash("the queue")].dtype == np.float32
    # A new session: the process cache is empty, the database still has the vectors.
    process_cache().clear()
    with embedding_cache(StoreEmbeddingCache(make_store(db, tmp_path))):
        again = model.encode(texts)
    assert model.computed == ["we need help", "the queue"]
    np.testing.assert_allclose(again, first, rtol=1e-6)
    # Replacing a vector keeps one row per (model, text).
    cache.put_many(model.key, {text_hash("the queue"): np.ones(4, dtype=np.float32) / 2})
    assert (
        cache.get_many(model.key, [text_hash("the queue")])[text_hash("the queue")].tolist()
        == [0.5] * 4
    )


def test_store_embedding_cache_read_only_keeps_nothing(tmp_path: Path) -> None:
    writer = make_store(None, tmp_path)
    from workbench.store import sqlite_engine

    reader = Store(sqlite_engine(tmp_path / "p.sqlite", read_only=True), read_only=True)
    cache = StoreEmbeddingCache(reader)
    cache.put_many("m", {"a" * 32: np.ones(4)})  # silently nothing: dashboards only read
    assert StoreEmbeddingCache(writer).get_many("m", ["a" * 32]) == {}
