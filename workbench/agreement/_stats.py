"""Agreement statistics as linear functions of weighted coder patterns (numpy only).

Every unit (a segment for one code, a run of characters, a row of a reliability table) is
reduced to its *pattern*: the category index each coder gave it, ``-1`` where the coder did not
see it.  Units with the same pattern contribute identically to every statistic, so all of them
are computed from a weight per distinct pattern.  A weight matrix ``W`` of shape ``(B, T)`` gives
``B`` estimates at once: one row holds the counts of the data themselves, or of ``B`` bootstrap
resamples.  For segment-level binary coding by ``m`` coders there are at most ``3**m`` patterns,
so each statistic is a closed form over a handful of counts.

Definitions (``n_tv``: coders giving value ``v`` in pattern ``t``; ``m_t = sum_v n_tv``; only
patterns with ``m_t >= 2`` are *pairable* and count):

- percent agreement: mean over pairable units of the share of agreeing coder pairs,
  ``sum_v n_tv (n_tv - 1) / (m_t (m_t - 1))`` (for two coders, the plain share of agreements);
- Fleiss' kappa: ``(P - Pe) / (1 - Pe)`` with ``P`` the percent agreement above and
  ``Pe = sum_v p_v**2``, ``p_v`` the share of value ``v`` among all pairable ratings
  (Fleiss 1971; with missing ratings this is the usual generalisation to unequal raters);
- Cohen's kappa for a pair: on the units both coders rated;
- Krippendorff's alpha: ``1 - (n - 1) sum o_ck d_ck / sum n_c n_k d_ck`` from the coincidence
  matrix ``o`` (Krippendorff 2011), with the nominal, ordinal, interval or ratio metric.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "LEVELS",
    "Level",
    "alpha_w",
    "cohen_w",
    "fleiss_w",
    "pairable_w",
    "percent_w",
    "value_counts",
]

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[str, ...] = ("nominal", "ordinal", "interval", "ratio")

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _div(num: FloatArray, den: FloatArray) -> FloatArray:
    """``num / den`` with NaN where ``den`` is zero (no warning)."""
    num, den = np.broadcast_arrays(np.asarray(num, float), np.asarray(den, float))
    out = np.full(num.shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out


def value_counts(patterns: IntArray, k: int) -> FloatArray:
    """``(T, k)`` counts of coders per value in each pattern (``-1`` = missing is skipped)."""
    t, m = patterns.shape
    rows = np.repeat(np.arange(t), m)
    flat = patterns.reshape(-1)
    keep = flat >= 0
    return np.bincount(rows[keep] * k + flat[keep], minlength=t * k).reshape(t, k).astype(float)


def pairable_w(patterns: IntArray, weights: FloatArray) -> FloatArray:
    """Weight of units rated by at least two coders, per row of ``weights``."""
    m_t = (patterns >= 0).sum(axis=1)
    return np.asarray(weights @ (m_t >= 2).astype(float))


def percent_w(patterns: IntArray, k: int, weights: FloatArray) -> FloatArray:
    """Percent agreement (share of agreeing coder pairs, averaged over pairable units)."""
    n = value_counts(patterns, k)
    m = n.sum(axis=1)
    p_t = _div((n * (n - 1)).sum(axis=1), m * (m - 1))
    ok = m >= 2
    p_t = np.where(ok, p_t, 0.0)
    return _div(weights @ p_t, weights @ ok.astype(float))


def fleiss_w(patterns: IntArray, k: int, weights: FloatArray) -> FloatArray:
    """Fleiss' kappa (generalised to units rated by different numbers of coders)."""
    n = value_counts(patterns, k)
    m = n.sum(axis=1)
    ok = (m >= 2).astype(float)
    n = n * ok[:, None]
    p_bar = percent_w(patterns, k, weights)
    marg = weights @ n  # (B, k)
    p_v = _div(marg, marg.sum(axis=1, keepdims=True))
    p_e = (p_v**2).sum(axis=1)
    return _div(p_bar - p_e, 1.0 - p_e)


