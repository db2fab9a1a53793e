"""Positions written by other tools become code points of the text with LF line endings."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.exchange._positions import Mode, PositionMap, detect_mode, normalise_newlines

PIECES = st.lists(
    st.sampled_from(["a", "å", "ö", " ", "\r\n", "\n", "😀", "👍🏽", "x", "\u00e9"]), max_size=30
)


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@pytest.mark.parametrize(("unit", "length"), [("utf16", _utf16), ("codepoints", len)])
@settings(max_examples=150, deadline=None)
@given(PIECES, PIECES, PIECES)
def test_position_map_finds_the_same_quote_counting_crlf_as_two(
    unit: Mode, length: Callable[[str], int], before: list[str], quote: list[str], after: list[str]
) -> None:
    raw = "".join(before + quote + after)
    start, end = length("".join(before)), length("".join(before + quote))
    convert = PositionMap(raw, unit)
    assert normalise_newlines(raw)[convert(start) : convert(end)] == normalise_newlines(
        "".join(quote)
    )


def test_position_map_crlf_as_one_is_already_normalised() -> None:
    raw = "ab\r\ncd"
    convert = PositionMap(raw, "crlf-one")
    assert normalise_newlines(raw)[convert(3) : convert(5)] == "cd"


def test_detect_mode_by_tool_and_by_length() -> None:
    assert detect_mode("abc", [1], "NVivo 14") == "utf16"
    assert detect_mode("abc", [1], "ATLAS.ti 23") == "crlf-one"
    assert detect_mode("a😀b", [4], "") == "utf16"  # only UTF-16 units reach 4
    assert detect_mode("a😀b", [3], "QualCoder 3.5") == "codepoints"


def test_detect_mode_reads_the_tool_from_the_first_word_only() -> None:
    """Issue 16: a word inside the origin (a title, a file name) names no tool."""
    assert detect_mode("a😀b", [3], " NVivo 12 Plus") == "utf16"
    assert detect_mode("a😀b", [3], "atlas.ti Mac 23") == "crlf-one"
    assert detect_mode("a😀b", [3], "Study of NVivo and ATLAS.ti users") == "codepoints"
    assert detect_mode("a😀b", [3], "Vardag workbench") == "verbatim"
    older = 'Vardag workbench {"id": "nvivo", "title": {"en": "NVivo import"}}'
    assert detect_mode("a😀b", [3], older) == "verbatim"


def test_position_map_verbatim_keeps_positions_and_text() -> None:
    raw = "\ufeffa\r\nb😀\rc"
    convert = PositionMap(raw, "verbatim")
    assert convert.length == len(raw) and [convert(i) for i in range(8)] == list(range(8))


def test_position_map_out_of_range_stays_out_of_range() -> None:
    convert = PositionMap("a😀b", "utf16")
    assert convert(9) > 3 and convert(-1) < 0
