from __future__ import annotations

import json
import math
from functools import partial

import krippendorff
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

import workbench.agreement as agreement_pkg
from workbench.agreement import (
    agreement,
    disagreements,
    drift,
    reliability_table,
    seen_from_codings,
)
from workbench.agreement._frames import segment_tables, span_tables
from workbench.errors import AgreementError, WorkbenchError


def _segment_matrix(c: dict, code: str) -> np.ndarray:
    """coders x segments: NaN unseen, 1 coded, 0 not coded (the brute-force reference)."""
    segs = c["segments"]["segment"].tolist()
    out = np.full((len(c["coders"]), len(segs)), np.nan)
    seen = set(map(tuple, c["seen"][["segment", "coder"]].to_numpy().tolist()))
    coded = set(
        map(
            tuple,
            c["codings"]
            .loc[c["codings"]["code"] == code, ["segment", "coder"]]
            .to_numpy()
            .tolist(),
        )
    )
    for i, coder in enumerate(c["coders"]):
        for j, seg in enumerate(segs):
            if (seg, coder) in seen:
                out[i, j] = 1.0 if (seg, coder) in coded else 0.0
    return out


def _span_matrix(c: dict, code: str) -> np.ndarray:
    """coders x characters of every segment, character by character."""
    seen = set(map(tuple, c["seen"][["segment", "coder"]].to_numpy().tolist()))
    mine = c["codings"][c["codings"]["code"] == code]
    cols = []
    for seg in c["segments"].itertuples():
        block = np.full((len(c["coders"]), seg.end - seg.start), np.nan)
        for i, coder in enumerate(c["coders"]):
            if (seg.segment, coder) not in seen:
                continue
            block[i] = 0.0
            spans = mine[(mine["document"] == seg.document) & (mine["coder"] == coder)]
            for start, end in zip(spans["start"], spans["end"], strict=True):
                for ch in range(max(start, seg.start), min(end, seg.end)):
                    block[i, ch - seg.start] = 1.0
        cols.append(block)
    return np.concatenate(cols, axis=1)


def _kappa(matrix: np.ndarray, i: int, j: int) -> float:
    both = ~np.isnan(matrix[i]) & ~np.isnan(matrix[j])
    a, b = matrix[i, both], matrix[j, both]
    if len(set(a.tolist()) | set(b.tolist())) < 2:
        return math.nan
    return float(cohen_kappa_score(a, b))


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_agreement_segment_level_matches_brute_force(corpus_factory, seed: int) -> None:
    c = corpus_factory(seed)
    report = agreement(c["codings"], c["seen"], bootstrap=0)
    table = report.per_code.set_index("code")
    pooled = []
    for code in ("a", "b", "c"):
        matrix = _segment_matrix(c, code)
        pooled.append(matrix)
        alpha = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
        assert table.loc[code, "krippendorff_alpha"] == pytest.approx(alpha, abs=1e-9)
        for name, i, j in (("anna/erik", 0, 1), ("erik/olle", 1, 2)):
            expected = _kappa(matrix, i, j)
            got = table.loc[code, f"kappa {name}"]
            assert got == pytest.approx(expected, abs=1e-9, nan_ok=True)
    whole = np.concatenate(pooled, axis=1)
    alpha = krippendorff.alpha(reliability_data=whole, level_of_measurement="nominal")
    assert report.overall["krippendorff_alpha"]["value"] == pytest.approx(alpha, abs=1e-9)
    assert report.overall["krippendorff_alpha"]["n"] == whole.shape[1]
    kappas = {tuple(p["coders"]): p for p in report.overall["cohen_kappa"]}
    assert kappas[("anna", "olle")]["kappa"] == pytest.approx(_kappa(whole, 0, 2), abs=1e-9)
    assert kappas[("anna", "olle")]["n"] == int((~np.isnan(whole[2])).sum())


def test_agreement_span_level_matches_brute_force(corpus: dict) -> None:
    report = agreement(
        corpus["codings"], corpus["seen"], segments=corpus["segments"], level="span", bootstrap=0
    )
    table = report.per_code.set_index("code")
    pooled = []
    for code in ("a", "b", "c"):
        matrix = _span_matrix(corpus, code)
        pooled.append(matrix)
        alpha = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
        assert table.loc[code, "krippendorff_alpha"] == pytest.approx(alpha, abs=1e-9)
        assert table.loc[code, "n"] == matrix.shape[1]
        expected = _kappa(matrix, 0, 1)
        assert table.loc[code, "kappa anna/erik"] == pytest.approx(expected, abs=1e-9, nan_ok=True)
    whole = np.concatenate(pooled, axis=1)
    alpha = krippendorff.alpha(reliability_data=whole, level_of_measurement="nominal")
    assert report.overall["krippendorff_alpha"]["value"] == pytest.approx(alpha, abs=1e-9)
    assert report.units == sum(corpus["segments"]["end"] - corpus["segments"]["start"])


