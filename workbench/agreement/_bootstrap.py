"""Bootstrap weights over patterns: resampling units, or whole segments (clusters)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import sparse

__all__ = ["cluster_weights", "interval", "pattern_weights"]

FloatArray = npt.NDArray[np.float64]

# Draw at most this many cluster indices at once (memory: 8 bytes each).
_CHUNK = 5_000_000


def pattern_weights(counts: FloatArray, n_boot: int, rng: np.random.Generator) -> FloatArray:
    """``(n_boot, T)`` pattern counts of resamples of the units behind ``counts``.

    Drawing ``N`` units with replacement from ``N`` units is a multinomial draw over their
    distinct patterns, so this is exact and costs nothing per unit.
    """
    total = int(round(float(counts.sum())))
    if total == 0 or n_boot == 0:
        return np.zeros((n_boot, len(counts)))
    return rng.multinomial(total, counts / counts.sum(), size=n_boot).astype(float)


def cluster_weights(
    clusters: sparse.csr_matrix, n_boot: int, rng: np.random.Generator
) -> FloatArray:
    """``(n_boot, T)`` pattern weights when whole clusters (rows of ``clusters``) are resampled.

    Used where units are not independent: the codes of one segment, or the characters of one
    segment at span level.  Each resample draws as many segments as there are, with replacement.
    """
    s, t = clusters.shape
    out = np.zeros((n_boot, t))
    if s == 0 or n_boot == 0:
        return out
    step = max(1, _CHUNK // s)
    csc = clusters.T.tocsr()  # (T, S)
    for first in range(0, n_boot, step):
        b = min(step, n_boot - first)
        draws = rng.integers(0, s, size=(b, s))
        rows = np.repeat(np.arange(b), s)
        times = np.bincount(rows * s + draws.reshape(-1), minlength=b * s).reshape(b, s)
        out[first : first + b] = (csc @ times.T.astype(float)).T
    return out


def interval(samples: FloatArray, level: float = 0.95) -> tuple[float | None, float | None]:
    """Percentile interval of the finite bootstrap estimates (None when there are none)."""
    finite = samples[np.isfinite(samples)]
    if finite.size == 0:
        return None, None
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.percentile(finite, [tail, 100.0 - tail])
    return float(low), float(high)
