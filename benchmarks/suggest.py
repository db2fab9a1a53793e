"""Benchmark code suggestions: speed against a plain baseline, active learning, quality.

Run ``.venv/bin/python benchmarks/suggest.py`` (about 4-5 minutes on 2 cores, 10-12 with a
local sentence-transformers model, whose fine-tuned run takes about 6) or with ``--quick``;
``--embeddings`` gives only the sentence-embedding figures (about 7 minutes).  Figures only;
nothing here is a timed test.

1. Synthetic project: 20,000 segments x 40 codes (code-specific vocabularies plus noise,
   seeded).  :class:`CodeSuggester` against ``OneVsRestClassifier(LogisticRegression)`` on
   TF-IDF, refitted from scratch after one new coding and predicting one segment at a time:
   full fit time, p95 time to suggest for one segment, p95 time to update after one coding.
2. Active learning: labels needed to reach 95 % of full-data micro-F1 with
   ``next_segments`` versus random order (SemEval when present, and a synthetic subset).
3. SemEval-2014 restaurants (when ``shared/benchmarks`` is present): 5-fold CV micro-F1,
   macro-F1, P@1, Brier score (Platt-calibrated and not, and with sentence embeddings when a
   local model is installed: frozen, and fine-tuned inside each training fold), train time;
   and the cold-start crossover: prior-only, learned-only and blended F1 at 0-200 labelled
   segments.
4. Sentence embeddings (with ``--embeddings``, only these): the command
   ``workbench suggest evaluate --train A.csv --test B.csv --embeddings auto|off`` timed as a
   user runs it (a fresh process; wall and CPU seconds), on SemEval split into its first
   2,241 sentences for training and its last 800 for testing (the official test part is not
   here), then the 5-fold CV figures of point 3 with and without embeddings.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import subprocess
import sys
import tempfile
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
FINE_TUNE_EPOCHS = 2


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


# ----------------------------------------------------------------------------- embeddings
EVALUATE_TEST = 800  # the size of SemEval-2014's official restaurant test part


def _cli() -> list[str]:
    """The ``workbench`` command of this interpreter's environment."""
    script = Path(sys.executable).with_name("workbench")
    if script.is_file():
        return [str(script)]
    found = shutil.which("workbench")
    return [found] if found else [sys.executable, "-m", "workbench"]


def embedding_speed(path: Path) -> None:
    """Time ``workbench suggest evaluate`` with and without embeddings, as a user runs it."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    n_test = min(EVALUATE_TEST, len(rows) // 3)
    train, test = rows[:-n_test], rows[-n_test:]
    # The command refuses test codes it never saw in training (only small data has them).
    seen = {c.strip() for r in train for c in (r["codes"] or "").split(";")}
    test = [r for r in test if all(c.strip() in seen for c in (r["codes"] or "").split(";"))]
    print(
        f"\n== workbench suggest evaluate: {path.name}, first {len(train):,} rows to train, "
        f"last {len(test):,} to test ==",
        flush=True,
    )
    figures: dict[str, tuple[float, float, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for name, part in (("train", train), ("test", test)):
            files[name] = Path(tmp) / f"{name}.csv"
            with files[name].open("w", encoding="utf-8", newline="") as fh:
                writer = csv.DictWriter(fh, ["text", "codes"])
                writer.writeheader()
                writer.writerows(part)
        for spec in ("off", "auto"):
            cmd = [*_cli(), "suggest", "evaluate", "--train", str(files["train"])]
            cmd += ["--test", str(files["test"]), "--embeddings", spec, "--text"]
            load = os.getloadavg()[0]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr}")
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            micro = next(
                line.split()[-1] for line in done.stdout.splitlines() if line.startswith("micro")
            )
            figures[spec] = (wall, cpu, micro)
            print(
                f"--embeddings {spec:4s}: wall {wall:5.1f} s  CPU {cpu:5.1f} s  "
                f"micro-F1 {micro}  (load average {load:.1f} on {os.cpu_count()} cores)",
                flush=True,
            )
    (w_off, c_off, _), (w_on, c_on, _) = figures["off"], figures["auto"]
    print(f"with/without embeddings: wall x{w_on / w_off:.1f}, CPU x{c_on / c_off:.1f}")


def semeval_cv(texts: list[str], codes: list[list[str]], fine_tune_epochs: int) -> None:
    """5-fold CV without embeddings, with them, and with a fine-tune inside each fold."""
    runs: list[tuple[str, dict[str, object]]] = [
        ("Platt-calibrated", {}),
        ("uncalibrated", {"calibration": "none"}),
    ]
    model = resolve_embeddings("auto")
    if model is not None:
        runs.append((f"with {model} sentence embeddings", {"embeddings": model}))
        runs.append(
            (
                f"with {model} fine-tuned {fine_tune_epochs} epochs in each training fold",
                {"embeddings": model, "fine_tune_epochs": fine_tune_epochs},
            )
        )
    else:
        print("(no local sentence-transformers model: the embedding runs are skipped)")
    micro: list[float] = []
    for label, extra in runs:
        start = time.perf_counter()
        cv = cross_validate(texts, codes, folds=5, language="en", random_state=0, **extra)
        micro.append(cv["micro_f1"])
        print(
            f"5-fold CV ({label}): micro-F1 {cv['micro_f1']:.3f}  macro-F1 {cv['macro_f1']:.3f}"
            f"  P@1 {cv['precision_at_1']:.3f}  Brier {cv['brier']:.4f}"
            f"  fit {cv['fit_seconds']:.2f} s per fold, all {time.perf_counter() - start:.0f} s",
            flush=True,
        )
        if not extra:
            for code, row in cv["per_code"].items():
                if "f1" not in row:  # not enough data in some fold
                    print(f"  {code:26s} {row['status']} (n {row['support']})")
                    continue
                print(
                    f"  {code:26s} P {row['precision']:.3f} R {row['recall']:.3f} "
                    f"F1 {row['f1']:.3f} n {row['support']}"
                )
    if len(micro) == 4:
        print(
            f"micro-F1 ratios: embeddings/none {micro[2] / micro[0]:.3f}, "
            f"fine-tuned/none {micro[3] / micro[0]:.3f}, fine-tuned/embeddings "
            f"{micro[3] / micro[2]:.3f}",
            flush=True,
        )


def semeval(path: Path, quick: bool) -> None:
    texts, codes = read_coded_csv(path)
    print(f"\n== SemEval-2014 restaurants: {path} ({len(texts):,} sentences) ==", flush=True)
    semeval_cv(texts, codes, FINE_TUNE_EPOCHS)
    model = resolve_embeddings("auto")
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
    parser.add_argument(
        "--embeddings", action="store_true", help="only the sentence-embedding figures (4.)"
    )
    parser.add_argument(
        "--data", type=Path, help="with --embeddings: a text,codes CSV instead of SemEval"
    )
    parser.add_argument(
        "--fine-tune-epochs", type=int, default=FINE_TUNE_EPOCHS, help="for the fine-tuned run"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.embeddings:
        path = args.data or shared_data()
        if path is None:
            print("(SemEval data not found in ../shared or /work/shared: nothing to measure)")
            return 0
        embedding_speed(path)
        texts, codes = read_coded_csv(path)
        print(f"\n== {path.name}: 5-fold CV ({len(texts):,} rows) ==")
        semeval_cv(texts, codes, args.fine_tune_epochs)
        print(f"\ntotal benchmark time {time.perf_counter() - start:.0f} s")
        return 0
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
