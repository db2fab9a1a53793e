"""The retrieval widgets' strings: query, matrix and co-occurrence views."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {},
    "sv": {},
}
