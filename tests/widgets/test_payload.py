"""Pure helpers behind the tagger's payloads."""

from __future__ import annotations

import math

import pytest

from workbench.codebook import Code, Codebook
from workbench.widgets import Tagger, __all__
from workbench.widgets.tagger._payload import clock, codings_payload, key_map, trim_span


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(None, ""), (math.nan, ""), (0.0, "00:00"), (75.9, "01:15"), (3725.0, "1:02:05")],
)
def test_clock_formats_times(seconds: float | None, shown: str) -> None:
    assert clock(seconds) == shown


@pytest.mark.parametrize(
    ("start", "end", "trimmed"),
    [(0, 5, (1, 4)), (1, 4, (1, 4)), (0, 1, (1, 1)), (3, 99, (3, 4))],
)
def test_trim_span_drops_outer_whitespace(start: int, end: int, trimmed: tuple[int, int]) -> None:
    assert trim_span(" abc  ", start, end) == trimmed


def test_key_map_code_shortcut_wins_over_letter_navigation() -> None:
    book = Codebook(
        id="k",
        title={"en": "K"},
        codes=(
            Code(id="a", label={"en": "A"}, shortcut="p"),
            Code(id="g", label={"en": "G"}, shortcut="x", codable=False),
        ),
    )
    keys = key_map(book)
    assert keys["p"]["code"] == "a" and keys["ArrowLeft"]["action"] == "prev"
    assert keys["n"]["action"] == "next" and "x" not in keys


def test_codings_payload_relative_offsets_whole_first() -> None:
    rows = [
        {"code": "b", "start": 12, "end": 14, "origin": "human", "quote": "xy", "coder": "c"},
        {"code": "a", "start": 10, "end": 20, "origin": "suggestion", "quote": "all", "coder": "c"},
    ]
    out = codings_payload(rows, 10, 20)
    assert [(c["code"], c["start"], c["end"], c["whole"]) for c in out] == [
        ("a", 0, 10, True),
        ("b", 2, 4, False),
    ]
    assert "coder" not in out[0] and codings_payload(rows, 10, 20, with_coder=True)[0]["coder"]


def test_widgets_exports() -> None:
    assert "Tagger" in __all__ and Tagger.__name__ == "Tagger"
