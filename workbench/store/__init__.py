"""The project database (SQLite by default, PostgreSQL for teams): the only place with SQL."""

from __future__ import annotations

from workbench.store._engine import (
    compact,
    postgres_engine,
    public_url,
    split_schema,
    sqlite_engine,
)
from workbench.store._redact import TEXT_VERSION, RedactReport, redact
from workbench.store._schema import SCHEMA_VERSION, AuditAction, Origin, QueuePurpose
from workbench.store._store import ImportReport, Store, StoreEmbeddingCache, now

__all__ = [
    "AuditAction",
    "SCHEMA_VERSION",
    "TEXT_VERSION",
    "ImportReport",
    "Origin",
    "QueuePurpose",
    "RedactReport",
    "Store",
    "StoreEmbeddingCache",
    "compact",
    "now",
    "postgres_engine",
    "public_url",
    "redact",
    "split_schema",
    "sqlite_engine",
]
