"""HTML fragments (escaped text only) shared by the live dashboard and the static report."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import TYPE_CHECKING, Any

import pandas as pd

from workbench.analysis._frames import EVERYDAY
from workbench.dashboards import _estimate as est
from workbench.dashboards._figures import group_name
from workbench.dashboards._findings import Category, Priority, Quote, natural
from workbench.i18n import STRINGS, attribute_name, text, value_name

if TYPE_CHECKING:
    from workbench.dashboards._model import Views

CSS = """
.vd-root, .vd-root * { font-family: "Source Sans Pro", "Segoe UI", "Helvetica Neue", Arial,
  sans-serif; }
.vd-root { color: #1f2933; max-width: 1100px; margin: 0 auto; font-size: 15px;
  line-height: 1.5; }
.vd-header { background: #17324d; color: white; padding: 22px 28px; border-radius: 6px; }
.vd-header h1 { margin: 0 0 4px 0; font-size: 28px; font-weight: 600; color: white; }
.vd-header .vd-sub { color: #cbd5e1; font-size: 15px; }
.vd-guide { background: #f1f5f9; border-left: 4px solid #17324d; padding: 12px 16px;
  margin: 14px 0; border-radius: 4px; }
.vd-section { margin-top: 26px; }
.vd-section h2 { font-size: 22px; font-weight: 600; border-bottom: 2px solid #e5e7eb;
  padding-bottom: 4px; margin: 0 0 6px 0; }
.vd-section h3 { font-size: 17px; font-weight: 600; margin: 12px 0 4px 0; }
.vd-lead { color: #475569; margin: 0 0 8px 0; }
.vd-headline { font-size: 17px; font-weight: 600; margin: 4px 0; }
.vd-kpi { display: inline-block; background: #f8fafc; border: 1px solid #e2e8f0;
  border-radius: 6px; padding: 8px 14px; margin: 0 8px 8px 0; }
.vd-kpi b { font-size: 22px; display: block; }
.vd-start { background: #fff7ed; border: 1px solid #fed7aa; border-radius: 6px;
  padding: 10px 16px; }
.vd-start ol { margin: 6px 0 0 0; }
.vd-quotes { border: 1px solid #e2e8f0; border-radius: 6px; padding: 8px 14px;
  background: #fcfcfd; max-height: 420px; overflow-y: auto; }
.vd-quotes h4 { margin: 4px 0 8px 0; font-size: 15px; }
.vd-quote { margin: 0 0 10px 0; padding: 6px 12px; border-left: 3px solid #94a3b8; }
.vd-quote q { font-style: italic; quotes: "“" "”"; }
.vd-who { color: #64748b; font-size: 13px; margin-top: 2px; }
.vd-hint { color: #64748b; font-style: italic; }
.vd-table { border-collapse: collapse; width: 100%; font-size: 14px; }
.vd-table th { text-align: left; background: #f1f5f9; padding: 6px 8px;
  border-bottom: 2px solid #cbd5e1; }
.vd-table td { vertical-align: top; padding: 6px 8px; border-bottom: 1px solid #e5e7eb;
  line-height: 1.4; }
.vd-table ul { margin: 0; padding-left: 18px; }
.vd-table li { margin-bottom: 4px; }
.vd-pair { margin-bottom: 10px; }
.vd-pair .vd-src { color: #065f46; }
.vd-pair .vd-nosrc { color: #9a3412; font-style: italic; }
.vd-message { background: #fef2f2; border: 1px solid #fecaca; color: #7f1d1d;
  padding: 14px 18px; border-radius: 6px; font-size: 16px; }
.vd-empty { background: #f8fafc; border: 1px dashed #cbd5e1; padding: 12px 16px;
  border-radius: 6px; color: #475569; }
.vd-filters { background: #f8fafc; border: 1px solid #e2e8f0; border-radius: 6px;
  padding: 6px 10px; }
.vd-coding { color: #475569; font-size: 13px; margin-top: 6px; }
.vd-tag { display: inline-block; background: #eef2ff; color: #3730a3; border-radius: 10px;
  padding: 0 8px; font-size: 12px; font-weight: normal; margin-left: 4px; }
.vd-figures { color: #334155; font-size: 14px; }
.vd-start li { margin-bottom: 10px; }
.vd-start .vd-quote { margin: 4px 0 0 0; }
.vd-cols { display: flex; gap: 16px; flex-wrap: wrap; }
.vd-col { flex: 1 1 260px; min-width: 240px; }
.vd-col h4 { margin: 6px 0; font-size: 15px; }
.vd-col ol { padding-left: 20px; }
.vd-n { color: #64748b; }
.vd-fold > summary { font-weight: 600; margin: 8px 0; }
.vd-root button.vd-fold-button { background: none; border: none; box-shadow: none;
  color: #1d4ed8; font-weight: 600; padding: 0; margin: 8px 0; width: auto; height: auto;
  text-align: left; cursor: pointer; }
.vd-root button.vd-fold-button:hover { text-decoration: underline; }
details summary { cursor: pointer; color: #1d4ed8; }
.vd-quote.vd-model { border-left: 3px dashed #7c3aed; background: #faf8ff; }
.vd-model-badge { display: inline-block; background: #ede9fe; color: #4c1d95;
  border: 1px solid #c4b5fd; border-radius: 10px; padding: 0 8px; font-size: 12px;
  font-weight: 600; margin-left: 6px; white-space: nowrap; }
.vd-model-quotes { margin-top: 10px; border-color: #ddd6fe; }
.vd-model-quotes h4 { color: #4c1d95; }
.vd-caption { color: #334155; font-size: 14px; margin: 0 0 4px 0; }
.vd-caption b { font-weight: 600; }
.vd-est-notes { color: #475569; font-size: 13px; margin: 0 0 8px 0; }
.vd-est-notes p { margin: 2px 0; }
.vd-people-only { color: #475569; font-size: 14px; background: #f8fafc;
  border-left: 3px solid #94a3b8; padding: 4px 10px; margin: 4px 0 8px 0; }
"""

QUOTE_LIMIT = 50
#: Participants listed in the per-participant tables; more is a wall of text, not a view
#: (the filters narrow the selection, the Quotes section has everything).
TABLE_ROWS = 25
#: Quotes folded under "+N more" in a table cell.
FOLDED = 4


def number(n: int, lang: str) -> str:
    """``1,987`` in English, ``1 987`` in Swedish (a no-break space)."""
    shown = f"{int(n):,}"
    return shown.replace(",", "\u00a0") if lang == "sv" else shown


def style() -> str:
    """The stylesheet as a ``<style>`` element."""
    return f"<style>{CSS}</style>"


def header(
    title: str,
    participants: int,
    documents: int,
    study: str,
    lang: str,
    *,
    source: str = "interviews",
    answers: int = 0,
    guide: str | None = None,
    note: str = "",
    subtitle: str | None = None,
) -> str:
    """The title bar (who is counted: people interviewed, or survey answers coded of all
    answers; ``subtitle`` says it otherwise), the reading guide (HTML; default: the live
    dashboard's) and a line saying whose coding it is."""
    key = "dash_subtitle_survey" if source == "survey" else "subtitle"
    sub = text(
        key,
        lang,
        participants=number(participants, lang),
        documents=number(documents, lang),
        answers=number(answers, lang),
        study=escape(study),
    )
    sub = escape(subtitle) if subtitle is not None else sub
    coding = f'<div class="vd-coding">{escape(note)}</div>' if note else ""
    return (
        f'<div class="vd-header"><h1>{escape(title)}</h1><div class="vd-sub">{sub}</div></div>'
        f'<div class="vd-guide">{guide or text("guide", lang)}{coding}</div>'
    )


def _no_theme(n: int, lang: str) -> str:
    """``1 negative passage without a theme``, ``18 negative passages ...``."""
    key = "dash_no_theme_passage" if n == 1 else "dash_no_theme_passages"
    return text(key, lang, n=n)


def people_count(n: int, lang: str) -> str:
    """``1 person``, ``3 people``."""
    return text("dash_n_person", lang) if n == 1 else text("dash_n_people", lang, n=n)


def header_count(participants: int, answers: int, source: str, lang: str) -> str:
    """Who a view counts: ``16 people interviewed`` or ``260 coded answers (of 1,987 survey
    answers)``."""
    if source == "survey":
        return text(
            "dash_count_survey",
            lang,
            participants=number(participants, lang),
            answers=number(answers, lang),
        )
    return text("dash_count_interviews", lang, participants=number(participants, lang))


def section_head(key: str, lang: str, lead: str | None = None) -> str:
    """A section's heading and lead paragraph."""
    lead_html = f'<p class="vd-lead">{text(lead, lang)}</p>' if lead else ""
    return f"<h2>{escape(text(key, lang))}</h2>{lead_html}"


def who(participant: str, attrs: pd.Series | dict[str, object] | None, lang: str) -> str:
    """``P01 · owner · restaurant · external``: a pseudonym and attribute values."""
    parts = [escape(str(participant))]
    if attrs is not None:
        items = attrs.items() if isinstance(attrs, dict) else attrs.items()
        parts += [
            escape(value_name(v, lang))
            for k, v in items
            if isinstance(v, str) and v and k != "participant"
        ]
    return " · ".join(parts)


def _said_by(
    row: Any, lang: str, people: pd.DataFrame | None, tags: Mapping[str, str] | None
) -> str:
    """A quote card's byline: the participant (with their attributes from ``people``) and,
    with ``tags`` (theme code → label), the theme the quote counts for."""
    participant = str(row.participant)
    attrs = people.loc[participant] if people is not None and participant in people.index else None
    theme = str(getattr(row, "theme", "") or "")
    tag = f' <span class="vd-tag">{escape(tags[theme])}</span>' if tags and theme in tags else ""
    return who(participant, attrs, lang) + tag


def _more(frame: pd.DataFrame, limit: int, lang: str) -> str:
    """How many quotes beyond the first ``limit`` are not shown ("" when none)."""
    return (
        f'<p class="vd-hint">+{len(frame) - limit} {text("more", lang)}</p>'
        if len(frame) > limit
        else ""
    )


def quote_list(
    frame: pd.DataFrame,
    lang: str,
    *,
    title: str = "",
    people: pd.DataFrame | None = None,
    limit: int = QUOTE_LIMIT,
    tags: Mapping[str, str] | None = None,
) -> str:
    """Quotes as cards, each with the participant's pseudonym and attributes, and with
    ``tags`` (theme code → label) the theme a quote counts for."""
    head = f"<h4>{escape(title)}</h4>" if title else ""
    if frame.empty:
        return (
            f'<div class="vd-quotes">{head}<p class="vd-hint">{text("quotes_none", lang)}</p></div>'
        )
    cards = []
    for row in frame.head(limit).itertuples(index=False):
        said_by = _said_by(row, lang, people, tags)
        cards.append(
            f'<div class="vd-quote"><q>{escape(str(row.quote))}</q>'
            f'<div class="vd-who">{said_by}</div></div>'
        )
    more = _more(frame, limit, lang)
    return f'<div class="vd-quotes">{head}{"".join(cards)}{more}</div>'


def quote_cards(quotes: Iterable[Quote], people: pd.DataFrame, lang: str) -> str:
    """Representative quotes."""
    rows = [{"participant": q.participant, "quote": q.quote} for q in quotes]
    if not rows:
        return ""
    frame = pd.DataFrame(rows)
    body = quote_list(frame, lang, people=people)
    return f"<h3>{escape(text('representative', lang))}</h3>{body}"


def counted(key: str, source: str, lang: str, **values: object) -> str:
    """The string ``key``, naming the survey's people "respondents" where the catalogue has a
    survey form of it (``{key}_survey``): an interviewee is a participant, a survey's are
    respondents."""
    if source == "survey" and f"{key}_survey" in STRINGS["en"]:
        key = f"{key}_survey"
    return text(key, lang, **values)


def headline(n: int, total: int, lang: str) -> str:
    """``4 of 6 participants`` in bold, above a chart."""
    return f'<p class="vd-headline">{escape(text("people_of", lang, n=n, total=total))}</p>'


def kpis(items: Sequence[tuple[str, str]]) -> str:
    """Key figures as boxes: ``(number, caption)``."""
    return "".join(f'<span class="vd-kpi"><b>{escape(n)}</b>{escape(c)}</span>' for n, c in items)


def category_headline(entry: Category, total: int, lang: str, source: str = "") -> str:
    """``12 of 16 participants raised a need — 10 of them in one of the themes below`` (or,
    without developed themes, a hint that the research team can develop them); a survey's
    people are respondents."""
    head = counted(f"dash_raised_{entry.name}", source, lang, n=entry.participants, total=total)
    if entry.developed and entry.participants:
        rest = entry.participants - entry.themed
        if entry.themed:
            detail = text("dash_themed_of", lang, n=entry.themed)
            if rest:
                detail += " " + text("dash_unthemed", lang, n=rest)
        else:
            detail = text("dash_themed_none", lang)
        return f'<p class="vd-headline">{escape(head)}</p><p class="vd-lead">{escape(detail)}</p>'
    hint_html = "" if entry.developed else hint("dash_themes_develop", lang)
    return f'<p class="vd-headline">{escape(head)}</p>{hint_html}'


def _quote_line(quote: Quote | None, people: pd.DataFrame | None, lang: str) -> str:
    if quote is None:
        return ""
    attrs = (
        people.loc[quote.participant]
        if people is not None and quote.participant in people.index
        else None
    )
    return (
        f'<div class="vd-quote"><q>{escape(_short(quote.quote, 260))}</q>'
        f'<div class="vd-who">{who(quote.participant, attrs, lang)}</div></div>'
    )


def _priority_item(
    p: Priority, people: pd.DataFrame | None, lang: str, *, short: bool, source: str = ""
) -> str:
    kind = f'<span class="vd-tag">{escape(text("dash_kind_" + p.category, lang))}</span>'
    figures = counted("dash_start_theme", source, lang, n=p.participants, total=p.total)
    if not short:
        figures += " · " + text("dash_start_raised", lang, n=p.raised)
        if p.dimensions:
            figures += " · " + text("dash_start_about", lang, dims=", ".join(p.dimensions[:2]))
    return (
        f"<li><b>{escape(p.label)}</b> {kind}"
        f'<div class="vd-figures">{escape(figures)}</div>'
        f"{_quote_line(p.quote, people, lang)}</li>"
    )


def where_to_start(
    priorities: Sequence[Priority],
    dimensions: pd.DataFrame,
    total: int,
    lang: str,
    *,
    people: pd.DataFrame | None = None,
    themes: bool = True,
    negative: int = 0,
    source: str = "",
) -> str:
    """Where to start: the themes most people raised in a negative experience, each with one
    quote.  Without such themes, the quality dimensions most people experienced negatively,
    saying why (no themes developed yet, or none tied to a negative experience).  Without
    those either, ``negative`` (participants with a negative experience at all) tells "no
    negative experience" from "negative experiences not tied to a quality aspect yet"."""
    title = f"<h3>{escape(text('start', lang))}</h3>"
    if priorities:
        items = "".join(
            _priority_item(p, people, lang, short=False, source=source) for p in priorities
        )
        body = f"<p>{escape(text('dash_start_lead_themes', lang))}</p><ol>{items}</ol>"
        return f'<div class="vd-start">{title}{body}</div>'
    lead = "dash_start_lead_no_negative_theme" if themes else "dash_start_lead_no_themes"
    if dimensions.empty and negative:
        said = text("start_none_untied", lang, n=negative, total=total)
        body = f"<p>{escape(said)}</p>"
    elif dimensions.empty:
        body = f"<p>{escape(text('start_none', lang))}</p>"
    else:
        items = "".join(
            "<li>"
            + escape(
                counted(
                    "start_item",
                    source,
                    lang,
                    label=r.label,
                    n=int(r.negative_participants),
                    total=total,
                )
            )
            + "</li>"
            for r in dimensions.itertuples()
        )
        body = f"<p>{escape(text(lead, lang))}</p><ol>{items}</ol>"
    return f'<div class="vd-start">{title}{body}</div>'


def where_to_start_in(views: Views, lang: str, *, themes: bool = True) -> str:
    """:func:`where_to_start` for one filtered view of the data: its priorities, quality
    dimensions, participants (the total), people and negative experiences."""
    return where_to_start(
        views.priorities,
        views.dimension_priorities,
        views.participants,
        lang,
        people=views.people,
        themes=themes,
        negative=views.negative_participants,
        source=views.source,
    )


def where_to_start_by(
    priorities: Mapping[str, Sequence[Priority]],
    groups: Mapping[str, int],
    lang: str,
    *,
    people: pd.DataFrame | None = None,
) -> str:
    """ "Where to start" for each compared group, side by side (the group's size in its
    heading)."""
    columns = []
    for value, size in groups.items():
        found = priorities.get(value) or []
        if found:
            items = "".join(_priority_item(p, people, lang, short=True) for p in found)
            body = f"<ol>{items}</ol>"
        else:
            body = f'<p class="vd-hint">{escape(text("dash_start_none_group", lang))}</p>'
        columns.append(
            f'<div class="vd-col"><h4>{escape(group_name(value, size, lang))}</h4>{body}</div>'
        )
    return (
        f'<div class="vd-start"><h3>{escape(text("start", lang))}</h3>'
        f"<p>{escape(text('dash_start_lead_by', lang))}</p>"
        f'<div class="vd-cols">{"".join(columns)}</div></div>'
    )


def negative_about(themes: pd.DataFrame, lang: str) -> dict[str, str]:
    """Per quality dimension, the themes its negative passages are about, in one line
    (for the chart's hover)."""
    out: dict[str, str] = {}
    named = themes[themes["theme"] != ""] if not themes.empty else themes
    for code, frame in named.groupby("code", sort=False):
        listed = ", ".join(
            f"{r.label} ({people_count(int(r.participants), lang)})" for r in frame.itertuples()
        )
        out[str(code)] = text("dash_about", lang, what=listed)
    return out


def themes_of_segments(codings: pd.DataFrame, segments: pd.Series) -> list[str]:
    """The theme coded on each of ``segments`` (the first in codebook order; empty where
    none), to tag quotes of other codes with what they are about."""
    themed = codings[codings["theme"].notna() & codings["segment"].isin(segments)]
    first = themed.sort_values("order").drop_duplicates("segment").set_index("segment")["theme"]
    return [str(first.get(s, "")) for s in segments]


def quality_themes(themes: pd.DataFrame, quality: pd.DataFrame, lang: str) -> str:
    """What each dimension's negative experiences are about: the themes coded on those
    passages (people per theme), and how many passages have no theme."""
    if themes.empty:
        return ""
    labels = dict(zip(quality["code"], quality["label"], strict=False))
    rows = []
    for code in dict.fromkeys(quality["code"]):
        mine = themes[themes["code"] == code]
        if mine.empty:
            continue
        named = [
            f'{escape(r.label)} <span class="vd-n">({escape(people_count(int(r.participants), lang))})</span>'
            for r in mine[mine["theme"] != ""].itertuples()
        ]
        bare = mine[mine["theme"] == ""]
        rest = escape(_no_theme(int(bare["passages"].iloc[0]), lang)) if not bare.empty else ""
        what = "; ".join(named) if named else f'<span class="vd-hint">{rest}</span>'
        rest_cell = rest if named else ""
        rows.append(
            f"<tr><td><b>{escape(str(labels.get(code, code)))}</b></td><td>{what}</td>"
            f'<td class="vd-hint">{rest_cell}</td></tr>'
        )
    if not rows:
        return ""
    head = (
        f'<tr><th style="width:22%">{escape(text("dash_dimension", lang))}</th>'
        f"<th>{escape(text('dash_negative_about', lang))}</th>"
        f'<th style="width:22%"></th></tr>'
    )
    return (
        f"<h3>{escape(text('dash_quality_themes', lang))}</h3>"
        f'<table class="vd-table">{head}{"".join(rows)}</table>'
    )


def _folded(quotes: Sequence[str], lang: str, *, css: str = "", shown: int = 2) -> str:
    """The first ``shown`` quotes as list items, the rest folded under "+N more"."""
    cls = f' class="{css}"' if css else ""
    items = [f"<li{cls}><q>{escape(_short(q))}</q></li>" for q in quotes[:shown]]
    rest = "".join(f"<li{cls}><q>{escape(_short(q))}</q></li>" for q in quotes[shown:FOLDED])
    if rest:
        items.append(
            f"<li><details><summary>+{len(quotes) - shown} {escape(text('more', lang))}"
            f"</summary><ul>{rest}</ul></details></li>"
        )
    return "".join(items)


def fold_label(kind: str, n: int, lang: str, *, shown: bool = False) -> str:
    """The line that opens (or closes) a folded table: ``Who lacks information, and where
    they look — show the table (16 participants)``."""
    title = text("gap_pairs" if kind == "pairs" else "dash_everyday_table", lang)
    return f"{title} — {text('dash_hide_table' if shown else 'dash_show_table', lang, n=n)}"


def gap_pairs(pairs: pd.DataFrame, people: pd.DataFrame, lang: str, *, fold: bool = True) -> str:
    """Each participant's information gaps beside the sources they mention (two of each
    shown, the rest folded); the table folded under a line that opens it (``fold``) or not
    (the live dashboard folds it with a button)."""
    if pairs.empty:
        return f'<p class="vd-hint">{text("quotes_none", lang)}</p>'
    rows = []
    pairs = pairs.sort_values("participant", key=lambda c: c.map(natural))
    for r in pairs.head(TABLE_ROWS).itertuples(index=False):
        attrs = people.loc[r.participant] if r.participant in people.index else None
        gaps = _folded(list(r.gaps), lang)
        if r.sources:
            sources = _folded(list(r.sources), lang, css="vd-src")
        else:
            sources = f'<li class="vd-nosrc">{escape(text("no_source", lang))}</li>'
        rows.append(
            f"<tr><td><b>{who(r.participant, attrs, lang)}</b></td><td><ul>{gaps}</ul></td>"
            f"<td><ul>{sources}</ul></td></tr>"
        )
    head = (
        f'<tr><th style="width:18%">{escape(text("participant", lang))}</th>'
        f'<th style="width:41%">{escape(text("information_gaps", lang))}</th>'
        f'<th style="width:41%">{escape(text("information_sources", lang))}</th></tr>'
    )
    table = f'<table class="vd-table">{head}{"".join(rows)}</table>{_more_rows(len(pairs), lang)}'
    if not fold:
        return table
    summary = fold_label("pairs", len(pairs), lang)
    return f'<details class="vd-fold"><summary>{escape(summary)}</summary>{table}</details>'


def _more_rows(n: int, lang: str) -> str:
    if n <= TABLE_ROWS:
        return ""
    return f'<p class="vd-hint">{escape(text("more_rows", lang, shown=TABLE_ROWS, n=n))}</p>'


def everyday_table(
    everyday: pd.DataFrame, people: pd.DataFrame, lang: str, *, fold: bool = True
) -> str:
    """Participants × what / how / why / goal / solutions, first quote shown, rest folded;
    the table folded under a line that opens it (``fold``) or not."""
    if everyday.empty:
        return f'<p class="vd-hint">{text("quotes_none", lang)}</p>'
    head = f'<th style="width:15%">{escape(text("participant", lang))}</th>' + "".join(
        f"<th>{escape(text(c, lang))}</th>" for c in EVERYDAY
    )
    rows = []
    everyday = everyday.sort_values("participant", key=lambda c: c.map(natural))
    for r in everyday.head(TABLE_ROWS).to_dict("records"):
        participant = str(r["participant"])
        attrs = people.loc[participant] if participant in people.index else None
        cells = [f"<td><b>{who(participant, attrs, lang)}</b></td>"]
        for code in EVERYDAY:
            found = list(r.get(code) or [])
            if not found:
                cells.append("<td></td>")
                continue
            first = f"<q>{escape(_short(found[0]))}</q>"
            rest = "".join(f"<p><q>{escape(_short(q))}</q></p>" for q in found[1:FOLDED])
            if rest:
                first += (
                    f"<details><summary>+{len(found) - 1} {text('more', lang)}</summary>"
                    f"{rest}</details>"
                )
            cells.append(f"<td>{first}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    table = f'<table class="vd-table"><tr>{head}</tr>{"".join(rows)}</table>'
    table += _more_rows(len(everyday), lang)
    if not fold:
        return table
    summary = fold_label("everyday", len(everyday), lang)
    return f'<details class="vd-fold"><summary>{escape(summary)}</summary>{table}</details>'


def _short(quote: str, limit: int = 220) -> str:
    return quote if len(quote) <= limit else quote[: limit - 1].rsplit(" ", 1)[0] + " …"


def hint(key: str, lang: str) -> str:
    """A quiet line of help or of "nothing here" (a text key of :mod:`._i18n`)."""
    return f'<p class="vd-hint">{escape(text(key, lang))}</p>'


def message(text_: str, *, kind: str = "message") -> str:
    """A friendly box (``kind``: ``message`` for errors, ``empty`` for empty selections)."""
    return f'{style()}<div class="vd-root"><div class="vd-{kind}">{escape(text_)}</div></div>'


def attribute_label(name: str, lang: str) -> str:
    """A participant attribute's readable name."""
    return attribute_name(name, lang)


# -- the layer "Estimate (model + coders)" ----------------------------------------------------
def badge(probability: float, lang: str) -> str:
    """The mark on each of the model's quotes: ``model, 87%`` (Swedish ``modell, 87 %``)."""
    shown = text("est_badge", lang, probability=est.percent(probability, lang))
    title = escape(text("est_badge_title", lang))
    return f'<span class="vd-model-badge" title="{title}">{escape(shown)}</span>'


def threshold(lang: str) -> str:
    """The probability the model's quotes reach at least: ``50%`` (Swedish ``50 %``)."""
    return est.percent(est.THRESHOLD, lang)


def model_cards(
    frame: pd.DataFrame,
    lang: str,
    *,
    people: pd.DataFrame | None = None,
    limit: int = 20,
    tags: Mapping[str, str] | None = None,
) -> str:
    """The model's quotes (columns participant, quote, probability, optionally theme) as
    cards marked as the model's, each with its probability (and with ``tags``, theme code →
    label, the theme it counts for)."""
    cards = []
    for row in frame.head(limit).itertuples(index=False):
        said_by = _said_by(row, lang, people, tags)
        cards.append(
            f'<div class="vd-quote vd-model"><q>{escape(_short(str(row.quote), 400))}</q>'
            f'<div class="vd-who">{said_by}{badge(float(row.probability), lang)}</div></div>'
        )
    more = _more(frame, limit, lang)
    return "".join(cards) + more


def model_quotes(
    frame: pd.DataFrame,
    lang: str,
    *,
    what: str = "",
    people: pd.DataFrame | None = None,
    limit: int = 20,
    tags: Mapping[str, str] | None = None,
) -> str:
    """The model's suggestions in a box of their own, never among people's quotes: how many,
    for what, and the probability they reach at least."""
    at_least = threshold(lang)
    if frame.empty:
        none = text("est_quotes_model_none", lang, threshold=at_least)
        return f'<div class="vd-quotes vd-model-quotes"><p class="vd-hint">{escape(none)}</p></div>'
    if what:
        head = text("est_quotes_model_for", lang, n=len(frame), what=what, threshold=at_least)
    else:
        head = text("est_quotes_model", lang, threshold=at_least)
    cards = model_cards(frame, lang, people=people, limit=limit, tags=tags)
    return f'<div class="vd-quotes vd-model-quotes"><h4>{escape(head)}</h4>{cards}</div>'


def people_and_model(
    people_html: str,
    model: pd.DataFrame | None,
    lang: str,
    *,
    what: str = "",
    everyone: pd.DataFrame | None = None,
    tags: Mapping[str, str] | None = None,
) -> str:
    """People's quotes (their list, HTML) first, then the model's suggestions in a box of
    their own below (``model`` ``None``: people's only)."""
    if model is None:
        return people_html
    return people_html + model_quotes(model, lang, what=what, people=everyone, tags=tags)


def estimate_headline(entry: est.EstimateCategory, people: str, lang: str) -> str:
    """``An estimated 21% (16–28%) of 1,987 survey respondents lacked some information``
    (the category code's estimate; empty when the model does not estimate it)."""
    rows = entry.total
    if rows.empty or len(rows) != 1 or rows["method"].iloc[0] == est.PEOPLE:
        return ""
    row = rows.iloc[0]
    head = text(
        f"est_raised_{entry.name}",
        lang,
        share=est.share_label(row, lang),  # its interval, unless everyone here is known
        people=people,
    )
    return f'<p class="vd-headline">{escape(head)}</p>'


def estimate_caption(view: est.EstimateView, lang: str) -> str:
    """``Estimate: 260 answers coded by people, 1,727 estimated by the model`` (beside the
    survey: the interviews' coded passages too)."""
    if view.by == est.BESIDE:
        told = view.groups.get("interviews")
        line = text(
            "est_caption_beside",
            lang,
            interviews=est.segments_text(told.coded if told else 0, "interviews", lang),
            coded=est.segments_text(view.counts.coded, "survey", lang),
            estimated=number(view.counts.estimated, lang),
        )
    else:
        line = est.caption(view.counts, view.source, lang)
    # What a whisker is, where the reader looks (the guide above may be scrolled away).
    whisker = escape(text("est_whisker", lang))
    return f'<p class="vd-caption"><b>{escape(line)}</b><br>{whisker}</p>'


def estimate_notes(
    view: est.EstimateView,
    lang: str,
    labels: Mapping[str, str],
    *,
    codes: Sequence[str] | None = None,
    missing: Sequence[str] = (),
) -> str:
    """Plain notes under a chart: which of its bars (``codes``; default every code shown)
    are hatched because the model could not tell them apart, and which themes it does not
    estimate (``missing``)."""
    where = "survey" if view.by == est.BESIDE else view.source
    unit = text(f"est_unit_{est.unit(where)}", lang)
    fallback = [c for c in view.fallback() if codes is None or c in codes]
    notes = []
    if fallback:
        named = ", ".join(f"“{labels.get(c, c)}”" for c in fallback)
        notes.append(text("est_fallback", lang, labels=named, unit=unit))
    if missing:
        named = ", ".join(f"“{labels.get(c, c)}”" for c in missing)
        notes.append(text("est_missing", lang, labels=named))
    if not notes:
        return ""
    body = "".join(f"<p>{escape(n)}</p>" for n in notes)
    return f'<div class="vd-est-notes">{body}</div>'


def people_only(key: str, view: est.EstimateView, lang: str) -> str:
    """A line saying a part counts people's codings only (``key``: ``est_start_people`` or
    ``est_people_only``), with how many they coded."""
    coded = est.segments_text(view.counts.coded, view.source, lang)
    return f'<p class="vd-people-only">{escape(text(key, lang, coded=coded))}</p>'


def with_note(start: str, note: str) -> str:
    """ "Where to start" (:func:`where_to_start`) with ``note`` (HTML) under its heading."""
    head = "</h3>"
    return start.replace(head, head + note, 1) if head in start else note + start


def estimate_guide(
    view: est.EstimateView, study: str, lang: str, *, documents: int = 0
) -> tuple[str, str]:
    """The title bar's line and the reading guide (HTML) of an estimate: who is counted (all
    of a source's people; beside the survey, both sources'), how many were coded by people
    and how many estimated, and what a bar and its whisker mean."""
    if view.by == est.BESIDE:
        told, asked = view.groups["interviews"], view.groups["survey"]
        spoke = est.people_text(told.people, "interviews", lang)
        wrote = est.people_text(asked.people, "survey", lang)
        subtitle = text("est_subtitle_beside", lang, interviews=spoke, survey=wrote, study=study)
        return subtitle, text("est_guide_beside", lang, interviews=spoke, survey=wrote)
    people = est.people_text(view.counts.people, view.source, lang)
    coded = est.segments_text(view.counts.coded, view.source, lang)
    estimated = number(view.counts.estimated, lang)
    if view.source == "survey":
        subtitle = text(
            "est_subtitle_survey",
            lang,
            people=people,
            coded=coded,
            estimated=estimated,
            study=study,
        )
    else:
        subtitle = text(
            "subtitle",
            lang,
            participants=number(view.counts.people, lang),
            documents=number(documents, lang),
            study=study,
        )
    guide = text("est_guide", lang, people=people, coded=coded, estimated=estimated)
    return subtitle, guide
