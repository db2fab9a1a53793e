"""Every memo of a project, readable: what each is about, who wrote it, when.

A memo belongs to its author and sits on a segment, a document, a code or the project.  The
project journal is a project memo per author and day: its target is the day's date
(``2026-11-30``), so each day's entry is kept (and audited) on its own.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING

import pandas as pd

from workbench.i18n import text

if TYPE_CHECKING:
    from workbench.project._project import Project

COLUMNS = ["kind", "target", "on", "author", "text", "updated_at"]


class MemoKind(StrEnum):
    """What a memo is on (the store's memo kinds)."""

    SEGMENT = "segment"
    DOCUMENT = "document"
    CODE = "code"
    PROJECT = "project"


#: The memo kind of the project journal (and of other notes on the whole project).
JOURNAL = MemoKind.PROJECT


def journal_target(day: dt.date | None = None) -> str:
    """The target of the project journal's entry for ``day`` (default: today, local time)."""
    return (day or dt.date.today()).isoformat()


def journal_day(target: str) -> dt.date | None:
    """The day a project memo's target names, or None for an undated project memo (such as
    a note imported from another QDA tool)."""
    try:
        return dt.date.fromisoformat(str(target))
    except ValueError:
        return None


def memos_frame(p: Project, lang: str = "en") -> pd.DataFrame:
    """One row per memo, newest first: ``on`` names a segment by document and turn, a document
    by name, a code by its label in ``lang`` and a journal entry by its date."""
    raw = p.store.memos_frame()
    if raw.empty:
        return pd.DataFrame(columns=COLUMNS)
    segs = p.segments()
    turns = {
        str(s): text("memo.on_segment", lang, document=d, turn=pos + 1)
        for s, d, pos in zip(segs["segment"], segs["document"], segs["position"], strict=True)
    }
    docs = {
        str(i): str(n)
        for i, n in zip(p.documents["document_id"], p.documents["document"], strict=True)
    }
    book = p.codebook
    on = []
    for kind, target in zip(raw["kind"], raw["target"], strict=True):
        if kind == MemoKind.SEGMENT:
            on.append(turns.get(str(target), f"segment {target}"))
        elif kind == MemoKind.DOCUMENT:
            on.append(docs.get(str(target), f"document {target}"))
        elif kind == MemoKind.CODE:
            on.append(book.get(target).name(lang) if target in book else str(target))
        elif journal_day(target) is not None:
            on.append(text("memo.on_journal", lang, date=target))
        else:
            on.append(text("memo.on_project", lang))
    frame = pd.DataFrame(
        {
            "kind": raw["kind"],
            "target": raw["target"],
            "on": on,
            "author": raw["coder"],
            "text": raw["text"],
            "updated_at": raw["updated_at"],
        }
    )
    return frame.sort_values("updated_at", ascending=False, kind="stable").reset_index(drop=True)
