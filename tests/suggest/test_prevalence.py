from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _helpers import run_suggest

from workbench.errors import SuggestError
from workbench.suggest import (
    Calibration,
    Method,
    estimate_prevalence,
    evaluate,
    out_of_fold,
    quantify,
    sample_precision,
    validation_sample,
    wilson_interval,
)
from workbench.suggest._prevalence import COLUMNS, HUMAN, MIN_SEPARATION


def _ids(values: list[object]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _calibration(proba: list[float], labels: list[int], code: str = "fees") -> Calibration:
    n = len(proba)
    return Calibration(
        codes=(code,),
        segments=_ids([("cal", i) for i in range(n)]),
        proba=np.array(proba, dtype=float)[:, None],
        labels=np.array(labels, dtype=float)[:, None],
        weights=np.ones((n, 1)),
    )


# An over-predicting model: every positive scores 0.9; half the negatives score 0.7 (called
# positive), half 0.1.  Crisp: tpr 1, fpr 0.5.  Soft: tpr 0.9, fpr 0.4.
BIASED_CAL_P = [0.9] * 10 + [0.7] * 10 + [0.1] * 10
BIASED_CAL_Y = [1] * 10 + [0] * 20


def _biased_corpus(n_pos: int, n_neg: int) -> list[float]:
    return [0.9] * n_pos + [0.7] * (n_neg // 2) + [0.1] * (n_neg - n_neg // 2)


# ------------------------------------------------------------------------------ estimators
def test_quantify_classify_and_count_counts_predicted_labels() -> None:
    assert quantify([0.9, 0.1], [1, 0], [0.2, 0.5, 0.7, 0.49], method="cc") == 0.5
    assert quantify([0.9, 0.1], [1, 0], [0.2, 0.5, 0.7, 0.49], method="cc", threshold=0.6) == 0.25


def test_quantify_pcc_is_the_mean_probability() -> None:
    assert quantify([0.9, 0.1], [1, 0], [0.2, 0.4, 0.9], method=Method.PCC) == pytest.approx(0.5)


def test_quantify_corrections_recover_truth_from_a_biased_model() -> None:
    corpus = _biased_corpus(20, 80)  # true share 0.2
    cc = quantify(BIASED_CAL_P, BIASED_CAL_Y, corpus, method="cc")
    pcc = quantify(BIASED_CAL_P, BIASED_CAL_Y, corpus, method="pcc")
    assert cc == pytest.approx(0.6)  # 20 + 40 of 100 predicted
    assert pcc == pytest.approx(0.5)  # 0.2 * 0.9 + 0.8 * 0.4
    assert quantify(BIASED_CAL_P, BIASED_CAL_Y, corpus, method="acc") == pytest.approx(0.2)
    assert quantify(BIASED_CAL_P, BIASED_CAL_Y, corpus, method="pacc") == pytest.approx(0.2)


def test_quantify_acc_follows_a_prior_shift() -> None:
    # Calibration at share 1/3; the corpus holds the code twice as often.
    corpus = _biased_corpus(40, 60)
    assert quantify(BIASED_CAL_P, BIASED_CAL_Y, corpus, method="cc") == pytest.approx(0.7)
    assert quantify(BIASED_CAL_P, BIASED_CAL_Y, corpus, method="acc") == pytest.approx(0.4)
    assert quantify(BIASED_CAL_P, BIASED_CAL_Y, corpus, method="pacc") == pytest.approx(0.4)


def test_quantify_emq_recovers_a_shifted_prior_from_calibrated_posteriors() -> None:
    # Two kinds of item: A (posterior 0.8 at the calibration share 0.5) and B (0.2).
    # P(A | code) = 0.8, P(A | no code) = 0.2.  A corpus with share 0.8 holds 68 A, 32 B.
    cal_p = [0.8] * 50 + [0.2] * 50
    cal_y = [1] * 40 + [0] * 10 + [1] * 10 + [0] * 40
    corpus = [0.8] * 68 + [0.2] * 32
    assert quantify(cal_p, cal_y, corpus, method="pcc") == pytest.approx(0.608)
    assert quantify(cal_p, cal_y, corpus, method="cc") == pytest.approx(0.68)
    assert quantify(cal_p, cal_y, corpus, method="emq") == pytest.approx(0.8, abs=1e-9)
    assert quantify(cal_p, cal_y, corpus, method="acc") == pytest.approx(0.8)


def test_quantify_emq_stops_at_the_bounds() -> None:
    cal_p, cal_y = [0.8] * 50 + [0.2] * 50, [1] * 40 + [0] * 10 + [1] * 10 + [0] * 40
    assert quantify(cal_p, cal_y, [0.2] * 100, method="emq") == 0.0
    assert quantify(cal_p, cal_y, [0.8] * 100, method="emq") == 1.0


def test_quantify_acc_clips_to_the_unit_interval() -> None:
    # Fewer predicted than the false-positive rate alone would give.
    assert quantify(BIASED_CAL_P, BIASED_CAL_Y, [0.1] * 10, method="acc") == 0.0
    assert quantify(BIASED_CAL_P, BIASED_CAL_Y, [0.9] * 10, method="pacc") == 1.0


def test_quantify_weights_count_items_as_many() -> None:
    # Doubling the weight of the negatives called positive raises fpr from 0.5 to 2/3.
    weights = [1.0] * 10 + [2.0] * 10 + [1.0] * 10
    corpus = _biased_corpus(60, 40)  # classify and count: 0.8
    plain = quantify(BIASED_CAL_P, BIASED_CAL_Y, corpus, method="acc")
    weighted = quantify(BIASED_CAL_P, BIASED_CAL_Y, corpus, method="acc", cal_weights=weights)
    assert plain == pytest.approx((0.8 - 0.5) / 0.5)
    assert weighted == pytest.approx((0.8 - 2 / 3) / (1 - 2 / 3))


@pytest.mark.parametrize("method", ["acc", "pacc", "emq"])
def test_quantify_without_positives_falls_back(method: str) -> None:
    est = quantify([0.1, 0.2, 0.6], [0, 0, 0], [0.7, 0.1], method=method)
    # ACC and PACC: the coded share (none of 3); EMQ: the mean probability.
    fallback = 0.4 if method == "emq" else 0.0
    assert est == pytest.approx(fallback)


def test_quantify_when_tpr_equals_fpr_falls_back() -> None:
    est = quantify([0.6, 0.6, 0.6, 0.6], [1, 1, 0, 0], [0.6, 0.1], method="acc")
    assert est == 0.5


def test_quantify_unknown_method_is_an_error() -> None:
    with pytest.raises(SuggestError, match="method 'hdy' is not one of cc, pcc"):
        quantify([0.5], [1], [0.5], method="hdy")


# ------------------------------------------------------------------------------ estimate
def test_estimate_prevalence_mixes_human_labels_with_the_estimate() -> None:
    # Corpus: 4 coded segments (2 with the code), 6 uncoded of which the model puts 3 over
    # the threshold; with a perfect calibration ACC keeps 3/6.
    cal = Calibration(
        codes=("fees",),
        segments=_ids(["s1", "s2", "s3", "s4"]),
        proba=np.array([[0.9], [0.8], [0.1], [0.2]]),
        labels=np.array([[1.0], [1.0], [0.0], [0.0]]),
        weights=np.ones((4, 1)),
    )
    corpus = pd.DataFrame(
        {"fees": [0.9, 0.8, 0.1, 0.2, 0.9, 0.9, 0.9, 0.1, 0.1, 0.1]},
        index=[f"s{i}" for i in range(1, 11)],
    )
    est = estimate_prevalence(corpus, cal, method="acc", n_boot=0)
    row = est.segments.iloc[0]
    assert list(est.segments.columns) == list(COLUMNS)
    assert row["estimate"] == pytest.approx((2 + 6 * 0.5) / 10)
    assert row["classify_and_count"] == pytest.approx(0.5)
    assert (row["n_human"], row["n_estimated"]) == (4, 6)
    assert row["ci_low"] == row["ci_high"] == row["estimate"]
    assert row["method"] == "acc" and row["note"] == ""
    assert est.participants is None


def test_estimate_prevalence_corrects_a_biased_model_on_a_corpus() -> None:
    corpus = pd.DataFrame({"fees": _biased_corpus(20, 80)})
    cal = _calibration(BIASED_CAL_P, BIASED_CAL_Y)
    cc = estimate_prevalence(corpus, cal, method="cc", n_boot=0).segments.iloc[0]
    pacc = estimate_prevalence(corpus, cal, method="pacc", n_boot=200).segments.iloc[0]
    assert cc["estimate"] == pytest.approx(0.6)
    assert pacc["estimate"] == pytest.approx(0.2)
    assert pacc["classify_and_count"] == pytest.approx(0.6)
    assert pacc["ci_low"] <= 0.2 <= pacc["ci_high"]
    assert pacc["ci_high"] < 0.6  # the interval excludes what classify and count says


def test_estimate_prevalence_every_segment_coded() -> None:
    cal = _calibration([0.9, 0.1, 0.2, 0.3], [1, 0, 0, 0])
    corpus = pd.DataFrame({"fees": [0.9, 0.1, 0.2, 0.3]}, index=list(cal.segments))
    exact = estimate_prevalence(corpus, cal, population="corpus").segments.iloc[0]
    assert exact["estimate"] == pytest.approx(1 / 4)
    assert exact["ci_low"] == exact["ci_high"] == exact["estimate"]
    assert exact["method"] == HUMAN
    assert exact["n_estimated"] == 0
    # As a sample of people, four coded answers still leave the share uncertain.
    sampled = estimate_prevalence(corpus, cal, population="sample").segments.iloc[0]
    assert sampled["estimate"] == pytest.approx(1 / 4)
    assert sampled["ci_low"] == 0.0 and sampled["ci_high"] >= 0.75


def test_estimate_prevalence_populations_differ_in_what_they_resample() -> None:
    # Half the corpus coded (20 of 40 with the code), half estimated by a sharp model.
    cal = _calibration([0.95] * 20 + [0.05] * 20, [1] * 20 + [0] * 20)
    index = [("cal", i) for i in range(40)] + [f"u{i}" for i in range(40)]
    corpus = pd.DataFrame({"fees": [0.95] * 20 + [0.05] * 20 + [0.95] * 10 + [0.05] * 30})
    corpus.index = pd.Index(index, tupleize_cols=False)
    whole = estimate_prevalence(corpus, cal, n_boot=400, population="corpus").segments
    sample = estimate_prevalence(corpus, cal, n_boot=400, population="sample").segments
    assert whole.iloc[0]["estimate"] == sample.iloc[0]["estimate"]
    assert whole.iloc[0]["estimate"] == pytest.approx((20 + 40 * 0.25) / 80, abs=0.01)
    # The corpus interval only holds the label noise of the 40 uncoded items: their
    # posteriors moved from the calibration share 0.5 to 0.25 are 0.864 (10) and 0.036 (30),
    # so the count's sd is sqrt(10 * .864 * .136 + 30 * .036 * .964) = 1.49 items of 80.
    width_corpus = whole.iloc[0]["ci_high"] - whole.iloc[0]["ci_low"]
    assert width_corpus == pytest.approx(2 * 1.96 * 1.49 / 80, abs=0.015)
    # The sample interval also resamples the 80 people: sd about sqrt(.375 * .625 / 80).
    width_sample = sample.iloc[0]["ci_high"] - sample.iloc[0]["ci_low"]
    assert width_sample == pytest.approx(2 * 1.96 * (0.375 * 0.625 / 80) ** 0.5, abs=0.04)
    with pytest.raises(SuggestError, match="population 'users' is not 'corpus' or 'sample'"):
        estimate_prevalence(corpus, cal, population="users")


def test_estimate_prevalence_no_positives_in_calibration_is_finite_and_says_so() -> None:
    cal = _calibration([0.1] * 40, [0] * 40)
    corpus = pd.DataFrame({"fees": [0.05] * 30})
    row = estimate_prevalence(corpus, cal, method="pacc", n_boot=100).segments.iloc[0]
    assert row["method"] == "coded"
    assert row["note"] == (
        "pacc undefined: no calibration item has the code; the share among the coded items instead"
    )
    values = row[["estimate", "ci_low", "ci_high", "classify_and_count"]].astype(float)
    assert np.isfinite(values).all()
    # None of 40 coded items has it: 0, not the mean probability 0.05 of a model that never
    # saw the code; the exact upper bound 1 - 0.025 ** (1 / 40) = 0.088 is the interval's.
    assert row["estimate"] == 0.0 and row["ci_low"] == 0.0
    assert row["ci_high"] == pytest.approx(1 - 0.025 ** (1 / 40))
    whole = estimate_prevalence(corpus, cal, method="pacc", n_boot=100, population="corpus")
    assert whole.segments.iloc[0]["ci_high"] == pytest.approx(1 - 0.025 ** (1 / 40))
    # Without any calibration item there is nothing but the probabilities: PCC.
    none = _calibration([], [])
    row = estimate_prevalence(corpus, none, method="pacc", n_boot=0).segments.iloc[0]
    assert (row["method"], row["estimate"]) == ("pcc", pytest.approx(0.05))


def test_estimate_prevalence_tpr_equal_fpr_falls_back_to_the_coded_share() -> None:
    # The model scores everything 0.6: it says nothing about the code.  Half the coded items
    # have it, so the coded share (0.5), not the count (0.25) or the mean probability (0.225).
    cal = _calibration([0.6] * 20, [1] * 10 + [0] * 10)
    corpus = pd.DataFrame({"fees": [0.6, 0.1, 0.1, 0.1]})
    row = estimate_prevalence(corpus, cal, method="acc", n_boot=50).segments.iloc[0]
    assert row["method"] == "coded"
    assert row["note"] == (
        "acc undefined: the model does not separate the code (tpr - fpr = 0.00); "
        "the share among the coded items instead"
    )
    assert row["estimate"] == pytest.approx(0.5)
    assert row["classify_and_count"] == pytest.approx(0.25)
    assert row["ci_low"] < 0.5 < row["ci_high"]
    assert MIN_SEPARATION > 0


def test_quantify_coded_is_the_weighted_share_of_the_calibration() -> None:
    assert quantify([0.9, 0.1, 0.2], [1, 0, 0], [0.9] * 5, method="coded") == pytest.approx(1 / 3)
    weighted = quantify([0.9, 0.1], [1, 0], [0.1], method="coded", cal_weights=[1.0, 3.0])
    assert weighted == pytest.approx(0.25)


def test_estimate_prevalence_rare_code_the_model_cannot_see_is_not_its_mean_probability() -> None:
    # 1 of 100 coded items has the code and the model gives every item about 0.02 (its
    # codebook prior): PCC would say 2 %, the coded share says 1 % and its interval holds it.
    rng = np.random.default_rng(0)
    cal = _calibration(list(0.02 + 0.001 * rng.random(100)), [1] + [0] * 99)
    corpus = pd.DataFrame({"fees": 0.02 + 0.001 * rng.random(900)})
    row = estimate_prevalence(corpus, cal, method="pacc", n_boot=200).segments.iloc[0]
    assert row["method"] == "coded"
    assert row["estimate"] == pytest.approx(0.01)
    assert row["ci_low"] <= 0.01 <= row["ci_high"]


def test_estimate_prevalence_bootstrap_is_deterministic_per_seed_and_code() -> None:
    rng = np.random.default_rng(1)
    n = 200
    y = (rng.random((n, 2)) < [0.3, 0.6]).astype(float)
    p = np.clip(0.15 + 0.6 * y + rng.normal(0, 0.15, y.shape), 0, 1)
    cal = Calibration(
        codes=("a", "b"),
        segments=_ids([("c", i) for i in range(n)]),
        proba=p,
        labels=y,
        weights=np.ones(y.shape),
    )
    corpus = pd.DataFrame(rng.random((300, 2)), columns=["a", "b"])
    first = estimate_prevalence(corpus, cal, n_boot=300, seed=7).segments
    again = estimate_prevalence(corpus, cal, n_boot=300, seed=7).segments
    other = estimate_prevalence(corpus, cal, n_boot=300, seed=8).segments
    alone = estimate_prevalence(corpus[["b"]], cal, n_boot=300, seed=7).segments
    pd.testing.assert_frame_equal(first, again)
    assert not np.allclose(first[["ci_low", "ci_high"]], other[["ci_low", "ci_high"]])
    pd.testing.assert_frame_equal(first.iloc[[1]].reset_index(drop=True), alone)
    assert (first["ci_low"] < first["estimate"]).all()
    assert (first["estimate"] < first["ci_high"]).all()


def test_estimate_prevalence_interval_covers_a_known_share() -> None:
    # A noisy but honest model on 400 calibration and 1000 corpus items at share 0.45
    # (calibration share 0.2): 40 draws, the 95 % interval should miss rarely.
    hits = 0
    for draw in range(40):
        rng = np.random.default_rng(draw)
        yc = (rng.random(400) < 0.2).astype(float)
        yu = (rng.random(1000) < 0.45).astype(float)
        pc = np.clip(0.25 + 0.45 * yc + rng.normal(0, 0.2, 400), 0, 1)
        pu = np.clip(0.25 + 0.45 * yu + rng.normal(0, 0.2, 1000), 0, 1)
        cal = _calibration(list(pc), list(yc))
        row = estimate_prevalence(
            pd.DataFrame({"fees": pu}), cal, method="pacc", n_boot=200, seed=draw
        ).segments.iloc[0]
        hits += row["ci_low"] <= yu.mean() <= row["ci_high"]
    assert hits >= 35


def test_estimate_prevalence_participant_level_tiny_example() -> None:
    # P1: s1 coded with the code, s2 uncoded -> known positive.
    # P2: s3, s4 uncoded at 0.5 each -> 1 - 0.5 * 0.5 = 0.75 (independence).
    # P3: s5 coded without the code, nothing else -> known negative.
    # P4: s6 uncoded at 0.1.
    cal = Calibration(
        codes=("fees",),
        segments=_ids(["s1", "s5"]),
        proba=np.array([[0.9], [0.2]]),
        labels=np.array([[1.0], [0.0]]),
        weights=np.ones((2, 1)),
    )
    corpus = pd.DataFrame(
        {"fees": [0.9, 0.3, 0.5, 0.5, 0.2, 0.1]}, index=["s1", "s2", "s3", "s4", "s5", "s6"]
    )
    who = pd.Series(["P1", "P1", "P2", "P2", "P3", "P4"], index=corpus.index)
    est = estimate_prevalence(corpus, cal, participants=who, method="pcc", n_boot=0)
    assert est.participants is not None
    row = est.participants.iloc[0]
    assert row["estimate"] == pytest.approx((1 + 0.75 + 0.1) / 4)
    assert (row["n_human"], row["n_estimated"]) == (2, 2)
    # Crisp: P2 has a segment at the threshold, P4 has none.
    assert row["classify_and_count"] == pytest.approx((1 + 1 + 0) / 4)
    seg = est.segments.iloc[0]
    assert seg["estimate"] == pytest.approx((1 + 0.3 + 0.5 + 0.5 + 0.1) / 6)
    tidy = est.to_frame()
    assert list(tidy["level"]) == ["segment", "participant"]


def test_estimate_prevalence_participant_acc_calibrates_on_coded_participants() -> None:
    # Fully coded participants of two segments each: with the code, one segment at 0.9;
    # without it, one at 0.7 half of the time (crisp any: tpr 1, fpr 0.5).
    segments, proba, labels, who = [], [], [], {}
    for i in range(20):
        has = i < 10
        first = 0.9 if has else (0.7 if i % 2 else 0.1)
        for k, (p, y) in enumerate(((first, float(has)), (0.1, 0.0))):
            segments.append(f"c{i}.{k}")
            proba.append([p])
            labels.append([y])
            who[f"c{i}.{k}"] = f"C{i}"
    cal = Calibration(
        codes=("fees",),
        segments=_ids(segments),
        proba=np.array(proba),
        labels=np.array(labels),
        weights=np.ones((len(segments), 1)),
        participants=_ids([who[s] for s in segments]),
    )
    # Uncoded participants: 2 with the code, 8 without (4 of them called positive).
    rows, u_who = {}, {}
    for i in range(10):
        first = 0.9 if i < 2 else (0.7 if i % 2 else 0.1)
        for k, p in enumerate((first, 0.1)):
            rows[f"u{i}.{k}"] = p
            u_who[f"u{i}.{k}"] = f"U{i}"
    corpus = pd.DataFrame({"fees": list(rows.values())}, index=list(rows))
    est = estimate_prevalence(corpus, cal, participants=pd.Series(u_who), method="acc", n_boot=0)
    assert est.participants is not None
    row = est.participants.iloc[0]
    assert row["classify_and_count"] == pytest.approx(0.6)  # 2 + 4 of 10
    assert row["estimate"] == pytest.approx(0.2)
    assert row["method"] == "acc"


def test_estimate_prevalence_participants_without_coded_ones_assume_independence() -> None:
    # Calibration outside the corpus: one participant X with and without the code, so no
    # fully coded participant lacks it.  Segment level (PACC, tpr 0.9, fpr 0.1): the mean
    # probability 1.3 / 3 gives 0.4167.  Posteriors moved from 0.5 to that share: 0.9 ->
    # 0.8654, 0.2 -> 0.1515.  P1 (0.9, 0.2): 1 - 0.1346 * 0.8485 = 0.8858; P2 (0.2): 0.1515.
    cal = _calibration([0.9, 0.1], [1, 0])
    cal = Calibration(
        codes=cal.codes,
        segments=cal.segments,
        proba=cal.proba,
        labels=cal.labels,
        weights=cal.weights,
        participants=_ids(["X", "X"]),
    )
    corpus = pd.DataFrame({"fees": [0.9, 0.2, 0.2]}, index=["a", "b", "c"])
    who = pd.Series(["P1", "P1", "P2"], index=corpus.index)
    est = estimate_prevalence(corpus, cal, participants=who, method="pacc", n_boot=0)
    assert est.segments.iloc[0]["estimate"] == pytest.approx((1.3 / 3 - 0.1) / 0.8)
    assert est.participants is not None
    row = est.participants.iloc[0]
    assert row["method"] == "pcc"
    assert row["note"] == (
        "pacc undefined for participants (every fully coded participant has the code): "
        "segment probabilities combined as if independent; the interval spans any dependence"
    )
    assert row["estimate"] == pytest.approx((0.885781 + 0.151515) / 2, abs=1e-5)
    # Any dependence: from the likeliest segment (0.8654, 0.1515) to the capped sum (1, 0.1515).
    assert row["ci_low"] == pytest.approx((0.865385 + 0.151515) / 2, abs=1e-5)
    assert row["ci_high"] == pytest.approx((1 + 0.151515) / 2, abs=1e-5)
    boot = estimate_prevalence(corpus, cal, participants=who, method="pacc", n_boot=50)
    assert boot.participants is not None
    values = boot.participants[["estimate", "ci_low", "ci_high"]].to_numpy(dtype=float)
    assert np.isfinite(values).all()


def test_estimate_prevalence_refuses_bad_input() -> None:
    cal = _calibration([0.9, 0.1], [1, 0])
    with pytest.raises(SuggestError, match="code 'other' has no calibration data"):
        estimate_prevalence(pd.DataFrame({"other": [0.5]}), cal)
    with pytest.raises(SuggestError, match=r"corpus probabilities must lie in \[0, 1\]"):
        estimate_prevalence(pd.DataFrame({"fees": [1.5]}), cal)
    with pytest.raises(SuggestError, match="segment 1 has no participant"):
        estimate_prevalence(
            pd.DataFrame({"fees": [0.5, 0.5]}), cal, participants=pd.Series(["P"], index=[0])
        )
    with pytest.raises(SuggestError, match=r"labels has shape \(2, 2\); expected \(2, 1\)"):
        Calibration(("fees",), _ids([1, 2]), np.zeros((2, 1)), np.zeros((2, 2)), np.ones((2, 1)))
    with pytest.raises(SuggestError, match="labels must be 0, 1 or NaN"):
        Calibration(("fees",), _ids([1]), np.zeros((1, 1)), np.full((1, 1), 2.0), np.ones((1, 1)))


# ------------------------------------------------------------------------------ validation
def _predictions() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    rows = []
    for code, n in (("fees", 300), ("queue", 40)):
        for i in range(n):
            rows.append({"segment": f"{code}{i}", "code": code, "probability": rng.random()})
    return pd.DataFrame(rows)


def test_validation_sample_is_stratified_and_weighted() -> None:
    preds = _predictions()
    sample = validation_sample(preds, 48, seed=1)
    assert len(sample) == 48
    # 2 codes x 6 bands = 12 strata, 4 each when every stratum has 4 or more.
    counts = sample.groupby(["code", "band"]).size()
    assert len(counts) == 12
    assert (counts == 4).all()
    for _, row in sample.iterrows():
        members = preds[preds["code"] == row["code"]]
        lo, hi = (float(x) for x in row["band"].split("-"))
        inside = ((members["probability"] >= lo) & (members["probability"] < hi)).sum()
        assert row["stratum_size"] == inside
        assert row["weight"] == pytest.approx(inside / 4)
    again = validation_sample(preds, 48, seed=1)
    pd.testing.assert_frame_equal(sample, again)
    assert not validation_sample(preds, 48, seed=2)["segment"].equals(sample["segment"])


def test_validation_sample_small_strata_give_what_they_have() -> None:
    preds = pd.DataFrame(
        {
            "segment": ["a", "b", "c", "d", "e"],
            "code": ["x"] * 5,
            "probability": [0.95, 0.05, 0.06, 0.07, 0.08],
        }
    )
    sample = validation_sample(preds, 3, seed=0)
    assert sorted(sample["band"]) == ["0-0.1", "0-0.1", "0.9-1"]
    everything = validation_sample(preds, 50, seed=0)
    assert len(everything) == 5
    assert (everything["weight"] == 1).all()


def test_wilson_interval_known_values() -> None:
    low, high = wilson_interval(8, 10)
    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)
    assert wilson_interval(0, 0) == (0.0, 1.0)
    low, high = wilson_interval(0, 20)
    assert low == 0.0 and high == pytest.approx(0.1611, abs=1e-4)


def test_sample_precision_per_code_with_wilson_intervals() -> None:
    decisions = pd.DataFrame(
        {
            "code": ["fees"] * 10 + ["queue"] * 3,
            "accepted": [True] * 8 + [False] * 2 + [True, False, True],
            "probability": [0.9] * 10 + [0.8, 0.7, 0.2],
        }
    )
    out = sample_precision(decisions).set_index("code")
    assert out.loc["fees", "n"] == 10 and out.loc["fees", "accepted"] == 8
    assert out.loc["fees", "precision"] == pytest.approx(0.8)
    assert out.loc["fees", "ci_low"] == pytest.approx(0.4902, abs=1e-4)
    # The decision under the threshold is not a suggestion: 1 of 2 counted.
    assert out.loc["queue", "n"] == 2
    assert out.loc["queue", "precision"] == pytest.approx(0.5)


def test_sample_precision_weights_undo_the_oversampled_band() -> None:
    # 2 decisions from a band of 100 (both accepted), 2 from a band of 10 (both rejected).
    decisions = pd.DataFrame(
        {
            "code": ["fees"] * 4,
            "accepted": [True, True, False, False],
            "probability": [0.95, 0.95, 0.6, 0.6],
            "weight": [50.0, 50.0, 5.0, 5.0],
        }
    )
    row = sample_precision(decisions).iloc[0]
    assert row["precision"] == pytest.approx(100 / 110)
    low, high = wilson_interval(100 / 110 * (110**2 / 5050), 110**2 / 5050)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high))


