"""The static report: the dashboard's content as ONE self-contained HTML file.

Charts are inline SVG (:mod:`._svg`): no plotly.js, nothing loaded from anywhere.  Every bar
links to the quotes behind it, which sit in a ``<details>`` list one click away (a few lines
of script open the list a bar links to); representative quotes are shown open.  A study with
interviews and a survey gets one part per source, never mixed.

In the layer "Estimate (model + coders)" (``workbench report --layer estimate``) each part
shows the model's estimate for all of its people as the dashboard does (bars with whiskers, a
caption of who is coded and who estimated, notes where the model could not correct; each bar's
quotes list people's first, then the model's suggestions, marked), and one more section shows
the interviews beside the survey.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import replace
from html import escape
from pathlib import Path

import pandas as pd

from workbench import analysis as a
from workbench.dashboards import _estimate as est
from workbench.dashboards import _html as h
from workbench.dashboards._figures import MAX_THEMES, bars_figure, quality_figure
from workbench.dashboards._findings import Category
from workbench.dashboards._model import DashboardData, Filters, Layer, Source, Views
from workbench.dashboards._svg import svg_figure
from workbench.errors import ProjectError, UnknownItem
from workbench.i18n import text
from workbench.project import open_project

#: Opens the quotes a bar links to (``<details>`` do not open when linked to by themselves).
OPEN_LINKED = (
    "<script>function vdOpen(){var t=document.getElementById("
    "decodeURIComponent(location.hash.slice(1)));if(t&&t.tagName==='DETAILS'){t.open=true;"
    "t.scrollIntoView();}}window.addEventListener('hashchange',vdOpen);"
    "window.addEventListener('load',vdOpen);</script>"
)
REPORT_CSS = (
    "<style>body{margin:24px;background:white}.vd-part{font-size:26px;margin:40px 0 0 0;"
    "padding:8px 0;border-bottom:3px solid #17324d}.vd-svg{max-width:100%;height:auto}"
    ".vd-svg a.vd-bar:hover rect{opacity:.8}details[id]{scroll-margin-top:12px}"
    "details>summary{margin:4px 0}.vd-contents a{margin-right:16px}</style>"
)


def _anchor(*parts: str) -> str:
    """An element id from ``parts`` (code ids and the like)."""
    return "-".join(re.sub(r"[^A-Za-z0-9_-]+", "-", str(p)) for p in parts if p)


def _details(
    anchor: str,
    label: str,
    frame: pd.DataFrame,
    views: Views,
    lang: str,
    *,
    model: pd.DataFrame | None = None,
    everyone: pd.DataFrame | None = None,
) -> str:
    """The quotes behind a bar, folded; with ``model`` (the estimate layer), people's first,
    then the model's suggestions in a box of their own."""
    body = h.quote_list(frame, lang, people=views.people, limit=200)
    summary = f"{escape(label)} — {escape(text('show_quotes', lang, n=len(frame)))}"
    if model is not None:
        body = h.people_and_model(body, model, lang, everyone=everyone)
        if len(model):
            summary += f" · {escape(text('est_summary_model', lang, n=len(model)))}"
    return f'<details id="{anchor}"><summary>{summary}</summary>{body}</details>'


