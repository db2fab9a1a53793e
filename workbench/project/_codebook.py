"""Codebook changes inside a project: each one a new recorded version, no coding lost.

Codings refer to stable code ids.  Renaming, moving and editing a code leave them alone;
merging moves the sources' codings to the target; splitting asks which new code each coding
goes to.  Every change goes through the pure operations of :mod:`workbench.codebook`, is
validated before anything is written, and is saved with :meth:`Project.set_codebook` (a new
version plus an audit row).  When codings move as well, the move and the new version are
written in ONE database transaction, so a failure leaves the project as it was.

>>> from workbench import _codebook_project as cp
>>> cp.rename(p, "fq-accessibility", "Reachability")        # doctest: +SKIP
>>> cp.merge(p, ["tq-outcome"], "tq-result")                # doctest: +SKIP
>>> print(cp.adopt(p, "shared/codebook-v2.yaml"))           # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from workbench import codebook as cb
from workbench.codebook import Code
from workbench.errors import InvalidCode, UnknownItem

if TYPE_CHECKING:
    from workbench.codebook import Codebook, CodebookDiff
    from workbench.project._project import Project

__all__ = [
    "add",
    "adopt",
    "coding_counts",
    "edit",
    "merge",
    "move",
    "remove",
    "rename",
    "split",
]

T = TypeVar("T")

#: What ``split`` accepts as ``assign``: segment id -> new code id, or a function of the
#: segment's row (a :meth:`Project.segments` row) returning the new code id (None: unassigned).
Assign = Mapping[int, str] | Callable[[pd.Series], "str | None"]


# -- helpers --------------------------------------------------------------------------------
def coding_counts(p: Project) -> dict[str, int]:
    """Number of coded segments per code id (any coder)."""
    frame = p.codings()
    if frame.empty:
        return {}
    return {str(k): int(v) for k, v in frame.groupby("code")["segment"].nunique().items()}


def _used(p: Project, code_ids: Sequence[str]) -> dict[str, int]:
    counts = coding_counts(p)
    return {c: counts[c] for c in code_ids if counts.get(c)}


def _save(p: Project, new: Codebook, note: str) -> int:
    return p.set_codebook(new, note=note)


# -- simple edits ---------------------------------------------------------------------------
def rename(p: Project, code_id: str, label: str | Mapping[str, str], lang: str = "en") -> int:
    """Change a code's label (one language, or a ``{lang: text}`` mapping); returns the version."""
    new = cb.rename_code(p.codebook, code_id, label, lang)
    return _save(p, new, f"renamed {code_id}")


def move(p: Project, code_id: str, new_parent: str | None, *, index: int | None = None) -> int:
    """Put a code (and its sub-codes) under ``new_parent`` (None: top level)."""
    new = cb.move_code(p.codebook, code_id, new_parent, index=index)
    return _save(p, new, f"moved {code_id} under {new_parent or '(top level)'}")


def edit(p: Project, code_id: str, **fields: Any) -> int:
    """Replace fields of a code (label, definition, use_when, color, shortcut, ...)."""
    new = cb.edit_code(p.codebook, code_id, **fields)
    return _save(p, new, f"edited {code_id}: {', '.join(sorted(fields)) or 'nothing'}")


def add(p: Project, code: Code, *, index: int | None = None) -> int:
    """Add a code under ``code.parent``."""
    new = cb.add_code(p.codebook, code, index=index)
    return _save(p, new, f"added {code.id}")


def new_code(p: Project, label: str, parent: str | None = None, *, lang: str = "en") -> str:
    """Make a code while coding (in vivo, or named by the coder) and return its id: the label
    in both languages until someone translates it, the parent's colour; an undoable codebook
    version (undo takes the code out again while it has no codings)."""
    label = " ".join(str(label).split())
    if not label:
        raise InvalidCode("a new code needs a label")
    book = p.codebook
    if parent is not None and parent not in book:
        raise UnknownItem(f"code {parent!r} is not in the codebook")
    taken = {c.id for c in book.codes}
    same = [
        c.id
        for c in book.codes
        if c.parent == parent and c.name(lang).casefold() == label.casefold()
    ]
    if same:
        raise InvalidCode(f"{label!r} is already a code here ({same[0]})")
    color = book.get(parent).color if parent is not None else "#6B7280"
    code = Code(
        id=cb.slugify(label, taken), label={"sv": label, "en": label}, parent=parent, color=color
    )
    new = cb.add_code(book, code)
    p.store.save_codebook(
        new, new.to_yaml(), author=p.coder, note=f"added {code.id} while coding", undoable=True
    )
    return code.id


def remove(p: Project, code_id: str, *, lift_children: bool = False) -> int:
    """Remove a code that has no codings (a used code must be merged into another first)."""
    book = p.codebook
    used = _used(p, [code_id])
    if used:
        raise InvalidCode(
            f"code {code_id!r} has codings on {used[code_id]} segment(s): merge it into another "
            "code instead of removing it"
        )
    new = cb.remove_code(book, code_id, lift_children=lift_children)
    return _save(p, new, f"removed {code_id}")


