"""Three-way merge of codebooks, per code and per field (per language for texts).

Whatever only one side changed is taken; what both sides changed in the same way is taken
once; what both changed differently is a :class:`Conflict`: the result keeps *ours* for
that field and the conflict says so, so nothing is dropped silently.  A code deleted on one
side and edited on the other is a conflict too (the result again follows *ours*).  Merges
that would leave a code without its parent, put codes in a cycle or give two codes one
shortcut are repaired towards *ours* and reported as conflicts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import CodebookError
from ._model import Code, Codebook, CodeSet
from ._validate import TEXT_FIELDS, validate

__all__ = ["Conflict", "MergeResult", "merge"]


class _Absent:
    def __repr__(self) -> str:
        return "(absent)"


ABSENT: Any = _Absent()
_SCALARS = ("parent", "codable", "examples", "color", "shortcut", "guid")


@dataclass(frozen=True)
class Conflict:
    """A field both sides changed differently (the merged codebook keeps ``ours``).

    ``item`` is a code id, ``"set:<id>"`` for a code set, or ``"codebook"``; ``field`` is a
    field name, with the language for texts (``"definition.sv"``), or ``"deleted"`` when
    one side deleted what the other edited.
    """

    item: str
    field: str
    base: object
    ours: object
    theirs: object

    def __str__(self) -> str:
        return (
            f"{self.item}: {self.field}: ours {_show(self.ours)}, theirs "
            f"{_show(self.theirs)} (kept ours)"
        )


def _show(value: object) -> str:
    if value is ABSENT:
        return "(absent)"
    if isinstance(value, tuple) and value and hasattr(value[0], "lang"):
        return "[" + ", ".join(f"{e.lang}: {e.text!r}" for e in value) + "]"
    return repr(value)


@dataclass(frozen=True)
class MergeResult:
    """The merged codebook and the conflicts a person should look at."""

    codebook: Codebook
    conflicts: tuple[Conflict, ...]

    @property
    def clean(self) -> bool:
        """True when nothing conflicted."""
        return not self.conflicts


def _flat_code(code: Code) -> dict[str, Any]:
    flat: dict[str, Any] = {name: getattr(code, name) for name in _SCALARS}
    for name in TEXT_FIELDS:
        for lang, text in getattr(code, name).items():
            flat[f"{name}.{lang}"] = text
    return flat


def _unflat_code(code_id: str, flat: Mapping[str, Any]) -> Code:
    texts: dict[str, Any] = {name: {} for name in TEXT_FIELDS}
    for key, value in flat.items():
        if "." in key and value is not ABSENT:
            name, lang = key.split(".", 1)
            texts[name][lang] = value
    scalars = {k: flat[k] for k in _SCALARS if flat.get(k, ABSENT) is not ABSENT}
    return Code(id=code_id, **texts, **scalars)


def _merge_fields(
    item: str,
    base: Mapping[str, Any],
    ours: Mapping[str, Any],
    theirs: Mapping[str, Any],
    conflicts: list[Conflict],
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in dict.fromkeys([*ours, *theirs, *base]):
        b, o, t = base.get(key, ABSENT), ours.get(key, ABSENT), theirs.get(key, ABSENT)
        if o == t or t == b:
            value = o
        elif o == b:
            value = t
        else:
            value = o
            conflicts.append(Conflict(item, key, b, o, t))
        if value is not ABSENT:
            out[key] = value
    return out


def _merge_items(
    prefix: str,
    base: Mapping[str, Any],
    ours: Mapping[str, Any],
    theirs: Mapping[str, Any],
    flatten: Callable[[Any], dict[str, Any]],
    conflicts: list[Conflict],
) -> dict[str, dict[str, Any]]:
    """Merge items keyed by id: presence first, then field by field."""
    merged: dict[str, dict[str, Any]] = {}
    for key in dict.fromkeys([*ours, *theirs, *base]):
        b, o, t = base.get(key), ours.get(key), theirs.get(key)
        item = prefix + key
        if o is not None and t is not None:
            merged[key] = _merge_fields(
                item, flatten(b) if b is not None else {}, flatten(o), flatten(t), conflicts
            )
        elif o is not None:  # theirs deleted it, or ours added it
            if b is not None and flatten(o) != flatten(b):
                edited = _changed(flatten(b), flatten(o))
                conflicts.append(
                    Conflict(item, "deleted", "present", "edited: " + ", ".join(edited), "deleted")
                )
            if b is None or flatten(o) != flatten(b):
                merged[key] = flatten(o)
        elif t is not None:  # ours deleted it, or theirs added it
            if b is None:
                merged[key] = flatten(t)
            elif flatten(t) != flatten(b):
                edited = _changed(flatten(b), flatten(t))
                conflicts.append(
                    Conflict(item, "deleted", "present", "deleted", "edited: " + ", ".join(edited))
                )
    return merged


def _changed(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[str]:
    return [k for k in dict.fromkeys([*a, *b]) if a.get(k, ABSENT) != b.get(k, ABSENT)]


def _flat_set(code_set: CodeSet) -> dict[str, Any]:
    return {
        "name": code_set.name,
        "description": code_set.description,
        "guid": code_set.guid,
        "members": code_set.members,
    }


def _flat_meta(book: Codebook) -> dict[str, Any]:
    flat: dict[str, Any] = {"version": book.version}
    for name in ("title", "description"):
        for lang, text in getattr(book, name).items():
            flat[f"{name}.{lang}"] = text
    return flat


def merge(base: Codebook, ours: Codebook, theirs: Codebook) -> MergeResult:
    """Three-way merge of two edited versions ``ours`` and ``theirs`` of ``base``.

    Raises
    ------
    CodebookError
        The three are not versions of one codebook (different ids).
    """
    ids = {base.id, ours.id, theirs.id}
    if len(ids) != 1:
        raise CodebookError(
            f"cannot merge unrelated codebooks: ids {base.id!r}, {ours.id!r}, {theirs.id!r} differ"
        )
    conflicts: list[Conflict] = []
    flat = _merge_items(
        "",
        {c.id: c for c in base.codes},
        {c.id: c for c in ours.codes},
        {c.id: c for c in theirs.codes},
        _flat_code,
        conflicts,
    )
    if not flat:
        # Each side deleted every code the other kept.  A codebook needs codes: ours stay, and
        # each is reported as deleted by theirs.
        for code in ours.codes:
            flat[code.id] = _flat_code(code)
            conflicts.append(Conflict(code.id, "deleted", "present", "present", "deleted"))
    codes = {cid: _unflat_code(cid, f) for cid, f in flat.items()}
    versions = (ours, theirs, base)
    _repair_parents(codes, versions, conflicts)
    _repair_shortcuts(codes, base, ours, conflicts)
    ordered = _order(codes, base, ours, theirs)

    meta = _merge_fields(
        "codebook", _flat_meta(base), _flat_meta(ours), _flat_meta(theirs), conflicts
    )
    title = {k.split(".", 1)[1]: v for k, v in meta.items() if k.startswith("title.")}
    description = {k.split(".", 1)[1]: v for k, v in meta.items() if k.startswith("description.")}
    set_fields = _merge_items(
        "set:",
        {s.id: s for s in base.sets},
        {s.id: s for s in ours.sets},
        {s.id: s for s in theirs.sets},
        _flat_set,
        conflicts,
    )
    sets = tuple(
        CodeSet(
            id=sid,
            name=f["name"],
            description=f["description"],
            members=tuple(m for m in f["members"] if m in codes),
            guid=f["guid"],
        )
        for sid, f in set_fields.items()
    )
    book = Codebook(
        id=ours.id,
        title=title,
        codes=ordered,
        description=description,
        version=meta.get("version", ours.version),
        sets=sets,
    )
    validate(book)
    return MergeResult(book, tuple(conflicts))


def _parent_in(versions: Iterable[Codebook], code_id: str) -> str | None:
    for book in versions:
        if code_id in book:
            return book.get(code_id).parent
    return None


def _repair_parents(
    codes: dict[str, Code],
    versions: tuple[Codebook, Codebook, Codebook],
    conflicts: list[Conflict],
) -> None:
    ours, theirs, base = versions

    def side(book: Codebook, cid: str) -> object:
        return book.get(cid).parent if cid in book else ABSENT

    def set_parent(cid: str, parent: str | None) -> None:
        old = codes[cid]
        conflicts.append(
            Conflict(cid, "parent", side(base, cid), side(ours, cid), side(theirs, cid))
        )
        codes[cid] = dataclasses.replace(old, parent=parent)

    for _ in range(len(codes) + 1):
        changed = False
        for cid, code in list(codes.items()):  # orphans go to the nearest surviving ancestor
            parent, seen = code.parent, set()
            while parent is not None and parent not in codes and parent not in seen:
                seen.add(parent)
                parent = _parent_in(versions, parent)
            if parent is not None and parent not in codes:
                parent = None
            if parent != code.parent:
                set_parent(cid, parent)
                changed = True
        for cid in list(codes):  # a cycle: put back ours' parent where it differs
            chain, current = [cid], codes[cid].parent
            while current is not None and current not in chain:
                chain.append(current)
                current = codes[current].parent
            if current is None:
                continue
            cycle = chain[chain.index(current) :]
            fix = next(
                (c for c in cycle if c in ours and codes[c].parent != ours.get(c).parent), cycle[0]
            )
            set_parent(fix, ours.get(fix).parent if fix in ours else None)
            changed = True
            break
        if not changed:
            return


def _repair_shortcuts(
    codes: dict[str, Code], base: Codebook, ours: Codebook, conflicts: list[Conflict]
) -> None:
    holders: dict[str, list[str]] = {}
    for cid, code in codes.items():
        if code.shortcut is not None:
            holders.setdefault(code.shortcut, []).append(cid)
    used = set(holders)
    for shortcut, cids in holders.items():
        if len(cids) < 2:
            continue
        keep = next((c for c in cids if c in ours and ours.get(c).shortcut == shortcut), cids[0])
        for cid in cids:
            if cid == keep:
                continue
            mine = ours.get(cid).shortcut if cid in ours else None
            new = mine if mine is not None and mine not in used else None
            if new is not None:
                used.add(new)
            old = base.get(cid).shortcut if cid in base else ABSENT
            conflicts.append(Conflict(cid, "shortcut", old, mine, shortcut))
            codes[cid] = dataclasses.replace(codes[cid], shortcut=new)


def _order(
    codes: dict[str, Code], base: Codebook, ours: Codebook, theirs: Codebook
) -> tuple[Code, ...]:
    kids: dict[str | None, list[str]] = {}
    for cid, code in codes.items():
        kids.setdefault(code.parent, []).append(cid)
    sequence: dict[str | None, list[str]] = {}
    for parent, members in kids.items():
        wanted = set(members)

        def among(
            book: Codebook, parent: str | None = parent, wanted: set[str] = wanted
        ) -> list[str]:
            if parent is not None and parent not in book:
                return []
            return [c.id for c in book.children(parent) if c.id in wanted]

        o, t, b = among(ours), among(theirs), among(base)
        if o == b:
            seq = t + [x for x in o if x not in t]
        elif t == b:
            seq = o + [x for x in t if x not in o]
        else:
            seq = list(o)
            for i, x in enumerate(t):
                if x in seq:
                    continue
                before = next((y for y in reversed(t[:i]) if y in seq), None)
                seq.insert(seq.index(before) + 1 if before is not None else 0, x)
        seq.extend(x for x in members if x not in seq)
        sequence[parent] = seq
    out: list[Code] = []
    stack = list(reversed(sequence.get(None, [])))
    while stack:
        cid = stack.pop()
        out.append(codes[cid])
        stack.extend(reversed(sequence.get(cid, [])))
    return tuple(out)
