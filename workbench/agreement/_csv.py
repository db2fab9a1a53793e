"""Reading a reliability table from CSV: rows are units, columns coders."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd

from workbench.errors import AgreementError

__all__ = ["UNIT_HEADERS", "read_reliability_csv"]

#: A first column whose header is empty or one of these (any case) holds unit ids.
UNIT_HEADERS = frozenset({"unit", "units", "unit_id", "id", "item", "subject", "segment"})
_MISSING = {"", ".", "*", "na", "nan", "none"}


def read_reliability_csv(path: str | Path, level: str = "nominal") -> pd.DataFrame:
    """Read ``path`` into a units x coders frame of strings (NaN = missing).

    The first line is the header.  The first column holds unit ids when its header is empty or
    one of :data:`UNIT_HEADERS`; every other column is a coder.  Empty cells and ``.``, ``*``,
    ``NA`` are missing.  For the ordinal, interval and ratio levels every value must be a
    number; the error names the line.
    """
    path = Path(path)
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise AgreementError(f"{name}: no such file") from exc
    except UnicodeDecodeError as exc:
        raise AgreementError(f"{name}: not UTF-8 text ({exc.reason})") from exc
    except OSError as exc:
        raise AgreementError(f"{name}: cannot be read ({exc.strerror})") from exc
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [(i, row) for i, row in enumerate(csv.reader(text.splitlines(), dialect), 1)]
    except csv.Error as exc:
        raise AgreementError(f"{name}: not a readable CSV file ({exc})") from exc
    rows = [(i, row) for i, row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise AgreementError(f"{name}: the file is empty")
    header_line, header = rows[0]
    header = [h.strip() for h in header]
    has_ids = header[0] == "" or header[0].lower() in UNIT_HEADERS
    coders = header[1:] if has_ids else header
    if len(coders) < 2:
        raise AgreementError(
            f"{name}: needs at least two coder columns, found {len(coders)}"
            + (f" ({', '.join(coders)})" if coders else "")
        )
    if len(set(coders)) != len(coders) or any(not c for c in coders):
        raise AgreementError(
            f"{name}: line {header_line}: coder names must be unique and non-empty"
        )
    width = len(header)
    units: list[str] = []
    data: list[list[object]] = []
    for line, row in rows[1:]:
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            raise AgreementError(
                f"{name}: line {line}: {len(row)} values but the header has {width} columns"
            )
        row = [cell.strip() for cell in row[:width]] + [""] * (width - len(row))
        unit = row[0] if has_ids else str(len(units) + 1)
        values = row[1:] if has_ids else row
        cells: list[object] = []
        for coder, cell in zip(coders, values, strict=True):
            if cell.lower() in _MISSING:
                cells.append(math.nan)
                continue
            if level != "nominal":
                try:
                    number = float(cell)
                except ValueError:
                    number = math.nan
                if not math.isfinite(number):
                    raise AgreementError(
                        f"{name}: line {line}: coder {coder}: value {cell!r} is not a number "
                        f"({level} level needs numbers)"
                    )
            cells.append(cell)
        units.append(unit)
        data.append(cells)
    if not data:
        raise AgreementError(f"{name}: no units (only a header)")
    return pd.DataFrame(data, columns=coders, index=pd.Index(units, name="unit"), dtype=object)
