"""Fixtures for the exchange tests: a small project with two coders, memos and attributes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from _helpers import transcript

import workbench
from workbench.codebook import Code, Codebook, CodeSet
from workbench.ingest import Transcript
from workbench.project._project import Project

BOOK = Codebook(
    id="test-book",
    title={"en": "Test", "sv": "Test"},
    codes=(
        Code(
            id="process", label={"en": "Process", "sv": "Process"}, codable=False, color="#112233"
        ),
        Code(
            id="queue",
            label={"en": "Queue", "sv": "Kö"},
            parent="process",
            color="#AA0000",
            definition={"en": "Waiting in line.", "sv": "Att vänta i kö."},
        ),
        Code(id="app", label={"en": "App", "sv": "App"}, parent="process", color="#00AA00"),
        Code(id="trust", label={"en": "Trust", "sv": "Förtroende"}, color="#0000AA"),
    ),
    sets=(CodeSet(id="core", name="Core", description="Main codes", members=("queue", "trust")),),
)


def interview(name: str, turns: list[tuple[str, str]], participant: str) -> Transcript:
    """A Swedish transcript of ``(speaker, words)`` turns; speaker ``I`` is the interviewer."""
    roles = [(who, "interviewer" if who == "I" else "interviewee", w) for who, w in turns]
    return transcript(name, roles, language="sv", participant=participant, checksum=f"sum-{name}")


def build_project(folder: Path) -> Project:
    project = workbench.init(folder, codebook=BOOK)
    docs = [
        interview(
            "anna.txt",
            [
                ("I", "Hur började dagen?"),
                ("P01", "Jag stod i kö på vårdcentralen 😀 i en timme, så går det."),
                ("I", "Och appen?"),
                ("P01", "Appen 👍🏽 visade fel tid. Då litar jag inte på den."),
            ],
            "P01",
        ),
        interview(
            "bo.txt",
            [("I", "How was it?"), ("P02", "The queue was short.\nThe app worked well.")],
            "P02",
        ),
    ]
    project.store.import_transcripts(
        docs,
        user="lead",
        participant_pseudonym=lambda label, known: label,
        attributes=[(2, "P01", {"age": "34", "city": "Åbo"}), (3, "P02", {"age": "51"})],
    )
    segs = project.segments()
    by = {(r.document, r.position): r for r in segs.itertuples()}
    s1, s3, s5 = by[("anna.txt", 1)], by[("anna.txt", 3)], by[("bo.txt", 1)]
    project.code(int(s1.segment), "queue", coder="alice")  # whole segment
    project.code(int(s1.segment), "queue", coder="bob")
    start = int(s3.start) + s3.text.index("litar")
    project.code(int(s3.segment), "trust", coder="alice", start=start, end=start + 16)
    project.code(int(s3.segment), "app", coder="bob", start=int(s3.start), end=int(s3.start) + 9)
    project.code(int(s5.segment), "app", coder="alice", start=int(s5.start) + 21, end=int(s5.end))
    project.memo("segment", int(s1.segment), "Köer återkommer – viktigt.", coder="alice")
    project.memo("document", int(s5.document_id), "Short interview.", coder="bob")
    project.memo("code", "trust", "Trust needs a definition.", coder="alice")
    project.memo("project", "project", "Pilot study memo.", coder="bob")
    return project


@pytest.fixture
def study(tmp_path: Path) -> Iterator[Project]:
    project = build_project(tmp_path / "study")
    yield project
    project.close()
