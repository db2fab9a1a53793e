from __future__ import annotations

from workbench.codebook import (
    Code,
    add_code,
    codebook_from_yaml,
    diff,
    edit_code,
    move_code,
    remove_code,
    rename_code,
)

from .codebook_strategies import SAMPLE_YAML


def test_diff_same_codebook_is_empty() -> None:
    book = codebook_from_yaml(SAMPLE_YAML, "demo.yaml")
    changes = diff(book, book)
    assert not changes and str(changes) == "no differences"


def test_diff_reports_each_kind_of_change() -> None:
    a = codebook_from_yaml(SAMPLE_YAML, "demo.yaml")
    b = rename_code(a, "ep-what", "Activity")
    b = move_code(b, "ep-when", None)
    b = edit_code(
        b,
        "functional-quality",
        color="#000000",
        shortcut="q",
        use_when={"en": "Service encounters"},
    )
    b = remove_code(b, "ep-what")
    b = add_code(b, Code(id="new", label={"en": "New"}))
    changes = diff(a, b)
    assert changes.added == ("new",) and changes.removed == ("ep-what",)
    assert [(c.item, c.old, c.new) for c in changes.moved] == [
        ("ep-when", "everyday-process", None)
    ]
    assert changes.changed_fields("functional-quality") == ["use_when", "color", "shortcut"]
    assert changes.renamed == ()  # the renamed code was removed afterwards
    text = changes.to_text()
    assert "+ added new" in text and "- removed ep-what" in text
    assert "~ changed functional-quality: color: '#1565C0' -> '#000000'" in text
    assert diff(a, rename_code(a, "ep-what", "Activity")).renamed[0].new == {
        "sv": "Vad",
        "en": "Activity",
    }


def test_diff_reports_reordering() -> None:
    a = codebook_from_yaml(SAMPLE_YAML, "demo.yaml")
    b = move_code(a, "ep-when", "everyday-process", index=0)
    changes = diff(a, b)
    assert changes.reordered == ("everyday-process",) and bool(changes)


def test_diff_reports_metadata_and_sets() -> None:
    import dataclasses

    a = codebook_from_yaml(SAMPLE_YAML, "demo.yaml")
    b = dataclasses.replace(a, version=4, sets=())
    changes = diff(a, b)
    assert [c.field for c in changes.metadata] == ["version"]
    assert [(c.item, c.field) for c in changes.sets] == [("process", "removed")]
    assert "~ codebook version: 3 -> 4" in changes.to_text()
    assert "~ set process: removed: 'Process codes' -> (none)" in str(changes)
