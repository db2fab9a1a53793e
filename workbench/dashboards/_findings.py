"""Findings in themes: what the dashboard and the report count, computed from codings.

Grönroos's categories (needs, expectations, information gaps, information sources) say
*where* to look; the themes a researcher develops under them (child codes, at any depth) say
*what* users raised there.  Counting rules (every function here follows them):

* a coding of a theme, or of a code below it, counts for the theme and for its category;
  a theme is a *direct* child of the category, and its own children (sub-themes) count for it;
* people are counted, not passages: a number is the distinct participants who raised it;
* a coding is a *negative* (*positive*) experience when a negative (positive) valence code
  covers part of the same text: on the same segment, with overlapping spans.  A whole-turn
  coding overlaps everything in its turn; a survey answer that praises one thing and
  criticises another keeps the two apart when the coders coded them as spans;
* a theme "carries" a negative experience when one of its codings is negative;
* a category whose codebook has no child codes keeps the older view: the codes applied
  together with it (:func:`workbench.analysis.themes`).

Everything here is pure pandas on the frame of :class:`~workbench.dashboards.DashboardData`
(the enriched codings plus the ``category`` and ``theme`` columns from :class:`ThemeTree`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from workbench import analysis as a
from workbench.analysis._frames import GROUPS, VALENCE
from workbench.codebook import Codebook

#: The valence codes (see :data:`workbench.analysis._frames.VALENCE`).
NEGATIVE_CODE = next(code for code, name in VALENCE.items() if name == "negative")
POSITIVE_CODE = next(code for code, name in VALENCE.items() if name == "positive")
#: Themes listed under "Where to start" (and per compared group).
START_THEMES = 5
START_THEMES_BY = 3
#: Themes named per quality dimension.
QUALITY_THEMES = 3
#: Readable quotes: long enough to say something, short enough to read at a glance.
QUOTE_FIT = (60, 260)
#: Columns the dashboard adds to the codings frame (not participant attributes).
DERIVED = ("category", "theme", "source", "negative", "positive")
THEME_COLUMNS = [
    "theme",
    "label",
    "color",
    "order",
    "participants",
    "segments",
    "share",
    "negative_participants",
]


@dataclass(frozen=True)
class ThemeTree:
    """Where each code sits under Grönroos's categories, read once from a codebook.

    ``category_of[code]`` is the category code a code belongs to (itself included);
    ``theme_of[code]`` the direct child of the category it counts for (absent for the category
    itself); ``themes[category]`` the category's direct children in codebook order.
    """

    categories: dict[str, str]
    category_of: dict[str, str]
    theme_of: dict[str, str]
    themes: dict[str, tuple[str, ...]]
    order: dict[str, int]

    @classmethod
    def of(cls, codebook: Codebook) -> ThemeTree:
        """The tree of ``codebook`` (categories it lacks are left out)."""
        ids = set(codebook.ids())
        parent = {c.id: c.parent for c in codebook.codes}
        categories = {name: code for name, code in GROUPS.items() if code in ids}
        wanted = set(categories.values())
        category_of: dict[str, str] = {}
        theme_of: dict[str, str] = {}
        for code in codebook.ids():
            below: str | None = None
            current: str | None = code
            while current is not None and current not in wanted:
                below, current = current, parent.get(current)
            if current is not None:
                category_of[code] = current
                if below is not None:
                    theme_of[code] = below
        themes = {
            category: tuple(c.id for c in codebook.children(category))
            for category in categories.values()
        }
        order = {code: i for i, code in enumerate(codebook.ids())}
        return cls(categories, category_of, theme_of, themes, order)

    def has_themes(self, category: str) -> bool:
        """Whether the codebook has any theme (child code) under ``category``."""
        return bool(self.themes.get(category))

    @property
    def any_themes(self) -> bool:
        """Whether any category has themes."""
        return any(self.themes.values())

    def columns(self, codes: pd.Series) -> dict[str, pd.Series]:
        """The ``category`` and ``theme`` columns for a column of code ids."""
        return {
            "category": codes.map(self.category_of),
            "theme": codes.map(self.theme_of),
        }


@dataclass(frozen=True)
class Quote:
    """One quote and whose it is."""

    participant: str
    quote: str
    document: str
    segment: int


@dataclass
class Category:
    """One of Grönroos's categories in a selection: who raised it and the themes they raised.

    ``themes`` has the columns of :data:`THEME_COLUMNS` (``share``: of everybody in the
    selection) and, when groups are compared, one participants column ``"{by}={value}"`` per
    group; ``themed`` is how many of ``participants`` raised at least one theme; ``developed``
    whether the codebook has themes under it (without, ``themes`` holds the codes applied
    together with the category, as before themes existed).
    """

    name: str
    code: str
    participants: int
    segments: int
    themed: int
    developed: bool
    themes: pd.DataFrame
    quotes: list[Quote] = field(default_factory=list)
    by: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Priority:
    """A theme to start with: how many people raised it in a negative experience.

    ``participants`` had a negative experience in a passage with the theme; ``raised`` is
    everybody who raised the theme; ``total`` everybody in the selection (or the group);
    ``dimensions`` the quality dimensions coded on those passages, most frequent first.
    """

    theme: str
    label: str
    category: str
    participants: int
    raised: int
    total: int
    quote: Quote | None
    dimensions: tuple[str, ...] = ()


def natural(label: object) -> str:
    """A sort key that puts P2 before P10 (pseudonyms are numbered): digits zero-padded."""
    return re.sub(r"\d+", lambda m: m.group().zfill(12), str(label))


def mark_valence(codings: pd.DataFrame) -> pd.DataFrame:
    """``codings`` with boolean ``negative`` and ``positive`` columns: whether a valence
    coding of that kind overlaps the coding (same segment, overlapping spans)."""
    out = {"negative": NEGATIVE_CODE, "positive": POSITIVE_CODE}
    flags: dict[str, Any] = {}
    targets = codings[["segment", "start", "end"]].reset_index(drop=True)
    targets["row"] = range(len(targets))
    for column, code in out.items():
        spans = codings.loc[codings["code"] == code, ["segment", "start", "end"]]
        spans = spans.drop_duplicates().rename(columns={"start": "v_start", "end": "v_end"})
        pairs = targets[targets["segment"].isin(spans["segment"])].merge(spans, on="segment")
        hit = pairs.loc[
            (pairs["start"] < pairs["v_end"]) & (pairs["v_start"] < pairs["end"]), "row"
        ]
        flag = np.zeros(len(targets), dtype=bool)
        flag[hit.to_numpy(dtype=int)] = True
        flags[column] = flag
    return codings.assign(**flags)


def _nunique(frame: pd.DataFrame, keys: list[str], column: str = "participant") -> pd.Series:
    """Distinct ``column`` values per ``keys`` (faster than ``groupby().nunique()`` on object
    columns: the duplicates are dropped first)."""
    return frame[[*keys, column]].drop_duplicates().groupby(keys, sort=False).size()


def category(
    codings: pd.DataFrame,
    tree: ThemeTree,
    name: str,
    *,
    total: int,
    labels: Mapping[str, tuple[str, str]],
    by: str | None = None,
    quotes: list[Quote] | None = None,
    rows: pd.DataFrame | None = None,
) -> Category:
    """The view of category ``name`` (``"needs"``, ...) in a selection of codings (marked by
    :func:`mark_valence`).

    ``total``: the participants in the selection (the base of ``share``); ``labels``: code →
    (label, colour); ``quotes``: its representative quotes when already known (comparing
    groups does not change them), else picked here (:func:`representative_quotes`); ``rows``:
    the category's codings when already split off (:func:`by_category`).
    """
    code = tree.categories[name]
    if rows is None:
        rows = codings[codings["category"] == code]
    participants = int(rows["participant"].nunique())
    developed = tree.has_themes(code)
    themed_rows = rows[rows["theme"].notna()]
    if developed:
        themes = _theme_counts(themed_rows, tree, total=total, labels=labels)
        if by and by in themed_rows and not themes.empty:
            split = _nunique(themed_rows, ["theme", by]).unstack(by, fill_value=0)
            split.columns = [f"{by}={value}" for value in split.columns]
            themes = themes.merge(split.astype(int), left_on="theme", right_index=True, how="left")
            themes = themes.fillna({c: 0 for c in split.columns})
    else:
        themes = a.themes(codings, code, by=by)
        themes["share"] = themes["participants"] / total if total and len(themes) else 0.0
        themes["negative_participants"] = 0
    by_counts: dict[str, int] = {}
    if by and by in rows:
        by_counts = {str(k): int(v) for k, v in _nunique(rows, [by]).items()}
    if quotes is None:
        quotes = representative_quotes(codings, code, rows=rows)
    return Category(
        name=name,
        code=code,
        participants=participants,
        segments=int(rows["segment"].nunique()),
        themed=int(themed_rows["participant"].nunique()),
        developed=developed,
        themes=themes,
        quotes=quotes,
        by=by_counts,
    )


def _theme_counts(
    rows: pd.DataFrame,
    tree: ThemeTree,
    *,
    total: int,
    labels: Mapping[str, tuple[str, str]],
) -> pd.DataFrame:
    """People and passages per theme of the theme codings ``rows``, most people first."""
    if rows.empty:
        return pd.DataFrame(columns=THEME_COLUMNS)
    people = _nunique(rows, ["theme"])
    passages = _nunique(rows, ["theme"], "segment")
    bad = rows[rows["negative"]]
    hurt = _nunique(bad, ["theme"]) if not bad.empty else pd.Series(dtype=int)
    out = pd.DataFrame({"participants": people, "segments": passages})
    out["negative_participants"] = hurt.reindex(out.index, fill_value=0).astype(int)
    out.index.name = "theme"
    out = out.reset_index()
    out["label"] = [labels.get(t, (t, ""))[0] for t in out["theme"]]
    out["color"] = [labels.get(t, (t, "#888888"))[1] for t in out["theme"]]
    out["order"] = [tree.order.get(t, 0) for t in out["theme"]]
    out["share"] = out["participants"] / total if total else 0.0
    out = out.sort_values(["participants", "segments", "order"], ascending=[False, False, True])
    return out[THEME_COLUMNS].reset_index(drop=True)


def by_category(codings: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The codings of each category (code id → its codings, themes included), in one pass."""
    return {str(k): g for k, g in codings.groupby("category", sort=False)}


