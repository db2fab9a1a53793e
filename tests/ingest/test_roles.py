from __future__ import annotations

import pytest

from workbench.ingest import Turn, detect_language, detect_roles, read


@pytest.mark.parametrize(
    "label",
    [
        "I",
        "Q",
        "Int",
        "intervjuare",
        "Interviewer",
        "MODERATOR",
        "Facilitator",
        "Researcher",
        "Forskare",
        "I2",
    ],
)
def test_detect_roles_interviewer_labels(label: str) -> None:
    turns = [Turn(label, "Hej."), Turn("Anna", "Hur?"), Turn("Bo", "Ja?")]
    assert detect_roles(turns) == {label: "interviewer", "Anna": "interviewee", "Bo": "interviewee"}


def test_detect_roles_named_interviewer() -> None:
    turns = [Turn("Eva", "Hej."), Turn("Anna", "Hur?"), Turn("Bo", "Ja?")]
    assert detect_roles(turns, interviewers=["eva"])["Eva"] == "interviewer"


def test_detect_roles_two_speakers_question_asker_is_interviewer() -> None:
    turns = [
        Turn("Anna", "Hur började det?"),
        Turn("Bo", "Det var länge sedan, kanske tio år sedan, vi hade ingen aning."),
        Turn("Anna", "Och sedan?"),
        Turn("Bo", "Sedan gick det bättre. Eller hur?"),
    ]
    assert detect_roles(turns) == {"Anna": "interviewer", "Bo": "interviewee"}


def test_detect_roles_two_speakers_tie_fewer_words_is_interviewer() -> None:
    turns = [Turn("Anna", "Berätta."), Turn("Bo", "Det var så här att vi började med kaffe.")]
    assert detect_roles(turns) == {"Anna": "interviewer", "Bo": "interviewee"}


def test_detect_roles_three_speakers_without_labels_are_interviewees() -> None:
    turns = [Turn("A1", "x?"), Turn("B1", "y"), Turn("C1", "z")]
    assert set(detect_roles(turns).values()) == {"interviewee"}


def test_read_participant_is_interviewee_with_most_words(write) -> None:
    text = "I: Hej?\nAnna: Ja.\nBo: Ja, jag har mycket mer att säga om det här.\nI: Okej?"
    [doc] = read(write("g.txt", text))
    assert doc.participant == "Bo"


def test_read_without_speakers_has_no_participant(write) -> None:
    [doc] = read(write("n.txt", "Bara text utan talare."))
    assert doc.participant is None
    assert doc.segments[0].role == "interviewee"


def test_detect_language() -> None:
    assert detect_language("Jag tycker att det är bra och vi har inte så mycket tid.") == "sv"
    assert detect_language("I think that it is fine and we have not much time.") == "en"


def test_read_language_given_wins(write) -> None:
    [doc] = read(write("l.txt", "I think that it is fine."), language="sv")
    assert doc.language == "sv"
