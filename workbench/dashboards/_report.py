"""The static report: the dashboard's content as ONE self-contained HTML file.

Charts embed plotly's JavaScript once (from the installed package, no network); the quotes
behind each bar are expandable ``<details>`` lists under its chart.
"""

from __future__ import annotations

import datetime as dt
import os
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.io as pio

from workbench.analysis import quotes as quotes_of
from workbench.analysis._frames import GROUPS
from workbench.dashboards import _html as h
from workbench.dashboards._figures import bars_figure, quality_figure
from workbench.dashboards._model import DashboardData, Filters, Views
from workbench.errors import ProjectError, UnknownItem
from workbench.i18n import text
from workbench.project import open_project

CONFIG = {"displayModeBar": False, "responsive": True}


class _Charts:
    """Turns figures into ``<div>``s; the first one carries plotly.js."""

    def __init__(self) -> None:
        self.first = True

    def __call__(self, fig: dict[str, Any]) -> str:
        html = pio.to_html(
            fig, full_html=False, include_plotlyjs=self.first, config=CONFIG, validate=False
        )
        self.first = False
        return html


def _details(label: str, frame: pd.DataFrame, views: Views, lang: str) -> str:
    body = h.quote_list(frame, lang, people=views.people, limit=200)
    summary = f"{escape(label)} — {escape(text('show_quotes', lang, n=len(frame)))}"
    return f"<details><summary>{summary}</summary>{body}</details>"


def render_report(data: DashboardData, filters: Filters | None = None) -> str:
    """The report's HTML for one filter state."""
    f = filters or Filters()
    lang = f.lang
    views = data.views(f)
    chart = _Charts()
    total = views.participants
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{escape(text('title', lang))} — {escape(data.title)}</title>",
        h.style(),
        "<style>body{margin:24px;background:white}</style></head>",
        '<body><div class="vd-root">',
        h.header(text("title", lang), total, views.documents, data.title, lang),
        f'<p class="vd-hint">{escape(text("report_generated", lang, date=dt.date.today()))}</p>',
    ]
    if views.codings.empty:
        parts.append(f'<div class="vd-empty">{escape(text("empty", lang))}</div>')
        parts.append("</div></body></html>")
        return "\n".join(parts)
    codings = views.codings

    def section(key: str, body: str, lead: str | None = None) -> None:
        parts.append(
            f'<section class="vd-section">{h.section_head(key, lang, lead)}{body}</section>'
        )

    # overview
    rows = [
        {
            "key": e["code"],
            "label": text(name, lang),
            "participants": e["participants"],
            "color": data.codebook.get(e["code"]).color if e["code"] in data.codebook else None,
        }
        for name, e in views.summary.items()
    ]
    body = chart(bars_figure(pd.DataFrame(rows), key="key", lang=lang, total=total))
    body += "".join(
        _details(text(name, lang), quotes_of(codings, code=e["code"]), views, lang)
        for name, e in views.summary.items()
    )
    body += h.where_to_start(views.priorities, total, lang)
    section("overview", body, "overview_lead")

    # needs, expectations, gaps, sources
    for name in ("needs", "expectations"):
        section(name, _themes_block(name, views, chart, lang, total), f"{name}_lead")
    body = "".join(
        f"<h3>{escape(text(name, lang))}</h3>" + _themes_block(name, views, chart, lang, total)
        for name in ("information_gaps", "information_sources")
    )
    body += h.gap_pairs(views.pairs, views.people, lang)
    section("gaps", body, "gaps_lead")

    # perceived quality
    body = chart(quality_figure(views.quality, lang=lang, colors=data.valence_colors()))
    for r in views.quality.itertuples():
        for valence in ("negative", "positive"):
            if getattr(r, valence):
                frame = quotes_of(codings, code=r.code, valence=valence)
                body += _details(f"{r.label}: {text(valence, lang)}", frame, views, lang)
    section("quality", body, "quality_lead")
    section("everyday", h.everyday_table(views.everyday, views.people, lang), "everyday_lead")
    parts.append("</div></body></html>")
    return "\n".join(parts)


def _themes_block(name: str, views: Views, chart: _Charts, lang: str, total: int) -> str:
    entry = views.summary[name]
    code = GROUPS[name]
    themes = entry["themes"]
    head = h.headline(entry["participants"], total, lang)
    if themes.empty:
        body = h.hint("themes_none", lang)
    else:
        body = chart(bars_figure(themes, key="theme", lang=lang, total=entry["participants"]))
        body += "".join(
            _details(
                f"{text(name, lang)} × {r.label}",
                quotes_of(views.codings, code=code, with_code=r.theme),
                views,
                lang,
            )
            for r in themes.head(10).itertuples()
        )
    body += _details(text(name, lang), quotes_of(views.codings, code=code), views, lang)
    return head + body + h.quote_cards(entry["quotes"], views.people, lang)


def write_report(
    path: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    lang: str = "en",
    layer: str = "all",
) -> Path:
    """Open the study in ``path`` read-only and write its report to ``out``."""
    with open_project(Path(path), read_only=True) as project:
        data = DashboardData(project)
        if layer not in data.layers():
            raise UnknownItem(
                f"{path}: no coder layer {layer!r} (choose from {', '.join(data.layers())})"
            )
        filters = Filters(lang=lang, layer=layer)
        html = render_report(data, filters)
    target = Path(out)
    if target.is_dir():
        raise ProjectError(f"{target}: is a folder; give the report's file name (report.html)")
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        tmp.write_text(html, encoding="utf-8")
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ProjectError(f"{target}: cannot write the report ({exc.strerror or exc})") from exc
    return target
