"""Active learning: which segments to code next so the suggester learns fastest."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

__all__ = ["select", "uncertainty"]

_POOL = 4000  # candidates considered for diversity; the rest are far less uncertain


def uncertainty(
    proba: np.ndarray,
    thresholds: np.ndarray,
    learned: np.ndarray,
    has_prior: np.ndarray,
    n_positive: np.ndarray | None = None,
) -> np.ndarray:
    """Per-segment uncertainty in [0, 1].

    For codes with a learned model: 1 at the code's threshold, 0 at certainty; codes with
    fewer positive examples weigh more (1 / sqrt(1 + n)); the most uncertain code and the
    weighted mean count half each.  Codes without a learned model
    add the normalised entropy of the prior (segments that resemble no code well are worth
    a look), and count fully when nothing is learned yet.
    """
    n = proba.shape[0]
    parts: list[np.ndarray] = []
    if learned.any():
        p = proba[:, learned]
        t = np.clip(thresholds[learned], 1e-3, 1 - 1e-3)
        dist = np.where(p >= t, (p - t) / (1 - t), (t - p) / t)
        u = 1.0 - np.clip(dist, 0.0, 1.0)
        if n_positive is not None:
            # Codes with few examples matter more: their models change most per example.
            wts = 1.0 / np.sqrt(1.0 + n_positive[learned].astype(np.float64))
        else:
            wts = np.ones(u.shape[1])
        uw = u * wts / wts.max()
        parts.append(0.5 * uw.max(axis=1) + 0.5 * (u * wts).sum(axis=1) / wts.sum())
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
    """Greedy uncertainty-times-distance selection of ``k`` distinct rows of ``x``.

    Each pick maximises ``uncertainty * density * min cosine distance to the rows already
    picked``: density (cosine to the candidates' centroid) keeps outliers from coming first,
    the distance spreads the batch (k-center style).  Ties break at random with ``rng``.
    """
    n = x.shape[0]
    k = min(k, n)
    jitter = rng.uniform(0.0, 1e-9, size=n)
    score = unc + jitter
    pool = np.argsort(-score, kind="stable")[: max(_POOL, 4 * k)]
    xs = x[pool]
    norms = np.sqrt(np.asarray(xs.multiply(xs).sum(axis=1)).ravel())
    xs = sp.diags(1.0 / np.maximum(norms, 1e-12)) @ xs
    xs = sp.csr_matrix(xs)
    u = score[pool]
    # Information density: prefer typical segments (cosine to the pool's centroid) over
    # outliers, which max-min distance alone would pick first.
    centroid = np.asarray(xs.mean(axis=0)).ravel()
    dens = np.clip(xs @ centroid, 0.0, None)
    u = u * dens / max(float(dens.max()), 1e-12)
    mindist = np.ones(len(pool))
    taken = np.zeros(len(pool), dtype=bool)
    picks: list[int] = []
    for _ in range(k):
        value = np.where(taken, -np.inf, (u + 1e-3) * mindist)
        best = int(np.argmax(value))
        taken[best] = True
        picks.append(int(pool[best]))
        sims = np.asarray((xs @ xs[best].T).todense()).ravel()
        mindist = np.minimum(mindist, np.clip(1.0 - sims, 0.0, 1.0))
    return picks
