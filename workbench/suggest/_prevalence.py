"""Prevalence with honest uncertainty: how common is each code across a whole corpus?

A manager asks "how many of our users lack information about fees?" over thousands of answers
of which a few hundred are coded by people.  Counting the suggester's predicted labels
(*classify and count*, CC) is biased whenever the model is: a model that over-predicts a code
inflates its share, and the bias grows when the corpus holds more or less of the code than the
coded part did (prior shift).  This module combines the human codings (counted as they are)
with a *quantification* estimate for the rest, corrected for the model's errors, and gives
bootstrap confidence intervals.

Methods (each code is its own yes/no problem; :class:`Method`)
    ``cc``    classify and count: the share of items whose probability is at least the threshold.
    ``pcc``   probabilistic classify and count: the mean probability (Bella et al. 2010).
    ``acc``   adjusted classify and count: ``(cc - fpr) / (tpr - fpr)``, the true and false
              positive rates measured on out-of-fold predictions of the coded items
              (Forman 2008).
    ``pacc``  the same with mean probabilities in place of counts (Bella et al. 2010).
    ``emq``   the Saerens–Latinne–Decaestecker EM re-calibration of the prior (2002): the
              maximum-likelihood prevalence given the posteriors and the coded items' prior.
    ``coded`` the share among the calibration items, without the model: what the coded part
              says when the corpus is like it.  ACC and PACC fall back to it when the model
              does not separate the code (``tpr - fpr`` below :data:`MIN_SEPARATION`): a
              rare code whose probabilities come mostly from the codebook's prior scores
              every segment alike, and its mean probability (PCC) is then no estimate at all
              (on the demo survey, 2 % for a code 1 of 260 coded answers has).
    The default, :data:`DEFAULT_METHOD` (``pacc``), was chosen by ``benchmarks/prevalence.py``
    (SemEval-2014 restaurants, 5-fold cross-validation twice; mean absolute error of a code's
    share over 50 natural and 250 shifted (code, fold) pairs):

    ======  =======  =======  ==============
    method  natural  shifted  doubled code
    ======  =======  =======  ==============
    cc      0.0108   0.0267   0.0693
    pcc     0.0180   0.0388   0.0716
    acc     0.0153   0.0221   0.0253
    pacc    0.0137   0.0216   0.0216
    emq     0.0278   0.0296   0.0295
    coded   0.0148   0.0912   0.2441
    ======  =======  =======  ==============

    The coded share alone (no model) is as good as any without a shift and fails most with
    one: it is the fallback, not a method to choose.  Without a shift there is nothing to
    correct and CC is a little better; once a code is twice
    as common as in the coded part, CC misses it by 0.069 and PACC by 0.022, the best of all
    (ACC is close and noisier; EMQ and PCC suffer from the suggester's probabilities running
    high (mean probability 0.016 above the true share on natural folds), which EMQ's
    likelihood takes at face value).

Calibration data (:class:`Calibration`)
    The corrections need the model's behaviour on items whose labels are known but which the
    model did not learn from: out-of-fold probabilities of the coded items
    (:func:`workbench.suggest.out_of_fold`).  Accept/reject decisions from a validation sample
    (:func:`validation_sample`, :meth:`Calibration.with_decisions`) join it with the final
    model's probability and an inverse-inclusion-probability weight, because the sample is
    stratified by probability band and would otherwise distort the error rates.

Mixing human codings with estimates (:func:`estimate_prevalence`)
    For code ``c`` over a corpus of ``N`` items of which ``H`` have a human label (``K`` of them
    positive): ``share = (K + (N - H) * p) / N`` with ``p`` the corrected estimate on the
    ``N - H`` uncoded items.  ``classify_and_count`` mixes the same way with a plain count.

Participants
    A participant has a code when any of their segments has it.  Participants with a
    human-coded positive, or with every segment coded, are known.  For the others, the
    participant becomes the item: their score is ``1 - prod(1 - p_i)`` over their uncoded
    segments (the probability that at least one has the code if segments were independent
    given the text) and their crisp prediction is "any segment predicted".  The same method
    then runs on participants, calibrated on fully coded participants (their out-of-fold
    segment probabilities combined the same way).  Assumption, stated plainly: segments of one
    person are positively correlated (who complains about fees does so again), so
    ``1 - prod(1 - p_i)`` over-states the chance and ``pcc``/``emq`` at this level inherit that
    bias; ``acc``/``pacc`` learn the relation between the combined score and the truth from
    coded participants and need only that coded and uncoded participants be alike (in
    particular in how many segments they have).  Without fully coded participants both with
    and without the code, the corrected methods cannot calibrate at this level: the segments'
    posteriors are first moved to the corrected segment-level share (Bayes' rule, so a model
    that runs high does not compound over 50 segments), combined as if independent, and the
    interval is widened to what any dependence allows: from the likeliest segment alone
    (``max q_i``) to the sum of their chances (``min(1, sum q_i)``).  The ``note`` column
    says so.

Confidence intervals (:class:`Population`)
    Percentile bootstrap, seeded per code (a code's interval does not depend on which other
    codes are estimated); clusters are whole participants when participants are given, since
    one person's segments are not independent.  Two questions, two intervals:

    ``sample`` (default, :data:`DEFAULT_POPULATION`)
        The participants are a sample of the people the question is about ("how many of our
        users ..."): each replicate resamples the calibration items *and* the corpus's
        participants (coded and uncoded alike) and recomputes the share.
    ``corpus``
        The corpus is everything there is: human labels are exact; each replicate resamples
        the calibration items (the error rates are estimates) and draws the uncoded items'
        labels from the model's posteriors moved to the replicate's prevalence.
    Neither can see a model assumption failing: ACC/PACC assume that items with (and
    without) the code score alike in the coded part and in the corpus, and the coded part's
    out-of-fold models are a little weaker than the final one.  On the benchmark the
    ``corpus`` interval (mean width 0.057) held the true share of the test fold in only 84 %
    of natural and 76 % of shifted (code, fold) pairs; the ``sample`` interval (0.112) held it
    in 100 % and 94 %.  Hence the default.
    Degenerate resamples fall back as the point estimate does.  When no coded item has the
    code, the upper limit is at least the Clopper–Pearson bound for 0 positives in ``n`` coded
    items (this assumes the coded items were chosen at random).

Why not QuaPy
    QuaPy 0.2.3 (the maintained quantification library) can work from precomputed posteriors
    (``aggregation_fit`` / ``aggregate``), and its binary estimators agree with these on the
    benchmark's posteriors: CC/PCC to 5e-13, ACC/PACC to 3e-7 (its optimiser's tolerance),
    EMQ to 4e-6 (its EM tolerance); ``benchmarks/prevalence.py --check-quapy`` compares them
    when QuaPy is installed.  It is not used because: (1) it needs a fitted scikit-learn
    classifier object only for ``classes_``, and ``EMQ.aggregation_fit`` does not set the
    training prevalence it then reads (an ``AttributeError`` unless a private attribute is set
    by hand), and ``ACC``/``PACC`` built that way warn (warnings are errors in this project's
    tests); (2) it has no item weights, which the validation-sample feedback needs; (3) it
    estimates one sample per call (ACC ~6 ms through ``scipy.optimize``), whereas here all
    bootstrap replicates are solved at once as weighted sums; (4) importing it takes ~1.6 s
    and pulls in matplotlib, abstention, ucimlrepo and xlrd.  The binary estimators are a few
    lines each; they are pinned by hand-made tests.
"""