# -- merge and split ------------------------------------------------------------------------
def merge(p: Project, source_ids: Sequence[str] | str, target_id: str) -> int:
    """Fold ``source_ids`` into ``target_id``: their codings move to the target (duplicates
    collapse into one), then the merged codebook is saved.  Returns the codings moved."""
    sources = [source_ids] if isinstance(source_ids, str) else list(source_ids)
    book = p.codebook
    new = cb.merge_codes(book, sources, target_id)  # validates before anything is written
    if not book.get(target_id).codable:
        raise InvalidCode(f"code {target_id!r} is a group; merge into one of its codes")
    user = p.coder
    mapping = dict.fromkeys(dict.fromkeys(sources), target_id)
    note = f"merged {', '.join(mapping)} into {target_id}"

    recoded: list[dict[str, Any]] = []
    with p.store.transaction() as store:
        moved = store.recode(mapping, user=user, moved_rows=recoded)
        store.save_codebook(
            new, new.to_yaml(), author=user, note=note, undoable=True, recoded=recoded
        )
    return moved


def split(
    p: Project,
    code_id: str,
    new_codes: Sequence[Code],
    assign: Assign,
    *,
    as_children: bool = False,
) -> dict[str, int]:
    """Split a code into ``new_codes``; ``assign`` says which new code each coding goes to.

    ``assign`` maps segment id -> new code id, or is a function of the segment's row
    (from :meth:`Project.segments`) returning the new code id.  Every coding of the code must
    be assigned, else :class:`InvalidCode` and nothing changes.  Returns codings moved per
    new code.  With ``as_children`` the code stays as a group above the new codes.
    """
    book = p.codebook
    new = cb.split_code(book, code_id, new_codes, as_children=as_children)
    targets = {c.id for c in new_codes}
    codings = p.codings(code=code_id)
    segment_ids = sorted({int(s) for s in codings["segment"]})
    chosen: dict[int, str | None] = {}
    if callable(assign):
        rows = p.segments().set_index("segment", drop=False)
        for sid in segment_ids:
            picked = assign(rows.loc[sid])
            chosen[sid] = None if picked is None else str(picked)
    else:
        chosen = {sid: assign.get(sid) for sid in segment_ids}
    unknown = sorted({t for t in chosen.values() if t is not None and t not in targets})
    if unknown:
        raise InvalidCode(
            f"code {code_id!r}: split assigns codings to {', '.join(map(repr, unknown))}, which "
            f"is not one of the new codes ({', '.join(sorted(targets))})"
        )
    missing = [sid for sid, t in chosen.items() if t is None]
    if missing:
        n = int(codings["segment"].isin(missing).sum())
        shown = ", ".join(map(str, missing[:5])) + (", ..." if len(missing) > 5 else "")
        raise InvalidCode(
            f"code {code_id!r}: {n} of {len(codings)} codings are not assigned to a new code "
            f"(segments {shown}); assign every coding before splitting"
        )
    by_target: dict[str, list[int]] = {}
    for sid, target in chosen.items():
        assert target is not None
        by_target.setdefault(target, []).append(sid)
    user = p.coder
    note = f"split {code_id} into {', '.join(c.id for c in new_codes)}"
    fresh = [c for c in new.codes if c.id in targets and c.id not in book]

    moved = {c.id: 0 for c in new_codes}
    recoded: list[dict[str, Any]] = []
    with p.store.transaction() as store:
        store.prepare_codes(fresh)
        for target, sids in by_target.items():
            if target != code_id:
                moved[target] = store.recode(
                    {code_id: target}, user=user, segments_only=sids, moved_rows=recoded
                )
            else:
                moved[target] = int(codings["segment"].isin(sids).sum())
        store.save_codebook(
            new, new.to_yaml(), author=user, note=note, undoable=True, recoded=recoded
        )
    return moved


# -- shared codebook files ------------------------------------------------------------------
def adopt(p: Project, path: str | Path) -> CodebookDiff:
    """Make a shared codebook file (.yaml/.qdc/.csv) the project's codebook; returns what
    changed (print it).  Refused when it would drop codes that still have codings; nothing
    is saved when nothing changed."""
    file = Path(path)
    incoming = cb.load_codebook(file)
    changes = cb.diff(p.codebook, incoming)
    used = _used(p, changes.removed)
    if used:
        listed = ", ".join(f"{c} ({n} segment(s))" for c, n in used.items())
        raise InvalidCode(
            f"{file.name}: cannot adopt: it removes codes that still have codings: {listed}; "
            "merge them into codes the file keeps first"
        )
    if changes:
        _save(p, incoming, f"adopted {file.name}")
    return changes
