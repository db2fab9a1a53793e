"""REFI-QDA Project Exchange (``.qdpx``): export a project, import one from other tools.

>>> from workbench.exchange import export_qdpx, import_qdpx, validate_qdpx  # doctest: +SKIP
>>> export_qdpx(workbench.open("study/"), "study.qdpx")  # doctest: +SKIP
>>> validate_qdpx("study.qdpx")  # against the Project.xsd shipped here  # doctest: +SKIP
>>> print(import_qdpx("from-nvivo.qdpx", "study2/"))  # doctest: +SKIP

Exported positions are Unicode code points of the document text exactly as stored, and a
Vardag export is imported verbatim, so export -> import is the identity; see
:mod:`workbench.exchange._positions` for how imports read other tools' positions.
"""

from __future__ import annotations

from workbench.exchange._export import export_qdpx
from workbench.exchange._import import import_qdpx
from workbench.exchange._report import ExchangeReport
from workbench.exchange._schema import validate_qdc, validate_qdpx

__all__ = ["ExchangeReport", "export_qdpx", "import_qdpx", "validate_qdc", "validate_qdpx"]
