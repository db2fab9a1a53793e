"""Engines for SQLite and PostgreSQL, transactions that retry, and schema migrations."""

from __future__ import annotations

import random
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Table, create_engine, event, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.schema import AddConstraint, CreateColumn, DropConstraint

from workbench.errors import ConcurrencyError, ProjectError
from workbench.store._schema import (
    SCHEMA_VERSION,
    codings,
    embeddings,
    meta,
    metadata,
    models,
    predictions,
    suggestion_queue,
)

T = TypeVar("T")

_RETRIES = 12


def sqlite_engine(path: Path, *, read_only: bool = False) -> Engine:
    """An engine on a SQLite file: WAL, foreign keys on, writes start ``BEGIN IMMEDIATE``.

    ``read_only`` opens the file with ``mode=ro`` so nothing can be written through it.
    """
    if read_only:
        url = f"sqlite:///file:{path.resolve()}?mode=ro&uri=true"
    else:
        url = f"sqlite:///{path.resolve()}"
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if not read_only:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            # Every commit is copied into the database file at once (about 0.6 ms a coding),
            # so the .sqlite file alone is the whole project even while a kernel holds it open
            # (a copy, a backup or a git commit of it loses nothing), and deleted or rewritten
            # text is overwritten with zeros rather than left in free pages.
            cursor.execute("PRAGMA wal_autocheckpoint=1")
            cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    _report_connect_errors(engine, str(path))
    return engine


def _report_connect_errors(engine: Engine, where: str) -> None:
    """A database that cannot be reached (no server, a wrong password, a file that cannot be
    opened) is the user's to fix: one line naming it (never its password), not a traceback."""

    @event.listens_for(engine, "handle_error")
    def _on_error(context: Any) -> None:
        if context.connection is None and not context.is_pre_ping:
            original = context.original_exception
            reason = str(getattr(original, "args", [original])[0] or original).strip()
            reason = " ".join(reason.splitlines()[0].split()) if reason else type(original).__name__
            raise ProjectError(f"{where}: cannot connect to the database ({reason})") from None


def postgres_engine(url: str, *, schema: str | None = None, read_only: bool = False) -> Engine:
    """An engine on PostgreSQL; the password comes from the URL, ``PGPASSWORD`` or ``.pgpass``."""
    options = []
    if schema:
        options.append(f"-csearch_path={schema}")
    if read_only:
        options.append("-cdefault_transaction_read_only=on")
    connect_args = {"options": " ".join(options)} if options else {}
    engine = create_engine(url, connect_args=connect_args, pool_pre_ping=True)
    _report_connect_errors(engine, public_url(url))
    return engine


def split_schema(url: str) -> tuple[str, str | None]:
    """``postgresql+psycopg://.../db?schema=name`` → (URL without it, ``name``)."""
    parsed = make_url(url)
    schema = parsed.query.get("schema")
    if isinstance(schema, tuple):
        schema = schema[-1]
    return parsed.difference_update_query(["schema"]).render_as_string(hide_password=False), schema


def public_url(url: str) -> str:
    """``url`` without its password, safe to write into the project folder."""
    return make_url(url)._replace(password=None).render_as_string(hide_password=False)


def _is_transient(exc: DBAPIError) -> bool:
    message = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
    code = getattr(exc.orig, "sqlstate", None)
    return (
        "database is locked" in message
        or "database table is locked" in message
        or "busy" in message
        or code in {"40001", "40P01"}  # serialization failure, deadlock detected
    )


