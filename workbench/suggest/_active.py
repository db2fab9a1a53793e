"""Active learning: which segments to code next so the suggester learns fastest."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

__all__ = ["select", "uncertainty"]

_POOL = 200  # fewest candidates considered for diversity (at least 10 per pick)


def uncertainty(
    proba: np.ndarray,
    thresholds: np.ndarray,
    learned: np.ndarray,
    has_prior: np.ndarray,
    n_positive: np.ndarray | None = None,
) -> np.ndarray:
    """Per-segment uncertainty in [0, 1].

    For codes with a learned model: least confidence, i.e. closeness to its threshold of the
    code nearest its threshold (1 at the threshold, 0 at certainty).  Codes without a learned
    model add the normalised entropy of the prior (segments that resemble no code well are
    worth a look), and count fully when nothing is learned yet.  ``n_positive`` is accepted
    for compatibility; weighting codes by it did worse on SemEval-2014 restaurants.
    """
    n = proba.shape[0]
    parts: list[np.ndarray] = []
    if learned.any():
        p = proba[:, learned]
        t = np.clip(thresholds[learned], 1e-3, 1 - 1e-3)
        dist = np.where(p >= t, (p - t) / (1 - t), (t - p) / t)
        parts.append(1.0 - np.clip(dist, 0.0, 1.0).min(axis=1))
    rest = has_prior & ~learned
    if rest.sum() > 1:
        q = proba[:, rest] / np.maximum(proba[:, rest].sum(axis=1, keepdims=True), 1e-12)
        ent = -(q * np.log(np.maximum(q, 1e-12))).sum(axis=1) / np.log(rest.sum())
        parts.append(ent)
    if not parts:
        return np.ones(n)
    weights = [float(learned.sum()), float(rest.sum())] if len(parts) == 2 else [1.0]
    total = sum(w * part for w, part in zip(weights, parts, strict=True))
    return np.asarray(total / sum(weights))


def select(x: sp.csr_matrix, unc: np.ndarray, k: int, rng: np.random.Generator) -> list[int]:
    """Uncertainty-weighted k-means++ seeding: ``k`` distinct rows of ``x``.

    Candidates are the ``max(10 k, 200)`` most uncertain rows; each pick is drawn with
    probability proportional to ``uncertainty * d**2``, ``d`` the cosine distance to the
    nearest row already picked, so the batch is uncertain and spread out.
    """
    n = x.shape[0]
    k = min(k, n)
    score = unc + rng.uniform(0.0, 1e-9, size=n)
    pool = np.argsort(-score, kind="stable")[: max(_POOL, 10 * k)]
    xs = x[pool]
    norms = np.sqrt(np.asarray(xs.multiply(xs).sum(axis=1)).ravel())
    xs = sp.csr_matrix(sp.diags(1.0 / np.maximum(norms, 1e-12)) @ xs)
    u = np.clip(unc[pool], 0.0, None) + 1e-9
    d2 = np.ones(len(pool))
    taken = np.zeros(len(pool), dtype=bool)
    picks: list[int] = []
    for _ in range(k):
        w = np.where(taken, 0.0, u * d2 + 1e-12)
        best = int(rng.choice(len(pool), p=w / w.sum()))
        taken[best] = True
        picks.append(int(pool[best]))
        sims = np.asarray((xs @ xs[best].T).todense()).ravel()
        d2 = np.minimum(d2, np.clip(1.0 - sims, 0.0, 1.0) ** 2)
    return picks
