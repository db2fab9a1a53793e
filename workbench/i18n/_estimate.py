"""Interface strings of the model-estimate views, in Swedish and English."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {},
    "sv": {},
}