def test_calibration_with_decisions_feeds_back_into_the_estimate() -> None:
    cal = _calibration(BIASED_CAL_P, BIASED_CAL_Y)
    corpus = pd.DataFrame({"fees": _biased_corpus(20, 80)}, index=[f"u{i}" for i in range(100)])
    decisions = pd.DataFrame(
        {
            "segment": ["u0", "u25"],
            "code": ["fees", "fees"],
            "accepted": [True, False],
            "probability": [0.9, 0.7],
            "weight": [3.0, 2.0],
        }
    )
    more = cal.with_decisions(decisions)
    assert len(more.segments) == len(cal.segments) + 2
    assert more.labels[-2:, 0].tolist() == [1.0, 0.0]
    assert more.weights[-2:, 0].tolist() == [3.0, 2.0]
    row = estimate_prevalence(corpus, more, method="acc", n_boot=0).segments.iloc[0]
    assert (row["n_human"], row["n_estimated"]) == (2, 98)
    # Calibration now: tpr 13/13, fpr (10 + 2) / (20 + 2); the 98 others: 19 + 39 predicted.
    fpr = 12 / 22
    expected = (1 + 98 * ((58 / 98 - fpr) / (1 - fpr))) / 100
    assert row["estimate"] == pytest.approx(expected)
    with pytest.raises(SuggestError, match="decisions row 1: segment 'u0' already has a label"):
        more.with_decisions(decisions.iloc[:1])
    with pytest.raises(SuggestError, match="decisions row 1: code 'x' is not calibrated"):
        cal.with_decisions(decisions.assign(code="x").iloc[:1])


