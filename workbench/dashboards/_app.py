"""The live dashboard: ipywidgets filters over cached views, plotly charts, quotes on click.

Nothing here writes to the project or evaluates what a viewer types: the only inputs are
dropdowns whose options come from the study itself.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import ipywidgets as w
import pandas as pd
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle

from workbench import analysis as a
from workbench.analysis._frames import EVERYDAY, GROUPS
from workbench.dashboards import _estimate as est
from workbench.dashboards import _html as h
from workbench.dashboards._chart import Chart, PlotlyLoader, UrlState
from workbench.dashboards._figures import PALETTE, Figure, bars_figure, quality_figure
from workbench.dashboards._model import (
    GROUP_ATTRIBUTE,
    TYPE_ATTRIBUTE,
    DashboardData,
    Filters,
    Layer,
    Source,
    Views,
)
from workbench.errors import WorkbenchError
from workbench.i18n import LANGS, attribute_name, text, value_name
from workbench.project import open_project

log = logging.getLogger(__name__)
#: The categories shown with their themes, each in a section of its own.
THEMED = ("needs", "expectations", "information_gaps")
#: The options a URL may set: ``?lang=sv&layer=consensus&source=survey&by=role``.
OPTIONS = (
    "lang",
    "layer",
    "source",
    "group",
    "user_type",
    "attribute",
    "value",
    "language",
    "by",
)
#: A filter menu's width in pixels: at least, at most (it sizes to its longest option).
DROPDOWN_MIN, DROPDOWN_MAX = 170, 320
#: Seconds a preheated kernel may spend computing likely filter states before a request.
PREHEAT_BUDGET = 20.0


def layer_label(layer: str, lang: str) -> str:
    """A layer as the "Whose coding" filter names it."""
    if layer in {str(x) for x in Layer}:
        return text("layer_" + layer, lang)
    return text("layer_coder", lang, name=layer)


@dataclass
class _Section:
    """What a themed section shows: its chart (or none), hints, headline and quotes; in the
    estimate layer, the caption under its chart (who is coded, who estimated)."""

    figure: dict[str, Any] | None
    empty: str
    drill: str
    head: str
    quotes: str
    caption: str = ""


@dataclass
class _Page:
    """What the page shows for one filter state (composed once, shown again from here)."""

    views: Views
    header: str
    empty: bool
    overview: dict[str, Any] = field(default_factory=dict)
    start: str = ""
    sections: dict[str, _Section] = field(default_factory=dict)
    quality: dict[str, Any] = field(default_factory=dict)
    quality_about: str = ""
    topics: list[tuple[str, str]] = field(default_factory=list)
    #: The estimate layer's extras: a message (filters it cannot combine), the overview's
    #: lead and caption, and the notes on the parts that count people's codings only.
    status: str = ""
    overview_lead: str = ""
    overview_caption: str = ""
    notes: dict[str, str] = field(default_factory=dict)


class _Fold:
    """A long table behind a button: built and sent to the page only while it is open (a
    filter change would otherwise send and lay out tables nobody looks at)."""

    def __init__(self, body: w.HTML) -> None:
        self.body = body
        self.button = w.ToggleButton(value=False, layout=w.Layout(width="auto"))
        self.button.add_class("vd-fold-button")
        self.button.observe(self._toggle, names="value")
        self.children: list[w.Widget] = [self.button, body]
        self._labels = ("", "")
        self._content: Callable[[], str] = str

    def update(self, closed: str, opened: str, content: Callable[[], str]) -> None:
        """New content (a function that builds it) and the button's two labels."""
        self._labels, self._content = (closed, opened), content
        self._toggle()

    @property
    def open(self) -> bool:
        return bool(self.button.value)

    def _toggle(self, _change: object = None) -> None:
        self.button.description = ("▾ " if self.open else "▸ ") + self._labels[self.open]
        self.body.value = self._content() if self.open else ""


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
        f = filters or Filters()
        if f.lang not in LANGS:
            f = replace(f, lang="en")
        # The best layer and source where the URL names none (or an unknown one).
        self.filters = data.normalize(f)
        # Widgets whose layout or style never changes share one of each: every model is sent
        # to the page and created there before anything shows.
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
        # The filter state in the page's URL: a reload or a shared link opens this view.
        self.url = UrlState(options=list(OPTIONS))
        self._pages: dict[Filters, _Page] = {}
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

    def _dropdown(
        self, key: str, options: list[tuple[str, str]], value: str, label: str = ""
    ) -> w.VBox:
        values = [v for _, v in options]
        # As wide as its longest option ("Estimate (model + coders)"), within bounds: a
        # menu cut off mid-word hides what it offers.
        longest = max((len(label_) for label_, _ in options), default=0)
        width = max(DROPDOWN_MIN, min(DROPDOWN_MAX, 8 * longest + 40))
        box = w.Dropdown(
            options=options,
            value=value if value in values else values[0],
            layout=self._layout(width=f"{width}px"),
            style=self._label_style,
        )
        box.observe(self._on_filter, names="value")
        self._controls[key] = box
        title = label or text("f_" + key, self.filters.lang)
        head = self._html(f"<b>{escape(title)}</b>")
        return w.VBox([head, box], layout=self._layout(margin="0 10px 4px 0"))

    def _controls_for(self, f: Filters) -> list[w.Widget]:
        """The filters of state ``f``: their options come from the study's source ``f.source``
        (a survey has other attributes than the interviews)."""
        lang, data, source = f.lang, self.data, f.source
        all_ = text("all", lang)
        self._controls: dict[str, w.Dropdown] = {}
        controls = [self._dropdown("lang", [("Svenska", "sv"), ("English", "en")], lang)]
        sources = data.sources()
        if len(sources) > 1:
            options = [(text("source_" + s, lang), s) for s in sources]
            controls.append(self._dropdown("source", options, source))
        for key, column in (
            ("group", GROUP_ATTRIBUTE),
            ("user_type", TYPE_ATTRIBUTE),
            ("language", "language"),
        ):
            values = data.values(column, source)
            if values:
                opts = [(all_, "")] + [(value_name(v, lang), v) for v in values]
                label = (
                    text("f_language_survey", lang)
                    if (key == "language" and source == Source.SURVEY)
                    else ""
                )
                controls.append(self._dropdown(key, opts, getattr(f, key), label))
        attributes = data.attributes(source)
        attrs = [c for c in attributes if c not in (GROUP_ATTRIBUTE, TYPE_ATTRIBUTE)]
        if attrs:
            opts = [(all_, "")] + [(attribute_name(c, lang), c) for c in attrs]
            controls.append(self._dropdown("attribute", opts, f.attribute))
            controls.append(self._dropdown("value", self._value_options(f.attribute), f.value))
        layers = [(layer_label(x, lang), x) for x in data.layers()]
        controls.append(self._dropdown("layer", layers, f.layer))
        by = [(text("none", lang), "")]
        if f.layer == Layer.ESTIMATE and data.beside_available():
            by.append((text("est_by_beside", lang), est.BESIDE))
        by += [(attribute_name(c, lang), c) for c in attributes]
        controls.append(self._dropdown("by", by, f.by))
        return controls

    def _build(self) -> None:
        lang = self.filters.lang
        self.filter_box = w.HBox(
            self._controls_for(self.filters), layout=self._layout(flex_flow="row wrap")
        )
        self.filter_box.add_class("vd-filters")

        self.style = self._html(h.style())
        self.header = self._html()
        self.status = self._html()
        self.overview_text = self._html()
        self.overview_fig, overview_box = self._figure_box()
        self.overview_fig.on_click(self._click("overview"))
        self.overview_caption = self._html()
        self.overview_quotes = self._html()
        self.start = self._html()
        self.section_figs: dict[str, tuple[Chart, w.Box]] = {}
        self.section_html: dict[str, dict[str, w.HTML]] = {}
        sections: list[w.Widget] = [
            # What to fix first comes first; the counts per category after it.
            self._section(
                "overview",
                [
                    self.start,
                    self.overview_text,
                    overview_box,
                    self.overview_caption,
                    self.overview_quotes,
                ],
            ),
        ]
        for name in (*THEMED, "information_sources"):
            fig, box = self._figure_box()
            fig.on_click(self._click(name))
            self.section_figs[name] = (fig, box)
            parts = {k: self._html() for k in ("head", "empty", "caption", "drill", "quotes")}
            self.section_html[name] = parts
            children: list[w.Widget] = [
                parts["head"],
                box,
                parts["caption"],
                parts["empty"],
                parts["drill"],
            ]
            children.append(parts["quotes"])
            if name == "information_sources":
                self.gap_fold = _Fold(self._html())
                children += self.gap_fold.children
            sections.append(self._section(name, children, lead=f"{name}_lead"))
        self.quality_fig, quality_box = self._figure_box()
        self.quality_fig.on_click(self._click("quality"))
        self.quality_drill = self._html()
        self.quality_about = self._html()
        # In the estimate layer: the parts that count people's codings only say so.
        self.notes = {k: self._html() for k in ("quality", "everyday", "quotes")}
        sections.append(
            self._section(
                "quality",
                [self.notes["quality"], quality_box, self.quality_drill, self.quality_about],
                lead="quality_lead",
            )
        )
        self.everyday_fold = _Fold(self._html())
        sections.append(
            self._section(
                "everyday",
                [self.notes["everyday"], *self.everyday_fold.children],
                lead="everyday_lead",
            )
        )
        self.topic = w.Dropdown(layout=self._layout(width="360px"), style=self._label_style)
        self.topic.observe(self._on_topic, names="value")
        self.topic_quotes = self._html()
        sections.append(
            self._section(
                "quotes",
                [
                    self.notes["quotes"],
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
            self.url,
        ]

    def _section(self, key: str, children: list[w.Widget], lead: str | None = None) -> w.VBox:
        head = self._html(h.section_head(key, self.filters.lang, lead))
        box = w.VBox([head, *children], layout=self._layout(width="100%"))
        box.add_class("vd-section")
        box.add_class(f"vd-section-{key}")
        return box

    def _value_options(self, attribute: str) -> list[tuple[str, str]]:
        lang = self.filters.lang
        values = self.data.values(attribute, self.filters.source) if attribute else []
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
            if new.source != self.filters.source:
                # Another source has other people and attributes: its own filters, from "all".
                new = replace(
                    Filters(lang=new.lang, layer=new.layer, source=new.source),
                    by=new.by if new.by in self.data.attributes(new.source) else "",
                )
            elif new.attribute != self.filters.attribute:
                self._busy = True
                try:
                    self._controls["value"].options = self._value_options(new.attribute)
                    self._controls["value"].value = ""
                finally:
                    self._busy = False
                new = self._current()
            notice = ""
            if new.by == est.BESIDE and any(new.criteria().values()):
                # The sources side by side compare everyone: the newer choice wins, the other
                # is undone where the viewer sees it, and one line says so.
                notice, new = self._beside_or_filters(new)
            relabel = new.lang != self.filters.lang
            # Another source, or into or out of the estimate layer: other filter options.
            estimating = (new.layer == Layer.ESTIMATE) != (self.filters.layer == Layer.ESTIMATE)
            resource = new.source != self.filters.source or estimating
            if estimating and new.layer != Layer.ESTIMATE and new.by == est.BESIDE:
                new = replace(new, by="")
            self.filters = new
            if relabel:
                self._build()  # every text in the new language
            elif resource:
                self._busy = True
                try:
                    self.filter_box.children = self._controls_for(new)
                finally:
                    self._busy = False
            if relabel or resource:
                self.filters = self._current()
            self.render()
            if notice:
                self.status.value = h.hint(notice, new.lang) + self.status.value
        except Exception as exc:  # a viewer must never see a traceback
            self._fail(exc)

    def _beside_or_filters(self, new: Filters) -> tuple[str, Filters]:
        """``new`` asks for the sources side by side and a filter, which cannot go together:
        keep the one just chosen, reset the other's controls; the catalogue key of the line
        that says so, and the filters."""
        keys = ("group", "user_type", "language", "attribute", "value")
        if self.filters.by != est.BESIDE:  # side by side just chosen: everyone
            reset, key = dict.fromkeys(keys, ""), "est_beside_cleared"
        else:  # a filter just chosen: no comparison
            reset, key = {"by": ""}, "est_beside_off"
        self._busy = True
        try:
            for name, value in reset.items():
                if name in self._controls:
                    self._controls[name].value = value
        finally:
            self._busy = False
        return key, replace(new, **reset)

    def set_filters(self, **values: str) -> None:
        """Change filters as a viewer would (tests, benchmarks)."""
        for key, value in values.items():
            self._controls[key].value = value

    def _fail(self, exc: Exception) -> None:
        log.debug("dashboard error", exc_info=exc)
        self.status.value = h.message(text("error", self.filters.lang, message=_reason(exc)))

    # -- rendering ------------------------------------------------------------------------
    def render(self) -> None:
        """Show the views of the current filters.  What a state shows is composed once and
        kept: going back to a state only sets widget values (and only changed ones reach the
        page)."""
        self.renders += 1
        self.url.query = query_of(self.filters)
        key = self.data.normalize(self.filters)
        page = self._pages.get(key)
        if page is None:
            if key.layer == Layer.ESTIMATE and not self.data.has_views(key):
                # Seconds the first time for a selection: say so while the kernel works.
                self.status.value = h.hint("est_computing", key.lang)
            page = self._pages[key] = self._compose(key)
        self._show(page)

    def _compose(self, f: Filters) -> _Page:
        """Everything the page shows for filters ``f`` (normalised), as strings and figures:
        people's codings, and in the estimate layer the model's estimate over them."""
        views = self.data.views(f)
        page = self._compose_people(f, views)
        if views.estimate is not None:
            page = self._with_estimate(f, views, views.estimate, page)
        return page

    def _compose_people(self, f: Filters, views: Views) -> _Page:
        """The page of people's codings in state ``f``."""
        lang = f.lang
        total = views.participants
        _docs, answers = self.data.selection_size(f)
        guide = text("dash_guide_survey" if views.source == Source.SURVEY else "guide", lang)
        if len(self.data.sources()) > 1:
            guide += text("dash_guide_sources", lang)
        hint = self.data.estimate_hint(lang)
        if hint:  # how the research team makes the model's estimate (quietly)
            guide += f'<div class="vd-hint vd-est-hint">{escape(hint)}</div>'
        header = h.header(
            text("title", lang),
            total,
            views.documents,
            self.data.title,
            lang,
            source=views.source,
            answers=answers,
            guide=guide,
            note=_joined(self.data.layer_note(f.layer, lang), self.data.small_note(f, lang)),
        )
        if views.codings.empty:
            return _Page(views=views, header=header, empty=True)
        # Interviews beside the survey is no comparison of people's codings.
        by = f.by if f.by and f.by != est.BESIDE else None
        groups = {v: PALETTE[i % len(PALETTE)] for i, v in enumerate(views.groups)} if by else None
        sizes = views.groups if by else None

        def bars(frame: pd.DataFrame, key: str) -> Figure:
            """``frame``'s bars for this page: its language, groups and total."""
            return bars_figure(
                frame,
                key=key,
                lang=lang,
                by=by,
                total=total,
                group_colors=groups,
                group_sizes=sizes,
                source=views.source,
            )

        rows = []
        for name, entry in views.categories.items():
            row: dict[str, Any] = {
                "key": entry.code,
                "label": text(name, lang),
                "color": self._color(entry.code),
                "participants": entry.participants,
            }
            for value, n in entry.by.items():
                row[f"{by}={value}"] = n
            rows.append(row)
        frame = pd.DataFrame(rows).fillna(0)
        overview = bars(_every_group(frame, by, views.groups) if by else frame, "key")
        if by:
            start = h.where_to_start_by(
                views.priorities_by, views.groups, lang, people=views.people
            )
        else:
            start = h.where_to_start_in(views, lang, themes=self.data.tree.any_themes)
        sections: dict[str, _Section] = {}
        for name in self.section_figs:
            found = views.categories.get(name)
            source = None
            if found is not None and not found.themes.empty:
                source = found.themes
            elif found is not None and found.participants and not found.developed:
                source = pd.DataFrame(
                    [
                        {
                            "theme": found.code,
                            "label": text(name, lang),
                            "color": self._color(found.code),
                            "participants": found.participants,
                            **{f"{by}={v}": n for v, n in found.by.items()},
                        }
                    ]
                )
            if source is not None and by:
                source = _every_group(source, by, views.groups)
            figure = bars(source, "theme") if source is not None else None
            # Nobody raised it: say so; raised, but in no theme: the headline says so.
            nobody = found is None or not found.participants
            sections[name] = _Section(
                figure=figure,
                empty=h.hint("nobody", lang) if figure is None and nobody else "",
                drill=h.hint("quotes_pick", lang) if figure else "",
                head=(
                    h.category_headline(found, total, lang, views.source)
                    if found is not None
                    else ""
                ),
                quotes=(
                    h.quote_cards(found.quotes, views.people, lang)
                    if found is not None and name != "information_sources"
                    else ""
                ),
            )
        quality = quality_figure(
            views.quality,
            lang=lang,
            colors=self.data.valence_colors(),
            about=h.negative_about(views.quality_themes, lang),
        )
        counts = views.codings.groupby("code")["segment"].nunique()
        topics = [(text("choose", lang), "")] + [
            (f"{code.name(lang)} ({counts[code.id]})", code.id)
            for code in self.data.codebook.codes
            if code.codable and code.id in counts.index
        ]
        return _Page(
            views=views,
            header=header,
            empty=False,
            overview=overview,
            start=start,
            sections=sections,
            quality=quality,
            quality_about=h.quality_themes(views.quality_themes, views.quality, lang),
            topics=topics,
        )

    def _with_estimate(
        self, f: Filters, views: Views, view: est.EstimateView, page: _Page
    ) -> _Page:
        """``page`` (people's codings) in the estimate layer: the header, overview and themed
        sections show the model's estimate for everybody (bars with whiskers, a caption of
        who is coded and who estimated, notes where the model could not correct); where to
        start, quality, everyday processes and quotes say they count people's codings."""
        lang, data = f.lang, self.data
        labels = data.labels(lang)
        names = {k: v for k, (v, _c) in labels.items()}
        people_only = h.people_only("est_people_only", view, lang)
        notes = {"quality": people_only, "everyday": people_only}
        notes["quotes"] = f'<p class="vd-lead">{escape(text("est_quotes_lead", lang))}</p>'
        start = h.with_note(page.start, h.people_only("est_start_people", view, lang))
        if not view.available:
            # Filters it cannot combine: say so; people's codings below, as they are.
            message = text(view.why_not, lang) if view.why_not else text("empty", lang)
            status = f'<div class="vd-empty">{escape(message)}</div>'
            return replace(page, status=status, start=start, notes=notes)
        beside = view.by == est.BESIDE
        people = est.people_text(view.counts.people, view.source, lang)
        layer_note = data.layer_note(f.layer, lang)
        if view.calibrated_on is not None:
            layer_note += " " + text("est_calibrated_all", lang, n=view.calibrated_on)
        layer_note = _joined(layer_note, data.small_note(f, lang))
        subtitle, guide = h.estimate_guide(
            view, data.title, lang, documents=data.selection_size(f)[0]
        )
        header = h.header(
            text("title", lang),
            view.counts.people,
            0,
            data.title,
            lang,
            guide=guide,
            note=layer_note,
            subtitle=subtitle,
        )
        caption = h.estimate_caption(view, lang)

        def figure(rows: pd.DataFrame) -> dict[str, Any]:
            return est.chart(rows, view, lang)

        overview_rows = est.overview_rows(
            view,
            {name: text(name, lang) for name in view.categories},
            {code: color for code, (_label, color) in labels.items()},
        )
        overview = figure(overview_rows) if not overview_rows.empty else {}
        sections: dict[str, _Section] = {}
        for name in self.section_figs:
            entry = view.categories.get(name)
            if entry is None:
                sections[name] = page.sections.get(name) or _Section(None, "", "", "", "")
                continue
            rows = entry.themes if not entry.themes.empty else entry.total
            found = views.categories.get(name)
            quotes = ""
            if not beside:
                quotes = h.quote_cards(found.quotes, views.people, lang) if found else ""
                model = data.model_quotes(f, entry.code).drop_duplicates("participant")
                if not model.empty:
                    quotes += h.model_quotes(
                        model.head(est.MODEL_REPRESENTATIVE),
                        lang,
                        people=data.everyone,
                        tags=names,
                    )
            shown = [str(c) for c in rows["code"]]
            sections[name] = _Section(
                figure=figure(rows) if not rows.empty else None,
                empty=h.hint("nobody", lang) if rows.empty else "",
                drill=h.hint("quotes_pick", lang) if not rows.empty else "",
                head="" if (beside or view.groups) else h.estimate_headline(entry, people, lang),
                quotes=quotes,
                caption=(caption if not rows.empty else "")
                + h.estimate_notes(view, lang, names, codes=shown, missing=entry.missing),
            )
        overview_codes = [str(c) for c in overview_rows.get("code", [])]
        return replace(
            page,
            header=header,
            empty=False,
            overview=overview,
            overview_lead=text("est_overview_lead", lang),
            overview_caption=caption
            + h.estimate_notes(
                view,
                lang,
                {**names, **{c.code: text(n, lang) for n, c in view.categories.items()}},
                codes=overview_codes,
            ),
            start=start,
            sections=sections,
            notes=notes,
        )

    def _show(self, page: _Page) -> None:
        lang = self.filters.lang
        self.header.value = page.header
        self._charts = 0
        if page.empty:
            self.status.value = h.message(text("empty", lang), kind="empty")
            self.sections.layout.display = "none"
            self._mark_ready()
            return
        self.status.value = page.status
        self.sections.layout.display = None
        lead = page.overview_lead or text("overview_lead", lang)
        self.overview_text.value = f'<p class="vd-lead">{escape(lead)}</p>'
        self._draw(self.overview_fig, page.overview)
        self.overview_caption.value = page.overview_caption
        self.overview_quotes.value = h.hint("quotes_pick", lang)
        self.start.value = page.start
        for name, (fig, box) in self.section_figs.items():
            part, widgets = page.sections[name], self.section_html[name]
            box.layout.display = None if part.figure else "none"
            if part.figure:
                self._draw(fig, part.figure)
            widgets["empty"].value = part.empty
            widgets["drill"].value = part.drill
            widgets["head"].value = part.head
            widgets["quotes"].value = part.quotes
            widgets["caption"].value = part.caption
        for key, widget in self.notes.items():
            widget.value = page.notes.get(key, "")
        views = page.views
        gaps = views.people_with([GROUPS["information_gaps"]])
        self.gap_fold.update(
            h.fold_label("pairs", gaps, lang),
            h.fold_label("pairs", gaps, lang, shown=True),
            lambda: h.gap_pairs(views.pairs, views.people, lang, fold=False),
        )
        self._draw(self.quality_fig, page.quality)
        self.quality_drill.value = h.hint("quotes_pick", lang)
        self.quality_about.value = page.quality_about
        everyday = views.people_with(EVERYDAY)
        self.everyday_fold.update(
            h.fold_label("everyday", everyday, lang),
            h.fold_label("everyday", everyday, lang, shown=True),
            lambda: h.everyday_table(views.everyday, views.people, lang, fold=False),
        )
        keep = self.topic.value if self.topic.value in [v for _, v in page.topics] else ""
        if list(self.topic.options) != page.topics:
            self.topic.options = page.topics
        self.topic.value = keep
        self._show_topic(keep)
        self._mark_ready()

    def _mark_ready(self) -> None:
        """A marker for tests and benchmarks: which render the page shows, and how many charts
        it drew (each chart's element carries ``data-version`` once drawn)."""
        self.ready.value = (
            f'<span class="vd-ready" data-render="{self.renders}" '
            f'data-charts="{self._charts}"></span>'
        )

    def _color(self, code: str) -> str:
        return self.data.labels(self.filters.lang).get(code, ("", "#4C78A8"))[1]

    def _on_topic(self, change: dict[str, Any]) -> None:
        try:
            self._show_topic(change["new"] or "")
        except Exception as exc:
            self._fail(exc)

    def _show_topic(self, code: str) -> None:
        if not code:
            self.topic_quotes.value = ""
            return
        frame = self.data.quotes(self.filters, code)
        self.topic_quotes.value = self._quotes_html(frame, self._label(code), code=code)

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

    def drill(self, section: str, item: list[Any]) -> str:
        """Show the quotes behind one bar (``item``: the bar's customdata); returns the HTML."""
        lang, f = self.filters.lang, self.filters
        views = self.data.views(f)
        extra: dict[str, str] = {}
        what: list[str] = []
        if section == "quality":
            code, valence = str(item[0]), str(item[1])
            frame = self.data.quotes(f, code, valence=valence)
            frame = frame.assign(theme=h.themes_of_segments(views.codings, frame["segment"]))
            what += [self._label(code), text(valence, lang)]
        else:
            code, by, value = [str(x) for x in (list(item) + ["", ""])[:3]]
            if by and value:
                extra[by] = value
            entry = views.categories.get(section)
            if section == "overview" or entry is None or entry.developed or code == entry.code:
                frame = self.data.quotes(f, code, where=extra)
            else:  # a code applied together with a category that has no themes yet
                frame = a.quotes(views.codings, code=entry.code, with_code=code, **extra)
            if section != "overview":
                what.append(text(section, lang))
            if code != (entry.code if entry is not None else ""):
                what.append(self._label(code))
            if value:
                what.append(self._group_label(by, value, lang))
        html = self._quotes_html(frame, " × ".join(what), code=code, where=extra)
        target = {"overview": self.overview_quotes, "quality": self.quality_drill}.get(
            section
        ) or self.section_html[section]["drill"]
        target.value = html
        return html

    def _label(self, code: str) -> str:
        return self.data.labels(self.filters.lang).get(code, (code, ""))[0]

    def _group_label(self, by: str, value: str, lang: str) -> str:
        if by == est.BESIDE:
            return text(f"est_source_{value}", lang)
        return value_name(value, lang)

    def _quotes_html(
        self,
        frame: pd.DataFrame,
        what: str,
        *,
        code: str = "",
        where: Mapping[str, str] | None = None,
    ) -> str:
        """People's quotes; in the estimate layer, then the model's suggestions of ``code``
        (in the group ``where``), marked as the model's (not for the interviews beside the
        survey: those bars are people's codings)."""
        lang, f = self.filters.lang, self.data.normalize(self.filters)
        title = text(
            "quote_for" if len(frame) == 1 else "quotes_for", lang, n=len(frame), what=what
        )
        estimating = f.layer == Layer.ESTIMATE and code
        if estimating:
            title += " — " + text("est_quotes_people", lang)
        tags = {k: v for k, (v, _c) in self.data.labels(lang).items()}
        html = h.quote_list(frame, lang, title=title, people=self.data.views(f).people, tags=tags)
        if not estimating or (where or {}).get(est.BESIDE) == str(Source.INTERVIEWS):
            return html
        model = self.data.model_quotes(f, code, where=where)
        return h.people_and_model(
            html, model, lang, what=what, everyone=self.data.everyone, tags=tags
        )


def _joined(*notes: str) -> str:
    """Sentences of a note, the empty ones left out."""
    return " ".join(n for n in notes if n)


def _every_group(frame: pd.DataFrame, by: str, groups: Mapping[str, int]) -> pd.DataFrame:
    """``frame`` with a ``{by}={value}`` column for every compared group, in the groups'
    order (zeros where a group raised none of its rows): each chart shows every group."""
    columns = [f"{by}={value}" for value in groups]
    out = frame.assign(**{c: 0 for c in columns if c not in frame})
    rest = [c for c in out.columns if not str(c).startswith(f"{by}=")]
    return out[rest + columns]


def _reason(exc: BaseException) -> str:
    if isinstance(exc, WorkbenchError):
        return str(exc)
    return type(exc).__name__


def query_of(filters: Filters) -> str:
    """The URL query string of a filter state (the options set; read back by
    :func:`options_from_query`)."""
    return urlencode([(k, getattr(filters, k)) for k in OPTIONS if getattr(filters, k)])


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
    chosen = options.get("lang") or os.environ.get("WORKBENCH_DASHBOARD_LANG") or ""
    lang = chosen if chosen in LANGS else "en"
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
        # Neither the URL nor the command names a language: the study's own.
        options["lang"] = chosen if chosen in LANGS else data.study_language
        board = Dashboard(data, Filters(**options), plotly_on_page=on_page)
        display(board.widget)
        return board
    except Exception as exc:  # a viewer must never see a traceback
        log.debug("dashboard failed", exc_info=exc)
        display(HTML(h.message(text("error", lang, message=_reason(exc)))))
        return None
