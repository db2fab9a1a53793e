"""The report's charts as inline SVG: the dashboard's figures drawn without plotly.js.

The figures of :mod:`._figures` are horizontal bar charts (one series, groups side by side, or
Grönroos's diverging chart; estimates with their intervals as whiskers, hatched where the model
could not tell a code apart); drawing them here keeps the static report small (no 1–5 MB of
JavaScript), printable, and readable without scripts.  Each bar can link to the quotes behind
it (``links``), and carries its numbers as a tooltip.  Text from the study arrives made
:func:`~._figures.plain` (entities, no tags) and stays text.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape
from typing import Any

from workbench.dashboards._figures import FONT, Figure

WIDTH = 880
ROW = 30
GROUP_ROW = 17
PAD = 8
CHAR = 7.2  # an average character's width at 14 px, for laying out labels
MAX_LABEL = 300

#: ``links(trace, point)`` → the id of the element holding that bar's quotes, or ``None``.
Links = Callable[[int, int], str | None]
#: White stripes over a bar (plotly's ``marker.pattern`` shape ``/``); every chart defines the
#: same pattern, so the id may repeat in a page.
HATCH = (
    '<defs><pattern id="vd-hatch" width="7" height="7" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="2.2" height="7" fill="white"/></pattern></defs>'
)
WHISKER = "#1f2933"
HATCH_SHAPE = "/"


def _number(value: Any) -> float | None:
    """A bar's value, or ``None`` where a trace has no bar (a group without the code)."""
    if value is None:
        return None
    number = float(value)
    return None if number != number else number


def _at(values: Any, i: int) -> Any:
    """``values[i]`` of a per-bar list, or ``values`` itself when it is one value."""
    return values[i] if isinstance(values, list) else values


def _lines(label: Any) -> list[str]:
    """A label's lines (the figures break long labels with ``<br>``); already escaped."""
    return str(label).split("<br>")


def _nice_step(top: float) -> float:
    """A round tick step giving about four to six ticks up to ``top``."""
    if top <= 0:
        return 1.0
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw))
    for step in (1, 2, 2.5, 5, 10):
        if raw <= step * power:
            return step * power
    return 10 * power


def _fmt(value: float, suffix: str = "") -> str:
    return f"{value:g}{suffix}"


