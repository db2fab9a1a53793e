"""Fixtures shared by every test area: databases (SQLite and a real PostgreSQL)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from _helpers import pg_url
from sqlalchemy import create_engine, text


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A PostgreSQL URL with a fresh schema (``?schema=...``), dropped afterwards."""
    url = pg_url()
    if not url:
        pytest.skip("no PostgreSQL server (set WORKBENCH_TEST_PG)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{url}?schema={schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str | None:
    """Run a test on SQLite (None: the default) and on PostgreSQL (a URL with a schema)."""
    if request.param == "sqlite":
        return None
    return str(request.getfixturevalue("pg_schema_url"))
