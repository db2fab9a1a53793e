"""Suggestions inside a project: fit, store, refit on codebook change, review queue, tagger."""

from __future__ import annotations

from pathlib import Path

import pytest

import workbench
from workbench import _suggestions
from workbench.codebook import rename_code
from workbench.errors import SuggestError
from workbench.ingest._model import Segment, Transcript

TEXTS = {
    "fq-accessibility": [
        "I called three times and nobody answered the phone.",
        "Nobody picks up the phone, you wait in the queue for ages.",
        "The phone line is only open one hour a day, impossible to reach them.",
    ],
    "bp-information-gaps": [
        "I had no idea how the fee was calculated.",
        "We did not know how to appeal the decision.",
        "Nobody told us which rules apply to a food truck.",
    ],
}


@pytest.fixture
def project(tmp_path: Path) -> workbench.Project:
    p = workbench.init(tmp_path / "s")
    texts = [t for group in TEXTS.values() for t in group] + ["We open at seven every day."]
    body = "\n\n".join(f"P01: {t}" for t in texts)
    segs, pos = [], 0
    for t in texts:
        start = body.index(t, pos)
        segs.append(Segment("P01", "interviewee", t, start, start + len(t)))
        pos = start + len(t)
    p.store.import_transcripts(
        [Transcript("a.txt", "txt", "x", body, segs, "en", participant="P01")],
        user="t",
        participant_pseudonym=lambda label, known: "P01",
    )
    frame = p.segments()
    for code, group in TEXTS.items():
        for text in group[:2]:
            sid = int(frame.loc[frame["text"] == text, "segment"].iloc[0])
            p.code(sid, code, coder="anna")
    yield p
    p.close()


def test_suggestions_fit_store_and_load(project: workbench.Project) -> None:
    model = _suggestions.fit(project)
    loaded = _suggestions.load(project, refit=False)
    assert loaded is not None
    text = TEXTS["fq-accessibility"][2]
    assert loaded.suggest(text, k=1)[0].code == model.suggest(text, k=1)[0].code
    assert loaded.suggest(text, k=1)[0].code == "fq-accessibility"


def test_suggestions_codebook_change_needs_refit(project: workbench.Project) -> None:
    _suggestions.fit(project)
    project.set_codebook(rename_code(project.codebook, "bp-needs", "Needs (renamed)"))
    assert _suggestions.load(project, refit=False) is None
    assert _suggestions.load(project) is not None  # refitted for the new codebook
    assert _suggestions.load(project, refit=False) is not None


def test_suggestions_apply_fills_queue_without_codings(project: workbench.Project) -> None:
    before = len(project.codings())
    queued = _suggestions.apply(project, min_confidence=0.05)
    queue = project.store.suggestion_queue_frame()
    assert queued == len(queue) > 0
    assert len(project.codings()) == before
    assert set(queue["segment"]) & set(project.codings()["segment"]) == set()


def test_suggestions_live_in_tagger_learn_from_new_codings(project: workbench.Project) -> None:
    tagger = project.tagger(coder="anna")
    live = tagger._suggest
    ranked = live(TEXTS["bp-information-gaps"][2])
    assert ranked and ranked[0][1] >= ranked[-1][1]
    assert ranked[0][2].startswith("because")
    frame = project.segments()
    sid = int(frame.loc[frame["text"] == TEXTS["fq-accessibility"][2], "segment"].iloc[0])
    project.code(sid, "fq-accessibility", coder="anna")
    live("anything")
    live._thread.join(timeout=30)
    assert live._known[sid] == ("fq-accessibility",)


def test_suggestions_report_needs_enough_codings(project: workbench.Project) -> None:
    with pytest.raises(SuggestError, match="coded segments"):
        _suggestions.report(project)