def test_agreement_bootstrap_is_seeded_and_brackets_the_estimate(corpus: dict) -> None:
    one = agreement(corpus["codings"], corpus["seen"], bootstrap=300, seed=3)
    two = agreement(corpus["codings"], corpus["seen"], bootstrap=300, seed=3)
    three = agreement(corpus["codings"], corpus["seen"], bootstrap=300, seed=4)
    assert one.to_dict() == two.to_dict()
    assert one.to_dict() != three.to_dict()
    for key in ("percent_agreement", "krippendorff_alpha", "fleiss_kappa"):
        fig = one.overall[key]
        assert fig["ci_low"] < fig["value"] < fig["ci_high"]
    row = one.per_code.iloc[0]
    assert (
        row["krippendorff_alpha_ci_low"]
        <= row["krippendorff_alpha"]
        <= row["krippendorff_alpha_ci_high"]
    )


def test_agreement_span_bootstrap_resamples_segments(corpus: dict) -> None:
    report = agreement(
        corpus["codings"], corpus["seen"], segments=corpus["segments"], level="span", bootstrap=200
    )
    fig = report.overall["krippendorff_alpha"]
    assert fig["ci_low"] is not None and fig["ci_low"] < fig["ci_high"]
    # Whole segments are resampled, so the interval is wider than resampling characters would give.
    assert fig["ci_high"] - fig["ci_low"] > 0.02


def test_agreement_missing_is_not_disagreement() -> None:
    # erik never saw segment 3; anna coded it.  Without seen, it would count as disagreement.
    codings = pd.DataFrame(
        {
            "segment": [1, 1, 2, 2, 3],
            "document": ["d", "d", "d", "d", "e"],
            "code": "x",
            "coder": ["anna", "erik", "anna", "erik", "anna"],
        }
    )
    seen = pd.DataFrame({"segment": [1, 2, 3, 4, 1, 2, 4], "coder": ["anna"] * 4 + ["erik"] * 3})
    report = agreement(codings, seen, bootstrap=0)
    assert report.overall["percent_agreement"]["value"] == 1.0
    assert report.overall["percent_agreement"]["n"] == 3


def test_agreement_derives_seen_from_segments_frame(corpus: dict) -> None:
    derived = seen_from_codings(corpus["codings"], corpus["segments"])
    given_seen = agreement(corpus["codings"], derived, bootstrap=0)
    implicit = agreement(corpus["codings"], segments=corpus["segments"], bootstrap=0)
    assert implicit.to_dict() == given_seen.to_dict()
    olle = derived[derived["coder"] == "olle"]
    assert set(olle["segment"]) == set(
        corpus["segments"].loc[corpus["segments"]["document"] != "d2", "segment"]
    )


def test_seen_from_codings_covers_every_segment_of_coded_documents() -> None:
    segments = pd.DataFrame({"segment": [1, 2, 3, 4], "document": ["a", "a", "b", "b"]})
    codings = pd.DataFrame(
        {"segment": [1, 3], "document": ["a", "b"], "code": "x", "coder": ["anna", "erik"]}
    )
    seen = seen_from_codings(codings, segments)
    assert seen.to_dict("records") == [
        {"segment": 1, "coder": "anna"},
        {"segment": 2, "coder": "anna"},
        {"segment": 3, "coder": "erik"},
        {"segment": 4, "coder": "erik"},
    ]


def test_agreement_restricts_coders_and_codes(corpus: dict) -> None:
    report = agreement(
        corpus["codings"], corpus["seen"], coders="anna,erik", codes=["a", "zzz"], bootstrap=0
    )
    assert report.coders == ["anna", "erik"]
    assert report.per_code["code"].tolist() == ["a", "zzz"]
    unused = report.per_code.set_index("code").loc["zzz"]
    assert unused["status"] == "undefined (no variation)"
    assert [p["coders"] for p in report.overall["cohen_kappa"]] == [["anna", "erik"]]


