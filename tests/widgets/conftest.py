"""A small study to code: two interviews, a three-code tree, texts with emoji and accents."""

from __future__ import annotations

from pathlib import Path

import pytest
from _helpers import numbered, transcript

import workbench
from workbench.codebook import Code, Codebook
from workbench.project._project import Project

BOOK = Codebook(
    id="t",
    title={"en": "Test"},
    codes=(
        Code(
            id="process", label={"en": "Process", "sv": "Process"}, codable=False, color="#555555"
        ),
        Code(
            id="needs",
            label={"en": "Needs", "sv": "Behov"},
            parent="process",
            color="#c0392b",
            shortcut="n",
            definition={"en": "What the user needs"},
            use_when={"en": "a need is named"},
        ),
        Code(
            id="trust",
            label={"en": "Trust", "sv": "Tillit"},
            parent="process",
            color="#2e86c1",
            shortcut="t",
        ),
        Code(
            id="gap",
            label={"en": "Information gap", "sv": "Informationsglapp"},
            color="#f1c40f",
            shortcut="shift+g",
        ),
    ),
)

TURNS = {
    "a.txt": [
        ("Interviewer", "interviewer", "What do you need?"),
        ("Anna", "interviewee", "Kaffe 👩‍🍳 och e\u0301n smörgås, tack."),
        ("Interviewer", "interviewer", "And then?"),
        ("Anna", "interviewee", "I trust the staff 😀 completely."),
        ("Anna", "interviewee", "Nobody told me when the bus leaves."),
    ],
    "b.txt": [
        ("Interviewer", "interviewer", "Tell me more."),
        ("Bo", "interviewee", "Å ä ö: waiting is the worst part."),
        ("Bo", "interviewee", "The app never says why."),
    ],
}


def build_study(
    folder: Path, turns: dict[str, list[tuple[str, str, str]]] | None = None
) -> Project:
    """Create a project in ``folder`` holding the test codebook and transcripts."""
    project = workbench.init(folder, codebook=BOOK)
    project.store.import_transcripts(
        [
            transcript(
                name,
                t,
                language="en",
                participant=next(who for who, role, _ in t if role == "interviewee"),
                attributes={"region": "north"},
                times=lambda i: (10.0 * i + 65, 10.0 * i + 70),
            )
            for name, t in (turns or TURNS).items()
        ],
        user="t",
        participant_pseudonym=numbered,
    )
    return project


@pytest.fixture
def study(tmp_path: Path) -> Project:
    project = build_study(tmp_path / "study")
    project.coder = "anna"
    return project


@pytest.fixture
def book() -> Codebook:
    return BOOK