class _Part:
    """One source's part of the report."""

    def __init__(self, data: DashboardData, f: Filters, *, single: bool) -> None:
        self.data, self.f, self.lang = data, f, f.lang
        self.views = data.views(f)
        self.prefix = "" if single else f.source
        self.out: list[str] = []
        found = self.views.estimate
        #: The model's estimate (the estimate layer), or None.
        self.estimate = found if found is not None and found.available else None

    def id(self, *parts: str) -> str:
        return _anchor(self.prefix, "q", *parts)

    def quotes(self, code: str, *, valence: str | None = None) -> pd.DataFrame:
        return self.data.quotes(self.f, code, valence=valence)

    def section(self, key: str, body: str, lead: str | None = None) -> None:
        self.out.append(
            f'<section class="vd-section" id="{_anchor(self.prefix, key)}">'
            f"{h.section_head(key, self.lang, lead)}{body}</section>"
        )

    def chart(self, fig: dict[str, object], anchors: list[str | None], title: str) -> str:
        """``fig`` as SVG, bar ``i`` (in the frame's order) linking to ``anchors[i]``."""
        data = fig.get("data") or []
        n = len(data[0]["y"]) if data and isinstance(data, list) else 0  # type: ignore[index]

        def link(_trace: int, point: int) -> str | None:
            # bars_figure lists the rows bottom-up: point 0 is the frame's last row
            return anchors[n - 1 - point] if 0 <= n - 1 - point < len(anchors) else None

        return svg_figure(fig, links=link, title=title)

    def render(self) -> str:
        views, lang = self.views, self.lang
        total = views.participants
        labels = self.data.labels(lang)
        tags = {k: v for k, (v, _c) in labels.items()}
        # overview
        rows = [
            {
                "key": e.code,
                "label": text(name, lang),
                "participants": e.participants,
                "color": labels.get(e.code, ("", "#4C78A8"))[1],
            }
            for name, e in views.categories.items()
        ]
        frame = pd.DataFrame(rows)
        # What to fix first comes first; the counts per category after it.
        body = h.where_to_start_in(views, lang, themes=self.data.tree.any_themes)
        view = self.estimate
        if view is not None:
            body = h.with_note(body, h.people_only("est_start_people", view, lang))
            body += self.estimate_overview(view)
        else:
            body += f'<p class="vd-lead">{escape(text("overview_lead", lang))}</p>'
            body += self.chart(
                bars_figure(frame, key="key", lang=lang, total=total, source=views.source),
                [self.id(str(r["key"])) for r in rows],
                text("overview", lang),
            )
        body += "".join(
            _details(
                self.id(e.code),
                text(name, lang),
                self.quotes(e.code),
                views,
                lang,
                **self.model(e.code),
            )
            for name, e in views.categories.items()
        )
        self.section("overview", body)
        # needs, expectations, information gaps, information sources
        for name, entry in views.categories.items():
            body = self.category(name, entry, total, tags)
            if name == "information_sources":
                body += h.gap_pairs(views.pairs, views.people, lang)
            self.section(name, body, f"{name}_lead")
        # perceived quality
        quality = views.quality
        fig = quality_figure(
            quality,
            lang=lang,
            colors=self.data.valence_colors(),
            about=h.negative_about(views.quality_themes, lang),
        )
        codes = [str(c) for c in quality["code"]][::-1]

        def link(trace: int, point: int) -> str | None:
            valence = ("negative", "positive")[trace]
            code = codes[point]
            row = quality[quality["code"] == code].iloc[0]
            return self.id(code, valence) if int(row[valence]) else None

        body = svg_figure(fig, links=link, title=text("quality", lang))
        if self.estimate is not None:
            body = h.people_only("est_people_only", self.estimate, lang) + body
        for r in quality.itertuples():
            for valence in ("negative", "positive"):
                if getattr(r, valence):
                    found = self.quotes(str(r.code), valence=valence)
                    found = found.assign(
                        theme=h.themes_of_segments(views.codings, found["segment"])
                    )
                    body += _details(
                        self.id(str(r.code), valence),
                        f"{r.label}: {text(valence, lang)}",
                        found,
                        views,
                        lang,
                    )
        body += h.quality_themes(views.quality_themes, quality, lang)
        self.section("quality", body, "quality_lead")
        everyday = h.everyday_table(views.everyday, views.people, lang)
        if self.estimate is not None:
            everyday = h.people_only("est_people_only", self.estimate, lang) + everyday
        self.section("everyday", everyday, "everyday_lead")
        return "".join(self.out)

    def model(self, code: str) -> dict[str, pd.DataFrame]:
        """In the estimate layer, the model's suggestions of ``code`` for :func:`_details`."""
        if self.estimate is None:
            return {}
        return {
            "model": self.data.model_quotes(self.f, code),
            "everyone": self.data.everyone,
        }

    def estimate_overview(self, view: est.EstimateView) -> str:
        """The estimated share of people per category, with its caption and notes."""
        lang = self.lang
        labels = self.data.labels(lang)
        names = {name: text(name, lang) for name in view.categories}
        rows = est.overview_rows(view, names, {c: color for c, (_l, color) in labels.items()})
        if rows.empty:
            return ""
        codes = [str(c) for c in rows["code"]]
        notes = {**{c: v for c, (v, _c) in labels.items()}}
        notes.update({e.code: names[n] for n, e in view.categories.items()})
        return (
            f'<p class="vd-lead">{escape(text("est_overview_lead", lang))}</p>'
            + self.chart(est.chart(rows, view, lang), [self.id(c) for c in codes], "")
            + h.estimate_caption(view, lang)
            + h.estimate_notes(view, lang, notes, codes=codes)
        )

    def estimate_category(self, name: str, entry: Category, view: est.EstimateView) -> str:
        """A category in the estimate layer: its estimated share, its themes' bars with
        whiskers, the caption and notes, each bar's quotes (people's, then the model's)."""
        lang, views, data = self.lang, self.views, self.data
        found = view.categories[name]
        labels = {k: v for k, (v, _c) in data.labels(lang).items()}
        rows = found.themes if not found.themes.empty else found.total
        people = est.people_text(view.counts.people, view.source, lang)
        body = h.estimate_headline(found, people, lang)
        if rows.empty:
            body += h.hint("nobody", lang)
        else:
            codes = list(dict.fromkeys(str(c) for c in rows["code"]))[:MAX_THEMES]
            body += self.chart(
                est.chart(rows, view, lang), [self.id(name, c) for c in codes], text(name, lang)
            )
            body += h.estimate_caption(view, lang)
            for code in codes:
                body += _details(
                    self.id(name, code),
                    f"{text(name, lang)} × {labels.get(code, code)}",
                    self.quotes(code),
                    views,
                    lang,
                    **self.model(code),
                )
        body += h.estimate_notes(
            view, lang, labels, codes=[str(c) for c in rows["code"]], missing=found.missing
        )
        body += h.quote_cards(entry.quotes, views.people, lang)
        model = data.model_quotes(self.f, found.code).drop_duplicates("participant")
        if not model.empty:
            body += h.model_quotes(
                model.head(est.MODEL_REPRESENTATIVE), lang, people=data.everyone, tags=labels
            )
        return body

    def category(self, name: str, entry: Category, total: int, tags: dict[str, str]) -> str:
        views, lang = self.views, self.lang
        if self.estimate is not None and name in self.estimate.categories:
            return self.estimate_category(name, entry, self.estimate)
        head = h.category_headline(entry, total, lang, views.source)
        if entry.themes.empty:
            body = "" if entry.participants else h.hint("nobody", lang)
        else:
            themes = entry.themes.head(10)
            anchors: list[str | None] = [self.id(name, str(t)) for t in themes["theme"]]
            body = self.chart(
                bars_figure(themes, key="theme", lang=lang, total=total, source=views.source),
                anchors,
                text(name, lang),
            )
            for r in themes.itertuples():
                if entry.developed:
                    found = self.quotes(str(r.theme))
                else:
                    found = a.quotes(views.codings, code=entry.code, with_code=str(r.theme))
                body += _details(
                    self.id(name, str(r.theme)),
                    f"{text(name, lang)} × {r.label}",
                    found,
                    views,
                    lang,
                )
        return head + body + h.quote_cards(entry.quotes, views.people, lang)


