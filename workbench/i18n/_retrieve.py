"""The retrieval widgets' strings: query, matrix and co-occurrence views."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "retrieve_total": "Total",
        "retrieve_no_value": "(no value)",
    },
    "sv": {
        "retrieve_total": "Totalt",
        "retrieve_no_value": "(inget värde)",
    },
}
