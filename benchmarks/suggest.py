"""Benchmark code suggestions: speed against a plain baseline, active learning, quality.

Run ``.venv/bin/python benchmarks/suggest.py`` (about 4-5 minutes on 2 cores) or with
``--quick`` (under a minute).  Figures only; nothing here is a timed test.

1. Synthetic project: 20,000 segments x 40 codes (code-specific vocabularies plus noise,
   seeded).  :class:`CodeSuggester` against ``OneVsRestClassifier(LogisticRegression)`` on
   TF-IDF, refitted from scratch after one new coding and predicting one segment at a time:
   full fit time, p95 time to suggest for one segment, p95 time to update after one coding.
2. Active learning: labels needed to reach 95 % of full-data micro-F1 with
   ``next_segments`` versus random order (SemEval when present, and a synthetic subset).
3. SemEval-2014 restaurants (when ``shared/benchmarks`` is present): 5-fold CV micro-F1,
   macro-F1, P@1, Brier score (Platt-calibrated and not, and with sentence embeddings when a
   local model is installed), train time; and the cold-start
   crossover: prior-only, learned-only and blended F1 at 0-200 labelled segments.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.codebook._model import Code, Codebook, Example  # noqa: E402
from workbench.suggest import (  # noqa: E402
    CodeSuggester,
    cross_validate,
    learning_curve,
    read_coded_csv,
    scores,
)
from workbench.suggest._embed import resolve_embeddings  # noqa: E402

SEMEVAL = Path("benchmarks") / "semeval2014-restaurants" / "train.csv"


def shared_data() -> Path | None:
    """SemEval train.csv in ../shared next to the repository or /work/shared, if present."""
    for base in (Path(__file__).resolve().parents[1].parent / "shared", Path("/work/shared")):
        if (base / SEMEVAL).is_file():
            return base / SEMEVAL
    return None


# ----------------------------------------------------------------------------- synthetic data
def synthetic(n: int, n_codes: int, seed: int = 0) -> tuple[list[str], list[list[str]]]:
    """Segments mixing 1-3 codes' own vocabularies with common words and noise."""
    rng = np.random.default_rng(seed)
    letters = np.array(list("abdefghijklmnoprstuvy"))

    def word(lo: int, hi: int) -> str:
        return "".join(rng.choice(letters, size=int(rng.integers(lo, hi))))

    common = [word(2, 7) for _ in range(3000)]
    common_p = 1.0 / np.arange(1, len(common) + 1)
    common_p /= common_p.sum()
    vocab = [[word(4, 10) for _ in range(25)] for _ in range(n_codes)]
    code_p = 1.0 / np.arange(1, n_codes + 1) ** 0.7
    code_p /= code_p.sum()
    texts, codes = [], []
    for _ in range(n):
        k = int(rng.choice([1, 1, 1, 2, 2, 3]))
        chosen = sorted(set(rng.choice(n_codes, size=k, p=code_p).tolist()))
        length = int(rng.integers(8, 30))
        words = list(rng.choice(common, size=length, p=common_p))
        for c in chosen:
            # Each code contributes a few of its words; some also leak into other codes.
            for w in rng.choice(vocab[c], size=int(rng.integers(1, 4))):
                words.insert(int(rng.integers(0, len(words) + 1)), str(w))
        if rng.random() < 0.3:
            other = int(rng.integers(0, n_codes))
            words.insert(int(rng.integers(0, len(words))), str(rng.choice(vocab[other])))
        texts.append(" ".join(words).capitalize() + ".")
        codes.append([f"c{c:02d}" for c in chosen])
    return texts, codes


def p95(samples: Sequence[float]) -> float:
    return float(np.percentile(np.asarray(samples) * 1000.0, 95))


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


