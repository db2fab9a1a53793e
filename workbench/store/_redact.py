"""Redact names found after import from everything the project database holds.

A name nobody listed at import survives in the stored text until it is found (by the
researcher reading, or in the import's list of leftover capitalised words).  Redaction
rewrites, in one transaction: the documents' text and names, the segments' text and offsets,
every coding's offsets (so each coding still covers the same words, a coded name now its
placeholder), the offsets that undo and redo replay from the audit log, memos and their
history, participant and document attributes, and the review queue's reasons.  Fitted models
and cached sentence embeddings, which were computed from the old text and can hold its words,
are deleted (the suggester refits on its next use).  Predictions carry no text and stay.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, delete, select, update

from workbench.ingest import Moves
from workbench.store._schema import (
    AuditAction,
    audit,
    codings,
    documents,
    embeddings,
    memos,
    meta,
    models,
    participants,
    segments,
    suggestion_queue,
)
from workbench.store._store import Store

#: The meta entry counting the redactions that rewrote stored text (documents, memos or
#: attribute values) after import.
TEXT_VERSION = "text_version"

#: Rewrites a stored text: the new text and the moves of its offsets (``speaking``: the
#: pseudonyms of the document's speakers).
Rewrite = Callable[[str, Collection[str]], tuple[str, Moves]]


@dataclass
class RedactReport:
    """What a redaction changed (counts only: the names stay out of every report)."""

    documents: int = 0
    segments: int = 0
    codings: int = 0
    memos: int = 0
    attributes: int = 0
    #: Whether the old text was also wiped from the database's unused space (see ``compact``).
    compacted: bool = False
    #: Older copies of the database that still hold the old text (migration backups).
    copies: list[str] = field(default_factory=list)


def redact(
    store: Store, rewrite: Rewrite, file_name: Callable[[str], str], *, user: str
) -> RedactReport:
    """Rewrite the project's texts with ``rewrite`` in one transaction (see the module)."""

    def work(conn: Connection) -> RedactReport:
        report = RedactReport()
        moves = _documents(conn, rewrite, file_name, report)
        _codings(conn, moves, report)
        _audit_offsets(conn, moves)
        _memos(conn, rewrite, report)
        _attributes(conn, rewrite, report)
        for row in conn.execute(select(suggestion_queue.c.id, suggestion_queue.c.reason)):
            reason, _ = rewrite(row.reason, ())
            if reason != row.reason:
                conn.execute(
                    update(suggestion_queue)
                    .where(suggestion_queue.c.id == row.id)
                    .values(reason=reason)
                )
        if report.documents or report.memos or report.attributes:
            conn.execute(delete(models))
            conn.execute(delete(embeddings))
            # Views that hold the old texts (an open tagger: transcripts, memos, attribute
            # chips) see this and reload before writing.
            found = conn.execute(select(meta.c.value).where(meta.c.key == TEXT_VERSION)).scalar()
            version = {"key": TEXT_VERSION, "value": str(int(found or 0) + 1)}
            store._upsert(conn, meta, version, ["key"], ["value"])
        store._log(conn, user, AuditAction.REDACT, _counts(report))
        return report

    return store._write(work, "redacting names")  # type: ignore[no-any-return]


def _counts(report: RedactReport) -> dict[str, int]:
    return {k: v for k, v in vars(report).items() if isinstance(v, int) and not isinstance(v, bool)}


def _documents(
    conn: Connection, rewrite: Rewrite, file_name: Callable[[str], str], report: RedactReport
) -> dict[int, Moves]:
    """Documents and their segments rewritten; the moves of each changed document's offsets
    by segment id."""
    speakers: dict[int, set[str]] = {}
    for row in conn.execute(select(segments.c.document_id, segments.c.speaker)):
        if row.speaker:
            speakers.setdefault(row.document_id, set()).add(row.speaker)
    moves: dict[int, Moves] = {}
    for doc in conn.execute(select(documents.c.id, documents.c.name, documents.c.text)).all():
        text, move = rewrite(doc.text, speakers.get(doc.id, set()))
        name = file_name(doc.name)
        if text == doc.text and name == doc.name:
            continue
        report.documents += 1
        conn.execute(update(documents).where(documents.c.id == doc.id).values(text=text, name=name))
        if text == doc.text:
            continue
        rows = conn.execute(
            select(segments.c.id, segments.c.start, segments.c.end).where(
                segments.c.document_id == doc.id
            )
        ).all()
        for seg in rows:
            start, end = move(seg.start), move(seg.end, end=True)
            moves[seg.id] = move
            if (start, end) != (seg.start, seg.end) or text[start:end] != doc.text[
                seg.start : seg.end
            ]:
                report.segments += 1
                conn.execute(
                    update(segments)
                    .where(segments.c.id == seg.id)
                    .values(start=start, end=end, text=text[start:end])
                )
    return moves