# ------------------------------------------------------------------------------ evaluate
def test_out_of_fold_calibration_from_texts(texts, codes) -> None:
    cal = out_of_fold(texts * 2, codes * 2, folds=3, random_state=0, language="sv")
    assert cal.codes == ("info", "staff", "wait")
    assert cal.proba.shape == (24, 3)
    assert cal.labels.sum(axis=0).tolist() == [8.0, 8.0, 8.0]
    assert np.nanmin(cal.proba) >= 0 and np.nanmax(cal.proba) <= 1
    assert cal.segments[0] == ("calibration", 0)


def test_out_of_fold_keeps_a_fitted_vocabulary(texts, codes, monkeypatch) -> None:
    from workbench.suggest import CodeSuggester
    from workbench.suggest._text import TextFeatures

    corpus = texts * 2 + ["words nobody coded", "more of them"]
    vocabulary = CodeSuggester(language="sv", random_state=0).fit_vocabulary(corpus)
    fits: list[int] = []
    original = TextFeatures.fit

    def counted(self: TextFeatures, docs: list[str]) -> TextFeatures:
        fits.append(len(docs))
        return original(self, docs)

    monkeypatch.setattr(TextFeatures, "fit", counted)
    cal = out_of_fold(texts * 2, codes * 2, folds=3, random_state=0, vocabulary=vocabulary)
    assert fits == []  # no fold fitted its own features: one vocabulary for every fold
    assert vocabulary.features_.tuning is None
    assert cal.codes == ("info", "staff", "wait") and cal.proba.shape == (24, 3)
    assert np.nanmin(cal.proba) >= 0 and np.nanmax(cal.proba) <= 1
    out_of_fold(texts * 2, codes * 2, folds=3, random_state=0, language="sv")
    assert len(fits) == 3  # without it, each fold fits its own


