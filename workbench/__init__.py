"""Vardag: a qualitative research workbench for service research in Jupyter.

>>> import workbench
>>> p = workbench.open("study/")          # doctest: +SKIP
>>> p.segments(role="interviewee")        # doctest: +SKIP

Names are imported on first use, so ``import workbench`` stays quick and the command line
does not load the notebook machinery it does not need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.codebook import Codebook, load_codebook
    from workbench.errors import WorkbenchError
    from workbench.project import Project, init, resolve_coder
    from workbench.project import open_project as open
    from workbench.suggest import CodeSuggester, Suggestion

__all__ = [
    "CodeSuggester",
    "Codebook",
    "Project",
    "Suggestion",
    "WorkbenchError",
    "init",
    "load_codebook",
    "open",
    "resolve_coder",
]
__version__ = "0.1.0"

_WHERE = {
    "Codebook": ("workbench.codebook", "Codebook"),
    "load_codebook": ("workbench.codebook", "load_codebook"),
    "Project": ("workbench.project", "Project"),
    "init": ("workbench.project", "init"),
    "open": ("workbench.project", "open_project"),
    "resolve_coder": ("workbench.project", "resolve_coder"),
    "WorkbenchError": ("workbench.errors", "WorkbenchError"),
    "CodeSuggester": ("workbench.suggest", "CodeSuggester"),
    "Suggestion": ("workbench.suggest", "Suggestion"),
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        module, attr = _WHERE[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'workbench' has no attribute {name!r}")
