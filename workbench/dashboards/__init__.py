"""Dashboards for stakeholders: a Voilà app and a static HTML report over analysis frames.

>>> from workbench.dashboards import load, show   # in a Voilà notebook  # doctest: +SKIP
>>> data = load()       # the study in WORKBENCH_PROJECT, read ahead     # doctest: +SKIP
>>> show(data)          # options from the viewer's URL (QUERY_STRING)   # doctest: +SKIP
"""

from __future__ import annotations

from workbench.dashboards._app import (
    Dashboard,
    dashboard,
    load,
    options_from_query,
    query_of,
    show,
)
from workbench.dashboards._estimate import (
    BESIDE,
    EstimateCategory,
    EstimateCounts,
    EstimateView,
)
from workbench.dashboards._figures import bars_figure, estimate_figure, quality_figure
from workbench.dashboards._findings import Category, Priority, Quote, ThemeTree
from workbench.dashboards._model import DashboardData, Filters, Layer, Source, Views
from workbench.dashboards._report import render_report, write_report
from workbench.dashboards._sample import SAMPLE_CODEBOOK, build_sample_project

__all__ = [
    "BESIDE",
    "SAMPLE_CODEBOOK",
    "Category",
    "Dashboard",
    "DashboardData",
    "EstimateCategory",
    "EstimateCounts",
    "EstimateView",
    "Filters",
    "Layer",
    "Priority",
    "Quote",
    "Source",
    "ThemeTree",
    "Views",
    "bars_figure",
    "build_sample_project",
    "dashboard",
    "estimate_figure",
    "load",
    "options_from_query",
    "query_of",
    "quality_figure",
    "render_report",
    "show",
    "write_report",
]
