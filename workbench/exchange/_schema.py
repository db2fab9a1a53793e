"""Check files against the REFI-QDA schemas, which travel inside the package.

``workbench/exchange/schema/`` holds ``Codebook.xsd`` and ``Project.xsd`` (REFI-QDA 1.0, March
2019, an open standard), read with :mod:`importlib.resources` so an installed wheel finds them.

>>> from workbench.exchange import validate_qdc
>>> from workbench.codebook import builtin_codebook, codebook_to_qdc
>>> validate_qdc(codebook_to_qdc(builtin_codebook()))  # raises ExchangeError when invalid
"""

from __future__ import annotations

import enum
import functools
import re
import zipfile
from importlib import resources
from pathlib import Path

import xmlschema

from workbench.errors import ExchangeError


class Schema(enum.Enum):
    """The two REFI-QDA schemas, by file name."""

    CODEBOOK = "Codebook.xsd"
    PROJECT = "Project.xsd"


@functools.cache
def _schema(schema: Schema) -> xmlschema.XMLSchema:
    text = (resources.files("workbench.exchange") / "schema" / schema.value).read_text("utf-8")
    return xmlschema.XMLSchema(text)


def schema_errors(data: str | bytes, schema: Schema) -> list[str]:
    """Every way ``data`` (an XML document) breaks ``schema``, one line each (empty: valid).

    The XML is read without DTDs, entities or anything remote (``defuse="always"``).
    """
    try:
        resource = xmlschema.XMLResource(data, defuse="always", allow="none")
    except (xmlschema.XMLResourceError, SyntaxError) as exc:  # ParseError is a SyntaxError
        return [f"not well-formed XML ({' '.join(str(exc).split())})"]
    found = []
    for error in _schema(schema).iter_errors(resource):
        line = getattr(error, "sourceline", None)
        where = f"line {line}: " if line else ""
        reason = " ".join(str(error.reason or error.message).split())
        found.append(f"{where}{error.path or '/'}: {reason}")
    return found


def _check(data: str | bytes, schema: Schema, source: str) -> None:
    errors = schema_errors(data, schema)
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ExchangeError(f"{source}: not valid against {schema.value}: {errors[0]}{more}")


def validate_qdc(data: str | bytes, source: str = "codebook.qdc") -> None:
    """Raise :class:`~workbench.errors.ExchangeError` (naming ``source``, the line and the
    first problem) unless ``data`` is a valid REFI-QDA codebook."""
    _check(data, Schema.CODEBOOK, source)


def validate_qdpx(path: str | Path) -> None:
    """Raise :class:`~workbench.errors.ExchangeError` unless the ``.qdpx`` file ``path`` holds a
    ``project.qde`` valid against ``Project.xsd`` and every ``internal://`` text it names."""
    file = Path(path)
    try:
        with zipfile.ZipFile(file) as zf:
            names = set(zf.namelist())
            if "project.qde" not in names:
                raise ExchangeError(f"{file.name}: no project.qde in the archive")
            qde = zf.read("project.qde")
    except (zipfile.BadZipFile, OSError) as exc:
        raise ExchangeError(f"{file.name}: not a REFI-QDA project ({exc})") from exc
    _check(qde, Schema.PROJECT, f"{file.name}: project.qde")
    folded = {n.casefold() for n in names}
    for ref in re.findall(rb'(?:plainTextPath|path)="internal://([^"]+)"', qde):
        member = "sources/" + ref.decode("utf-8")
        if member.casefold() not in folded:
            raise ExchangeError(f"{file.name}: {member} is named in project.qde but missing")
