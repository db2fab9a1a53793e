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

__all__ = [
    "attribute_columns",
    "code_table",
    "codings_frame",
    "consensus",
    "cooccurrence",
    "enrich",
    "everyday_processes",
    "filter_codings",
    "framework_matrix",
    "frequencies",
    "gaps_and_sources",
    "perceived_quality",
    "priorities",
    "quality_dimensions",
    "quotes",
    "relabel",
    "representative_quotes",
    "select_layer",
    "summary",
    "themes",
]