from __future__ import annotations

import zlib
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

from workbench.errors import SuggestError

__all__ = [
    "COLUMNS",
    "DEFAULT_BANDS",
    "DEFAULT_METHOD",
    "DEFAULT_POPULATION",
    "MIN_SEPARATION",
    "Calibration",
    "Method",
    "Population",
    "Prevalence",
    "estimate_prevalence",
    "quantify",
    "sample_precision",
    "validation_sample",
    "wilson_interval",
]


class Method(StrEnum):
    """Quantification methods; see the module docstring."""

    CC = "cc"
    PCC = "pcc"
    ACC = "acc"
    PACC = "pacc"
    EMQ = "emq"
    CODED = "coded"


class Population(StrEnum):
    """What the interval is about; see "Confidence intervals" in the module docstring."""

    CORPUS = "corpus"
    SAMPLE = "sample"


DEFAULT_POPULATION = Population.SAMPLE
"""Intervals cover the share among the people the participants were sampled from."""

HUMAN = "human"
"""``method`` of a row whose every item is human-coded (nothing was estimated)."""

DEFAULT_METHOD = Method.PACC
"""The method :func:`estimate_prevalence` uses unless told otherwise (chosen by benchmark)."""

MIN_SEPARATION = 0.1
"""Smallest ``tpr - fpr`` that ACC and PACC correct with: below it the correction multiplies
any error in the count by more than ten, and the model tells little about the code, so the
share among the coded items (:attr:`Method.CODED`) is given instead."""

DEFAULT_BANDS = (0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0)
"""Probability bands (edges) that :func:`validation_sample` stratifies by."""

COLUMNS = (
    "code",
    "estimate",
    "ci_low",
    "ci_high",
    "classify_and_count",
    "n_human",
    "n_estimated",
    "method",
    "note",
)
"""Columns of the frames in :class:`Prevalence`."""

_FALLBACK = {Method.ACC: Method.CC, Method.PACC: Method.PCC, Method.EMQ: Method.PCC}
_EPS = 1e-9  # posteriors are kept inside (0, 1) for the EM likelihood
_CELLS = 2_000_000  # bootstrap replicates x items handled at once (memory, ~16 MB a matrix)


# ------------------------------------------------------------------------------ calibration
@dataclass(frozen=True)
class Calibration:
    """Items whose labels are known, with probabilities from a model that did not learn them.

    Attributes
    ----------
    codes : tuple of str
        Column names of ``proba``, ``labels`` and ``weights``.
    segments : numpy.ndarray
        Item ids, shape ``(n,)``; human-coded segments of the corpus keep their segment id, so
        :func:`estimate_prevalence` counts their labels as known.
    proba : numpy.ndarray
        ``(n, k)`` out-of-sample probabilities; NaN where there is none (e.g. a fold's model
        had too few examples of the code): such a cell calibrates nothing.
    labels : numpy.ndarray
        ``(n, k)`` 1 (has the code), 0 (has not) or NaN (not decided).
    weights : numpy.ndarray
        ``(n, k)`` how many items each stands for: 1 for coded items, the inverse inclusion
        probability for a validation decision.
    participants : numpy.ndarray, optional
        Participant of each item, for items outside the corpus given to
        :func:`estimate_prevalence` (inside it, the corpus's participants are used).
    """

    codes: tuple[str, ...]
    segments: np.ndarray
    proba: np.ndarray
    labels: np.ndarray
    weights: np.ndarray
    participants: np.ndarray | None = None

    def __post_init__(self) -> None:
        n, k = len(self.segments), len(self.codes)
        for name in ("proba", "labels", "weights"):
            shape = np.shape(getattr(self, name))
            if shape != (n, k):
                raise SuggestError(
                    f"calibration: {name} has shape {shape}; expected ({n}, {k}) "
                    "for the segments and codes"
                )
        if self.participants is not None and len(self.participants) != n:
            raise SuggestError("calibration: participants and segments differ in length")
        if len(set(self.segments.tolist())) != n:
            raise SuggestError("calibration: a segment id occurs twice")
        labels = self.labels[~np.isnan(self.labels)]
        if not np.isin(labels, (0.0, 1.0)).all():
            raise SuggestError("calibration: labels must be 0, 1 or NaN")
        proba = self.proba[~np.isnan(self.proba)]
        if proba.size and (proba.min() < 0.0 or proba.max() > 1.0):
            raise SuggestError("calibration: probabilities must lie in [0, 1]")
        if (np.isnan(self.weights) | (self.weights < 0)).any():
            raise SuggestError("calibration: weights must be non-negative numbers")

    @classmethod
    def from_codes(
        cls,
        segments: Sequence[Hashable],
        codes: Sequence[str],
        proba: np.ndarray,
        labels: Sequence[Sequence[str]],
        participants: Sequence[Hashable] | None = None,
    ) -> Calibration:
        """Calibration from coded segments: each segment's code list is complete.

        A code missing from a segment's list is a negative for it (as in fitting the
        suggester); ``proba`` columns follow ``codes``.
        """
        index = {c: j for j, c in enumerate(codes)}
        mat = np.zeros((len(segments), len(codes)))
        if len(labels) != len(segments):
            raise SuggestError(f"got {len(segments)} segments but {len(labels)} label lists")
        for i, row in enumerate(labels):
            for c in row:
                if c in index:
                    mat[i, index[c]] = 1.0
        proba = np.asarray(proba, dtype=np.float64)
        return cls(
            codes=tuple(str(c) for c in codes),
            segments=_ids(segments),
            proba=proba,
            labels=mat,
            weights=np.ones(mat.shape),
            participants=None if participants is None else _ids(participants),
        )

    def with_decisions(self, decisions: pd.DataFrame) -> Calibration:
        """Add accept/reject decisions on sampled predictions (see :func:`validation_sample`).

        Parameters
        ----------
        decisions : DataFrame
            Columns ``segment``, ``code``, ``accepted`` (bool), ``probability`` (the final
            model's, which never saw these segments) and optionally ``weight`` (the inverse
            inclusion probability :func:`validation_sample` wrote; 1 when absent).  Accepted
            is a positive label for that code, rejected a negative.  Other codes of the
            segment stay undecided.

        Returns
        -------
        Calibration
            A new calibration; decided cells replace undecided ones.  A decision on a cell
            already labelled is an error (it would count one judgement twice).
        """
        _need(decisions, ("segment", "code", "accepted", "probability"), "decisions")
        index = {c: j for j, c in enumerate(self.codes)}
        rows = {s: i for i, s in enumerate(self.segments.tolist())}
        new_ids = [s for s in dict.fromkeys(decisions["segment"].tolist()) if s not in rows]
        k = len(self.codes)
        n_new = len(new_ids)
        proba = np.vstack([self.proba, np.full((n_new, k), np.nan)])
        labels = np.vstack([self.labels, np.full((n_new, k), np.nan)])
        weights = np.vstack([self.weights, np.ones((n_new, k))])
        for s in new_ids:
            rows[s] = len(rows)
        has_weight = "weight" in decisions.columns
        for line, rec in enumerate(decisions.itertuples(index=False), start=1):
            code = str(rec.code)
            if code not in index:
                raise SuggestError(f"decisions row {line}: code {code!r} is not calibrated")
            i, j = rows[rec.segment], index[code]
            if not np.isnan(labels[i, j]):
                raise SuggestError(
                    f"decisions row {line}: segment {rec.segment!r} already has a label "
                    f"for {code!r}"
                )
            p = float(rec.probability)
            if not 0.0 <= p <= 1.0:
                raise SuggestError(f"decisions row {line}: probability {p} is not in [0, 1]")
            proba[i, j] = p
            labels[i, j] = 1.0 if bool(rec.accepted) else 0.0
            weights[i, j] = float(rec.weight) if has_weight else 1.0  # type: ignore[attr-defined]
        participants = self.participants
        if participants is not None:
            participants = np.concatenate([participants, _ids(new_ids)])
        return Calibration(
            codes=self.codes,
            segments=np.concatenate([self.segments, _ids(new_ids)]),
            proba=proba,
            labels=labels,
            weights=weights,
            participants=participants,
        )


