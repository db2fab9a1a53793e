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

from workbench.dashboards._estimate import percent
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


def group_name(value: object, size: int | None, lang: str) -> str:
    """A compared group as its legend says it: ``external (n=11)``."""
    name = value_name(value, lang)
    return f"{name} (n={size})" if size is not None else name


def bars_figure(
    frame: pd.DataFrame,
    *,
    key: str,
    lang: str,
    by: str | None = None,
    total: int | None = None,
    group_colors: Mapping[str, str] | None = None,
    group_sizes: Mapping[str, int] | None = None,
    source: str = "",
) -> Figure:
    """Horizontal bars of ``participants`` per row of ``frame`` (columns ``key``, label, color,
    participants; with ``by`` also ``{by}={value}`` columns), largest on top.

    One series: people per bar, labelled ``7 (44%)`` (the share of ``total``).  Groups
    compared (``by``): one bar per group, its length the share of the group's people
    (``group_sizes``) who raised it, labelled ``45% (5)``, the legend naming each group with
    its size; ``group_colors`` keeps each group's colour the same in every chart."""
    frame = frame.head(MAX_THEMES).iloc[::-1]
    labels = [_wrap(str(x)) for x in frame["label"]]
    people = text("people_survey" if source == "survey" else "people", lang)
    keys = [str(k) for k in frame[key]]
    split = [c for c in frame.columns if by and str(c).startswith(f"{by}=")]
    data: list[dict[str, Any]] = []
    extra: dict[str, Any] = {"showlegend": False}
    xaxis: dict[str, Any]
    if split:
        sizes = group_sizes or {}
        top_share = 0.0
        for i, column in enumerate(split):
            value = str(column).split("=", 1)[1]
            color = (group_colors or {}).get(value, PALETTE[i % len(PALETTE)])
            counts = _ints(frame[column])
            size = sizes.get(value)
            shares = [100 * n / size if size else 0.0 for n in counts]
            top_share = max([top_share, *shares])
            name = plain(group_name(value, size, lang))
            data.append(
                {
                    "type": "bar",
                    "orientation": "h",
                    "x": [round(x, 1) for x in shares],
                    "y": labels,
                    "name": name,
                    "marker": {"color": color},
                    "customdata": [[k, by, value, n] for k, n in zip(keys, counts, strict=True)],
                    "text": [
                        f"{percent(x / 100, lang)} ({n})"
                        for x, n in zip(shares, counts, strict=True)
                    ],
                    "textposition": "outside",
                    "cliponaxis": False,
                    "hovertemplate": (
                        f"%{{y}}<br>{name}: %{{customdata[3]}} {people} (%{{x:.0f}}%)"
                        "<extra></extra>"
                    ),
                }
            )
        # plotly puts a group's first bar at the bottom: the traces go in reversed, so the
        # first group is on top, and the legend reads in the groups' own order.
        data.reverse()
        extra = {
            "barmode": "group",
            "showlegend": True,
            "legend": {"traceorder": "reversed"},
        }
        # Room on the right for the "45% (5)" labels outside the bars.
        xaxis = {"range": [0, max(top_share, 1.0) * 1.3], "ticksuffix": "%"}
        rows = max(len(frame), 1) * (0.55 + 0.45 * len(split))
    else:
        counts = _ints(frame["participants"])
        share = [f" ({percent(n / total, lang)})" if total else "" for n in counts]
        of = [
            text("people_of_survey" if source == "survey" else "people_of", lang, n=n, total=total)
            if total
            else f"{n} {people}"
            for n in counts
        ]
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "x": counts,
                "y": labels,
                "marker": {"color": [str(c) for c in frame["color"].fillna(PALETTE[0])]},
                "customdata": [[k, "", "", o] for k, o in zip(keys, of, strict=True)],
                "text": [f"{n}{s}" for n, s in zip(counts, share, strict=True)],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertemplate": "%{y}: %{customdata[3]}<extra></extra>",
                "showlegend": False,
            }
        )
        top = max(counts + [1])
        # Room on the right for the "3 (75%)" labels outside the bars.
        xaxis = {"range": [0, top * 1.25]}
        if top <= 8:
            xaxis["dtick"] = 1
        rows = max(len(frame), 1)
    # No axis title (it collided with the ticks): the headline and hover say what is counted.
    return {"data": data, "layout": _layout(int(90 + 44 * rows), xaxis=xaxis, **extra)}