def cohen_w(patterns: IntArray, k: int, weights: FloatArray, i: int, j: int) -> FloatArray:
    """Cohen's kappa between coders ``i`` and ``j`` on the units both rated."""
    a, b = patterns[:, i], patterns[:, j]
    both = (a >= 0) & (b >= 0)
    n = weights @ both.astype(float)
    p_o = _div(weights @ (both & (a == b)).astype(float), n)
    eye = np.eye(k)
    one_a = np.where(both[:, None], eye[np.maximum(a, 0)], 0.0)
    one_b = np.where(both[:, None], eye[np.maximum(b, 0)], 0.0)
    pa = _div(weights @ one_a, n[:, None])
    pb = _div(weights @ one_b, n[:, None])
    p_e = (pa * pb).sum(axis=1)
    return _div(p_o - p_e, 1.0 - p_e)


def _distance(values: FloatArray, level: str) -> FloatArray:
    """Squared distances ``d_ck`` between the (sorted) values for a level of measurement."""
    if level == "nominal":
        return 1.0 - np.eye(len(values))
    if level == "interval":
        return np.asarray((values[:, None] - values[None, :]) ** 2)
    if level == "ratio":
        diff = values[:, None] - values[None, :]
        total = values[:, None] + values[None, :]
        ratio = np.zeros_like(diff)
        np.divide(diff, total, out=ratio, where=total != 0)
        return np.asarray(ratio**2)
    raise ValueError(f"unknown level {level!r}")


def _ordinal_sums(o: FloatArray) -> tuple[FloatArray, FloatArray]:
    """``sum o*d`` and ``sum n_c n_k d`` for ordinal data, one per row of ``o`` (``(B, k, k)``)."""
    n_v = o.sum(axis=2)  # (B, k)
    cum = np.cumsum(n_v, axis=1)
    # d_ck for c <= k: (sum_{g=c..k} n_g - (n_c + n_k) / 2) ** 2, symmetric.
    lo = cum[:, :, None] - n_v[:, :, None]  # sum below c
    between = cum[:, None, :] - lo  # sum_{g=c..k} n_g when c <= k
    d = (between - (n_v[:, :, None] + n_v[:, None, :]) / 2.0) ** 2
    upper = np.triu(np.ones(d.shape[1:], bool))
    d = np.where(upper, d, np.swapaxes(d, 1, 2))
    do = (o * d).sum(axis=(1, 2))
    de = np.einsum("bc,bck,bk->b", n_v, d, n_v)
    return do, de


def alpha_w(
    patterns: IntArray, values: FloatArray, weights: FloatArray, level: str = "nominal"
) -> FloatArray:
    """Krippendorff's alpha for each row of ``weights``.

    ``values`` are the sorted numeric values behind the category indices (any numbers for the
    nominal level).  NaN where alpha is undefined (no variation, or no pairable unit).
    """
    k = len(values)
    n = value_counts(patterns, k)
    m = n.sum(axis=1)
    ok = m >= 2
    n = n * ok[:, None]
    scale = np.where(ok, 1.0 / np.maximum(m - 1.0, 1.0), 0.0)
    marg = weights @ n  # (B, k): n_c of the coincidence matrix
    total = marg.sum(axis=1)
    if level == "ordinal":
        # The metric depends on the marginals, so build the coincidence matrix per row.
        per_t = n[:, :, None] * n[:, None, :] * scale[:, None, None]
        per_t -= np.einsum("tk,kl->tkl", n * scale[:, None], np.eye(k))
        if per_t.size <= 20_000_000:
            o = (weights @ per_t.reshape(len(n), k * k)).reshape(-1, k, k)
        else:
            o = np.stack([np.einsum("t,tkl->kl", w, per_t) for w in weights])
        do, de = _ordinal_sums(o)
    else:
        d = _distance(np.asarray(values, float), level)
        q_t = ((n @ d) * n).sum(axis=1) * scale  # diag(d) = 0, so the -diag term vanishes
        do = weights @ q_t
        de = ((marg @ d) * marg).sum(axis=1)
    return 1.0 - _div((total - 1.0) * do, de)
