"""Names found after import: list the capitalised words left in the text, redact real names.

The list (:func:`leftover_frame`) is for the researcher's eyes; it is computed from the stored
text when asked for and never written into the project.  Redaction itself is
:func:`workbench.store.redact`, driven by the pseudonym key (see ``Project.redact``).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from workbench.ingest import leftover_names

COLUMNS = ["words", "count", "documents", "document", "segment", "context"]
_CONTEXT = 40


def leftover_frame(turns: Iterable[tuple[str, int, str]]) -> pd.DataFrame:
    """Capitalised words that may be names, from ``(document, segment, text)`` turns: one row
    per word with how often and in how many documents it occurs, where first, and a snippet;
    the most frequent first."""
    found: dict[str, dict[str, object]] = {}
    for document, segment, text in turns:
        for name in leftover_names(text):
            row = found.get(name.text)
            if row is None:
                before = text[max(0, name.start - _CONTEXT) : name.start]
                after = text[name.end : name.end + _CONTEXT]
                row = found[name.text] = {
                    "words": name.text,
                    "count": 0,
                    "documents": set(),
                    "document": document,
                    "segment": segment,
                    "context": f"…{before}{name.text}{after}…".replace("\n", " "),
                }
            row["count"] = int(row["count"]) + 1  # type: ignore[call-overload]
            row["documents"].add(document.split("#", 1)[0])  # type: ignore[attr-defined]
    frame = pd.DataFrame(list(found.values()), columns=COLUMNS)
    frame["documents"] = frame["documents"].map(len)
    return frame.sort_values(["count", "words"], ascending=[False, True], ignore_index=True)


def leftover_note(frame: pd.DataFrame, project: str, shown: int = 6) -> str | None:
    """The import's one-line warning about ``frame``, or None when it is empty."""
    if frame.empty:
        return None
    examples = ", ".join(frame["words"].head(shown))
    more = f" and {len(frame) - shown} more" if len(frame) > shown else ""
    return (
        f"{len(frame)} capitalised word(s) left in the text may be names nobody listed "
        f"({examples}{more}); `workbench redact {project} --list` shows them in context, "
        f"`workbench redact {project} --names FILE` replaces the ones that are"
    )
