from __future__ import annotations

import pytest
from hypothesis import given, settings

from workbench.codebook import Codebook, codebook_from_yaml, codebook_to_yaml, validate
from workbench.errors import CodebookError, InvalidCode, WorkbenchError

from .codebook_strategies import SAMPLE_YAML, codebooks


def _replace(old: str, new: str) -> str:
    assert old in SAMPLE_YAML
    return SAMPLE_YAML.replace(old, new, 1)


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_from_yaml_reads_fields() -> None:
    book = Codebook.from_yaml(SAMPLE_YAML, source="demo.yaml")
    assert book.id == "demo" and book.version == 3
    what = book.get("ep-what")
    assert what.parent == "everyday-process"
    assert what.definition["sv"] == "Vad som görs.\nAndra raden."
    assert what.examples[0].text == '"Jag kollar appen varje morgon"'
    assert book.get("everyday-process").codable is False
    assert book.get("functional-quality").shortcut == "1"
    assert book.sets[0].members == ("ep-what", "ep-when")
    assert book.path("ep-when", "sv") == ["Vardagsprocess", "När"]


def test_to_yaml_reproduces_canonical_file_byte_for_byte() -> None:
    assert Codebook.from_yaml(SAMPLE_YAML).to_yaml() == SAMPLE_YAML


def test_to_yaml_canonicalises_a_hand_written_file() -> None:
    hand = """# a comment
id: demo
title: {en: Demo}
codes:
  - id: a
    label: {en: "A"}
  - id: c
    label: {en: C}
    shortcut: 2
  - id: b
    parent: a
    label: {en: B}
"""
    book = codebook_from_yaml(hand, "hand.yaml")
    assert [c.id for c in book] == ["a", "b", "c"]  # depth-first tree order
    assert book.get("c").shortcut == "2"
    text = codebook_to_yaml(book)
    assert "# a comment" not in text and 'shortcut: "2"' in text
    assert codebook_to_yaml(codebook_from_yaml(text)) == text


@settings(max_examples=60, deadline=None)
@given(codebooks())
def test_yaml_roundtrip_any_codebook(book: Codebook) -> None:
    text = codebook_to_yaml(book)
    again = codebook_from_yaml(text, "x.yaml")
    assert again == book
    assert codebook_to_yaml(again) == text


@pytest.mark.parametrize(
    ("old", "new", "needle", "fragment"),
    [
        ("- id: ep-when", "- id: ep-what", "label: {sv: När", "code 'ep-what': id is already used"),
        (
            "parent: everyday-process\n    label: {sv: Vad",
            "parent: nowhere\n    label: {sv: Vad",
            "parent: nowhere",
            "code 'ep-what': parent 'nowhere' does not exist",
        ),
        ('color: "#66BB6A"', 'color: "#66BB6"', "#66BB6", "colour '#66BB6' is not of the form"),
        ("shortcut: w", "shortcut: ctrl+w", "ctrl+w", "shortcut 'ctrl+w' is not a-z"),
        (
            "label: {sv: Vad, en: What}",
            "label: {}",
            "label: {}",
            "code 'ep-what': the label is missing",
        ),
        ("- id: ep-when", "- id: Ep_When", "Ep_When", "id must be lowercase"),
        ('    color: "#A5D6A7"', '    colour: "#A5D6A7"', "colour:", "unknown key 'colour'"),
        ("codable: false", "codable: maybe", "codable: maybe", "codable must be true or false"),
    ],
)
def test_from_yaml_bad_code_names_file_line_and_code(
    old: str, new: str, needle: str, fragment: str
) -> None:
    text = _replace(old, new)
    with pytest.raises(CodebookError) as info:
        codebook_from_yaml(text, source="demo.yaml")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"demo.yaml: line {_line_of(text, needle.splitlines()[0])}") or (
        "id is already used" in fragment and message.startswith("demo.yaml: line ")
    ), message
    assert fragment in message


def test_from_yaml_duplicate_shortcut_message_exact() -> None:
    text = _replace("shortcut: w", "shortcut: e")
    line = [i for i, s in enumerate(text.splitlines(), 1) if s.strip() == "shortcut: e"][1]
    with pytest.raises(
        InvalidCode,
        match=f"^demo.yaml: line {line}: code 'ep-what': shortcut 'e' is "
        "already used by 'everyday-process'$",
    ):
        codebook_from_yaml(text, source="demo.yaml")


def test_from_yaml_cycle_is_refused() -> None:
    text = _replace("parent: null\n    codable: false", "parent: ep-what\n    codable: false")
    with pytest.raises(InvalidCode, match="cycle"):
        codebook_from_yaml(text, source="demo.yaml")


def test_from_yaml_malformed_yaml_gives_one_line_with_line_number() -> None:
    text = _replace("label: {sv: När, en: When}", "label: {sv: När, en: When")
    with pytest.raises(CodebookError) as info:
        codebook_from_yaml(text, source="demo.yaml")
    message = str(info.value)
    assert message.startswith("demo.yaml: line ") and "not valid YAML" in message
    assert "\n" not in message


@pytest.mark.parametrize("text", ["", "- just\n- a list\n", "id: x\n", "\x07"])
def test_from_yaml_wrong_document_is_a_workbench_error(text: str) -> None:
    with pytest.raises(WorkbenchError) as info:
        codebook_from_yaml(text, source="x.yaml")
    assert str(info.value).startswith("x.yaml: ") and "\n" not in str(info.value)


def test_from_yaml_duplicate_key_is_refused() -> None:
    text = _replace("    shortcut: w", "    shortcut: w\n    shortcut: x")
    with pytest.raises(CodebookError, match="key 'shortcut' appears twice"):
        codebook_from_yaml(text, source="demo.yaml")


def test_validate_languages_requires_both_labels() -> None:
    text = _replace("label: {sv: När, en: When}", "label: {en: When}")
    codebook_from_yaml(text, "demo.yaml")  # one language is enough by default
    with pytest.raises(InvalidCode, match="code 'ep-when': the label has no 'sv' text"):
        codebook_from_yaml(text, "demo.yaml", languages=("sv", "en"))
    with pytest.raises(InvalidCode, match="'sv'"):
        validate(codebook_from_yaml(text, "demo.yaml"), languages=("sv", "en"))


def test_from_yaml_parent_listed_after_child_is_refused() -> None:
    text = "id: d\ntitle: {en: D}\ncodes:\n  - id: a\n    label: {en: A}\n  - id: b\n    parent: c\n    label: {en: B}\n  - id: c\n    label: {en: C}\n"
    with pytest.raises(
        InvalidCode, match="d.yaml: line 7: code 'b': parent 'c' must be listed before"
    ):
        codebook_from_yaml(text, "d.yaml")


def test_from_yaml_unquoted_scalars_in_texts_are_kept_as_written() -> None:
    text = _replace("label: {sv: När, en: When}", "label: {sv: ja, en: yes}")
    text = text.replace(
        "definition: {sv: Det", "use_when: {en: 2014-05-14}\n    definition: {sv: Det"
    )
    book = codebook_from_yaml(text, "demo.yaml")
    assert book.get("ep-when").label == {"sv": "ja", "en": "yes"}
    assert book.get("everyday-process").use_when == {"en": "2014-05-14"}
    assert 'label: {sv: ja, en: "yes"}' in book.to_yaml()


def test_from_yaml_null_text_is_refused() -> None:
    with pytest.raises(CodebookError, match="line 16: code 'ep-what': label \\(en\\) must be text"):
        codebook_from_yaml(_replace("en: What}", "en: null}"), "demo.yaml")
