"""Edits of a codebook as pure functions: each returns a new, validated :class:`Codebook`.

These are what the project store and the codebook editor call; none of them touches codings
(after :func:`merge_codes` or :func:`split_code` the caller moves the codings).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import InvalidCode
from ._model import Code, Codebook, CodeSet
from ._validate import tree_order, validate

__all__ = [
    "add_code",
    "edit_code",
    "merge_codes",
    "move_code",
    "remove_code",
    "rename_code",
    "split_code",
]

_EDITABLE = {f.name for f in dataclasses.fields(Code)} - {"id"}


def _rebuild(
    book: Codebook, codes: Sequence[Code], sets: Sequence[CodeSet] | None = None
) -> Codebook:
    new = dataclasses.replace(
        book, codes=tuple(codes), sets=tuple(book.sets if sets is None else sets)
    )
    validate(new, ordered=False)  # parents and cycles first, then put into tree order
    new = dataclasses.replace(new, codes=tree_order(new.codes))
    return new


def _need(book: Codebook, code_id: str) -> Code:
    try:
        return book.get(code_id)
    except KeyError:
        raise InvalidCode(f"{book.id}: code {code_id!r} does not exist") from None


def _insert(codes: list[Code], code: Code, index: int | None) -> list[Code]:
    """Insert ``code`` as the ``index``-th child of its parent (``None``: last)."""
    siblings = [i for i, c in enumerate(codes) if c.parent == code.parent]
    if index is None or index >= len(siblings):
        codes.append(code)  # tree_order puts it after its siblings
    else:
        codes.insert(siblings[max(index, 0)], code)
    return codes


def add_code(codebook: Codebook, code: Code, *, index: int | None = None) -> Codebook:
    """Add ``code`` under ``code.parent`` as its ``index``-th child (default: last)."""
    if code.id in codebook:
        raise InvalidCode(f"{codebook.id}: code {code.id!r}: id is already used")
    return _rebuild(codebook, _insert(list(codebook.codes), code, index))


def rename_code(
    codebook: Codebook, code_id: str, label: str | Mapping[str, str], lang: str = "en"
) -> Codebook:
    """Change a code's label: a text for ``lang``, or a whole ``{lang: text}`` mapping."""
    code = _need(codebook, code_id)
    new_label = dict(label) if isinstance(label, Mapping) else {**code.label, lang: label}
    return edit_code(codebook, code_id, label=new_label)


def move_code(
    codebook: Codebook, code_id: str, new_parent: str | None, *, index: int | None = None
) -> Codebook:
    """Put a code (with its subtree) under ``new_parent`` (``None``: top level).

    Refuses to move a code under itself or one of its descendants.
    """
    code = _need(codebook, code_id)
    if new_parent is not None:
        _need(codebook, new_parent)
        if new_parent == code_id or new_parent in codebook.descendants(code_id):
            raise InvalidCode(
                f"{codebook.id}: code {code_id!r}: cannot move under {new_parent!r}, "
                "which is inside it"
            )
    codes = [c for c in codebook.codes if c.id != code_id]
    return _rebuild(codebook, _insert(codes, dataclasses.replace(code, parent=new_parent), index))


def edit_code(codebook: Codebook, code_id: str, **fields: Any) -> Codebook:
    """Replace fields of a code (``label``, ``definition``, ``color``, ``shortcut``, ...)."""
    code = _need(codebook, code_id)
    unknown = sorted(set(fields) - _EDITABLE)
    if unknown:
        raise InvalidCode(f"{codebook.id}: code {code_id!r}: cannot edit {', '.join(unknown)}")
    if "parent" in fields and fields["parent"] != code.parent:
        rest = {k: v for k, v in fields.items() if k != "parent"}
        moved = move_code(codebook, code_id, fields["parent"])
        return edit_code(moved, code_id, **rest) if rest else moved
    for name in ("label", "definition", "use_when", "do_not_use_when"):
        if name in fields:
            fields[name] = dict(fields[name])
    if "examples" in fields:
        fields["examples"] = tuple(fields["examples"])
    new = dataclasses.replace(code, **fields)
    return _rebuild(codebook, [new if c.id == code_id else c for c in codebook.codes])