# ----------------------------------------------------------------------------- speed
def speed(n: int, n_codes: int, n_probe: int, baseline_updates: int) -> None:
    print(f"\n== Speed: synthetic {n:,} segments x {n_codes} codes ==", flush=True)
    texts, codes = synthetic(n, n_codes, seed=0)
    rng = np.random.default_rng(1)
    order = rng.permutation(n)
    n_test = n // 10
    test, train = order[:n_test], order[n_test:]
    tr_texts = [texts[i] for i in train]
    tr_codes = [codes[i] for i in train]
    te_texts = [texts[i] for i in test]
    te_codes = [codes[i] for i in test]
    probes = [te_texts[i] for i in range(min(n_probe, len(te_texts)))]

    ours = CodeSuggester(language="en", random_state=0)
    t_vocab = timed(lambda: ours.fit_vocabulary(texts))
    # Threads only for an unseeded fit (liblinear's generator is shared between threads).
    t_fit_threads = timed(
        lambda: ours.set_params(n_jobs=-1, random_state=None).fit(tr_texts, tr_codes)
    )
    t_fit = timed(lambda: ours.set_params(n_jobs=None, random_state=0).fit(tr_texts, tr_codes))
    classes = [str(c) for c in ours.classes_]
    f1_ours = _micro(ours.predict_codes(te_texts), te_codes, classes)
    for t in probes[:20]:  # warm caches (stems, analysers) as a running tagger would
        ours.suggest(t, k=5)
    t_suggest = [timed(lambda t=t: ours.suggest(t, k=5)) for t in probes]
    t_proba = [timed(lambda t=t: ours.predict_proba([t])) for t in probes]
    t_update = []
    for i in range(n_probe):
        t_update.append(timed(lambda i=i: ours.partial_fit([te_texts[i]], [te_codes[i]])))

    mlb = MultiLabelBinarizer(classes=classes)
    Ytr = mlb.fit_transform(tr_codes)
    vec = TfidfVectorizer(sublinear_tf=True)

    def base_fit(x_texts: list[str], Y: np.ndarray) -> OneVsRestClassifier:
        X = vec.fit_transform(x_texts)
        return OneVsRestClassifier(LogisticRegression(max_iter=1000)).fit(X, Y)

    t_base_fit = timed(lambda: base_fit(tr_texts, Ytr))
    base = base_fit(tr_texts, Ytr)
    pred = base.predict(vec.transform(te_texts))
    f1_base = _micro([[classes[j] for j in np.flatnonzero(r)] for r in pred], te_codes, classes)
    for t in probes[:20]:
        base.predict_proba(vec.transform([t]))
    t_base_pred = [timed(lambda t=t: base.predict_proba(vec.transform([t]))) for t in probes]
    t_base_update = []
    for i in range(baseline_updates):
        x_new = tr_texts + [te_texts[i]]
        Y_new = np.vstack([Ytr, mlb.transform([te_codes[i]])])
        t_base_update.append(timed(lambda x=x_new, y=Y_new: base_fit(x, y)))

    print(f"vocabulary fit on all {n:,} texts: {t_vocab:.2f} s (once per project)")
    print(f"{'':36s} {'CodeSuggester':>14s} {'OvR LogReg':>12s} {'ratio':>9s}")
    rows = [
        ("full fit (s)", t_fit, t_base_fit),
        ("full fit, unseeded, n_jobs=-1 (s)", t_fit_threads, t_base_fit),
        ("suggest one segment, p95 (ms)", p95(t_suggest), p95(t_base_pred)),
        ("predict_proba one segment, p95 (ms)", p95(t_proba), p95(t_base_pred)),
        ("update after one coding, p95 (ms)", p95(t_update), p95(t_base_update)),
    ]
    for name, a, b in rows:
        print(f"{name:36s} {a:14.2f} {b:12.2f} {a / b:9.5f}")
    print(f"{'held-out micro-F1':36s} {f1_ours:14.3f} {f1_base:12.3f}")
    print(
        f"(suggest includes the three reason words; {n_probe} probes, "
        f"{baseline_updates} baseline refits)",
        flush=True,
    )


def _micro(pred: list[list[str]], truth: list[list[str]], classes: list[str]) -> float:
    index = {c: j for j, c in enumerate(classes)}
    P = np.zeros((len(pred), len(classes)), dtype=np.int8)
    T = np.zeros_like(P)
    for i, (p, t) in enumerate(zip(pred, truth, strict=True)):
        for c in p:
            P[i, index[c]] = 1
        for c in t:
            if c in index:
                T[i, index[c]] = 1
    return float(scores(T, P, P.astype(float), classes)["micro_f1"])


