"""The machine layer of a project: predictions apart from codings, prevalence with error bars
on hand-made studies with known shares, validation by sample feeding back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _helpers import SUGGEST_TEXTS, import_interview, numbered

import workbench
from workbench.codebook import rename_code
from workbench.errors import SuggestError
from workbench.ingest._model import Segment, Transcript
from workbench.project import _predictions, _suggestions
from workbench.project._predictions import PREVALENCE_COLUMNS, Source
from workbench.store import QueuePurpose
from workbench.suggest import Calibration

GAPS, NEEDS = "bp-information-gaps", "bp-needs"


# ------------------------------------------------------------------------------ real model
def _coded_study(folder: Path, db: str | None) -> workbench.Project:
    """``SUGGEST_TEXTS`` and one more text in one interview; anna coded two texts per code."""
    project = workbench.init(folder, db=db)
    texts = [t for group in SUGGEST_TEXTS.values() for t in group] + ["We open at seven."]
    ids = import_interview(project, texts)
    for code, group in SUGGEST_TEXTS.items():
        for text in group[:2]:
            project.code(ids[texts.index(text)], code, coder="anna")
    return project


@pytest.fixture
def study(db: str | None, tmp_path: Path) -> Iterator[workbench.Project]:
    project = _coded_study(tmp_path / "s", db)
    yield project
    project.close()


def test_predictions_only_for_uncoded_segments_never_codings(study: workbench.Project) -> None:
    codings = study.codings()
    assert study.predict() == 3
    frame = study.predictions()
    assert list(frame.columns) == list(_predictions.PREDICTION_COLUMNS)
    assert set(frame["segment"]).isdisjoint(codings["segment"])
    assert len(set(frame["segment"])) == 3
    assert set(frame["code"]) == set(SUGGEST_TEXTS)  # the codes the model learned
    assert frame["probability"].between(0, 1).all()
    assert frame.loc[frame["code"] == GAPS, "label"].iloc[0] == "What do they know least about?"
    unseen = SUGGEST_TEXTS["fq-accessibility"][2]
    mine = frame[(frame["text"] == unseen)].set_index("code")["probability"]
    assert mine["fq-accessibility"] > mine[GAPS]
    # Nothing became a coding, and the filters work.
    pd.testing.assert_frame_equal(study.codings(), codings)
    sure = study.predictions(code="fq-accessibility", min_probability=float(mine.max()))
    assert sure["text"].tolist() == [unseen]
    assert set(study.predictions(lang="sv")["label"]) >= {"Vad vet man vanligen minst om?"}


def test_predictions_replaced_when_the_model_is_refitted(study: workbench.Project) -> None:
    study.predict()
    first = study.predictions()
    before = study.store.prediction_versions()["model_fitted_at"].iloc[0]
    target = first["segment"].iloc[0]
    study.code(int(target), GAPS, coder="erik")
    # Coded since: no longer served as a prediction, even before the refit.
    assert target not in set(study.predictions()["segment"])
    study.predict()
    versions = study.store.prediction_versions()
    assert len(versions) == 1 and versions["model_fitted_at"].iloc[0] != before
    assert versions["segments"].iloc[0] == 2
    assert set(study.predictions()["model_fitted_at"]) == {versions["model_fitted_at"].iloc[0]}


def test_predictions_stale_after_a_codebook_change_are_refused(study: workbench.Project) -> None:
    study.predict()
    study.set_codebook(rename_code(study.codebook, NEEDS, "Needs (renamed)"))
    for read in (study.predictions, study.prevalence, study.precision):
        with pytest.raises(SuggestError, match="earlier version of the codebook and are stale"):
            read()
    with pytest.raises(SuggestError, match="stale"):
        study.validate(5)
    study.predict()
    assert len(study.predictions()) == 6


def test_predictions_none_yet_say_how_to_make_them(tmp_path: Path) -> None:
    with _coded_study(tmp_path / "s", None) as project:
        for read in (project.predictions, project.prevalence):
            with pytest.raises(SuggestError, match=r"run `workbench suggest apply .*` first"):
                read()


def test_predictions_need_codings(tmp_path: Path) -> None:
    with workbench.init(tmp_path / "s") as project:
        import_interview(project, ["a text", "another"])
        with pytest.raises(SuggestError, match="0 coded segment"):
            project.predict()


def test_queue_suggestions_fills_the_review_queue_from_predictions(
    study: workbench.Project,
) -> None:
    queued = study.queue_suggestions(min_confidence=0.05)
    queue = study.store.queue_frame()
    assert queued == len(queue) > 0
    assert set(queue["purpose"]) == {QueuePurpose.REVIEW}
    stored = study.predictions(min_probability=0.05)
    assert sorted(zip(queue["segment"], queue["code"], strict=True)) == sorted(
        zip(stored["segment"], stored["code"], strict=True)
    )


def test_embeddings_configured_fit_through_the_project_cache(
    study: workbench.Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.store import StoreEmbeddingCache
    from workbench.suggest._embed import _PERSISTENT

    assert isinstance(_suggestions.embeddings_cache(study), type(_nothing()))
    monkeypatch.setenv("WORKBENCH_EMBEDDING_MODEL", "/models/some-model")
    with _suggestions.embeddings_cache(study):
        cache = _PERSISTENT.get()
    assert isinstance(cache, StoreEmbeddingCache) and cache.store is study.store


def _nothing() -> object:
    from contextlib import nullcontext

    return nullcontext()


# ------------------------------------------------------------------------------ hand-made
# A survey of 200 answers, one respondent each.  People coded the first 100: 30 have the code
# (information gaps), 70 not (coded "needs").  Among the 100 uncoded answers 50 have it: the
# corpus holds more of the code than the coded part (prior shift).  The "model" over-predicts:
# every answer with the code scores 0.9; of those without, half score 0.7 (a false positive at
# 0.5) and half 0.1, in the coded part (out of fold) and in the rest alike.  Soft rates:
# tpr 0.9, fpr 0.4.  True share 80 / 200 = 0.4.
N, CODED, CODED_POS, UNCODED_POS = 200, 100, 30, 50
FITTED = "2026-01-01T00:00:00.000+00:00"


def _has_code(i: int) -> bool:
    return i < CODED_POS or CODED <= i < CODED + UNCODED_POS


def _score(i: int) -> float:
    if _has_code(i):
        return 0.9
    return 0.7 if i % 2 == 0 else 0.1


def _survey_study(folder: Path, db: str | None = None) -> tuple[workbench.Project, list[int]]:
    project = workbench.init(folder, db=db)
    docs = []
    for i in range(N):
        text = f"Answer number {i}: {'no idea about the fee' if _has_code(i) else 'fine'}."
        docs.append(
            Transcript(
                name=f"survey.csv#{i + 2}",
                format="csv",
                checksum=f"row-{i}",
                text=text,
                segments=[Segment(None, "interviewee", text, 0, len(text))],  # type: ignore[arg-type]
                language="en",
                participant=f"R{i:03d}",
                attributes={"user_type": "external" if i % 4 < 2 else "internal"},
            )
        )
    project.store.import_transcripts(docs, user="t", participant_pseudonym=numbered)
    frame = project.segments()
    ids = [int(s) for s in frame.set_index("document").loc[[d.name for d in docs], "segment"]]
    rows = [
        {
            "segment_id": ids[i],
            "code_id": GAPS if _has_code(i) else NEEDS,
            "coder": "anna",
            "start": 0,
            "end": len(docs[i].text),
            "origin": "human",
        }
        for i in range(CODED)
    ]
    project.store.bulk_add_codings(rows, user="anna")
    calibration = Calibration.from_codes(
        [ids[i] for i in range(CODED)],
        [GAPS],
        np.array([[_score(i)] for i in range(CODED)]),
        [[GAPS] if _has_code(i) else [] for i in range(CODED)],
    )
    proba = pd.DataFrame(
        {GAPS: [_score(i) for i in range(CODED, N)]}, index=[ids[i] for i in range(CODED, N)]
    )
    _suggestions.store_predictions(project, proba, calibration, fitted_at=FITTED)
    return project, ids


@pytest.fixture
def survey(tmp_path: Path) -> Iterator[tuple[workbench.Project, list[int]]]:
    project, ids = _survey_study(tmp_path / "survey")
    yield project, ids
    project.close()


def test_prevalence_corrects_a_biased_model_and_beats_classify_and_count(
    survey: tuple[workbench.Project, list[int]],
) -> None:
    project, _ = survey
    truth = (CODED_POS + UNCODED_POS) / N
    frame = project.prevalence(level="segment", n_boot=300)
    assert list(frame.columns) == list(PREVALENCE_COLUMNS)
    assert frame["source"].tolist() == [Source.SURVEY.value]  # no interviews in this study
    row = frame.iloc[0]
    assert (row["code"], row["label"], row["method"]) == (
        GAPS,
        "What do they know least about?",
        "pacc",
    )
    assert (row["n_human"], row["n_estimated"]) == (CODED, N - CODED)
    # PACC on the 100 uncoded: mean probability (45 + 17.5 + 2.5) / 100 = 0.65, corrected
    # (0.65 - 0.4) / (0.9 - 0.4) = 0.5; with the 30 coded: (30 + 50) / 200 = the truth.
    assert row["estimate"] == pytest.approx(truth)
    # Classify and count: 50 + 25 predicted in the uncoded part: (30 + 75) / 200.
    assert row["classify_and_count"] == pytest.approx(105 / 200)
    assert abs(row["estimate"] - truth) < abs(row["classify_and_count"] - truth)
    assert row["ci_low"] < truth < row["ci_high"]
    assert row["ci_high"] - row["ci_low"] < 0.3
    # One answer per respondent: the participant level says the same.
    people = project.prevalence(n_boot=300).iloc[0]
    assert people["estimate"] == pytest.approx(truth)
    assert (people["n_human"], people["n_estimated"]) == (CODED, N - CODED)


def test_prevalence_is_deterministic_for_a_seed_and_cached(
    survey: tuple[workbench.Project, list[int]],
) -> None:
    project, _ = survey
    a = project.prevalence(level="segment", n_boot=200, seed=3)
    _predictions._CACHE.clear()
    b = project.prevalence(level="segment", n_boot=200, seed=3)
    pd.testing.assert_frame_equal(a, b)
    a.loc[0, "estimate"] = -1.0  # a caller's change does not reach the cache
    assert project.prevalence(level="segment", n_boot=200, seed=3).iloc[0]["estimate"] > 0
    c = project.prevalence(level="segment", n_boot=200, seed=4).iloc[0]
    assert (c["ci_low"], c["ci_high"]) != (b.iloc[0]["ci_low"], b.iloc[0]["ci_high"])


def test_prevalence_by_group_and_source_and_bad_choices(
    survey: tuple[workbench.Project, list[int]],
) -> None:
    project, _ = survey
    frame = project.prevalence(level="segment", by="user_type", n_boot=100)
    assert list(frame.columns) == ["user_type", *PREVALENCE_COLUMNS]
    assert frame["user_type"].tolist() == ["external", "internal"]
    assert (frame["n_human"] + frame["n_estimated"]).tolist() == [100, 100]
    assert frame["n_human"].tolist() == [50, 50]
    # Each group: 15 coded positives and 25 uncoded (all at 0.9); the uncoded negatives are
    # 0.7 (external: even rows) or 0.1 (internal: odd rows), so each group's mean differs,
    # and the shared calibration corrects both.
    for row in frame.itertuples():
        assert 0.0 <= row.ci_low <= row.estimate <= row.ci_high <= 1.0
    assert project.prevalence(source="interviews").empty
    with pytest.raises(SuggestError, match="source 'letters' is not one of interviews, survey"):
        project.prevalence(source="letters")
    with pytest.raises(SuggestError, match="level 'word' is not one of participant, segment"):
        project.prevalence(level="word")
    with pytest.raises(SuggestError, match="by 'shoe_size' is not a participant attribute"):
        project.prevalence(by="shoe_size")


def test_prevalence_survey_and_interviews_are_separate_rows(tmp_path: Path) -> None:
    project, ids = _survey_study(tmp_path / "both")
    with project:
        # An interview, every turn coded by people: its rows are exact human counts.
        turns = ["We never knew about the fee.", "The staff were kind.", "No idea who decides."]
        doc = Transcript(
            name="interview.txt",
            format="txt",
            checksum="interview",
            text="\n".join(turns),
            segments=[],
            language="en",
            participant="Ingrid",
        )
        offsets, start = [], 0
        for t in turns:
            offsets.append(Segment("Ingrid", "interviewee", t, start, start + len(t)))
            start += len(t) + 1
        doc.segments.extend(offsets)
        project.store.import_transcripts([doc], user="t", participant_pseudonym=numbered)
        seg = project.segments(document="interview.txt")["segment"].tolist()
        for s, code in zip(seg, [GAPS, NEEDS, GAPS], strict=True):
            project.code(int(s), code, coder="anna")
        # The interview's segments are coded, so the predictions still cover every segment.
        frame = project.prevalence(level="segment", n_boot=50)
        assert frame["source"].tolist() == ["interviews", "survey"]
        interviews = frame.iloc[0]
        assert interviews["method"] == "human"
        assert interviews["estimate"] == pytest.approx(2 / 3)
        assert (interviews["n_human"], interviews["n_estimated"]) == (3, 0)
        assert frame.iloc[1]["estimate"] == pytest.approx(0.4)
        assert interviews["note"] == "every segment is coded by people"
        people = project.prevalence(source="interviews", n_boot=50).iloc[0]
        assert (people["estimate"], people["n_human"]) == (1.0, 1)
        swedish = project.prevalence(source="interviews", n_boot=50, lang="sv").iloc[0]
        assert swedish["note"] == "alla deltagare är kodade av människor"
        assert swedish["label"] == "Vad vet man vanligen minst om?"


@pytest.mark.parametrize(
    ("note", "swedish"),
    [
        (
            "pacc undefined: the model does not separate the code (tpr - fpr = -0.02); "
            "the share among the coded items instead",
            "pacc går inte att använda: modellen skiljer inte ut koden (tpr - fpr = -0.02); "
            "i stället andelen bland de kodade",
        ),
        (
            "emq undefined: no calibration item has the code; uncorrected pcc",
            "emq går inte att använda: inget kalibreringsexempel har koden; okorrigerad pcc",
        ),
        (
            "pacc undefined for participants (no fully coded participants): segment "
            "probabilities combined as if independent; the interval spans any dependence",
            "pacc går inte att använda för deltagare (inga helt kodade deltagare): segmentens "
            "sannolikheter kombinerade som om de vore oberoende; intervallet täcker alla "
            "beroenden",
        ),
        ("something new", "something new"),
    ],
)
def test_prevalence_notes_in_swedish(note: str, swedish: str) -> None:
    assert _predictions.note_text(note, "sv") == swedish


def test_prevalence_refuses_segments_newer_than_the_predictions(
    survey: tuple[workbench.Project, list[int]],
) -> None:
    project, _ = survey
    text = "A late answer."
    late = Transcript(
        name="survey.csv#999",
        format="csv",
        checksum="late",
        text=text,
        segments=[Segment(None, "interviewee", text, 0, len(text))],  # type: ignore[arg-type]
        language="en",
        participant="R999",
    )
    project.store.import_transcripts([late], user="t", participant_pseudonym=numbered)
    with pytest.raises(SuggestError, match="1 segment\\(s\\) were imported after the predictions"):
        project.prevalence()


def test_validation_sample_is_stratified_weighted_and_feeds_back(
    survey: tuple[workbench.Project, list[int]],
) -> None:
    project, ids = survey
    assert project.validate(sample=20, seed=0) == 20
    queue = project.store.queue_frame(purpose=QueuePurpose.VALIDATION)
    assert len(queue) == 20 and set(queue["status"]) == {"open"}
    assert set(queue["code"]) == {GAPS}
    # Three strata of the one code: 25 at 0.1, 25 at 0.7, 50 at 0.9; 20 spread 7, 7, 6.
    strata = queue.groupby("confidence").agg(n=("id", "size"), weight=("weight", "first"))
    assert strata["n"].to_dict() == {0.1: 7, 0.7: 7, 0.9: 6}
    assert strata["weight"].to_dict() == pytest.approx({0.1: 25 / 7, 0.7: 25 / 7, 0.9: 50 / 6})
    index = {s: i for i, s in enumerate(ids)}
    for item, segment in zip(queue["id"], queue["segment"], strict=True):
        truth = _has_code(index[int(segment)])
        project.store.review_suggestion(int(item), "accepted" if truth else "rejected", user="z")
    # Precision of the suggestions (>= 0.5): 6 accepted at 0.9 stand for 50, 7 rejected at
    # 0.7 for 25: 50 / 75, as among all uncoded answers.
    table = project.precision()
    row = table.iloc[0]
    assert (row["code"], row["n"], row["accepted"]) == (GAPS, 13, 6)
    assert row["precision"] == pytest.approx(50 / 75)
    n_eff = 75**2 / (6 * (50 / 6) ** 2 + 7 * (25 / 7) ** 2)
    from workbench.suggest import wilson_interval

    low, high = wilson_interval(50 / 75 * n_eff, n_eff)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high))
    # The decisions feed back: 20 more known cells, and with them in the calibration
    # (weights 10 / 5 / 5 in all) PACC on the other 80 gives (0.675 - 0.4) / 0.5 = 0.55:
    # (30 + 6 + 44) / 200, the truth again.
    after = project.prevalence(level="segment", n_boot=100).iloc[0]
    assert (after["n_human"], after["n_estimated"]) == (120, 80)
    assert after["estimate"] == pytest.approx(0.4)
    evidence = _predictions.decisions(project)
    assert evidence["weight"].sum() == pytest.approx(20)
    by_band = evidence.groupby("probability")["weight"].sum()
    assert by_band.to_dict() == pytest.approx({0.1: 5, 0.7: 5, 0.9: 10})


def test_validation_partial_decisions_stand_for_their_stratum(
    survey: tuple[workbench.Project, list[int]],
) -> None:
    project, ids = survey
    project.validate(sample=20, seed=0)
    queue = project.store.queue_frame(purpose=QueuePurpose.VALIDATION)
    index = {s: i for i, s in enumerate(ids)}
    sure = queue[queue["confidence"] == 0.9].head(3)
    unsure = queue[queue["confidence"] == 0.7]
    for frame in (sure, unsure):
        for item, segment in zip(frame["id"], frame["segment"], strict=True):
            ok = _has_code(index[int(segment)])
            project.store.review_suggestion(int(item), "accepted" if ok else "rejected", user="z")
    # 3 of 6 decided at 0.9: each now stands for 50 / 3; the precision is the same 50 / 75.
    assert project.precision().iloc[0]["precision"] == pytest.approx(50 / 75)
    # A second draw adds new items only and keeps the first draw's decisions.
    assert project.validate(sample=10, seed=1) == 10
    again = project.store.queue_frame(purpose=QueuePurpose.VALIDATION)
    assert len(again) == 30 and again["created_at"].nunique() == 2
    assert (again["status"] != "open").sum() == 10


def test_validation_decisions_on_review_items_are_known_but_calibrate_nothing(
    survey: tuple[workbench.Project, list[int]],
) -> None:
    project, ids = survey
    project.store.queue_suggestions(
        [{"segment_id": ids[150], "code_id": GAPS, "confidence": 0.7, "reason": ""}], user="t"
    )
    item = int(project.store.queue_frame()["id"].iloc[0])
    project.store.review_suggestion(item, "rejected", user="erik")
    evidence = _predictions.decisions(project)
    assert evidence[["segment", "accepted", "purpose", "weight"]].values.tolist() == [
        [ids[150], False, "review", 0.0]
    ]
    row = project.prevalence(level="segment", n_boot=0).iloc[0]
    assert (row["n_human"], row["n_estimated"]) == (101, 99)
    # The calibration is unchanged; the one known negative leaves 49 at 0.7 ... on 99 items.
    pcc = (50 * 0.9 + 24 * 0.7 + 25 * 0.1) / 99
    assert row["estimate"] == pytest.approx((30 + 99 * (pcc - 0.4) / 0.5) / 200)
    with pytest.raises(SuggestError, match="no validation decisions yet"):
        project.precision()


def test_validate_refuses_a_sample_of_nothing(survey: tuple[workbench.Project, list[int]]) -> None:
    project, _ = survey
    with pytest.raises(SuggestError, match="--sample must be 1 or more"):
        project.validate(sample=0)
    assert project.validate(sample=1000) == 100
    with pytest.raises(SuggestError, match="every prediction has been drawn"):
        project.validate(sample=5)
