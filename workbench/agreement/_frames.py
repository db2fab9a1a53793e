"""From codings frames to pattern tables: which coder gave which value to which unit.

A :class:`Tables` holds the distinct coder patterns (``-1`` missing, ``0`` absent, ``1``
present), their weight per code, and per segment (for bootstraps that resample segments).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import sparse

from workbench.errors import AgreementError

__all__ = [
    "Tables",
    "check_columns",
    "resolve",
    "seen_from_codings",
    "segment_tables",
    "span_tables",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass
class Tables:
    """Weighted coder patterns for each code of a coded corpus.

    ``patterns``: ``(T, m)`` value per coder (-1 missing, 0 absent, 1 present);
    ``hist``: ``(K, T)`` weight of each pattern per code (segments, or characters at span level);
    ``clusters``: ``(S, T)`` weight of each pattern per segment, pooled over codes;
    ``per_code_clusters``: the same per code (span level only; segment level resamples units).
    """

    coders: list[str]
    codes: list[str]
    segments: IntArray
    patterns: IntArray
    hist: FloatArray
    clusters: sparse.csr_matrix
    per_code_clusters: list[sparse.csr_matrix] | None = None
    seen: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros((0, 0), bool))


def check_columns(frame: pd.DataFrame, needed: Sequence[str], what: str) -> None:
    """Raise :class:`AgreementError` naming the columns ``frame`` lacks."""
    if not isinstance(frame, pd.DataFrame):
        raise AgreementError(f"{what}: expected a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise AgreementError(
            f"{what}: missing column(s) {', '.join(missing)}; "
            f"columns are {', '.join(map(str, frame.columns)) or 'none'}"
        )


def seen_from_codings(codings: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    """Segments each coder saw: every segment of every document they coded at least once.

    ``segments`` needs ``segment`` and ``document``; returns columns ``segment, coder``.
    """
    check_columns(codings, ["document", "coder"], "codings")
    check_columns(segments, ["segment", "document"], "segments")
    docs = codings[["coder", "document"]].drop_duplicates()
    seen = docs.merge(segments[["segment", "document"]], on="document")[["segment", "coder"]]
    return seen.drop_duplicates().sort_values(["coder", "segment"]).reset_index(drop=True)


def resolve(
    codings: pd.DataFrame,
    seen: pd.DataFrame | None,
    segments: pd.DataFrame | None,
    coders: Sequence[str] | str | None,
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Check the inputs; return codings and seen rows of the chosen coders, and the coders.

    Without ``seen``, it is derived from ``segments`` (or, lacking those, from the segments
    that appear in ``codings``).  A coding always counts as seen.
    """
    check_columns(codings, ["segment", "code", "coder"], "codings")
    if seen is None:
        if segments is None:
            if "document" in codings.columns:
                segments = codings[["segment", "document"]].drop_duplicates()
            else:
                segments = codings[["segment"]].drop_duplicates().assign(document=0)
                codings = codings.assign(document=0)
        seen = seen_from_codings(codings, segments)
    check_columns(seen, ["segment", "coder"], "seen")
    known = sorted(_unique_str(codings["coder"]) | _unique_str(seen["coder"]))
    if isinstance(coders, str):
        coders = [c.strip() for c in coders.split(",") if c.strip()]
    if coders is None:
        chosen = known
    else:
        chosen = list(dict.fromkeys(str(c) for c in coders))
        unknown = [c for c in chosen if c not in known]
        if unknown:
            raise AgreementError(
                f"unknown coder(s) {', '.join(map(repr, unknown))}; "
                f"known coders: {', '.join(known) or 'none'}"
            )
    if len(chosen) < 2:
        only = f": only {', '.join(map(repr, chosen))}" if chosen else "; there are no codings"
        raise AgreementError(f"agreement needs at least two coders{only}")
    j_cod = _index_of(codings["coder"], chosen)
    mine = codings[j_cod >= 0].assign(_j=j_cod[j_cod >= 0])
    mine["coder"] = np.asarray(chosen, dtype=object)[mine["_j"].to_numpy()]
    j_seen = _index_of(seen["coder"], chosen)
    saw = pd.DataFrame(
        {
            "segment": np.concatenate(
                [
                    _ints(seen["segment"], "seen")[j_seen >= 0],
                    _ints(mine["segment"], "codings"),
                ]
            ),
            "_j": np.concatenate([j_seen[j_seen >= 0], mine["_j"].to_numpy(np.int64)]),
        }
    )
    _, matrix = _seen_matrix(saw, len(chosen))
    if not (matrix.sum(axis=1) >= 2).any():
        raise AgreementError(f"coders {', '.join(chosen)} saw no segment in common")
    return mine, saw, chosen


def _unique_str(column: pd.Series) -> set[str]:
    return {str(v) for v in pd.unique(column.to_numpy(dtype=object))}


