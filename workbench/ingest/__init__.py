"""Import transcripts: read files, detect speakers and timestamps, pseudonymise, segment.

Pure: no database and no widgets.  ``read`` returns :class:`Transcript` objects whose
segments carry code-point offsets into the stored document text.

Examples
--------
>>> from workbench.ingest import read, Pseudonymiser
>>> key = Pseudonymiser(names=["Anna Berg"])            # doctest: +SKIP
>>> [doc] = read("interview.docx", pseudonymiser=key)  # doctest: +SKIP
"""

from __future__ import annotations

from workbench.ingest._decode import Decoded, decode_text
from workbench.ingest._language import detect_language
from workbench.ingest._leftover_names import LeftoverName, leftover_names
from workbench.ingest._model import Role, Segment, Transcript, Turn
from workbench.ingest._pseudonym import (
    AMBIGUOUS_PART,
    Kind,
    Moves,
    Pseudonymiser,
    locate,
    rename_placeholders,
    valid_personnummer,
)
from workbench.ingest._read import FORMATS, detect_roles, read, register_speakers
from workbench.ingest._table import TableColumns

__all__ = [
    "AMBIGUOUS_PART",
    "FORMATS",
    "Decoded",
    "Kind",
    "LeftoverName",
    "Moves",
    "Pseudonymiser",
    "Role",
    "Segment",
    "TableColumns",
    "Transcript",
    "Turn",
    "decode_text",
    "leftover_names",
    "detect_language",
    "detect_roles",
    "locate",
    "read",
    "register_speakers",
    "rename_placeholders",
    "valid_personnummer",
]
