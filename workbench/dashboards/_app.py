"""The live dashboard: ipywidgets filters over cached views, plotly charts, quotes on click.

Nothing here writes to the project or evaluates what a viewer types: the only inputs are
dropdowns whose options come from the study itself.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import ipywidgets as w
import pandas as pd
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle

from workbench.analysis._frames import GROUPS
from workbench.dashboards import _html as h
from workbench.dashboards._chart import Chart, PlotlyLoader
from workbench.dashboards._figures import PALETTE, bars_figure, quality_figure
from workbench.dashboards._model import (
    GROUP_ATTRIBUTE,
    TYPE_ATTRIBUTE,
    DashboardData,
    Filters,
    Views,
)
from workbench.errors import WorkbenchError
from workbench.i18n import LANGS, attribute_name, text, value_name
from workbench.project import open_project

log = logging.getLogger(__name__)
SECTIONS = ("needs", "expectations")
#: The options a URL may set: ``?lang=sv&layer=consensus&user_type=external&by=role``.
OPTIONS = ("lang", "layer", "group", "user_type", "attribute", "value", "language", "by")
#: Seconds a preheated kernel may spend computing likely filter states before a request.
PREHEAT_BUDGET = 20.0


class Dashboard:
    """The stakeholder dashboard of one study.

    Parameters
    ----------
    data
        The study's data (:class:`~workbench.dashboards.DashboardData`).
    filters
        The initial filter state (e.g. from the URL).

    plotly_on_page
        True when the page already loads plotly.js (``workbench dashboard``'s template);
        otherwise a :class:`PlotlyLoader` widget brings it.

    ``dashboard.widget`` is what a notebook displays.
    """

    def __init__(
        self, data: DashboardData, filters: Filters | None = None, *, plotly_on_page: bool = False
    ) -> None:
        self.data = data
        self.filters = filters or Filters()
        if self.filters.lang not in LANGS:
            self.filters = Filters(**{**self.filters.__dict__, "lang": "en"})
        # Widgets whose layout or style never changes share one of each: every model is sent
        # to the page and created there before anything shows (99 models instead of 212).
        self._layouts: dict[tuple[tuple[str, str], ...], w.Layout] = {}
        self._html_style = HTMLStyle()
        self._label_style = DescriptionStyle()
        self.widget = w.VBox(layout=w.Layout(width="100%"))
        self.widget.add_class("vd-root")
        self._busy = False
        self.renders = 0
        self._charts = 0
        # Voilà's page (the ``vardag`` template) may already carry plotly.js; else one widget
        # brings it from the installed package.
        self.loader: w.Widget = self._html() if plotly_on_page else PlotlyLoader()
        self.ready = self._html()
        self._build()
        self.filters = self._current()  # options the study does not have fall back to "all"
        self.render()

    # -- building -------------------------------------------------------------------------
    def _layout(self, **props: str) -> w.Layout:
        """A shared layout: only for widgets whose layout is never changed."""
        key = tuple(sorted(props.items()))
        if key not in self._layouts:
            self._layouts[key] = w.Layout(**props)
        return self._layouts[key]

    def _html(self, value: str = "") -> w.HTML:
        return w.HTML(value, layout=self._layout(), style=self._html_style)

    def _figure_box(self) -> tuple[Chart, w.Box]:
        """A chart in a box of its own layout (hidden when a section has nothing to draw)."""
        fig = Chart(layout=self._layout(width="100%"))
        return fig, w.Box([fig], layout=w.Layout(width="100%"))

    def _dropdown(self, key: str, options: list[tuple[str, str]], value: str) -> w.VBox:
        values = [v for _, v in options]
        box = w.Dropdown(
            options=options,
            value=value if value in values else values[0],
            layout=self._layout(width="170px"),
            style=self._label_style,
        )
        box.observe(self._on_filter, names="value")
        self._controls[key] = box
        label = self._html(f"<b>{escape(text('f_' + key, self.filters.lang))}</b>")
        return w.VBox([label, box], layout=self._layout(margin="0 10px 4px 0"))

    def _build(self) -> None:
        lang, f, data = self.filters.lang, self.filters, self.data
        all_ = text("all", lang)
        self._controls: dict[str, w.Dropdown] = {}
        controls = [
            self._dropdown("lang", [("Svenska", "sv"), ("English", "en")], lang),
        ]
        for key, column in (
            ("group", GROUP_ATTRIBUTE),
            ("user_type", TYPE_ATTRIBUTE),
            ("language", "language"),
        ):
            values = data.values(column)
            if values:
                opts = [(all_, "")] + [(value_name(v, lang), v) for v in values]
                controls.append(self._dropdown(key, opts, getattr(f, key)))
        attrs = [c for c in data.attributes() if c not in (GROUP_ATTRIBUTE, TYPE_ATTRIBUTE)]
        if attrs:
            opts = [(all_, "")] + [(attribute_name(c, lang), c) for c in attrs]
            controls.append(self._dropdown("attribute", opts, f.attribute))
            controls.append(self._dropdown("value", self._value_options(f.attribute), f.value))
        layers = [
            (
                text("layer_" + x, lang)
                if x in ("all", "consensus")
                else text("layer_coder", lang, name=x),
                x,
            )
            for x in data.layers()
        ]
        controls.append(self._dropdown("layer", layers, f.layer))
        by = [(text("none", lang), "")] + [(attribute_name(c, lang), c) for c in data.attributes()]
        controls.append(self._dropdown("by", by, f.by))
        self.filter_box = w.HBox(controls, layout=self._layout(flex_flow="row wrap"))
        self.filter_box.add_class("vd-filters")

        self.style = self._html(h.style())
        self.header = self._html()
        self.status = self._html()
        self.overview_text = self._html()
        self.overview_fig, overview_box = self._figure_box()
        self.overview_fig.on_click(self._click("overview"))
        self.overview_quotes = self._html()
        self.start = self._html()
        self.section_figs: dict[str, tuple[Chart, w.Box]] = {}
        self.section_html: dict[str, dict[str, w.HTML]] = {}
        sections: list[w.Widget] = [
            self._section(
                "overview", [self.overview_text, overview_box, self.overview_quotes, self.start]
            ),
        ]
        for name in SECTIONS:
            fig, box = self._figure_box()
            fig.on_click(self._click(name))
            self.section_figs[name] = (fig, box)
            parts = {k: self._html() for k in ("head", "empty", "drill", "quotes")}
            self.section_html[name] = parts
            sections.append(
                self._section(
                    name,
                    [parts["head"], box, parts["empty"], parts["drill"], parts["quotes"]],
                    lead=f"{name}_lead",
                )
            )
        self.gap_figs: dict[str, tuple[Chart, w.Box, w.HTML]] = {}
        gap_cols = []
        for name in ("information_gaps", "information_sources"):
            fig, box = self._figure_box()
            fig.on_click(self._click(name))
            empty = self._html()
            self.gap_figs[name] = (fig, box, empty)
            title = self._html(f"<h3>{escape(text(name, lang))}</h3>")
            gap_cols.append(w.VBox([title, box, empty], layout=self._layout(width="50%")))
        self.gap_drill = self._html()
        self.gap_pairs = self._html()
        sections.append(
            self._section(
                "gaps",
                [
                    w.HBox(gap_cols, layout=self._layout(width="100%")),
                    self.gap_drill,
                    self.gap_pairs,
                ],
                lead="gaps_lead",
            )
        )
        self.quality_fig, quality_box = self._figure_box()
        self.quality_fig.on_click(self._click("quality"))
        self.quality_drill = self._html()
        sections.append(
            self._section("quality", [quality_box, self.quality_drill], lead="quality_lead")
        )
        self.everyday = self._html()
        sections.append(self._section("everyday", [self.everyday], lead="everyday_lead"))
        self.topic = w.Dropdown(layout=self._layout(width="360px"), style=self._label_style)
        self.topic.observe(self._on_topic, names="value")
        self.topic_quotes = self._html()
        sections.append(
            self._section(
                "quotes",
                [
                    w.HBox(
                        [
                            self._html(f"<b>{escape(text('quotes_topic', lang))}</b>&nbsp;"),
                            self.topic,
                        ],
                        layout=self._layout(),
                    ),
                    self.topic_quotes,
                ],
                lead="quotes_lead",
            )
        )
        self.sections = w.VBox(sections, layout=w.Layout(width="100%"))
        self.widget.children = [
            self.loader,
            self.style,
            self.header,
            self.filter_box,
            self.status,
            self.sections,
            self.ready,
        ]

    def _section(self, key: str, children: list[w.Widget], lead: str | None = None) -> w.VBox:
        head = self._html(h.section_head(key, self.filters.lang, lead))
        box = w.VBox([head, *children], layout=self._layout(width="100%"))
        box.add_class("vd-section")
        box.add_class(f"vd-section-{key}")
        return box

    def _value_options(self, attribute: str) -> list[tuple[str, str]]:
        lang = self.filters.lang
        values = self.data.values(attribute) if attribute else []
        return [(text("all", lang), "")] + [(value_name(v, lang), v) for v in values]

    # -- events ---------------------------------------------------------------------------
    def _current(self) -> Filters:
        values = {k: (c.value or "") for k, c in self._controls.items()}
        return Filters(**{k: values.get(k, getattr(self.filters, k)) for k in OPTIONS})

    def _on_filter(self, change: dict[str, Any]) -> None:
        if self._busy:
            return
        try:
            new = self._current()
            if new.attribute != self.filters.attribute:
                self._busy = True
                try:
                    self._controls["value"].options = self._value_options(new.attribute)
                    self._controls["value"].value = ""
                finally:
                    self._busy = False
                new = self._current()
            relabel = new.lang != self.filters.lang
            self.filters = new
            if relabel:
                self._build()
            self.render()
        except Exception as exc:  # a viewer must never see a traceback
            self._fail(exc)

    def set_filters(self, **values: str) -> None:
        """Change filters as a viewer would (tests, benchmarks)."""
        for key, value in values.items():
            self._controls[key].value = value

    def _fail(self, exc: Exception) -> None:
        log.debug("dashboard error", exc_info=exc)
        self.status.value = h.message(text("error", self.filters.lang, message=_reason(exc)))

    # -- rendering ------------------------------------------------------------------------
    def render(self) -> None:
        """Show the views of the current filters."""
        f, lang = self.filters, self.filters.lang
        self.renders += 1
        views = self.data.views(f)
        total = views.participants
        self.header.value = h.header(
            text("title", lang), total, views.documents, self.data.title, lang
        )
        self._charts = 0
        if views.codings.empty:
            self.status.value = h.message(text("empty", lang), kind="empty")
            self.sections.layout.display = "none"
            self._mark_ready()
            return
        self.status.value = ""
        self.sections.layout.display = None
        by = f.by or None
        groups = (
            {v: PALETTE[i % len(PALETTE)] for i, v in enumerate(self.data.values(by))}
            if by
            else None
        )
        # overview
        rows = []
        for name, entry in views.summary.items():
            row = {
                "key": entry["code"],
                "label": text(name, lang),
                "color": self._color(entry["code"]),
                "participants": entry["participants"],
            }
            for value, n in (entry.get("by") or {}).items():
                row[f"{by}={value}"] = n
            rows.append(row)
        frame = pd.DataFrame(rows).fillna(0)
        self.overview_text.value = f'<p class="vd-lead">{escape(text("overview_lead", lang))}</p>'
        self._draw(
            self.overview_fig,
            bars_figure(frame, key="key", lang=lang, by=by, total=total, group_colors=groups),
        )
        self.overview_quotes.value = h.hint("quotes_pick", lang)
        self.start.value = h.where_to_start(views.priorities, total, lang)
        # needs, expectations
        for name in SECTIONS:
            entry = views.summary[name]
            fig, box = self.section_figs[name]
            parts = self.section_html[name]
            themes = entry["themes"]
            figure = None
            if not themes.empty:
                figure = bars_figure(
                    themes,
                    key="theme",
                    lang=lang,
                    by=by,
                    total=entry["participants"],
                    group_colors=groups,
                )
            self._draw_or_hint(fig, figure, box, parts["empty"], "themes_none")
            parts["drill"].value = h.hint("quotes_pick", lang)
            parts["head"].value = h.headline(entry["participants"], total, lang)
            parts["quotes"].value = h.quote_cards(entry["quotes"], views.people, lang)
        # gaps and sources
        for name, (fig, box, empty) in self.gap_figs.items():
            entry = views.summary[name]
            figure = None
            if entry["participants"]:
                source = entry["themes"]
                if source.empty:
                    source = pd.DataFrame(
                        [
                            {
                                "theme": entry["code"],
                                "label": text(name, lang),
                                "color": self._color(entry["code"]),
                                "participants": entry["participants"],
                            }
                        ]
                    )
                figure = bars_figure(source, key="theme", lang=lang, total=entry["participants"])
            self._draw_or_hint(fig, figure, box, empty, "nobody")
        self.gap_drill.value = h.hint("quotes_pick", lang)
        self.gap_pairs.value = h.gap_pairs(views.pairs, views.people, lang)
        # perceived quality
        self._draw(
            self.quality_fig,
            quality_figure(views.quality, lang=lang, colors=self.data.valence_colors()),
        )
        self.quality_drill.value = h.hint("quotes_pick", lang)
        self.everyday.value = h.everyday_table(views.everyday, views.people, lang)
        self._topics(views)
        self._mark_ready()

    def _mark_ready(self) -> None:
        """A marker for tests and benchmarks: which render the page shows, and how many charts
        it drew (each chart's element carries ``data-version`` once drawn)."""
        self.ready.value = (
            f'<span class="vd-ready" data-render="{self.renders}" '
            f'data-charts="{self._charts}"></span>'
        )

    def _color(self, code: str) -> str:
        return self.data.codebook.get(code).color if code in self.data.codebook else "#4C78A8"

    def _topics(self, views: Views) -> None:
        counts = views.codings.groupby("code")["segment"].nunique()
        options = [(text("choose", self.filters.lang), "")]
        for code in self.data.codebook.codes:
            if code.codable and code.id in counts.index:
                options.append((f"{code.name(self.filters.lang)} ({counts[code.id]})", code.id))
        keep = self.topic.value if self.topic.value in [v for _, v in options] else ""
        self.topic.options = options
        self.topic.value = keep
        self._show_topic(keep)

    def _on_topic(self, change: dict[str, Any]) -> None:
        try:
            self._show_topic(change["new"] or "")
        except Exception as exc:
            self._fail(exc)

    def _show_topic(self, code: str) -> None:
        if not code:
            self.topic_quotes.value = ""
            return
        frame = self.data.quotes(self.filters, code=code)
        label = self.data.codebook.get(code).name(self.filters.lang)
        self.topic_quotes.value = self._quotes_html(frame, label)

    # -- drill-down -----------------------------------------------------------------------
    def _click(self, section: str) -> Callable[[list[Any]], None]:
        def handler(item: list[Any]) -> None:
            try:
                self.drill(section, item)
            except Exception as exc:  # a viewer must never see a traceback
                self._fail(exc)

        return handler

    def _draw(self, chart: Chart, fig: Any) -> None:
        self._charts += 1
        chart.show(fig, version=self.renders)

    def _draw_or_hint(self, chart: Chart, fig: Any, box: w.Box, empty: w.HTML, key: str) -> None:
        """Draw ``fig``; without one, hide ``box`` and show the hint ``key`` in ``empty``."""
        box.layout.display = None if fig else "none"
        empty.value = "" if fig else h.hint(key, self.filters.lang)
        if fig:
            self._draw(chart, fig)

    def drill(self, section: str, item: list[Any]) -> str:
        """Show the quotes behind one bar (``item``: the bar's customdata); returns the HTML."""
        lang, f = self.filters.lang, self.filters
        extra: dict[str, str] = {}
        what: list[str] = []
        if section in ("overview", "information_gaps", "information_sources", *SECTIONS):
            code, by, value = (list(item) + ["", ""])[:3]
            if by and value:
                extra[by] = value
            if section in ("overview",):
                frame = self.data.quotes(f, code=code, **extra)
                what.append(self._label(code))
            else:
                parent = GROUPS[section]
                if code == parent:
                    frame = self.data.quotes(f, code=parent, **extra)
                else:
                    frame = self.data.quotes(f, code=parent, with_code=code, **extra)
                what += [text(section, lang), self._label(code)]
            if value:
                what.append(value_name(value, lang))
        else:
            code, valence = item[0], item[1]
            frame = self.data.quotes(f, code=code, valence=valence)
            what += [self._label(code), text(valence, lang)]
        html = self._quotes_html(frame, " × ".join(what))
        target = {
            "overview": self.overview_quotes,
            "quality": self.quality_drill,
            "information_gaps": self.gap_drill,
            "information_sources": self.gap_drill,
        }.get(section) or self.section_html[section]["drill"]
        target.value = html
        return html

    def _label(self, code: str) -> str:
        if code in self.data.codebook:
            return self.data.codebook.get(code).name(self.filters.lang)
        return code

    def _quotes_html(self, frame: pd.DataFrame, what: str) -> str:
        lang = self.filters.lang
        title = text("quotes_for", lang, n=len(frame), what=what)
        return h.quote_list(frame, lang, title=title, people=self.data.views(self.filters).people)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, WorkbenchError):
        return str(exc)
    return type(exc).__name__


def options_from_query(query: str | None) -> dict[str, str]:
    """Dashboard options from a URL query string (unknown keys are ignored)."""
    parsed = parse_qs(query or "", keep_blank_values=False)
    return {k: v[-1] for k, v in parsed.items() if k in OPTIONS and v}


def dashboard(
    path: str | os.PathLike[str], *, plotly_on_page: bool = False, **options: str
) -> Dashboard:
    """Open the study in ``path`` read-only and build its dashboard."""
    return Dashboard(load_data(path), Filters(**options), plotly_on_page=plotly_on_page)


def load_data(path: str | os.PathLike[str]) -> DashboardData:
    """Open the study in ``path`` read-only and read its codings."""
    return DashboardData(open_project(Path(path), read_only=True))


def _preheating() -> bool:
    return os.environ.get("VOILA_PREHEAT", "False") != "False"


def load(path: str | None = None, *, warm: bool | None = None) -> DashboardData | str:
    """Read the study (``path`` or ``WORKBENCH_PROJECT``) and compute its default views, ahead
    of any request when Voilà preheats kernels (and then, with ``warm``, the states one filter
    away, in the background until a viewer arrives).  Returns the data, or the reason it could
    not be read (shown by :func:`show`).

    Freshness: data read ahead remembers the project's fingerprint (last audit row, count and
    last id of the codings); :func:`show` compares it when the request arrives and reads the
    project again if it changed, so a page never shows codings older than its request."""
    lang = os.environ.get("WORKBENCH_DASHBOARD_LANG") or "en"
    try:
        where = path or os.environ.get("WORKBENCH_PROJECT")
        if not where:
            return text("no_project", lang)
        data = load_data(where)
        default = Filters(lang=lang if lang in LANGS else "en")
        data.views(default)
        if _preheating() if warm is None else warm:
            # Nobody is waiting yet: compute the states one filter away from the default.
            data.warm_in_background(default, budget=PREHEAT_BUDGET)
        return data
    except Exception as exc:  # a viewer must never see a traceback
        log.debug("dashboard data failed", exc_info=exc)
        return _reason(exc)


def request_query() -> str:
    """The viewer's query string: in a preheated Voilà kernel, wait for the request first."""
    if os.environ.get("VOILA_PREHEAT", "False") != "False":
        from voila.utils import get_query_string

        return get_query_string() or ""
    return os.environ.get("QUERY_STRING", "")


def show(
    data: DashboardData | str | None = None,
    query: str | None = None,
    *,
    path: str | None = None,
) -> Dashboard | None:
    """Display the dashboard in a notebook or Voilà.

    ``data`` from :func:`load` (or read here from ``path`` / ``WORKBENCH_PROJECT``), options
    from ``query`` or the viewer's URL (Voilà's ``QUERY_STRING``).  Any failure is shown as a
    short message, never as a traceback.
    """
    from IPython.display import HTML, display

    options = options_from_query(query if query is not None else request_query())
    options.setdefault("lang", os.environ.get("WORKBENCH_DASHBOARD_LANG") or "en")
    lang = options["lang"] if options["lang"] in LANGS else "en"
    try:
        if isinstance(data, DashboardData):
            data.stop_warming()  # the viewer's kernel computes only what the viewer asks for
            if data.project is not None and data.stale():
                # Read ahead (a preheated kernel) and changed since: read the project again,
                # so a page never shows codings older than the request.
                old = data.project
                data = load(str(old.path), warm=False)
                old.close()
        if data is None:
            data = load(path, warm=False)
        if isinstance(data, str):
            display(HTML(h.message(text("error", lang, message=data))))
            return None
        on_page = os.environ.get("WORKBENCH_DASHBOARD_PLOTLY") == "page"
        board = Dashboard(data, Filters(**options), plotly_on_page=on_page)
        display(board.widget)
        return board
    except Exception as exc:  # a viewer must never see a traceback
        log.debug("dashboard failed", exc_info=exc)
        display(HTML(h.message(text("error", lang, message=_reason(exc)))))
        return None