def test_evaluate_prevalence_keys_and_truth(texts, codes) -> None:
    result = evaluate(texts * 2, codes * 2, texts, codes, n_boot=50, random_state=0)
    prev = result["prevalence"]
    assert set(prev) == {"info", "staff", "wait"}
    for row in prev.values():
        assert set(row) == {"true", "estimate", "classify_and_count", "ci_low", "ci_high"}
        assert row["true"] == pytest.approx(4 / 12, abs=1e-4)
        assert row["ci_low"] <= row["estimate"] <= row["ci_high"]
    errors = [abs(r["estimate"] - r["true"]) for r in prev.values()]
    assert result["prevalence_mae"] == pytest.approx(np.mean(errors), abs=2e-4)
    cc_errors = [abs(r["classify_and_count"] - r["true"]) for r in prev.values()]
    assert result["classify_and_count_mae"] == pytest.approx(np.mean(cc_errors), abs=2e-4)
    assert result["prevalence_method"] == "pacc"


def test_evaluate_prevalence_is_made_without_test_labels(texts, codes) -> None:
    # Same test texts, different (wrong) test labels: only "true" may change.
    right = evaluate(texts * 2, codes * 2, texts, codes, n_boot=20, random_state=0)
    wrong_codes = [["wait"]] * len(texts)
    wrong = evaluate(texts * 2, codes * 2, texts, wrong_codes, n_boot=20, random_state=0)
    for code in right["prevalence"]:
        a, b = right["prevalence"][code], wrong["prevalence"][code]
        assert {k: v for k, v in a.items() if k != "true"} == {
            k: v for k, v in b.items() if k != "true"
        }
    assert wrong["prevalence"]["wait"]["true"] == 1.0


