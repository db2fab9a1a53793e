"""Fixtures shared by every test area: databases (SQLite and a real PostgreSQL)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text


def pg_url() -> str | None:
    """The test server's URL, or None (a failure when ``WORKBENCH_REQUIRE_PG`` is set)."""
    url = os.environ.get("WORKBENCH_TEST_PG")
    if not url and os.environ.get("WORKBENCH_REQUIRE_PG"):
        pytest.fail("WORKBENCH_REQUIRE_PG is set but WORKBENCH_TEST_PG is not")
    return url


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
