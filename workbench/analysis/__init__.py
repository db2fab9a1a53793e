"""Analysis: pure functions from a project's codings to pandas frames (no SQL, no drawing)."""

from __future__ import annotations

from workbench.analysis._frames import (
    attribute_columns,
    code_table,
    codings_frame,
    consensus,
    cooccurrence,
    enrich,
    everyday_processes,
    filter_codings,
    framework_matrix,
    frequencies,
    gaps_and_sources,
    perceived_quality,
    priorities,
    quality_dimensions,
    quotes,
    relabel,
    representative_quotes,
    select_layer,
    summary,
    themes,
)
from workbench.analysis._themes import (
    ThemeDescription,
    describe_theme,
    propose_themes,
    theme_terms,
)

__all__ = [
    "ThemeDescription",
    "attribute_columns",
    "code_table",
    "codings_frame",
    "consensus",
    "cooccurrence",
    "describe_theme",
    "enrich",
    "everyday_processes",
    "filter_codings",
    "framework_matrix",
    "frequencies",
    "gaps_and_sources",
    "perceived_quality",
    "priorities",
    "propose_themes",
    "quality_dimensions",
    "quotes",
    "relabel",
    "representative_quotes",
    "select_layer",
    "summary",
    "theme_terms",
    "themes",
]
