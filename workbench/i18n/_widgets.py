"""The JupyterLab widgets' strings: tagger, document view, memos, codebook editor."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {},
    "sv": {},
}
