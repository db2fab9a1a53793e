"""The project database: every read and write the workbench makes, each write one transaction.

Layers above (project facade, widgets, dashboards) call these methods and never write SQL.
Each coding action is committed at once and logged in ``audit``; undo and redo replay that log,
so they survive kernel restarts and never touch another coder's work.
"""

from __future__ import annotations

import itertools
import json
import operator
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, Integer, and_, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from workbench.codebook._model import Code, Codebook
from workbench.errors import (
    AttributesError,
    InvalidCode,
    ProjectError,
    UnknownItem,
    WorkbenchError,
)
from workbench.ingest._model import Transcript
from workbench.store._engine import create_or_migrate, integrity_ok, retrying, schema_version
from workbench.store._schema import (
    AuditAction,
    Origin,
    QueuePurpose,
    audit,
    codebook_versions,
    codes,
    codings,
    documents,
    embeddings,
    memos,
    meta,
    models,
    participants,
    predictions,
    segments,
    suggestion_queue,
)

_BATCH = 5000
_REVIEWED = {
    "accepted": AuditAction.SUGGESTION_ACCEPTED,
    "rejected": AuditAction.SUGGESTION_REJECTED,
}
MEMO_KINDS = ("segment", "document", "code", "project")


def segment_key(value: Any) -> int:
    """A segment or document id as the database holds it (numpy integers included)."""
    try:
        return operator.index(value)
    except TypeError:
        try:
            return int(str(value).strip())
        except ValueError:
            raise UnknownItem(f"{value!r} is not a segment or document id") from None


def coder_name(name: str) -> str:
    """A coder's name, trimmed; an empty one is refused (codings must say whose they are)."""
    name = str(name or "").strip()
    if not name:
        raise ProjectError("a coder needs a name (give coder=... or set WORKBENCH_CODER)")
    return name


def _origin(value: str) -> Origin:
    try:
        return Origin(value)
    except ValueError:
        choices = ", ".join(o.value for o in Origin)
        raise ProjectError(f"origin {value!r} is not one of {choices}") from None