def _codings(conn: Connection, moves: dict[int, Moves], report: RedactReport) -> None:
    """Every coding of a changed segment moved; two that now cover the same words become one."""
    if not moves:
        return
    rows = conn.execute(
        select(
            codings.c.id,
            codings.c.segment_id,
            codings.c.code_id,
            codings.c.coder,
            codings.c.start,
            codings.c.end,
        ).where(codings.c.segment_id.in_(list(moves)))
    ).all()
    kept: set[tuple[Any, ...]] = set()
    changed: list[tuple[int, int, int]] = []
    for row in rows:
        move = moves[row.segment_id]
        start, end = move(row.start), move(row.end, end=True)
        key = (row.segment_id, row.code_id, row.coder, start, end)
        if key in kept:
            conn.execute(delete(codings).where(codings.c.id == row.id))
            report.codings += 1
            continue
        kept.add(key)
        if (start, end) != (row.start, row.end):
            changed.append((row.id, start, end))
    # Park the moved codings on negative offsets first, so no intermediate state collides
    # with another coding's span (the unique decision constraint).
    for coding, _, _ in changed:
        conn.execute(
            update(codings).where(codings.c.id == coding).values(start=-coding - 1, end=-coding)
        )
    for coding, start, end in changed:
        conn.execute(update(codings).where(codings.c.id == coding).values(start=start, end=end))
    report.codings += len(changed)


def _audit_offsets(conn: Connection, moves: dict[int, Moves]) -> None:
    """Offsets in the audit's coding rows moved, so undo and redo find their coding."""
    if not moves:
        return
    rows = conn.execute(
        select(audit.c.id, audit.c.payload).where(
            audit.c.action.in_([AuditAction.CODING_ADD, AuditAction.CODING_REMOVE])
        )
    ).all()
    for row in rows:
        payload = json.loads(row.payload)
        move = moves.get(payload.get("segment_id"))
        if move is None or "start" not in payload:
            continue
        payload["start"], payload["end"] = move(payload["start"]), move(payload["end"], end=True)
        conn.execute(
            update(audit)
            .where(audit.c.id == row.id)
            .values(payload=json.dumps(payload, sort_keys=True))
        )


def _memos(conn: Connection, rewrite: Rewrite, report: RedactReport) -> None:
    """Memos and the memo history in the audit log rewritten."""
    for row in conn.execute(select(memos.c.id, memos.c.text)).all():
        text, _ = rewrite(row.text, ())
        if text != row.text:
            report.memos += 1
            conn.execute(update(memos).where(memos.c.id == row.id).values(text=text))
    for row in conn.execute(
        select(audit.c.id, audit.c.payload).where(audit.c.action == AuditAction.MEMO_SET)
    ).all():
        payload = json.loads(row.payload)
        for side in ("old", "new"):
            payload[side] = rewrite(payload.get(side) or "", ())[0]
        conn.execute(
            update(audit)
            .where(audit.c.id == row.id)
            .values(payload=json.dumps(payload, sort_keys=True))
        )


def _attributes(conn: Connection, rewrite: Rewrite, report: RedactReport) -> None:
    """Participant and document attribute values rewritten (and the audit's copies of them)."""
    for table in (participants, documents):
        for row in conn.execute(select(table.c.id, table.c.attributes)).all():
            values = json.loads(row.attributes or "{}")
            new = {k: rewrite(v, ())[0] if isinstance(v, str) else v for k, v in values.items()}
            if new != values:
                report.attributes += 1
                conn.execute(
                    update(table)
                    .where(table.c.id == row.id)
                    .values(attributes=json.dumps(new, sort_keys=True))
                )
    for row in conn.execute(
        select(audit.c.id, audit.c.payload).where(audit.c.action == AuditAction.ATTRIBUTES)
    ).all():
        payload = _rewrite_strings(json.loads(row.payload), rewrite)
        conn.execute(
            update(audit)
            .where(audit.c.id == row.id)
            .values(payload=json.dumps(payload, sort_keys=True))
        )


def _rewrite_strings(value: Any, rewrite: Rewrite) -> Any:
    """Every string inside a JSON value rewritten."""
    if isinstance(value, str):
        return rewrite(value, ())[0]
    if isinstance(value, list):
        return [_rewrite_strings(v, rewrite) for v in value]
    if isinstance(value, dict):
        return {k: _rewrite_strings(v, rewrite) for k, v in value.items()}
    return value
