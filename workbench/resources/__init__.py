"""Files the workbench ships: the built-in codebook, the demo study and the notebooks.

In the repository they live where users look for them (``codebooks/``, ``corpora/``,
``notebooks/``); this package links to them, so a wheel carries them and every module reads
them with :mod:`importlib.resources`, in a source checkout and an installed package alike.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from workbench.errors import ProjectError

__all__ = ["BUILTIN_CODEBOOK", "DASHBOARD", "DEMO", "NOTEBOOKS", "resource", "resource_path"]

BUILTIN_CODEBOOK = ("codebooks", "gronroos.yaml")
DEMO = ("corpora", "demo")
NOTEBOOKS = ("notebooks",)
DASHBOARD = ("notebooks", "dashboards", "overview.ipynb")


def resource(*parts: str) -> Traversable:
    """A shipped file or folder, e.g. ``resource("codebooks", "gronroos.yaml")``."""
    return files(__name__).joinpath(*parts)


def resource_path(*parts: str) -> Path:
    """A shipped file or folder as a path on disk (for tools that need one: Voilà, JupyterLab).

    Raises
    ------
    ProjectError
        The file is missing from this installation.
    """
    found = resource(*parts)
    if not isinstance(found, Path) or not found.exists():
        raise ProjectError(f"{'/'.join(parts)}: missing from this installation of the workbench")
    return found