def representative_quotes(
    codings: pd.DataFrame, code: str, n: int = 3, *, rows: pd.DataFrame | None = None
) -> list[Quote]:
    """Up to ``n`` quotes of ``code`` itself, from different participants, as
    :func:`workbench.analysis.representative_quotes` picks them (a readable length first, then
    richer passages, then shorter ones) but reading only the columns it needs: the whole
    frame is never copied.  ``rows``: a part of ``codings`` that holds every coding of
    ``code`` (its category's), to look in."""
    where = codings if rows is None else rows
    mine = where.loc[where["code"] == code, ["segment", "participant", "quote", "document"]]
    if mine.empty:
        return []
    mine = mine.drop_duplicates(["segment", "quote"])
    around = codings.loc[codings["segment"].isin(mine["segment"]), ["segment", "code"]]
    richness = around.drop_duplicates().groupby("segment").size()
    length = mine["quote"].str.len()
    ranked = mine.assign(
        fit=length.between(60, 400).astype(int),
        richness=mine["segment"].map(richness),
        length=length,
    ).sort_values(["fit", "richness", "length", "segment"], ascending=[False, False, True, True])
    picked = ranked.drop_duplicates("participant").head(n)
    return [
        Quote(str(r.participant), str(r.quote), str(r.document), int(r.segment))
        for r in picked.itertuples(index=False)
    ]


