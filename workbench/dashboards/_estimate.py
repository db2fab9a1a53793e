"""The layer "Estimate (model + coders)": how many of *all* the people of a source raised each
theme, from people's codings and the model's predictions together.

The numbers are :meth:`Project.prevalence` at the participant level: people's codings count
as they are, the model's estimate corrected for its errors (on what people coded) stands in
for the rest, with a 95 % bootstrap interval over participants (see
:mod:`workbench.project._predictions`).  This module turns those frames into what the
dashboard and the report draw.  Rules:

* **a theme's bar is its code's estimate**: the machine layer estimates codes, so a theme's
  sub-themes count for it only where people coded the theme too (as the demo's coders do);
* **filters map to** ``by=``: one attribute filter is one group of
  ``prevalence(by=attribute)``, comparing groups is ``by=`` itself.  Two filters, or a filter
  and a comparison on another attribute, are not one grouping: the view says so
  (:attr:`EstimateView.why_not`) and shows people's codings instead;
* **interviews beside the survey** (``Filters.by ==`` :data:`BESIDE`): the interviews'
  people's codings (their participants) beside the survey's estimate with its interval;
* **"Where to start" and the sections on quality and everyday processes count people's
  codings only**: the model estimates how common a code is, not which codes come together
  (a theme *with* a negative experience), and the views say so;
* **the model's quotes** are its predictions of at least :data:`THRESHOLD`, listed after
  people's quotes and never among them, each with its probability.

The frames here are pure pandas: :class:`~workbench.dashboards.DashboardData` reads the
project and caches one prevalence frame per (source, ``by``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

import pandas as pd

from workbench.i18n import STRINGS, text

if TYPE_CHECKING:
    from workbench.dashboards._findings import ThemeTree

#: ``Filters.by`` for interviews beside the survey (``source`` is never a participant
#: attribute in the dashboards: it is a column they derive).
BESIDE = "source"
#: The model's suggestions quoted are those of at least this probability (the suggester's
#: decision threshold, as ``workbench suggest precision`` counts them).
THRESHOLD = 0.5
#: The model's quotes shown per bar, and per section beside people's representative quotes.
MODEL_QUOTES = 20
MODEL_REPRESENTATIVE = 3
#: How a row's share was reached (the ``method`` column of ``Project.prevalence``): people's
#: codings only; the share among the coded items because the model could not tell the code
#: apart; and, beside the survey, the interviews' people's codings (no interval).
HUMAN, CODED, PEOPLE = "human", "coded", "people"
#: Columns of :attr:`EstimateCategory.themes` and :attr:`EstimateCategory.total`.
COLUMNS = [
    "group",
    "code",
    "label",
    "color",
    "order",
    "estimate",
    "ci_low",
    "ci_high",
    "n_human",
    "n_estimated",
    "method",
]


@dataclass(frozen=True)
class EstimateCounts:
    """Who an estimate covers: ``people`` (participants), and the segments (survey answers or
    interview passages) people coded and the model estimated."""

    people: int
    coded: int
    estimated: int
    #: Answers (or turns) that say nothing ("Vet inte", "-"), nobody coded: not estimated,
    #: and their people not counted (:func:`workbench.project._predictions.non_answer`).
    said_nothing: int = 0


@dataclass
class EstimateCategory:
    """One of Grönroos's categories estimated: ``total`` holds the category code's rows (one
    per group), ``themes`` its themes' rows (:data:`COLUMNS`), the largest first; ``missing``
    the themes the model does not estimate (too few coded examples to learn them)."""

    name: str
    code: str
    total: pd.DataFrame
    themes: pd.DataFrame
    missing: tuple[str, ...] = ()


@dataclass
class EstimateView:
    """The estimate of one filter state.

    ``counts`` covers the selection; with groups compared (or the sources side by side)
    ``groups`` holds each group's counts in order and every row of the categories carries
    its group.  ``why_not`` is the catalogue key saying why the filters cannot be estimated
    together (the categories are empty then); ``calibrated_on`` the source's own coded
    segments when they were too few to measure the model's errors on (every coded segment
    of the study was used instead).
    """

    source: str
    counts: EstimateCounts
    categories: dict[str, EstimateCategory] = field(default_factory=dict)
    groups: dict[str, EstimateCounts] = field(default_factory=dict)
    by: str = ""
    why_not: str = ""
    calibrated_on: int | None = None
    #: People in groups too small to show (small-cell suppression), left out of the groups.
    left_out: int = 0

    @property
    def available(self) -> bool:
        """Whether there is an estimate to draw (else ``why_not`` says why)."""
        return not self.why_not and bool(self.categories)

    def fallback(self) -> list[str]:
        """The codes shown whose share is the coded items' (the model could not tell them
        apart), in the order shown."""
        out: list[str] = []
        for entry in self.categories.values():
            for frame in (entry.total, entry.themes):
                for code in frame.loc[frame["method"] == CODED, "code"]:
                    if code not in out:
                        out.append(str(code))
        return out


@dataclass(frozen=True)
class Query:
    """How a filter state maps onto ``Project.prevalence``: grouped ``by`` an attribute (or
    not), keeping one group (a filter) or every group (a comparison); ``why_not`` when it
    cannot."""

    by: str | None = None
    keep: str | None = None
    why_not: str = ""


def query(criteria: Mapping[str, str | None], by: str) -> Query:
    """The prevalence grouping for filter ``criteria`` (column → value, ``None``: all) and a
    comparison ``by`` (``""``: none; :data:`BESIDE`: the sources side by side)."""
    set_ = {k: v for k, v in criteria.items() if v}
    if by == BESIDE:
        return Query(why_not="est_beside_filters") if set_ else Query()
    if len(set_) > 1 or (set_ and by and by not in set_):
        return Query(why_not="est_one_at_a_time")
    if set_:
        (column, value), *_ = set_.items()
        return Query(by=column, keep=str(value))
    return Query(by=by or None)


def segment_counts(segments: pd.DataFrame) -> EstimateCounts:
    """:class:`EstimateCounts` of codable segments (columns participant, coded and,
    optionally, ``said``: False for an answer that says nothing)."""
    coded = segments["coded"].astype(bool)
    said = segments["said"].astype(bool) if "said" in segments else pd.Series(True, segments.index)
    counted = segments[coded | said]
    n_coded = int(coded.sum())
    return EstimateCounts(
        int(counted["participant"].nunique()),
        n_coded,
        len(counted) - n_coded,
        int((~coded & ~said).sum()),
    )


def _rows(
    frame: pd.DataFrame,
    codes: Sequence[str],
    labels: Mapping[str, tuple[str, str]],
    order: Mapping[str, int],
    group: pd.Series | str,
) -> pd.DataFrame:
    """The rows of ``frame`` (a prevalence frame) for ``codes``, as :data:`COLUMNS`."""
    mine = frame[frame["code"].isin(list(codes))]
    out = pd.DataFrame(
        {
            "group": group if isinstance(group, str) else group.loc[mine.index].astype(str),
            "code": mine["code"].astype(str),
            "label": [labels.get(c, (c, ""))[0] for c in mine["code"]],
            "color": [labels.get(c, (c, "#888888"))[1] for c in mine["code"]],
            "order": [order.get(c, 0) for c in mine["code"]],
            "estimate": mine["estimate"].astype(float),
            "ci_low": mine["ci_low"].astype(float),
            "ci_high": mine["ci_high"].astype(float),
            "n_human": mine["n_human"].astype(int),
            "n_estimated": mine["n_estimated"].astype(int),
            "method": mine["method"].astype(str),
        },
        index=mine.index,
    )
    return out.reset_index(drop=True)


def _ranked(rows: pd.DataFrame, weights: Mapping[str, int] | None = None) -> pd.DataFrame:
    """Themes the largest first: by estimate, or with groups by the groups' estimates weighted
    by their people (the whole selection's share); ties in codebook order.  Rows of one theme
    stay together, in the groups' order."""
    if rows.empty:
        return rows
    weight = rows["group"].map(weights or {}).fillna(1).astype(float)
    share = (rows["estimate"] * weight).groupby(rows["code"]).sum() / weight.groupby(
        rows["code"]
    ).sum()
    rank = rows["code"].map(share)
    groups = list(weights or {})
    position = rows["group"].map({g: i for i, g in enumerate(groups)}).fillna(0)
    ranked = rows.assign(_rank=-rank, _pos=position).sort_values(
        ["_rank", "order", "code", "_pos"], kind="stable"
    )
    return ranked.drop(columns=["_rank", "_pos"]).reset_index(drop=True)


def categories(
    frame: pd.DataFrame,
    tree: ThemeTree,
    labels: Mapping[str, tuple[str, str]],
    *,
    group: pd.Series | str = "",
    weights: Mapping[str, int] | None = None,
) -> dict[str, EstimateCategory]:
    """Each category of ``tree`` estimated from ``frame`` (``Project.prevalence`` rows, one
    group's or several, ``group`` naming each row's)."""
    out = {}
    for name, code in tree.categories.items():
        themes = tree.themes.get(code, ())
        estimated = set(frame["code"].astype(str))
        out[name] = EstimateCategory(
            name=name,
            code=code,
            total=_rows(frame, [code], labels, tree.order, group),
            themes=_ranked(_rows(frame, themes, labels, tree.order, group), weights),
            missing=tuple(t for t in themes if t not in estimated),
        )
    return out


def people_rows(
    themes: pd.DataFrame,
    total: int,
    category: str,
    participants: int,
    labels: Mapping[str, tuple[str, str]],
    order: Mapping[str, int],
    group: str,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """People's codings as estimate rows (method :data:`PEOPLE`): a category's themes
    (``themes``: the theme counts of :func:`~._findings.category`) and the category itself
    (``participants`` of ``total``), each with the 95 % Wilson interval for ``n`` of
    ``total`` people, so that 2 of 16 interviewees do not look surer than an estimate."""
    from workbench.suggest import wilson_interval

    def row(code: str, n: int) -> dict[str, object]:
        share = n / total if total else 0.0
        low, high = wilson_interval(n, total) if total else (math.nan, math.nan)
        return {
            "group": group,
            "code": code,
            "label": labels.get(code, (code, ""))[0],
            "color": labels.get(code, (code, "#888888"))[1],
            "order": order.get(code, 0),
            "estimate": share,
            "ci_low": low,
            "ci_high": high,
            "n_human": total,
            "n_estimated": 0,
            "method": PEOPLE,
        }

    listed = pd.DataFrame(
        [row(str(t), int(n)) for t, n in zip(themes["theme"], themes["participants"], strict=True)],
        columns=COLUMNS,
    )
    return listed, pd.DataFrame([row(category, participants)], columns=COLUMNS)


def _stack(*frames: pd.DataFrame) -> pd.DataFrame:
    """``frames`` one below the other (:data:`COLUMNS`; empty ones left out)."""
    found = [f for f in frames if not f.empty]
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=COLUMNS)


def beside(
    interviews: Mapping[str, tuple[pd.DataFrame, pd.DataFrame]],
    survey: Mapping[str, EstimateCategory],
    order: Sequence[str],
) -> dict[str, EstimateCategory]:
    """The interviews' people's codings (per category: theme rows and the category's row,
    :func:`people_rows`) beside the survey's estimate, theme by theme: the themes most
    interviewees raised first (then the survey's largest), each theme's rows in the groups'
    ``order``."""
    out = {}
    empty = pd.DataFrame(columns=COLUMNS)
    for name, entry in survey.items():
        themes, total = interviews.get(name, (empty, empty))
        if not total.empty and not entry.themes.empty:
            # A theme no interviewee raised: 0 % beside the survey's bar, said, not blank.
            unsaid = entry.themes[~entry.themes["code"].isin(set(themes["code"]))]
            unsaid = unsaid.drop_duplicates("code").assign(
                group=str(total["group"].iloc[0]),
                estimate=0.0,
                ci_low=math.nan,
                ci_high=math.nan,
                n_human=int(total["n_human"].iloc[0]),
                n_estimated=0,
                method=PEOPLE,
            )
            themes = _stack(themes, unsaid[COLUMNS])
        both = _stack(themes, entry.themes)
        if not both.empty:
            people = themes.set_index("code")["estimate"] if not themes.empty else {}
            estimate = entry.themes.set_index("code")["estimate"] if len(entry.themes) else {}
            both = both.assign(
                _first=-both["code"].map(people).fillna(0.0).astype(float),
                _then=-both["code"].map(estimate).fillna(0.0).astype(float),
                _pos=both["group"].map({g: i for i, g in enumerate(order)}),
            ).sort_values(["_first", "_then", "order", "code", "_pos"], kind="stable")
            both = both.drop(columns=["_first", "_then", "_pos"]).reset_index(drop=True)
        out[name] = EstimateCategory(
            name=name,
            code=entry.code,
            total=_stack(total, entry.total),
            themes=both,
            missing=entry.missing,
        )
    return out


# -- words ----------------------------------------------------------------------------------
def _decimal(shown: str, lang: str) -> str:
    """``shown`` with the language's decimal mark (Swedish: ``0,4%``)."""
    return shown.replace(".", ",") if lang == "sv" else shown


def _sign(lang: str) -> str:
    """The percent sign as the language writes it: ``7%``, Swedish ``7 %`` (a no-break
    space: Språkrådet's rule), one style on every page."""
    return "\u00a0%" if lang == "sv" else "%"


def half_up(value: float, digits: int = 0) -> str:
    """``value`` rounded half up to ``digits`` decimals, as people round (``12.5`` → ``13``;
    Python's own formatting rounds the binary value half to even: ``12%`` for 2 of 16)."""
    step = Decimal(1).scaleb(-digits)
    return str(Decimal(repr(round(float(value), 9))).quantize(step, rounding=ROUND_HALF_UP))


def percent(share: float, lang: str = "en") -> str:
    """A share as the bars say it: ``7%``; below one percent with a decimal (``0.4%``);
    halves rounded up (2 of 16: ``13%``)."""
    if share != share:  # NaN
        return "–"
    if 0 < share < 0.0095:
        return _decimal(half_up(100 * share, 1), lang) + _sign(lang)
    return half_up(100 * share) + _sign(lang)


def _fine(share: float, lang: str) -> str:
    """A share with one decimal (``1.6%``; a whole number without it: ``0%``)."""
    shown = half_up(100 * share, 1)
    return _decimal(shown[:-2] if shown.endswith(".0") else shown, lang) + _sign(lang)


def shares(share: float, low: float, high: float, lang: str = "en") -> tuple[str, str, str]:
    """An estimate and its interval as the labels say them: whole percents, or with one
    decimal where whole percents would say two different numbers alike (``2% (0–2%)``
    reads as no uncertainty: ``1.6% (0–2.4%)``)."""
    values = [share, low, high]
    shown = [percent(v, lang) for v in values]
    clash = any(
        shown[i] == shown[j] and abs(values[i] - values[j]) > 1e-9
        for i in range(3)
        for j in range(i + 1, 3)
    )
    if clash and all(v == v for v in values):
        shown = [_fine(v, lang) for v in values]
    return shown[0], shown[1], shown[2]


def interval(low: float, high: float, share: float | None = None, lang: str = "en") -> str:
    """``3–14%`` (the 95 % interval; with ``share``, in the precision its label uses)."""
    _s, lo, hi = shares(low if share is None else share, low, high, lang)
    return f"{_bare(lo)}–{hi}"


def _bare(shown: str) -> str:
    """A percent without its sign (the first of a range: ``3–14%``)."""
    return shown.removesuffix("%").removesuffix("\u00a0")


def share_label(row: pd.Series | Mapping[str, object], lang: str = "en") -> str:
    """A bar's label: ``7% (3–14%)``; without an interval (people's codings) or with one
    that is a single value (everybody coded): ``44%``."""
    share = float(row["estimate"])  # type: ignore[arg-type]
    low, high = float(row["ci_low"]), float(row["ci_high"])  # type: ignore[arg-type]
    if low != low or high != high:
        return percent(share, lang)
    mid, lo, hi = shares(share, low, high, lang)
    if lo == hi == mid:
        return mid
    return f"{mid} ({_bare(lo)}–{hi})"


def number(n: int, lang: str) -> str:
    """``1,987`` in English, ``1 987`` in Swedish (a no-break space)."""
    shown = f"{int(n):,}"
    return shown.replace(",", "\u00a0") if lang == "sv" else shown


def unit(source: str) -> str:
    """What a source's segments are called: ``answers`` (a survey) or ``passages``."""
    return "answers" if source == "survey" else "passages"


def segments_text(n: int, source: str, lang: str) -> str:
    """``260 answers``, ``1 passage``."""
    kind = unit(source)
    if n == 1:
        return text(f"est_n_{kind[:-1]}", lang)
    return text(f"est_n_{kind}", lang, n=number(n, lang))


def people_text(n: int, source: str, lang: str) -> str:
    """``1,987 survey respondents`` or ``16 people interviewed``."""
    return text(f"est_people_{source}", lang, n=number(n, lang))


def caption(counts: EstimateCounts, source: str, lang: str) -> str:
    """``Estimate: 260 answers coded by people, 1,727 estimated by the model`` (and how many
    said nothing and were not estimated)."""
    out = text(
        "est_caption",
        lang,
        coded=segments_text(counts.coded, source, lang),
        estimated=number(counts.estimated, lang),
    )
    if counts.said_nothing:
        out += text("est_caption_nothing", lang, n=number(counts.said_nothing, lang))
    return out


def how(method: str, source: str, lang: str) -> str:
    """How a row's share was reached, in plain words (``method`` of ``Project.prevalence``)."""
    key = f"est_how_{method}"
    if key not in STRINGS["en"]:  # a method without words of its own
        return method
    return text(key, lang, unit=text(f"est_unit_{unit(source)}", lang))


def group_name(group: str, counts: EstimateCounts, by: str, lang: str) -> str:
    """A compared group as the legend names it: ``external (n=1,966)``; beside the survey,
    ``Interviews: people's codings (n=16)`` and ``Survey: estimate (n=1,987)``."""
    from workbench.i18n import value_name

    if by == BESIDE:
        return text(f"est_beside_{group}", lang, n=number(counts.people, lang))
    return f"{value_name(group, lang)} (n={number(counts.people, lang)})"


def drawn(
    frame: pd.DataFrame,
    lang: str,
    *,
    source: str,
    by: str = "",
    groups: Mapping[str, EstimateCounts] | None = None,
) -> pd.DataFrame:
    """``frame`` (:data:`COLUMNS`) with the ``text`` beside each bar and its ``hover``: the
    share, its interval, how many are known from people's codings and how many estimated,
    and how the share was reached, in plain words (text from the study made plain)."""
    from workbench.dashboards._figures import plain

    texts, hovers = [], []
    for row in frame.to_dict("records"):
        group = str(row["group"])
        where = group if by == BESIDE else source
        name = f"<br>{plain(group_name(group, groups[group], by, lang))}" if groups else ""
        label = plain(row["label"])
        texts.append(share_label(row, lang))
        if row["method"] == PEOPLE:
            total = int(row["n_human"])
            hovers.append(
                text(
                    "est_hover_people",
                    lang,
                    label=label,
                    group=name,
                    n=number(round(float(row["estimate"]) * total), lang),
                    total=number(total, lang),
                    share=percent(float(row["estimate"]), lang),
                )
            )
            continue
        share, low, high = (float(row[k]) for k in ("estimate", "ci_low", "ci_high"))
        hovers.append(
            text(
                "est_hover",
                lang,
                label=label,
                group=name,
                share=shares(share, low, high, lang)[0],
                interval=interval(low, high, share, lang),
                human=number(int(row["n_human"]), lang),
                estimated=number(int(row["n_estimated"]), lang),
                how=how(str(row["method"]), where, lang),
            )
        )
    return frame.assign(text=texts, hover=hovers)


def group_styles(view: EstimateView, lang: str) -> dict[str, tuple[str, str]] | None:
    """Legend name and colour of each compared group (beside the survey: the interviews in
    orange, the survey in the dashboards' blue), or ``None`` without groups."""
    from workbench.dashboards._figures import PALETTE

    if not view.groups:
        return None
    colors = (
        {"interviews": PALETTE[1], "survey": PALETTE[0]}
        if view.by == BESIDE
        else {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(view.groups)}
    )
    return {
        g: (group_name(g, counts, view.by, lang), colors.get(g, PALETTE[0]))
        for g, counts in view.groups.items()
    }


def chart(rows: pd.DataFrame, view: EstimateView, lang: str) -> dict[str, object]:
    """The bars of ``rows`` (:data:`COLUMNS`) in the view's groups, with their labels and
    hover (:func:`~._figures.estimate_figure`)."""
    from workbench.dashboards._figures import estimate_figure

    shown = drawn(rows, lang, source=view.source, by=view.by, groups=view.groups)
    return estimate_figure(shown, groups=group_styles(view, lang), by=view.by)


def overview_rows(
    view: EstimateView, names: Mapping[str, str], colors: Mapping[str, str]
) -> pd.DataFrame:
    """Each category's own rows, named ``names[category]`` (``"needs"`` → ``Needs``) in its
    colour: the overview's bars."""
    parts = [
        entry.total.assign(label=names.get(name, name), color=colors.get(entry.code, "#4C78A8"))
        for name, entry in view.categories.items()
        if not entry.total.empty
    ]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
