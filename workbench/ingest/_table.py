"""Tables of open answers (.csv, .xlsx): one respondent's answer per row."""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from workbench.errors import CorruptFile, EmptyFile, ImportFailed
from workbench.ingest._decode import normalise
from workbench.ingest._zip import check_zip

__all__ = ["Row", "TableColumns", "read_csv", "read_xlsx"]


@dataclass(frozen=True)
class TableColumns:
    """Which columns of a table hold the respondent id, the answer and attributes.

    Examples
    --------
    >>> TableColumns(id="respondent", text="answer", attributes=("region",))
    TableColumns(id='respondent', text='answer', attributes=('region',))
    """

    id: str
    text: str
    attributes: Sequence[str] = ()


@dataclass(frozen=True)
class Row:
    """One answer: the sheet's row number (header = 1), id, text and attributes."""

    number: int
    id: str
    text: str
    attributes: dict[str, str]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return normalise(str(value)).strip()


def _rows(records: Iterable[Sequence[object]], name: str, table: TableColumns | None) -> list[Row]:
    if table is None:
        raise ImportFailed(
            f"{name}: a table needs table=TableColumns(id=..., text=...) naming its columns"
        )
    it = iter(records)
    header = next(it, None)
    if header is None:
        raise EmptyFile(f"{name}: the table is empty")
    columns = [_cell(h) for h in header]
    index = {c: i for i, c in reversed(list(enumerate(columns))) if c}
    wanted = [table.id, table.text, *table.attributes]
    missing = [c for c in wanted if c not in index]
    if missing:
        raise ImportFailed(
            f"{name}: column(s) {', '.join(repr(c) for c in missing)} not found "
            f"(the header has {', '.join(repr(c) for c in columns if c) or 'no names'})"
        )
    rows: list[Row] = []
    for number, record in enumerate(it, start=2):
        cells = [_cell(v) for v in record]

        def get(column: str, cells: list[str] = cells) -> str:
            i = index[column]
            return cells[i] if i < len(cells) else ""

        text = get(table.text)
        if not text:
            continue
        attributes = {a: get(a) for a in table.attributes}
        rows.append(Row(number, get(table.id) or str(number), text, attributes))
    if not rows:
        raise EmptyFile(f"{name}: no row has text in column {table.text!r}")
    return rows


def read_csv(text: str, name: str, table: TableColumns | None) -> list[Row]:
    """Read a decoded CSV text; the delimiter (``,`` ``;`` tab) is sniffed from the header."""
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=first.count) if first else ","
    try:
        return _rows(csv.reader(io.StringIO(text), delimiter=delimiter), name, table)
    except csv.Error as exc:
        raise CorruptFile(f"{name}: not a readable CSV file ({exc})") from exc


def read_xlsx(data: bytes, name: str, table: TableColumns | None) -> list[Row]:
    """Read the first worksheet of an Excel workbook."""
    import openpyxl

    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise CorruptFile(
            f"{name}: the workbook is password-protected or an old binary .xls, not a .xlsx"
        )
    check_zip(data, name, "an Excel workbook").close()
    try:
        with warnings.catch_warnings():  # "extension not supported" etc. are noise here
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises KeyError, InvalidFileException, lxml errors, ...
        raise CorruptFile(f"{name}: not a readable Excel workbook ({type(exc).__name__})") from exc
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise EmptyFile(f"{name}: the workbook has no worksheet")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            records = list(sheet.iter_rows(values_only=True))
    except ImportFailed:
        raise
    except Exception as exc:
        raise CorruptFile(f"{name}: not a readable Excel workbook ({type(exc).__name__})") from exc
    finally:
        book.close()
    return _rows(records, name, table)
