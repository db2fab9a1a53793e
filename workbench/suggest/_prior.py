"""The cold-start prior: how much a segment reads like each code's own description.

Each codable code becomes a vector: the centroid of its label, definition, "use when" text and
example quotes, in both languages, in the suggester's feature space (stem n-grams and
character n-grams).  A segment's prior for a code is a softmax over cosine similarities.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

import numpy as np
import scipy.sparse as sp

from workbench.codebook._model import Code, Codebook

from ._text import TextFeatures

__all__ = ["code_documents", "codebook_hash", "prior_matrix", "prior_proba"]


def code_documents(code: Code) -> list[str]:
    """The texts that describe ``code``: labels, definitions, use-when texts and examples."""
    docs: list[str] = []
    for texts in (code.label, code.definition, code.use_when):
        docs.extend(t for t in texts.values() if t and t.strip())
    docs.extend(ex.text for ex in code.examples if ex.text.strip())
    return docs


def codable_codes(codebook: Codebook) -> list[Code]:
    """The codes a segment can be coded with, in codebook order."""
    return [c for c in codebook.codes if c.codable]


def codebook_hash(codebook: Codebook) -> str:
    """A SHA-256 of the codebook's content; it changes whenever a code or text changes."""
    data = json.dumps(asdict(codebook), sort_keys=True, ensure_ascii=False, default=list)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def prior_matrix(features: TextFeatures, codes: list[Code]) -> sp.csr_matrix:
    """One L2-normalised row per code: the centroid of its documents' feature rows."""
    rows = []
    for code in codes:
        docs = code_documents(code)
        if not docs:
            rows.append(sp.csr_matrix((1, features.n_features)))
            continue
        mat = features.transform(docs)
        centroid = sp.csr_matrix(mat.mean(axis=0))
        norm = float(np.sqrt(centroid.multiply(centroid).sum()))
        rows.append(centroid / norm if norm > 0 else centroid)
    if not rows:
        return sp.csr_matrix((0, features.n_features))
    return sp.vstack(rows, format="csr")


def prior_proba(x: sp.csr_matrix, prior: sp.csr_matrix, temperature: float) -> np.ndarray:
    """Softmax over cosine similarities of each row of ``x`` to each code's centroid.

    Rows of ``x`` hold two L2-normalised blocks, so their norm is about sqrt(2); similarities
    are divided by the row norm to stay in [0, 1].
    """
    sims = np.asarray((x @ prior.T).todense(), dtype=np.float64)
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1), dtype=np.float64)).reshape(-1, 1)
    sims = sims / np.maximum(norms, 1e-12)
    logits = sims / temperature
    logits -= logits.max(axis=1, keepdims=True)
    expd = np.exp(logits)
    return np.asarray(expd / expd.sum(axis=1, keepdims=True))