def quality_figure(
    quality: pd.DataFrame,
    *,
    lang: str,
    colors: tuple[str, str] = (NEGATIVE, POSITIVE),
    about: Mapping[str, str] | None = None,
) -> Figure:
    """Grönroos's model as a diverging bar chart: negative (left) and positive (right)
    experiences per dimension, grouped technical / functional / image; ``colors``: the
    negative and positive colours (the codebook's valence colours); ``about``: per dimension,
    the themes its negative experiences are about (shown when hovering a negative bar)."""
    order = {"technical": 0, "functional": 1, "image": 2}
    frame = quality.assign(rank=quality["kind"].map(order)).reset_index(drop=True)
    frame = frame.iloc[::-1]  # plotly draws the first category at the bottom
    y = [[text(k, lang) for k in frame["kind"]], [plain(x) for x in frame["label"]]]
    codes = [str(c) for c in frame["code"]]
    negative, positive = _ints(frame["negative"]), _ints(frame["positive"])
    data = []
    notes = [plain(about.get(c, "")) if about else "" for c in codes]
    for name, counts, sign, color in (
        ("negative", negative, -1, colors[0]),
        ("positive", positive, 1, colors[1]),
    ):
        label = text(name, lang)
        told = notes if name == "negative" else [""] * len(codes)
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "x": [sign * n for n in counts],
                "y": y,
                "name": label,
                "marker": {"color": color},
                "customdata": [
                    [c, name, n, f"<br>{t}" if t else ""]
                    for c, n, t in zip(codes, counts, told, strict=True)
                ],
                "text": [str(n) if n else "" for n in counts],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertemplate": (
                    f"%{{y}}<br>{label}: %{{customdata[2]}} {text('passages', lang)}"
                    "%{customdata[3]}<extra></extra>"
                ),
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


#: Bars whose share is the coded items' (the model could not tell the code apart) are hatched.
HATCH = "/"
WHISKER = "#1f2933"


def _known(value: Any) -> float | None:
    """A number, or ``None`` for a missing one (NaN, ``None``)."""
    if value is None:
        return None
    number = float(value)
    return None if number != number else number


def _percent_ticks(top: float) -> list[float]:
    """Round tick values (percent) from 0 to at most ``top`` (and never past 100)."""
    top = min(top, 100.0)
    step = next((s for s in (1, 2, 5, 10, 20, 25) if top / s <= 6), 25)
    return [float(v) for v in range(0, int(top) + 1, step)]


