"""A study and everything done to it: ``workbench.open("study/")`` returns a :class:`Project`.

The project orchestrates the pure layers (ingest, codebook, suggest, agreement, analysis) over
the store: imports with pseudonymisation, codebook changes, suggestions, merging copies and the
demo study.  ``build_demo`` is imported on first use: it needs scikit-learn, which takes a
second to load, and most commands never do.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from workbench.project._merge import MergeReport, merge_projects
from workbench.project._project import KEY_PATH, Project, init, open_project, resolve_coder

if TYPE_CHECKING:
    from workbench.project._demo import build_demo

__all__ = [
    "KEY_PATH",
    "MergeReport",
    "Project",
    "build_demo",
    "init",
    "merge_projects",
    "open_project",
    "resolve_coder",
]


def __getattr__(name: str) -> Any:
    if name == "build_demo":
        return importlib.import_module("workbench.project._demo").build_demo
    raise AttributeError(f"module 'workbench.project' has no attribute {name!r}")
