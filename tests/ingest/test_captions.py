from __future__ import annotations

import pytest

from workbench.errors import BadTimestamp, CorruptFile
from workbench.ingest import read

from .conftest import FIXTURES


def test_read_vtt_teams_voice_tags_merge_consecutive_cues() -> None:
    [doc] = read(FIXTURES / "teams.vtt")
    assert [(s.speaker, s.start_time, s.end_time) for s in doc.segments] == [
        ("Maria Holm", 1.0, 4.2),
        ("Olle Berg", 4.5, 12.9),
        ("Maria Holm", 13.0, 16.0),
    ]
    assert doc.segments[1].text == "Ja, jag hör dig bra. Vi har haft restaurangen i tolv år."
    assert doc.participant == "Olle Berg"
    assert doc.format == "vtt"


def test_read_vtt_zoom_name_prefix() -> None:
    [doc] = read(FIXTURES / "zoom.vtt")
    assert [s.speaker for s in doc.segments] == ["Lena Ek", "Tom Reed"] * 2
    assert doc.segments[0].role == "interviewer"
    assert doc.segments[1].text == "Happy to help."


def test_read_srt_without_speakers_joins_cues_into_sentences() -> None:
    [doc] = read(FIXTURES / "captions.srt")
    assert [(s.speaker, s.text, s.start_time, s.end_time) for s in doc.segments] == [
        (None, "So the inspector came on a Tuesday morning.", 1.0, 5.0),
        (None, "Nobody had told us anything.", 5.5, 8.0),
    ]
    assert doc.participant is None


def test_read_vtt_tags_and_entities_removed(write) -> None:
    vtt = "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Bo>Fish <i>&amp;</i> chips</v>\n"
    [doc] = read(write("t.vtt", vtt))
    assert doc.text == "Bo: Fish & chips"


def test_read_vtt_bad_timestamp_names_file_and_cue(write) -> None:
    vtt = (FIXTURES / "teams.vtt").read_text(encoding="utf-8").replace("00:00:08.100", "00:0x:08")
    with pytest.raises(BadTimestamp, match=r"^t\.vtt: cue 3: timestamp '00:0x:08' is not valid$"):
        read(write("t.vtt", vtt))


def test_read_srt_bad_timestamp_names_cue(write) -> None:
    srt = (
        (FIXTURES / "captions.srt")
        .read_text(encoding="utf-8")
        .replace("00:00:05,000", "00:00:75,000")
    )
    with pytest.raises(BadTimestamp, match=r"^t\.srt: cue 2: "):
        read(write("t.srt", srt))


def test_read_vtt_without_header_is_corrupt(write) -> None:
    with pytest.raises(CorruptFile, match="^t.vtt: not a WebVTT file"):
        read(write("t.vtt", "00:01.000 --> 00:02.000\nHej\n"))


def test_read_vtt_unlabelled_cue_continues_previous_speaker(write) -> None:
    vtt = (
        "WEBVTT\n\n00:01.000 --> 00:02.000\nAnna: Hej, hur\n\n"
        "00:02.000 --> 00:03.000\nmår du?\n\n00:03.500 --> 00:04.000\nBo: Bra.\n"
    )
    [doc] = read(write("z.vtt", vtt))
    assert [(s.speaker, s.text, s.end_time) for s in doc.segments] == [
        ("Anna", "Hej, hur mår du?", 3.0),
        ("Bo", "Bra.", 4.0),
    ]