def _index_of(column: pd.Series, names: list[str]) -> IntArray:
    """Position of each value in ``names`` (-1 when absent or missing), by a hash lookup."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    lookup = pd.Index(names, dtype=object).get_indexer([str(u) for u in uniques])
    return np.asarray(np.append(lookup, -1)[codes], dtype=np.int64)


def _ints(column: pd.Series, what: str) -> IntArray:
    try:
        return column.to_numpy(dtype=np.int64)
    except (TypeError, ValueError) as exc:
        raise AgreementError(f"{what}: column {column.name} must hold whole numbers") from exc


def _seen_matrix(saw: pd.DataFrame, m: int) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    """Sorted segment ids and a (segments x coders) matrix: who saw which segment."""
    ids = saw["segment"].to_numpy(np.int64)
    segs = np.sort(pd.unique(ids))
    seen = np.zeros((len(segs), m), bool)
    seen[np.searchsorted(segs, ids), saw["_j"].to_numpy(np.int64)] = True
    return segs, seen


def _sorted_unique(keys: IntArray, space: int) -> IntArray:
    """Sorted distinct ``keys`` in ``[0, space)``: a mark array when that is cheap."""
    if space <= 50_000_000:
        mark = np.zeros(space, bool)
        mark[keys] = True
        return np.flatnonzero(mark).astype(np.int64)
    return np.unique(keys)


def _sorted_distinct(values: IntArray) -> IntArray:
    """Sorted distinct values (a sort and a comparison: faster than a hash for these sizes)."""
    values = np.sort(values)
    if len(values) == 0:
        return values
    return values[np.concatenate([[True], values[1:] != values[:-1]])]


def _compact(ids: IntArray, space: int) -> tuple[IntArray, IntArray]:
    """Distinct ``ids`` (all in ``[0, space)``) and each id's position among them."""
    if space <= 50_000_000:
        lookup = np.full(space, -1, np.int64)
        universe = _sorted_unique(ids, space)
        lookup[universe] = np.arange(len(universe))
        return universe, lookup[ids]
    universe, inverse = np.unique(ids, return_inverse=True)
    return universe, inverse.astype(np.int64)


