"""Plotly figures drawn from analysis frames; shared by the live dashboard and the report.

Figures are plain plotly JSON (``{"data": [...], "layout": {...}}``): building
``plotly.graph_objects`` figures validates every property, which cost more than all the
analysis on a filter change.  Every bar carries ``customdata`` naming what it counts (a code,
and a group or valence), so a click can open the quotes behind it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from workbench.i18n import text, value_name

Figure = dict[str, Any]

FONT = "Source Sans Pro, Segoe UI, Helvetica Neue, Arial, sans-serif"
PALETTE = ["#4C78A8", "#F58518", "#54A24B", "#B279A2", "#E45756", "#72B7B2", "#9D755D"]
POSITIVE = "#1B9E77"
NEGATIVE = "#D95F02"
MAX_THEMES = 10


def _layout(height: int, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "height": height,
        "margin": {"l": 10, "r": 20, "t": 10, "b": 30},
        "font": {"family": FONT, "size": 14, "color": "#1f2933"},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "bargap": 0.3,
        "hoverlabel": {"font": {"family": FONT}},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        "clickmode": "event",
        "dragmode": False,
        "xaxis": {
            "gridcolor": "#e5e7eb",
            "zerolinecolor": "#9ca3af",
            "fixedrange": True,
        },
        "yaxis": {"fixedrange": True, "automargin": True},
    }
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(layout.get(key), dict):
            layout[key] = {**layout[key], **value}
        else:
            layout[key] = value
    return layout


def plain(value: object) -> str:
    """Text from the study (a code label, a group) as plotly shows it: plotly reads tags such
    as ``<a href>`` in any chart text, so ``<``, ``>`` and ``&`` become entities, shown as
    they are typed and never followed."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _wrap(label: str, width: int = 28) -> str:
    """A label broken into lines of about ``width`` characters (its text made :func:`plain`)."""
    words, lines, line = plain(label).split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)


def _ints(values: Any) -> list[int]:
    return [int(v) for v in values]


def bars_figure(
    frame: pd.DataFrame,
    *,
    key: str,
    lang: str,
    by: str | None = None,
    total: int | None = None,
    group_colors: Mapping[str, str] | None = None,
) -> Figure:
    """Horizontal bars of ``participants`` per row of ``frame`` (columns ``key``, label, color,
    participants; with ``by`` also ``{by}={value}`` columns), largest on top; ``group_colors``
    keeps each group's colour the same in every chart."""
    frame = frame.head(MAX_THEMES).iloc[::-1]
    labels = [_wrap(str(x)) for x in frame["label"]]
    people = text("people", lang)
    keys = [str(k) for k in frame[key]]
    split = [c for c in frame.columns if by and str(c).startswith(f"{by}=")]
    data: list[dict[str, Any]] = []
    extra: dict[str, Any] = {"showlegend": False}
    if split:
        for i, column in enumerate(split):
            value = str(column).split("=", 1)[1]
            color = (group_colors or {}).get(value, PALETTE[i % len(PALETTE)])
            data.append(
                {
                    "type": "bar",
                    "orientation": "h",
                    "x": _ints(frame[column]),
                    "y": labels,
                    "name": plain(value_name(value, lang)),
                    "marker": {"color": color},
                    "customdata": [[k, by, value] for k in keys],
                    "hovertemplate": f"%{{y}}: %{{x}} {people}<extra>%{{fullData.name}}</extra>",
                }
            )
        extra = {"barmode": "group", "showlegend": True}
    else:
        counts = _ints(frame["participants"])
        share = [f" ({n / total:.0%})" if total else "" for n in counts]
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "x": counts,
                "y": labels,
                "marker": {"color": [str(c) for c in frame["color"].fillna(PALETTE[0])]},
                "customdata": [[k, "", ""] for k in keys],
                "text": [f"{n}{s}" for n, s in zip(counts, share, strict=True)],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertemplate": f"%{{y}}: %{{x}} {people}<extra></extra>",
                "showlegend": False,
            }
        )
    top = max([max(_ints(frame[c]), default=0) for c in (split or ["participants"])] + [1])
    rows = max(len(frame), 1) * (1.6 if len(split) > 1 else 1.0)
    # Room on the right for the "3 (75%)" labels outside the bars.
    # No axis title (it collided with the ticks): the headline and hover say "participants".
    xaxis: dict[str, Any] = {"range": [0, top * 1.22]}
    if top <= 8:
        xaxis["dtick"] = 1
    return {"data": data, "layout": _layout(int(90 + 44 * rows), xaxis=xaxis, **extra)}


def quality_figure(
    quality: pd.DataFrame, *, lang: str, colors: tuple[str, str] = (NEGATIVE, POSITIVE)
) -> Figure:
    """Grönroos's model as a diverging bar chart: negative (left) and positive (right)
    experiences per dimension, grouped technical / functional / image; ``colors``: the
    negative and positive colours (the codebook's valence colours)."""
    order = {"technical": 0, "functional": 1, "image": 2}
    frame = quality.assign(rank=quality["kind"].map(order)).reset_index(drop=True)
    frame = frame.iloc[::-1]  # plotly draws the first category at the bottom
    y = [[text(k, lang) for k in frame["kind"]], [plain(x) for x in frame["label"]]]
    codes = [str(c) for c in frame["code"]]
    negative, positive = _ints(frame["negative"]), _ints(frame["positive"])
    data = []
    for name, counts, sign, color in (
        ("negative", negative, -1, colors[0]),
        ("positive", positive, 1, colors[1]),
    ):
        label = text(name, lang)
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "x": [sign * n for n in counts],
                "y": y,
                "name": label,
                "marker": {"color": color},
                "customdata": [[c, name, n] for c, n in zip(codes, counts, strict=True)],
                "text": [str(n) if n else "" for n in counts],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertemplate": f"%{{y}}<br>{label}: %{{customdata[2]}}<extra></extra>",
            }
        )
    top = max(negative + positive + [1])
    ticks = _symmetric_ticks(top)
    xaxis = {
        "range": [-top * 1.25, top * 1.25],
        "tickvals": ticks,
        "ticktext": [str(abs(t)) for t in ticks],
    }
    layout = _layout(
        120 + 34 * max(len(frame), 1),
        barmode="relative",
        showlegend=True,
        xaxis=xaxis,
        yaxis={"tickson": "boundaries"},
    )
    return {"data": data, "layout": layout}


def _symmetric_ticks(top: int) -> list[int]:
    step = max(1, round(top / 4))
    right = list(range(0, top + 1, step))
    return sorted({-t for t in right} | set(right))
