"""What changed between two versions of a codebook."""

from __future__ import annotations

from dataclasses import dataclass

from ._model import Code, Codebook

__all__ = ["Change", "CodebookDiff", "diff"]

_OTHER_FIELDS = (
    "codable",
    "definition",
    "use_when",
    "do_not_use_when",
    "examples",
    "color",
    "shortcut",
    "guid",
)


@dataclass(frozen=True)
class Change:
    """One field of one code (or of the codebook, or of a set) that differs."""

    item: str
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class CodebookDiff:
    """Differences from codebook ``a`` to codebook ``b``.

    ``renamed`` are label changes, ``moved`` parent changes, ``changed`` every other field of
    a code (texts, examples, colour, shortcut, codable); ``reordered`` names the parents
    (``None``: top level) whose children changed order; ``metadata`` covers title,
    description and version; ``sets`` covers code sets (field ``added``/``removed``/...).
    """

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    renamed: tuple[Change, ...] = ()
    moved: tuple[Change, ...] = ()
    changed: tuple[Change, ...] = ()
    reordered: tuple[str | None, ...] = ()
    metadata: tuple[Change, ...] = ()
    sets: tuple[Change, ...] = ()

    def __bool__(self) -> bool:
        return any(
            (
                self.added,
                self.removed,
                self.renamed,
                self.moved,
                self.changed,
                self.reordered,
                self.metadata,
                self.sets,
            )
        )

    def changed_fields(self, code_id: str) -> list[str]:
        """Names of the fields of ``code_id`` that changed (label, parent, ...)."""
        return [c.field for c in (*self.renamed, *self.moved, *self.changed) if c.item == code_id]

    def to_text(self) -> str:
        """A readable, line-per-change summary (empty when nothing changed)."""
        out: list[str] = []
        out.extend(f"+ added {cid}" for cid in self.added)
        out.extend(f"- removed {cid}" for cid in self.removed)
        out.extend(f"~ renamed {c.item}: {_show(c.old)} -> {_show(c.new)}" for c in self.renamed)
        out.extend(
            f"~ moved {c.item}: under {_show(c.old)} -> under {_show(c.new)}" for c in self.moved
        )
        out.extend(
            f"~ changed {c.item}: {c.field}: {_show(c.old)} -> {_show(c.new)}" for c in self.changed
        )
        out.extend(f"~ reordered children of {p or '(top level)'}" for p in self.reordered)
        out.extend(f"~ codebook {c.field}: {_show(c.old)} -> {_show(c.new)}" for c in self.metadata)
        out.extend(
            f"~ set {c.item}: {c.field}: {_show(c.old)} -> {_show(c.new)}" for c in self.sets
        )
        return "\n".join(out)

    def __str__(self) -> str:
        return self.to_text() or "no differences"


def _show(value: object) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {v!r}" for k, v in value.items()) + "}"
    if isinstance(value, tuple) and value and hasattr(value[0], "lang"):
        return "[" + ", ".join(f"{e.lang}: {e.text!r}" for e in value) + "]"
    return repr(value)


def diff(a: Codebook, b: Codebook) -> CodebookDiff:
    """Compare two codebooks code by code (matched on id)."""
    a_codes: dict[str, Code] = {c.id: c for c in a.codes}
    b_codes: dict[str, Code] = {c.id: c for c in b.codes}
    renamed, moved, changed = [], [], []
    for cid, old in a_codes.items():
        new = b_codes.get(cid)
        if new is None:
            continue
        if old.label != new.label:
            renamed.append(Change(cid, "label", old.label, new.label))
        if old.parent != new.parent:
            moved.append(Change(cid, "parent", old.parent, new.parent))
        for name in _OTHER_FIELDS:
            if getattr(old, name) != getattr(new, name):
                changed.append(Change(cid, name, getattr(old, name), getattr(new, name)))
    reordered: list[str | None] = []
    parents = dict.fromkeys([None, *(c.id for c in a.codes)])
    for parent in parents:
        if parent is not None and parent not in b_codes:
            continue
        before = [c.id for c in a.children(parent)]
        after = [c.id for c in b.children(parent)]
        common = set(before) & set(after)
        if [x for x in before if x in common] != [x for x in after if x in common]:
            reordered.append(parent)
    metadata = [
        Change(a.id, name, getattr(a, name), getattr(b, name))
        for name in ("id", "version", "title", "description")
        if getattr(a, name) != getattr(b, name)
    ]
    sets: list[Change] = []
    a_sets = {s.id: s for s in a.sets}
    b_sets = {s.id: s for s in b.sets}
    sets.extend(
        Change(sid, "removed", s.name, None) for sid, s in a_sets.items() if sid not in b_sets
    )
    sets.extend(
        Change(sid, "added", None, s.name) for sid, s in b_sets.items() if sid not in a_sets
    )
    for sid, s in a_sets.items():
        if sid in b_sets:
            for name in ("name", "description", "members", "guid"):
                if getattr(s, name) != getattr(b_sets[sid], name):
                    sets.append(Change(sid, name, getattr(s, name), getattr(b_sets[sid], name)))
    return CodebookDiff(
        added=tuple(c for c in b_codes if c not in a_codes),
        removed=tuple(c for c in a_codes if c not in b_codes),
        renamed=tuple(renamed),
        moved=tuple(moved),
        changed=tuple(changed),
        reordered=tuple(reordered),
        metadata=tuple(metadata),
        sets=tuple(sets),
    )
