"""Benchmark: per-code agreement on 100,000 segments x 3 coders x 40 codes.

Run: ``.venv/bin/python benchmarks/agreement.py [--segments N] [--codes K]``.

Generates seeded codings (about 2 codes per segment per coder, each coder keeping a
"true" code with probability 0.75, else picking another; the third coder saw 80 % of the
documents), times :func:`workbench.agreement.agreement` without bootstrap (every per-code
percent agreement, alpha, Fleiss' and Cohen's kappa, plus the pooled figures, starting from the
codings frame), then the ``krippendorff`` package's alpha per code on the same data (building
its dense matrices is not timed), and prints the ratio and the largest difference.  Times are
the best of three runs.
"""

from __future__ import annotations

import argparse
import math
import time

import krippendorff
import numpy as np
import pandas as pd

from workbench.agreement import agreement
from workbench.agreement._api import _compute
from workbench.agreement._frames import resolve, segment_tables

CODERS = ("anna", "erik", "olle")


def generate(n_segments: int, n_codes: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Codings and seen frames with realistic sparsity and about 75 % agreement."""
    rng = np.random.default_rng(seed)
    per_doc = 100
    document = np.arange(n_segments) // per_doc
    n_docs = int(document.max()) + 1
    truth = rng.integers(0, n_codes, size=(n_segments, 2))
    olle_docs = rng.random(n_docs) < 0.8
    codings, seen = [], []
    for coder in CODERS:
        saw = olle_docs[document] if coder == "olle" else np.ones(n_segments, bool)
        keep = rng.random(truth.shape) < 0.75
        chosen = np.where(keep, truth, rng.integers(0, n_codes, size=truth.shape))
        segs = np.repeat(np.arange(n_segments), 2)
        frame = pd.DataFrame(
            {"segment": segs, "code": chosen.reshape(-1), "coder": coder}
        ).drop_duplicates()
        frame = frame[saw[frame["segment"].to_numpy()]]
        codings.append(frame)
        seen.append(pd.DataFrame({"segment": np.nonzero(saw)[0], "coder": coder}))
    out = pd.concat(codings, ignore_index=True)
    out["code"] = "c" + out["code"].astype(str).str.zfill(2)
    out["document"] = "doc" + (out["segment"] // per_doc).astype(str)
    return out, pd.concat(seen, ignore_index=True)


def package_alphas(
    codings: pd.DataFrame, seen: pd.DataFrame, codes: list[str]
) -> tuple[dict[str, float], float]:
    """The krippendorff package's nominal alpha per code, and the seconds its calls took."""
    n = int(seen["segment"].max()) + 1
    base = np.full((len(CODERS), n), np.nan)
    for i, coder in enumerate(CODERS):
        base[i, seen.loc[seen["coder"] == coder, "segment"].to_numpy()] = 0.0
    row = {c: i for i, c in enumerate(CODERS)}
    groups = dict(tuple(codings.groupby("code")))
    matrices = {}
    for code in codes:
        data = base.copy()
        got = groups[code]
        data[got["coder"].map(row).to_numpy(), got["segment"].to_numpy()] = 1.0
        matrices[code] = data
    start = time.perf_counter()
    alphas = {
        code: float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
        for code, data in matrices.items()
    }
    return alphas, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=100_000)
    parser.add_argument("--codes", type=int, default=40)
    args = parser.parse_args()
    codings, seen = generate(args.segments, args.codes)
    per = codings.groupby(["segment", "coder"]).size().mean()
    print(
        f"data: {args.segments:,} segments x {len(CODERS)} coders x {args.codes} codes; "
        f"{len(codings):,} codings ({per:.2f} codes per coded segment per coder)"
    )
    agreement(codings.head(1000), seen[seen["segment"] < 20], bootstrap=0)  # warm-up imports
    ours_time = math.inf
    for _ in range(3):  # best of 3: the machine is shared
        start = time.perf_counter()
        report = agreement(codings, seen, bootstrap=0)
        ours_time = min(ours_time, time.perf_counter() - start)
    ours = report.per_code.set_index("code")["krippendorff_alpha"]
    mine, saw, coders = resolve(codings, seen, None, None)
    start = time.perf_counter()
    tables = segment_tables(mine, saw, coders, None)
    build_time = time.perf_counter() - start
    start = time.perf_counter()
    pairs = [(0, 1), (0, 2), (1, 2)]
    _compute(tables.patterns, np.array([0.0, 1.0]), tables.hist, "nominal", pairs)
    stats_time = time.perf_counter() - start
    their_time = math.inf
    for _ in range(3):
        theirs, seconds = package_alphas(codings, seen, list(ours.index))
        their_time = min(their_time, seconds)
    diff = max(abs(ours[c] - theirs[c]) for c in ours.index)
    print(
        f"pooled alpha {report.overall['krippendorff_alpha']['value']:.4f}, "
        f"mean per-code alpha {ours.mean():.4f}"
    )
    print(
        f"our per-code alpha+kappa: {ours_time:.2f} s; krippendorff package (alpha only): "
        f"{their_time:.2f} s ({their_time / ours_time:.0f}x); max |diff| {diff:.1e}"
    )
    print(
        f"  of ours: codings frame -> {len(tables.patterns)} coder patterns x {len(tables.codes)} "
        f"codes {build_time:.2f} s; every per-code statistic from the counts "
        f"{stats_time * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
