from __future__ import annotations

import pytest

from workbench.errors import BadTimestamp
from workbench.ingest import read
from workbench.ingest._plain import parse_labelled_text

from .conftest import FIXTURES


def _speakers(text: str) -> list[tuple[str | None, str]]:
    return [(t.speaker, t.text) for t in parse_labelled_text(text, "t.txt")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Anna: Hej.\nBo: Hallå.", [("Anna", "Hej."), ("Bo", "Hallå.")]),
        ("[00:01:02] Anna: Hej.\n[00:01:05] Bo: Hallå.", [("Anna", "Hej."), ("Bo", "Hallå.")]),
        ("(00:01:02) Anna: Hej.\n(00:01:05) Bo: Hallå.", [("Anna", "Hej."), ("Bo", "Hallå.")]),
        ("00:01:02 Anna\nHej.\n\n00:01:05 Bo\nHallå.", [("Anna", "Hej."), ("Bo", "Hallå.")]),
        ("I: Hur gick det?\nR: Bra.", [("I", "Hur gick det?"), ("R", "Bra.")]),
        ("Intervjuare: Hur?\nIP1: Så.", [("Intervjuare", "Hur?"), ("IP1", "Så.")]),
        ("Q: Why?\nA: Because.", [("Q", "Why?"), ("A", "Because.")]),
        ("**Anna:** Hej.\n**Bo:** Hallå.", [("Anna", "Hej."), ("Bo", "Hallå.")]),
        (
            "Anna Svensson: Hej.\nBo von Ek: Hallå.",
            [("Anna Svensson", "Hej."), ("Bo von Ek", "Hallå.")],
        ),
        ("Anna Berg  0:17\nSo.\n\nSam  0:25\nYes.", [("Anna Berg", "So."), ("Sam", "Yes.")]),
    ],
)
def test_parse_labelled_text_label_styles(text: str, expected: list[tuple[str, str]]) -> None:
    assert _speakers(text) == expected


def test_parse_labelled_text_timestamps_become_seconds_and_end_at_next_turn() -> None:
    turns = parse_labelled_text("[1:02:03.5] I: A?\n[01:02:10] R: B.\n", "t.txt")
    assert [(t.start_time, t.end_time) for t in turns] == [(3723.5, 3730.0), (3730.0, None)]


def test_parse_labelled_text_mm_ss_timestamps() -> None:
    turns = parse_labelled_text("[01:05] I: A?\n[02:10,5] R: B.\n", "t.txt")
    assert [t.start_time for t in turns] == [65.0, 130.5]


def test_parse_labelled_text_continuation_lines_join_the_turn() -> None:
    turns = parse_labelled_text("I: Fråga?\nR: Svar ett\nfortsätter här.\n\nNytt stycke.", "t")
    assert turns[1].text == "Svar ett\nfortsätter här.\n\nNytt stycke."


def test_parse_labelled_text_header_is_a_turn_without_speaker() -> None:
    turns = parse_labelled_text("Intervju 3\nDatum: 2024-01-02\n\nI: Hej?\nR: Hej.", "t")
    assert turns[0].speaker is None
    assert turns[0].text == "Intervju 3\nDatum: 2024-01-02"


def test_parse_labelled_text_note_inside_a_sentence_is_not_a_speaker() -> None:
    text = "I: Hur?\nR: Vi gick dit. Note: det var stängt.\nI: Okej?\nR: Ja."
    assert [t.speaker for t in parse_labelled_text(text, "t")] == ["I", "R", "I", "R"]


def test_parse_labelled_text_one_off_colon_line_stays_in_the_turn() -> None:
    text = "I: Hur?\nR: Vi gick dit.\nNote: det var stängt.\nI: Okej?\nR: Ja."
    turns = parse_labelled_text(text, "t")
    assert [t.speaker for t in turns] == ["I", "R", "I", "R"]
    assert "Note: det var stängt." in turns[1].text


def test_parse_labelled_text_long_sentence_with_colon_is_not_a_label() -> None:
    text = "Anna: Hej.\nThe main thing we learned was this: nobody reads the rules.\nBo: Ja."
    turns = parse_labelled_text(text, "t")
    assert [t.speaker for t in turns] == ["Anna", "Bo"]


def test_parse_labelled_text_label_over_forty_characters_is_not_a_label() -> None:
    long = "Abcdefghij Abcdefghij Abcdefghij Abcdefghij"
    turns = parse_labelled_text(f"{long}: text\n{long}: more", "t")
    assert [t.speaker for t in turns] == [None]


def test_parse_labelled_text_clock_time_after_colon_is_not_a_label() -> None:
    turns = parse_labelled_text("Anna: Hej.\nKl 10:30 öppnar vi.\nBo: Ja.\nAnna: Bra.", "t")
    assert [t.speaker for t in turns] == ["Anna", "Bo", "Anna"]


def test_parse_labelled_text_bad_timestamp_names_the_line() -> None:
    with pytest.raises(BadTimestamp, match=r"t\.txt: line 2: timestamp '00:61:02'"):
        parse_labelled_text("[00:00:01] I: Hej?\n[00:61:02] R: Hej.", "t.txt")


def test_read_txt_fixture() -> None:
    [doc] = read(FIXTURES / "interview.txt")
    assert doc.format == "txt"
    assert doc.name == "interview.txt"
    assert doc.participant == "R"
    assert doc.language == "sv"
    assert [s.speaker for s in doc.segments] == ["I", "R", "I", "R"]
    assert doc.text.startswith("Intervju 2, Kafé Linden\n\nI: Okej, nu spelar den in.")


def test_read_otter_export() -> None:
    [doc] = read(FIXTURES / "otter.txt")
    assert [(s.speaker, s.role, s.start_time) for s in doc.segments] == [
        ("Anna Berg", "interviewer", 2.0),
        ("Sam Lee", "interviewee", 7.0),
        ("Anna Berg", "interviewer", 15.0),
        ("Sam Lee", "interviewee", 19.0),
    ]
    assert doc.participant == "Sam Lee"


def test_read_markdown(write) -> None:
    [doc] = read(write("a.md", "# Intervju\n\n**I:** Hur?\n\n**R:** Så här."))
    assert doc.format == "md"
    assert [s.speaker for s in doc.segments] == ["I", "R"]


def test_parse_labelled_text_enumeration_words_are_not_speakers() -> None:
    text = "Anna: Tre saker:\nFörsta: avgiften.\nSecond: the schedule.\nBo: Okej."
    turns = parse_labelled_text(text, "t")
    assert [t.speaker for t in turns] == ["Anna", "Bo"]
    assert turns[0].text == "Tre saker:\nFörsta: avgiften.\nSecond: the schedule."
