"""Widgets researchers use in JupyterLab: the :class:`Tagger` codes a study segment by segment.

>>> import workbench
>>> p = workbench.open("study/")      # doctest: +SKIP
>>> p.tagger(coder="anna")            # doctest: +SKIP
"""

from __future__ import annotations

from workbench.widgets._adjudicate import Adjudicator
from workbench.widgets._codebook_editor import CodebookEditor
from workbench.widgets._document_view import DocumentView
from workbench.widgets._matrix_view import MatrixView
from workbench.widgets._memo_browser import MemoBrowser
from workbench.widgets._query_view import QueryView
from workbench.widgets._shared import TextChanged
from workbench.widgets._theme_view import ThemeView
from workbench.widgets.tagger import CodingSession, Suggest, Tagger

__all__ = [
    "Adjudicator",
    "CodebookEditor",
    "CodingSession",
    "DocumentView",
    "MatrixView",
    "MemoBrowser",
    "QueryView",
    "Suggest",
    "Tagger",
    "TextChanged",
    "ThemeView",
]