def test_agreement_report_is_json_ready_and_readable(corpus: dict) -> None:
    report = agreement(corpus["codings"], corpus["seen"], codes=["a", "never"], bootstrap=20)
    data = report.to_dict()
    text = json.dumps(data, allow_nan=False)
    assert "NaN" not in text
    for key in (
        "percent_agreement",
        "krippendorff_alpha",
        "fleiss_kappa",
        "cohen_kappa",
        "units",
        "coders",
        "per_code",
    ):
        assert key in data
    assert data["per_code"][1]["krippendorff_alpha"] is None
    assert data["per_code"][1]["status"] == "undefined (no variation)"
    shown = str(report)
    assert (
        "Krippendorff's alpha" in shown
        and "anna/erik" in shown
        and "undefined (no variation)" in shown
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"coders": ["anna"]}, "at least two coders: only 'anna'"),
        ({"coders": ["anna", "bob"]}, "unknown coder(s) 'bob'; known coders: anna, erik, olle"),
        ({"level": "word"}, "level must be 'segment' or 'span'"),
        ({"bootstrap": -1}, "bootstrap must be a whole number"),
        ({"level": "span"}, "span level needs the segments frame"),
    ],
)
def test_agreement_bad_input_raises_one_line(corpus: dict, kwargs: dict, message: str) -> None:
    with pytest.raises(AgreementError) as info:
        agreement(corpus["codings"], corpus["seen"], **kwargs)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("level", ["segment", "span"])
def test_tables_refuse_no_codes_and_more_than_39_coders(corpus: dict, level: str) -> None:
    with pytest.raises(AgreementError, match="no codes to compare"):
        agreement(
            corpus["codings"], corpus["seen"], codes=[], level=level, segments=corpus["segments"]
        )
    build = (
        segment_tables if level == "segment" else partial(span_tables, segments=corpus["segments"])
    )
    coders = [f"c{i}" for i in range(40)]
    with pytest.raises(AgreementError, match="at most 39 coders at once, got 40"):
        build(mine=corpus["codings"], saw=corpus["seen"], coders=coders, codes=None)


def test_agreement_single_coder_in_data_is_an_error() -> None:
    codings = pd.DataFrame({"segment": [1], "document": ["d"], "code": "x", "coder": ["anna"]})
    with pytest.raises(AgreementError, match="at least two coders"):
        agreement(codings)


def test_agreement_coders_without_overlap_is_an_error() -> None:
    codings = pd.DataFrame(
        {"segment": [1, 2], "document": ["d", "e"], "code": "x", "coder": ["anna", "erik"]}
    )
    with pytest.raises(AgreementError, match="saw no segment in common"):
        agreement(codings)


def test_agreement_missing_columns_is_an_error() -> None:
    with pytest.raises(WorkbenchError, match="codings: missing column"):
        agreement(pd.DataFrame({"segment": [1], "coder": ["a"]}))


def test_reliability_table_matches_package_per_level() -> None:
    rng = np.random.default_rng(5)
    data = rng.integers(1, 6, size=(30, 3)).astype(float)
    data[rng.random(data.shape) < 0.2] = np.nan
    frame = pd.DataFrame(data, columns=["a", "b", "c"])
    for level in ("nominal", "ordinal", "interval", "ratio"):
        report = reliability_table(frame, level, bootstrap=100)
        expected = krippendorff.alpha(reliability_data=data.T, level_of_measurement=level)
        assert report.overall["krippendorff_alpha"]["value"] == pytest.approx(expected, abs=1e-9)
        assert report.level == level
    assert report.per_code.empty
    assert report.units == int(((~np.isnan(data)).sum(axis=1) >= 2).sum())


def test_reliability_table_strings_and_bad_values() -> None:
    frame = pd.DataFrame({"a": ["x", "y", "", "x"], "b": ["x", "y", "x", "."]})
    report = reliability_table(frame, bootstrap=0)
    assert report.overall["percent_agreement"]["value"] == 1.0
    assert report.overall["percent_agreement"]["n"] == 2
    with pytest.raises(AgreementError, match="unit 0: coder a: value 'x' is not a number"):
        reliability_table(frame, "interval")
    with pytest.raises(AgreementError, match="empty"):
        reliability_table(pd.DataFrame({"a": [], "b": []}))
    with pytest.raises(AgreementError, match="at least two coder columns"):
        reliability_table(pd.DataFrame({"a": [1, 2]}))
    with pytest.raises(AgreementError, match="rated by two coders"):
        reliability_table(pd.DataFrame({"a": [1, math.nan], "b": [math.nan, 2]}))


