"""Dashboards for stakeholders: a Voilà app and a static HTML report over analysis frames."""

from __future__ import annotations

from workbench.dashboards._sample import SAMPLE_CODEBOOK, build_sample_project

__all__ = ["SAMPLE_CODEBOOK", "build_sample_project"]
