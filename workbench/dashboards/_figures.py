"""Plotly figures drawn from analysis frames; shared by the live dashboard and the report.

Every bar carries ``customdata`` naming what it counts (a code, and a valence for quality),
so a click can open the quotes behind it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from workbench.dashboards._i18n import text, value_name

FONT = "Source Sans Pro, Segoe UI, Helvetica Neue, Arial, sans-serif"
PALETTE = ["#4C78A8", "#F58518", "#54A24B", "#B279A2", "#E45756", "#72B7B2", "#9D755D"]
POSITIVE = "#1B9E77"
NEGATIVE = "#D95F02"
MAX_THEMES = 10


def _layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 20, "t": 10, "b": 30},
        font={"family": FONT, "size": 14, "color": "#1f2933"},
        plot_bgcolor="white",
        paper_bgcolor="white",
        bargap=0.3,
        hoverlabel={"font": {"family": FONT}},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        clickmode="event",
        dragmode=False,
    )
    fig.update_xaxes(gridcolor="#e5e7eb", zerolinecolor="#9ca3af", fixedrange=True)
    fig.update_yaxes(fixedrange=True, automargin=True)
    return fig


def _wrap(label: str, width: int = 28) -> str:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)


def bars_figure(
    frame: pd.DataFrame,
    *,
    key: str,
    lang: str,
    by: str | None = None,
    total: int | None = None,
) -> go.Figure:
    """Horizontal bars of ``participants`` per row of ``frame`` (columns ``key``, label, color,
    participants; with ``by`` also ``{by}={value}`` columns), largest on top."""
    frame = frame.head(MAX_THEMES).iloc[::-1]
    labels = [_wrap(str(x)) for x in frame["label"]]
    people = text("people", lang)
    fig = go.Figure()
    split = [c for c in frame.columns if by and c.startswith(f"{by}=")]
    if split:
        for i, column in enumerate(split):
            value = column.split("=", 1)[1]
            fig.add_trace(
                go.Bar(
                    x=frame[column].astype(int).tolist(),
                    y=labels,
                    orientation="h",
                    name=value_name(value, lang),
                    marker_color=PALETTE[i % len(PALETTE)],
                    customdata=[[k, by, value] for k in frame[key]],
                    hovertemplate=f"%{{y}}: %{{x}} {people}<extra>%{{fullData.name}}</extra>",
                )
            )
        fig.update_layout(barmode="group", showlegend=True)
    else:
        share = [f" ({n / total:.0%})" if total else "" for n in frame["participants"].astype(int)]
        fig.add_trace(
            go.Bar(
                x=frame["participants"].astype(int).tolist(),
                y=labels,
                orientation="h",
                marker_color=list(frame["color"].fillna(PALETTE[0])),
                customdata=[[k, "", ""] for k in frame[key]],
                text=[f"{int(n)}{s}" for n, s in zip(frame["participants"], share, strict=True)],
                textposition="outside",
                cliponaxis=False,
                hovertemplate=f"%{{y}}: %{{x}} {people}<extra></extra>",
                showlegend=False,
            )
        )
    top = max([int(frame[c].max()) for c in (split or ["participants"])] + [1])
    # Room on the right for the "3 (75%)" labels outside the bars.
    fig.update_xaxes(title_text=text("people", lang), range=[0, top * 1.22], dtick=_dtick(top))
    return _layout(fig, int(90 + 44 * max(len(frame), 1) * (1 + (len(split) > 1) * 0.6)))


def _dtick(top: int) -> int | None:
    return 1 if top <= 8 else None


def quality_figure(
    quality: pd.DataFrame, *, lang: str, colors: tuple[str, str] = (NEGATIVE, POSITIVE)
) -> go.Figure:
    """Grönroos's model as a diverging bar chart: negative (left) and positive (right)
    experiences per dimension, grouped technical / functional / image; ``colors``: the
    negative and positive colours (the codebook's valence colours)."""
    order = {"technical": 0, "functional": 1, "image": 2}
    frame = quality.assign(rank=quality["kind"].map(order)).reset_index(drop=True)
    frame = frame.iloc[::-1]  # plotly draws the first category at the bottom
    groups = [text(k, lang) for k in frame["kind"]]
    names = [str(x) for x in frame["label"]]
    y = [groups, names]
    hover_neg = f"%{{y}}<br>{text('negative', lang)}: %{{customdata[2]}}<extra></extra>"
    hover_pos = f"%{{y}}<br>{text('positive', lang)}: %{{x}}<extra></extra>"
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=(-frame["negative"]).astype(int).tolist(),
            y=y,
            orientation="h",
            name=text("negative", lang),
            marker_color=colors[0],
            customdata=[
                [c, "negative", int(n)]
                for c, n in zip(frame["code"], frame["negative"], strict=True)
            ],
            text=[str(int(n)) if n else "" for n in frame["negative"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=hover_neg,
        )
    )
    fig.add_trace(
        go.Bar(
            x=frame["positive"].astype(int).tolist(),
            y=y,
            orientation="h",
            name=text("positive", lang),
            marker_color=colors[1],
            customdata=[
                [c, "positive", int(n)]
                for c, n in zip(frame["code"], frame["positive"], strict=True)
            ],
            text=[str(int(n)) if n else "" for n in frame["positive"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=hover_pos,
        )
    )
    top = int(max(frame["negative"].max(), frame["positive"].max(), 1)) if len(frame) else 1
    ticks = _symmetric_ticks(top)
    fig.update_layout(barmode="relative", showlegend=True)
    fig.update_xaxes(
        range=[-top * 1.25, top * 1.25],
        tickvals=ticks,
        ticktext=[str(abs(t)) for t in ticks],
        title_text=text("passages", lang),
    )
    fig.update_yaxes(tickson="boundaries")
    return _layout(fig, 120 + 34 * max(len(frame), 1))


def _symmetric_ticks(top: int) -> list[int]:
    step = max(1, round(top / 4))
    right = list(range(0, top + 1, step))
    return sorted({-t for t in right} | set(right))


def figure_json(fig: go.Figure) -> dict[str, Any]:
    """The figure as plain JSON (for tests)."""
    return fig.to_plotly_json()