def pick_quote(rows: pd.DataFrame) -> Quote | None:
    """The most readable quote of ``rows`` (codings): the longest of a readable length
    (:data:`QUOTE_FIT`); else the shortest longer than that (shortened when shown); else the
    longest fragment."""
    if rows.empty:
        return None
    frame = rows.drop_duplicates(["segment", "quote"])
    length = frame["quote"].str.len()
    low, high = QUOTE_FIT
    fits = length[(length >= low) & (length <= high)]
    longer = length[length > high]
    if not fits.empty:
        best = frame.loc[fits.idxmax()]
    elif not longer.empty:
        best = frame.loc[longer.idxmin()]
    else:
        best = frame.loc[length.idxmax()]
    return Quote(
        str(best["participant"]), str(best["quote"]), str(best["document"]), int(best["segment"])
    )


def where_to_start(
    codings: pd.DataFrame,
    tree: ThemeTree,
    *,
    total: int,
    labels: Mapping[str, tuple[str, str]],
    dimensions: Sequence[str] = (),
    n: int = START_THEMES,
) -> list[Priority]:
    """The themes most people raised in a negative experience, each with one quote from such
    a passage.  Ties: more people who raised the theme at all, then codebook order.  Themes
    nobody raised negatively are left out (an empty list then)."""
    themed = codings[codings["theme"].notna()]
    bad = themed[themed["negative"]]
    if bad.empty:
        return []
    hurt = _nunique(bad, ["theme"])
    raised = _nunique(themed[themed["theme"].isin(hurt.index)], ["theme"])
    ranked = sorted(
        hurt.index, key=lambda t: (-int(hurt[t]), -int(raised.get(t, 0)), tree.order.get(t, 0))
    )[:n]
    dims = codings[codings["code"].isin(list(dimensions)) & codings["negative"]]
    out = []
    for theme in ranked:
        mine = bad[bad["theme"] == theme]
        segments = set(mine["segment"])
        found = dims[dims["segment"].isin(segments)]
        named = found.drop_duplicates(["segment", "code"])["code"].value_counts()
        category_code = tree.category_of.get(theme, "")
        out.append(
            Priority(
                theme=theme,
                label=labels.get(theme, (theme, ""))[0],
                category=next((k for k, v in tree.categories.items() if v == category_code), ""),
                participants=int(hurt[theme]),
                raised=int(raised.get(theme, 0)),
                total=total,
                quote=pick_quote(mine),
                dimensions=tuple(labels.get(c, (c, ""))[0] for c in named.index),
            )
        )
    return out


