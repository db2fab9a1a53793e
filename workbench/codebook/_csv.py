"""A codebook as a CSV table, one code per row, for editing in a spreadsheet.

Columns: ``id, parent, codable, label_sv, label_en, definition_sv, definition_en,
use_when_sv, use_when_en, do_not_use_when_sv, do_not_use_when_en, examples, color,
shortcut``.  ``examples`` is ``sv: text | en: text`` or, when a text would be ambiguous in
that form, a JSON list of ``{"lang": ..., "text": ...}``.  The table holds codes only: the
codebook's id comes from the file name, its title from the file name too.  A CSV written
by Excel (BOM, semicolons) is read as well.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from ..errors import CodebookError
from ._model import Code, Codebook, Example
from ._qdc import slugify
from ._validate import TEXT_FIELDS, tree_order, validate

__all__ = ["COLUMNS", "codebook_from_csv", "codebook_to_csv"]

COLUMNS = (
    "id",
    "parent",
    "codable",
    "label_sv",
    "label_en",
    "definition_sv",
    "definition_en",
    "use_when_sv",
    "use_when_en",
    "do_not_use_when_sv",
    "do_not_use_when_en",
    "examples",
    "color",
    "shortcut",
)
_LANGS = ("sv", "en")
_EXAMPLE_RE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*): (.*)\Z", re.S)


def _examples_cell(examples: tuple[Example, ...]) -> str:
    if not examples:
        return ""
    simple = all(
        ex.text
        and ex.text == ex.text.strip()
        and "|" not in ex.text
        and "\n" not in ex.text
        and _EXAMPLE_RE.match(f"{ex.lang}: x")
        for ex in examples
    )
    if simple:
        return " | ".join(f"{ex.lang}: {ex.text}" for ex in examples)
    return json.dumps([{"lang": ex.lang, "text": ex.text} for ex in examples], ensure_ascii=False)


def codebook_to_csv(codebook: Codebook) -> str:
    """The CSV text of ``codebook`` (texts in languages other than sv/en are not kept)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for code in codebook.codes:
        row: list[str] = [code.id, code.parent or "", "true" if code.codable else "false"]
        for name in TEXT_FIELDS:
            texts = getattr(code, name)
            row.extend(texts.get(lang, "") for lang in _LANGS)
        row.extend([_examples_cell(code.examples), code.color, code.shortcut or ""])
        writer.writerow(row)
    return out.getvalue()


def _parse_examples(cell: str, where: str) -> tuple[Example, ...]:
    cell = cell.strip()
    if not cell:
        return ()
    if cell.startswith("["):
        try:
            items: Any = json.loads(cell)
        except json.JSONDecodeError as exc:
            raise CodebookError(f"{where}: examples: not valid JSON: {exc.msg}") from exc
        if not isinstance(items, list) or not all(
            isinstance(i, dict)
            and isinstance(i.get("lang"), str)
            and isinstance(i.get("text"), str)
            for i in items
        ):
            raise CodebookError(f"{where}: examples: expected a list of {{lang, text}}")
        return tuple(Example(lang=i["lang"], text=i["text"]) for i in items)
    out = []
    for part in cell.split(" | "):
        m = _EXAMPLE_RE.match(part.strip())
        if not m:
            raise CodebookError(f"{where}: examples: {part.strip()!r} is not 'lang: text'")
        out.append(Example(lang=m.group(1), text=m.group(2)))
    return tuple(out)


def _parse_bool(cell: str, where: str) -> bool:
    value = cell.strip().lower()
    if value in ("", "true", "yes", "1", "ja", "sant"):
        return True
    if value in ("false", "no", "0", "nej", "falskt"):
        return False
    raise CodebookError(f"{where}: codable: {cell!r} is not true or false")


def codebook_from_csv(
    text: str, source: str = "codebook.csv", *, codebook_id: str | None = None
) -> Codebook:
    """Read a codebook table; errors name the CSV line."""
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise CodebookError(f"{source}: the file is empty") from None
    except csv.Error as exc:
        raise CodebookError(f"{source}: line 1: {exc}") from exc
    missing = [c for c in ("id", "label_sv", "label_en") if c not in header]
    if missing and not ("id" in header and ("label" in header)):
        raise CodebookError(f"{source}: line 1: missing column(s): {', '.join(missing)}")
    unknown = [h for h in header if h and h not in COLUMNS and h != "label"]
    if unknown:
        raise CodebookError(f"{source}: line 1: unknown column(s): {', '.join(unknown)}")
    codes: list[Code] = []
    lines: list[dict[str, int]] = []
    previous_end = reader.line_num
    while True:
        start = previous_end + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise CodebookError(f"{source}: line {start}: {exc}") from exc
        previous_end = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        where = f"{source}: line {start}"
        if len(row) > len(header):
            raise CodebookError(f"{where}: {len(row)} cells but {len(header)} columns")
        cells = dict(zip(header, row, strict=False))
        cells = {k: v for k, v in cells.items() if k}
        code_id = cells.get("id", "").strip()
        if not code_id:
            raise CodebookError(f"{where}: the id is empty")
        where = f"{where}: code {code_id!r}"
        kwargs: dict[str, Any] = {"id": code_id}
        for name in TEXT_FIELDS:
            texts = {
                lang: cells[f"{name}_{lang}"] for lang in _LANGS if cells.get(f"{name}_{lang}", "")
            }
            kwargs[name] = texts
        if "label" in cells and cells["label"] and not kwargs["label"]:
            kwargs["label"] = {"en": cells["label"]}
        kwargs["parent"] = cells.get("parent", "").strip() or None
        kwargs["codable"] = _parse_bool(cells.get("codable", ""), where)
        kwargs["examples"] = _parse_examples(cells.get("examples", ""), where)
        if cells.get("color", "").strip():
            kwargs["color"] = cells["color"].strip()
        kwargs["shortcut"] = cells.get("shortcut", "").strip() or None
        codes.append(Code(**kwargs))
        lines.append({"": start})
    stem = re.sub(r"\.[A-Za-z]+\Z", "", source.replace("\\", "/").rsplit("/", 1)[-1])
    book = Codebook(id=codebook_id or slugify(stem), title={"en": stem}, codes=tuple(codes))
    validate(book, source=source, lines=lines)
    return Codebook(id=book.id, title=book.title, codes=tree_order(book.codes))