def render_report(data: DashboardData, filters: Filters | None = None) -> str:
    """The report's HTML: for the source of ``filters``, or every source of the study (one
    part each) when it names none."""
    f = data.normalize(filters or Filters())
    lang = f.lang
    sources = [f.source] if filters is not None and filters.source else data.sources()
    single = len(sources) == 1
    first = data.views(replace(f, source=sources[0]))
    _docs, answers = data.selection_size(replace(f, source=first.source))
    estimating = f.layer == Layer.ESTIMATE
    counts = []
    for source in sources:
        _d, size = data.selection_size(replace(f, source=source))
        views = data.views(replace(f, source=source))
        if estimating and views.estimate is not None and views.estimate.available:
            view = views.estimate
            count = est.people_text(view.counts.people, source, lang)
            counts.append(f"{count} — {est.caption(view.counts, source, lang)}")
        else:
            counts.append(h.header_count(views.participants, size, source, lang))
    beside = estimating and data.beside_available() and not (filters is not None and filters.source)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(text('title', lang))} — {escape(data.title)}</title>",
        h.style(),
        REPORT_CSS,
        "</head>",
        '<body><div class="vd-root">',
        h.header(
            text("title", lang),
            first.participants,
            first.documents,
            data.title,
            lang,
            source=first.source,
            answers=answers,
            guide=text("dash_guide_report", lang),
            note=" ".join(
                n for n in (data.layer_note(f.layer, lang), data.small_note(f, lang)) if n
            ),
            subtitle=(" · ".join([*counts, data.title]) if not single or estimating else None),
        ),
        f'<p class="vd-hint">{escape(text("report_generated", lang, date=dt.date.today()))}</p>',
    ]
    if not single:
        links = []
        for source, count in zip(sources, counts, strict=True):
            links.append(
                f'<a href="#{_anchor(source)}">{escape(text("source_" + source, lang))}</a> '
                f'<span class="vd-hint">({escape(count)})</span>'
            )
        if beside:
            links.append(f'<a href="#beside">{escape(text("est_by_beside", lang))}</a>')
        parts.append(
            f'<p class="vd-contents"><b>{escape(text("dash_report_contents", lang))}:</b> '
            f"{' '.join(links)}</p>"
        )
    for source in sources:
        g = replace(f, source=source)
        views = data.views(g)
        if not single:
            parts.append(
                f'<h2 class="vd-part" id="{_anchor(source)}">'
                f"{escape(text('source_' + source, lang))}</h2>"
            )
        shown = views.estimate if estimating else None
        if shown is not None and shown.available:
            _sub, guide = h.estimate_guide(shown, data.title, lang, documents=_d_of(data, source))
            parts.append(f'<div class="vd-guide">{guide}</div>')
        elif views.codings.empty:
            parts.append(f'<div class="vd-empty">{escape(text("empty", lang))}</div>')
            continue
        parts.append(_Part(data, g, single=single).render())
    if beside:
        parts.append(_beside(data, replace(f, by=est.BESIDE, source=str(Source.INTERVIEWS))))
    parts.append(f"</div>{OPEN_LINKED}</body></html>")
    return "\n".join(parts)


