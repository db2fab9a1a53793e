"""The public face of every package: ``__all__`` is exactly what it exports (as httpx pins its
own), and the top-level names a notebook needs resolve."""

from __future__ import annotations

import importlib
import types

import pytest

import workbench

PACKAGES = [
    "workbench.agreement",
    "workbench.analysis",
    "workbench.cli",
    "workbench.codebook",
    "workbench.dashboards",
    "workbench.errors",
    "workbench.exchange",
    "workbench.i18n",
    "workbench.ingest",
    "workbench.project",
    "workbench.resources",
    "workbench.store",
    "workbench.suggest",
    "workbench.widgets",
    "workbench.widgets.tagger",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_public_api_all_is_exactly_what_the_package_exports(name: str) -> None:
    module = importlib.import_module(name)
    exported = {
        member
        for member, value in vars(module).items()
        if not member.startswith("_")
        and member not in ("annotations", "TYPE_CHECKING")
        and not isinstance(value, types.ModuleType)
        and not _imported_from_elsewhere(value, name)
    }
    lazy = {m for m in module.__all__ if m not in vars(module)}  # resolved on first use
    assert sorted(module.__all__) == sorted(exported | lazy), name
    for attr in module.__all__:
        assert getattr(module, attr) is not None, f"{name}.{attr}"


def _imported_from_elsewhere(value: object, package: str) -> bool:
    """A class or function another package defines (``Any``, ``Path``, ``WorkbenchError``)."""
    if not isinstance(value, type | types.FunctionType | types.BuiltinFunctionType):
        return False
    return not str(getattr(value, "__module__", "")).startswith(package)


def test_public_api_top_level_names() -> None:
    assert workbench.__all__ == [
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
    for name in workbench.__all__:
        assert getattr(workbench, name) is not None
    assert workbench.open is workbench.project.open_project
    assert issubclass(workbench.WorkbenchError, Exception)
    with pytest.raises(AttributeError):
        workbench.no_such_name  # noqa: B018