def _decode(ids: IntArray, m: int) -> IntArray:
    digits = (ids[:, None] // (3 ** np.arange(m, dtype=np.int64))[None, :]) % 3
    return np.asarray(digits - 1, dtype=np.int64)


def _codes(mine: pd.DataFrame, coders: list[str], codes: Sequence[str] | str | None) -> list[str]:
    """The codes to compare (every code in ``mine`` unless given), for at most 39 coders."""
    if len(coders) > 39:
        raise AgreementError(f"at most 39 coders at once, got {len(coders)}")
    if isinstance(codes, str):
        codes = [c.strip() for c in codes.split(",") if c.strip()]
    used = _unique_str(mine["code"])
    if codes is None:
        code_list = sorted(used)
    else:
        code_list = list(dict.fromkeys(str(c) for c in codes))
        unused = [c for c in code_list if c not in used]
        if unused and len(unused) == len(code_list):
            raise AgreementError(
                f"no codings with {', '.join(map(repr, unused))} by {', '.join(coders)}: "
                "nothing to compare (check the code ids)"
            )
    if not code_list:
        raise AgreementError("no codes to compare: the chosen coders made no codings")
    return code_list


def segment_tables(
    mine: pd.DataFrame, saw: pd.DataFrame, coders: list[str], codes: Sequence[str] | str | None
) -> Tables:
    """Pattern tables at segment level: a code is present or absent per segment and coder."""
    m = len(coders)
    code_list = _codes(mine, coders, codes)
    segs, seen = _seen_matrix(saw, m)
    s, k = len(segs), len(code_list)
    pow3 = 3 ** np.arange(m, dtype=np.int64)
    base = seen.astype(np.int64) @ pow3  # every seen coder: absent (digit 1)

    ci = _index_of(mine["code"], code_list)
    rows = mine[ci >= 0]
    ci = ci[ci >= 0]
    si = np.searchsorted(segs, rows["segment"].to_numpy(np.int64))
    ji = rows["_j"].to_numpy(np.int64)
    triple = _sorted_unique((ci * s + si) * m + ji, k * s * m)
    pair, ji = np.divmod(triple, m)
    first = np.concatenate([[True], pair[1:] != pair[:-1]])
    pairs, inverse = pair[first], np.cumsum(first) - 1
    add = np.bincount(inverse, weights=pow3[ji].astype(float), minlength=len(pairs))
    pc, ps = np.divmod(pairs, s)
    new = base[ps] + add.astype(np.int64)

    universe, inv = _compact(np.concatenate([base, new]), 3**m)
    base_ix, new_ix = inv[:s], inv[s:]
    t = len(universe)
    base_hist = np.bincount(base_ix, minlength=t).astype(float)
    hist = np.tile(base_hist, (k, 1))
    np.subtract.at(hist, (pc, base_ix[ps]), 1.0)
    np.add.at(hist, (pc, new_ix), 1.0)

    r = np.concatenate([np.arange(s), ps, ps])
    c = np.concatenate([base_ix, base_ix[ps], new_ix])
    v = np.concatenate([np.full(s, float(k)), -np.ones(len(ps)), np.ones(len(ps))])
    clusters = sparse.coo_matrix((v, (r, c)), shape=(s, t)).tocsr()
    clusters.eliminate_zeros()
    return Tables(
        coders=coders,
        codes=code_list,
        segments=segs,
        patterns=_decode(universe, m),
        hist=hist,
        clusters=clusters,
        seen=seen,
    )


def span_tables(
    mine: pd.DataFrame,
    saw: pd.DataFrame,
    segments: pd.DataFrame | None,
    coders: list[str],
    codes: Sequence[str] | str | None,
) -> Tables:
    """Pattern tables at span level: each character of a seen segment is a unit.

    A character's value for a coder is missing when the coder did not see its segment, present
    when one of the coder's codings of the code covers it, absent otherwise.  Characters outside
    the given segments (e.g. interviewer turns left out of ``segments``) are not units.  Runs of
    characters with the same values are kept as one pattern weighted by their length.
    """
    if segments is None:
        raise AgreementError("span level needs the segments frame (segment, document, start, end)")
    check_columns(segments, ["segment", "document", "start", "end"], "segments")
    check_columns(mine, ["segment", "document", "code", "coder", "start", "end"], "codings")
    m = len(coders)
    code_list = _codes(mine, coders, codes)
    segs_seen, seen_all = _seen_matrix(saw, m)
    frame = segments[segments["segment"].isin(segs_seen)].copy()
    if frame.empty:
        raise AgreementError("none of the seen segments is in the segments frame")
    # Lay the documents end to end so that one integer axis holds every character.
    docs = sorted(_unique_str(frame["document"]) | _unique_str(mine["document"]))
    seg_doc = _index_of(frame["document"], docs)
    cod_doc = _index_of(mine["document"], docs)
    seg_end = _ints(frame["end"], "segments")
    cod_end = _ints(mine["end"], "codings")
    longest = np.zeros(len(docs), np.int64)
    np.maximum.at(longest, seg_doc, seg_end)
    np.maximum.at(longest, cod_doc, cod_end)
    offset = np.concatenate([[0], np.cumsum(longest + 1)])[:-1]
    gs_all = _ints(frame["start"], "segments") + offset[seg_doc]
    order = np.argsort(gs_all, kind="stable")
    segs = frame["segment"].to_numpy(np.int64)[order]
    gs, ge = gs_all[order], (seg_end + offset[seg_doc])[order]
    seen = seen_all[np.searchsorted(segs_seen, segs)]
    s = len(segs)
    pow3 = 3 ** np.arange(m, dtype=np.int64)

    code_ix = _index_of(mine["code"], code_list)
    keep = code_ix >= 0
    cs_all = (_ints(mine["start"], "codings") + offset[cod_doc])[keep]
    ce_all = (cod_end + offset[cod_doc])[keep]
    jj_all = mine["_j"].to_numpy(np.int64)[keep]
    code_ix = code_ix[keep]
    by_code = np.argsort(code_ix, kind="stable")
    bounds = np.searchsorted(code_ix[by_code], np.arange(len(code_list) + 1))
    seg_points = np.concatenate([gs, ge])
    parts: list[tuple[int, IntArray, IntArray, FloatArray]] = []
    for ci in range(len(code_list)):
        pick = by_code[bounds[ci] : bounds[ci + 1]]
        cs, ce, jj = cs_all[pick], ce_all[pick], jj_all[pick]
        points = _sorted_distinct(np.concatenate([seg_points, cs, ce]))
        p = len(points)
        diff = np.bincount(jj * p + np.searchsorted(points, cs), minlength=m * p).astype(float)
        diff -= np.bincount(jj * p + np.searchsorted(points, ce), minlength=m * p)
        covered = np.cumsum(diff.reshape(m, p), axis=1)[:, :-1] > 0.5
        lo, hi = points[:-1], points[1:]
        owner = np.searchsorted(gs, lo, side="right") - 1
        inside = (owner >= 0) & (hi <= ge[np.maximum(owner, 0)]) & (hi > lo)
        owner = owner[inside]
        digit = seen[owner].T.astype(np.int64) * (1 + covered[:, inside])
        ids = pow3 @ digit
        parts.append((ci, owner, ids, (hi - lo)[inside].astype(float)))

    universe, inv = _compact(np.concatenate([p[2] for p in parts]), 3**m)
    t = len(universe)
    k = len(code_list)
    hist = np.zeros((k, t))
    per_code: list[sparse.csr_matrix] = []
    first = 0
    for ci, owner, ids, lengths in parts:
        ix = inv[first : first + len(ids)]
        first += len(ids)
        hist[ci] = np.bincount(ix, weights=lengths, minlength=t)
        mat = sparse.coo_matrix((lengths, (owner, ix)), shape=(s, t)).tocsr()
        per_code.append(mat)
    pooled = sparse.coo_matrix(
        (
            np.concatenate([p[3] for p in parts]),
            (np.concatenate([p[1] for p in parts]), inv),
        ),
        shape=(s, t),
    ).tocsr()
    return Tables(
        coders=coders,
        codes=code_list,
        segments=segs,
        patterns=_decode(universe, m),
        hist=hist,
        clusters=sparse.csr_matrix(pooled),
        per_code_clusters=per_code,
        seen=seen,
    )
