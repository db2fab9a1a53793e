from __future__ import annotations

import pytest

from workbench.errors import EmptyFile, ImportFailed
from workbench.ingest import TableColumns, read

from .conftest import FIXTURES


def test_read_csv_one_transcript_per_row_with_text() -> None:
    docs = read(FIXTURES / "answers.csv", table=TableColumns("id", "answer", ("region",)))
    assert [(d.participant, d.attributes, d.row) for d in docs] == [
        ("r1", {"region": "Norr"}, 2),
        ("r3", {"region": "Syd"}, 4),
    ]
    assert docs[0].text == "Jag vet inte vilka regler som gäller."
    assert docs[0].segments[0].role == "interviewee"
    assert {d.format for d in docs} == {"csv"}


def test_read_xlsx_rows() -> None:
    docs = read(FIXTURES / "answers.xlsx", table=TableColumns("Respondent", "Svar", ["Kommun"]))
    assert [(d.participant, d.attributes["Kommun"]) for d in docs] == [
        ("101", "Lund"),
        ("103", "Ystad"),
    ]
    assert docs[1].text == "Bra bemötande, dålig information."


def test_read_table_without_columns_spec_fails() -> None:
    with pytest.raises(ImportFailed, match="^answers.csv: a table needs table=TableColumns"):
        read(FIXTURES / "answers.csv")


def test_read_table_missing_columns_are_named() -> None:
    with pytest.raises(ImportFailed, match=r"^answers.xlsx: column\(s\) 'Svar2', 'Ort' not found"):
        read(FIXTURES / "answers.xlsx", table=TableColumns("Respondent", "Svar2", ["Ort"]))


def test_read_csv_comma_delimited_and_quoted(write) -> None:
    path = write("a.csv", 'id,text\n1,"Hej, hej.\nNy rad."\n')
    [doc] = read(path, table=TableColumns("id", "text"))
    assert doc.text == "Hej, hej.\nNy rad."


def test_read_csv_all_rows_empty(write) -> None:
    with pytest.raises(EmptyFile):
        read(write("a.csv", "id;text\n1;\n2;  \n"), table=TableColumns("id", "text"))


def test_read_xlsx_encrypted_is_corrupt(write) -> None:
    from workbench.errors import CorruptFile

    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
    with pytest.raises(CorruptFile, match="^s.xlsx: the workbook is password-protected"):
        read(write("s.xlsx", data), table=TableColumns("id", "text"))
