"""The store on SQLite and PostgreSQL: import, codings, memos, audit, undo/redo."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _helpers import numbered as pseudonym
from sqlalchemy import (
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    text,
)
from sqlalchemy.exc import IntegrityError

from workbench.codebook._model import Code, Codebook
from workbench.errors import AttributesError, InvalidCode, ProjectError, UnknownItem
from workbench.ingest._model import Segment, Transcript
from workbench.store import Store, postgres_engine, sqlite_engine
from workbench.store._schema import SCHEMA_VERSION
from workbench.store._schema import codings as codings_table
from workbench.store._schema import suggestion_queue as queue_table

BOOK = Codebook(
    id="t",
    title={"en": "Test"},
    codes=(
        Code(id="g", label={"en": "Group", "sv": "Grupp"}, codable=False),
        Code(id="needs", label={"en": "Needs", "sv": "Behov"}, parent="g"),
        Code(id="trust", label={"en": "Trust", "sv": "Tillit"}, parent="g"),
    ),
)


def transcript(name: str, who: str = "Anna", words: str = "we need help") -> Transcript:
    text_ = f"Interviewer: what do you need?\n\n{who}: {words}"
    first = text_.index("what")
    second = text_.index(words)
    return Transcript(
        name=name,
        format="txt",
        checksum=f"sum-{name}-{who}-{words}",
        text=text_,
        language="en",
        participant=who,
        segments=[
            Segment("Interviewer", "interviewer", "what do you need?", first, first + 17),
            Segment(who, "interviewee", words, second, second + len(words), 1.5, 4.0),
        ],
    )


def make_store(db: str | None, tmp_path: Path) -> Store:
    if db is None:
        engine = sqlite_engine(tmp_path / "p.sqlite")
    else:
        url, schema = db.split("?schema=")
        engine = postgres_engine(url, schema=schema)
    store = Store(engine)
    store.create_or_migrate(sqlite_file=tmp_path / "p.sqlite" if db is None else None)
    store.save_codebook(BOOK, "yaml", author="t", note="")
    return store


def imported(store: Store, *names: str) -> None:
    store.import_transcripts(
        [transcript(n, who=f"Person{i}") for i, n in enumerate(names)],
        user="t",
        participant_pseudonym=pseudonym,
    )


def test_store_schema_version_recorded(db: str | None, tmp_path: Path) -> None:
    store = make_store(db, tmp_path)
    assert store.get_meta("schema_version") == str(SCHEMA_VERSION)


def test_store_import_segments_with_offsets(db: str | None, tmp_path: Path) -> None:
    store = make_store(db, tmp_path)
    report = store.import_transcripts(
        [transcript("a.txt")], user="t", participant_pseudonym=pseudonym
    )
    assert report.imported == ["a.txt"] and report.segments == 2
    segs = store.segments_frame()
    assert list(segs["role"]) == ["interviewer", "interviewee"]
    assert list(segs["participant"]) == ["P01", "P01"]
    doc = store.document_text(int(segs["document_id"][0]))
    for row in segs.itertuples():
        assert doc[row.start : row.end] == row.text
    assert segs["start_time"].iloc[1] == 1.5


def test_store_reimport_same_checksum_skipped(db: str | None, tmp_path: Path) -> None:
    store = make_store(db, tmp_path)
    imported(store, "a.txt")
    again = store.import_transcripts(
        [transcript("a.txt", who="Person0")], user="t", participant_pseudonym=pseudonym
    )
    changed = store.import_transcripts(
        [transcript("a.txt", words="changed")], user="t", participant_pseudonym=pseudonym
    )
    assert again.skipped == ["a.txt"] and changed.changed == ["a.txt"]
    assert len(store.documents_frame()) == 1


def test_store_failed_import_leaves_nothing(db: str | None, tmp_path: Path) -> None:
    store = make_store(db, tmp_path)

    def broken():  # type: ignore[no-untyped-def]
        yield transcript("a.txt")
        raise ValueError("reader failed")

    with pytest.raises(ValueError):
        store.import_transcripts(broken(), user="t", participant_pseudonym=pseudonym)
    assert store.documents_frame().empty and store.segments_frame().empty


def test_store_attributes_unknown_key_rolls_back(db: str | None, tmp_path: Path) -> None:
    store = make_store(db, tmp_path)
    with pytest.raises(AttributesError, match=r"people.csv: line 3: .*'nobody.txt'"):
        store.import_transcripts(
            [transcript("a.txt")],
            user="t",
            participant_pseudonym=pseudonym,
            attributes=[(2, "a.txt", {"role": "owner"}), (3, "nobody.txt", {"role": "x"})],
            attributes_source="people.csv",
        )
    assert store.documents_frame().empty
    store.import_transcripts(
        [transcript("a.txt")],
        user="t",
        participant_pseudonym=pseudonym,
        attributes=[(2, "a.txt", {"role": "owner"})],
    )
    assert store.participants_frame()["role"].tolist() == ["owner"]


def test_store_coding_add_remove_and_quote(db: str | None, tmp_path: Path) -> None:
    store = make_store(db, tmp_path)
    imported(store, "a.txt")
    seg = store.segments_frame(role="interviewee").iloc[0]
    sid = int(seg["segment"])
    assert store.add_coding(sid, "needs", "anna")
    assert not store.add_coding(sid, "needs", "anna")  # no duplicate
    assert store.add_coding(sid, "trust", "anna", start=int(seg["start"]) + 3, end=int(seg["end"]))
    frame = store.codings_frame()
    assert sorted(frame["quote"]) == ["need help", "we need help"]
    assert store.remove_coding(sid, "needs", "anna")
    assert store.codings_frame()["code"].tolist() == ["trust"]


def test_store_coding_rejects_bad_input(db: str | None, tmp_path: Path) -> None:
    store = make_store(db, tmp_path)
    imported(store, "a.txt")
    sid = int(store.segments_frame(role="interviewee")["segment"].iloc[0])
    with pytest.raises(UnknownItem, match="'nope'"):
        store.add_coding(sid, "nope", "anna")
    with pytest.raises(InvalidCode, match="group"):
        store.add_coding(sid, "g", "anna")
    with pytest.raises(InvalidCode, match="not inside segment"):
        store.add_coding(sid, "needs", "anna", start=0, end=3)
    with pytest.raises(UnknownItem):
        store.add_coding(99999, "needs", "anna")
    assert store.codings_frame().empty


def test_store_undo_redo_per_coder(db: str | None, tmp_path: Path) -> None:
    store = make_store(db, tmp_path)
    imported(store, "a.txt")
    sid = int(store.segments_frame(role="interviewee")["segment"].iloc[0])
    store.add_coding(sid, "needs", "anna")
    store.add_coding(sid, "trust", "anna")
    store.add_coding(sid, "needs", "erik")
    store.set_memo("segment", sid, "anna", "first")
    store.set_memo("segment", sid, "anna", "second")

    def mine() -> list[str]:
        return sorted(store.codings_frame(coder="anna")["code"])

    assert store.undo("anna")["action"] == "memo.set"  # type: ignore[index]
    assert store.memo("segment", sid, "anna") == "first"
    store.undo("anna")
    assert store.memo("segment", sid, "anna") == ""
    store.undo("anna")
    assert mine() == ["needs"]
    assert store.redo("anna")["code_id"] == "trust"  # type: ignore[index]
    assert mine() == ["needs", "trust"]
    assert store.codings_frame(coder="erik")["code"].tolist() == ["needs"]
    store.redo("anna")
    assert store.memo("segment", sid, "anna") == "first"
    # A fresh action clears the redo stack.
    store.remove_coding(sid, "needs", "anna")
    assert store.redo("anna") is None
    assert store.undo("anna")["action"] == "coding.remove"  # type: ignore[index]
    assert mine() == ["needs", "trust"]


def test_store_undo_survives_reopen(tmp_path: Path) -> None:
    store = make_store(None, tmp_path)
    imported(store, "a.txt")
    sid = int(store.segments_frame(role="interviewee")["segment"].iloc[0])
    store.add_coding(sid, "needs", "anna")
    store.close()
    again = Store(sqlite_engine(tmp_path / "p.sqlite"))
    assert again.undo("anna") is not None
    assert again.codings_frame().empty
    assert again.integrity_ok()


def test_store_codebook_versions_and_recode(db: str | None, tmp_path: Path) -> None:
    store = make_store(db, tmp_path)
    imported(store, "a.txt")
    sid = int(store.segments_frame(role="interviewee")["segment"].iloc[0])
    store.add_coding(sid, "trust", "anna")
    smaller = Codebook(id="t", title={"en": "T"}, codes=BOOK.codes[:2])
    with pytest.raises(InvalidCode, match="trust"):
        store.save_codebook(smaller, "v2", author="t", note="drop trust")
    assert store.recode({"trust": "needs"}, user="t") == 1
    assert store.save_codebook(smaller, "v2", author="t", note="drop trust") == 2
    assert store.codebook_content() == (2, "v2")
    assert store.codings_frame()["code"].tolist() == ["needs"]


def test_store_read_only_sqlite_refuses_writes(tmp_path: Path) -> None:
    make_store(None, tmp_path).close()
    ro = Store(sqlite_engine(tmp_path / "p.sqlite", read_only=True), read_only=True)
    with pytest.raises(ProjectError, match="read-only"):
        ro.set_meta("x", "y")
    raw = create_engine(f"sqlite:///file:{tmp_path / 'p.sqlite'}?mode=ro&uri=true")
    with raw.connect() as conn, pytest.raises(Exception, match=re.compile("readonly", re.I)):
        conn.execute(text("DELETE FROM meta"))
    raw.dispose()


def test_store_sqlite_wal_and_foreign_keys(tmp_path: Path) -> None:
    store = make_store(None, tmp_path)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_store_newer_schema_refused(tmp_path: Path) -> None:
    store = make_store(None, tmp_path)
    store.set_meta("schema_version", str(SCHEMA_VERSION + 1))
    with pytest.raises(ProjectError, match="newer"):
        store.create_or_migrate()


def test_store_migrates_version_1_database(tmp_path: Path) -> None:
    from sqlalchemy import inspect

    from workbench.store._schema import metadata

    engine = sqlite_engine(tmp_path / "old.sqlite")
    later = {"models", "suggestion_queue", "predictions", "embeddings"}
    v1 = [t for t in metadata.sorted_tables if t.name not in later]
    with engine.begin() as conn:
        metadata.create_all(conn, tables=v1)
        conn.exec_driver_sql("INSERT INTO meta VALUES ('schema_version', '1')")
    store = Store(engine)
    store.create_or_migrate(sqlite_file=tmp_path / "old.sqlite")
    assert store.get_meta("schema_version") == str(SCHEMA_VERSION)
    assert {"models", "suggestion_queue"} <= set(inspect(engine).get_table_names())
    assert (tmp_path / "old.v1.bak").exists()


def _version_2_tables(engine_metadata: MetaData) -> tuple[Table, Table]:
    """The codings table and review queue as schema version 2 defined them."""
    from workbench.store._schema import codes, segments

    v2_codings = Table(
        "codings",
        engine_metadata,
        Column("id", Integer, primary_key=True),
        Column("segment_id", ForeignKey(segments.c.id, ondelete="CASCADE"), nullable=False),
        Column("code_id", ForeignKey(codes.c.id), nullable=False),
        Column("coder", String(200), nullable=False),
        Column("start", Integer, nullable=False),
        Column("end", Integer, nullable=False),
        Column("origin", String(16), nullable=False),
        Column("created_at", String(32), nullable=False),
        UniqueConstraint(
            "segment_id", "code_id", "coder", "start", "end", name="uq_codings_decision"
        ),
        CheckConstraint("origin IN ('human', 'suggestion')", name="ck_codings_origin"),
        Index("ix_codings_code", "code_id"),
    )
    v2_queue = Table(
        "suggestion_queue",
        engine_metadata,
        Column("id", Integer, primary_key=True),
        Column("segment_id", ForeignKey(segments.c.id, ondelete="CASCADE"), nullable=False),
        Column("code_id", ForeignKey(codes.c.id), nullable=False),
        Column("confidence", Float, nullable=False),
        Column("reason", Text, nullable=False),
        Column("status", String(16), nullable=False),
        Column("created_at", String(32), nullable=False),
        UniqueConstraint("segment_id", "code_id", name="uq_suggestion_queue_item"),
    )
    return v2_codings, v2_queue


def test_store_migrates_version_2_database_keeping_codings_and_queue(
    db: str | None, tmp_path: Path
) -> None:
    from sqlalchemy import insert, inspect, select

    from workbench.store._schema import Origin, QueuePurpose, metadata, predictions

    if db is None:
        engine = sqlite_engine(tmp_path / "old.sqlite")
    else:
        url, schema = db.split("?schema=")
        engine = postgres_engine(url, schema=schema)
    old = MetaData()
    v2_codings, v2_queue = _version_2_tables(old)
    v3_only = {"codings", "suggestion_queue", "predictions", "embeddings"}
    with engine.begin() as conn:
        metadata.create_all(
            conn, tables=[t for t in metadata.sorted_tables if t.name not in v3_only]
        )
        old.create_all(conn)
        conn.execute(text("INSERT INTO meta VALUES ('schema_version', '2')"))
    store = Store(engine)
    store.save_codebook(BOOK, "yaml", author="t", note="")
    imported(store, "a.txt")
    segment = int(store.segments_frame()["segment"].iloc[-1])
    with engine.begin() as conn:
        conn.execute(
            insert(v2_codings).values(
                segment_id=segment,
                code_id="needs",
                coder="anna",
                start=0,
                end=4,
                origin="suggestion",
                created_at="2026-01-01T00:00:00",
            )
        )
        conn.execute(
            insert(v2_queue).values(
                segment_id=segment,
                code_id="trust",
                confidence=0.9,
                reason="help",
                status="open",
                created_at="2026-01-01T00:00:00",
            )
        )

    store.create_or_migrate(sqlite_file=tmp_path / "old.sqlite" if db is None else None)

    assert store.get_meta("schema_version") == str(SCHEMA_VERSION)
    assert {"predictions", "embeddings"} <= set(inspect(engine).get_table_names(schema=None))
    coded = store.codings_frame()
    assert coded[["code", "coder", "origin"]].values.tolist() == [["needs", "anna", "suggestion"]]
    queue = store.suggestion_queue_frame()
    assert queue[["code", "confidence", "reason"]].values.tolist() == [["trust", 0.9, "help"]]
    with engine.connect() as conn:
        assert conn.execute(select(queue_table.c.purpose)).scalar() == QueuePurpose.REVIEW
    # The new constraint holds: a theme coding is allowed, an unknown origin is not.
    store.add_coding(segment, "trust", "anna", origin=Origin.THEME)
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            insert(codings_table).values(
                segment_id=segment,
                code_id="needs",
                coder="erik",
                start=0,
                end=4,
                origin="guess",
                created_at="2026-01-01T00:00:00",
            )
        )
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            insert(predictions).values(
                segment_id=segment,
                code_id="needs",
                probability=1.5,
                model_fitted_at="x",
                codebook_hash="h",
            )
        )
    if db is None:
        assert (tmp_path / "old.v2.bak").exists()
