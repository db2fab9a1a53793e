"""Every memo of a project, readable: what each is about, who wrote it, when."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from workbench.project._project import Project

COLUMNS = ["kind", "target", "on", "author", "text", "updated_at"]


def memos_frame(p: Project, lang: str = "en") -> pd.DataFrame:
    """One row per memo, newest first: ``on`` names a segment by document and turn, a document
    by name, a code by its label in ``lang`` and the project journal as "project"."""
    raw = p.store.memos_frame()
    if raw.empty:
        return pd.DataFrame(columns=COLUMNS)
    segs = p.segments()
    turns = {
        str(s): f"{d} · {pos + 1}"
        for s, d, pos in zip(segs["segment"], segs["document"], segs["position"], strict=True)
    }
    docs = {
        str(i): str(n)
        for i, n in zip(p.documents["document_id"], p.documents["document"], strict=True)
    }
    book = p.codebook
    on = []
    for kind, target in zip(raw["kind"], raw["target"], strict=True):
        if kind == "segment":
            on.append(turns.get(str(target), f"segment {target}"))
        elif kind == "document":
            on.append(docs.get(str(target), f"document {target}"))
        elif kind == "code":
            on.append(book.get(target).name(lang) if target in book else str(target))
        else:
            on.append("project")
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