def quality_themes(
    codings: pd.DataFrame,
    dimensions: Sequence[str],
    labels: Mapping[str, tuple[str, str]],
    n: int = QUALITY_THEMES,
) -> pd.DataFrame:
    """For each quality dimension, the themes coded on its negative passages.

    Columns: code (the dimension), theme, label, participants (who had a negative experience
    of the dimension in a passage with the theme), passages; at most ``n`` themes per
    dimension, most people first; plus one row per dimension with ``theme`` empty holding its
    negative passages without any theme (``participants`` 0 when every one has a theme).
    """
    columns = ["code", "theme", "label", "participants", "passages"]
    dims = codings[codings["code"].isin(list(dimensions)) & codings["negative"]]
    if dims.empty:
        return pd.DataFrame(columns=columns)
    dims = dims[["code", "segment", "participant"]].drop_duplicates()
    themed = codings.loc[
        codings["theme"].notna() & codings["negative"] & codings["segment"].isin(dims["segment"]),
        ["segment", "theme"],
    ].drop_duplicates()
    pairs = dims.merge(themed, on="segment")
    rows: list[dict[str, Any]] = []
    if not pairs.empty:
        people = _nunique(pairs, ["code", "theme"])
        passages = _nunique(pairs, ["code", "theme"], "segment")
        counted = pd.DataFrame({"participants": people, "passages": passages}).reset_index()
        counted["rank"] = counted["theme"].map(lambda t: labels.get(t, (t, ""))[0])
        counted = counted.sort_values(
            ["code", "participants", "passages", "rank"], ascending=[True, False, False, True]
        )
        for r in counted.groupby("code", sort=False).head(n).itertuples(index=False):
            rows.append(
                {
                    "code": r.code,
                    "theme": r.theme,
                    "label": labels.get(r.theme, (r.theme, ""))[0],
                    "participants": int(r.participants),
                    "passages": int(r.passages),
                }
            )
    bare = dims[~dims["segment"].isin(themed["segment"])]
    for code, frame in bare.groupby("code", sort=False):
        rows.append(
            {
                "code": code,
                "theme": "",
                "label": "",
                "participants": int(frame["participant"].nunique()),
                "passages": int(frame["segment"].nunique()),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def theme_quotes(
    codings: pd.DataFrame, code: str, *, valence: str | None = None, **attrs: str
) -> pd.DataFrame:
    """The quotes of a code, a category or a theme (sub-themes included, any depth),
    optionally of one group (``role="owner"``) or of one valence only (``"negative"`` or
    ``"positive"``: the codings a valence code overlaps).

    Columns as :func:`workbench.analysis.quotes`, plus ``theme`` (the theme a quote counts
    for, empty for the category itself)."""
    mine = (codings["code"] == code) | (codings["theme"] == code) | (codings["category"] == code)
    frame = codings[mine]
    if valence is not None:
        if valence not in ("negative", "positive"):
            raise ValueError(f"valence must be 'positive' or 'negative', not {valence!r}")
        frame = frame[frame[valence]]
    for column, value in attrs.items():
        frame = frame[frame[column] == value] if column in frame else frame.iloc[0:0]
    cols = [
        c for c in ("participant", "document", "segment", "code", "label", "quote") if c in frame
    ]
    cols += [c for c in a.attribute_columns(frame) if c not in DERIVED]
    out = frame[[*cols, "theme"]].drop_duplicates(["segment", "quote"])
    out = out.assign(theme=out["theme"].astype(object).fillna(""))  # all-NaN when no themes
    return out.sort_values(["document", "segment"], kind="stable").reset_index(drop=True)


def perceived_quality(
    codings: pd.DataFrame,
    dimensions: Sequence[tuple[str, str]],
    labels: Mapping[str, tuple[str, str]],
) -> pd.DataFrame:
    """Technical quality, each functional dimension and image with their positive and
    negative experiences, valence by overlapping spans (see the module docstring).

    ``dimensions``: ``(code, kind)`` as :func:`workbench.analysis.quality_dimensions` gives.
    Columns as :func:`workbench.analysis.perceived_quality`: code, label, kind, color,
    mentions, positive, negative, neutral (passages), participants, positive_participants,
    negative_participants; one row per dimension, zeros where nobody mentioned it.
    """
    kinds = dict(dimensions)
    frame = codings.loc[
        codings["code"].isin(list(kinds)),
        ["code", "segment", "participant", "negative", "positive"],
    ]
    # A passage is negative (positive) for a dimension when any of its codings there is.
    flags = frame.groupby(["code", "segment"], sort=False).agg(
        participant=("participant", "first"),
        negative=("negative", "any"),
        positive=("positive", "any"),
    )
    flags = flags.reset_index()
    neutral = ~flags["negative"] & ~flags["positive"]
    grouped = flags.groupby("code", sort=False)
    counts = pd.DataFrame(
        {
            "mentions": grouped.size(),
            "positive": grouped["positive"].sum(),
            "negative": grouped["negative"].sum(),
            "neutral": neutral.groupby(flags["code"]).sum(),
            "participants": grouped["participant"].nunique(),
            "positive_participants": flags[flags["positive"]]
            .groupby("code")["participant"]
            .nunique(),
            "negative_participants": flags[flags["negative"]]
            .groupby("code")["participant"]
            .nunique(),
        }
    )
    codes = [c for c, _ in dimensions]
    counts = counts.reindex(codes).fillna(0).astype(int).reset_index(names="code")
    counts.insert(1, "label", [labels.get(c, (c, ""))[0] for c in counts["code"]])
    counts.insert(2, "kind", counts["code"].map(kinds))
    counts.insert(3, "color", [labels.get(c, (c, "#888888"))[1] for c in counts["code"]])
    return counts
