"""Plain text and Markdown transcripts with speaker labels."""

from __future__ import annotations

import re

from workbench.errors import BadTimestamp
from workbench.ingest._labels import (
    LABEL,
    TIMESTAMP,
    accepted_labels,
    clean_body,
    parse_timestamp,
    short_enough,
)
from workbench.ingest._model import Turn

__all__ = ["parse_labelled_text"]

_B = r"(?:\*\*|__)?"  # Markdown bold around a label
_LINE = re.compile(
    # Otter: "Name  0:17" alone on a line, the text below
    rf"^[ \t]*{_B}(?P<lab3>{LABEL}){_B}[ \t]+[\[(]?(?P<ts3>{TIMESTAMP})[\])]?[ \t]*$"
    # "00:01:02 Name" alone on a line, the text below
    rf"|^[ \t]*[\[(]?(?P<ts2>{TIMESTAMP})[\])]?[ \t]+(?:[-–][ \t]+)?{_B}(?P<lab2>{LABEL}){_B}[ \t]*$"
    # "[00:01:02] Name: text", "(00:01:02) Name:", "00:01:02 Name: text", "Name: text", "**I:**"
    rf"|^[ \t]*(?:[\[(](?P<ts1>{TIMESTAMP})[\])][ \t]*(?:[-–][ \t]*)?"
    rf"|(?P<ts1b>{TIMESTAMP})[ \t]+(?:[-–][ \t]*)?)?"
    rf"{_B}(?P<lab1>{LABEL}){_B}[ \t]*:(?!\d){_B}(?:[ \t]*(?P<rest>[^\n]*))?$",
    re.MULTILINE,
)


def parse_labelled_text(text: str, name: str) -> list[Turn]:
    """Split labelled transcript text into turns.

    Lines without a label continue the current turn; text before the first label is kept as
    a turn without a speaker.  A turn's ``end_time`` is the next turn's ``start_time``.
    """
    found: list[tuple[re.Match[str], str, str | None]] = []
    for m in _LINE.finditer(text):
        label = m["lab1"] or m["lab2"] or m["lab3"]
        if short_enough(label):
            found.append((m, label, m["ts1"] or m["ts1b"] or m["ts2"] or m["ts3"]))
    accepted = accepted_labels([(label, ts is not None) for _, label, ts in found])
    marks = [item for item in found if item[1] in accepted]

    raw: list[tuple[str | None, str, float | None]] = []
    head_end = marks[0][0].start() if marks else len(text)
    if text[:head_end].strip():
        raw.append((None, text[:head_end], None))
    for i, (m, label, ts) in enumerate(marks):
        end = marks[i + 1][0].start() if i + 1 < len(marks) else len(text)
        body = (m["rest"] or "") + text[m.end() : end]
        seconds = None
        if ts is not None:
            try:
                seconds = parse_timestamp(ts, name)
            except BadTimestamp:  # count lines only when there is an error to report
                line = text.count("\n", 0, m.start()) + 1
                parse_timestamp(ts, f"{name}: line {line}")
        raw.append((label, body, seconds))

    turns: list[Turn] = []
    for i, (speaker, body, start) in enumerate(raw):
        body = clean_body(body)
        if not body:
            continue
        following = raw[i + 1][2] if i + 1 < len(raw) else None
        turns.append(Turn(speaker, body, start, following if start is not None else None))
    return turns