def svg_figure(fig: Figure, *, links: Links | None = None, title: str = "") -> str:
    """``fig`` (a horizontal bar chart of :mod:`._figures`) as an ``<svg>`` element.

    ``links`` makes each bar a link to the element holding its quotes; ``title`` is the
    chart's accessible name."""
    data = [t for t in fig.get("data", []) if t.get("type") == "bar"]
    if not data:
        return ""
    layout = fig.get("layout", {})
    xaxis = layout.get("xaxis", {})
    grouped = layout.get("barmode") == "group" and len(data) > 1
    first_y = data[0]["y"]
    nested = bool(first_y) and isinstance(first_y[0], list | tuple)
    kinds: list[str] = list(first_y[0]) if nested else []
    labels = list(first_y[1]) if nested else list(first_y)
    # plotly draws the first category at the bottom: the figures list them bottom-up.
    order = list(range(len(labels)))[::-1]
    n_series = len(data) if grouped else 1
    base_row = GROUP_ROW * n_series + 12 if grouped else ROW
    label_lines = [_lines(lab) for lab in labels]
    # A row is as tall as its label's lines need (16 px a line), at least one bar's row.
    heights = [max(base_row, 16 * len(label_lines[i]) + 8) for i in order]
    tops = [sum(heights[:k]) for k in range(len(heights))]
    longest = max((len(line) for lines in label_lines for line in lines), default=4)
    kind_width = (max((len(k) for k in kinds), default=0) * CHAR + 16) if nested else 0
    left = min(MAX_LABEL, longest * CHAR + 14) + kind_width
    right = 70
    legend = 26 if layout.get("showlegend") and len(data) > 1 else 0
    top_pad = legend + 6
    plot_h = sum(heights)
    height = top_pad + plot_h + 28
    xs = [x for t in data for x in (_number(v) for v in t["x"]) if x is not None]
    lo, hi = xaxis.get("range") or [min(0.0, *xs), max(1.0, *xs)]
    lo, hi = float(lo), float(hi)
    span = hi - lo or 1.0
    plot_w = WIDTH - left - right

    def px(x: float) -> float:
        return left + (x - lo) / span * plot_w

    parts: list[str] = [
        f'<svg class="vd-svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="{escape(FONT)}" font-size="14">',
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    if any(
        HATCH_SHAPE in (t.get("marker", {}).get("pattern", {}).get("shape") or []) for t in data
    ):
        parts.append(HATCH)
    # grid and ticks
    suffix = str(xaxis.get("ticksuffix", ""))
    if xaxis.get("tickvals"):
        ticks = [
            (float(v), str(t)) for v, t in zip(xaxis["tickvals"], xaxis["ticktext"], strict=False)
        ]
    else:
        step = float(xaxis.get("dtick") or _nice_step(hi))
        ticks = []
        v = 0.0
        while v <= hi + 1e-9:
            ticks.append((v, _fmt(v, suffix)))
            v += step
    for value, shown in ticks:
        if lo - 1e-9 <= value <= hi + 1e-9:
            x = px(value)
            stroke = "#9ca3af" if value == 0 else "#e5e7eb"
            parts.append(
                f'<line x1="{x:.1f}" y1="{top_pad}" x2="{x:.1f}" y2="{top_pad + plot_h}" '
                f'stroke="{stroke}"/>'
                f'<text x="{x:.1f}" y="{top_pad + plot_h + 18}" text-anchor="middle" '
                f'fill="#475569" font-size="12">{escape(shown)}</text>'
            )
    # legend
    if legend:
        x = left
        reversed_ = layout.get("legend", {}).get("traceorder") == "reversed"
        for trace in data[::-1] if reversed_ else data:
            name = str(trace.get("name", ""))
            color = trace.get("marker", {}).get("color", "#4C78A8")
            parts.append(
                f'<rect x="{x}" y="6" width="12" height="12" fill="{escape(str(color))}"/>'
                f'<text x="{x + 17}" y="17" fill="#1f2933">{name}</text>'
            )
            x += 17 + len(name) * CHAR + 22
    # rows: labels, bars
    previous_kind = None
    for slot, i in enumerate(order):
        y0 = top_pad + tops[slot]
        row = heights[slot]
        lines = label_lines[i]
        middle = y0 + row / 2
        for k, line in enumerate(lines):
            dy = (k - (len(lines) - 1) / 2) * 16 + 5
            parts.append(
                f'<text x="{left - 8}" y="{middle + dy:.1f}" text-anchor="end" '
                f'fill="#1f2933">{line}</text>'
            )
        if nested:
            kind = kinds[i]
            if kind != previous_kind:
                parts.append(
                    f'<line x1="4" y1="{y0}" x2="{left - 4}" y2="{y0}" stroke="#cbd5e1"/>'
                    f'<text x="6" y="{middle + 5:.1f}" fill="#475569">{escape(str(kind))}</text>'
                )
                previous_kind = kind
        for s, trace in enumerate(data):
            found = _number(trace["x"][i])
            if found is None:
                continue
            value = found
            bar_h: float
            by: float
            if grouped:
                bar_h = GROUP_ROW - 3
                # as plotly: a group's first trace at the bottom
                slot_in_group = n_series - 1 - s
                by = y0 + (row - n_series * GROUP_ROW) / 2 + slot_in_group * GROUP_ROW
            else:
                bar_h = base_row * 0.62
                by = y0 + (row - bar_h) / 2
            x0, x1 = sorted((px(0.0 if lo <= 0 <= hi else lo), px(value)))
            colors = trace.get("marker", {}).get("color", "#4C78A8")
            color = colors[i] if isinstance(colors, list) else colors
            shown = ""
            texts = trace.get("text")
            if isinstance(texts, list) and i < len(texts):
                shown = str(texts[i])
            name = str(trace.get("name", ""))
            tip = " · ".join(p for p in (lines[0] if not nested else labels[i], name, shown) if p)
            bar = (
                f'<rect x="{x0:.1f}" y="{by:.1f}" width="{max(x1 - x0, 0):.1f}" '
                f'height="{bar_h:.1f}" fill="{escape(str(color))}"><title>{tip}</title></rect>'
            )
            shape = trace.get("marker", {}).get("pattern", {}).get("shape")
            if shape and _at(shape, i) == HATCH_SHAPE:
                bar += (
                    f'<rect x="{x0:.1f}" y="{by:.1f}" width="{max(x1 - x0, 0):.1f}" '
                    f'height="{bar_h:.1f}" fill="url(#vd-hatch)" '
                    'pointer-events="none"/>'
                )
            target = links(s, i) if links else None
            if target:
                bar = f'<a href="#{escape(target)}" class="vd-bar">{bar}</a>'
            parts.append(bar)
            whisker = trace.get("error_x")
            end = x1
            if whisker:
                plus = float(_at(whisker.get("array", 0.0), i) or 0.0)
                minus = float(_at(whisker.get("arrayminus", 0.0), i) or 0.0)
                if plus or minus:
                    w0, w1 = px(value - minus), px(value + plus)
                    mid = by + bar_h / 2
                    cap = min(bar_h / 2, 5)
                    parts.append(
                        f'<path d="M{w0:.1f},{mid:.1f}H{w1:.1f}M{w0:.1f},{mid - cap:.1f}'
                        f'V{mid + cap:.1f}M{w1:.1f},{mid - cap:.1f}V{mid + cap:.1f}" '
                        f'stroke="{WHISKER}" stroke-width="1.5" fill="none"/>'
                    )
                    end = max(x1, w1)
            if shown and (value != 0 or whisker):
                outside = end + 5 if value >= 0 else x0 - 5
                anchor = "start" if value >= 0 else "end"
                size = ' font-size="12"' if grouped else ""
                parts.append(
                    f'<text x="{outside:.1f}" y="{by + bar_h / 2 + 5:.1f}" text-anchor="{anchor}"'
                    f'{size} fill="#1f2933">{escape(shown)}</text>'
                )
    parts.append("</svg>")
    return "".join(parts)
