"""Checks that a :class:`Codebook` is well formed, with messages that name file, line and code."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from ..errors import InvalidCode
from ._model import Code, Codebook

__all__ = ["ID_RE", "COLOR_RE", "SHORTCUT_RE", "TEXT_FIELDS", "validate", "tree_order", "locate"]

#: Stable ids: lowercase ASCII letters, digits and hyphens, starting with a letter or digit.
ID_RE = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
COLOR_RE = re.compile(r"#[0-9A-Fa-f]{6}\Z")
SHORTCUT_RE = re.compile(r"(?:[a-z0-9]|shift\+[a-z])\Z")
#: The bilingual text fields of a :class:`Code`, in file order.
TEXT_FIELDS = ("label", "definition", "use_when", "do_not_use_when")

#: Per code (aligned with ``Codebook.codes``): field name -> 1-based line; key ``""`` is the
#: line where the code starts.
Lines = Sequence[Mapping[str, int]]


def locate(source: str, line: int | None, code_id: str | None, problem: str) -> str:
    """Build the one-line message ``"file: line N: code 'x': problem"``."""
    parts = [source]
    if line is not None:
        parts.append(f"line {line}")
    if code_id is not None:
        parts.append(f"code {code_id!r}")
    parts.append(problem)
    return ": ".join(parts)


def validate(
    codebook: Codebook,
    *,
    source: str | None = None,
    languages: Iterable[str] | None = None,
    lines: Lines | None = None,
    ordered: bool = True,
) -> None:
    """Raise :class:`~workbench.errors.InvalidCode` at the first problem in ``codebook``.

    Parameters
    ----------
    codebook
        The codebook to check.
    source
        Name used at the start of messages (a file name); defaults to the codebook's id.
    languages
        Languages every label must have (the built-in codebook needs ``("sv", "en")``);
        ``None``: at least one language.
    lines
        Line numbers per code, aligned with ``codebook.codes``, to put into messages.
    ordered
        Require every parent to be listed before its children (as in a file).
    """
    src = source or codebook.id or "codebook"
    required = tuple(languages or ())

    def fail(index: int, field: str, problem: str, code_id: str | None = None) -> InvalidCode:
        line = None
        if lines is not None and index < len(lines):
            line = lines[index].get(field, lines[index].get(""))
        cid = code_id if code_id is not None else codebook.codes[index].id
        return InvalidCode(locate(src, line, cid, problem))

    if not isinstance(codebook.id, str) or not ID_RE.match(codebook.id):
        raise InvalidCode(
            locate(
                src,
                None,
                None,
                f"codebook id {codebook.id!r} must be lowercase letters, digits and hyphens",
            )
        )
    if not codebook.codes:
        raise InvalidCode(locate(src, None, None, "the codebook has no codes"))

    seen: dict[str, int] = {}
    shortcuts: dict[str, str] = {}
    for i, code in enumerate(codebook.codes):
        if not isinstance(code.id, str) or not ID_RE.match(code.id):
            raise fail(i, "id", "id must be lowercase letters, digits and hyphens")
        if code.id in seen:
            raise fail(
                i,
                "id",
                f"id is already used (line {_line(lines, seen[code.id])})"
                if lines is not None
                else "id is already used",
            )
        seen[code.id] = i
        _check_texts(code, i, required, fail)
        if not isinstance(code.color, str) or not COLOR_RE.match(code.color):
            raise fail(i, "color", f"colour {code.color!r} is not of the form #RRGGBB")
        if code.shortcut is not None:
            if not isinstance(code.shortcut, str) or not SHORTCUT_RE.match(code.shortcut):
                raise fail(
                    i, "shortcut", f"shortcut {code.shortcut!r} is not a-z, 0-9 or shift+<letter>"
                )
            if code.shortcut in shortcuts:
                raise fail(
                    i,
                    "shortcut",
                    f"shortcut {code.shortcut!r} is already used by {shortcuts[code.shortcut]!r}",
                )
            shortcuts[code.shortcut] = code.id
        for example in code.examples:
            if not example.lang or not isinstance(example.text, str) or not example.text:
                raise fail(i, "examples", "an example needs a language and a text")

    for i, code in enumerate(codebook.codes):
        if code.parent is None:
            continue
        if code.parent == code.id:
            raise fail(i, "parent", "a code cannot be its own parent")
        if code.parent not in seen:
            raise fail(i, "parent", f"parent {code.parent!r} does not exist")
    parents = {c.id: c.parent for c in codebook.codes}
    for i, code in enumerate(codebook.codes):
        chain = [code.id]
        current = code.parent
        while current is not None:
            if current == code.id:
                raise fail(i, "parent", "parents form a cycle: " + " -> ".join(chain + [code.id]))
            if len(chain) > len(parents):
                break  # a cycle above this code; it is reported for a code on the cycle
            chain.append(current)
            current = parents[current]
    for i, code in enumerate(codebook.codes):
        if ordered and code.parent is not None and seen[code.parent] > i:
            raise fail(i, "parent", f"parent {code.parent!r} must be listed before its children")

    set_ids: set[str] = set()
    for code_set in codebook.sets:
        where = f"set {code_set.id!r}"
        if not ID_RE.match(code_set.id or ""):
            raise InvalidCode(
                locate(
                    src, None, None, f"{where}: id must be lowercase letters, digits and hyphens"
                )
            )
        if code_set.id in set_ids:
            raise InvalidCode(locate(src, None, None, f"{where}: id is already used"))
        set_ids.add(code_set.id)
        for member in code_set.members:
            if member not in seen:
                raise InvalidCode(
                    locate(src, None, None, f"{where}: member {member!r} is not a code")
                )


def _line(lines: Lines | None, index: int) -> int | str:
    if lines is None or index >= len(lines):
        return "?"
    return lines[index].get("", "?")


def _check_texts(
    code: Code, index: int, required: tuple[str, ...], fail: Callable[[int, str, str], InvalidCode]
) -> None:
    if not any(isinstance(v, str) and v.strip() for v in code.label.values()):
        raise fail(index, "label", "the label is missing")
    for lang in required:
        if not (code.label.get(lang) or "").strip():
            raise fail(index, "label", f"the label has no {lang!r} text")
    for name in TEXT_FIELDS:
        texts = getattr(code, name)
        for lang, text in texts.items():
            if not isinstance(lang, str) or not lang or not isinstance(text, str):
                raise fail(index, name, f"{name} must map a language to a text")


def tree_order(codes: Sequence[Code]) -> tuple[Code, ...]:
    """Codes in depth-first order: each parent before its children, siblings in given order.

    Codes whose parent is missing are treated as top-level; the input must have no cycle.
    """
    ids = {c.id for c in codes}
    kids: dict[str | None, list[Code]] = {}
    for code in codes:
        key = code.parent if code.parent in ids else None
        kids.setdefault(key, []).append(code)
    out: list[Code] = []
    stack = list(reversed(kids.get(None, [])))
    while stack:
        code = stack.pop()
        out.append(code)
        stack.extend(reversed(kids.get(code.id, [])))
    return tuple(out)
