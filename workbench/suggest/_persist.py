"""Saving and loading a fitted `CodeSuggester` as plain arrays plus JSON (never pickle).

The file is an ``.npz`` archive read with ``allow_pickle=False``: a manifest (UTF-8 JSON
stored as bytes) and numeric arrays only.  Loading checks the format name and version, that
every array is a trusted numeric dtype, and each array's SHA-256 against the manifest, and
refuses anything else with a :class:`~workbench.errors.SuggestError`.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp
from sklearn.utils.validation import check_is_fitted

from workbench.errors import SuggestError

from ._text import TextFeatures

if TYPE_CHECKING:
    from ._model import CodeSuggester

__all__ = ["FORMAT", "TRUSTED_DTYPES", "VERSION", "load", "save"]

FORMAT = "vardag-code-suggester"
VERSION = 1
TRUSTED_DTYPES = frozenset({"float64", "int64", "int32", "bool", "uint8"})

# Settings that are stored; the codebook and corpus are not (the prior built from the
# codebook is, with the codebook's hash).
_PARAMS = (
    "language",
    "word_ngram_max",
    "char_ngram_range",
    "char_weight",
    "drop_stop_words",
    "min_df",
    "embeddings",
    "embedding_weight",
    "fine_tune_epochs",
    "C",
    "class_weight",
    "calibration",
    "inner_cv",
    "calibration_samples",
    "tune_thresholds",
    "at_least_one",
    "prior_strength",
    "prior_temperature",
    "prior_threshold",
    "min_positive",
    "learning_rate",
    "random_state",
)


def _digest(arr: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(arr).tobytes()).hexdigest()


def save(model: CodeSuggester, path: Path) -> None:
    """Write ``model`` to ``path``."""
    check_is_fitted(model, "classes_")
    feat_meta, feat_arrays = model.features_.state()
    prior = sp.csr_matrix(model.prior_)
    arrays: dict[str, np.ndarray] = {
        "coef": model.coef_,
        "intercept": model.intercept_,
        "platt": model.platt_,
        "thresholds": model.thresholds_,
        "n_positive": model.n_positive_.astype(np.int64),
        "learned": model.learned_,
        "has_prior": model.has_prior_,
        "prior_data": prior.data.astype(np.float64),
        "prior_indices": prior.indices.astype(np.int64),
        "prior_indptr": prior.indptr.astype(np.int64),
        **feat_arrays,
    }
    params = model.get_params(deep=False)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "params": {
            k: (list(params[k]) if isinstance(params[k], tuple) else params[k]) for k in _PARAMS
        },
        "classes": [str(c) for c in model.classes_],
        "status": model.status_,
        "codebook_hash": model.codebook_hash_,
        "codebook_version": model.codebook_version_,
        "prior_shape": list(prior.shape),
        "features": feat_meta,
        "sha256": {k: _digest(v) for k, v in arrays.items()},
    }
    blob = np.frombuffer(json.dumps(manifest, ensure_ascii=False).encode("utf-8"), np.uint8)
    with path.open("wb") as fh:
        np.savez_compressed(fh, manifest=blob, **arrays)  # type: ignore[arg-type]


def load(path: Path) -> CodeSuggester:
    """Read a model written by :func:`save`."""
    from ._model import CodeSuggester

    name = path.name
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except FileNotFoundError as exc:
        raise SuggestError(f"{name}: no such file") from exc
    except (ValueError, OSError, zipfile.BadZipFile, EOFError) as exc:
        raise SuggestError(f"{name}: not a saved code suggester (or it holds objects)") from exc
    blob = arrays.pop("manifest", None)
    if blob is None or blob.dtype != np.uint8:
        raise SuggestError(f"{name}: not a saved code suggester (no manifest)")
    try:
        manifest = json.loads(blob.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SuggestError(f"{name}: the manifest is not valid JSON") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise SuggestError(f"{name}: not a saved code suggester")
    if manifest.get("version") != VERSION:
        raise SuggestError(f"{name}: format version {manifest.get('version')!r} is not supported")
    expected = manifest.get("sha256", {})
    if set(expected) != set(arrays):
        raise SuggestError(f"{name}: the arrays do not match the manifest")
    for key, arr in arrays.items():
        if arr.dtype.name not in TRUSTED_DTYPES:
            raise SuggestError(f"{name}: array {key!r} has untrusted type {arr.dtype.name}")
        if _digest(arr) != expected[key]:
            raise SuggestError(f"{name}: array {key!r} was changed after saving")
    try:
        params = dict(manifest["params"])
        params["char_ngram_range"] = tuple(params["char_ngram_range"])
        model = CodeSuggester(**params)
        model.features_ = TextFeatures.from_state(manifest["features"], arrays)
        model._vocabulary_fixed = True
        model.classes_ = np.asarray(manifest["classes"], dtype=object)
        model.coef_ = arrays["coef"]
        model.intercept_ = arrays["intercept"]
        model.platt_ = arrays["platt"]
        model.thresholds_ = arrays["thresholds"]
        model.n_positive_ = arrays["n_positive"]
        model.learned_ = arrays["learned"]
        model.has_prior_ = arrays["has_prior"]
        model.prior_ = sp.csr_matrix(
            (arrays["prior_data"], arrays["prior_indices"], arrays["prior_indptr"]),
            shape=tuple(manifest["prior_shape"]),
        )
        model.status_ = {str(k): str(v) for k, v in manifest["status"].items()}
        model.codebook_hash_ = manifest["codebook_hash"]
        model.codebook_version_ = manifest["codebook_version"]
    except (KeyError, TypeError, ValueError) as exc:
        raise SuggestError(f"{name}: the saved suggester is incomplete or damaged") from exc
    n_codes = len(model.classes_)
    if model.coef_.shape != (model.features_.n_features, n_codes):
        raise SuggestError(f"{name}: the saved weights do not match the vocabulary")
    return model