# ----------------------------------------------------------------------------- active learning
def active_learning(
    name: str,
    texts: list[str],
    codes: list[list[str]],
    schedule: list[int],
    seeds: Sequence[int],
    language: str,
    embeddings: str | None = None,
) -> None:
    extra = f", {embeddings} sentence embeddings" if embeddings else ""
    print(f"\n== Active learning: {name} ({len(texts):,} segments{extra}) ==", flush=True)
    need: dict[str, list[int]] = {"next_segments": [], "random": []}
    for seed in seeds:
        rng = np.random.default_rng(seed)
        order = rng.permutation(len(texts))
        n_test = len(texts) // 4
        test, pool = order[:n_test], order[n_test:]
        pool_texts = [texts[i] for i in pool]
        pool_codes = [codes[i] for i in pool]
        te_texts = [texts[i] for i in test]
        te_codes = [codes[i] for i in test]
        params = {
            "language": language,
            "random_state": seed,
            "inner_cv": 2,
            "embeddings": embeddings,
        }
        full = CodeSuggester(**params).fit_vocabulary(pool_texts).fit(pool_texts, pool_codes)
        target = 0.95 * _micro(full.predict_codes(te_texts), te_codes, list(full.classes_))
        for strategy in ("next_segments", "random"):
            labelled = list(range(schedule[0]))  # the first ones are random (pool is shuffled)
            reached = None
            curve = []
            model = CodeSuggester(**params).fit_vocabulary(pool_texts)
            for size in schedule:
                if size > len(pool_texts):
                    break
                if size > len(labelled):
                    rest = sorted(set(range(len(pool_texts))) - set(labelled))
                    extra = size - len(labelled)
                    if strategy == "random":
                        labelled += rest[:extra]
                    else:
                        picks = model.next_segments([pool_texts[i] for i in rest], extra)
                        labelled += [rest[i] for i in picks]
                model.fit([pool_texts[i] for i in labelled], [pool_codes[i] for i in labelled])
                f1 = _micro(model.predict_codes(te_texts), te_codes, list(model.classes_))
                curve.append(f"{size}:{f1:.3f}")
                if f1 >= target:
                    reached = size
                    break
            need[strategy].append(reached if reached is not None else len(pool_texts))
            print(f"seed {seed} {strategy:13s} target {target:.3f}  " + " ".join(curve), flush=True)
    a = float(np.mean(need["next_segments"]))
    b = float(np.mean(need["random"]))
    print(
        f"labels to reach 95% of full-data micro-F1: next_segments {a:.0f}, random {b:.0f}"
        f"  (ratio {a / b:.2f}; per seed {need['next_segments']} vs {need['random']})",
        flush=True,
    )


# ----------------------------------------------------------------------------- SemEval
def restaurant_codebook() -> Codebook:
    """A tiny codebook for the five SemEval categories (written for this benchmark)."""

    def code(cid: str, en: str, sv: str, definition: str, examples: list[str]) -> Code:
        return Code(
            id=cid,
            label={"en": en, "sv": sv},
            definition={"en": definition},
            examples=tuple(Example("en", e) for e in examples),
        )

    return Codebook(
        id="restaurant",
        title={"en": "Restaurant reviews"},
        codes=(
            code(
                "food",
                "Food",
                "Mat",
                "The food and drinks: dishes, menu, taste, portions, freshness, the kitchen.",
                ["The pizza was delicious.", "Fresh sushi and great desserts."],
            ),
            code(
                "service",
                "Service",
                "Service",
                "The staff and service: waiters, waitresses, hosts, attentive or rude, waiting.",
                ["Our waiter was friendly and attentive.", "The staff was rude."],
            ),
            code(
                "price",
                "Price",
                "Pris",
                "Price and value: cheap, expensive, overpriced, worth the money, the bill.",
                ["Prices are reasonable.", "Way too expensive for what you get."],
            ),
            code(
                "ambience",
                "Ambience",
                "Miljö",
                "The place and atmosphere: decor, music, noise, seating, romantic, cozy.",
                ["The decor is lovely and the music not too loud.", "A cozy, romantic room."],
            ),
            code(
                "anecdotes/miscellaneous",
                "Anecdotes and miscellaneous",
                "Övrigt",
                "Stories about the visit and anything else: we went, we will return, location.",
                ["We went there for my birthday.", "I will definitely go back."],
            ),
        ),
    )


