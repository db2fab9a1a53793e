"""The memo browser driven from Python: every memo listed in words, filters, the journal
entry written and read back, a segment memo opened in the tagger, Swedish."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterator

import pytest

from workbench.i18n import STRINGS
from workbench.project._project import Project
from workbench.store import _store
from workbench.widgets import MemoBrowser, Tagger
from workbench.widgets._memo_browser import MemoSession, local_time, strings


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every write a second after the last (today), so that "newest first" is exact."""
    ticks = itertools.count()
    start = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    monkeypatch.setattr(
        _store,
        "now",
        lambda: (start + dt.timedelta(seconds=next(ticks))).isoformat(timespec="milliseconds"),
    )
    yield


def _memos(study: Project) -> list[int]:
    ids = [int(s) for s in study.segments(role="interviewee")["segment"]]
    doc_b = int(study.documents["document_id"].iloc[1])
    study.memo("segment", ids[0], "Kaffe och smörgås: ett behov?", coder="anna")
    study.memo("segment", ids[3], "Waiting again", coder="erik")
    study.memo("document", doc_b, "Short interview, Bo was in a hurry", coder="anna")
    study.memo("code", "trust", "Trust in people, not in the app", coder="erik")
    study.memo("project", "2026-11-02", "Started coding a.txt", coder="anna")
    return ids


def test_memo_browser_lists_every_memo_in_words(study: Project) -> None:
    _memos(study)
    browser = MemoBrowser(study, author="anna")
    cards = browser.memos
    assert [(c["kind"], c["on"], c["author"]) for c in cards] == [
        ("project", "Project journal, 2026-11-02", "anna"),
        ("code", "Trust", "erik"),
        ("document", "b.txt", "anna"),
        ("segment", "b.txt · turn 2", "erik"),
        ("segment", "a.txt · turn 2", "anna"),
    ]
    assert cards[-1]["text"] == "Kaffe och smörgås: ett behov?"
    assert [c["kind_label"] for c in cards] == ["Journal", "Code", "Document", "Segment", "Segment"]
    assert [c["segment"] is not None for c in cards] == [False, False, False, True, True]
    assert all(len(c["updated"]) == len("2026-11-30 09:12") for c in cards)
    assert browser.panel.total == browser.panel.count == 5
    authors = [o["value"] for o in browser.panel.options["authors"]]
    assert authors == ["anna", "erik"]


def test_memo_browser_filters_by_kind_author_and_word(study: Project) -> None:
    _memos(study)
    browser = MemoBrowser(study, author="anna")
    browser.handle({"type": "filter", "kind": "segment"})
    assert [c["on"] for c in browser.memos] == ["b.txt · turn 2", "a.txt · turn 2"]
    browser.handle({"type": "filter", "author": "erik"})
    assert [c["text"] for c in browser.memos] == ["Waiting again"]
    browser.handle({"type": "filter", "kind": "", "author": "", "word": "SMÖRGÅS"})
    [card] = browser.memos
    assert card["marks"] == [[10, 17]] and card["text"][10:17] == "smörgås"
    browser.handle({"type": "filter", "word": "smorgas"})  # accents matter: ö is not o
    assert browser.memos == [] and browser.panel.count == 0 and browser.panel.total == 5
    browser.handle({"type": "filter", "word": "b.txt"})  # what a memo is on counts too
    assert {c["kind"] for c in browser.memos} == {"document", "segment"}
    browser.handle({"type": "filter", "kind": "nonsense"})
    assert browser.panel.status["state"] == "error" and "'nonsense'" in browser.panel.status["text"]
    assert browser.session.filters["kind"] == ""