def estimate_figure(
    frame: pd.DataFrame,
    *,
    groups: Mapping[str, tuple[str, str]] | None = None,
    by: str = "",
) -> Figure:
    """Horizontal bars of estimated shares (percent) with their 95 % intervals as whiskers
    (``error_x``), the largest on top.

    ``frame`` has one row per bar: code, label, color, estimate, ci_low, ci_high (NaN: no
    interval, e.g. people's codings), method, ``text`` (the label beside the bar) and
    ``hover``; with ``groups`` (group → legend name, colour) a ``group`` column puts each
    group's bars side by side, in the groups' order (``by``: what the groups are, for the
    bars' customdata ``[code, by, group, hover]``).  Bars whose ``method`` is ``"coded"``
    are hatched.  The label of each bar is drawn after its whisker (a text trace: plotly's
    own bar text would sit on the whisker); the bars carry it too, for the report's SVG."""
    codes = list(dict.fromkeys(str(c) for c in frame["code"]))[:MAX_THEMES]
    frame = frame[frame["code"].astype(str).isin(codes)]
    first = frame.drop_duplicates("code").set_index("code")
    shown = codes[::-1]  # plotly draws the first category at the bottom
    y = [_wrap(str(first.at[c, "label"])) for c in shown]
    series = list(groups or {"": ("", "")})
    data: list[dict[str, Any]] = []
    labels: list[dict[str, Any]] = []
    keys: list[dict[str, Any]] = []  # the legend's entries, with groups
    top = 0.0
    for i, group in enumerate(series):
        rows = frame if groups is None else frame[frame["group"].astype(str) == group]
        rows = rows.drop_duplicates("code").set_index("code").reindex(shown)
        est = [_known(v) for v in rows["estimate"]]
        low = [_known(v) for v in rows["ci_low"]]
        high = [_known(v) for v in rows["ci_high"]]
        x = [None if v is None else round(100 * v, 2) for v in est]
        plus = [
            0.0 if v is None or hi is None else round(100 * (hi - v), 2)
            for v, hi in zip(est, high, strict=True)
        ]
        minus = [
            0.0 if v is None or lo is None else round(100 * (v - lo), 2)
            for v, lo in zip(est, low, strict=True)
        ]
        ends = [100 * max(v or 0.0, hi or 0.0) for v, hi in zip(est, high, strict=True)]
        top = max([top, *ends])
        texts = ["" if pd.isna(t) else str(t) for t in rows["text"]]
        hovers = ["" if pd.isna(t) else str(t) for t in rows["hover"]]
        custom = [[c, by if groups else "", group, hv] for c, hv in zip(shown, hovers, strict=True)]
        name, color = (groups or {}).get(group, ("", ""))
        colors = (
            [PALETTE[0] if pd.isna(c) else str(c) for c in rows["color"]]
            if groups is None
            else color or PALETTE[i % len(PALETTE)]
        )
        trace: dict[str, Any] = {
            "type": "bar",
            "orientation": "h",
            "x": x,
            "y": y,
            "marker": {
                "color": colors,
                "pattern": {
                    "shape": [HATCH if m == "coded" else "" for m in rows["method"]],
                    # White stripes over the bar's colour (plotly's default replaces it).
                    "fillmode": "overlay",
                    "fgcolor": "white",
                    "size": 7,
                    "solidity": 0.3,
                },
            },
            "customdata": custom,
            "text": texts,
            "textposition": "none",
            "hovertemplate": "%{customdata[3]}<extra></extra>",
            "showlegend": groups is not None,
        }
        if any(plus) or any(minus):
            trace["error_x"] = {
                "type": "data",
                "symmetric": False,
                "array": plus,
                "arrayminus": minus,
                "color": WHISKER,
                "thickness": 1.5,
                "width": 5,
            }
        if groups is not None:
            trace["name"] = plain(name)
            trace["offsetgroup"] = str(i)
            # plotly's legend draws a bar trace with the first bar's hatching: a plain
            # square of the group's colour names the group instead.
            trace["showlegend"] = False
            trace["legendgroup"] = str(i)
            keys.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "x": [None],
                    "y": [None],
                    "name": plain(name),
                    "legendgroup": str(i),
                    "marker": {"symbol": "square", "size": 12, "color": color or colors},
                    "hoverinfo": "skip",
                    "showlegend": True,
                }
            )
        data.append(trace)
        labels.append(
            {
                "type": "scatter",
                "mode": "text",
                "orientation": "h",
                "x": [round(e, 2) for e in ends],
                "y": y,
                "text": [f"  {t}" for t in texts],
                "textposition": "middle right",
                "textfont": {"size": 13 if groups else 14, "color": "#1f2933"},
                "customdata": custom,
                "hovertemplate": "%{customdata[3]}<extra></extra>",
                "showlegend": False,
                "cliponaxis": False,
                **({"offsetgroup": str(i)} if groups is not None else {}),
            }
        )
    extra: dict[str, Any] = {"showlegend": groups is not None}
    if groups is not None:
        # As bars_figure: the first group on top, the legend in the groups' order.
        data.reverse()
        labels.reverse()
        keys.reverse()
        extra.update(
            barmode="group",
            scattermode="group",
            legend={"traceorder": "reversed"},
        )
    n = len(series)
    rows_height = max(len(shown), 1) * (1.0 if n == 1 else 0.55 + 0.45 * n)
    # Room on the right for "7% (3–14%)" after the longest whisker.
    right = max(top, 1.0) * 1.35 + 2
    ticks = _percent_ticks(max(top, 1.0) * 1.1)
    xaxis = {
        "range": [0, right],
        "tickvals": ticks,
        "ticktext": [f"{t:g}%" for t in ticks],
    }
    return {
        "data": [*data, *labels, *keys],
        "layout": _layout(int(90 + 44 * rows_height), xaxis=xaxis, **extra),
    }
