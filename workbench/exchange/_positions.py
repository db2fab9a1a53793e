"""Character positions: REFI-QDA tools count differently; the workbench counts code points.

The workbench stores offsets in Unicode code points of the document text.  A text from another
tool is stored with ``"\\n"`` line endings (BOM dropped); a text from a Vardag export is
stored exactly as the file holds it, so our own round trip is the identity on any text.
Files write ``startPosition``/``endPosition`` as:

- ``"verbatim"``: code points of the text, which is kept as it is (Vardag's own exports);
- ``"codepoints"``: code points of the text as stored in the file (a CRLF counts two);
- ``"utf16"``: UTF-16 code units of that text (NVivo: an emoji counts two, a CRLF two);
- ``"crlf-one"``: code points with a CRLF counted as one (ATLAS.ti) -- the same as code
  points of the text after CRLF -> LF.

The tool is told by the first word of the file's ``origin`` ("NVivo 14.23.0 (Windows)"), never
by a word anywhere in it: a project or codebook called "NVivo interviews" is no NVivo file.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Literal

from workbench.exchange._common import is_own

Mode = Literal["verbatim", "codepoints", "utf16", "crlf-one"]
_TOOLS: list[tuple[re.Pattern[str], Mode]] = [
    (re.compile(r"\s*nvivo\b", re.IGNORECASE), "utf16"),
    (re.compile(r"\s*atlas\.?ti\b", re.IGNORECASE), "crlf-one"),
]


def normalise_newlines(raw: str) -> str:
    """``raw`` with CRLF and lone CR turned into LF."""
    return raw.replace("\r\n", "\n").replace("\r", "\n")


def utf16_length(text: str) -> int:
    """The length of ``text`` in UTF-16 code units."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def detect_mode(raw: str, ends: list[int], origin: str) -> Mode:
    """How a source's positions count: by the writing tool, else by what fits the text."""
    if is_own(origin):
        return "verbatim"
    for pattern, mode in _TOOLS:
        if pattern.match(origin):
            return mode
    if ends and max(ends) > len(raw) and max(ends) <= utf16_length(raw):
        return "utf16"
    return "codepoints"


class PositionMap:
    """Convert a tool's positions in ``raw`` into code points of the stored text: ``raw``
    itself for ``"verbatim"``, else ``raw`` with its line endings normalised."""

    def __init__(self, raw: str, mode: Mode) -> None:
        self.mode = mode
        self.length = len(raw) if mode == "verbatim" else len(normalise_newlines(raw))
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
        if self.mode in ("crlf-one", "verbatim"):
            return position
        cp = position
        if self.mode == "utf16":
            if position < 0 or position > self._units[-1]:
                return -1 if position < 0 else self.length + 1
            cp = bisect_left(self._units, position)
        if cp < 0:
            return cp
        return cp - bisect_left(self._removed, cp)