def test_disagreements_lists_segments_whose_code_sets_differ() -> None:
    codings = pd.DataFrame(
        {
            "segment": [1, 1, 1, 2, 2, 3, 4],
            "document": ["d"] * 7,
            "code": ["x", "y", "x", "z", "z", "x", "y"],
            "coder": ["anna", "anna", "erik", "anna", "erik", "anna", "olle"],
        }
    )
    seen = pd.DataFrame(
        {"segment": [1, 2, 3, 4, 1, 2, 3, 4, 4], "coder": ["anna"] * 4 + ["erik"] * 4 + ["olle"]}
    )
    out = disagreements(codings, seen, ["anna", "erik", "olle"])
    assert out["segment"].tolist() == [1, 3, 4]
    first = out.iloc[0]
    assert first["codes_anna"] == ["x", "y"] and first["codes_erik"] == ["x"]
    assert first["codes_olle"] is None
    assert first["shared"] == ["x"] and first["only_some"] == ["y"]
    last = out.iloc[2]
    assert last["coders"] == ["anna", "erik", "olle"] and last["only_some"] == ["y"]


def test_drift_batches_in_time_order() -> None:
    # Agreement on the first 4 segments (coded first), disagreement on the last 4.
    rows = []
    for seg in range(8):
        when = pd.Timestamp("2026-01-01") + pd.Timedelta(days=7 - seg)
        rows.append((seg, "d", "x", "anna", when))
        rows.append((seg, "d", "x" if seg >= 4 else "y", "erik", when))
    codings = pd.DataFrame(rows, columns=["segment", "document", "code", "coder", "created_at"])
    out = drift(codings, batch_size=4)
    assert out["first_segment"].tolist() == [7, 3]
    assert out["percent_agreement"].tolist() == [1.0, 0.0]
    assert out["segments"].tolist() == [4, 4]
    by_id = drift(codings, batch_size=4, order_by="segment")
    assert by_id["first_segment"].tolist() == [0, 4]
    assert by_id["percent_agreement"].tolist() == [0.0, 1.0]
    with pytest.raises(AgreementError, match="cannot order by 'when'"):
        drift(codings, order_by="when")


def test_package_all_names_exist() -> None:
    for name in agreement_pkg.__all__:
        assert hasattr(agreement_pkg, name)


def test_agreement_span_level_ignores_characters_outside_segments(corpus: dict) -> None:
    segments = corpus["segments"].iloc[::2]  # e.g. interviewer turns left out
    report = agreement(
        corpus["codings"], corpus["seen"], segments=segments, level="span", bootstrap=0
    )
    chars = int((segments["end"] - segments["start"]).sum())  # every segment is seen by two
    assert report.per_code["n"].tolist() == [chars] * 3
    assert report.units == chars


def test_agreement_cluster_weights_add_up_to_the_pooled_counts(corpus: dict) -> None:
    from workbench.agreement._frames import resolve, segment_tables, span_tables

    mine, saw, coders = resolve(corpus["codings"], corpus["seen"], None, None)
    for tables in (
        segment_tables(mine, saw, coders, None),
        span_tables(mine, saw, corpus["segments"], coders, None),
    ):
        pooled = np.asarray(tables.clusters.sum(axis=0)).ravel()
        assert np.allclose(pooled, tables.hist.sum(axis=0))
        if tables.per_code_clusters is not None:
            for ci, mat in enumerate(tables.per_code_clusters):
                assert np.allclose(np.asarray(mat.sum(axis=0)).ravel(), tables.hist[ci])


def test_reliability_table_interval_contains_estimate() -> None:
    rng = np.random.default_rng(2)
    truth = rng.integers(1, 6, 80)
    data = np.stack([truth, np.where(rng.random(80) < 0.8, truth, rng.integers(1, 6, 80))], axis=1)
    report = reliability_table(pd.DataFrame(data, columns=["a", "b"]), "ordinal", bootstrap=500)
    for key in ("percent_agreement", "krippendorff_alpha", "fleiss_kappa"):
        fig = report.overall[key]
        assert fig["ci_low"] < fig["value"] < fig["ci_high"]
    pair = report.overall["cohen_kappa"][0]
    assert pair["coders"] == ["a", "b"] and pair["ci_low"] < pair["kappa"] < pair["ci_high"]


def test_agreement_takes_coders_positionally_and_documents_from_segments(corpus: dict) -> None:
    report = agreement(corpus["codings"], corpus["seen"], ["anna", "olle"], ["b"], bootstrap=0)
    assert report.coders == ["anna", "olle"]
    assert report.per_code["code"].tolist() == ["b"]
    out = disagreements(
        corpus["codings"].drop(columns=["document"]),
        corpus["seen"],
        ["anna", "erik"],
        segments=corpus["segments"],
    )
    assert len(out) > 0
    expected = corpus["segments"].set_index("segment")["document"]
    assert out["document"].tolist() == expected.loc[out["segment"]].tolist()
