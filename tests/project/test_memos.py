"""``p.memos()`` on a hand-made study: every memo (segment, document, code, journal) once, what
it is on in words, its author and time, newest first; the numbers are counted by hand below."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from _helpers import numbered, transcript

import workbench
from workbench.codebook import Code, Codebook
from workbench.project import _memos
from workbench.project._project import Project
from workbench.store import _store

BOOK = Codebook(
    id="memos",
    title={"en": "Memos"},
    codes=(
        Code(id="process", label={"en": "Process", "sv": "Process"}, codable=False),
        Code(id="needs", label={"en": "Needs", "sv": "Behov"}, parent="process"),
        Code(id="gap", label={"en": "Information gap", "sv": "Kunskapslucka"}),
    ),
)
DOCS = {
    "a.txt": [
        ("Interviewer", "interviewer", "Vad behöver du?"),
        ("Åsa", "interviewee", "Jag behöver veta när bussen går."),
        ("Interviewer", "interviewer", "Och sedan?"),
        ("Åsa", "interviewee", "Ingen svarar i telefon."),
    ],
    "b.txt": [("Bo", "interviewee", "Vi saknar information om reglerna.")],
}


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every write one second after the last, so that "newest first" is exact."""
    ticks = itertools.count()
    start = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(
        _store,
        "now",
        lambda: (start + dt.timedelta(seconds=next(ticks))).isoformat(timespec="milliseconds"),
    )
    yield


@pytest.fixture
def study(tmp_path: Path, clock: None) -> Iterator[Project]:
    project = workbench.init(tmp_path / "study", codebook=BOOK)
    project.store.import_transcripts(
        [
            transcript(name, turns, language="sv", participant=turns[-1][0])
            for name, turns in DOCS.items()
        ],
        user="t",
        participant_pseudonym=numbered,
    )
    yield project
    project.close()


def _ids(p: Project) -> tuple[dict[tuple[str, int], int], dict[str, int]]:
    segs = p.segments()
    turns = {
        (str(d), int(pos)): int(s)
        for d, pos, s in zip(segs["document"], segs["position"], segs["segment"], strict=True)
    }
    docs = {
        str(n): int(i)
        for n, i in zip(p.documents["document"], p.documents["document_id"], strict=True)
    }
    return turns, docs


def test_memos_every_kind_once_newest_first(study: Project) -> None:
    turns, docs = _ids(study)
    asa = turns[("a.txt", 1)]
    study.memo("segment", asa, "Bussen: en informationslucka?", coder="anna")  # 08:00:.. first
    study.memo("segment", asa, "Håller med", coder="erik")
    study.memo("document", docs["b.txt"], "Kort intervju", coder="anna")
    study.memo("code", "needs", "Behov som uttalas, inte önskemål", coder="anna")
    study.memo("project", "2026-11-29", "Kodade a.txt", coder="anna")
    study.memo("project", "2026-11-30", "Kodade b.txt", coder="erik")
    study.memo("project", "project", "Importerad anteckning", coder="anna")
    study.memo("segment", turns[("a.txt", 3)], "Telefon", coder="anna")
    study.memo("segment", turns[("a.txt", 3)], "", coder="anna")  # cleared: no memo any more
    study.memo("segment", asa, "Bussen: en informationslucka.", coder="anna")  # edited last

    frame = study.memos()
    assert list(frame.columns) == _memos.COLUMNS
    assert len(frame) == 7
    assert frame["kind"].value_counts().to_dict() == {
        "segment": 2,
        "project": 3,
        "document": 1,
        "code": 1,
    }
    assert frame[["kind", "on", "author", "text"]].values.tolist() == [
        ["segment", "a.txt · turn 2", "anna", "Bussen: en informationslucka."],
        ["project", "The project", "anna", "Importerad anteckning"],
        ["project", "Project journal, 2026-11-30", "erik", "Kodade b.txt"],
        ["project", "Project journal, 2026-11-29", "anna", "Kodade a.txt"],
        ["code", "Needs", "anna", "Behov som uttalas, inte önskemål"],
        ["document", "b.txt", "anna", "Kort intervju"],
        ["segment", "a.txt · turn 2", "erik", "Håller med"],
    ]
    assert frame["target"].tolist()[0] == str(asa)
    assert frame["target"].tolist()[3:6] == ["2026-11-29", "needs", str(docs["b.txt"])]
    # every write a second after the last: strictly newest first, the edit on top
    times = [dt.datetime.fromisoformat(v) for v in frame["updated_at"]]
    assert all(a > b for a, b in itertools.pairwise(times))
    assert all(t.date() == dt.date(2026, 11, 30) for t in times)


def test_memos_on_in_swedish(study: Project) -> None:
    turns, docs = _ids(study)
    study.memo("segment", turns[("a.txt", 3)], "Telefon", coder="anna")
    study.memo("code", "gap", "Vad de inte fick veta", coder="anna")
    study.memo("project", "2026-11-30", "Dag ett", coder="anna")
    study.memo("project", "project", "Import", coder="anna")
    frame = _memos.memos_frame(study, lang="sv")
    assert frame["on"].tolist() == [
        "Projektet",
        "Projektdagbok, 2026-11-30",
        "Kunskapslucka",
        "a.txt · replik 4",
    ]


def test_memos_empty_project_has_the_columns(study: Project) -> None:
    frame = study.memos()
    assert frame.empty and list(frame.columns) == _memos.COLUMNS


def test_memos_journal_target_is_the_day() -> None:
    assert _memos.journal_target(dt.date(2026, 11, 30)) == "2026-11-30"
    assert _memos.journal_target() == dt.date.today().isoformat()
    assert _memos.journal_day("2026-11-30") == dt.date(2026, 11, 30)
    assert _memos.journal_day("project") is None