def semeval(path: Path, quick: bool) -> None:
    texts, codes = read_coded_csv(path)
    print(f"\n== SemEval-2014 restaurants: {path} ({len(texts):,} sentences) ==", flush=True)
    runs: list[tuple[str, dict[str, object]]] = [
        ("Platt-calibrated", {}),
        ("uncalibrated", {"calibration": "none"}),
    ]
    model = resolve_embeddings("auto")
    if model is not None:
        runs.append((f"with {model} sentence embeddings", {"embeddings": model}))
    else:
        print("(no local sentence-transformers model: the embedding run is skipped)")
    for label, extra in runs:
        cv = cross_validate(texts, codes, folds=5, language="en", random_state=0, **extra)
        print(
            f"5-fold CV ({label}): micro-F1 {cv['micro_f1']:.3f}  macro-F1 {cv['macro_f1']:.3f}"
            f"  P@1 {cv['precision_at_1']:.3f}  Brier {cv['brier']:.4f}"
            f"  fit {cv['fit_seconds']:.2f} s per fold",
            flush=True,
        )
        if not extra:
            for code, row in cv["per_code"].items():
                print(
                    f"  {code:26s} P {row['precision']:.3f} R {row['recall']:.3f} "
                    f"F1 {row['f1']:.3f} n {row['support']}"
                )
    t_full = timed(lambda: CodeSuggester(language="en", random_state=0).fit(texts, codes))
    print(f"train time on all {len(texts):,} sentences: {t_full:.2f} s", flush=True)

    sizes = [0, 10, 25, 50, 100, 200]
    seeds = [0] if quick else [0, 1, 2]
    for embeddings in [None] + ([model] if model is not None else []):
        table: dict[tuple[int, str], list[float]] = {}
        for seed in seeds:
            rows = learning_curve(
                texts,
                codes,
                sizes,
                random_state=seed,
                sources=("prior", "learned", "blend"),
                codebook=restaurant_codebook(),
                language="en",
                embeddings=embeddings,
            )
            for r in rows:
                table.setdefault((r["n"], r["source"]), []).append(r["micro_f1"] or 0.0)
        print(
            f"cold-start crossover{f' with {embeddings}' if embeddings else ''} "
            f"(micro-F1 on 25% held out, mean of {len(seeds)} split(s)):"
        )
        print(f"{'labelled':>9s} {'prior':>7s} {'learned':>8s} {'blend':>7s}")
        for n in sizes:
            vals = [float(np.mean(table[(n, s)])) for s in ("prior", "learned", "blend")]
            print(f"{n:9d} {vals[0]:7.3f} {vals[1]:8.3f} {vals[2]:7.3f}")
    if not quick:
        schedule = [20, 40, 60, 80, 100, 150, 200, 250, 300, 400, 500, 600, 800, 1000]
        schedule += [1200, 1500, 1800, 2300]
        active_learning("SemEval restaurants", texts, codes, schedule, [0, 1], "en")
        if model is not None:
            active_learning("SemEval restaurants", texts, codes, schedule, [0, 1], "en", model)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, under a minute")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.quick:
        speed(2000, 20, n_probe=50, baseline_updates=3)
    else:
        speed(20000, 40, n_probe=200, baseline_updates=3)
    path = shared_data()
    if path is None:
        print("\n(SemEval data not found in ../shared or /work/shared: skipped)")
    else:
        semeval(path, args.quick)
    n_al = 1500 if args.quick else 3000
    texts, codes = synthetic(n_al, 20, seed=5)
    schedule = [40, 80, 120, 160, 200, 300, 400, 500, 600, 800, 1000, 1200, 1500, 2000, 2500]
    active_learning("synthetic", texts, codes, schedule, [0], "en")
    print(f"\ntotal benchmark time {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
