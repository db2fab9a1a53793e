"""Copy one project's documents, participants, codings and memos into another (offline merge).

Documents are matched by checksum, segments by (document, position).  Who is who among the
participants is decided before (:class:`People`, by the project layer, from shared documents
and pseudonym keys); the documents new to the target have their placeholders renamed to match.
Nothing is overwritten: a coding the target already has is kept once; a memo or attribute that
differs is reported as a conflict, and a differing memo keeps both texts.  Absorbing the same
source twice changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, insert, select, update

from workbench.ingest import Moves, rename_placeholders
from workbench.store._schema import (
    AuditAction,
    codes,
    codings,
    documents,
    memos,
    participants,
    segments,
)
from workbench.store._store import Store, now


@dataclass(frozen=True)
class People:
    """Who the source's participants are in the target.

    ``same`` maps a source participant id to the target participant who is the same person;
    ``labels`` gives every other source participant the label (and pseudonym) it gets in the
    target; ``renames`` renames placeholders in the documents that are new to the target.
    """

    same: dict[int, int] = field(default_factory=dict)
    labels: dict[int, str] = field(default_factory=dict)
    renames: dict[str, str] = field(default_factory=dict)


@dataclass
class AbsorbReport:
    """What absorbing one source did."""

    documents_added: int = 0
    codings_added: int = 0
    memos_added: int = 0
    conflicts: list[str] = field(default_factory=list)


def absorb(
    target: Store, source: Store, *, user: str, source_name: str, people: People | None = None
) -> AbsorbReport:
    """Copy ``source`` into ``target`` in one transaction (see the module docstring).

    Without ``people``, a source participant joins the target participant with the same label.
    """
    report = AbsorbReport()
    with source.engine.connect() as src:
        src_people = [dict(r) for r in src.execute(select(participants)).mappings()]
        src_docs = [dict(r) for r in src.execute(select(documents)).mappings()]
        src_segs = [dict(r) for r in src.execute(select(segments)).mappings()]
        src_codings = [dict(r) for r in src.execute(select(codings)).mappings()]
        src_memos = [dict(r) for r in src.execute(select(memos)).mappings()]

    def work(conn: Connection) -> AbsorbReport:
        rows = {r.id: (r.pseudonym, r.attributes) for r in conn.execute(select(participants))}
        by_label = {r.label: r.id for r in conn.execute(select(participants))}
        person_map: dict[int, int] = {}
        for p in src_people:
            plan = people or People()
            pid = plan.same.get(p["id"])
            label = plan.labels.get(p["id"], p["label"])
            if pid is None and people is None:
                pid = by_label.get(label)
            if pid is None and label in by_label:  # a planned label the target already has
                pid = by_label[label]
            if pid is not None:
                pseudonym, attrs = rows[pid]
                mine, theirs = json.loads(attrs), json.loads(p["attributes"])
                merged = {**theirs, **mine}
                for key in sorted(set(mine) & set(theirs)):
                    if mine[key] != theirs[key]:
                        report.conflicts.append(
                            f"participant {pseudonym}: attribute {key!r} is {mine[key]!r} "
                            f"here and {theirs[key]!r} in {source_name}; kept {mine[key]!r}"
                        )
                if merged != mine:
                    conn.execute(
                        update(participants)
                        .where(participants.c.id == pid)
                        .values(attributes=json.dumps(merged, sort_keys=True))
                    )
            else:
                pid = conn.execute(
                    insert(participants).values(
                        pseudonym=label, label=label, attributes=p["attributes"]
                    )
                ).inserted_primary_key[0]  # type: ignore[index]
                rows[pid] = (label, p["attributes"])
                by_label[label] = pid
            person_map[p["id"]] = pid

        renames = people.renames if people is not None else {}
        by_checksum = dict(conn.execute(select(documents.c.checksum, documents.c.id)).all())
        doc_map: dict[int, int] = {}
        moves: dict[int, Moves] = {}  # offsets of documents whose placeholders were renamed
        for d in src_docs:
            if d["checksum"] in by_checksum:
                doc_map[d["id"]] = by_checksum[d["checksum"]]
                continue
            values = {k: v for k, v in d.items() if k != "id"}
            if values["participant_id"] is not None:
                values["participant_id"] = person_map[values["participant_id"]]
            values["text"], move = rename_placeholders(values["text"], renames)
            moves[d["id"]] = move
            new_id = conn.execute(insert(documents).values(**values)).inserted_primary_key[0]  # type: ignore[index]
            doc_map[d["id"]] = new_id
            by_checksum[d["checksum"]] = new_id
            new_segments = [
                {
                    **{k: v for k, v in s.items() if k != "id"},
                    "document_id": new_id,
                    "speaker": renames.get(s["speaker"], s["speaker"]),
                    "text": rename_placeholders(s["text"], renames)[0],
                    "start": move(s["start"]),
                    "end": move(s["end"], end=True),
                }
                for s in src_segs
                if s["document_id"] == d["id"]
            ]
            if new_segments:
                conn.execute(insert(segments), new_segments)
            report.documents_added += 1

        seg_key = {s["id"]: (doc_map[s["document_id"]], s["position"]) for s in src_segs}
        seg_doc = {s["id"]: s["document_id"] for s in src_segs}
        target_seg = {
            (r.document_id, r.position): r.id
            for r in conn.execute(
                select(segments.c.id, segments.c.document_id, segments.c.position)
            )
        }
        known_codes = set(conn.execute(select(codes.c.id).where(codes.c.active)).scalars())
        for c in src_codings:
            if c["code_id"] not in known_codes:
                report.conflicts.append(
                    f"{source_name}: coding of segment {c['segment_id']} with code "
                    f"{c['code_id']!r} by {c['coder']}: the merged codebook has no such code; "
                    "add the code and merge again"
                )
                continue
            values = {k: v for k, v in c.items() if k != "id"}
            values["segment_id"] = target_seg[seg_key[c["segment_id"]]]
            moved = moves.get(seg_doc[c["segment_id"]])
            if moved is not None:
                values["start"], values["end"] = moved(c["start"]), moved(c["end"], end=True)
            report.codings_added += target._insert_ignore(conn, codings, values)

        for m in src_memos:
            target_id = m["target"]
            if m["kind"] == "segment":
                target_id = str(target_seg[seg_key[int(m["target"])]])
            elif m["kind"] == "document":
                target_id = str(doc_map[int(m["target"])])
            where = (
                (memos.c.kind == m["kind"])
                & (memos.c.target == target_id)
                & (memos.c.coder == m["coder"])
            )
            mine = conn.execute(select(memos.c.text).where(where)).scalar()
            if mine is None:
                conn.execute(
                    insert(memos).values(
                        kind=m["kind"],
                        target=target_id,
                        coder=m["coder"],
                        text=m["text"],
                        updated_at=m["updated_at"],
                    )
                )
                report.memos_added += 1
            elif m["text"] not in mine:
                both = f"{mine}\n\n--- from {source_name} ---\n{m['text']}"
                conn.execute(update(memos).where(where).values(text=both, updated_at=now()))
                report.conflicts.append(
                    f"memo on {m['kind']} {target_id} by {m['coder']} differed; both texts kept"
                )
        target._log(conn, user, AuditAction.MERGE, _summary(report, source_name))
        return report

    return target._write(work, f"merging {source_name}")  # type: ignore[no-any-return]


def _summary(report: AbsorbReport, source_name: str) -> dict[str, Any]:
    return {
        "source": source_name,
        "documents": report.documents_added,
        "codings": report.codings_added,
        "memos": report.memos_added,
        "conflicts": len(report.conflicts),
    }
