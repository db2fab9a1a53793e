"""Public functions: agreement over codings, reliability tables, disagreements, drift."""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import combinations
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import sparse

from workbench.agreement._bootstrap import cluster_weights, pattern_weights
from workbench.agreement._frames import (
    Tables,
    _index_of,
    _seen_matrix,
    _sorted_unique,
    _unique_str,
    resolve,
    segment_tables,
    span_tables,
)
from workbench.agreement._report import FIGURES, NO_UNITS, NO_VARIATION, OK, AgreementReport, figure
from workbench.agreement._stats import (
    LEVELS,
    alpha_w,
    cohen_w,
    fleiss_w,
    pairable_w,
    percent_w,
    value_counts,
)
from workbench.errors import AgreementError

__all__ = [
    "agreement",
    "cohen_kappa",
    "disagreements",
    "drift",
    "fleiss_kappa",
    "krippendorff_alpha",
    "percent_agreement",
    "reliability_table",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
MISSING = {"", ".", "*", "na", "nan", "none"}


def _compute(
    patterns: IntArray,
    values: FloatArray,
    weights: FloatArray,
    level: str,
    pairs: list[tuple[int, int]],
) -> dict[str, FloatArray]:
    """Every statistic for each row of ``weights``; kappas and agreement treat values as nominal."""
    k = len(values)
    weights = np.atleast_2d(weights)
    out = {
        "n": pairable_w(patterns, weights),
        "percent_agreement": percent_w(patterns, k, weights),
        "krippendorff_alpha": alpha_w(patterns, values, weights, level),
        "fleiss_kappa": fleiss_w(patterns, k, weights),
    }
    for i, j in pairs:
        both = ((patterns[:, i] >= 0) & (patterns[:, j] >= 0)).astype(float)
        out[f"n {i}/{j}"] = weights @ both
        out[f"kappa {i}/{j}"] = cohen_w(patterns, k, weights, i, j)
    return out


def _overall(
    point: dict[str, FloatArray],
    boot: dict[str, FloatArray],
    coders: list[str],
    pairs: list[tuple[int, int]],
) -> dict[str, Any]:
    result: dict[str, Any] = {
        key: figure(float(point[key][0]), boot[key], float(point["n"][0])) for key in FIGURES
    }
    result["cohen_kappa"] = []
    for i, j in pairs:
        fig = figure(
            float(point[f"kappa {i}/{j}"][0]), boot[f"kappa {i}/{j}"], float(point[f"n {i}/{j}"][0])
        )
        result["cohen_kappa"].append(
            {
                "coders": [coders[i], coders[j]],
                "kappa": fig["value"],
                "ci_low": fig["ci_low"],
                "ci_high": fig["ci_high"],
                "n": fig["n"],
                "status": fig["status"],
            }
        )
    return result


def _empty_boot(point: dict[str, FloatArray]) -> dict[str, FloatArray]:
    return {key: np.zeros(0) for key in point}


def _check_bootstrap(bootstrap: int) -> int:
    if isinstance(bootstrap, bool) or not isinstance(bootstrap, int | np.integer) or bootstrap < 0:
        raise AgreementError(f"bootstrap must be a whole number >= 0, got {bootstrap!r}")
    return int(bootstrap)


def agreement(
    codings: pd.DataFrame,
    seen: pd.DataFrame | None = None,
    coders: Sequence[str] | str | None = None,
    codes: Sequence[str] | str | None = None,
    *,
    segments: pd.DataFrame | None = None,
    level: str = "segment",
    bootstrap: int = 1000,
    seed: int = 0,
) -> AgreementReport:
    """Agreement between coders, per code and overall, with bootstrap 95 % intervals.

    Parameters
    ----------
    codings
        One row per coding: ``segment``, ``code``, ``coder`` (and ``document``; ``start`` and
        ``end`` code-point offsets in the document for ``level="span"``).
    seen
        The segments each coder saw (``segment``, ``coder``): a segment a coder did not see is
        missing data, not disagreement.  Default: derived with :func:`seen_from_codings` from
        ``segments`` (or from the segments in ``codings`` when those are not given either).
    segments
        ``segment, document, start, end`` of the corpus (needed for ``level="span"``).
    coders, codes
        Restrict to these (lists or comma-separated strings).  Default: all in ``codings``.
    level
        ``"segment"``: a unit is a (segment, code) pair, present or absent per coder.
        ``"span"``: a unit is a (character, code) pair, present when one of the coder's codings
        of that code covers the character; characters of the ``segments`` given only.
    bootstrap, seed
        Number of bootstrap resamples (0: no intervals) and the seed.  Per-code intervals
        resample segments (at span level, whole segments with their characters); the overall
        intervals resample segments with all their codes.

    Overall figures pool every (segment, code) pair as one unit (at span level every
    (character, code) pair); ``per_code`` has one row per code.

    >>> import pandas as pd
    >>> c = pd.DataFrame({"segment": [1, 1, 2], "document": "d", "code": "x",
    ...                   "coder": ["a", "b", "a"]})
    >>> seen = pd.DataFrame({"segment": [1, 2, 3, 1, 2, 3], "coder": list("aaabbb")})
    >>> agreement(c, seen, bootstrap=0).overall["percent_agreement"]["value"]
    0.6666666666666666
    """
    bootstrap = _check_bootstrap(bootstrap)
    if level not in ("segment", "span"):
        raise AgreementError(f"level must be 'segment' or 'span', got {level!r}")
    mine, saw, chosen = resolve(codings, seen, segments, coders)
    if level == "segment":
        tables = segment_tables(mine, saw, chosen, codes)
    else:
        tables = span_tables(mine, saw, segments, chosen, codes)
    rng = np.random.default_rng(seed)
    pairs = list(combinations(range(len(chosen)), 2))
    values = np.array([0.0, 1.0])
    point = _compute(tables.patterns, values, tables.hist, "nominal", pairs)
    per_code = _per_code(tables, point, values, pairs, bootstrap, rng)

    pooled = tables.hist.sum(axis=0)[None, :]
    overall_point = _compute(tables.patterns, values, pooled, "nominal", pairs)
    if bootstrap:
        w = cluster_weights(tables.clusters, bootstrap, rng)
        overall_boot = _compute(tables.patterns, values, w, "nominal", pairs)
    else:
        overall_boot = _empty_boot(overall_point)
    overall = _overall(overall_point, overall_boot, chosen, pairs)
    unit = "segment" if level == "segment" else "character"
    units = int((tables.seen.sum(axis=1) >= 2).sum()) if level == "segment" else int(point["n"][0])
    notes = []
    if overall["krippendorff_alpha"]["status"] == NO_VARIATION:
        notes.append("every unit has the same value for every coder: alpha and kappa are undefined")
    return AgreementReport(
        overall=overall,
        per_code=per_code,
        coders=chosen,
        units=units,
        level=level,
        bootstrap=bootstrap,
        pooling=f"pooled over all ({unit}, code) units; intervals resample segments",
        unit_name=f"{unit}s seen by two or more coders",
        notes=notes,
    )


def _per_code(
    tables: Tables,
    point: dict[str, FloatArray],
    values: FloatArray,
    pairs: list[tuple[int, int]],
    bootstrap: int,
    rng: np.random.Generator,
) -> pd.DataFrame:
    coders = tables.coders
    n_tv = value_counts(tables.patterns, 2)
    ok = (n_tv.sum(axis=1) >= 2).astype(float)[:, None]
    marg = tables.hist @ (n_tv * ok)
    prevalence = np.full(len(tables.codes), np.nan)
    np.divide(marg[:, 1], marg.sum(axis=1), out=prevalence, where=marg.sum(axis=1) > 0)
    rows = []
    for ci, code in enumerate(tables.codes):
        if bootstrap and tables.per_code_clusters is not None:
            w = cluster_weights(tables.per_code_clusters[ci], bootstrap, rng)
        elif bootstrap:
            w = pattern_weights(tables.hist[ci], bootstrap, rng)
        else:
            w = np.zeros((0, tables.hist.shape[1]))
        boot = _compute(tables.patterns, values, w, "nominal", pairs) if bootstrap else None
        n = float(point["n"][ci])
        row: dict[str, Any] = {"code": code, "n": int(round(n)), "prevalence": prevalence[ci]}
        status = OK
        for key in FIGURES:
            fig = figure(float(point[key][ci]), boot[key] if boot else np.zeros(0), n)
            row[key] = math.nan if fig["value"] is None else fig["value"]
            row[f"{key}_ci_low"] = math.nan if fig["ci_low"] is None else fig["ci_low"]
            row[f"{key}_ci_high"] = math.nan if fig["ci_high"] is None else fig["ci_high"]
            if key == "krippendorff_alpha":
                status = fig["status"]
        for i, j in pairs:
            name = f"kappa {coders[i]}/{coders[j]}"
            fig = figure(
                float(point[f"kappa {i}/{j}"][ci]),
                boot[f"kappa {i}/{j}"] if boot else np.zeros(0),
                float(point[f"n {i}/{j}"][ci]),
            )
            row[name] = math.nan if fig["value"] is None else fig["value"]
            row[f"{name}_ci_low"] = math.nan if fig["ci_low"] is None else fig["ci_low"]
            row[f"{name}_ci_high"] = math.nan if fig["ci_high"] is None else fig["ci_high"]
        row["status"] = status
        rows.append(row)
    return pd.DataFrame(rows)


# -- plain reliability tables -------------------------------------------------------------


def _is_missing(x: Any) -> bool:
    if x is None:
        return True
    if isinstance(x, float | np.floating) and math.isnan(x):
        return True
    return isinstance(x, str) and x.strip().lower() in MISSING


def _as_number(x: Any) -> float | None:
    if isinstance(x, bool):
        return None
    if isinstance(x, int | float | np.integer | np.floating):
        return float(x)
    try:
        value = float(str(x).strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _encode_table(df: pd.DataFrame, level: str) -> tuple[IntArray, FloatArray, list[str]]:
    """Category indices (units x coders, -1 missing), their numeric values, the labels."""
    cells = df.to_numpy(dtype=object)
    missing = (
        np.vectorize(_is_missing, otypes=[bool])(cells)
        if cells.size
        else np.zeros(cells.shape, bool)
    )
    present = [(r, c) for r, c in zip(*np.nonzero(~missing), strict=True)]
    numbers = {}
    for r, c in present:
        value = _as_number(cells[r, c])
        if value is None and level != "nominal":
            raise AgreementError(
                f"unit {df.index[r]!s}: coder {df.columns[c]!s}: value {cells[r, c]!r} is not a "
                f"number ({level} level needs numbers)"
            )
        numbers[(r, c)] = value
    numeric = all(v is not None for v in numbers.values())
    codes = np.full(cells.shape, -1, dtype=np.int64)
    if numeric:
        keys: list[Any] = [numbers[rc] for rc in present]
        labels_sorted: list[Any] = sorted(set(keys))
        values = np.asarray(labels_sorted, float)
    else:
        keys = [str(cells[r, c]).strip() for r, c in present]
        labels_sorted = sorted(set(keys))
        values = np.arange(len(labels_sorted), dtype=float)
    index = {v: i for i, v in enumerate(labels_sorted)}
    for (r, c), key in zip(present, keys, strict=True):
        codes[r, c] = index[key]
    return codes, values, [str(v) for v in labels_sorted]


def reliability_table(
    df: pd.DataFrame, level: str = "nominal", *, bootstrap: int = 1000, seed: int = 0
) -> AgreementReport:
    """Agreement on a plain reliability table: rows are units, columns coders, cells values.

    Empty cells (NaN, None, ``""``, ``"."``, ``"*"``, ``"NA"``) are missing.  ``level`` sets the
    metric of Krippendorff's alpha (``nominal``, ``ordinal``, ``interval``, ``ratio``); percent
    agreement and the kappas always treat the values as nominal categories.  Intervals resample
    units.
    """
    bootstrap = _check_bootstrap(bootstrap)
    if level not in LEVELS:
        raise AgreementError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
    if not isinstance(df, pd.DataFrame):
        raise AgreementError(f"expected a pandas DataFrame, got {type(df).__name__}")
    if df.shape[0] == 0:
        raise AgreementError("the reliability table is empty (no units)")
    if df.shape[1] < 2:
        raise AgreementError(
            f"the reliability table needs at least two coder columns, got {df.shape[1]}"
        )
    coders = [str(c) for c in df.columns]
    if len(set(coders)) != len(coders):
        raise AgreementError(f"the reliability table repeats a coder column: {', '.join(coders)}")
    codes, values, _labels = _encode_table(df, level)
    if not ((codes >= 0).sum(axis=1) >= 2).any():
        raise AgreementError("no unit of the reliability table was rated by two coders")
    patterns, raw_counts = np.unique(codes, axis=0, return_counts=True)
    counts = raw_counts.astype(float)
    pairs = list(combinations(range(len(coders)), 2))
    point = _compute(patterns, values, counts[None, :], level, pairs)
    if bootstrap:
        w = pattern_weights(counts, bootstrap, np.random.default_rng(seed))
        boot = _compute(patterns, values, w, level, pairs)
    else:
        boot = _empty_boot(point)
    overall = _overall(point, boot, coders, pairs)
    notes = []
    if overall["krippendorff_alpha"]["status"] == NO_VARIATION:
        notes.append("every rating has the same value: alpha and kappa are undefined")
    if level != "nominal":
        notes.append(f"alpha uses the {level} metric; agreement and kappas treat values as nominal")
    return AgreementReport(
        overall=overall,
        per_code=pd.DataFrame(),
        coders=coders,
        units=int(point["n"][0]),
        level=level,
        bootstrap=bootstrap,
        pooling="all units of the table; intervals resample units",
        unit_name="units rated by two or more coders",
        notes=notes,
    )


# -- single figures on arrays (the krippendorff package's layout: coders x units) ----------


def _single(reliability_data: Any, level: str, what: str) -> float:
    if level not in LEVELS:
        raise AgreementError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
    data = np.asarray(reliability_data, dtype=object)
    if data.ndim != 2:
        raise AgreementError("reliability data must be a 2-d array: coders x units")
    codes, values, _ = _encode_table(pd.DataFrame(data.T), level)
    patterns, counts = np.unique(codes, axis=0, return_counts=True)
    w = counts.astype(float)[None, :]
    k = len(values)
    if what == "alpha":
        result = alpha_w(patterns, values, w, level)
    elif what == "fleiss":
        result = fleiss_w(patterns, k, w)
    elif what == "percent":
        result = percent_w(patterns, k, w)
    else:
        result = cohen_w(patterns, k, w, 0, 1)
    return float(result[0])


def krippendorff_alpha(reliability_data: Any, level: str = "nominal") -> float:
    """Krippendorff's alpha of a ``coders x units`` array (NaN or None = missing).

    Same layout as ``krippendorff.alpha(reliability_data=...)``; NaN when undefined.

    >>> krippendorff_alpha([[1, 2, 3, 3], [1, 2, 3, 4]], "interval")  # doctest: +ELLIPSIS
    0.888...
    """
    return _single(reliability_data, level, "alpha")


def fleiss_kappa(ratings: Any) -> float:
    """Fleiss' kappa of a ``coders x units`` array of categories (NaN when undefined)."""
    return _single(ratings, "nominal", "fleiss")


def percent_agreement(ratings: Any) -> float:
    """Share of agreeing coder pairs, averaged over units, of a ``coders x units`` array."""
    return _single(ratings, "nominal", "percent")


def cohen_kappa(a: Sequence[Any], b: Sequence[Any]) -> float:
    """Cohen's kappa of two coders' categories for the same units (NaN when undefined)."""
    return _single([list(a), list(b)], "nominal", "cohen")


# -- disagreements and drift ---------------------------------------------------------------


def disagreements(
    codings: pd.DataFrame,
    seen: pd.DataFrame | None = None,
    coders: Sequence[str] | str | None = None,
    *,
    segments: pd.DataFrame | None = None,
    codes: Sequence[str] | str | None = None,
) -> pd.DataFrame:
    """One row per segment seen by two or more coders whose code sets differ.

    Columns: ``segment``, ``document``, ``coders`` (who saw it), ``codes_<coder>`` per coder
    (sorted list; None where that coder did not see the segment), ``shared`` (codes every coder
    who saw it gave) and ``only_some`` (codes some but not all of them gave).
    """
    mine, saw, chosen = resolve(codings, seen, segments, coders)
    if codes is not None:
        wanted = {c.strip() for c in codes.split(",")} if isinstance(codes, str) else set(codes)
        mine = mine[mine["code"].astype(str).isin(wanted)]
    # Find the segments where some code was given by some but not all who saw them, without
    # a Python loop; only those get their code lists built below.
    segs, seen_m = _seen_matrix(saw, len(chosen))
    n_seen = seen_m.sum(axis=1)
    code_list = sorted(_unique_str(mine["code"]))
    ci = _index_of(mine["code"], code_list)
    si = np.searchsorted(segs, mine["segment"].to_numpy(np.int64))
    space = len(code_list) * len(segs) * len(chosen)
    triple = _sorted_unique(
        (ci * len(segs) + si) * len(chosen) + mine["_j"].to_numpy(np.int64), space
    )
    pair = triple // len(chosen)
    first = np.flatnonzero(np.concatenate([[True], pair[1:] != pair[:-1]])) if len(pair) else pair
    pairs, counts = pair[first], np.diff(np.append(first, len(pair)))
    pair_seg = pairs % max(len(segs), 1)
    split = pair_seg[counts < n_seen[pair_seg]]
    split_rows = _sorted_unique(split[n_seen[split] >= 2], len(segs))
    # Code lists per (segment, coder), from one sort instead of a groupby.
    keep = np.isin(si, split_rows)
    key = si[keep] * len(chosen) + mine["_j"].to_numpy(np.int64)[keep]
    code_ix = ci[keep]
    order = np.lexsort((code_ix, key))
    key, code_ix = key[order], code_ix[order]
    starts = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]])) if len(key) else key
    ends = np.append(starts[1:], len(key))
    names_of = np.asarray(code_list, dtype=object)
    given = {
        int(key[a]): sorted(set(names_of[code_ix[a:b]].tolist()))
        for a, b in zip(starts, ends, strict=True)
    }
    docs = np.full(len(segs), None, dtype=object)
    if segments is not None and {"segment", "document"} <= set(segments.columns):
        known = segments[segments["segment"].isin(segs)]
        docs[np.searchsorted(segs, known["segment"].to_numpy(np.int64))] = known[
            "document"
        ].to_numpy(dtype=object)
    if "document" in mine.columns:
        docs[si] = mine["document"].to_numpy(dtype=object)
    rows = []
    for r, seen_row in zip(split_rows.tolist(), seen_m[split_rows].tolist(), strict=True):
        segment = int(segs[r])
        who = [j for j, saw_it in enumerate(seen_row) if saw_it]
        per = {j: given.get(r * len(chosen) + j, []) for j in who}
        as_sets = [set(v) for v in per.values()]
        union, common = set().union(*as_sets), set.intersection(*as_sets)
        row: dict[str, Any] = {
            "segment": segment,
            "document": docs[r],
            "coders": [chosen[j] for j in who],
        }
        for j, c in enumerate(chosen):
            row[f"codes_{c}"] = per.get(j)
        row["shared"] = sorted(common)
        row["only_some"] = sorted(union - common)
        rows.append(row)
    columns = [
        "segment",
        "document",
        "coders",
        *[f"codes_{c}" for c in chosen],
        "shared",
        "only_some",
    ]
    return pd.DataFrame(rows, columns=columns)