def test_memo_browser_journal_written_audited_and_read_back(study: Project) -> None:
    browser = MemoBrowser(study, author="anna")
    today = dt.date.today().isoformat()
    assert browser.journal == {"date": today, "author": "anna", "text": "", "seq": 1}
    browser.handle({"type": "journal", "date": today, "text": "Kodade a.txt"})
    assert study.memo("project", today, coder="anna") == "Kodade a.txt"
    assert browser.journal["text"] == "Kodade a.txt"
    assert browser.panel.status["state"] == "saved"
    assert browser.memos[0]["on"] == f"Project journal, {today}"
    browser.handle({"type": "journal", "date": today, "text": "Kodade a.txt och b.txt"})

    again = MemoBrowser(study, author="anna")  # a new view (a reload) shows the stored entry
    assert again.journal["text"] == "Kodade a.txt och b.txt"
    audit = study.store.audit_frame("anna")
    versions = [
        json.loads(p)["new"]
        for a, p in zip(audit["action"], audit["payload"], strict=True)
        if a == "memo.set"
    ]
    assert versions == ["Kodade a.txt", "Kodade a.txt och b.txt"]
    assert MemoBrowser(study, author="erik").journal["text"] == ""  # one journal per author

    browser.handle({"type": "journal", "date": "yesterday", "text": "x"})
    assert (
        browser.panel.status["state"] == "error" and "'yesterday'" in browser.panel.status["text"]
    )
    assert len(study.memos()) == 1


def test_memo_browser_opens_a_segment_memo_in_the_tagger(study: Project) -> None:
    ids = _memos(study)
    browser = MemoBrowser(study, author="anna")
    assert browser.tagger is None and browser.tagger_box.children == ()
    tagger = browser.handle({"type": "open", "segment": ids[3]}) or browser.tagger
    assert isinstance(tagger, Tagger) and browser.tagger_box.children == (tagger,)
    assert tagger.segment_id == ids[3] and tagger.coder == "anna"
    assert browser.panel.status["text"] == "Opened b.txt · turn 2 in the tagger"
    browser.handle({"type": "open", "segment": ids[0]})
    assert browser.tagger is tagger and tagger.segment_id == ids[0]
    browser.handle({"type": "open", "segment": 99999})
    assert browser.panel.status["state"] == "error"

    # a memo written in the tagger shows in the list at once
    tagger.handle({"type": "memo", "kind": "segment", "text": "Nytt memo", "target": ids[0]})
    assert browser.memos[0]["text"] == "Nytt memo"


def test_memo_browser_uses_a_given_tagger(study: Project) -> None:
    ids = _memos(study)
    tagger = Tagger(study, coder="erik", lang="en")
    browser = MemoBrowser(study, author="anna", tagger=tagger)
    browser.open_segment(ids[3])
    assert tagger.segment_id == ids[3] and browser.tagger_box.children == ()


def test_memo_browser_in_swedish(study: Project) -> None:
    _memos(study)
    browser = study.memo_browser(lang="sv", author="anna")
    assert isinstance(browser, MemoBrowser)
    assert [c["on"] for c in browser.memos][:2] == ["Projektdagbok, 2026-11-02", "Tillit"]
    assert browser.memos[-1]["on"] == "a.txt · replik 2"
    assert [c["kind_label"] for c in browser.memos][:3] == ["Dagbok", "Kod", "Dokument"]
    assert browser.panel.strings["journal"] == "Projektdagbok"
    assert browser.panel.strings["open"] == "Öppna i taggaren"
    browser.handle({"type": "lang", "lang": "en"})
    assert browser.panel.strings["open"] == "Open in the tagger"
    assert browser.memos[1]["on"] == "Trust"
    with pytest.raises(Exception, match="language 'de'"):
        MemoSession(study, lang="de")


def test_memo_browser_strings_and_times() -> None:
    assert set(strings("sv")) == set(strings("en"))
    assert all(strings("sv")[k] for k in strings("sv"))
    assert {k for k in STRINGS["en"] if k.startswith("memo.")} == {
        f"memo.{k}" for k in strings("en")
    }
    stamp = "2026-11-30T08:05:00.000+00:00"
    local = dt.datetime.fromisoformat(stamp).astimezone()
    assert local_time(stamp) == local.strftime("%Y-%m-%d %H:%M")
    assert local_time("garbage") == "garbage"


def test_memo_browser_refresh_reads_what_was_written_elsewhere(study: Project) -> None:
    browser = MemoBrowser(study, author="anna")
    today = dt.date.today().isoformat()
    study.memo("project", today, "Skrivet i en annan flik", coder="anna")
    study.memo("code", "gap", "Från taggaren", coder="anna")
    assert browser.journal["text"] == "" and browser.memos == []
    browser.handle({"type": "refresh"})
    assert browser.journal == {
        "date": today,
        "author": "anna",
        "text": "Skrivet i en annan flik",
        "seq": 2,
    }
    assert [c["kind"] for c in browser.memos] == ["code", "project"]