def test_evaluate_bad_prevalence_method_fails_before_fitting(texts, codes) -> None:
    with pytest.raises(SuggestError, match="method 'best' is not one of"):
        evaluate(texts, codes, texts, codes, prevalence_method="best")


def _write(path: Path, texts: list[str], codes: list[list[str]]) -> Path:
    frame = pd.DataFrame({"text": texts, "codes": [";".join(c) for c in codes]})
    frame.to_csv(path, index=False)
    return path


def test_cli_evaluate_prints_prevalence(tmp_path: Path, texts, codes, capsys) -> None:
    train = _write(tmp_path / "train.csv", texts * 2, codes * 2)
    test = _write(tmp_path / "test.csv", texts, codes)
    base = ["suggest", "evaluate", "--train", str(train), "--test", str(test)]
    assert run_suggest([*base, "--bootstrap", "30", "--prevalence-method", "acc"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["prevalence"]) == {"info", "staff", "wait"}
    assert out["prevalence_method"] == "acc"
    assert {"prevalence_mae", "classify_and_count_mae"} <= set(out)
    assert run_suggest([*base, "--bootstrap", "30", "--text"]) == 0
    text = capsys.readouterr().out
    assert "prevalence (pacc, 95 % bootstrap interval" in text
    assert "mean absolute error" in text
    assert run_suggest([*base, "--bootstrap", "-1"]) == 0
    assert "prevalence" not in json.loads(capsys.readouterr().out)


def test_estimate_prevalence_group_coded_share_is_the_groups_own() -> None:
    # The model says nothing about the code (every item 0.6), so PACC falls back to the coded
    # share.  A quarter of the 40 coded items have it, but none of the group's own 4 coded
    # answers does: the group's estimate is 0 of 4 with the Wilson interval for 4 items, not
    # the whole calibration's 25 % with an interval as narrow as 40 items allow.
    cal_ids = [f"g{i}" for i in range(4)] + [f"o{i}" for i in range(36)]
    cal = Calibration(
        codes=("fees",),
        segments=_ids(cal_ids),
        proba=np.full((40, 1), 0.6),
        labels=np.array([[0.0]] * 4 + [[1.0]] * 10 + [[0.0]] * 26),
        weights=np.ones((40, 1)),
        participants=_ids([f"P{s}" for s in cal_ids]),
    )
    ids = [f"g{i}" for i in range(21)]  # the group: 4 coded, 17 not
    corpus = pd.DataFrame({"fees": [0.6] * 21}, index=ids)
    who = pd.Series([f"P{s}" for s in ids], index=ids)
    whole = estimate_prevalence(corpus, cal, participants=who, method="pacc", n_boot=200)
    assert whole.participants is not None
    assert whole.participants.iloc[0]["estimate"] == pytest.approx(17 * 0.25 / 21)
    own = estimate_prevalence(corpus, cal, participants=who, method="pacc", n_boot=200, group=True)
    low, high = wilson_interval(0, 4)
    assert high == pytest.approx(0.49, abs=0.005)
    assert own.participants is not None
    for row in (own.segments.iloc[0], own.participants.iloc[0]):
        assert row["method"] == "coded"
        assert row["n_human"] == 4
        assert row["estimate"] == pytest.approx(0.0)
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high))
        assert "the group's coded items" in row["note"]
    corpus_pop = estimate_prevalence(corpus, cal, method="pacc", group=True, population="corpus")
    assert corpus_pop.segments.iloc[0]["ci_high"] == pytest.approx(17 * high / 21)
