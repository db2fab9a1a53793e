"""What a reader produces: a transcript as turns, then segments with offsets.

Readers return :class:`Turn` lists; :func:`workbench.ingest.read` pseudonymises them, joins
them into the document text and cuts :class:`Segment` objects whose ``start``/``end`` are
code-point offsets into that text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Role = Literal["interviewer", "interviewee"]


@dataclass(frozen=True)
class Turn:
    """One speaker turn as read from a file (before pseudonymisation)."""

    speaker: str | None
    text: str
    start_time: float | None = None
    end_time: float | None = None


@dataclass(frozen=True)
class Segment:
    """A coding unit: a turn, paragraph or sentence with offsets into the document text."""

    speaker: str | None
    role: Role
    text: str
    start: int
    end: int
    start_time: float | None = None
    end_time: float | None = None


@dataclass
class Transcript:
    """One imported document, ready for the store.

    ``text`` is the whole document as stored: turns joined as ``"Speaker: text"`` paragraphs.
    ``segments`` point into it.  ``participant`` is the interviewee's (pseudonymised) name or a
    table row's id; ``attributes`` come from table columns and ``row`` is the row's number in
    the table (header = 1; None for transcripts).  ``notes`` say what reading had to repair
    (stray bytes, text encoded twice), one line each naming the file and line.
    """

    name: str
    format: str
    checksum: str
    text: str
    segments: list[Segment]
    language: str
    participant: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    row: int | None = None
    notes: tuple[str, ...] = ()