def now() -> str:
    """The current UTC time as ISO 8601 text (what every timestamp column holds)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass
class ImportReport:
    """What one import call did."""

    imported: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # same checksum already in the project
    changed: list[str] = field(default_factory=list)  # same name, different content: not imported
    segments: int = 0
    words: int = 0
    notes: list[str] = field(default_factory=list)  # what reading had to repair, file and line


class Store:
    """All database access of one project."""

    def __init__(self, engine: Engine, *, read_only: bool = False) -> None:
        self.engine = engine
        self.read_only = read_only

    # -- lifecycle -------------------------------------------------------------------------
    def create_or_migrate(self, sqlite_file: Any = None) -> None:
        """Create the schema or bring it up to date (see :mod:`workbench.store._engine`)."""
        try:
            create_or_migrate(self.engine, sqlite_file=sqlite_file)
        except DBAPIError as exc:  # no right to create tables, a full disk, ...
            reason = " ".join(str(exc.orig).split()) if exc.orig is not None else str(exc)
            raise ProjectError(
                f"cannot create or update the project's tables ({reason}); on PostgreSQL give a "
                "schema you may create tables in (?schema=NAME at the end of the URL)"
            ) from None

    def schema_version(self) -> int:
        """The database's schema version; 0 when it holds no project yet."""
        with self.engine.connect() as conn:
            return schema_version(conn)

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()

    def integrity_ok(self) -> bool:
        """Whether the database passes its integrity check."""
        return integrity_ok(self.engine)

    def _write(self, work: Any, what: str) -> Any:
        if self.read_only:
            raise ProjectError("this project is open read-only")
        return retrying(self.engine, work, what=what)

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """A store whose every read and write runs in ONE transaction, committed when the
        block ends and rolled back if it raises: several steps become all-or-nothing."""
        if self.read_only:
            raise ProjectError("this project is open read-only")
        with self.engine.begin() as conn:
            try:
                yield Store(_Joined(conn))  # type: ignore[arg-type]
            except _Inner as wrapped:
                raise wrapped.error from None

    def _frame(self, query: Any) -> pd.DataFrame:
        with self.engine.connect() as conn:
            result = conn.execute(query)
            # Plain tuples: pandas reads them far faster than SQLAlchemy Row objects.
            return pd.DataFrame([tuple(r) for r in result], columns=list(result.keys()))

    # -- meta --------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        with self.engine.connect() as conn:
            value: str | None = conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()
            return value

    def set_meta(self, key: str, value: str) -> None:
        def work(conn: Connection) -> None:
            self._upsert(conn, meta, {"key": key, "value": value}, ["key"], ["value"])

        self._write(work, f"setting {key}")

    def _upsert(
        self,
        conn: Connection,
        table: Any,
        values: dict[str, Any],
        keys: list[str],
        update_cols: list[str],
    ) -> None:
        dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
        stmt = dialect.insert(table).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=keys, set_={c: stmt.excluded[c] for c in update_cols}
        )
        conn.execute(stmt)

    # -- import ------------------------------------------------------------------------------
    def import_transcripts(
        self,
        transcripts: Iterable[Transcript],
        *,
        user: str,
        participant_pseudonym: Any,
        attributes: Sequence[tuple[int, str, dict[str, str]]] = (),
        attributes_source: str = "",
    ) -> ImportReport:
        """Store transcripts in ONE transaction: all of them, or (on any error) none.

        ``transcripts`` may be a generator reading files lazily: memory stays flat because
        segments are inserted in batches.  ``participant_pseudonym(label, known)`` names a new
        participant given the labels already known.  ``attributes`` rows ``(line, key, values)``
        join participant attributes by document name, participant pseudonym or label; a key
        that matches nothing fails the whole import.
        """
        report = ImportReport()

        def work(conn: Connection) -> ImportReport:
            by_checksum = dict(conn.execute(select(documents.c.checksum, documents.c.name)).all())
            names = set(by_checksum.values())
            people = {
                row.label: row.id
                for row in conn.execute(select(participants.c.label, participants.c.id))
            }
            pseudonyms = set(conn.execute(select(participants.c.pseudonym)).scalars())
            pending: list[dict[str, Any]] = []
            stamp = now()
            for transcript in transcripts:
                if transcript.checksum in by_checksum:
                    report.skipped.append(transcript.name)
                elif transcript.name in names:
                    report.changed.append(transcript.name)
                else:
                    participant_id = None
                    if transcript.participant:
                        participant_id = people.get(transcript.participant)
                        if participant_id is None:
                            pseudonym = participant_pseudonym(transcript.participant, pseudonyms)
                            participant_id = conn.execute(
                                insert(participants).values(
                                    pseudonym=pseudonym,
                                    label=transcript.participant,
                                    attributes=json.dumps(transcript.attributes, sort_keys=True),
                                )
                            ).inserted_primary_key[0]  # type: ignore[index]
                            people[transcript.participant] = participant_id
                            pseudonyms.add(pseudonym)
                    doc_id = conn.execute(
                        insert(documents).values(
                            name=transcript.name,
                            checksum=transcript.checksum,
                            format=transcript.format,
                            language=transcript.language,
                            participant_id=participant_id,
                            attributes="{}",
                            text=transcript.text,
                            imported_at=stamp,
                            imported_by=user,
                        )
                    ).inserted_primary_key[0]  # type: ignore[index]
                    by_checksum[transcript.checksum] = transcript.name
                    names.add(transcript.name)
                    for position, seg in enumerate(transcript.segments):
                        pending.append(
                            {
                                "document_id": doc_id,
                                "position": position,
                                "speaker": seg.speaker,
                                "role": seg.role,
                                "start": seg.start,
                                "end": seg.end,
                                "start_time": seg.start_time,
                                "end_time": seg.end_time,
                                "text": seg.text,
                            }
                        )
                    report.segments += len(transcript.segments)
                    report.words += sum(len(s.text.split()) for s in transcript.segments)
                    report.imported.append(transcript.name)
                    if len(pending) >= _BATCH:
                        conn.execute(insert(segments), pending)
                        pending = []
            if pending:
                conn.execute(insert(segments), pending)
            if attributes:
                self._join_attributes(conn, attributes, attributes_source)
            if report.imported:
                self._log(conn, user, AuditAction.IMPORT, {"documents": report.imported}, at=stamp)
            return report

        return self._write(work, "the import")  # type: ignore[no-any-return]

    def _join_attributes(
        self,
        conn: Connection,
        rows: Sequence[tuple[int, str, dict[str, str]]],
        source: str,
    ) -> None:
        by_doc = dict(conn.execute(select(documents.c.name, documents.c.participant_id)).all())
        by_person: dict[str, int] = {}
        current: dict[int, dict[str, str]] = {}
        for pid, pseudonym, label, attrs in conn.execute(
            select(
                participants.c.id,
                participants.c.pseudonym,
                participants.c.label,
                participants.c.attributes,
            )
        ):
            by_person[pseudonym] = by_person[label] = pid
            current[pid] = json.loads(attrs)
        given: dict[tuple[int, str], tuple[int, str]] = {}  # (participant, name) → (line, value)
        for line, key, values in rows:
            if key in by_doc:
                pid = by_doc[key]
                if pid is None:
                    raise AttributesError(
                        f"{source}: line {line}: document {key!r} has no interviewee to attach "
                        "attributes to"
                    )
            elif key in by_person:
                pid = by_person[key]
            else:
                raise AttributesError(
                    f"{source}: line {line}: no document or participant named {key!r} in the "
                    "project"
                )
            for name, value in values.items():
                earlier = given.get((pid, name))
                if earlier is not None and earlier[1] != value:
                    raise AttributesError(
                        f"{source}: line {line}: {name!r} is {value!r} here but {earlier[1]!r} on "
                        f"line {earlier[0]} for the same participant; keep one row per participant"
                    )
                given[(pid, name)] = (line, value)
            current[pid].update(values)
            conn.execute(
                update(participants)
                .where(participants.c.id == pid)
                .values(attributes=json.dumps(current[pid], sort_keys=True))
            )

    def join_attributes(
        self, rows: Sequence[tuple[int, str, dict[str, str]]], *, source: str, user: str
    ) -> None:
        """Join attribute rows ``(line, key, values)`` to participants by document name,
        participant pseudonym or label; a key that matches nothing, or two rows that give one
        participant different values, fail the whole call."""

        def work(conn: Connection) -> None:
            self._join_attributes(conn, rows, source)
            self._log(conn, user, AuditAction.ATTRIBUTES, {"source": source, "rows": len(rows)})

        self._write(work, "joining attributes")

    def lock_imports(self) -> None:
        """Inside :meth:`transaction`: wait until no other import runs, and hold that until the
        transaction ends (PostgreSQL advisory lock; a SQLite write transaction is exclusive
        already).  Pseudonyms are allocated under it."""

        def work(conn: Connection) -> None:
            if conn.dialect.name == "postgresql":
                key = func.hashtext(func.concat(func.current_schema(), ":vardag-import"))
                conn.execute(select(func.pg_advisory_xact_lock(key)))

        self._write(work, "waiting for other imports")

    def participant_documents(self) -> dict[int, tuple[str, str, set[str]]]:
        """Every participant: id → (pseudonym, label, checksums of their documents)."""
        with self.engine.connect() as conn:
            people = {
                r.id: (r.pseudonym, r.label, set[str]()) for r in conn.execute(select(participants))
            }
            for pid, checksum in conn.execute(
                select(documents.c.participant_id, documents.c.checksum).where(
                    documents.c.participant_id.is_not(None)
                )
            ):
                people[pid][2].add(checksum)
        return people

    def participant_labels(self) -> dict[str, str]:
        """Every participant's label (as in the stored text) and pseudonym."""
        with self.engine.connect() as conn:
            return dict(conn.execute(select(participants.c.label, participants.c.pseudonym)).all())

    def set_participant_attributes(self, rows: dict[int, dict[str, str]], *, user: str) -> None:
        """Merge attributes into participants (``{participant id: {name: value}}``)."""

        def work(conn: Connection) -> None:
            current = dict(conn.execute(select(participants.c.id, participants.c.attributes)).all())
            for pid, attrs in rows.items():
                merged = {**json.loads(current[pid]), **attrs}
                conn.execute(
                    update(participants)
                    .where(participants.c.id == pid)
                    .values(attributes=json.dumps(merged, sort_keys=True))
                )
            self._log(conn, user, AuditAction.ATTRIBUTES, {str(k): v for k, v in rows.items()})

        self._write(work, "setting attributes")

    # -- frames -------------------------------------------------------------------------------
    def participants_frame(self) -> pd.DataFrame:
        """One row per participant: ``participant`` (pseudonym) and one column per attribute."""
        raw = self._frame(
            select(participants.c.id, participants.c.pseudonym, participants.c.attributes).order_by(
                participants.c.pseudonym
            )
        )
        attrs = [json.loads(a) for a in raw["attributes"]] if len(raw) else []
        frame = pd.DataFrame(
            {"participant_id": raw.get("id", []), "participant": raw.get("pseudonym", [])}
        )
        extra = pd.DataFrame(attrs, index=frame.index)
        return pd.concat([frame, extra], axis=1)

    def documents_frame(self) -> pd.DataFrame:
        """One row per document with its participant, language, format and segment counts."""
        seg_counts = (
            select(
                segments.c.document_id,
                func.count().label("segments"),
                func.sum((segments.c.role == "interviewee").cast(Integer)).label(
                    "codable_segments"
                ),
            )
            .group_by(segments.c.document_id)
            .subquery()
        )
        query = (
            select(
                documents.c.id.label("document_id"),
                documents.c.name.label("document"),
                participants.c.pseudonym.label("participant"),
                documents.c.language,
                documents.c.format,
                documents.c.checksum,
                documents.c.imported_at,
                func.coalesce(seg_counts.c.segments, 0).label("segments"),
                func.coalesce(seg_counts.c.codable_segments, 0).label("codable_segments"),
            )
            .select_from(documents)
            .outerjoin(participants, participants.c.id == documents.c.participant_id)
            .outerjoin(seg_counts, seg_counts.c.document_id == documents.c.id)
            .order_by(documents.c.name)
        )
        return self._frame(query)

    def document_text(self, document_id: int) -> str:
        with self.engine.connect() as conn:
            value = conn.execute(
                select(documents.c.text).where(documents.c.id == document_id)
            ).scalar()
        if value is None:
            raise UnknownItem(f"document {document_id} is not in the project")
        return str(value)

    def segments_query(self) -> Any:
        """The select behind :meth:`segments_frame`, for callers that add filters."""
        return (
            select(
                segments.c.id.label("segment"),
                documents.c.name.label("document"),
                documents.c.id.label("document_id"),
                participants.c.pseudonym.label("participant"),
                segments.c.position,
                segments.c.speaker,
                segments.c.role,
                segments.c.text,
                segments.c.start,
                segments.c.end,
                segments.c.start_time,
                segments.c.end_time,
                documents.c.language,
            )
            .select_from(segments)
            .join(documents, documents.c.id == segments.c.document_id)
            .outerjoin(participants, participants.c.id == documents.c.participant_id)
        )

    def segments_frame(
        self,
        *,
        document: str | Sequence[str] | None = None,
        participant: str | Sequence[str] | None = None,
        role: str | None = None,
        speaker: str | None = None,
        contains: str | None = None,
        coded_by: str | None = None,
        uncoded_by: str | None = None,
        ids: Sequence[int] | None = None,
    ) -> pd.DataFrame:
        """Segments in document order, filtered by the given arguments."""
        query = self.segments_query()
        if document is not None:
            names = [document] if isinstance(document, str) else list(document)
            query = query.where(documents.c.name.in_(names))
        if participant is not None:
            who = [participant] if isinstance(participant, str) else list(participant)
            query = query.where(participants.c.pseudonym.in_(who))
        if role is not None:
            query = query.where(segments.c.role == role)
        if speaker is not None:
            query = query.where(segments.c.speaker == speaker)
        if contains:
            query = query.where(func.lower(segments.c.text).contains(contains.lower()))
        if coded_by is not None:
            query = query.where(
                segments.c.id.in_(select(codings.c.segment_id).where(codings.c.coder == coded_by))
            )
        if uncoded_by is not None:
            query = query.where(
                segments.c.id.not_in(
                    select(codings.c.segment_id).where(codings.c.coder == uncoded_by)
                )
            )
        if ids is not None:
            query = query.where(segments.c.id.in_(list(ids)))
        return self._frame(query.order_by(documents.c.name, segments.c.position))

    def segment(self, segment_id: int) -> dict[str, Any]:
        """One segment as a dict (raises :class:`UnknownItem`)."""
        with self.engine.connect() as conn:
            row = (
                conn.execute(self.segments_query().where(segments.c.id == segment_id))
                .mappings()
                .first()
            )
        if row is None:
            raise UnknownItem(f"segment {segment_id} is not in the project")
        return dict(row)

    def segment_ids(self, *, role: str | None = "interviewee") -> list[int]:
        """Every segment id in document order (only ``role``'s segments unless None)."""
        query = (
            select(segments.c.id)
            .join(documents, documents.c.id == segments.c.document_id)
            .order_by(documents.c.name, segments.c.position)
        )
        if role is not None:
            query = query.where(segments.c.role == role)
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def codings_frame(
        self,
        *,
        coder: str | Sequence[str] | None = None,
        segment: int | Sequence[int] | None = None,
        code: str | Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """One row per coding, with the coded text as ``quote``."""
        query = (
            select(
                codings.c.id.label("coding"),
                codings.c.segment_id.label("segment"),
                documents.c.name.label("document"),
                participants.c.pseudonym.label("participant"),
                codings.c.code_id.label("code"),
                codings.c.coder,
                codings.c.origin,
                codings.c.start,
                codings.c.end,
                segments.c.start.label("segment_start"),
                segments.c.text.label("segment_text"),
                codings.c.created_at,
            )
            .select_from(codings)
            .join(segments, segments.c.id == codings.c.segment_id)
            .join(documents, documents.c.id == segments.c.document_id)
            .outerjoin(participants, participants.c.id == documents.c.participant_id)
            .order_by(documents.c.name, segments.c.position, codings.c.code_id, codings.c.coder)
        )
        for column, wanted in ((codings.c.coder, coder), (codings.c.code_id, code)):
            if wanted is not None:
                values = [wanted] if isinstance(wanted, str) else list(wanted)
                query = query.where(column.in_(values))
        if segment is not None:
            ids = [segment] if isinstance(segment, int) else list(segment)
            query = query.where(codings.c.segment_id.in_(ids))
        frame = self._frame(query)
        if frame.empty:
            frame["quote"] = pd.Series(dtype=str)
        else:
            frame["quote"] = [
                text[s - base : e - base]
                for text, s, e, base in zip(
                    frame["segment_text"],
                    frame["start"],
                    frame["end"],
                    frame["segment_start"],
                    strict=True,
                )
            ]
        return frame.drop(columns=["segment_text", "segment_start"])

    def coded_counts(self, coder: str | None = None) -> dict[str, int]:
        """Codable segments in total and how many have a coding (by ``coder`` or anyone)."""
        coded = select(func.count(func.distinct(codings.c.segment_id)))
        if coder is not None:
            coded = coded.where(codings.c.coder == coder)
        total = select(func.count()).select_from(segments).where(segments.c.role == "interviewee")
        with self.engine.connect() as conn:
            return {
                "segments": int(conn.execute(total).scalar() or 0),
                "coded": int(conn.execute(coded).scalar() or 0),
            }

    def coders(self) -> list[str]:
        """Every coder who has a coding, sorted."""
        with self.engine.connect() as conn:
            return sorted(conn.execute(select(codings.c.coder).distinct()).scalars())

    # -- codebook --------------------------------------------------------------------------
    def save_codebook(
        self,
        codebook: Codebook,
        content: str,
        *,
        author: str,
        note: str,
        undoable: bool = False,
        recoded: Sequence[dict[str, Any]] = (),
    ) -> int:
        """Record a new codebook version and make its codes current; returns the version.

        Codes that left the codebook stay in ``codes`` as inactive so old codings and audit
        rows keep their meaning; a code that still has codings cannot leave (merge it first).
        An ``undoable`` change is undone by saving the version before it again, as a new
        version, with the codings ``recoded`` for it (by :meth:`recode`'s ``moved``) back on
        their old codes; refused when the codebook changed since.
        """
        extra = {"recoded": list(recoded)} if recoded else None

        def work(conn: Connection) -> int:
            return self._save_codebook_in(conn, codebook, content, author, note, undoable, extra)

        return self._write(work, "saving the codebook")  # type: ignore[no-any-return]

    def _save_codebook_in(
        self,
        conn: Connection,
        codebook: Codebook,
        content: str,
        author: str,
        note: str,
        undoable: bool = False,
        extra: dict[str, Any] | None = None,
    ) -> int:
        keep = {c.id for c in codebook.codes}
        used = set(conn.execute(select(codings.c.code_id).distinct()).scalars())
        orphaned = sorted(used - keep)
        if orphaned:
            raise InvalidCode(
                f"codes {', '.join(orphaned)} still have codings: merge or recode them "
                "before removing them from the codebook"
            )
        version = (conn.execute(select(func.max(codebook_versions.c.version))).scalar() or 0) + 1
        conn.execute(
            insert(codebook_versions).values(
                version=version, created_at=now(), author=author, note=note, content=content
            )
        )
        conn.execute(update(codes).values(active=False))
        for position, code in enumerate(codebook.codes):
            self._upsert_code(conn, code, position, active=True)
        payload = {"version": version, "note": note, "previous": version - 1, **(extra or {})}
        self._log(conn, author, AuditAction.CODEBOOK_VERSION, payload, undoable=undoable)
        return int(version)

    def _upsert_code(self, conn: Connection, code: Code, position: int, *, active: bool) -> None:
        row = {
            "id": code.id,
            "parent_id": code.parent,
            "position": position,
            "label_en": code.label.get("en", code.name("sv")),
            "label_sv": code.label.get("sv", code.name("en")),
            "color": code.color,
            "shortcut": code.shortcut,
            "codable": code.codable,
            "active": active,
        }
        self._upsert(conn, codes, row, ["id"], [k for k in row if k != "id"])

    def prepare_codes(self, new_codes: Sequence[Code]) -> None:
        """Make rows for codes about to receive codings before the codebook version that holds
        them is saved (inactive until then); for splitting a code in one transaction."""

        def work(conn: Connection) -> None:
            for code in new_codes:
                self._upsert_code(conn, code, 0, active=False)

        self._write(work, "preparing codes")

    def adopt_theme(
        self,
        codebook: Codebook,
        content: str,
        code_id: str,
        spans: Sequence[tuple[int, int, int]],
        *,
        coder: str,
        note: str,
        theme: dict[str, Any] | None = None,
    ) -> int:
        """Adopt a theme in ONE transaction: ``codebook`` (which holds the new code
        ``code_id``) becomes a new version, and each ``(segment, start, end)`` span is coded
        with it by ``coder`` with origin ``theme``.  One undoable audit row records both (with
        ``theme``, say its label and parent), so that undo takes code and codings away
        together and redo brings them back.  Returns the version."""
        coder = coder_name(coder)

        def work(conn: Connection) -> int:
            rows = []
            for segment_id, start, end in spans:
                s, e = self._span(conn, segment_key(segment_id), start, end, interviewer=False)
                rows.append(
                    {
                        "segment_id": segment_key(segment_id),
                        "code_id": code_id,
                        "coder": coder,
                        "start": s,
                        "end": e,
                        "origin": str(Origin.THEME),
                    }
                )
            extra = {"theme": {**(theme or {}), "code": code_id}, "codings": rows}
            version = self._save_codebook_in(
                conn, codebook, content, coder, note, undoable=True, extra=extra
            )
            self._check_code(conn, code_id)
            stamp = now()
            for row in rows:
                self._insert_ignore(conn, codings, {**row, "created_at": stamp})
            return version

        return self._write(work, "adopting a theme")  # type: ignore[no-any-return]

    def _delete_codings(self, conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
        """Delete the codings ``rows`` name (segment_id, code_id, coder, start, end)."""
        for row in rows:
            key = {k: row[k] for k in ("segment_id", "code_id", "coder", "start", "end")}
            conn.execute(
                delete(codings).where(*(getattr(codings.c, k) == v for k, v in key.items()))
            )

    def last_undoable(self, coder: str) -> dict[str, Any] | None:
        """The coder's latest action that undo would revert (id, action, payload), or None."""
        with self.engine.connect() as conn:
            row = self._last_undoable(
                conn, coder, audit.c.undone_by.is_(None), order=audit.c.id.desc()
            )
        if row is None:
            return None
        return {"id": row["id"], "action": AuditAction(row["action"]), **json.loads(row["payload"])}

    def change_stamp(self) -> tuple[Any, ...]:
        """What changes whenever the project does: the last audit row (every write appends
        one) and the count and last id of the codings (a cheap query for readers' caches)."""
        with self.engine.connect() as conn:
            last = conn.execute(select(func.max(audit.c.id))).scalar()
            count, top = conn.execute(select(func.count(), func.max(codings.c.id))).one()
        return (last, count, top)

    def codebook_content(self, version: int | None = None) -> tuple[int, str] | None:
        """``(version, YAML)`` of the given or the latest codebook version, or None."""
        query = select(codebook_versions.c.version, codebook_versions.c.content)
        if version is None:
            query = query.order_by(codebook_versions.c.version.desc()).limit(1)
        else:
            query = query.where(codebook_versions.c.version == version)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return (int(row[0]), str(row[1])) if row else None

    def grant_read_only(self, role: str, *, password: str | None = None) -> None:
        """PostgreSQL: create (if needed) a login role that can only read this project.

        Dashboards connect as that role; every table is granted SELECT, nothing else.
        """
        if self.engine.dialect.name != "postgresql":
            raise ProjectError(
                "read-only roles are for PostgreSQL projects; SQLite dashboards "
                "open the file read-only"
            )
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", role):
            raise ProjectError(f"role name {role!r}: use lowercase letters, digits and _")

        def work(conn: Connection) -> None:
            schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
            exists = conn.exec_driver_sql(
                "SELECT 1 FROM pg_roles WHERE rolname = %(r)s", {"r": role}
            ).scalar()
            if not exists:
                conn.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN')
            if password is not None:
                # Only a SCRAM verifier computed here goes to the server: the password never
                # appears in a statement, a server log or an error message.
                pgconn = conn.connection.driver_connection.pgconn  # type: ignore[union-attr]
                verifier = pgconn.encrypt_password(
                    password.encode(), role.encode(), b"scram-sha-256"
                ).decode("ascii")
                conn.exec_driver_sql(f"ALTER ROLE \"{role}\" PASSWORD '{verifier}'")
            conn.exec_driver_sql(f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"')
            conn.exec_driver_sql(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO "{role}"')
            conn.exec_driver_sql(
                f'ALTER DEFAULT PRIVILEGES IN SCHEMA "{schema}" GRANT SELECT ON TABLES TO "{role}"'
            )

        try:
            self._write(work, "granting read access")
        except DBAPIError as exc:  # the statement may carry the verifier: never show it
            diag = getattr(exc.orig, "diag", None)
            reason = getattr(diag, "message_primary", None) or type(exc.orig).__name__
            raise ProjectError(f"granting read access to {role} failed: {reason}") from None

    def codebook_versions_frame(self) -> pd.DataFrame:
        return self._frame(
            select(
                codebook_versions.c.version,
                codebook_versions.c.created_at,
                codebook_versions.c.author,
                codebook_versions.c.note,
            ).order_by(codebook_versions.c.version)
        )

    def recode(
        self,
        mapping: dict[str, str],
        *,
        user: str,
        segments_only: Sequence[int] | None = None,
        moved_rows: list[dict[str, Any]] | None = None,
    ) -> int:
        """Move every coding of each source code to its target code (all coders); audited.

        Used when codes are merged or split.  Returns the number of codings moved; each moved
        coding (its old values, and whether the target coding was new) is appended to
        ``moved_rows``, for an undoable codebook version (:meth:`save_codebook`).
        """

        def work(conn: Connection) -> int:
            moved = 0
            for source, target in mapping.items():
                rows = conn.execute(
                    select(codings).where(codings.c.code_id == source)
                    if segments_only is None
                    else select(codings).where(
                        codings.c.code_id == source, codings.c.segment_id.in_(segments_only)
                    )
                ).mappings()
                for row in list(rows):
                    values = {k: row[k] for k in row if k != "id"}
                    values["code_id"] = target
                    conn.execute(delete(codings).where(codings.c.id == row["id"]))
                    inserted = self._insert_ignore(conn, codings, values)
                    if moved_rows is not None:
                        old = {k: row[k] for k in row if k != "id"}
                        moved_rows.append({"coding": old, "to": target, "new": inserted})
                    moved += 1
            self._log(conn, user, AuditAction.CODINGS_RECODE, {"mapping": mapping, "moved": moved})
            return moved

        return self._write(work, "recoding")  # type: ignore[no-any-return]

    def _insert_ignore(self, conn: Connection, table: Any, values: dict[str, Any]) -> bool:
        dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
        stmt = dialect.insert(table).values(**values).on_conflict_do_nothing()
        return conn.execute(stmt.returning(table.c.id)).first() is not None

    # -- codings ----------------------------------------------------------------------------
    def _check_code(self, conn: Connection, code_id: str) -> None:
        row = conn.execute(
            select(codes.c.codable, codes.c.active).where(codes.c.id == code_id)
        ).first()
        if row is None or not row.active:
            raise UnknownItem(f"code {code_id!r} is not in the project's codebook")
        if not row.codable:
            raise InvalidCode(f"code {code_id!r} is a group; choose one of its codes")

    def _span(
        self,
        conn: Connection,
        segment_id: int,
        start: int | None,
        end: int | None,
        *,
        interviewer: bool = True,
    ) -> tuple[int, int]:
        row = conn.execute(
            select(segments.c.start, segments.c.end, segments.c.role).where(
                segments.c.id == segment_id
            )
        ).first()
        if row is None:
            raise UnknownItem(f"segment {segment_id} is not in the project")
        if row.role == "interviewer" and not interviewer:
            raise InvalidCode(
                f"segment {segment_id} is an interviewer's turn: context, not data (code it with "
                "interviewer=True when the study analyses its interviewers)"
            )
        s = row.start if start is None else start
        e = row.end if end is None else end
        if not (row.start <= s < e <= row.end):
            raise InvalidCode(
                f"span {s}-{e} is not inside segment {segment_id} ({row.start}-{row.end})"
            )
        return int(s), int(e)

    def add_coding(
        self,
        segment_id: int,
        code_id: str,
        coder: str,
        *,
        start: int | None = None,
        end: int | None = None,
        origin: str = Origin.HUMAN,
        interviewer: bool = False,
    ) -> bool:
        """Code a segment (or the span ``start``-``end`` of it); False if it already was.

        An interviewer's turn is refused unless ``interviewer`` says the study codes them.
        """
        segment_id, coder, origin = segment_key(segment_id), coder_name(coder), _origin(origin)

        def work(conn: Connection) -> bool:
            self._check_code(conn, code_id)
            s, e = self._span(conn, segment_id, start, end, interviewer=interviewer)
            values = {
                "segment_id": segment_id,
                "code_id": code_id,
                "coder": coder,
                "start": s,
                "end": e,
                "origin": str(origin),
                "created_at": now(),
            }
            if not self._insert_ignore(conn, codings, values):
                return False
            self._log(conn, coder, AuditAction.CODING_ADD, values, undoable=True)
            return True

        return bool(self._write(work, "adding a coding"))

    def remove_coding(
        self,
        segment_id: int,
        code_id: str,
        coder: str,
        *,
        start: int | None = None,
        end: int | None = None,
    ) -> bool:
        """Remove one coding; False if there was none."""
        segment_id, coder = segment_key(segment_id), coder_name(coder)

        def work(conn: Connection) -> bool:
            s, e = self._span(conn, segment_id, start, end)
            where = and_(
                codings.c.segment_id == segment_id,
                codings.c.code_id == code_id,
                codings.c.coder == coder,
                codings.c.start == s,
                codings.c.end == e,
            )
            row = conn.execute(select(codings).where(where)).mappings().first()
            if row is None:
                return False
            conn.execute(delete(codings).where(codings.c.id == row["id"]))
            self._log(
                conn,
                coder,
                AuditAction.CODING_REMOVE,
                {k: row[k] for k in row if k != "id"},
                undoable=True,
            )
            return True

        return bool(self._write(work, "removing a coding"))

    def bulk_add_codings(self, rows: Sequence[dict[str, Any]], *, user: str) -> int:
        """Insert many codings in one transaction (importing a coder's work); returns the count
        of new ones.  Each row: segment_id, code_id, coder, start, end, origin."""

        def work(conn: Connection) -> int:
            known = {
                row.id: row
                for row in conn.execute(select(codes.c.id, codes.c.codable, codes.c.active))
            }
            stamp = now()
            added = 0
            for row in rows:
                code = known.get(row["code_id"])
                if code is None or not code.active or not code.codable:
                    raise UnknownItem(f"code {row['code_id']!r} is not a codable code")
                values = {
                    **row,
                    "coder": coder_name(row["coder"]),
                    "origin": str(_origin(row.get("origin", Origin.HUMAN))),
                    "created_at": row.get("created_at") or stamp,
                }
                added += self._insert_ignore(conn, codings, values)
            self._log(
                conn,
                user,
                AuditAction.CODINGS_IMPORT,
                {"rows": len(rows), "added": added},
                at=stamp,
            )
            return added

        return self._write(work, "importing codings")  # type: ignore[no-any-return]

    def settle(
        self,
        segment_id: int,
        decided: Sequence[tuple[str, int | None, int | None]],
        *,
        layer: str,
        user: str,
        note: str = "",
    ) -> None:
        """Replace ``layer``'s codings of a segment by ``decided`` ``(code, start, end)`` rows
        in one transaction (adjudication writes the ``consensus`` layer); audited with who
        decided, what was there before and what is there now."""

        def work(conn: Connection) -> None:
            for code_id, _, _ in decided:
                self._check_code(conn, code_id)
            rows = [(c, *self._span(conn, segment_id, s, e)) for c, s, e in decided]
            where = and_(codings.c.segment_id == segment_id, codings.c.coder == layer)
            before = [
                [r.code_id, r.start, r.end]
                for r in conn.execute(
                    select(codings.c.code_id, codings.c.start, codings.c.end).where(where)
                )
            ]
            conn.execute(delete(codings).where(where))
            stamp = now()
            for code_id, s, e in rows:
                self._insert_ignore(
                    conn,
                    codings,
                    {
                        "segment_id": segment_id,
                        "code_id": code_id,
                        "coder": layer,
                        "start": s,
                        "end": e,
                        "origin": "human",
                        "created_at": stamp,
                    },
                )
            self._log(
                conn,
                user,
                AuditAction.CODINGS_SETTLE,
                {
                    "segment_id": segment_id,
                    "layer": layer,
                    "before": sorted(before),
                    "after": sorted([list(r) for r in rows]),
                    "note": note,
                },
                at=stamp,
            )

        self._write(work, "settling a disagreement")

    # -- suggestion models and the review queue ---------------------------------------------------
    def save_model(
        self, name: str, content: bytes, *, codebook_hash: str, fmt: str, info: dict[str, Any]
    ) -> str:
        """Store a fitted model (bytes in a safe format) tied to the codebook it was fitted for;
        returns its ``fitted_at`` stamp."""

        stamp = now()

        def work(conn: Connection) -> None:
            row = {
                "name": name,
                "codebook_hash": codebook_hash,
                "format": fmt,
                "content": content,
                "fitted_at": stamp,
                "info": json.dumps(info, sort_keys=True),
            }
            self._upsert(conn, models, row, ["name"], [k for k in row if k != "name"])

        self._write(work, "saving the model")
        return stamp

    def load_model(self, name: str) -> dict[str, Any] | None:
        """The stored model ``name`` (content, codebook_hash, format, fitted_at, info) or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(models).where(models.c.name == name)).mappings().first()
        if row is None:
            return None
        return {**row, "content": bytes(row["content"]), "info": json.loads(row["info"])}

    def queue_suggestions(self, rows: Sequence[dict[str, Any]], *, user: str) -> int:
        """Replace the open review items of the queue with ``rows`` (segment_id, code_id,
        confidence, reason); items already accepted or rejected, and validation draws, stay as
        they are.  Never writes codings."""

        def work(conn: Connection) -> int:
            conn.execute(
                delete(suggestion_queue).where(
                    suggestion_queue.c.status == "open",
                    suggestion_queue.c.purpose == QueuePurpose.REVIEW.value,
                )
            )
            stamp = now()
            added = 0
            for row in rows:
                added += self._insert_ignore(
                    conn,
                    suggestion_queue,
                    {
                        **row,
                        "status": "open",
                        "created_at": stamp,
                        "purpose": QueuePurpose.REVIEW.value,
                    },
                )
            self._log(conn, user, AuditAction.SUGGESTIONS_QUEUE, {"items": added}, at=stamp)
            return added

        return self._write(work, "filling the review queue")  # type: ignore[no-any-return]

    def suggestion_queue_frame(self, status: str | None = "open") -> pd.DataFrame:
        """The review queue with each item's segment text, highest confidence first."""
        query = (
            select(
                suggestion_queue.c.id,
                suggestion_queue.c.segment_id.label("segment"),
                documents.c.name.label("document"),
                suggestion_queue.c.code_id.label("code"),
                suggestion_queue.c.confidence,
                suggestion_queue.c.reason,
                suggestion_queue.c.status,
                segments.c.text,
            )
            .join(segments, segments.c.id == suggestion_queue.c.segment_id)
            .join(documents, documents.c.id == segments.c.document_id)
            .order_by(suggestion_queue.c.confidence.desc())
        )
        if status is not None:
            query = query.where(suggestion_queue.c.status == status)
        return self._frame(query)

    def review_suggestion(self, item: int, status: str, *, user: str) -> None:
        """Mark a queued suggestion accepted or rejected (the caller writes the coding)."""

        def work(conn: Connection) -> None:
            conn.execute(
                update(suggestion_queue)
                .where(suggestion_queue.c.id == item)
                .values(status=status, reviewer=user, reviewed_at=now())
            )
            self._log(conn, user, _REVIEWED[status], {"item": item})

        self._write(work, "reviewing a suggestion")

    def queue_validation(self, rows: Sequence[dict[str, Any]], *, user: str) -> int:
        """Add a validation draw to the review queue in one transaction: ``rows`` of
        segment_id, code_id, confidence (the probability when drawn) and weight (how many
        predictions the item stands for), all stamped with one ``created_at`` that names the
        draw.  Open review items and earlier draws stay.  An item already queued for the same
        segment and code becomes part of this draw and keeps its decision, if it has one (a
        decision is the same whoever asked for it).  Returns the number of items."""

        def work(conn: Connection) -> int:
            stamp = now()
            dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
            for row in rows:
                values = {
                    "segment_id": int(row["segment_id"]),
                    "code_id": str(row["code_id"]),
                    "confidence": float(row["confidence"]),
                    "weight": float(row["weight"]),
                    "reason": str(row.get("reason", "")),
                    "purpose": QueuePurpose.VALIDATION.value,
                    "status": "open",
                    "created_at": stamp,
                }
                stmt = dialect.insert(suggestion_queue).values(**values)
                keep = ("confidence", "weight", "purpose", "created_at")
                conn.execute(
                    stmt.on_conflict_do_update(
                        index_elements=["segment_id", "code_id"],
                        set_={k: stmt.excluded[k] for k in keep},
                    )
                )
            self._log(
                conn,
                user,
                AuditAction.SUGGESTIONS_QUEUE,
                {"purpose": QueuePurpose.VALIDATION.value, "items": len(rows)},
                at=stamp,
            )
            return len(rows)

        return self._write(work, "drawing a validation sample")  # type: ignore[no-any-return]

    def queue_frame(self, *, purpose: QueuePurpose | str | None = None) -> pd.DataFrame:
        """Every queue item, decided or not: id, segment, code, confidence, status, purpose,
        weight, reviewer, reviewed_at, created_at (which names a validation draw)."""
        query = select(
            suggestion_queue.c.id,
            suggestion_queue.c.segment_id.label("segment"),
            suggestion_queue.c.code_id.label("code"),
            suggestion_queue.c.confidence,
            suggestion_queue.c.status,
            suggestion_queue.c.purpose,
            suggestion_queue.c.weight,
            suggestion_queue.c.reviewer,
            suggestion_queue.c.reviewed_at,
            suggestion_queue.c.created_at,
        ).order_by(suggestion_queue.c.id)
        if purpose is not None:
            query = query.where(suggestion_queue.c.purpose == str(purpose))
        return self._frame(query)

    # -- the model's predictions (never codings) and the embedding cache -------------------------
    def replace_predictions(
        self,
        rows: Iterable[tuple[int, str, float]],
        *,
        model_fitted_at: str,
        codebook_hash: str,
    ) -> int:
        """Replace every stored prediction by ``rows`` of ``(segment id, code id, probability)``
        in ONE transaction, so a failure or a killed process leaves the previous predictions
        as they were.  Rows go in batches (PostgreSQL: ``COPY``; 100,000 rows in about a
        second on either database).  Returns the number stored.

        ``rows`` is read inside the transaction; a one-shot iterator is read into a list
        first, because a busy database makes the transaction run again.
        """
        if not isinstance(rows, Sequence):
            rows = list(rows)
        tail = (model_fitted_at, codebook_hash)
        columns = ("segment_id", "code_id", "probability", "model_fitted_at", "codebook_hash")

        def work(conn: Connection) -> int:
            conn.execute(delete(predictions))
            stored = 0
            batches = _batches(rows, _BATCH)
            if conn.dialect.name == "postgresql":
                cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
                with (
                    cursor,
                    cursor.copy(f"COPY predictions ({', '.join(columns)}) FROM STDIN") as cp,
                ):
                    for batch in batches:
                        for s, c, p in batch:
                            cp.write_row((int(s), str(c), float(p), *tail))
                        stored += len(batch)
                return stored
            for batch in batches:
                conn.execute(
                    insert(predictions),
                    [
                        dict(zip(columns, (int(s), str(c), float(p), *tail), strict=True))
                        for s, c, p in batch
                    ],
                )
                stored += len(batch)
            return stored

        return self._write(work, "storing the predictions")  # type: ignore[no-any-return]

    def predictions_frame(
        self,
        *,
        code: str | Sequence[str] | None = None,
        min_probability: float = 0.0,
        text: bool = True,
    ) -> pd.DataFrame:
        """Stored predictions with their segment: segment, document, participant, code,
        probability, model_fitted_at, codebook_hash (and text), in document order."""
        cols = [
            predictions.c.segment_id.label("segment"),
            documents.c.name.label("document"),
            participants.c.pseudonym.label("participant"),
            predictions.c.code_id.label("code"),
            predictions.c.probability,
            *([segments.c.text] if text else []),
            predictions.c.model_fitted_at,
            predictions.c.codebook_hash,
        ]
        query = (
            select(*cols)
            .select_from(predictions)
            .join(segments, segments.c.id == predictions.c.segment_id)
            .join(documents, documents.c.id == segments.c.document_id)
            .outerjoin(participants, participants.c.id == documents.c.participant_id)
            .order_by(documents.c.name, segments.c.position, predictions.c.code_id)
        )
        if code is not None:
            query = query.where(
                predictions.c.code_id.in_([code] if isinstance(code, str) else code)
            )
        if min_probability > 0.0:
            query = query.where(predictions.c.probability >= min_probability)
        return self._frame(query)

    def prediction_versions(self) -> pd.DataFrame:
        """What the stored predictions came from: model_fitted_at, codebook_hash, rows,
        segments (one row per pair; more than one only if something went wrong)."""
        return self._frame(
            select(
                predictions.c.model_fitted_at,
                predictions.c.codebook_hash,
                func.count().label("rows"),
                func.count(func.distinct(predictions.c.segment_id)).label("segments"),
            ).group_by(predictions.c.model_fitted_at, predictions.c.codebook_hash)
        )

    def get_embeddings(self, model: str, hashes: Sequence[str]) -> dict[str, bytes]:
        """Stored vectors (bytes) of ``model`` for those of ``hashes`` that are known."""
        out: dict[str, bytes] = {}
        wanted = list(dict.fromkeys(hashes))
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                for h, vector in conn.execute(
                    select(embeddings.c.text_hash, embeddings.c.vector).where(
                        embeddings.c.model == model, embeddings.c.text_hash.in_(chunk)
                    )
                ):
                    out[str(h)] = bytes(vector)
        return out

    def put_embeddings(self, model: str, vectors: dict[str, bytes]) -> None:
        """Store vectors (bytes) of ``model`` by text hash, replacing any held; one
        transaction."""
        if not vectors:
            return

        def work(conn: Connection) -> None:
            dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
            stmt = dialect.insert(embeddings)
            stmt = stmt.on_conflict_do_update(
                index_elements=["model", "text_hash"], set_={"vector": stmt.excluded.vector}
            )
            items = [{"model": model, "text_hash": h, "vector": v} for h, v in vectors.items()]
            for start in range(0, len(items), _BATCH):
                conn.execute(stmt, items[start : start + _BATCH])

        self._write(work, "storing sentence vectors")

    # -- memos ------------------------------------------------------------------------------
    def set_memo(self, kind: str, target: str | int, coder: str, text: str) -> None:
        """Write (or with empty ``text`` clear) a coder's memo on a segment, document, code or
        the project."""
        if kind not in MEMO_KINDS:
            raise UnknownItem(f"memo kind {kind!r} is not one of {', '.join(MEMO_KINDS)}")
        coder = coder_name(coder)

        def work(conn: Connection) -> None:
            self._check_memo_target(conn, kind, target)
            where = and_(
                memos.c.kind == kind, memos.c.target == str(target), memos.c.coder == coder
            )
            old = conn.execute(select(memos.c.text).where(where)).scalar()
            if (old or "") == text:
                return
            self._apply_memo(conn, kind, str(target), coder, text)
            self._log(
                conn,
                coder,
                AuditAction.MEMO_SET,
                {"kind": kind, "target": str(target), "old": old or "", "new": text},
                undoable=True,
            )

        self._write(work, "saving a memo")

    @staticmethod
    def _check_memo_target(conn: Connection, kind: str, target: str | int) -> None:
        """A memo on a segment, document or code that the project has (any text for the
        project journal)."""
        table, column = {
            "segment": (segments, segments.c.id),
            "document": (documents, documents.c.id),
            "code": (codes, codes.c.id),
        }.get(kind, (None, None))
        if table is None or column is None:
            return
        key: str | int = str(target) if kind == "code" else segment_key(target)
        if conn.execute(select(column).where(column == key)).first() is None:
            raise UnknownItem(f"{kind} {target!r} is not in the project: no memo written")

    def _apply_memo(self, conn: Connection, kind: str, target: str, coder: str, text: str) -> None:
        where = and_(memos.c.kind == kind, memos.c.target == target, memos.c.coder == coder)
        if text:
            self._upsert(
                conn,
                memos,
                {"kind": kind, "target": target, "coder": coder, "text": text, "updated_at": now()},
                ["kind", "target", "coder"],
                ["text", "updated_at"],
            )
        else:
            conn.execute(delete(memos).where(where))

    def memo(self, kind: str, target: str | int, coder: str) -> str:
        with self.engine.connect() as conn:
            value = conn.execute(
                select(memos.c.text).where(
                    memos.c.kind == kind, memos.c.target == str(target), memos.c.coder == coder
                )
            ).scalar()
        return str(value or "")

    def memos_frame(self) -> pd.DataFrame:
        return self._frame(select(memos).order_by(memos.c.kind, memos.c.target, memos.c.coder))

    # -- audit, undo, redo ----------------------------------------------------------------------
    def _log(
        self,
        conn: Connection,
        who: str,
        action: AuditAction,
        payload: dict[str, Any],
        *,
        undoable: bool = False,
        at: str | None = None,
    ) -> int:
        """Append an audit row (who did what, when); ``undoable`` rows are what undo reverts."""
        result = conn.execute(
            insert(audit).values(
                at=at or now(),
                coder=who,
                action=action,
                payload=json.dumps(payload, sort_keys=True),
                undoable=undoable,
            )
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def _apply(
        self,
        conn: Connection,
        action: AuditAction,
        payload: dict[str, Any],
        coder: str,
        inverse: bool,
    ) -> None:
        if action == AuditAction.MEMO_SET:
            text = payload["old"] if inverse else payload["new"]
            self._apply_memo(conn, payload["kind"], payload["target"], coder, text)
            return
        if action == AuditAction.CODEBOOK_VERSION:
            self._check_codebook_unchanged(conn, payload, inverse)
            # An adopted theme's codings (see adopt_theme) go and come back with its code;
            # codings moved by a merge or split go back to their old code and return.
            adopted = payload.get("codings", [])
            if inverse:
                self._delete_codings(conn, adopted)
            self._move_back(conn, payload.get("recoded", []), inverse)
            wanted = payload["previous"] if inverse else payload["version"]
            content = conn.execute(
                select(codebook_versions.c.content).where(codebook_versions.c.version == wanted)
            ).scalar_one()
            book = Codebook.from_yaml(content, source=f"codebook version {wanted}")
            verb = "undo" if inverse else "redo"
            note = f"{verb} of version {payload['version']}"
            self._save_codebook_in(conn, book, content, coder, note)
            if not inverse:
                stamp = now()
                for row in adopted:
                    self._insert_ignore(conn, codings, {**row, "created_at": stamp})
            return
        adding = (action == AuditAction.CODING_ADD) != inverse
        key = {k: payload[k] for k in ("segment_id", "code_id", "coder", "start", "end")}
        if adding:
            self._insert_ignore(conn, codings, {**payload, "created_at": now()})
        else:
            conn.execute(
                delete(codings).where(*(getattr(codings.c, k) == v for k, v in key.items()))
            )

    @staticmethod
    def _check_codebook_unchanged(conn: Connection, payload: dict[str, Any], inverse: bool) -> None:
        """Undo (redo) restores the codebook before (after) a change: refused when the codebook
        is no longer as that change left (found) it, so nobody's later change is lost."""
        expected = payload["version"] if inverse else payload["previous"]
        contents = dict(
            conn.execute(
                select(codebook_versions.c.version, codebook_versions.c.content).where(
                    codebook_versions.c.version.in_(
                        [expected, select(func.max(codebook_versions.c.version)).scalar_subquery()]
                    )
                )
            ).all()
        )
        latest = max(contents)
        if contents.get(expected) != contents[latest]:
            raise InvalidCode(
                f"the codebook changed after this change ({payload['note']}): version "
                f"{latest} is the latest; undo that first, or change the codebook by hand"
            )

    def _move_back(self, conn: Connection, recoded: list[dict[str, Any]], inverse: bool) -> None:
        """Codings a merge or split moved: back to their old code (undo) or moved again (redo)."""
        for item in recoded:
            old = item["coding"]
            key = {k: old[k] for k in ("segment_id", "coder", "start", "end")}
            where_old = [getattr(codings.c, k) == v for k, v in key.items()]
            if inverse:
                if item["new"]:
                    conn.execute(delete(codings).where(*where_old, codings.c.code_id == item["to"]))
                self._insert_ignore(conn, codings, old)
            else:
                conn.execute(delete(codings).where(*where_old, codings.c.code_id == old["code_id"]))
                self._insert_ignore(conn, codings, {**old, "code_id": item["to"]})

    def _replay(self, conn: Connection, row: Any, coder: str, *, inverse: bool) -> dict[str, Any]:
        """Revert (undo) or re-apply (redo) one audited action and log that it happened."""
        payload = json.loads(row["payload"])
        self._apply(conn, AuditAction(row["action"]), payload, coder, inverse=inverse)
        if inverse:
            marker: int | None = self._log(conn, coder, AuditAction.UNDO, {"undoes": row["id"]})
        else:
            marker = None
            self._log(conn, coder, AuditAction.REDO, {"redoes": row["id"]})
        conn.execute(update(audit).where(audit.c.id == row["id"]).values(undone_by=marker))
        return {"action": AuditAction(row["action"]), **payload}

    @staticmethod
    def _last_undoable(conn: Connection, coder: str, *where: Any, order: Any) -> Any:
        """The coder's first undoable audit row by ``order`` that matches ``where`` (or None)."""
        query = select(audit).where(audit.c.coder == coder, audit.c.undoable, *where)
        return conn.execute(query.order_by(order).limit(1)).mappings().first()

    def undo(self, coder: str) -> dict[str, Any] | None:
        """Revert the coder's latest action that is not undone; returns it (None: nothing)."""

        def work(conn: Connection) -> dict[str, Any] | None:
            row = self._last_undoable(
                conn, coder, audit.c.undone_by.is_(None), order=audit.c.id.desc()
            )
            return None if row is None else self._replay(conn, row, coder, inverse=True)

        return self._write(work, "undo")  # type: ignore[no-any-return]

    def redo(self, coder: str) -> dict[str, Any] | None:
        """Re-apply the coder's most recently undone action, unless they have acted since."""

        def work(conn: Connection) -> dict[str, Any] | None:
            last_fresh = (
                conn.execute(
                    select(func.max(audit.c.id)).where(audit.c.coder == coder, audit.c.undoable)
                ).scalar()
                or 0
            )
            row = self._last_undoable(
                conn,
                coder,
                audit.c.undone_by.is_not(None),
                audit.c.undone_by > last_fresh,
                order=audit.c.undone_by.desc(),
            )
            return None if row is None else self._replay(conn, row, coder, inverse=False)

        return self._write(work, "redo")  # type: ignore[no-any-return]

    def audit_frame(self, coder: str | None = None) -> pd.DataFrame:
        query = select(audit).order_by(audit.c.id)
        if coder is not None:
            query = query.where(audit.c.coder == coder)
        return self._frame(query)

    def iter_segment_texts(self, role: str | None = "interviewee") -> Iterator[tuple[int, str]]:
        """``(segment id, text)`` for every segment, streamed (for fitting suggesters)."""
        query = select(segments.c.id, segments.c.text).order_by(segments.c.id)
        if role is not None:
            query = query.where(segments.c.role == role)
        with self.engine.connect() as conn:
            yield from conn.execute(query).tuples()


def _batches(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """``rows`` in lists of at most ``size``."""
    it = iter(rows)
    while batch := list(itertools.islice(it, size)):
        yield batch


class StoreEmbeddingCache:
    """Sentence vectors kept in the project database: an ``EmbeddingCache`` (see
    :mod:`workbench.suggest._embed`) for ``with embedding_cache(StoreEmbeddingCache(store)):``,
    so a refit, the calibration folds and the next session encode each text once.

    Vectors are float32 bytes keyed by model key and text hash.  A read-only store serves what
    it holds and keeps nothing new.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def get_many(self, model_key: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """The vectors held for those of ``hashes`` that are known."""
        found = self.store.get_embeddings(model_key, hashes)
        return {h: np.frombuffer(v, dtype=np.float32) for h, v in found.items()}

    def put_many(self, model_key: str, vectors: Any) -> None:
        """Keep ``vectors`` (text hash -> vector) for ``model_key``, replacing any held."""
        if self.store.read_only:
            return
        self.store.put_embeddings(
            model_key,
            {h: np.asarray(v, dtype=np.float32).ravel().tobytes() for h, v in vectors.items()},
        )


class _Inner(Exception):
    """Carries a database error out of a joined store call (see :meth:`Store.transaction`)."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


class _Joined:
    """Looks like an engine to :class:`Store`, but every ``begin()`` and ``connect()`` joins one
    open transaction, so reads see its own writes and the owner commits or rolls back."""

    def __init__(self, conn: Connection) -> None:
        self.connection = conn
        self.dialect = conn.dialect

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        try:
            yield self.connection
        except WorkbenchError:
            raise
        except Exception as exc:  # a database error: the transaction's owner handles it
            raise _Inner(exc) from exc

    def connect(self) -> Any:
        return self.begin()

    def dispose(self) -> None:
        """Nothing to release: the owner holds the connection."""
