from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.codebook import (
    Code,
    Codebook,
    add_code,
    codebook_from_yaml,
    edit_code,
    merge,
    move_code,
    remove_code,
    rename_code,
)
from workbench.codebook._merge import ABSENT, _flat_code
from workbench.errors import CodebookError, InvalidCode

from .codebook_strategies import SAMPLE_YAML, codebooks

SETTINGS = settings(max_examples=50, deadline=None)


def _edit(book: Codebook, data: st.DataObject, steps: int = 4) -> Codebook:
    """Apply a random sequence of edits (renames, texts, moves, adds, deletes)."""
    for _ in range(data.draw(st.integers(0, steps))):
        ids = book.ids()
        target = data.draw(st.sampled_from(ids))
        kind = data.draw(
            st.sampled_from(["rename", "text", "move", "add", "delete", "color", "shortcut"])
        )
        try:
            if kind == "rename":
                book = rename_code(
                    book,
                    target,
                    data.draw(st.sampled_from(["A", "B", "Ö"])),
                    lang=data.draw(st.sampled_from(["sv", "en"])),
                )
            elif kind == "text":
                field = data.draw(st.sampled_from(["definition", "use_when", "do_not_use_when"]))
                book = edit_code(
                    book, target, **{field: {"en": data.draw(st.sampled_from(["x", "y"]))}}
                )
            elif kind == "move":
                book = move_code(
                    book,
                    target,
                    data.draw(st.sampled_from([None, *ids])),
                    index=data.draw(st.sampled_from([None, 0])),
                )
            elif kind == "add":
                new_id = data.draw(st.sampled_from(["n1", "n2", "n3"]))
                book = add_code(
                    book,
                    Code(
                        id=new_id,
                        label={"en": new_id.upper()},
                        parent=data.draw(st.sampled_from([None, *ids])),
                    ),
                )
            elif kind == "delete":
                book = remove_code(book, target, lift_children=data.draw(st.booleans()))
            elif kind == "color":
                book = edit_code(
                    book, target, color=data.draw(st.sampled_from(["#000000", "#FFFFFF"]))
                )
            else:
                book = edit_code(
                    book, target, shortcut=data.draw(st.sampled_from([None, "k", "m"]))
                )
        except InvalidCode:
            pass  # an edit the editor would refuse: skip it
    return book


@SETTINGS
@given(codebooks(max_codes=5), st.data())
def test_merge_one_sided_or_identical_edits_give_the_edited_version(
    base: Codebook, data: st.DataObject
) -> None:
    x = _edit(base, data)
    for ours, theirs in ((x, x), (base, x), (x, base)):
        result = merge(base, ours, theirs)
        assert result.codebook == x
        assert result.clean


def _fields(book: Codebook) -> dict[str, dict[str, Any]]:
    return {c.id: _flat_code(c) for c in book.codes}


@SETTINGS
@given(codebooks(max_codes=5), st.data())
def test_merge_never_loses_a_field_changed_on_both_sides(
    base: Codebook, data: st.DataObject
) -> None:
    ours, theirs = _edit(base, data), _edit(base, data)
    result = merge(base, ours, theirs)
    conflicts = {(c.item, c.field) for c in result.conflicts}
    b, o, t, m = _fields(base), _fields(ours), _fields(theirs), _fields(result.codebook)
    for cid in set(o) & set(t):
        bf = b.get(cid, {})
        for key in set(o[cid]) | set(t[cid]) | set(bf):
            ov, tv, bv = (f.get(key, ABSENT) for f in (o[cid], t[cid], bf))
            mv = m.get(cid, {}).get(key, ABSENT)
            if ov != bv and tv != bv and ov != tv:
                assert (cid, key) in conflicts
                assert mv == ov or (cid, key) in conflicts
            elif (cid, key) not in conflicts and cid in m:
                assert mv == (tv if ov == bv else ov)
    for cid in set(b) - set(o):  # deleted by ours, edited by theirs
        if cid in t and t[cid] != b[cid]:
            assert (cid, "deleted") in conflicts and cid not in m
    for cid in set(b) - set(t):
        if cid in o and o[cid] != b[cid]:
            assert (cid, "deleted") in conflicts and cid in m


