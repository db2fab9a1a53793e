"""Plain data the tagger's front end renders: codebook, key map, segments, spans.

Pure functions over codebook objects and segment rows, so they are tested without a widget.
Offsets the front end sees are code points relative to the segment text; the store keeps code
points relative to the document text (``segment.start`` is the difference).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from workbench.codebook import Codebook
from workbench.i18n import STRINGS, text

#: Navigation keys and what they do (before code shortcuts, which win on single letters).
NAV_KEYS: tuple[tuple[str, str, str], ...] = (
    ("ArrowRight", "next", "next segment"),
    ("n", "next", "next segment"),
    ("ArrowLeft", "prev", "previous segment"),
    ("p", "prev", "previous segment"),
    ("Enter", "next_uncoded", "next segment I have not coded"),
    ("u", "next_uncoded", "next segment I have not coded"),
    ("z", "undo", "undo my last change"),
    ("ctrl+z", "undo", "undo my last change"),
    ("y", "redo", "redo"),
    ("ctrl+y", "redo", "redo"),
    ("ctrl+shift+z", "redo", "redo"),
    ("=", "accept", "accept the top suggestion"),
    ("?", "help", "show or hide this help"),
    ("Escape", "close", "close help, clear the selection"),
)


def label(code_labels: Mapping[str, str], lang: str, fallback: str) -> str:
    """The label in ``lang``, else the other language, else ``fallback``."""
    return code_labels.get(lang) or next((v for v in code_labels.values() if v), fallback)


def codebook_payload(book: Codebook, lang: str) -> dict[str, Any]:
    """The codebook as the front end draws it: codes in tree order with depth and texts."""
    codes = []
    for code in book.codes:
        codes.append(
            {
                "id": code.id,
                "label": label(code.label, lang, code.id),
                "labels": " ".join(v for v in code.label.values() if v),
                "parent": code.parent,
                "depth": book.depth(code.id),
                "color": code.color,
                "shortcut": code.shortcut or "",
                "codable": code.codable,
                "has_children": bool(book.children(code.id)),
                "definition": label(code.definition, lang, ""),
                "use_when": label(code.use_when, lang, ""),
                "do_not_use_when": label(code.do_not_use_when, lang, ""),
                "examples": [e.text for e in code.examples if e.lang == lang][:3]
                or [e.text for e in code.examples][:2],
            }
        )
    return {"codes": codes, "lang": lang}


def key_map(book: Codebook, lang: str = "en") -> dict[str, dict[str, str]]:
    """Every key the tagger answers to: ``{key: {"action": ..., "code": ..., "what": ...}}``.

    A code's shortcut wins over a single-letter navigation key (``n``, ``p``, ``u``, ``z``,
    ``y``); the arrows, Enter and ctrl combinations still navigate then.
    """
    keys: dict[str, dict[str, str]] = {}
    for key, action, _what in NAV_KEYS:
        keys[key] = {"action": action, "code": "", "what": text(f"tg.key.{action}", lang)}
    for code in book.codes:
        if code.shortcut and code.codable:
            keys[code.shortcut] = {
                "action": "toggle",
                "code": code.id,
                "what": label(code.label, lang, code.id),
            }
    return keys


def strings(lang: str) -> dict[str, str]:
    """Every string the tagger's front end shows, in ``lang`` (the ``tg.`` keys, unprefixed)."""
    return {key[3:]: text(key, lang) for key in STRINGS["en"] if key.startswith("tg.")}


def clock(seconds: float | None) -> str:
    """``mm:ss`` (``h:mm:ss`` from an hour on) or ``""`` when the time is unknown."""
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return ""
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``start``-``end`` (offsets into ``text``) so it neither starts nor ends in
    whitespace; a selection of only whitespace becomes empty (``start == end``)."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def codings_payload(
    rows: Iterable[Mapping[str, Any]], seg_start: int, seg_end: int, *, with_coder: bool = False
) -> list[dict[str, Any]]:
    """Codings of one segment with segment-relative offsets, sorted by position."""
    out = []
    for row in rows:
        item = {
            "code": str(row["code"]),
            "start": int(row["start"]) - seg_start,
            "end": int(row["end"]) - seg_start,
            "whole": int(row["start"]) == seg_start and int(row["end"]) == seg_end,
            "origin": str(row["origin"]),
            "quote": str(row["quote"]),
        }
        if with_coder:
            item["coder"] = str(row["coder"])
        out.append(item)
    out.sort(key=lambda c: (not c["whole"], c["start"], c["end"], c["code"]))
    return out


def turn(row: Mapping[str, Any]) -> dict[str, Any]:
    """A context turn: who spoke, when, what."""
    return {
        "id": int(row["segment"]),
        "speaker": str(row["speaker"] or ""),
        "role": str(row["role"]),
        "time": clock(row["start_time"]),
        "text": str(row["text"]),
    }