def _d_of(data: DashboardData, source: str) -> int:
    return data.source_size(source)[0]


def _beside(data: DashboardData, f: Filters) -> str:
    """The section "Interviews beside the survey": each category and its themes, the
    interviews' people's codings beside the survey's estimate; a bar links to its quotes in
    its source's part."""
    lang = f.lang
    view = data.views(f).estimate
    if view is None or not view.available:
        return ""
    labels = data.labels(lang)
    names = {k: v for k, (v, _c) in labels.items()}
    _sub, guide = h.estimate_guide(view, data.title, lang)
    out = [
        f'<h2 class="vd-part" id="beside">{escape(text("est_by_beside", lang))}</h2>',
        f'<div class="vd-guide">{guide}</div>',
    ]

    def chart(rows: pd.DataFrame, title: str, *where: str) -> str:
        codes = list(dict.fromkeys(str(c) for c in rows["code"]))[:MAX_THEMES]
        groups = list(view.groups)

        def link(trace: int, point: int) -> str | None:
            # the traces go in reversed (the first group on top), the bars bottom-up
            group = groups[len(groups) - 1 - trace]
            index = len(codes) - 1 - point
            return _anchor(group, "q", *where, codes[index]) if 0 <= index < len(codes) else None

        return svg_figure(est.chart(rows, view, lang), links=link, title=title)

    overview = est.overview_rows(
        view, {n: text(n, lang) for n in view.categories}, {c: k for c, (_v, k) in labels.items()}
    )
    body = f'<p class="vd-lead">{escape(text("est_overview_lead", lang))}</p>'
    if not overview.empty:
        body += chart(overview, text("overview", lang))
    body += h.estimate_caption(view, lang)
    out.append(f'<section class="vd-section" id="beside-overview">{body}</section>')
    for name, entry in view.categories.items():
        rows = entry.themes if not entry.themes.empty else entry.total
        if rows.empty:
            continue
        body = chart(rows, text(name, lang), name) + h.estimate_caption(view, lang)
        body += h.estimate_notes(
            view, lang, names, codes=[str(c) for c in rows["code"]], missing=entry.missing
        )
        out.append(
            f'<section class="vd-section" id="beside-{name}">'
            f"{h.section_head(name, lang)}{body}</section>"
        )
    return "".join(out)


def write_report(
    path: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    lang: str = "",
    layer: str = "",
    source: str = "",
) -> Path:
    """Open the study in ``path`` read-only and write its report to ``out`` (``lang``: the
    study's language unless named; ``layer``: the best available unless named,
    ``"estimate"`` for the model's estimate; ``source``: every source, one part each, unless
    named)."""
    with open_project(Path(path), read_only=True) as project:
        data = DashboardData(project)
        if layer == Layer.ESTIMATE and data.estimate_reason:
            raise UnknownItem(f"{path}: no estimate layer: {data.estimate_reason}")
        if layer and layer not in data.layers():
            raise UnknownItem(
                f"{path}: no coder layer {layer!r} (choose from {', '.join(data.layers())})"
            )
        if source and source not in data.sources():
            raise UnknownItem(
                f"{path}: no {source!r} in this study (it has {', '.join(data.sources())})"
            )
        lang = lang or data.study_language
        html = render_report(data, Filters(lang=lang, layer=layer, source=source))
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