def remove_code(codebook: Codebook, code_id: str, *, lift_children: bool = False) -> Codebook:
    """Remove a code (and drop it from sets).

    A code with children is refused unless ``lift_children``: then its children move up to
    its parent, in its place.
    """
    code = _need(codebook, code_id)
    kids = codebook.children(code_id)
    if kids and not lift_children:
        raise InvalidCode(
            f"{codebook.id}: code {code_id!r}: has {len(kids)} sub-codes; move or remove them "
            "first (or lift them up)"
        )
    if len(codebook.codes) == 1:
        raise InvalidCode(f"{codebook.id}: code {code_id!r}: the last code cannot be removed")
    codes: list[Code] = []
    for c in codebook.codes:
        if c.id == code_id:
            codes.extend(dataclasses.replace(k, parent=code.parent) for k in kids)
        elif c.parent != code_id:
            codes.append(c)
    sets = [
        dataclasses.replace(s, members=tuple(m for m in s.members if m != code_id))
        for s in codebook.sets
    ]
    return _rebuild(codebook, codes, sets)


def merge_codes(codebook: Codebook, source_ids: Sequence[str], target_id: str) -> Codebook:
    """Fold the codes ``source_ids`` into ``target_id`` and remove them.

    Sub-codes of a source move under the target; set memberships go to the target.  The
    target's texts are kept.  The caller re-points the sources' codings to the target.
    """
    target = _need(codebook, target_id)
    sources = list(dict.fromkeys(source_ids))
    for sid in sources:
        _need(codebook, sid)
    if target_id in sources:
        raise InvalidCode(f"{codebook.id}: code {target_id!r}: cannot merge a code into itself")
    gone = set(sources)

    def surviving(parent: str | None) -> str | None:
        while parent is not None and parent in gone:
            parent = codebook.get(parent).parent
        return parent

    # If the target sits inside a source, it takes the place of its highest removed ancestor.
    target_parent = target.parent
    ancestor = target.parent
    while ancestor is not None:
        if ancestor in gone:
            target_parent = surviving(codebook.get(ancestor).parent)
        ancestor = codebook.get(ancestor).parent
    codes: list[Code] = []
    for c in codebook.codes:
        if c.id in gone:
            continue
        if c.id == target_id:
            c = dataclasses.replace(target, parent=target_parent)
        elif c.parent in gone:
            c = dataclasses.replace(c, parent=target_id)
        codes.append(c)
    sets = []
    for s in codebook.sets:
        members = [target_id if m in gone else m for m in s.members]
        sets.append(dataclasses.replace(s, members=tuple(dict.fromkeys(members))))
    return _rebuild(codebook, codes, sets)


def split_code(
    codebook: Codebook, code_id: str, new_codes: Sequence[Code], *, as_children: bool = False
) -> Codebook:
    """Split a code into ``new_codes``.

    By default the new codes take the code's place (same parent and position; their own
    ``parent`` is ignored), its sub-codes move under the first new code, its set
    memberships go to every new code, and the code is removed.  With ``as_children`` the
    code stays, becomes a category (``codable=False``), and the new codes become its
    children.  The caller re-assigns the code's codings.
    """
    code = _need(codebook, code_id)
    if not new_codes:
        raise InvalidCode(f"{codebook.id}: code {code_id!r}: split into no codes")
    for new in new_codes:
        if new.id in codebook and not (new.id == code_id and not as_children):
            raise InvalidCode(f"{codebook.id}: code {new.id!r}: id is already used")
    if as_children:
        codes = [
            dataclasses.replace(c, codable=False) if c.id == code_id else c for c in codebook.codes
        ]
        codes.extend(dataclasses.replace(n, parent=code_id) for n in new_codes)
        return _rebuild(codebook, codes)
    placed = [dataclasses.replace(n, parent=code.parent) for n in new_codes]
    codes = []
    for c in codebook.codes:
        if c.id == code_id:
            codes.extend(placed)
        elif c.parent == code_id:
            codes.append(dataclasses.replace(c, parent=placed[0].id))
        else:
            codes.append(c)
    sets = []
    for s in codebook.sets:
        members: list[str] = []
        for m in s.members:
            members.extend([n.id for n in placed] if m == code_id else [m])
        sets.append(dataclasses.replace(s, members=tuple(dict.fromkeys(members))))
    return _rebuild(codebook, codes, sets)
