"""Word ``.docx`` transcripts: labels as a prefix, in bold, or in a table."""

from __future__ import annotations

import io
import re
from collections import Counter

from workbench.errors import BadTimestamp, CorruptFile
from workbench.ingest._decode import normalise
from workbench.ingest._labels import (
    TIMESTAMP,
    clean_body,
    looks_like_label,
    parse_timestamp,
    split_prefix_label,
)
from workbench.ingest._model import Turn
from workbench.ingest._plain import parse_labelled_text
from workbench.ingest._zip import check_zip

__all__ = ["read_docx"]

_HEADER_WORDS = frozenset(
    [
        "time",
        "tid",
        "timestamp",
        "tidpunkt",
        "tidskod",
        "start",
        "speaker",
        "talare",
        "name",
        "namn",
        "person",
        "text",
        "transcript",
        "transkription",
        "transkript",
        "utterance",
        "yttrande",
    ]
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TS = re.compile(rf"[\[(]?({TIMESTAMP})[\])]?")
_TS_PREFIX = re.compile(rf"[ \t]*[\[(]?({TIMESTAMP})[\])]?[ \t]*(?:[-–][ \t]*)?")

# (speaker or None, text, start seconds, explicit, whole paragraph): explicit speakers come
# from bold runs or table cells and need no guessing; paragraphs without one continue the
# previous turn.  A bold start without a colon ("**Anna** Hej") is only a speaker when the
# same bold label starts another paragraph too; "**Viktigt** är att ..." is emphasis.
_Block = tuple[str | None, str, float | None, bool, str]


def _open(data: bytes, name: str):  # type: ignore[no-untyped-def]
    """Open the document or raise :class:`CorruptFile` with the reason."""
    import docx  # python-docx is slow to import; only docx imports pay for it

    if data.startswith(_OLE):
        raise CorruptFile(
            f"{name}: the document is password-protected or an old binary .doc, not a .docx"
        )
    check_zip(data, name, "a Word document").close()
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors, ...
        raise CorruptFile(f"{name}: not a readable Word document ({_reason(exc)})") from exc


def _reason(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text[:80]}" if text else type(exc).__name__


def _bold_prefix(paragraph) -> tuple[str, str] | None:  # type: ignore[no-untyped-def]
    """(bold start, rest) when the paragraph starts with bold text, else None."""
    runs = paragraph.runs
    bold: list[str] = []
    i = 0
    while i < len(runs) and (runs[i].bold or (bold and not runs[i].text.strip())):
        bold.append(runs[i].text)
        i += 1
    head = "".join(bold)
    if not head.strip():
        return None
    rest = "".join(r.text for r in runs[i:])
    return head, rest


def _paragraph_block(paragraph, name: str) -> _Block | None:  # type: ignore[no-untyped-def]
    text = paragraph.text
    if not text.strip():
        return None
    bold = _bold_prefix(paragraph)
    if bold is not None:
        head, rest = bold
        time: float | None = None
        m = _TS_PREFIX.match(head)
        if m and m.end() < len(head.strip()):
            time = parse_timestamp(m.group(1), f"{name}: paragraph")
            head = head[m.end() :]
        head = head.strip().rstrip(":").strip()
        rest = rest.lstrip().removeprefix(":").strip()
        colon = bold[0].strip().endswith(":") or bold[1].lstrip().startswith(":")
        if looks_like_label(head) and (rest or colon):
            return head, rest, time, colon or time is not None, text
    return None, text, None, False, text


def _table_blocks(table, name: str) -> list[_Block]:  # type: ignore[no-untyped-def]
    """Rows of ``speaker | text`` or ``time | speaker | text`` (header rows skipped)."""
    blocks: list[_Block] = []
    for number, row in enumerate(table.rows, start=1):
        cells = [c.text.strip() for c in row.cells]
        # merged cells repeat; keep distinct neighbours only
        cells = [c for i, c in enumerate(cells) if i == 0 or c != cells[i - 1] or not c]
        cells = [c for c in cells if c]
        if not cells or all(c.casefold().rstrip(":") in _HEADER_WORDS for c in cells):
            continue  # empty, or a header row such as "Time | Speaker | Text"
        time: float | None = None
        if len(cells) >= 2 and _TS.fullmatch(cells[0]):
            time = parse_timestamp(_TS.fullmatch(cells[0]).group(1), f"{name}: table row {number}")  # type: ignore[union-attr]
            cells = cells[1:]
        elif len(cells) >= 3 and _TS.fullmatch(cells[1]):
            ts = _TS.fullmatch(cells[1]).group(1)  # type: ignore[union-attr]
            time = parse_timestamp(ts, f"{name}: table row {number}")
            cells = [cells[0], *cells[2:]]
        if len(cells) >= 2 and looks_like_label(cells[0].rstrip(":")):
            speaker = cells[0].rstrip(":").strip()
            blocks.append((speaker, "\n\n".join(cells[1:]), time, True, ""))
        else:
            blocks.append((None, "\n\n".join(cells), time, False, ""))
    return blocks


def read_docx(data: bytes, name: str) -> list[Turn]:
    """Read a Word transcript.

    Speakers come from a bold run at the start of a paragraph, from table rows (speaker |
    text, or time | speaker | text), or, when the document has neither, from ``Name: text``
    prefixes parsed like a plain-text transcript.
    """
    from docx.table import Table

    document = _open(data, name)
    blocks: list[_Block] = []
    try:
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                blocks.extend(_table_blocks(item, name))
            else:
                block = _paragraph_block(item, name)
                if block is not None:
                    blocks.append(block)
    except (CorruptFile, BadTimestamp):
        raise
    except Exception as exc:
        raise CorruptFile(f"{name}: not a readable Word document ({_reason(exc)})") from exc

    bold_only = Counter(s for s, _, _, explicit, _ in blocks if s is not None and not explicit)
    blocks = [
        (s, text, time, True, whole)
        if s is not None and (explicit or bold_only[s] >= 2)
        else (None, whole or text, None, False, whole)
        for s, text, time, explicit, whole in blocks
    ]
    if not any(explicit for _, _, _, explicit, _ in blocks):
        text = normalise("\n\n".join(text for _, text, _, _, _ in blocks))
        return parse_labelled_text(text, name)

    turns: list[tuple[str | None, list[str], float | None]] = []
    for speaker, text, time, explicit, _ in blocks:
        if not explicit and turns:
            # A prefix label on an unbolded paragraph still starts a turn.
            label, rest, ptime = split_prefix_label(text, f"{name}: paragraph")
            if label is not None and label in {s for s, _, _ in turns}:
                turns.append((label, [rest], ptime))
            else:
                turns[-1][1].append(text)
        else:
            turns.append((speaker, [text], time))
    result: list[Turn] = []
    for i, (speaker, parts, start) in enumerate(turns):
        body = clean_body(normalise("\n\n".join(parts)))
        if not body:
            continue
        following = turns[i + 1][2] if i + 1 < len(turns) else None
        result.append(Turn(speaker, body, start, following if start is not None else None))
    return result
