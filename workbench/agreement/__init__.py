"""Intercoder agreement: percent agreement, Cohen's and Fleiss' kappa, Krippendorff's alpha.

Pure functions over pandas frames (no SQL, no widgets).

Units and missing data
    Codings are compared per code.  At **segment level** a unit is a (segment, code) pair,
    valued present/absent per coder.  At **span level** a unit is a (character, code) pair:
    every character of the segments given (e.g. the interviewee turns) is present for a coder
    when one of their codings of that code covers it, absent otherwise.  A segment a coder did
    not see (``seen``; derived by :func:`seen_from_codings` when not given: every segment of
    every document the coder coded) is *missing*, never disagreement.  Only units rated by two
    or more coders count.

Figures
    Percent agreement is the share of agreeing coder pairs, averaged over units (for two
    coders, the plain share of agreements).  Fleiss' kappa uses it against the pooled category
    shares (the usual generalisation when units have different numbers of coders).  Cohen's
    kappa is given for each pair of coders on the units both rated.  Krippendorff's alpha comes
    from the coincidence matrix, for the nominal, ordinal, interval and ratio metrics; it equals
    ``krippendorff.alpha`` to rounding error.  All four are computed from counts of the distinct
    coder patterns (at most ``3**m`` for ``m`` coders at segment level), which is what makes
    them fast.

Overall and intervals
    ``report.overall`` pools every (segment, code) unit (not the mean of per-code figures);
    ``report.per_code`` has one row per code.  95 % intervals are bootstrap percentiles
    (seeded; ``bootstrap`` resamples, 1000 by default): per code they resample segments,
    overall they resample whole segments with all their codes (at span level, with all their
    characters), because the units of one segment are not independent.  A figure that cannot
    be computed has value None (NaN in frames) and status ``"undefined (no variation)"``.

>>> from workbench.agreement import agreement                    # doctest: +SKIP
>>> report = agreement(codings, seen, coders=["anna", "erik"])   # doctest: +SKIP
>>> print(report); report.per_code; report.to_dict()             # doctest: +SKIP
"""

from __future__ import annotations

from workbench.agreement._api import (
    agreement,
    cohen_kappa,
    disagreements,
    drift,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
    reliability_table,
)
from workbench.agreement._csv import read_reliability_csv
from workbench.agreement._frames import seen_from_codings
from workbench.agreement._report import NO_UNITS, NO_VARIATION, OK, AgreementReport

__all__ = [
    "NO_UNITS",
    "NO_VARIATION",
    "OK",
    "AgreementReport",
    "agreement",
    "cohen_kappa",
    "disagreements",
    "drift",
    "fleiss_kappa",
    "krippendorff_alpha",
    "percent_agreement",
    "read_reliability_csv",
    "reliability_table",
    "seen_from_codings",
]
