from __future__ import annotations

import pytest

from workbench.codebook import (
    Code,
    Codebook,
    add_code,
    codebook_from_yaml,
    edit_code,
    merge_codes,
    move_code,
    remove_code,
    rename_code,
    split_code,
)
from workbench.errors import InvalidCode

from .codebook_strategies import SAMPLE_YAML


@pytest.fixture
def book() -> Codebook:
    return codebook_from_yaml(SAMPLE_YAML, "demo.yaml")


def test_add_code_puts_child_under_parent_at_index(book: Codebook) -> None:
    new = add_code(book, Code(id="ep-how", label={"en": "How"}, parent="everyday-process"), index=1)
    assert [c.id for c in new.children("everyday-process")] == ["ep-what", "ep-how", "ep-when"]
    assert new.ids().index("ep-how") < new.ids().index("functional-quality")
    assert "ep-how" not in book  # pure: the original is untouched


def test_add_code_refuses_duplicates_and_bad_codes(book: Codebook) -> None:
    with pytest.raises(InvalidCode, match="'ep-what': id is already used"):
        add_code(book, Code(id="ep-what", label={"en": "x"}))
    with pytest.raises(InvalidCode, match="shortcut 'w' is already used"):
        add_code(book, Code(id="x", label={"en": "x"}, shortcut="w"))
    with pytest.raises(InvalidCode, match="parent 'nope' does not exist"):
        add_code(book, Code(id="x", label={"en": "x"}, parent="nope"))


def test_rename_code_one_language_or_all(book: Codebook) -> None:
    assert rename_code(book, "ep-what", "Activity").get("ep-what").label == {
        "sv": "Vad",
        "en": "Activity",
    }
    assert rename_code(book, "ep-what", {"sv": "Vad"}).get("ep-what").label == {"sv": "Vad"}
    with pytest.raises(InvalidCode, match="code 'nope' does not exist"):
        rename_code(book, "nope", "x")


def test_move_code_moves_subtree_and_refuses_cycles(book: Codebook) -> None:
    moved = move_code(book, "everyday-process", "functional-quality")
    assert moved.path("ep-what") == ["Functional quality", "Everyday process", "What"]
    assert moved.ids() == ["functional-quality", "everyday-process", "ep-what", "ep-when"]
    with pytest.raises(InvalidCode, match="inside it"):
        move_code(book, "everyday-process", "ep-what")
    with pytest.raises(InvalidCode, match="inside it"):
        move_code(book, "ep-what", "ep-what")
    assert move_code(book, "ep-what", None).get("ep-what").parent is None


def test_edit_code_validates_fields(book: Codebook) -> None:
    edited = edit_code(book, "ep-when", color="#000000", shortcut="z", definition={"en": "Time"})
    code = edited.get("ep-when")
    assert (code.color, code.shortcut, code.definition) == ("#000000", "z", {"en": "Time"})
    with pytest.raises(InvalidCode, match="colour"):
        edit_code(book, "ep-when", color="red")
    with pytest.raises(InvalidCode, match="cannot edit id"):
        edit_code(book, "ep-when", id="x")
    with pytest.raises(InvalidCode, match="inside it"):
        edit_code(book, "everyday-process", parent="ep-when")


def test_remove_code_drops_it_from_sets_and_guards_children(book: Codebook) -> None:
    removed = remove_code(book, "ep-what")
    assert "ep-what" not in removed and removed.sets[0].members == ("ep-when",)
    with pytest.raises(InvalidCode, match="has 2 sub-codes"):
        remove_code(book, "everyday-process")
    lifted = remove_code(book, "everyday-process", lift_children=True)
    assert lifted.ids() == ["ep-what", "ep-when", "functional-quality"]
    assert lifted.get("ep-what").parent is None


def test_merge_codes_removes_sources_and_keeps_target(book: Codebook) -> None:
    merged = merge_codes(book, ["ep-when"], "ep-what")
    assert "ep-when" not in merged and merged.sets[0].members == ("ep-what",)
    # merging a parent into its own child: the child takes the parent's place
    up = merge_codes(book, ["everyday-process"], "ep-what")
    assert up.get("ep-what").parent is None and up.get("ep-when").parent == "ep-what"
    with pytest.raises(InvalidCode, match="into itself"):
        merge_codes(book, ["ep-what"], "ep-what")


def test_split_code_replaces_or_adds_children(book: Codebook) -> None:
    parts = [
        Code(id="ep-what-home", label={"en": "At home"}),
        Code(id="ep-what-work", label={"en": "At work"}),
    ]
    split = split_code(book, "ep-what", parts)
    assert [c.id for c in split.children("everyday-process")] == [
        "ep-what-home",
        "ep-what-work",
        "ep-when",
    ]
    assert split.sets[0].members == ("ep-what-home", "ep-what-work", "ep-when")
    kept = split_code(book, "ep-what", parts, as_children=True)
    assert kept.get("ep-what").codable is False
    assert kept.path("ep-what-work") == ["Everyday process", "What", "At work"]
    with pytest.raises(InvalidCode, match="'ep-when': id is already used"):
        split_code(book, "ep-what", [Code(id="ep-when", label={"en": "x"})])
