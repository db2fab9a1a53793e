"""What the workspace's widgets share in one kernel: the researcher's tagger (views open turns
in it, not in a second tagger under another coder), memo browsers told of new memos, and the
transcripts' text version (a redaction under an open widget makes it reload, not write)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import workbench
from workbench.project._project import Project
from workbench.widgets import DocumentView, MemoBrowser, QueryView, Tagger, TextChanged
from workbench.widgets._shared import counted, live_tagger, tagger_for, text_version

STORY = (
    "Intervjuare: Hej, berätta om kontrollen.\n\n"
    "Anna Berg: Inspektören Göran Ahlström kom i tisdags. Göran var trevlig men "
    "avgiften förstod jag inte.\n\n"
    "Intervjuare: Vem ringde du?\n\n"
    "Anna Berg: Jag ringde Göran två gånger, sen Maja.\n"
)


@pytest.fixture
def named(tmp_path: Path) -> Project:
    """A pseudonymised Swedish interview that still names people in its text."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "intervju.txt").write_text(STORY, encoding="utf-8")
    project = workbench.init(tmp_path / "study")
    project.coder = "root"
    project.import_files([tmp_path / "in" / "intervju.txt"], pseudonymise=True)
    return project


def _goto(tagger: Tagger, words: str) -> None:
    """Move ``tagger`` to the turn holding ``words``."""
    for _ in range(10):
        if words in tagger.segment["text"]:
            return
        tagger.handle({"type": "next"})
    raise AssertionError(words)


# -- the researcher's tagger --------------------------------------------------------------------
def test_shared_views_open_turns_in_the_researchers_tagger(study: Project) -> None:
    study.coder = "root"
    mine = Tagger(study, coder="lena", lang="sv")
    assert live_tagger(study) is mine
    segments = study.segments()
    sid = int(segments["segment"][segments["role"] == "interviewee"].iloc[-1])

    browser = MemoBrowser(study)
    assert browser.open_segment(sid) is mine and browser.tagger_box.children == ()
    assert mine.segment_id == sid and mine.coder == "lena" and mine.reveal_seq == 1

    view = DocumentView(study, "b.txt")
    first = int(view.payload.turns[1].segment)
    assert view.open_segment(first) is mine and view.children == (view.pane,)
    assert mine.segment_id == first and mine.reveal_seq == 2

    query = QueryView(study)
    assert query.open_in_tagger(sid) is mine and query.tagger_box.children == ()
    assert mine.segment_id == sid and mine.coder == "lena" and mine.lang == "sv"


def test_shared_closed_tagger_gives_a_new_one_as_the_views_coder(study: Project) -> None:
    Tagger(study, coder="lena", lang="sv").close()
    assert live_tagger(study) is None
    view = DocumentView(study, "a.txt", coder="erik", lang="en")
    tagger = view.open_segment(int(view.payload.turns[1].segment))
    assert tagger.coder == "erik" and tagger.lang == "en" and view.children == (view.pane, tagger)
    assert live_tagger(study) is tagger  # the next view opens its turns here
    found, made = tagger_for(study, coder="x", lang="sv")
    assert found is tagger and not made


def test_shared_new_code_from_the_tagger_is_the_taggers_coder(study: Project) -> None:
    study.coder = "root"
    tagger = Tagger(study, coder="lena", lang="sv")
    tagger.handle({"type": "new_code", "label": "Matbilar", "parent": "process"})
    versions = study.codebook_history()
    assert versions["author"].iloc[-1] == "lena"
    assert "matbilar" in study.codebook and tagger.segment["on"] == ["matbilar"]
    assert study.codings("lena")["code"].tolist() == ["matbilar"]
    assert study.coder == "root"  # the project itself still acts as its own coder


def test_shared_memo_written_in_the_tagger_shows_in_the_browser_at_once(study: Project) -> None:
    browser = MemoBrowser(study, author="anna", lang="en")
    tagger = Tagger(study, coder="anna", lang="en")  # made after the browser, not opened by it
    tagger.handle({"type": "memo", "kind": "segment", "text": "Syns direkt"})
    assert browser.memos[0]["text"] == "Syns direkt"
    tagger.handle({"type": "undo"})
    assert browser.memos == []


