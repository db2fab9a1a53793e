"""Every package's ``__all__`` names exist, and the top-level names a notebook needs resolve."""

from __future__ import annotations

import importlib

import pytest

import workbench

PACKAGES = [
    "workbench",
    "workbench.ingest",
    "workbench.store",
    "workbench.codebook",
    "workbench.suggest",
    "workbench.agreement",
    "workbench.analysis",
    "workbench.widgets",
    "workbench.exchange",
    "workbench.dashboards",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_public_api_all_names_exist(name: str) -> None:
    module = importlib.import_module(name)
    for attr in module.__all__:
        assert getattr(module, attr) is not None, f"{name}.{attr}"


def test_public_api_top_level() -> None:
    assert workbench.open is workbench.project._project.open_project  # type: ignore[attr-defined]
    assert issubclass(workbench.WorkbenchError, Exception)
    with pytest.raises(AttributeError):
        workbench.no_such_name  # noqa: B018
