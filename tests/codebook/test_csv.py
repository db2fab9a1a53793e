from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from workbench.codebook import (
    Example,
    codebook_from_csv,
    codebook_from_yaml,
    codebook_to_csv,
    load_codebook,
    save_codebook,
)
from workbench.errors import CodebookError, InvalidCode

from .codebook_strategies import SAMPLE_YAML

HEADER = "id,parent,codable,label_sv,label_en,definition_sv,definition_en,use_when_sv,use_when_en,do_not_use_when_sv,do_not_use_when_en,examples,color,shortcut\n"


def test_csv_roundtrip_keeps_codes() -> None:
    book = codebook_from_yaml(SAMPLE_YAML, "demo.yaml")
    again = codebook_from_csv(codebook_to_csv(book), "demo.csv")
    assert again.codes == book.codes


def test_save_and_load_csv_file_with_bom(tmp_path: Path) -> None:
    book = codebook_from_yaml(SAMPLE_YAML, "demo.yaml")
    path = tmp_path / "demo.csv"
    save_codebook(book, path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert load_codebook(path).codes == book.codes


def test_from_csv_reads_both_example_forms_and_semicolons() -> None:
    text = HEADER.replace(",", ";") + (
        "a;;ja;Ett;One;;;;;;;sv: hej | en: hi there;#112233;a\n"
        'b;a;nej;Två;Two;;;;;;;"[{""lang"": ""sv"", ""text"": ""x | y""}]";;\n'
    )
    book = codebook_from_csv(text, "Kodbok.csv")
    assert book.id == "kodbok"
    assert [(e.lang, e.text) for e in book.get("a").examples] == [("sv", "hej"), ("en", "hi there")]
    assert book.get("b").examples[0].text == "x | y"
    assert book.get("b").codable is False and book.get("b").color == "#888888"


@pytest.mark.parametrize(
    ("rows", "fragment"),
    [
        ("a,,true,A,A,,,,,,,,#zz0000,\n", "line 2: code 'a': colour '#zz0000'"),
        ("a,,true,A,A,,,,,,,,,\nb,a,maybe,B,B,,,,,,,,,\n", "line 3: code 'b': codable: 'maybe'"),
        (
            "a,,true,A,A,,,,,,,,,x\nb,,true,B,B,,,,,,,,,x\n",
            "line 3: code 'b': shortcut 'x' is already used",
        ),
        ("a,zz,true,A,A,,,,,,,,,\n", "line 2: code 'a': parent 'zz' does not exist"),
        (
            'a,,true,"multi\nline",A,,,,,,,,,\n,,,,,,,,,,,,,\nb,,true,B,B,,,,,,,nonsense,,\n',
            "line 5: code 'b': examples: 'nonsense'",
        ),
    ],
)
def test_from_csv_errors_name_the_line(rows: str, fragment: str) -> None:
    with pytest.raises(CodebookError) as info:
        codebook_from_csv(HEADER + rows, "codes.csv")
    assert str(info.value).startswith("codes.csv: ") and fragment in str(info.value)


def test_from_csv_missing_column_is_refused() -> None:
    with pytest.raises(CodebookError, match="line 1: missing column"):
        codebook_from_csv("id,parent\na,\n", "codes.csv")
    with pytest.raises(InvalidCode):
        codebook_from_csv(HEADER + "a,,true,,,,,,,,,,,\n", "codes.csv")


def test_to_csv_uses_json_only_for_ambiguous_examples() -> None:
    book = codebook_from_yaml(SAMPLE_YAML, "demo.yaml")
    assert 'sv: ""Jag kollar appen varje morgon"" | en: I check' in codebook_to_csv(book)
    what = book.get("ep-what")
    piped = dataclasses.replace(what, examples=(Example("sv", "a | b"),))
    book = dataclasses.replace(book, codes=tuple(piped if c.id == what.id else c for c in book))
    text = codebook_to_csv(book)
    assert '""lang"": ""sv""' in text
    assert codebook_from_csv(text).get("ep-what").examples == (Example("sv", "a | b"),)