def test_shared_counted_uses_the_singular() -> None:
    assert counted("tg.search_hits", 1, "sv") == "1 träff"
    assert counted("tg.search_hits", 2, "sv") == "2 träffar"
    assert counted("tg.none_match", 1, "en") == "No segment matches"  # no singular: the key


# -- redacted under an open widget ------------------------------------------------------------
def test_shared_tagger_reloads_and_refuses_a_span_after_redaction(named: Project) -> None:
    tagger = Tagger(named, coder="lena", lang="sv")
    _goto(tagger, "Göran var trevlig")
    old = tagger.segment["text"]
    start = old.index("avgiften")
    version = text_version(named)

    named.redact(["Göran Ahlström", "Maja"])
    assert text_version(named) != version
    span = {"start": start, "end": start + len("avgiften")}  # offsets in the old text
    tagger.handle({"type": "toggle", "code": "bp-information-gaps", **span})
    assert named.codings().empty  # nothing landed on the wrong words
    assert tagger.status["state"] == "error"
    assert tagger.status["text"].startswith("Utskrifterna har ändrats (namn maskerade)")
    new = tagger.segment["text"]
    assert "Göran" not in new and "[Person 1] var trevlig" in new

    start = new.index("avgiften")  # selected again in the text on screen
    tagger.handle(
        {"type": "toggle", "code": "bp-information-gaps", "start": start, "end": start + 8}
    )
    assert list(named.codings()["quote"]) == ["avgiften"]


def test_shared_tagger_memo_box_cannot_write_the_names_back(named: Project) -> None:
    tagger = Tagger(named, coder="lena", lang="en")
    _goto(tagger, "Göran var trevlig")
    sid = tagger.segment_id
    tagger.handle({"type": "memo", "kind": "segment", "text": "Göran Ahlström is the inspector"})
    named.redact(["Göran Ahlström"])
    stored = named.memo("segment", sid, coder="lena")
    assert "Göran" not in stored
    tagger.handle(
        {"type": "memo", "kind": "segment", "target": sid, "text": "Göran Ahlström is the boss"}
    )
    assert named.memo("segment", sid, coder="lena") == stored
    assert tagger.segment["memo"] == stored  # the box shows the stored (redacted) memo
    assert "transcripts were changed" in tagger.status["text"]
    tagger.handle({"type": "memo", "kind": "segment", "target": sid, "text": "Now saved"})
    assert named.memo("segment", sid, coder="lena") == "Now saved"


def test_shared_memo_browser_journal_refused_after_redaction(named: Project) -> None:
    browser = MemoBrowser(named, author="lena", lang="en")
    today = dt.date.today().isoformat()
    browser.handle({"type": "journal", "date": today, "text": "Talked to Maja"})
    named.redact(["Maja"])
    browser.handle({"type": "journal", "date": today, "text": "Talked to Maja twice"})
    assert "Maja" not in named.memo("project", today, coder="lena")
    assert browser.panel.status["state"] == "error"
    assert "Maja" not in browser.journal["text"]
    browser.handle({"type": "journal", "date": today, "text": "Talked twice"})
    assert named.memo("project", today, coder="lena") == "Talked twice"


def test_shared_document_view_reads_the_turns_again_after_redaction(named: Project) -> None:
    name = str(named.documents["document"].iloc[0])
    view = DocumentView(named, name, coder="lena")
    turn = next(t for t in view.payload.turns if "Göran var" in t.text)
    named.redact(["Göran Ahlström"])
    tagger = view.open_segment(int(turn.segment))
    assert all("Göran" not in t["text"] for t in view.pane.turns)
    assert "Göran" not in tagger.segment["text"]
    assert view.pane.status["text"].startswith("Utskriften har ändrats (namn maskerade)")


def test_shared_text_changed_is_a_workbench_error() -> None:
    assert issubclass(TextChanged, workbench.errors.WorkbenchError)
