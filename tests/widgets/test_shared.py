"""What the workspace's widgets share in one kernel: the researcher's tagger (views open turns
in it, not in a second tagger under another coder), memo browsers told of new memos, and the
transcripts' text version (a redaction under an open widget makes it reload, not write)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from _helpers import NAMED_STORY, named_project

import workbench
from workbench.project._project import Project
from workbench.widgets import DocumentView, MatrixView, MemoBrowser, QueryView, Tagger, TextChanged
from workbench.widgets._shared import counted, live_tagger, tagger_for, text_version


@pytest.fixture
def named(tmp_path: Path) -> Project:
    """A pseudonymised Swedish interview that still names people in its text."""
    return named_project(tmp_path, coder="root")[0]


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
    # The essential first: a one-line status cut at the right still says nothing was saved.
    assert tagger.status["text"].startswith("Inget sparat: utskrifterna har ändrats")
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
    assert tagger.status["text"].startswith("Nothing saved: the transcripts were changed")
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
    assert browser.panel.status["text"].startswith("Not saved: the transcripts and memos")
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


@pytest.fixture
def placed(tmp_path: Path) -> Project:
    """As ``named``, the participant's area (an attribute) naming a village redacted later."""
    (tmp_path / "in").mkdir()
    story = NAMED_STORY.replace("kom i tisdags.", "kom i tisdags till Västerby.")
    (tmp_path / "in" / "intervju.txt").write_text(story, encoding="utf-8")
    (tmp_path / "people.csv").write_text("file,area\nintervju.txt,Västerby\n", encoding="utf-8")
    project = workbench.init(tmp_path / "study")
    project.coder = "root"
    project.import_files(
        [tmp_path / "in" / "intervju.txt"], attributes=tmp_path / "people.csv", pseudonymise=True
    )
    return project


def _code_words(project: Project, words: str, coder: str = "lena") -> None:
    turn = next(r for r in project.segments().itertuples() if words in str(r.text))
    at = int(turn.start) + str(turn.text).index(words)
    project.code(
        int(turn.segment), "bp-information-gaps", coder=coder, start=at, end=at + len(words)
    )


def _view_words(view: DocumentView) -> list[str]:
    """The coded words as the view highlights them: its turns' text at its codings' offsets."""
    return [view.pane.turns[c["turn"]]["text"][c["start"] : c["end"]] for c in view.pane.codings]


@pytest.mark.parametrize("how", ["refresh", "tagger_saved", "filter"])
def test_shared_document_view_every_refresh_reads_the_text_again(placed: Project, how: str) -> None:
    name = str(placed.documents["document"].iloc[0])
    _code_words(placed, "avgiften")
    view = DocumentView(placed, name, lang="sv")
    assert any("Västerby" in v for v in view.pane.document["attributes"].values())
    placed.redact(["Göran Ahlström", "Västerby"])
    _code_words(placed, "trevlig")  # offsets in the new text
    if how == "refresh":
        view.handle({"type": "refresh"})  # the "Läs om" button
    elif how == "tagger_saved":
        view._after_tagger({"new": {"state": "saved"}})
    else:
        view.pane.filters = {"layer": "lena", "code": ""}  # changed in the browser
    assert all("Göran" not in t["text"] and "Västerby" not in t["text"] for t in view.pane.turns)
    assert not any("Västerby" in v for v in view.pane.document["attributes"].values())
    assert set(_view_words(view)) == {"avgiften", "trevlig"}  # no highlight shifted
    assert view.pane.status["text"].startswith("Utskriften har ändrats (namn maskerade)")


def test_shared_query_view_reads_quotes_and_groups_again_after_redaction(
    placed: Project, tmp_path: Path
) -> None:
    _code_words(placed, "Göran var trevlig")
    view = QueryView(placed, lang="sv")
    view.handle({"type": "code", "code": "bp-information-gaps", "pick": "include"})
    view.handle({"type": "group", "attribute": "area", "value": "Västerby", "on": True})
    assert "Göran" in view.panel.results["rows"][0]["quote"]
    placed.redact(["Göran Ahlström", "Västerby"])
    view.handle({"type": "more"})  # a path that only showed what was held
    assert "Göran" not in str(view.panel.results) and "Västerby" not in str(view.panel.options)
    assert view.panel.status["text"].startswith("Utskrifterna har ändrats (namn maskerade)")
    assert view.session.groups == {"area": []}  # the redacted value is no group any more
    placed.redact(["Maja"])
    view.handle({"type": "refresh"})  # the Refresh button says it too
    assert view.panel.status["text"].startswith("Utskrifterna har ändrats (namn maskerade)")
    done = view.session.export(str(tmp_path / "citat.csv"))
    assert done is not None and "Göran" not in done.path.read_text(encoding="utf-8")


def test_shared_matrix_view_counts_again_after_redaction(placed: Project) -> None:
    _code_words(placed, "Göran var trevlig")
    view = MatrixView(placed, lang="sv")
    assert view.session.columns == "area" and "Västerby" in str(view.table)
    row = next(i for i, r in enumerate(view.table["rows"]) if r["code"] == "bp-information-gaps")
    view.handle({"type": "cell", "row": row, "column": 0})
    assert "Göran" in str(view.cell)
    placed.redact(["Göran Ahlström", "Västerby"])
    view.handle({"type": "more"})
    assert "Göran" not in str(view.cell) and "Västerby" not in str(view.table)
    assert view.status["text"].startswith("Utskrifterna har ändrats (namn maskerade)")


def test_shared_memo_browser_filter_reads_memos_again_after_redaction(named: Project) -> None:
    sid = int(named.segments()["segment"].iloc[1])
    named.memo("segment", sid, "Göran Ahlström är inspektören", coder="lena")
    browser = MemoBrowser(named, coder="lena", lang="sv")
    named.redact(["Göran Ahlström"])
    browser.handle({"type": "filter", "word": "inspektören"})
    assert "Göran" not in str(browser.memos) and len(browser.memos) == 1
    assert browser.panel.status["text"].startswith("Utskrifterna och memona har ändrats")


# -- who writes -------------------------------------------------------------------------------
def test_shared_views_write_as_the_coder_of_the_open_tagger(study: Project) -> None:
    study.coder = "root"  # the computer's login
    assert MemoBrowser(study).session.author == "root"  # no tagger open: the project's coder
    Tagger(study, coder="lena", lang="sv")
    browser = MemoBrowser(study)
    assert browser.journal["author"] == "lena"
    today = dt.date.today().isoformat()
    browser.handle({"type": "journal", "date": today, "text": "Kodade a.txt"})
    assert study.memo("project", today, coder="lena") == "Kodade a.txt"
    assert DocumentView(study, "a.txt").coder == "lena"
    assert MemoBrowser(study, coder="erik").journal["author"] == "erik"
    assert study.memo_browser(coder="erik").journal["author"] == "erik"
