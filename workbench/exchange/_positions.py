"""Character positions: REFI-QDA tools count differently; the workbench counts code points.

The workbench stores texts with ``"\\n"`` line endings and offsets in Unicode code points.
Other tools write ``startPosition``/``endPosition`` as:

- ``"codepoints"``: code points of the text as stored in the file (a CRLF counts two);
- ``"utf16"``: UTF-16 code units of that text (NVivo: an emoji counts two, a CRLF two);
- ``"crlf-one"``: code points with a CRLF counted as one (ATLAS.ti) -- the same as code
  points of the text after CRLF -> LF.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Literal

Mode = Literal["codepoints", "utf16", "crlf-one"]


def normalise_newlines(raw: str) -> str:
    """``raw`` with CRLF and lone CR turned into LF."""
    return raw.replace("\r\n", "\n").replace("\r", "\n")


def utf16_length(text: str) -> int:
    """The length of ``text`` in UTF-16 code units."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def detect_mode(raw: str, ends: list[int], origin: str) -> Mode:
    """How a source's positions count: by the writing tool, else by what fits the text."""
    tool = origin.casefold()
    if "nvivo" in tool:
        return "utf16"
    if "atlas" in tool:
        return "crlf-one"
    if ends and max(ends) > len(raw) and max(ends) <= utf16_length(raw):
        return "utf16"
    return "codepoints"


class PositionMap:
    """Convert a tool's positions in ``raw`` into code points of the normalised text."""

    def __init__(self, raw: str, mode: Mode) -> None:
        self.mode = mode
        self.length = len(normalise_newlines(raw))
        self._units: list[int] = []
        if mode == "utf16":  # code point index -> UTF-16 offset, cumulative
            units = [0]
            for ch in raw:
                units.append(units[-1] + (2 if ord(ch) > 0xFFFF else 1))
            self._units = units
        # indices in raw of the CR of each CRLF (removed by normalising)
        self._removed = [i for i in range(len(raw) - 1) if raw[i] == "\r" and raw[i + 1] == "\n"]

    def __call__(self, position: int) -> int:
        """The normalised code-point offset; may lie outside ``0..length`` (out of range)."""
        if self.mode == "crlf-one":
            return position
        cp = position
        if self.mode == "utf16":
            if position < 0 or position > self._units[-1]:
                return -1 if position < 0 else self.length + 1
            cp = bisect_left(self._units, position)
        if cp < 0:
            return cp
        return cp - bisect_left(self._removed, cp)
