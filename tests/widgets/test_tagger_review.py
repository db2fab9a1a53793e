"""The tagger's "Review suggestions" mode: walk the review queue, accept or reject items."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from _helpers import suggest_project
from sqlalchemy import select

from workbench.project import _suggestions
from workbench.project._project import Project
from workbench.store._schema import suggestion_queue
from workbench.widgets import Tagger


@pytest.fixture
def queued(tmp_path: Path) -> Iterator[Project]:
    """A project with two human-coded segments per code and a filled review queue."""
    p = suggest_project(tmp_path / "s")
    assert _suggestions.apply(p, min_confidence=0.05) > 0
    yield p
    p.close()


def statuses(project: Project) -> dict[int, str]:
    frame = project.store.suggestion_queue_frame(status=None)
    return {int(r.id): str(r.status) for r in frame.itertuples(index=False)}


def test_tagger_review_mode_walks_queue_order(queued: Project) -> None:
    tagger = Tagger(queued, coder="bo")
    normal = tagger.segment_ids
    queue = queued.store.suggestion_queue_frame()
    tagger.handle({"type": "review_mode", "on": True})
    assert tagger.review
    assert tagger.segment_ids == list(dict.fromkeys(int(s) for s in queue["segment"]))
    assert tagger.progress["review_open"] == len(queue)
    first = queue[queue["segment"] == tagger.segment_id]
    shown = tagger.suggestions
    assert [s["item"] for s in shown] == [int(i) for i in first["id"]]
    assert {"code", "confidence", "reason"} <= set(shown[0])
    tagger.handle({"type": "review_mode", "on": False})
    assert not tagger.review and tagger.segment_ids == normal
    assert "review_open" not in tagger.progress


def test_tagger_review_accept_codes_as_suggestion_reject_does_not(queued: Project) -> None:
    tagger = Tagger(queued, coder="bo")
    tagger.session.set_review(True)
    open_before = tagger.progress["review_open"]
    sid = tagger.segment_id
    item = tagger.suggestions[0]
    tagger.handle({"type": "review", "item": item["item"], "decision": "accepted"})
    bo = queued.codings("bo")
    assert [(int(r.segment), r.code, r.origin) for r in bo.itertuples(index=False)] == [
        (sid, item["code"], "suggestion")
    ]
    assert tagger.segment["on"] == [item["code"]] and tagger.status["state"] == "saved"
    assert statuses(queued)[item["item"]] == "accepted"
    assert tagger.progress["review_open"] == open_before - 1
    assert tagger.progress["coded"] == 1
    assert item["item"] not in [s["item"] for s in tagger.suggestions]

    tagger.session.next()
    other = tagger.suggestions[0]
    tagger.handle({"type": "review", "item": other["item"], "decision": "rejected"})
    assert statuses(queued)[other["item"]] == "rejected"
    assert len(queued.codings("bo")) == 1  # no coding for a rejected item
    assert tagger.progress["review_open"] == open_before - 2
    actions = set(queued.store.audit_frame()["action"])
    assert {"suggestions.accepted", "suggestions.rejected"} <= actions


def test_tagger_review_key_accepts_top_item_and_bad_input_is_an_error(queued: Project) -> None:
    tagger = Tagger(queued, coder="bo")
    tagger.handle({"type": "review", "item": 1, "decision": "accepted"})
    assert tagger.status["state"] == "error" and "review mode is off" in tagger.status["text"]
    tagger.session.set_review(True)
    top = tagger.suggestions[0]
    tagger.handle({"type": "accept", "code": ""})  # the "=" key: the top queued item
    assert statuses(queued)[top["item"]] == "accepted"
    assert queued.codings("bo")["origin"].tolist() == ["suggestion"]
    tagger.handle({"type": "review", "item": top["item"], "decision": "rejected"})
    assert tagger.status["state"] == "error" and "is not open" in tagger.status["text"]
    tagger.handle({"type": "review", "item": top["item"], "decision": "maybe"})
    assert "'maybe'" in tagger.status["text"]
    assert statuses(queued)[top["item"]] == "accepted"


def test_tagger_review_empty_queue_and_filter_leaves_mode(queued: Project) -> None:
    tagger = Tagger(queued, coder="bo")
    tagger.session.set_review(True)
    for item in queued.store.suggestion_queue_frame()["id"]:
        queued.store.review_suggestion(int(item), "rejected", user="t")
    tagger.session.refresh()  # re-reads the queue: nothing open
    assert tagger.suggestions == [] and tagger.progress["review_open"] == 0
    tagger.session.set_review(True)
    assert tagger.segment_ids == [] and tagger.segment["empty"]
    assert tagger.progress["review_open"] == 0 and tagger.suggestions == []
    tagger.session.set_filters(search="phone")
    assert not tagger.review and len(tagger.segment_ids) == 3
    assert len(queued.codings()) == 4  # only anna's human codings


def test_tagger_review_empty_queue_says_how_to_fill_it(queued: Project) -> None:
    """Without --coder: the queue belongs to the project; the hint names this study."""
    for item in queued.store.suggestion_queue_frame()["id"]:
        queued.store.review_suggestion(int(item), "rejected", user="t")
    tagger = Tagger(queued, coder="bo", lang="en")
    assert tagger.study == str(queued.path)
    tagger.handle({"type": "review_mode", "on": True})
    assert tagger.segment["empty"]
    assert tagger.segment["message"] == (
        f"The review queue is empty. Fill it from a terminal with "
        f"`workbench suggest apply {queued.path}`, then accept or reject each suggestion here."
    )
    assert "--coder" not in tagger.segment["message"]
    assert tagger.status["text"] == "The review queue is empty"
    tagger.handle({"type": "lang", "lang": "sv"})
    assert tagger.segment["message"].startswith("Granskningskön är tom.")
    assert f"`workbench suggest apply {queued.path}`" in tagger.segment["message"]


def test_tagger_review_the_reviewer_is_whoever_accepts(queued: Project) -> None:
    """Items queued by the project (no coder) are coded and audited as the tagger's coder."""
    for coder in ("bo", "cia"):
        tagger = Tagger(queued, coder=coder)
        tagger.session.set_review(True)
        tagger.handle({"type": "accept", "code": ""})
    audit = queued.store.audit_frame()
    decided = audit[audit["action"] == "suggestions.accepted"]["coder"].tolist()
    assert decided == ["bo", "cia"]
    codings = queued.codings()
    assert sorted(set(codings.loc[codings["origin"] == "suggestion", "coder"])) == ["bo", "cia"]
    with queued.store.engine.connect() as conn:
        reviewers = conn.execute(
            select(suggestion_queue.c.reviewer).where(suggestion_queue.c.status == "accepted")
        ).scalars()
        assert sorted(reviewers) == ["bo", "cia"]


def test_tagger_review_quoted_study_path(tmp_path: Path) -> None:
    """A folder with a space is quoted as a shell would need it."""
    p = suggest_project(tmp_path / "my study")
    try:
        assert Tagger(p, coder="bo").study == f"'{p.path}'"
    finally:
        p.close()
