"""The codebook's data model: codes in a tree, with bilingual texts.

A :class:`Codebook` is an ordered list of :class:`Code` objects (parents before children,
siblings in their given order) plus optional code sets.  It is a plain value: reading and
writing files lives in the format modules, versioning inside a project in ``workbench.store``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

LANGUAGES = ("sv", "en")


@dataclass(frozen=True)
class Example:
    """An example quote that shows a code in use."""

    lang: str
    text: str


@dataclass(frozen=True)
class Code:
    """One code: a stable id, bilingual texts, its place in the tree and how it looks.

    Texts are dicts from language (``"sv"``, ``"en"``) to text.
    """

    id: str
    label: dict[str, str]
    parent: str | None = None
    definition: dict[str, str] = field(default_factory=dict)
    use_when: dict[str, str] = field(default_factory=dict)
    do_not_use_when: dict[str, str] = field(default_factory=dict)
    examples: tuple[Example, ...] = ()
    color: str = "#888888"
    shortcut: str | None = None
    codable: bool = True
    #: A GUID that another tool gave this code (kept from a REFI-QDA import so that a
    #: re-export keeps it); ``None``: the GUID is derived from the codebook and code ids.
    guid: str | None = None

    def name(self, lang: str = "en") -> str:
        """The label in ``lang``, falling back to the other language."""
        return self.label.get(lang) or next(iter(self.label.values()), self.id)


@dataclass(frozen=True)
class CodeSet:
    """A named group of codes across the tree (REFI-QDA ``Set``)."""

    id: str
    name: str
    description: str = ""
    members: tuple[str, ...] = ()
    #: A GUID another tool gave this set (kept from a REFI-QDA import); ``None``: derived.
    guid: str | None = None


@dataclass(frozen=True)
class Codebook:
    """An ordered tree of codes with optional sets."""

    id: str
    title: dict[str, str]
    codes: tuple[Code, ...]
    description: dict[str, str] = field(default_factory=dict)
    version: int = 1
    sets: tuple[CodeSet, ...] = ()

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    def __contains__(self, code_id: object) -> bool:
        return any(c.id == code_id for c in self.codes)

    def get(self, code_id: str) -> Code:
        """The code with id ``code_id``; :class:`KeyError` if absent."""
        for code in self.codes:
            if code.id == code_id:
                return code
        raise KeyError(code_id)

    def children(self, code_id: str | None) -> list[Code]:
        """Codes whose parent is ``code_id`` (``None``: the top level), in order."""
        return [c for c in self.codes if c.parent == code_id]

    def path(self, code_id: str, lang: str = "en") -> list[str]:
        """Labels from the root down to ``code_id``."""
        labels: list[str] = []
        current: str | None = code_id
        while current is not None:
            code = self.get(current)
            labels.append(code.name(lang))
            current = code.parent
        return labels[::-1]

    def ids(self) -> list[str]:
        """The code ids in tree order."""
        return [c.id for c in self.codes]

    def descendants(self, code_id: str) -> list[str]:
        """Ids of every code below ``code_id`` (not itself), in tree order."""
        below: set[str] = {code_id}
        found: list[str] = []
        for code in self.codes:  # tree order: a parent always comes before its children
            if code.parent in below and code.id not in below:
                below.add(code.id)
                found.append(code.id)
        return found

    def depth(self, code_id: str) -> int:
        """0 for a top-level code, 1 for its children, ..."""
        return len(self.path(code_id)) - 1

    @classmethod
    def from_yaml(cls, text: str, source: str = "codebook.yaml", **kwargs: Any) -> Codebook:
        """Read the canonical YAML form; see :func:`workbench.codebook.codebook_from_yaml`."""
        from ._yaml import codebook_from_yaml

        return codebook_from_yaml(text, source=source, **kwargs)

    def to_yaml(self) -> str:
        """The canonical YAML form; see :func:`workbench.codebook.codebook_to_yaml`."""
        from ._yaml import codebook_to_yaml

        return codebook_to_yaml(self)
