"""HTML fragments (escaped text only) shared by the live dashboard and the static report."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

import pandas as pd

from workbench.analysis._frames import EVERYDAY
from workbench.i18n import attribute_name, text, value_name

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
details summary { cursor: pointer; color: #1d4ed8; }
"""

QUOTE_LIMIT = 50
#: Participants listed in the per-participant tables; more is a wall of text, not a view
#: (the filters narrow the selection, the Quotes section has everything).
TABLE_ROWS = 25
#: Quotes folded under "+N more" in a table cell.
FOLDED = 4


def style() -> str:
    """The stylesheet as a ``<style>`` element."""
    return f"<style>{CSS}</style>"


def header(title: str, participants: int, documents: int, study: str, lang: str) -> str:
    """The title bar and the reading guide."""
    sub = text(
        "subtitle", lang, participants=participants, documents=documents, study=escape(study)
    )
    return (
        f'<div class="vd-header"><h1>{escape(title)}</h1><div class="vd-sub">{sub}</div></div>'
        f'<div class="vd-guide">{text("guide", lang)}</div>'
    )


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


def quote_list(
    frame: pd.DataFrame,
    lang: str,
    *,
    title: str = "",
    people: pd.DataFrame | None = None,
    limit: int = QUOTE_LIMIT,
) -> str:
    """Quotes as cards, each with the participant's pseudonym and attributes."""
    head = f"<h4>{escape(title)}</h4>" if title else ""
    if frame.empty:
        return (
            f'<div class="vd-quotes">{head}<p class="vd-hint">{text("quotes_none", lang)}</p></div>'
        )
    cards = []
    for row in frame.head(limit).itertuples(index=False):
        participant = str(row.participant)
        attrs = (
            people.loc[participant] if people is not None and participant in people.index else None
        )
        cards.append(
            f'<div class="vd-quote"><q>{escape(str(row.quote))}</q>'
            f'<div class="vd-who">{who(participant, attrs, lang)}</div></div>'
        )
    more = (
        f'<p class="vd-hint">+{len(frame) - limit} {text("more", lang)}</p>'
        if len(frame) > limit
        else ""
    )
    return f'<div class="vd-quotes">{head}{"".join(cards)}{more}</div>'


def quote_cards(quotes: Iterable[dict[str, object]], people: pd.DataFrame, lang: str) -> str:
    """Representative quotes (dicts with participant and quote)."""
    rows = list(quotes)
    if not rows:
        return ""
    frame = pd.DataFrame(rows)
    body = quote_list(frame, lang, people=people)
    return f"<h3>{escape(text('representative', lang))}</h3>{body}"


def headline(n: int, total: int, lang: str) -> str:
    """``4 of 6 participants`` in bold, above a chart."""
    return f'<p class="vd-headline">{escape(text("people_of", lang, n=n, total=total))}</p>'


def kpis(items: Sequence[tuple[str, str]]) -> str:
    """Key figures as boxes: ``(number, caption)``."""
    return "".join(f'<span class="vd-kpi"><b>{escape(n)}</b>{escape(c)}</span>' for n, c in items)


def where_to_start(priorities: pd.DataFrame, total: int, lang: str) -> str:
    """The dimensions most participants experienced negatively, as a numbered list."""
    if priorities.empty:
        body = f"<p>{escape(text('start_none', lang))}</p>"
    else:
        items = "".join(
            "<li>"
            + escape(
                text("start_item", lang, label=r.label, n=int(r.negative_participants), total=total)
            )
            + "</li>"
            for r in priorities.itertuples()
        )
        body = f"<p>{escape(text('start_lead', lang))}</p><ol>{items}</ol>"
    return f'<div class="vd-start"><h3>{escape(text("start", lang))}</h3>{body}</div>'


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


def gap_pairs(pairs: pd.DataFrame, people: pd.DataFrame, lang: str) -> str:
    """Each participant's information gaps beside the sources they mention (two of each
    shown, the rest folded)."""
    if pairs.empty:
        return f'<p class="vd-hint">{text("quotes_none", lang)}</p>'
    rows = []
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
    return (
        f"<h3>{escape(text('gap_pairs', lang))}</h3>"
        f'<table class="vd-table">{head}{"".join(rows)}</table>{_more_rows(len(pairs), lang)}'
    )


def _more_rows(n: int, lang: str) -> str:
    if n <= TABLE_ROWS:
        return ""
    return f'<p class="vd-hint">{escape(text("more_rows", lang, shown=TABLE_ROWS, n=n))}</p>'


def everyday_table(everyday: pd.DataFrame, people: pd.DataFrame, lang: str) -> str:
    """Participants × what / how / why / goal / solutions, first quote shown, rest folded."""
    if everyday.empty:
        return f'<p class="vd-hint">{text("quotes_none", lang)}</p>'
    head = f'<th style="width:15%">{escape(text("participant", lang))}</th>' + "".join(
        f"<th>{escape(text(c, lang))}</th>" for c in EVERYDAY
    )
    rows = []
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
    return table + _more_rows(len(everyday), lang)


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
