"""REFI-QDA Project Exchange (``.qdpx``): export a project, import one from other tools.

>>> from workbench.exchange import export_qdpx, import_qdpx  # doctest: +SKIP
>>> export_qdpx(workbench.open("study/"), "study.qdpx")  # doctest: +SKIP
>>> print(import_qdpx("from-nvivo.qdpx", "study2/"))  # doctest: +SKIP

Positions in exported files are Unicode code points of the document text with ``"\\n"``
line endings; see :mod:`workbench.exchange._positions` for how imports read other tools'.
"""

from __future__ import annotations

from workbench.exchange._export import export_qdpx
from workbench.exchange._import import import_qdpx
from workbench.exchange._report import ExchangeReport

__all__ = ["ExchangeReport", "export_qdpx", "import_qdpx"]
