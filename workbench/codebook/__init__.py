"""The codebook layer: a versioned tree of bilingual codes, its files, diffs and merges.

Pure Python (no database, no widgets).  The canonical form is YAML (``codebooks/*.yaml``);
REFI-QDA ``.qdc`` and CSV are exchange formats.

>>> from workbench.codebook import Codebook, Code, add_code
>>> book = Codebook(id="demo", title={"en": "Demo"}, codes=(Code(id="a", label={"en": "A"}),))
>>> add_code(book, Code(id="b", label={"en": "B"}, parent="a")).path("b")
['A', 'B']
"""

from __future__ import annotations

from ._csv import codebook_from_csv, codebook_to_csv
from ._diff import Change, CodebookDiff, diff
from ._io import FORMATS, builtin_codebook, builtin_path, load_codebook, save_codebook
from ._merge import Conflict, MergeResult, merge
from ._model import LANGUAGES, Code, Codebook, CodeSet, Example
from ._ops import (
    add_code,
    edit_code,
    merge_codes,
    move_code,
    remove_code,
    rename_code,
    split_code,
)
from ._qdc import (
    PI_TARGET,
    code_guid,
    codebook_from_qdc,
    codebook_to_qdc,
    conforming_guid,
    guid_to_id,
    pi_payload,
    set_guid,
    slugify,
)
from ._validate import validate
from ._yaml import codebook_from_yaml, codebook_to_yaml, codes_from_yaml

__all__ = [
    "FORMATS",
    "LANGUAGES",
    "PI_TARGET",
    "Change",
    "Code",
    "CodeSet",
    "Codebook",
    "CodebookDiff",
    "Conflict",
    "Example",
    "MergeResult",
    "add_code",
    "builtin_codebook",
    "builtin_path",
    "code_guid",
    "codebook_from_csv",
    "codebook_from_qdc",
    "codebook_from_yaml",
    "codebook_to_csv",
    "codebook_to_qdc",
    "codebook_to_yaml",
    "codes_from_yaml",
    "conforming_guid",
    "diff",
    "edit_code",
    "guid_to_id",
    "load_codebook",
    "merge",
    "merge_codes",
    "move_code",
    "pi_payload",
    "remove_code",
    "rename_code",
    "save_codebook",
    "set_guid",
    "slugify",
    "split_code",
    "validate",
]
