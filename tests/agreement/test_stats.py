from __future__ import annotations

import math
import warnings

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from workbench.agreement import (
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
    reliability_table,
)

NAN = math.nan
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the 4 coders x 12 units
# example with missing values (coders A-D as rows).
PAPER = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]
# Fleiss (1971) as worked on Wikipedia: 10 subjects, 14 raters, counts per category.
FLEISS_COUNTS = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def _fleiss_ratings() -> np.ndarray:
    """14 raters x 10 subjects: each subject's ratings laid out in category order."""
    cols = [np.repeat(np.arange(1, 6), row) for row in FLEISS_COUNTS]
    return np.array(cols).T


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_alpha_reproduces_krippendorff_2011(level: str, published: float) -> None:
    assert round(krippendorff_alpha(PAPER, level), 3) == published


def test_alpha_paper_matches_package_exactly() -> None:
    for level in ("nominal", "ordinal", "interval", "ratio"):
        ours = krippendorff_alpha(PAPER, level)
        theirs = krippendorff.alpha(reliability_data=PAPER, level_of_measurement=level)
        assert ours == pytest.approx(theirs, abs=1e-12)


def test_cohen_kappa_textbook_example() -> None:
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert percent_agreement([a, b]) == pytest.approx(0.7)
    assert cohen_kappa(a, b) == pytest.approx(0.4, abs=1e-12)


def test_fleiss_kappa_wikipedia_example() -> None:
    ratings = _fleiss_ratings()
    assert ratings.shape == (14, 10)
    assert round(fleiss_kappa(ratings), 3) == 0.210
    assert percent_agreement(ratings) == pytest.approx(0.378, abs=5e-4)


def _reference_fleiss(ratings: np.ndarray) -> float:
    """Fleiss' formula, written out unit by unit (complete data)."""
    cats = sorted(set(ratings.ravel().tolist()))
    m, n = ratings.shape
    p_i = []
    totals = dict.fromkeys(cats, 0)
    for u in range(n):
        counts = [int((ratings[:, u] == c).sum()) for c in cats]
        for c, k in zip(cats, counts, strict=True):
            totals[c] += k
        p_i.append(sum(k * (k - 1) for k in counts) / (m * (m - 1)))
    p_bar = sum(p_i) / n
    p_e = sum((t / (n * m)) ** 2 for t in totals.values())
    return (p_bar - p_e) / (1 - p_e)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_fleiss_kappa_matches_unit_by_unit_formula(seed: int) -> None:
    rng = np.random.default_rng(seed)
    ratings = rng.integers(0, rng.integers(2, 5), size=(rng.integers(2, 6), rng.integers(3, 30)))
    if len(np.unique(ratings)) < 2:
        ratings[0, 0], ratings[0, 1] = 0, 1
    assert fleiss_kappa(ratings) == pytest.approx(_reference_fleiss(ratings), abs=1e-9)


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_cohen_kappa_matches_sklearn(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 60))
    k = int(rng.integers(2, 5))
    a = rng.integers(0, k, n)
    b = np.where(rng.random(n) < 0.6, a, rng.integers(0, k, n))
    if len(set(a.tolist()) | set(b.tolist())) < 2:
        assert math.isnan(cohen_kappa(a.tolist(), b.tolist()))
        return
    expected = cohen_kappa_score(a, b)
    if not math.isfinite(expected):
        return
    assert cohen_kappa(a.tolist(), b.tolist()) == pytest.approx(expected, abs=1e-9)


@settings(max_examples=120, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    level=st.sampled_from(["nominal", "ordinal", "interval", "ratio"]),
)
def test_alpha_matches_krippendorff_package_with_missing_values(seed: int, level: str) -> None:
    rng = np.random.default_rng(seed)
    coders, units = int(rng.integers(2, 6)), int(rng.integers(2, 40))
    k = int(rng.integers(2, 8))
    data = rng.integers(0, k, size=(coders, units)).astype(float) * float(rng.choice([1, 0.5, 3]))
    data[rng.random(data.shape) < rng.uniform(0, 0.5)] = np.nan
    try:
        with warnings.catch_warnings():  # the package divides 0 by 0 when nothing varies
            warnings.simplefilter("ignore", RuntimeWarning)
            expected = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
    except ValueError:  # the package refuses data with a single value or no pairable unit
        return
    ours = krippendorff_alpha(data, level)
    if math.isfinite(expected):
        assert ours == pytest.approx(expected, abs=1e-9)
    else:
        assert math.isnan(ours)


def test_alpha_no_variation_is_reported_as_undefined() -> None:
    report = reliability_table(
        __import__("pandas").DataFrame({"a": [1, 1, 1], "b": [1, 1, 1]}), bootstrap=50
    )
    alpha = report.overall["krippendorff_alpha"]
    assert alpha["value"] is None
    assert alpha["status"] == "undefined (no variation)"
    assert "undefined (no variation)" in report.to_text()
    assert report.overall["percent_agreement"]["value"] == 1.0