def drift(
    codings: pd.DataFrame,
    seen: pd.DataFrame | None = None,
    coders: Sequence[str] | str | None = None,
    batch_size: int = 50,
    order_by: str | None = None,
    *,
    segments: pd.DataFrame | None = None,
    codes: Sequence[str] | str | None = None,
) -> pd.DataFrame:
    """Agreement per batch of ``batch_size`` segments, in coding order: has it drifted?

    Only segments seen by two or more coders count.  ``order_by``: ``"segment"`` (segment id)
    or a time column of ``codings`` (a segment's time is its latest coding by the chosen
    coders; segments nobody coded come last).  Default: ``created_at`` when present, else
    ``segment``.  Figures pool the (segment, code) units of a batch, without intervals.
    Columns: ``batch``, ``first_segment``, ``last_segment``, ``segments``, ``n``,
    ``percent_agreement``, ``krippendorff_alpha``, ``fleiss_kappa``, ``kappa <a>/<b>`` per pair,
    ``status`` (and ``first``/``last`` times when ordered by time).
    """
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise AgreementError(f"batch_size must be a whole number >= 1, got {batch_size!r}")
    mine, saw, chosen = resolve(codings, seen, segments, coders)
    tables = segment_tables(mine, saw, chosen, codes)
    if order_by is None:
        order_by = "created_at" if "created_at" in codings.columns else "segment"
    shared = np.nonzero(tables.seen.sum(axis=1) >= 2)[0]
    order = pd.DataFrame({"row": shared, "segment": tables.segments[shared]})
    if order_by != "segment":
        if order_by not in codings.columns:
            raise AgreementError(
                f"cannot order by {order_by!r}: codings have no such column "
                f"(columns: {', '.join(map(str, codings.columns))})"
            )
        when = mine.groupby("segment")[order_by].max()
        order["time"] = order["segment"].map(when)
        order = order.sort_values(["time", "segment"], na_position="last", kind="stable")
    else:
        order = order.sort_values("segment", kind="stable")
    order = order.reset_index(drop=True)
    order["batch"] = order.index // batch_size
    nb = int(order["batch"].max()) + 1 if len(order) else 0
    member = sparse.coo_matrix(
        (np.ones(len(order)), (order["batch"].to_numpy(), order["row"].to_numpy())),
        shape=(nb, len(tables.segments)),
    ).tocsr()
    weights = np.asarray((member @ tables.clusters).todense())
    pairs = list(combinations(range(len(chosen)), 2))
    stats = _compute(tables.patterns, np.array([0.0, 1.0]), weights, "nominal", pairs)
    grouped = order.groupby("batch")
    frame = pd.DataFrame(
        {
            "batch": np.arange(nb) + 1,
            "first_segment": grouped["segment"].first().to_numpy(),
            "last_segment": grouped["segment"].last().to_numpy(),
            "segments": grouped.size().to_numpy(),
            "n": stats["n"].round().astype(int),
        }
    )
    if "time" in order.columns:
        frame["first"] = grouped["time"].min().to_numpy()
        frame["last"] = grouped["time"].max().to_numpy()
    for key in FIGURES:
        frame[key] = stats[key]
    for i, j in pairs:
        frame[f"kappa {chosen[i]}/{chosen[j]}"] = stats[f"kappa {i}/{j}"]
    frame["status"] = np.where(
        frame["n"] == 0, NO_UNITS, np.where(frame["krippendorff_alpha"].isna(), NO_VARIATION, OK)
    )
    return frame
