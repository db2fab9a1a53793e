"""Interface strings in Swedish and English, one catalogue for every widget and dashboard.

Code labels come from the codebook; everything else a researcher or stakeholder reads comes
from here: ``text("start", "sv")``.
"""

from __future__ import annotations

from workbench.i18n._catalogue import (
    LANGS,
    STRINGS,
    attribute_name,
    text,
    value_name,
)

__all__ = ["LANGS", "STRINGS", "attribute_name", "text", "value_name"]
