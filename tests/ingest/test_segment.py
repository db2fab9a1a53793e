from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.ingest import Pseudonymiser, Turn, read
from workbench.ingest._labels import clean_body
from workbench.ingest._segment import assemble

from .conftest import FIXTURES

_SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_words = st.lists(
    st.sampled_from(list("abcåäöABÅ .,?!:\n-—é\u0301😀\t") + ["t.ex. ", "Dr. ", "\nI: ", "\n\n"]),
    max_size=40,
).map("".join)
_labels = st.sampled_from(
    ["I", "R", "Anna", "Bo Ek", "[00:01] Anna", "00:00:05 Bo", "Anna  0:17", ""]
)


@_SETTINGS
@given(
    st.lists(st.tuples(_labels, _words), min_size=1, max_size=8),
    st.sampled_from(["turn", "paragraph", "sentence"]),
)
def test_read_offsets_point_at_segment_text(lines: list[tuple[str, str]], unit: str) -> None:
    text = "\n".join(f"{label}: {body}" if label else body for label, body in lines)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.txt"
        path.write_text(text, encoding="utf-8")
        try:
            docs = read(path, segment=unit, pseudonymiser=Pseudonymiser(names=["Anna Berg"]))  # type: ignore[arg-type]
        except Exception as exc:  # only "no text" is allowed to fail here
            assert type(exc).__name__ in {"EmptyFile", "BadTimestamp"}
            return
    for doc in docs:
        for s in doc.segments:
            assert doc.text[s.start : s.end] == s.text
            assert s.text and s.text == s.text.strip()


@_SETTINGS
@given(
    st.lists(
        st.tuples(st.none() | st.sampled_from(["I", "P01", "Anna B"]), st.text(max_size=80)),
        max_size=8,
    ),
    st.sampled_from(["turn", "paragraph", "sentence"]),
)
def test_assemble_offsets_and_turn_prefixes(raw: list[tuple[str | None, str]], unit: str) -> None:
    turns = [Turn(s, clean_body(t)) for s, t in raw if clean_body(t)]
    text, segments = assemble(turns, ["interviewee"] * len(turns), unit, "en")  # type: ignore[arg-type]
    assert text == "\n\n".join(f"{t.speaker}: {t.text}" if t.speaker else t.text for t in turns)
    for s in segments:
        assert text[s.start : s.end] == s.text
    if unit == "turn":
        assert [s.text for s in segments] == [t.text for t in turns]


def test_read_turn_segments_exclude_speaker_label() -> None:
    [doc] = read(FIXTURES / "zoom.vtt")
    first = doc.segments[0]
    assert doc.text.startswith("Lena Ek: Welcome")
    assert (first.start, first.text) == (len("Lena Ek: "), "Welcome, thanks for joining.")


def test_read_paragraph_segments_split_at_blank_lines() -> None:
    [doc] = read(FIXTURES / "interview.txt", segment="paragraph")
    r = [s.text for s in doc.segments if s.speaker == "R"]
    assert r == [
        "Ja, jag heter Sofia och driver ett kafé.\nVi bakar allt själva.",
        "Det är mycket jobb.",
        "Jag börjar klockan fem.",
    ]
    assert all(s.start_time == 13.0 for s in doc.segments if s.text == "Det är mycket jobb.")


def test_read_sentences_swedish_keep_abbreviations(write) -> None:
    text = (
        "I: Vad köper ni?\n"
        "R: Vi köper t.ex. mjöl och socker från bl.a. Lantmännen. Sedan bakar vi bröd! "
        "Var det bra? Ja, ca. 40 bullar om dagen. Det är mycket, dvs. för oss."
    )
    [doc] = read(write("sv.txt", text), segment="sentence")
    assert [s.text for s in doc.segments if s.speaker == "R"] == [
        "Vi köper t.ex. mjöl och socker från bl.a. Lantmännen.",
        "Sedan bakar vi bröd!",
        "Var det bra?",
        "Ja, ca. 40 bullar om dagen.",
        "Det är mycket, dvs. för oss.",
    ]
    assert doc.language == "sv"


def test_read_sentences_english_keep_abbreviations(write) -> None:
    text = (
        "[00:00:01] Interviewer: Who came?\n"
        "[00:00:04] Sam: Dr. Smith came on Monday. He checked e.g. the fridge and the logs. "
        "Then he left, i.e. after an hour."
    )
    [doc] = read(write("en.txt", text), segment="sentence")
    sam = [s for s in doc.segments if s.speaker == "Sam"]
    assert [s.text for s in sam] == [
        "Dr. Smith came on Monday.",
        "He checked e.g. the fridge and the logs.",
        "Then he left, i.e. after an hour.",
    ]
    assert {(s.role, s.start_time) for s in sam} == {("interviewee", 4.0)}
    assert doc.language == "en"
