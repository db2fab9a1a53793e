"""The document view's strings."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {},
    "sv": {},
}