@pytest.fixture
def base() -> Codebook:
    return codebook_from_yaml(SAMPLE_YAML, "demo.yaml")


def test_merge_conflict_keeps_ours_and_reports(base: Codebook) -> None:
    ours = rename_code(base, "ep-what", "Activity")
    theirs = rename_code(base, "ep-what", "Task")
    theirs = edit_code(theirs, "ep-when", color="#000000")
    result = merge(base, ours, theirs)
    assert result.codebook.get("ep-what").label["en"] == "Activity"
    assert result.codebook.get("ep-when").color == "#000000"
    (conflict,) = result.conflicts
    assert (conflict.item, conflict.field, conflict.ours, conflict.theirs) == (
        "ep-what",
        "label.en",
        "Activity",
        "Task",
    )
    assert str(conflict) == "ep-what: label.en: ours 'Activity', theirs 'Task' (kept ours)"


def test_merge_different_languages_do_not_conflict(base: Codebook) -> None:
    ours = rename_code(base, "ep-what", "Aktivitet", lang="sv")
    theirs = rename_code(base, "ep-what", "Activity", lang="en")
    result = merge(base, ours, theirs)
    assert result.clean and result.codebook.get("ep-what").label == {
        "sv": "Aktivitet",
        "en": "Activity",
    }


def test_merge_delete_against_edit_is_a_conflict(base: Codebook) -> None:
    ours = remove_code(base, "ep-when")
    theirs = edit_code(base, "ep-when", color="#000000")
    result = merge(base, ours, theirs)
    assert "ep-when" not in result.codebook
    assert [(c.item, c.field) for c in result.conflicts] == [("ep-when", "deleted")]
    result = merge(base, theirs, ours)
    assert result.codebook.get("ep-when").color == "#000000" and not result.clean


def test_merge_adds_from_both_sides_and_same_add_once(base: Codebook) -> None:
    new = Code(id="ep-why", label={"en": "Why"}, parent="everyday-process")
    ours = add_code(base, new)
    theirs = add_code(add_code(base, new), Code(id="extra", label={"en": "Extra"}))
    result = merge(base, ours, theirs)
    assert result.clean
    assert result.codebook.ids().count("ep-why") == 1 and "extra" in result.codebook


def test_merge_repairs_cycles_orphans_and_shortcut_clashes(base: Codebook) -> None:
    ours = move_code(base, "everyday-process", "functional-quality")
    theirs = move_code(base, "functional-quality", "ep-when")
    result = merge(base, ours, theirs)
    assert result.codebook.get("functional-quality").parent is None
    assert ("functional-quality", "parent") in {(c.item, c.field) for c in result.conflicts}

    ours = remove_code(base, "functional-quality")
    theirs = add_code(base, Code(id="fq-child", label={"en": "c"}, parent="functional-quality"))
    result = merge(base, ours, theirs)
    assert result.codebook.get("fq-child").parent is None and not result.clean

    ours = edit_code(base, "ep-what", shortcut="k")
    theirs = edit_code(base, "ep-when", shortcut="k")
    result = merge(base, ours, theirs)
    assert result.codebook.get("ep-what").shortcut == "k"
    assert result.codebook.get("ep-when").shortcut == "shift+w"  # ours' value for that code
    (conflict,) = result.conflicts
    assert (conflict.item, conflict.field, conflict.base, conflict.theirs) == (
        "ep-when",
        "shortcut",
        "shift+w",
        "k",
    )


def test_merge_unrelated_codebooks_is_refused(base: Codebook) -> None:
    other = dataclasses.replace(base, id="other")
    with pytest.raises(CodebookError, match="cannot merge unrelated codebooks"):
        merge(base, base, other)


def test_merge_where_each_side_deleted_what_the_other_kept_keeps_ours() -> None:
    from workbench.codebook import Code, remove_code

    base = Codebook(
        id="b",
        title={"en": "B"},
        codes=(Code(id="a", label={"en": "A"}), Code(id="c", label={"en": "C"})),
    )
    ours, theirs = remove_code(base, "a"), remove_code(base, "c")
    result = merge(base, ours, theirs)
    assert [c.id for c in result.codebook.codes] == ["c"]
    assert [(c.item, c.field) for c in result.conflicts] == [("c", "deleted")]
