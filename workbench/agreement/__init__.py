"""Intercoder agreement: percent agreement, Cohen's and Fleiss' kappa, Krippendorff's alpha.

Pure functions over pandas frames (no SQL, no widgets).  Codings are compared per code at
segment level (a code is present or absent in a segment) or at span level (per character);
a segment a coder did not see is missing data, not disagreement.

>>> from workbench.agreement import agreement            # doctest: +SKIP
>>> report = agreement(codings, seen, coders=["anna", "erik"])  # doctest: +SKIP
>>> print(report)                                          # doctest: +SKIP
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
