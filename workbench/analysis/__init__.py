"""Analysis: pure functions from a project's codings to pandas frames (no SQL, no drawing)."""

from __future__ import annotations

from workbench.analysis._frames import (
    code_table,
    codings_frame,
    cooccurrence,
    enrich,
    everyday_processes,
    framework_matrix,
    frequencies,
    gaps_and_sources,
    perceived_quality,
    quotes,
    representative_quotes,
    summary,
    themes,
)

__all__ = [
    "code_table",
    "codings_frame",
    "cooccurrence",
    "enrich",
    "everyday_processes",
    "framework_matrix",
    "frequencies",
    "gaps_and_sources",
    "perceived_quality",
    "quotes",
    "representative_quotes",
    "summary",
    "themes",
]