def _ids(values: Sequence[Hashable]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out


def _need(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SuggestError(f"{what}: missing column(s) {', '.join(missing)}")


# ------------------------------------------------------------------------------ estimators
@dataclass
class _Binary:
    """One code at one level: calibration items and the items to estimate."""

    cal_p: np.ndarray  # scores in [0, 1]
    cal_c: np.ndarray  # crisp predictions, 0/1 floats
    cal_y: np.ndarray  # labels, 0/1 floats
    cal_w: np.ndarray  # weights
    cal_g: np.ndarray  # bootstrap cluster of each item (ints)
    unl_p: np.ndarray
    unl_c: np.ndarray
    unl_g: np.ndarray  # cluster of each item to estimate, shared with known_g
    known_y: np.ndarray = field(default_factory=lambda: np.zeros(0))  # human labels
    known_g: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    return np.asarray(np.divide(num, den, out=np.zeros_like(num), where=den > 0))


def _solve(
    method: Method, b: _Binary, wc: np.ndarray, wu: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Estimates on the uncoded items for each row of weights ``wc`` (calibration, ``(B, n)``)
    and ``wu`` (uncoded, ``(B, m)``): ``(estimate, classify_and_count, fell_back)``."""
    tot_u = wu.sum(axis=1)
    cc = _ratio(wu @ b.unl_c, tot_u)
    if method == Method.CC:
        return cc, cc, np.zeros(len(cc), bool)
    pos = wc @ b.cal_y
    neg = wc @ (1.0 - b.cal_y)
    share = _ratio(pos, pos + neg)
    if method == Method.CODED:
        return share, cc, np.zeros(len(cc), bool)
    pcc = _ratio(wu @ b.unl_p, tot_u)
    if method == Method.PCC:
        return pcc, cc, np.zeros(len(cc), bool)
    usable = (pos > 0) & (neg > 0)
    if method in (Method.ACC, Method.PACC):
        crisp = method == Method.ACC
        score = b.cal_c if crisp else b.cal_p
        raw = cc if crisp else pcc
        tpr = _ratio(wc @ (b.cal_y * score), pos)
        fpr = _ratio(wc @ ((1.0 - b.cal_y) * score), neg)
        gap = tpr - fpr
        ok = usable & (gap >= MIN_SEPARATION)
        adjusted = np.clip(_ratio(raw - fpr, np.where(ok, gap, 0.0)), 0.0, 1.0)
        # Coded items, but nothing to correct with (one kind only, or the model does not tell
        # the kinds apart): the coded share.
        return np.where(ok, adjusted, np.where(pos + neg > 0, share, raw)), cc, ~ok
    prior = _ratio(pos, pos + neg)
    est = _emq(b.unl_p, np.where(usable, prior, 0.5), wu, pcc)
    return np.where(usable, est, pcc), cc, ~usable


def _emq(p: np.ndarray, prior: np.ndarray, w: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Saerens–Latinne–Decaestecker prior for each row of weights, solved as the maximum of
    its concave log-likelihood ``sum w_i log(1 + q (r_i - 1))`` (the EM fixed point) by
    safeguarded Newton steps; ``r_i`` is the ratio of the item's odds to the prior odds."""
    p = np.clip(p, _EPS, 1.0 - _EPS)
    odds = p / (1.0 - p)
    prior = np.clip(prior, _EPS, 1.0 - _EPS)
    d = odds[None, :] * ((1.0 - prior) / prior)[:, None] - 1.0  # r - 1, shape (B, m)
    # The likelihood falls from q = 0 (derivative <= 0) or still rises at q = 1.
    at_zero = (w * d).sum(axis=1) <= 0
    at_one = (w * d / (1.0 + d)).sum(axis=1) >= 0
    lo, hi = np.zeros(len(prior)), np.ones(len(prior))
    q = np.clip(start, 1e-6, 1 - 1e-6)
    for _ in range(100):
        r = d / (1.0 + q[:, None] * d)
        g = (w * r).sum(axis=1)
        h = (w * r * r).sum(axis=1)
        lo = np.where(g > 0, q, lo)
        hi = np.where(g <= 0, q, hi)
        step = q + _ratio(g, h)
        new = np.where((step > lo) & (step < hi), step, (lo + hi) / 2.0)
        done = float(np.abs(new - q).max()) < 1e-12
        q = new
        if done:
            break
    return np.where(at_zero, 0.0, np.where(at_one, 1.0, q))


def quantify(
    cal_proba: Sequence[float] | np.ndarray,
    cal_labels: Sequence[int] | np.ndarray,
    proba: Sequence[float] | np.ndarray,
    method: Method | str = DEFAULT_METHOD,
    threshold: float = 0.5,
    cal_weights: Sequence[float] | np.ndarray | None = None,
) -> float:
    """Prevalence of one code among items with probabilities ``proba``.

    Parameters
    ----------
    cal_proba, cal_labels : array-like
        Out-of-fold probabilities and 0/1 labels of the calibration items.
    proba : array-like
        Probabilities of the items to estimate.
    method : Method or str
        See :class:`Method`.  ACC/PACC fall back to CC/PCC and EMQ to PCC when the
        calibration has no positives or no negatives, and ACC/PACC to the coded share
        (:attr:`Method.CODED`) when ``tpr - fpr`` is below :data:`MIN_SEPARATION`.
    threshold : float
        Crisp decision for CC and ACC: probability at least this.

    Examples
    --------
    A model that calls half of the negatives positive (fpr 0.5, tpr 1) counts 0.6 where the
    truth is 0.2; ACC undoes it:

    >>> cal_p, cal_y = [0.9, 0.9, 0.9, 0.1], [1, 1, 0, 0]
    >>> quantify(cal_p, cal_y, [0.9] * 6 + [0.1] * 4, method="cc")
    0.6
    >>> quantify(cal_p, cal_y, [0.9] * 6 + [0.1] * 4, method="acc")
    0.2
    """
    method = _method(method)
    b = _binary(
        np.asarray(cal_proba, dtype=np.float64),
        np.asarray(cal_labels, dtype=np.float64),
        None if cal_weights is None else np.asarray(cal_weights, dtype=np.float64),
        np.asarray(proba, dtype=np.float64),
        threshold,
    )
    est, _, _ = _solve(method, b, b.cal_w[None, :], np.ones((1, len(b.unl_p))))
    return round(float(est[0]), 12)


def _binary(
    cal_p: np.ndarray,
    cal_y: np.ndarray,
    cal_w: np.ndarray | None,
    p: np.ndarray,
    threshold: float,
) -> _Binary:
    if len(cal_p) != len(cal_y):
        raise SuggestError("calibration probabilities and labels differ in length")
    if not np.isin(cal_y, (0.0, 1.0)).all():
        raise SuggestError("calibration labels must be 0 or 1")
    return _Binary(
        cal_p=cal_p,
        cal_c=(cal_p >= threshold).astype(np.float64),
        cal_y=cal_y,
        cal_w=np.ones(len(cal_p)) if cal_w is None else cal_w,
        cal_g=np.arange(len(cal_p)),
        unl_p=p,
        unl_c=(p >= threshold).astype(np.float64),
        unl_g=np.arange(len(p)),
    )


def _method(method: Method | str) -> Method:
    try:
        return Method(str(method).lower())
    except ValueError as exc:
        names = ", ".join(m.value for m in Method)
        raise SuggestError(f"method {method!r} is not one of {names}") from exc


# ------------------------------------------------------------------------------ bootstrap
def _resample(rng: np.random.Generator, groups: np.ndarray, n_boot: int) -> np.ndarray:
    """Bootstrap counts per item, ``(n_boot, n)``: clusters drawn with replacement."""
    n_groups = int(groups.max()) + 1 if len(groups) else 0
    if n_groups == 0:
        return np.zeros((n_boot, 0))
    draws = rng.integers(0, n_groups, size=(n_boot, n_groups))
    draws += (np.arange(n_boot) * n_groups)[:, None]
    counts = np.bincount(draws.ravel(), minlength=n_boot * n_groups).reshape(n_boot, n_groups)
    return np.asarray(counts[:, groups], dtype=np.float64)


def _seed(seed: int, level: str, code: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(f"{level}\0{code}".encode())])


@dataclass
class _Row:
    estimate: float
    low: float
    high: float
    cc: float
    method: str
    note: str
    raw: float = 0.0  # the estimate on the uncoded items alone


def _shift(p: np.ndarray, prior: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Posteriors ``p`` (calibrated at ``prior``, one per row) moved to the prior ``target``
    by Bayes' rule (Saerens et al. 2002): ``(rows, items)``."""
    p = np.clip(p, _EPS, 1.0 - _EPS)[None, :]
    prior = np.clip(prior, _EPS, 1.0 - _EPS)[:, None]
    target = target[:, None]
    pos = target * p / prior
    return np.asarray(pos / (pos + (1.0 - target) * (1.0 - p) / (1.0 - prior)))


def _estimate_row(
    b: _Binary,
    method: Method,
    population: Population,
    n_boot: int,
    confidence: float,
    rng: np.random.Generator,
    what: str,
    group: bool = False,
) -> _Row:
    """Point estimate, interval and notes for one code at one level (``group``: the items
    are one group of the calibration's population, see :func:`_group_coded`)."""
    n_known, n_est = len(b.known_y), len(b.unl_p)
    n_total = n_known + n_est
    n_pos = float(b.known_y.sum())
    if n_est == 0:
        used, note = HUMAN, f"every {what} is human-coded"
        est = cc = np.zeros(1)
    else:
        est, cc, fell = _solve(method, b, b.cal_w[None, :], np.ones((1, n_est)))
        used, note = method, ""
        if fell[0]:
            used = _fallback(method, b)
            note = _fallback_note(method, b, used)
        if used == Method.CODED and group:
            return _group_coded(b, population, confidence, float(cc[0]), note, float(est[0]))
    point = (n_pos + n_est * float(est[0])) / n_total
    shares = np.empty(0)
    if n_boot > 0 and (n_est > 0 or population == Population.SAMPLE):
        parts = []
        chunk = max(1, _CELLS // max(len(b.cal_p), n_total, 1))
        for start in range(0, n_boot, chunk):
            size = min(chunk, n_boot - start)
            parts.append(_replicates(b, Method(used) if n_est else None, population, size, rng))
        shares = np.concatenate(parts)
    alpha = 1.0 - confidence
    if shares.size:
        low = float(np.quantile(shares, alpha / 2))
        high = float(np.quantile(shares, 1 - alpha / 2))
    else:
        low = high = point
    pos = float(b.cal_w @ b.cal_y)
    neg = float(b.cal_w @ (1.0 - b.cal_y))
    n_cal = int((b.cal_w > 0).sum())
    if n_est and n_cal and (pos == 0 or neg == 0):
        # Nothing in the coded items to learn the code's rate from: the exact binomial bound
        # for 0 positives (or negatives) in n_cal items widens the interval.
        bound = (alpha / 2) ** (1.0 / n_cal)
        if pos == 0:
            high = max(high, (n_pos + n_est * (1.0 - bound)) / n_total)
        if neg == 0:
            low = min(low, (n_pos + n_est * bound) / n_total)
    share_cc = (n_pos + n_est * float(cc[0])) / n_total
    return _Row(point, low, high, share_cc, str(used), note, float(est[0]))


def _group_coded(
    b: _Binary, population: Population, confidence: float, cc: float, note: str, whole: float
) -> _Row:
    """The coded share of one group: its own coded items' share (``k`` of ``n``), with the
    Wilson interval for ``k`` of ``n`` (among all such people: population "sample"; mixed with
    the group's known items: "corpus").  The share of the whole calibration would lend the
    group a precision it does not have (4 coded answers, none with the code, would read
    "7 % (5-11 %)" because the whole survey has it).  ``whole``: the calibration's share,
    the point estimate of a group nobody coded (whose interval is then 0-1)."""
    n_known, n_est = len(b.known_y), len(b.unl_p)
    n_total = n_known + n_est
    k = float(b.known_y.sum())
    share = k / n_known if n_known else whole
    low, high = wilson_interval(k, n_known, confidence)
    point = (k + n_est * share) / n_total
    if population == Population.CORPUS:
        low, high = (k + n_est * low) / n_total, (k + n_est * high) / n_total
    low, high = min(low, point), max(high, point)
    share_cc = (k + n_est * cc) / n_total
    note = note.replace(
        "the share among the coded items", "the share among the group's coded items"
    )
    return _Row(point, low, high, share_cc, str(Method.CODED), note, share)


def _replicates(
    b: _Binary,
    method: Method | None,
    population: Population,
    size: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """``size`` bootstrap replicates of the share (``method`` None: nothing to estimate).

    Corpus: the calibration items are resampled (the error rates are estimates) and the
    estimated part gets the label noise of its items, drawn from the posteriors moved to the
    replicate's prevalence; the human labels are exact.  Sample: the corpus's clusters
    (coded and uncoded together) are resampled as well as the calibration items.
    """
    n_known, n_est = len(b.known_y), len(b.unl_p)
    if population == Population.SAMPLE:
        counts = _resample(rng, np.r_[b.known_g, b.unl_g], size)
        ck, cu = counts[:, :n_known], counts[:, n_known:]
        known = ck @ b.known_y
        if method is None:
            return np.asarray(_ratio(known, ck.sum(axis=1)))
        wc = _resample(rng, b.cal_g, size) * b.cal_w[None, :]
        est = _solve(method, b, wc, cu)[0]
        return np.asarray(_ratio(known + cu.sum(axis=1) * est, counts.sum(axis=1)))
    assert method is not None
    wc = _resample(rng, b.cal_g, size) * b.cal_w[None, :]
    est = _solve(method, b, wc, np.ones((size, n_est)))[0]
    prior = _ratio(wc @ b.cal_y, wc.sum(axis=1))
    usable = (prior > 0) & (prior < 1)
    q = _shift(b.unl_p, np.where(usable, prior, 0.5), np.where(usable, est, 0.5))
    q = np.where(usable[:, None], q, b.unl_p[None, :])
    if method == Method.CODED:  # the model tells nothing: each item's chance is the share
        q = np.broadcast_to(est[:, None], q.shape)
    noise = (rng.random(q.shape) < q).sum(axis=1) - q.sum(axis=1)
    return np.asarray((float(b.known_y.sum()) + n_est * est + noise) / (n_known + n_est))


def _fallback(method: Method, b: _Binary) -> Method:
    """What ``method`` falls back to for ``b``: ACC and PACC to the coded share when there
    are calibration items (of one kind only, or the model does not separate the kinds),
    else (and EMQ always) to :data:`_FALLBACK`."""
    if method in (Method.ACC, Method.PACC) and float(b.cal_w.sum()) > 0:
        return Method.CODED
    return _FALLBACK[method]


def _fallback_note(method: Method, b: _Binary, used: Method) -> str:
    pos = float(b.cal_w @ b.cal_y)
    neg = float(b.cal_w @ (1.0 - b.cal_y))
    if not len(b.cal_y):
        why = "no calibration items"
    elif pos == 0:
        why = "no calibration item has the code"
    elif neg == 0:
        why = "every calibration item has the code"
    else:
        score = b.cal_c if method == Method.ACC else b.cal_p
        tpr = float(b.cal_w @ (b.cal_y * score)) / pos
        fpr = float(b.cal_w @ ((1.0 - b.cal_y) * score)) / neg
        why = f"the model does not separate the code (tpr - fpr = {tpr - fpr:.2f})"
    if used == Method.CODED:
        return f"{method.value} undefined: {why}; the share among the coded items instead"
    return f"{method.value} undefined: {why}; uncorrected {used.value}"


# ------------------------------------------------------------------------------ the estimate
@dataclass(frozen=True)
class Prevalence:
    """Prevalence of each code, with confidence intervals.

    Attributes
    ----------
    segments : DataFrame
        One row per code with :data:`COLUMNS`: the share of segments with the code.
    participants : DataFrame or None
        The same for the share of participants with the code (any of their segments);
        ``None`` when no participants were given.
    method : Method
        The method asked for (a row's ``method`` says what was used for it).
    population, confidence, n_boot, seed
        Interval settings.
    """

    segments: pd.DataFrame
    participants: pd.DataFrame | None
    method: Method
    population: Population
    confidence: float
    n_boot: int
    seed: int

    def to_frame(self) -> pd.DataFrame:
        """Both levels in one tidy frame with a ``level`` column (segment, participant)."""
        frames = [self.segments.assign(level="segment")]
        if self.participants is not None:
            frames.append(self.participants.assign(level="participant"))
        return pd.concat(frames, ignore_index=True)[["level", *COLUMNS]]


def estimate_prevalence(
    proba: pd.DataFrame,
    calibration: Calibration,
    participants: pd.Series | None = None,
    method: Method | str = DEFAULT_METHOD,
    threshold: float = 0.5,
    n_boot: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
    population: Population | str = DEFAULT_POPULATION,
    group: bool = False,
) -> Prevalence:
    """Share of segments (and participants) with each code across a corpus.

    Parameters
    ----------
    proba : DataFrame
        The corpus: one row per segment (index: segment id), one column per code, the final
        model's probabilities.  Segments that are calibration items with a label for a code
        count with that label; the rest are estimated.
    calibration : Calibration
        Out-of-fold probabilities and labels of coded items (and validation decisions).
        Must cover every code of ``proba``.
    participants : Series, optional
        Participant of each corpus segment (index: segment id).  Gives the participant level
        and makes the bootstrap resample whole participants.
    method : Method or str
        Quantification method (see the module docstring); default :data:`DEFAULT_METHOD`.
    threshold : float
        Crisp decision for CC and ACC.
    n_boot : int
        Bootstrap replicates (0: no interval, ``ci_low == ci_high == estimate``).
    confidence : float
        Interval coverage, e.g. 0.95.
    seed : int
        Bootstrap seed; the same seed gives the same intervals.
    population : Population or str
        ``"sample"`` (default): the interval is for the share among all the people the
        participants were sampled from.  ``"corpus"``: for the share in this corpus (human
        labels exact).  See the module docstring.
    group : bool
        The corpus is one group (e.g. one user type) of the population the calibration was
        drawn from: where a code falls back to the coded share (:attr:`Method.CODED`), it is
        the share among the corpus's own coded items, with the Wilson interval for them,
        not the calibration's share (which describes every group together).

    Returns
    -------
    Prevalence
    """
    method = _method(method)
    try:
        population = Population(str(population))
    except ValueError as exc:
        raise SuggestError(f"population {population!r} is not 'corpus' or 'sample'") from exc
    if not 0.0 < confidence < 1.0:
        raise SuggestError(f"confidence {confidence} is not between 0 and 1")
    if n_boot < 0:
        raise SuggestError("n_boot must be 0 or more")
    if len(proba) == 0:
        raise SuggestError("the corpus has no segments")
    if not proba.index.is_unique:
        raise SuggestError("the corpus lists a segment twice")
    codes = [str(c) for c in proba.columns]
    missing = [c for c in codes if c not in calibration.codes]
    if missing:
        raise SuggestError(f"code {missing[0]!r} has no calibration data")
    values = proba.to_numpy(dtype=np.float64)
    if np.isnan(values).any() or values.min() < 0.0 or values.max() > 1.0:
        raise SuggestError("corpus probabilities must lie in [0, 1]")
    seg_ids = list(proba.index)
    in_corpus = {s: i for i, s in enumerate(seg_ids)}
    cal_ids = calibration.segments.tolist()
    cal_rows = np.array([i for i, s in enumerate(cal_ids) if s in in_corpus], dtype=np.int64)
    corpus_rows = np.array([in_corpus[cal_ids[i]] for i in cal_rows], dtype=np.int64)

    # Participants as integers over corpus and calibration together.
    if participants is not None:
        absent = [s for s in seg_ids if s not in participants.index]
        if absent:
            raise SuggestError(f"segment {absent[0]!r} has no participant")
        corpus_part = participants.loc[seg_ids].to_numpy(dtype=object)
    else:
        corpus_part = _ids([("segment", s) for s in seg_ids])
    cal_part = np.empty(len(cal_ids), dtype=object)
    for i, s in enumerate(cal_ids):
        if s in in_corpus:
            cal_part[i] = corpus_part[in_corpus[s]]
        elif calibration.participants is not None:
            cal_part[i] = calibration.participants[i]
        else:
            cal_part[i] = ("calibration", s)
    for arr, prefix in ((corpus_part, "segment"), (cal_part, "calibration")):
        for i, v in enumerate(arr):
            if v is None or (isinstance(v, float) and np.isnan(v)):
                arr[i] = (prefix, i)
    pid_all, _ = pd.factorize(pd.Series(np.concatenate([corpus_part, cal_part]), dtype=object))
    pid_corpus, pid_cal = pid_all[: len(seg_ids)], pid_all[len(seg_ids) :]
    n_part = int(pid_all.max()) + 1

    seg_rows: list[dict[str, Any]] = []
    part_rows: list[dict[str, Any]] = []
    col = {c: j for j, c in enumerate(calibration.codes)}
    for j_corpus, code in enumerate(codes):
        j = col[code]
        p = values[:, j_corpus]
        known = np.full(len(seg_ids), np.nan)
        known[corpus_rows] = calibration.labels[cal_rows, j]
        cal_ok = ~np.isnan(calibration.labels[:, j]) & ~np.isnan(calibration.proba[:, j])
        cal_p = np.nan_to_num(calibration.proba[:, j])
        cal_y = np.nan_to_num(calibration.labels[:, j])
        cal_w = calibration.weights[:, j]
        unknown = np.isnan(known)
        clusters = _dense(pid_corpus)

        b = _Binary(
            cal_p=cal_p[cal_ok],
            cal_c=(cal_p[cal_ok] >= threshold).astype(np.float64),
            cal_y=cal_y[cal_ok],
            cal_w=cal_w[cal_ok],
            cal_g=_dense(pid_cal[cal_ok]),
            unl_p=p[unknown],
            unl_c=(p[unknown] >= threshold).astype(np.float64),
            unl_g=clusters[unknown],
            known_y=known[~unknown],
            known_g=clusters[~unknown],
        )
        row = _estimate_row(
            b,
            method,
            population,
            n_boot,
            confidence,
            _seed(seed, "segment", code),
            "segment",
            group,
        )
        seg_rows.append(_as_dict(code, row, int((~unknown).sum()), int(unknown.sum())))
        if participants is None:
            continue

        # Participant level: participants are the items.
        present = np.bincount(pid_corpus, minlength=n_part) > 0
        pos_known = np.bincount(pid_corpus, weights=(known == 1) * 1.0, minlength=n_part) > 0
        n_unknown = np.bincount(pid_corpus, weights=unknown * 1.0, minlength=n_part)
        is_known = present & (pos_known | (n_unknown == 0))
        todo = present & ~is_known
        log_none = np.bincount(
            pid_corpus[unknown],
            weights=np.log1p(-np.minimum(p[unknown], 1 - _EPS)),
            minlength=n_part,
        )
        any_crisp = np.bincount(
            pid_corpus[unknown], weights=(p[unknown] >= threshold) * 1.0, minlength=n_part
        )
        # Calibration participants: every segment (in the corpus and in the calibration)
        # labelled and with an out-of-sample probability.
        n_cal = np.bincount(pid_cal, minlength=n_part)
        n_bad = np.bincount(pid_cal, weights=(~cal_ok) * 1.0, minlength=n_part)
        complete = (n_cal > 0) & (n_bad == 0) & (n_unknown == 0)
        cal_log_none = np.bincount(
            pid_cal[cal_ok],
            weights=np.log1p(-np.minimum(cal_p[cal_ok], 1 - _EPS)),
            minlength=n_part,
        )
        cal_any = np.bincount(
            pid_cal[cal_ok], weights=(cal_p[cal_ok] >= threshold) * 1.0, minlength=n_part
        )
        cal_pos = np.bincount(pid_cal[cal_ok], weights=cal_y[cal_ok], minlength=n_part)
        cal_wsum = np.bincount(pid_cal[cal_ok], weights=cal_w[cal_ok], minlength=n_part)
        idx_cal = np.flatnonzero(complete)
        idx_todo = np.flatnonzero(todo)
        idx_known = np.flatnonzero(is_known)
        has_both = bool(cal_pos[idx_cal].any() and (cal_pos[idx_cal] == 0).any())
        independent = method in (*_FALLBACK, Method.CODED) and not has_both
        bp = _Binary(
            cal_p=1.0 - np.exp(cal_log_none[idx_cal]),
            cal_c=(cal_any[idx_cal] > 0).astype(np.float64),
            cal_y=(cal_pos[idx_cal] > 0).astype(np.float64),
            cal_w=cal_wsum[idx_cal] / n_cal[idx_cal],
            cal_g=np.arange(len(idx_cal)),
            unl_p=1.0 - np.exp(log_none[idx_todo]),
            unl_c=(any_crisp[idx_todo] > 0).astype(np.float64),
            unl_g=len(idx_known) + np.arange(len(idx_todo)),
            known_y=pos_known[idx_known].astype(np.float64),
            known_g=np.arange(len(idx_known)),
        )
        why = ""
        if independent:
            # Nothing to calibrate participants on: combine the segments' posteriors, moved
            # to the corrected segment-level share, and let the interval span any dependence.
            if not len(bp.cal_y):
                why = "no fully coded participants"
            elif not bp.cal_y.any():
                why = "no fully coded participant has the code"
            else:
                why = "every fully coded participant has the code"
            q = p[unknown]
            prior = float(b.cal_w @ b.cal_y) / max(float(b.cal_w.sum()), _EPS)
            if row.method == method and 0.0 < prior < 1.0:
                q = _shift(q, np.array([prior]), np.array([row.raw]))[0]
            elif row.method == Method.CODED:  # the model tells nothing: the coded share
                q = np.full_like(q, row.raw)
            q = np.minimum(q, 1.0 - _EPS)
            groups = pid_corpus[unknown]
            none = np.exp(np.bincount(groups, weights=np.log1p(-q), minlength=n_part))
            # Any dependence: at least the likeliest segment, at most the sum of them.
            lowest = np.zeros(n_part)
            np.maximum.at(lowest, groups, q)
            highest = np.minimum(np.bincount(groups, weights=q, minlength=n_part), 1.0)
            # Coded segments of one kind only: a segment's chance is only bounded (exact
            # binomial bound for 0 of n), and so is a participant's, segment by segment.
            n_cal_seg = int((b.cal_w > 0).sum())
            if n_cal_seg and (not b.cal_y.any() or b.cal_y.all()):
                bound = 1.0 - ((1.0 - confidence) / 2.0) ** (1.0 / n_cal_seg)
                if not b.cal_y.any():
                    n_seg = np.bincount(groups, minlength=n_part)
                    highest = np.maximum(highest, np.minimum(1.0, n_seg * bound))
                else:
                    lowest = np.minimum(lowest, 1.0 - bound)
            empty = np.zeros(0)
            bp = _Binary(
                cal_p=empty,
                cal_c=empty,
                cal_y=empty,
                cal_w=empty,
                cal_g=np.zeros(0, np.int64),
                unl_p=1.0 - none[idx_todo],
                unl_c=bp.unl_c,
                unl_g=bp.unl_g,
                known_y=bp.known_y,
                known_g=bp.known_g,
            )
        prow = _estimate_row(
            bp,
            Method.PCC if independent else method,
            population,
            n_boot,
            confidence,
            _seed(seed, "participant", code),
            "participant",
            group,
        )
        if group and independent and row.method == Method.CODED and len(idx_todo):
            # The segments' coded share says nothing about this group: its own participants'.
            prow = _group_coded(bp, population, confidence, prow.cc, row.note, row.raw)
        elif independent and len(idx_todo):
            n_all = len(idx_known) + len(idx_todo)
            k_pos = float(bp.known_y.sum())
            prow.low = min(prow.low, (k_pos + float(lowest[idx_todo].sum())) / n_all)
            prow.high = max(prow.high, (k_pos + float(highest[idx_todo].sum())) / n_all)
            prow.note = (
                f"{method.value} undefined for participants ({why}): segment probabilities "
                "combined as if independent; the interval spans any dependence"
            )
        part_rows.append(_as_dict(code, prow, len(idx_known), len(idx_todo)))

    return Prevalence(
        segments=_frame(seg_rows),
        participants=None if participants is None else _frame(part_rows),
        method=method,
        population=population,
        confidence=confidence,
        n_boot=n_boot,
        seed=seed,
    )


def _dense(values: np.ndarray) -> np.ndarray:
    return np.asarray(pd.factorize(values)[0], dtype=np.int64)


def _as_dict(code: str, row: _Row, n_human: int, n_estimated: int) -> dict[str, Any]:
    return {
        "code": code,
        "estimate": row.estimate,
        "ci_low": row.low,
        "ci_high": row.high,
        "classify_and_count": row.cc,
        "n_human": n_human,
        "n_estimated": n_estimated,
        "method": row.method,
        "note": row.note,
    }


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    return frame.astype({"n_human": "int64", "n_estimated": "int64"})


# ------------------------------------------------------------------------------ validation
def wilson_interval(successes: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion; ``(0, 1)`` when ``n`` is 0.

    ``n`` may be an effective (non-integer) sample size.

    >>> tuple(round(x, 3) for x in wilson_interval(8, 10))
    (0.49, 0.943)
    """
    if n <= 0:
        return 0.0, 1.0
    z = NormalDist().inv_cdf(1.0 - (1.0 - confidence) / 2.0)
    p = successes / n
    den = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    # At 0 or n successes the bound is exactly 0 or 1; rounding would leave 1e-17.
    low = 0.0 if successes <= 0 else max(0.0, float(centre - half))
    high = 1.0 if successes >= n else min(1.0, float(centre + half))
    return low, high


def validation_sample(
    predictions: pd.DataFrame,
    n: int,
    seed: int = 0,
    bands: Sequence[float] = DEFAULT_BANDS,
) -> pd.DataFrame:
    """A stratified random sample of predictions for people to accept or reject.

    Strata are (code, probability band); the ``n`` draws are spread as evenly as the strata
    allow (a stratum smaller than its share gives all it has and the rest go elsewhere), so
    rare codes and the uncertain middle bands are reviewed too, not only the most frequent
    confident suggestions.

    Parameters
    ----------
    predictions : DataFrame
        Columns ``segment``, ``code``, ``probability`` (others are kept): the final model's
        predictions for segments nobody has coded, usually every (segment, code) pair.
    n : int
        Sample size.
    seed : int
        The same seed and predictions give the same sample.
    bands : sequence of float
        Band edges from 0 to 1; a band holds ``lower <= p < upper`` (the last includes 1).

    Returns
    -------
    DataFrame
        The sampled rows plus ``band`` (e.g. ``"0.5-0.7"``), ``stratum_size``,
        ``stratum_sampled`` and ``weight`` (``stratum_size / stratum_sampled``: how many
        predictions each decision stands for, used by :func:`sample_precision` and
        :meth:`Calibration.with_decisions`).
    """
    _need(predictions, ("segment", "code", "probability"), "predictions")
    edges = np.asarray(bands, dtype=np.float64)
    if len(edges) < 2 or edges[0] != 0.0 or edges[-1] != 1.0 or (np.diff(edges) <= 0).any():
        raise SuggestError("bands must rise from 0 to 1")
    if n < 0:
        raise SuggestError("the sample size must be 0 or more")
    frame = predictions.reset_index(drop=True)
    p = frame["probability"].to_numpy(dtype=np.float64)
    if np.isnan(p).any() or p.min(initial=0.0) < 0.0 or p.max(initial=0.0) > 1.0:
        raise SuggestError("predictions: probabilities must lie in [0, 1]")
    band = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, len(edges) - 2)
    labels = np.array([f"{edges[i]:g}-{edges[i + 1]:g}" for i in range(len(edges) - 1)])
    strata = (
        pd.DataFrame({"code": frame["code"].astype(str), "band": band})
        .groupby(["code", "band"], sort=True)
        .indices
    )
    keys = sorted(strata)
    sizes = np.array([len(strata[k]) for k in keys])
    take = np.zeros(len(keys), dtype=np.int64)
    remaining = min(n, int(sizes.sum()))
    while remaining > 0:
        open_ = np.flatnonzero(take < sizes)
        share = max(1, remaining // len(open_))
        for i in open_:
            add = min(share, int(sizes[i] - take[i]), remaining)
            take[i] += add
            remaining -= add
            if remaining == 0:
                break
    rng = np.random.default_rng(seed)
    picked: list[int] = []
    size_of = np.zeros(len(frame), dtype=np.int64)
    taken_of = np.zeros(len(frame), dtype=np.int64)
    for key, size, k in zip(keys, sizes, take, strict=True):
        members = np.asarray(strata[key])
        chosen = rng.choice(members, size=int(k), replace=False) if k else members[:0]
        picked.extend(int(i) for i in np.sort(chosen))
        size_of[members] = size
        taken_of[members] = k
    out = frame.iloc[picked].copy()
    out["band"] = labels[band[picked]]
    out["stratum_size"] = size_of[picked]
    out["stratum_sampled"] = taken_of[picked]
    out["weight"] = size_of[picked] / np.maximum(taken_of[picked], 1)
    return out.reset_index(drop=True)


def sample_precision(
    decisions: pd.DataFrame, threshold: float = 0.5, confidence: float = 0.95
) -> pd.DataFrame:
    """Per-code precision of the suggestions from accept/reject decisions, with intervals.

    Only decisions on predicted positives (``probability >= threshold``) count.  With a
    ``weight`` column (from :func:`validation_sample`) precision is the weighted share of
    accepted decisions, so bands sampled more heavily do not tilt it, and the Wilson interval
    uses Kish's effective sample size ``(sum w)^2 / sum w^2``.

    Returns
    -------
    DataFrame
        One row per code: ``code``, ``n`` (decisions counted), ``accepted``, ``precision``
        (NaN when there is no decision on a predicted positive), ``ci_low``, ``ci_high``.
    """
    _need(decisions, ("code", "accepted", "probability"), "decisions")
    frame = decisions.assign(code=decisions["code"].astype(str))
    weight = (
        frame["weight"].to_numpy(dtype=np.float64)
        if "weight" in frame.columns
        else np.ones(len(frame))
    )
    positive = frame["probability"].to_numpy(dtype=np.float64) >= threshold
    rows = []
    for code in sorted(frame["code"].unique()):
        mask = (frame["code"] == code).to_numpy() & positive
        acc = frame["accepted"].to_numpy(dtype=bool)[mask]
        w = weight[mask]
        if not mask.any() or w.sum() <= 0:
            rows.append((code, 0, 0, float("nan"), 0.0, 1.0))
            continue
        prec = float(w @ acc / w.sum())
        n_eff = float(w.sum() ** 2 / (w @ w))
        low, high = wilson_interval(prec * n_eff, n_eff, confidence)
        rows.append((code, int(mask.sum()), int(acc.sum()), prec, low, high))
    return pd.DataFrame(rows, columns=["code", "n", "accepted", "precision", "ci_low", "ci_high"])