def retrying(engine: Engine, work: Callable[[Connection], T], *, what: str = "write") -> T:
    """Run ``work`` in one transaction, retrying when the database is busy or conflicts.

    After several tries it raises :class:`ConcurrencyError` instead of a raw driver error.
    """
    delay = 0.01
    for attempt in range(_RETRIES):
        try:
            with engine.begin() as conn:
                return work(conn)
        except (OperationalError, DBAPIError) as exc:
            if not _is_transient(exc) or attempt == _RETRIES - 1:
                if _is_transient(exc):
                    raise ConcurrencyError(
                        f"the database stayed busy during {what}; nothing was changed, try again"
                    ) from exc
                raise
            time.sleep(delay * (1 + random.random()))
            delay = min(delay * 2, 1.0)
    raise AssertionError("unreachable")


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection for reads (one consistent snapshot)."""
    with engine.connect() as conn:
        yield conn


# Each migration brings a database from version N-1 to N: MIGRATIONS[N](conn).
def _v2_models_and_queue(conn: Connection) -> None:
    """Version 2 adds the suggestion model table and the review queue."""
    models.create(conn)
    suggestion_queue.create(conn)


def _rebuild_sqlite(conn: Connection, table: Table) -> None:
    """Give a SQLite table ``table``'s current definition (SQLite cannot alter a constraint):
    move the old one aside, create the new one, copy the shared columns, drop the old one."""
    old = f"{table.name}_old"
    for index in table.indexes:
        conn.exec_driver_sql(f'DROP INDEX IF EXISTS "{index.name}"')
    conn.exec_driver_sql(f'ALTER TABLE "{table.name}" RENAME TO "{old}"')
    table.create(conn)
    kept = [row[1] for row in conn.exec_driver_sql(f'PRAGMA table_info("{old}")')]
    columns = ", ".join(f'"{c}"' for c in kept if c in table.c)
    conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({columns}) SELECT {columns} FROM "{old}"')
    conn.exec_driver_sql(f'DROP TABLE "{old}"')


def _v3_predictions_and_themes(conn: Connection) -> None:
    """Version 3 adds the model's predictions and the embedding cache, lets a coding come from
    an adopted theme, and records why a queue item was queued and who decided it."""
    predictions.create(conn)
    embeddings.create(conn)
    if conn.dialect.name == "sqlite":
        _rebuild_sqlite(conn, codings)
        _rebuild_sqlite(conn, suggestion_queue)
        return
    origin = next(c for c in codings.constraints if c.name == "ck_codings_origin")
    purpose = next(
        c for c in suggestion_queue.constraints if c.name == "ck_suggestion_queue_purpose"
    )
    conn.execute(DropConstraint(origin))
    conn.execute(AddConstraint(origin))
    for column in ("purpose", "weight", "reviewer", "reviewed_at"):
        definition = CreateColumn(suggestion_queue.c[column]).compile(dialect=conn.dialect)
        conn.exec_driver_sql(f"ALTER TABLE suggestion_queue ADD COLUMN {definition}")
    conn.execute(AddConstraint(purpose))


MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    2: _v2_models_and_queue,
    3: _v3_predictions_and_themes,
}


def schema_version(conn: Connection) -> int:
    """The version recorded in ``meta``; 0 for an empty database."""
    tables = conn.dialect.get_table_names(conn)
    if "meta" not in tables:
        return 0
    value = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
    return int(value) if value is not None else 0


def create_or_migrate(engine: Engine, *, sqlite_file: Path | None = None) -> None:
    """Create the schema in an empty database or migrate an older one to :data:`SCHEMA_VERSION`.

    Before migrating a SQLite file it is copied to ``<name>.v<old>.bak``.
    """

    def current(conn: Connection) -> int:
        return schema_version(conn)

    with engine.connect() as conn:
        version = current(conn)
    if version > SCHEMA_VERSION:
        raise ProjectError(
            f"the project database has schema version {version}, newer than this workbench "
            f"({SCHEMA_VERSION}); upgrade the workbench"
        )
    if version == SCHEMA_VERSION:
        return
    if version == 0:

        def create(conn: Connection) -> None:
            metadata.create_all(conn)
            conn.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))

        retrying(engine, create, what="creating the project")
        return
    if sqlite_file is not None:
        shutil.copy2(sqlite_file, sqlite_file.with_suffix(f".v{version}.bak"))
    for target in range(version + 1, SCHEMA_VERSION + 1):

        def step(conn: Connection, target: int = target) -> None:
            MIGRATIONS[target](conn)
            conn.execute(
                meta.update().where(meta.c.key == "schema_version").values(value=str(target))
            )

        retrying(engine, step, what=f"migrating to schema version {target}")


def compact(engine: Engine) -> bool:
    """Leave no old page of the database behind: SQLite's write-ahead log emptied and the file
    rebuilt (``VACUUM``); PostgreSQL's tables rewritten (``VACUUM FULL``).  False when another
    connection kept it from happening (the old text may then remain in unused space until the
    next compaction)."""
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            if engine.dialect.name == "sqlite":
                raw = conn.connection.driver_connection
                raw.execute("VACUUM")  # type: ignore[union-attr]
                busy = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]  # type: ignore[union-attr]
                return not busy
            for table in metadata.sorted_tables:
                conn.exec_driver_sql(f'VACUUM FULL "{table.name}"')
    except OperationalError:
        return False
    return True


def integrity_ok(engine: Engine) -> bool:
    """SQLite's ``PRAGMA integrity_check`` (always true on other databases)."""
    if engine.dialect.name != "sqlite":
        return True
    with engine.connect() as conn:
        return conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
