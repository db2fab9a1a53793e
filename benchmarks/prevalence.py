"""Benchmark prevalence estimates: CC, PCC, ACC, PACC and EMQ side by side, with coverage.

Run ``.venv/bin/python benchmarks/prevalence.py`` (5-fold CV twice, 200 bootstrap replicates:
about 2 minutes of CPU, 5 on 2 busy shared cores); options for more folds, repeats and
replicates.  Figures only; nothing here is a test.

Protocol, on the SemEval-2014 restaurants training file (``shared/benchmarks``):

1. Outer K-fold cross-validation (``--folds``, ``--repeats`` with different shuffles).  The
   training folds play the coded part of a project: their out-of-fold probabilities from an
   inner ``--inner-folds`` cross-validation are the calibration data, and a suggester fitted
   on all of them gives probabilities for the test fold.  The test fold plays the uncoded
   corpus: every method estimates each code's share from those probabilities alone; the
   fold's labels only give the truth.
2. Test sets: the natural test fold, and for each code in turn a *shifted* fold in which that
   code is twice as common (all its positives kept, negatives subsampled without replacement,
   so no item is duplicated and the bootstrap's independence holds).  Prior shift is where
   classify-and-count fails: its error grows with the distance from the training share.
3. Figures per method: mean absolute error over (code, test set) pairs, on natural folds, on
   shifted folds (all codes) and on the doubled code alone; coverage of the 95 % bootstrap
   intervals (share of pairs whose interval holds the test fold's true share) and their mean
   width, for both kinds of interval (``corpus`` and ``sample``, see
   :class:`workbench.suggest.Population`).  "CC
   (predict)" counts :meth:`CodeSuggester.predict` labels (a segment always gets its most
   likely code), the count a user would make from the suggestions.

``--check-quapy`` also compares :func:`workbench.suggest.quantify` with QuaPy's binary
aggregators on the first fold's posteriors, when QuaPy is importable.

Measured (default run): MAE natural / shifted / doubled code: CC 0.0108 / 0.0267 / 0.0693,
PACC 0.0137 / 0.0216 / 0.0216 (the default method); PACC's intervals held the truth in
100 % / 94 % of natural / shifted pairs (``sample``, width 0.112) and 84 % / 76 %
(``corpus``, width 0.057).  The coded share alone, without the model (``coded``, the
fallback of ACC and PACC where the model does not separate a code; none on SemEval): 0.0148 /
0.0912 / 0.2441.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import KFold

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _data import semeval  # noqa: E402

from workbench.suggest import (  # noqa: E402
    DEFAULT_METHOD,
    CodeSuggester,
    Method,
    Population,
    estimate_prevalence,
    out_of_fold,
    quantify,
    read_coded_csv,
)


def matrix(codes: list[list[str]], classes: list[str]) -> np.ndarray:
    out = np.zeros((len(codes), len(classes)), dtype=np.int8)
    index = {c: j for j, c in enumerate(classes)}
    for i, row in enumerate(codes):
        for c in row:
            out[i, index[c]] = 1
    return out


def shifted(y: np.ndarray, rng: np.random.Generator, factor: float = 2.0) -> np.ndarray:
    """Rows of a test fold in which ``y`` (0/1) is ``factor`` times as common: all positives,
    negatives subsampled without replacement (share capped at 0.9)."""
    pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    target = min(factor * len(pos) / len(y), 0.9)
    n_neg = min(len(neg), int(round(len(pos) * (1 - target) / target)))
    return np.sort(np.r_[pos, rng.choice(neg, size=n_neg, replace=False)])


def run(args: argparse.Namespace, path: Path) -> pd.DataFrame:
    texts, all_codes = read_coded_csv(path)
    # Codes too rare to appear in every training fold are left out (all of SemEval's stay).
    counts = pd.Series([c for r in all_codes for c in r]).value_counts()
    classes = sorted(counts.index[counts >= 2 * args.folds])
    codes = [[c for c in r if c in classes] for r in all_codes]
    truth_all = matrix(codes, classes)
    params = {"language": "en" if args.data is None else "auto", "embeddings": None}
    records = []
    for repeat in range(args.repeats):
        seed = args.seed + repeat
        kf = KFold(args.folds, shuffle=True, random_state=seed)
        for fold, (tr, te) in enumerate(kf.split(texts)):
            start = time.perf_counter()
            tr_texts, tr_codes = [texts[i] for i in tr], [codes[i] for i in tr]
            cal = out_of_fold(
                tr_texts,
                tr_codes,
                folds=args.inner_folds,
                classes=classes,
                random_state=seed,
                **params,
            )
            model = CodeSuggester(random_state=seed, **params).fit(tr_texts, tr_codes)
            order = [list(model.classes_).index(c) for c in classes]
            te_texts = [texts[i] for i in te]
            proba = model.predict_proba(te_texts)[:, order]
            predicted = model.predict(te_texts)[:, order]
            truth = truth_all[te]
            fit_s = time.perf_counter() - start
            rng = np.random.default_rng([seed, fold])
            sets = [("natural", "", np.arange(len(te)))]
            sets += [("shifted", c, shifted(truth[:, j], rng)) for j, c in enumerate(classes)]
            start = time.perf_counter()
            for kind, doubled, rows in sets:
                frame = pd.DataFrame(proba[rows], index=te[rows], columns=classes)
                true = truth[rows].mean(axis=0)
                for method in Method:
                    for population in Population:
                        est = estimate_prevalence(
                            frame,
                            cal,
                            method=method,
                            n_boot=args.n_boot,
                            seed=seed,
                            population=population,
                        ).segments
                        for j, row in enumerate(est.itertuples(index=False)):
                            records.append(
                                {
                                    "repeat": repeat,
                                    "fold": fold,
                                    "set": kind,
                                    "doubled": doubled == row.code,
                                    "code": row.code,
                                    "method": method.value,
                                    "population": population.value,
                                    "true": true[j],
                                    "estimate": row.estimate,
                                    "ci_low": row.ci_low,
                                    "ci_high": row.ci_high,
                                    "fallback": bool(row.note),
                                }
                            )
                pred_share = predicted[rows].mean(axis=0)
                for j, code in enumerate(classes):
                    records.append(
                        {
                            "repeat": repeat,
                            "fold": fold,
                            "set": kind,
                            "doubled": doubled == code,
                            "code": code,
                            "method": "cc (predict)",
                            "population": Population.CORPUS.value,
                            "true": true[j],
                            "estimate": pred_share[j],
                            "ci_low": np.nan,
                            "ci_high": np.nan,
                            "fallback": False,
                        }
                    )
            print(
                f"repeat {repeat} fold {fold}: fits {fit_s:.1f} s, "
                f"estimates {time.perf_counter() - start:.1f} s",
                file=sys.stderr,
            )
            if args.check_quapy and repeat == 0 and fold == 0:
                check_quapy(cal, proba, classes)
    return pd.DataFrame(records)


def summarise(df: pd.DataFrame) -> pd.DataFrame:
    df = df.assign(
        error=(df["estimate"] - df["true"]).abs(),
        covered=(df["ci_low"] <= df["true"] + 1e-12) & (df["true"] <= df["ci_high"] + 1e-12),
        width=df["ci_high"] - df["ci_low"],
    )
    rows = []
    for method in [m.value for m in Method] + ["cc (predict)"]:
        m = df[df["method"] == method]
        corpus = m[m["population"] == Population.CORPUS.value]
        nat, shf = corpus[corpus["set"] == "natural"], corpus[corpus["set"] == "shifted"]
        row = {
            "method": method,
            "MAE natural": nat["error"].mean(),
            "MAE shifted": shf["error"].mean(),
            "MAE doubled": shf[shf["doubled"]]["error"].mean(),
        }
        for population in Population:
            p = m[m["population"] == population.value]
            has_ci = method != "cc (predict)" and len(p)
            for kind in ("natural", "shifted"):
                part = p[p["set"] == kind]
                row[f"cover {kind[:3]} ({population.value})"] = (
                    part["covered"].mean() if has_ci else np.nan
                )
            row[f"width ({population.value})"] = p["width"].mean() if has_ci else np.nan
        row["fallbacks"] = int(corpus["fallback"].sum())
        rows.append(row)
    return pd.DataFrame(rows).set_index("method")


def check_quapy(cal: object, proba: np.ndarray, classes: list[str]) -> None:
    """Largest difference between :func:`quantify` and QuaPy 0.2.x on the same posteriors."""
    try:
        from quapy.method.aggregative import ACC, CC, EMQ, PACC, PCC
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        print("QuaPy is not installed: --check-quapy skipped", file=sys.stderr)
        return
    # QuaPy reads classes_ from a fitted classifier; this one only provides them.
    clf = LogisticRegression().fit(np.array([[0.0], [1.0]]), np.array([0, 1]))
    worst = {m: 0.0 for m in Method}
    for j, _code in enumerate(classes):
        ok = ~np.isnan(cal.proba[:, j])  # type: ignore[attr-defined]
        p, y = cal.proba[ok, j], cal.labels[ok, j].astype(int)  # type: ignore[attr-defined]
        pu = proba[:, j]
        quapy_methods = [m for m in Method if m != Method.CODED]  # no QuaPy counterpart
        for method, cls in zip(quapy_methods, (CC, PCC, ACC, PACC, EMQ), strict=True):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                kw = {"val_split": None} if cls in (ACC, PACC) else {}
                q = cls(clf, fit_classifier=False, **kw)
                if method in (Method.CC, Method.ACC):
                    q.aggregation_fit((p >= 0.5).astype(int), y)
                    theirs = q.aggregate((pu >= 0.5).astype(int))[1]
                else:
                    q.aggregation_fit(np.c_[1 - p, p], y)
                    if cls is EMQ:
                        q.train_prevalence = np.array([1 - y.mean(), y.mean()])
                    theirs = q.aggregate(np.c_[1 - pu, pu])[1]
            ours = quantify(p, y, pu, method=method)
            worst[method] = max(worst[method], abs(ours - float(theirs)))
    print("largest |quantify - QuaPy| over codes (fold 0):")
    for m, v in worst.items():
        print(f"  {m.value:5s} {v:.2e}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5, help="outer folds (default 5)")
    parser.add_argument("--repeats", type=int, default=2, help="outer shuffles (default 2)")
    parser.add_argument("--inner-folds", type=int, default=5, help="calibration folds")
    parser.add_argument(
        "--n-boot", type=int, default=200, help="bootstrap replicates (default 200)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--check-quapy", action="store_true")
    parser.add_argument("--csv", help="write every (fold, set, code, method) row here")
    parser.add_argument("--data", type=Path, help="a text,codes CSV (default: SemEval-2014)")
    args = parser.parse_args(argv)
    path = args.data or semeval()
    if path is None:
        print("SemEval-2014 data not found in shared/benchmarks (give --data)", file=sys.stderr)
        return 1
    start = time.perf_counter()
    df = run(args, path)
    if args.csv:
        df.to_csv(args.csv, index=False)
    table = summarise(df)
    print(
        f"{path.name}: {args.folds}-fold CV x {args.repeats}, calibration by "
        f"{args.inner_folds}-fold inner CV, {args.n_boot} bootstrap replicates, "
        f"{time.perf_counter() - start:.0f} s"
    )
    one = df[(df["method"] == DEFAULT_METHOD.value) & (df["population"] == "corpus")]
    print(
        f"{int((one['set'] == 'natural').sum())} (code, natural fold) pairs, "
        f"{int((one['set'] == 'shifted').sum())} (code, shifted fold) pairs; "
        f"default method: {DEFAULT_METHOD.value}"
    )
    with pd.option_context("display.float_format", "{:.4f}".format, "display.width", 200):
        print(table.to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
