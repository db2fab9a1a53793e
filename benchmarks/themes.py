"""Benchmark the emergent-theme finder: does it recover categories that people coded?

Run ``.venv/bin/python benchmarks/themes.py`` (about 30 minutes on 2 shared cores, one thread) or with
``--quick`` (a few minutes, fewer folds, settings and seeds).  Figures only; nothing here is a
timed test.

Data: SemEval-2014 Task 4 restaurant sentences (``/work/shared/benchmarks``), each coded by
people with one or more of five aspect categories.  The categories are hidden, the finder sees
only the sentences, and its groups are compared with the categories:

* *Scoring a multi-label truth against single-label groups.*  All 3,041 sentences are grouped;
  the adjusted Rand index (ARI) and purity are computed on the 2,467 sentences with exactly one
  category (a partition exists only for them).  "any-purity" uses every sentence: a sentence
  counts as right when its group's most frequent category is among its own.
* *k* is either the true number (5) or estimated by the finder.  Purity rises with k by itself,
  so the estimated k is printed beside it; ARI is corrected for chance and comparable across k.
* *Baseline*: plain ``TfidfVectorizer()`` + ``KMeans`` (same seeds and starts; for an estimated
  k the same silhouette sweep over the same range).
* *Tuning by cross-validation only*: the sentences are split into 5 folds; on each, the vector
  settings are chosen by ARI (k = 5) on the other four folds (grouped as they are), then the
  criterion for k by ARI at the estimated k, and the chosen settings are scored on the held-out
  fold (3 seeds).  On the held-out fold the finder runs twice: alone, and with the other folds'
  sentences as ``background`` (their words only, never their categories), as a project would
  pass all its segments.  The library's vector settings are those with the best mean
  training-fold ARI (printed), which is steadier than a vote of the folds; for the criterion
  see ``_Settings`` in ``workbench/analysis/_themes.py``.
* *Swedish*: 150 single-label sentences drawn with a fixed seed (not picked) and translated by
  hand into Swedish (:data:`SWEDISH`); the finder runs on the translations and, for comparison,
  on the English originals, with the library defaults (nothing tuned on them).
* *Through a project*: part 2 also imports the sentences into a project in a temporary folder
  (a survey table, one answer each), codes every one with a single code and runs ``p.themes``
  on it, as a researcher would; it must group as ``propose_themes`` does.
* *The demo study* (part 5): ``p.themes`` on the quotes of needs, expectations and information
  gaps of ``workbench demo`` (16 interviews, half Swedish and half English, and the coded survey
  answers), scored against the child codes its two coders gave those quotes
  (``corpora/demo/themes.yaml``): ARI and purity on the quotes with exactly one theme,
  any-purity on all quotes with a theme (quotes without one are grouped but not scored), k the
  number of themes or estimated, beside TF-IDF+KMeans on the same quotes.  Nothing was tuned on
  it; the estimate of k judging a bilingual set within each language (``_judged`` in
  ``workbench/analysis/_themes.py``) was made after seeing that it split these quotes by
  language, so its figure here is not an independent test of that rule.

Figures without embeddings (``.venv/bin/python benchmarks/themes.py --no-embeddings``, 2
shared cores, seeds 0-2; ARI mean, k = 5 / k estimated):

* SemEval, all sentences: ``propose_themes`` and ``p.themes`` on the project alike 0.213 /
  0.115 (k ~11), TF-IDF+KMeans 0.025 / 0.026.
* The demo study, k = its coders' number of themes / estimated: information gaps 0.252 / 0.186
  (k ~5; TF-IDF+KMeans 0.029 / 0.023), needs 0.117 / 0.050 (0.015 / -0.008), expectations
  0.154 / 0.053 (0.032 / 0.031).  Its Swedish and English quotes share no words, so a theme
  both languages raise comes out as two candidates, one per language: merge them in the view.
* What the function words of talk cost and bring (issue 18: labels such as "ni, kom,
  borde"; pronouns, modals, common verbs and adverbs, numbers and generic nouns added to
  ``SPOKEN_STOP_WORDS``; an English survey answer in a Swedish survey read as English; an
  estimate that splits only by language replaced by themes within each language), before ->
  after, same seeds: SemEval 0.220 -> 0.213 (k = 5) and 0.127 -> 0.115 (estimated); the
  150 hand-translated sentences, k = 5, Swedish 0.020 -> 0.007 and English 0.038 -> 0.017
  (standard deviations 0.02: within their noise, but lower); the demo, k = its number /
  estimated, information gaps 0.142 / 0.135 -> 0.252 / 0.186, needs 0.112 / 0.047 -> 0.117 /
  0.050, expectations 0.126 / 0.029 -> 0.154 / 0.053.  Restaurant sentences are written,
  not spoken, so the words of talk matter less there; the interview study is what the
  finder is for.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import itertools
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.model_selection import KFold
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _data import semeval  # noqa: E402

import workbench  # noqa: E402
from workbench import ingest  # noqa: E402
from workbench.analysis import propose_themes  # noqa: E402
from workbench.analysis._themes import (  # noqa: E402
    CRITERIA,
    DEFAULT_SETTINGS,
    MAX_THEMES,
    MIN_QUOTES_PER_THEME,
    SILHOUETTE_SAMPLE,
    _Corpus,
    _criterion,
    _group,
    _quote_vectors,
    _Settings,
    _sweep,
)
from workbench.codebook import Code, Codebook  # noqa: E402
from workbench.project import Project, build_demo  # noqa: E402
from workbench.suggest._embed import load_embedder, resolve_embeddings  # noqa: E402

TRUE_K = 5
#: The one code every SemEval sentence gets in the benchmark's project (its categories hidden).
ASPECT = "aspect"
#: The demo study's codes whose child codes (its coders' themes) are the truth.
DEMO_PARENTS = ("bp-needs", "bp-expectations", "bp-information-gaps")
SAMPLE_SEED = 2014  # the seed that drew the Swedish sample (see swedish_sample)
EMBEDDING_WEIGHTS = (1.0, 2.0, 4.0)  # scales of the embedding block tried on the folds


def load(path: Path) -> tuple[list[str], list[list[str]]]:
    """Sentences and their categories."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [r["text"] for r in rows], [r["codes"].split(";") for r in rows]


# ----------------------------------------------------------------------------- scoring
@dataclass(frozen=True)
class Score:
    """Agreement of one grouping with the hidden categories."""

    ari: float
    purity: float
    any_purity: float
    k: int


def score(groups: np.ndarray, truth: Sequence[Sequence[str]]) -> Score:
    """ARI and purity on the single-category sentences, any-purity on all (module docstring)."""
    single = np.array([len(t) == 1 for t in truth])
    y = np.array([t[0] for t in truth])[single]
    g = groups[single]
    ari = adjusted_rand_score(y, g)
    purity = sum(Counter(y[g == c].tolist()).most_common(1)[0][1] for c in np.unique(g)) / len(y)
    right = 0
    for c in np.unique(groups):
        members = np.flatnonzero(groups == c)
        top = Counter(lab for i in members for lab in truth[i]).most_common(1)[0][0]
        right += sum(top in truth[i] for i in members)
    return Score(float(ari), float(purity), right / len(truth), len(np.unique(groups)))


def mean_scores(scores: Sequence[Score]) -> str:
    def ms(values: list[float]) -> str:
        sd = statistics.stdev(values) if len(values) > 1 else 0.0
        return f"{statistics.mean(values):.3f}±{sd:.3f}"

    return (
        f"ARI {ms([s.ari for s in scores])}  purity {ms([s.purity for s in scores])}  "
        f"any-purity {ms([s.any_purity for s in scores])}  "
        f"k {statistics.mean([s.k for s in scores]):.1f}"
    )


# ----------------------------------------------------------------------------- the two methods
def finder_groups(
    texts: Sequence[str],
    k: int | None,
    seed: int,
    settings: _Settings,
    embeddings: str | None = None,
    background: Sequence[str] = (),
) -> np.ndarray:
    """The finder's grouping (its internals, without the labels: for tuning)."""
    corpus = _Corpus(texts, "auto", background)
    vectors = _quote_vectors(corpus, settings, seed, embeddings)
    return _group(vectors, k, seed, settings)


def themes_groups(
    texts: Sequence[str], k: int | None, seed: int, embeddings: str | None = None
) -> np.ndarray:
    """The grouping :func:`propose_themes` returns (public function, library defaults)."""
    quotes = pd.DataFrame({"segment": range(len(texts)), "participant": "x", "text": texts})
    frame = propose_themes(quotes, k=k, seed=seed, embeddings=embeddings)
    groups = np.zeros(len(texts), dtype=np.int64)
    for theme, segments in zip(frame["theme"], frame["segments"], strict=True):
        groups[segments] = theme
    return groups


def semeval_project(texts: Sequence[str], folder: Path) -> tuple[Project, dict[int, int]]:
    """A project in ``folder`` as a researcher would make it: the sentences imported as the
    answers of a survey (one document each, English), every one coded with :data:`ASPECT`.
    Returns the project and each sentence's segment id by its position."""
    table = folder / "sentences.csv"
    with table.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "text"])
        writer.writerows((f"S{i:04d}", text) for i, text in enumerate(texts))
    book = Codebook(
        id="semeval",
        title={"en": "SemEval-2014", "sv": "SemEval-2014"},
        codes=(Code(id=ASPECT, label={"en": "Aspect", "sv": "Aspekt"}),),
    )
    project = workbench.init(folder / "study", codebook=book)
    project.import_files(
        [table],
        table=ingest.TableColumns(id="id", text="text"),
        language="en",
        pseudonymise=False,
        progress=False,
    )
    segments = project.segments(role="interviewee")
    row = {name: int(name.rsplit("#", 1)[1]) - 2 for name in segments["document"]}  # sheet row
    position = {
        row[d]: int(s) for d, s in zip(segments["document"], segments["segment"], strict=True)
    }
    project.store.bulk_add_codings(
        [
            {
                "segment_id": sid,
                "code_id": ASPECT,
                "coder": "semeval",
                "start": int(a),
                "end": int(b),
            }
            for sid, a, b in zip(
                segments["segment"], segments["start"], segments["end"], strict=True
            )
        ],
        user="benchmark",
    )
    return project, position


def project_groups(
    project: Project, position: dict[int, int], n: int, k: int | None, seed: int
) -> np.ndarray:
    """The grouping ``p.themes`` returns on the benchmark's project, by sentence position."""
    frame = project.themes(ASPECT, k=k, seed=seed)
    theme_of = {
        int(s): int(t)
        for t, segs in zip(frame["theme"], frame["segments"], strict=True)
        for s in segs
    }
    return np.array([theme_of[position[i]] for i in range(n)], dtype=np.int64)


def baseline_groups(texts: Sequence[str], k: int | None, seed: int) -> np.ndarray:
    """Plain TF-IDF + KMeans; k estimated by the same silhouette sweep as the finder's."""
    x = TfidfVectorizer().fit_transform(texts)
    n_init = DEFAULT_SETTINGS.n_init
    if k is not None:
        return KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit_predict(x)
    best: tuple[float, int] | None = None
    for kk in range(2, min(MAX_THEMES, len(texts) // MIN_QUOTES_PER_THEME) + 1):
        labels = KMeans(
            n_clusters=kk, n_init=DEFAULT_SETTINGS.n_init_search, random_state=seed
        ).fit_predict(x)
        if len(set(labels.tolist())) < 2:
            continue
        size = SILHOUETTE_SAMPLE if len(texts) > SILHOUETTE_SAMPLE else None
        s = float(silhouette_score(x, labels, metric="cosine", sample_size=size, random_state=seed))
        if best is None or s > best[0]:
            best = (s, kk)
    if best is None:
        return np.zeros(len(texts), dtype=np.int64)
    return KMeans(n_clusters=best[1], n_init=n_init, random_state=seed).fit_predict(x)


# ----------------------------------------------------------------------------- cross-validation
def grid(quick: bool) -> list[_Settings]:
    """Vector settings tried on the training folds."""
    dims = (25, 50) if quick else (25, 50, 100)
    powers = (0.5, 1.0)
    tfidf = (0.0, 0.5)
    return [
        _Settings(dimensions=d, eigen_power=p, tfidf_weight=t)
        for d, p, t in itertools.product(dims, powers, tfidf)
    ]


def describe(settings: _Settings, embeddings: bool = False) -> str:
    text = (
        f"dims={settings.dimensions} power={settings.eigen_power} "
        f"tfidf={settings.tfidf_weight} criterion={settings.criterion}"
    )
    return text + (f" embedding_weight={settings.embedding_weight}" if embeddings else "")


def tune(
    texts: list[str],
    truth: list[list[str]],
    candidates: list[_Settings],
    embeddings: str | None,
    log: dict[str, list[float]],
) -> _Settings:
    """Settings with the best ARI on these (training) sentences: the vectors at k = 5, then
    the embedding weight (when used), then the criterion for k at the estimated k.  Every
    ARI is appended to ``log`` under the setting's description."""

    def ari(settings: _Settings) -> float:
        value = score(finder_groups(texts, TRUE_K, 0, settings, embeddings), truth).ari
        log.setdefault(describe(settings, embeddings is not None), []).append(value)
        return value

    best = max(candidates, key=ari)
    if embeddings is not None:
        best = max((replace(best, embedding_weight=w) for w in EMBEDDING_WEIGHTS), key=ari)
    # One sweep over k serves every criterion (scored on the sweep's own partitions).
    vectors = _quote_vectors(_Corpus(texts, "auto"), best, 0, embeddings)
    sweep = _sweep(vectors, 0, best.n_init_search)
    aris = {k: score(labels, truth).ari for k, labels in sweep.items()}

    def ari_at_estimate(criterion: str) -> float:
        picked = {k: _criterion(vectors, labels, criterion, 0) for k, labels in sweep.items()}
        value = aris[max(picked, key=lambda k: (picked[k], -k))]
        log.setdefault(f"k by {criterion}", []).append(value)
        return value

    return replace(best, criterion=max(CRITERIA, key=ari_at_estimate))


def cross_validate(
    texts: list[str],
    truth: list[list[str]],
    *,
    folds: int,
    seeds: Sequence[int],
    quick: bool,
    embeddings: str | None,
    base: Sequence[_Settings] = (),
) -> list[_Settings]:
    """Nested: choose on four folds, report on the fifth (see the module docstring); with
    ``embeddings``, the word-vector settings are ``base`` (those chosen for the fold without
    them) and only the embedding weight and the criterion are chosen.  Returns the choices."""
    results: dict[str, list[Score]] = {}
    chosen: list[str] = []
    picks: list[_Settings] = []
    log: dict[str, list[float]] = {}
    splitter = KFold(folds, shuffle=True, random_state=0)
    for f, (train, test) in enumerate(splitter.split(texts)):
        t0 = time.perf_counter()
        candidates = [base[f]] if base else grid(quick)
        settings = tune(
            [texts[i] for i in train], [truth[i] for i in train], candidates, embeddings, log
        )
        picks.append(settings)
        chosen.append(describe(settings, embeddings is not None))
        held, held_truth = [texts[i] for i in test], [truth[i] for i in test]
        background = [texts[i] for i in train]  # their words only, never their categories
        for seed in seeds:
            for k, name in ((TRUE_K, "k=5"), (None, "k estimated")):
                groups = finder_groups(held, k, seed, settings, embeddings, background)
                results.setdefault(f"finder, {name}", []).append(score(groups, held_truth))
                groups = finder_groups(held, k, seed, settings, embeddings)
                key = f"finder without background, {name}"
                results.setdefault(key, []).append(score(groups, held_truth))
                if embeddings is None:
                    groups = baseline_groups(held, k, seed)
                    results.setdefault(f"baseline, {name}", []).append(score(groups, held_truth))
        took = time.perf_counter() - t0
        print(f"  fold {f + 1}: chose {chosen[-1]}  ({took:.0f} s)", flush=True)
    for name, scores in sorted(results.items()):
        print(f"  held-out {name:22s} {mean_scores(scores)}")
    print("  training-fold ARI of every setting tried (mean over the folds that tried it):")
    for name, values in sorted(log.items(), key=lambda item: -statistics.mean(item[1])):
        print(f"    {statistics.mean(values):.3f}  ({len(values)} folds)  {name}")
    top, times = Counter(chosen).most_common(1)[0]
    print(f"  chosen most often ({times} of {folds} folds): {top}")
    return picks


# ----------------------------------------------------------------------------- runs
def full_runs(
    texts: list[str], truth: list[list[str]], seeds: Sequence[int], embeddings: str | None
) -> None:
    """The public function with its defaults on all sentences, next to the baseline."""
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        project, position = semeval_project(texts, Path(tmp))
        made = time.perf_counter() - t0
        arms: list[tuple[str, Callable[[int | None, int], np.ndarray]]] = [
            ("propose_themes", lambda k, s: themes_groups(texts, k, s)),
            (
                "p.themes (a project of the sentences)",
                lambda k, s: project_groups(project, position, len(texts), k, s),
            ),
            ("baseline TF-IDF+KMeans", lambda k, s: baseline_groups(texts, k, s)),
        ]
        if embeddings is not None:
            name = f"propose_themes+{Path(embeddings).name}"
            arms.insert(1, (name, lambda k, s: themes_groups(texts, k, s, embeddings)))
        try:
            for name, run in arms:
                for k, kname in ((TRUE_K, "k=5"), (None, "k estimated")):
                    scores = [score(run(k, s), truth) for s in seeds]
                    print(f"  {name:38s} {kname:12s} {mean_scores(scores)}", flush=True)
        finally:
            project.close()
    print(f"  (the project: {len(texts)} answers imported and coded in {made:.1f} s)")


# ----------------------------------------------------------------------------- the demo study
@dataclass(frozen=True)
class DemoTruth:
    """The quotes ``p.themes(parent)`` groups and the themes the demo's coders gave them."""

    segments: list[int]
    texts: list[str]
    themes: list[list[str]]  # child codes of the parent on each quote (any coder); may be empty


def demo_truth(project: Project, parent: str) -> DemoTruth:
    """Every quote of ``parent`` (as ``p.themes`` reads them) with its coders' child codes."""
    from workbench.project._themes import theme_quotes

    quotes = theme_quotes(project, parent).quotes
    children = [c.id for c in project.codebook.children(parent)]
    coded = project.codings(code=children)
    by_segment: dict[int, set[str]] = {}
    for segment, code in zip(coded["segment"], coded["code"], strict=True):
        by_segment.setdefault(int(segment), set()).add(str(code))
    segments = [int(s) for s in quotes["segment"]]
    return DemoTruth(
        segments,
        [str(t) for t in quotes["text"]],
        [sorted(by_segment.get(s, ())) for s in segments],
    )


def demo(seeds: Sequence[int]) -> None:
    """How well ``p.themes`` on the demo study recovers the themes its two coders developed
    under needs, expectations and information gaps (``corpora/demo/themes.yaml``): ARI and
    purity on the quotes that carry a theme, next to TF-IDF+KMeans on the same quotes."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "demo"
        with contextlib.redirect_stdout(io.StringIO()):  # the build's own report
            build_demo(folder, progress=False)
        project = workbench.open(folder)
        try:
            for parent in DEMO_PARENTS:
                truth = demo_truth(project, parent)
                themed = [i for i, t in enumerate(truth.themes) if t]
                scored = [truth.themes[i] for i in themed]
                n_themes = len({t for ts in scored for t in ts})
                print(
                    f"  {parent}: {len(truth.segments)} quotes, {len(themed)} with a theme "
                    f"({sum(len(t) == 1 for t in scored)} with one), {n_themes} themes"
                )
                index = {s: i for i, s in enumerate(truth.segments)}

                def finder(
                    k: int | None, seed: int, parent: str = parent, index: dict[int, int] = index
                ) -> np.ndarray:
                    frame = project.themes(parent, k=k, seed=seed)
                    groups = np.zeros(len(index), dtype=np.int64)
                    for theme, segs in zip(frame["theme"], frame["segments"], strict=True):
                        groups[[index[int(s)] for s in segs]] = theme
                    return groups

                arms: list[tuple[str, Callable[[int | None, int], np.ndarray]]] = [
                    ("p.themes", finder),
                    (
                        "baseline TF-IDF+KMeans",
                        lambda k, s, x=truth.texts: baseline_groups(x, k, s),
                    ),
                ]
                for name, run in arms:
                    for k, kname in ((n_themes, f"k={n_themes}"), (None, "k estimated")):
                        scores = []
                        t0 = time.perf_counter()
                        for seed in seeds:
                            groups = run(k, seed)
                            scores.append(score(groups[themed], scored))
                        took = (time.perf_counter() - t0) / len(seeds)
                        print(
                            f"    {name:24s} {kname:12s} {mean_scores(scores)}  ({took:.1f} s)",
                            flush=True,
                        )
        finally:
            project.close()


def speed(texts: list[str], embeddings: str | None) -> None:
    """Seconds for 100, 1,000 and 3,000 quotes (the first ones of the file), one run each;
    the sentence model is loaded and the texts encoded beforehand (its cache), so the
    embedding figure is the grouping with the wider vectors."""
    if embeddings is not None:
        load_embedder(embeddings).encode(texts[:3000])
    themes_groups(texts[:20], None, 0)  # imports and first calls out of the way
    for n in (100, 1000, 3000):
        sample = texts[:n]
        cells = []
        for k in (None, TRUE_K):
            kname = "est" if k is None else str(k)
            t0 = time.perf_counter()
            themes_groups(sample, k, 0)
            cells.append(f"propose_themes k={kname} {time.perf_counter() - t0:5.1f} s")
            t0 = time.perf_counter()
            baseline_groups(sample, k, 0)
            cells.append(f"baseline {time.perf_counter() - t0:5.1f} s")
        if embeddings is not None:
            t0 = time.perf_counter()
            themes_groups(sample, None, 0, embeddings)
            cells.append(f"+embeddings k=est {time.perf_counter() - t0:5.1f} s")
        print(f"  {len(sample):5d} quotes: " + "  ".join(cells), flush=True)


def swedish_sample(truth: list[list[str]]) -> list[int]:
    """The rows the Swedish sample was drawn as: 150 single-category sentences, seed 2014."""
    single = [i for i, t in enumerate(truth) if len(t) == 1]
    rng = np.random.default_rng(SAMPLE_SEED)
    return sorted(rng.choice(single, 150, replace=False).tolist())


def swedish(
    texts: list[str], truth: list[list[str]], seeds: Sequence[int], embeddings: str | None
) -> None:
    """The finder on the Swedish translations and on their English originals."""
    rows = swedish_sample(truth)
    if rows != sorted(SWEDISH):
        print("  the translated rows are not the seeded sample of this file; skipped")
        return
    sample_truth = [truth[i] for i in rows]
    versions = {"Swedish": [SWEDISH[i] for i in rows], "English": [texts[i] for i in rows]}
    for lang, sample in versions.items():
        arms: list[tuple[str, Callable[[int | None, int], np.ndarray]]] = [
            ("propose_themes", lambda k, s, x=sample: themes_groups(x, k, s)),
            ("baseline", lambda k, s, x=sample: baseline_groups(x, k, s)),
        ]
        if embeddings is not None:
            arms.append(
                (
                    f"+{Path(embeddings).name}",
                    lambda k, s, x=sample: themes_groups(x, k, s, embeddings),
                )
            )
        for name, run in arms:
            for k, kname in ((TRUE_K, "k=5"), (None, "k estimated")):
                scores = [score(run(k, s), sample_truth) for s in seeds]
                print(f"  {lang:8s} {name:28s} {kname:12s} {mean_scores(scores)}", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the emergent-theme finder.")
    parser.add_argument("--quick", action="store_true", help="fewer folds, settings and seeds")
    parser.add_argument("--no-embeddings", action="store_true", help="skip the embedding arms")
    parser.add_argument(
        "--only", choices=("cv", "full", "speed", "swedish", "demo"), help="run one part only"
    )
    parser.add_argument("--data", type=Path, help="a text,codes CSV instead of SemEval")
    args = parser.parse_args(argv)
    # One thread throughout, as propose_themes runs: the same vectors, and a fair speed race.
    threadpool_limits(limits=1)
    path = args.data or semeval()
    if path is None:
        print("SemEval-2014 data not found (../shared/benchmarks); give --data", file=sys.stderr)
        return 1
    texts, truth = load(path)
    embeddings = None if args.no_embeddings else resolve_embeddings("auto")
    seeds = (0,) if args.quick else (0, 1, 2)
    n_single = sum(len(t) == 1 for t in truth)
    print(
        f"{path.name}: {len(texts)} sentences, {n_single} with one category; "
        f"embeddings: {embeddings or 'none installed'}"
    )
    print(f"library defaults: {describe(DEFAULT_SETTINGS)}")
    if args.only in (None, "cv"):
        print("\n1. Nested cross-validation (settings chosen on 4 folds, scored on the 5th)")
        folds = 2 if args.quick else 5
        picks = cross_validate(
            texts, truth, folds=folds, seeds=seeds, quick=args.quick, embeddings=None
        )
        if embeddings is not None and not args.quick:
            print(f"\n1b. The same with sentence embeddings ({embeddings})")
            cross_validate(
                texts,
                truth,
                folds=folds,
                seeds=seeds,
                quick=True,
                embeddings=embeddings,
                base=picks,
            )
    if args.only in (None, "full"):
        print("\n2. All sentences, library defaults (seeds " + ", ".join(map(str, seeds)) + ")")
        full_runs(texts, truth, seeds, embeddings)
    if args.only in (None, "speed"):
        print("\n3. Speed (one run each, 2 shared cores)")
        speed(texts, embeddings)
    if args.only in (None, "swedish") and args.data is None:  # translations of SemEval rows
        print("\n4. Swedish: 150 sentences translated by hand, library defaults (seeds 0-4)")
        swedish(texts, truth, (0, 1, 2, 3, 4), embeddings)
    if args.only in (None, "demo"):
        print("\n5. The demo study: p.themes against the themes its coders developed")
        demo(seeds)
    return 0


# The Swedish sample: row of train.csv -> a faithful hand translation.  The rows are the ones
# swedish_sample() draws (seed 2014); they were translated before any figure on them was seen.
SWEDISH = {
    2: "Maten är genomgående enastående, med ett mycket kunnigt kök som stolt lagar vad du än är sugen på, oavsett om det står på menyn eller inte.",
    30: "Gå inte ensam – inte ens två personer räcker för hela upplevelsen, med pickles och ett urval av kött och skaldjur.",
    71: "Jag gillade ölutbudet!",
    83: "Servicen varierar från dag till dag – ibland är de väldigt trevliga, ibland inte.",
    140: "Lavakakan till efterrätt var otrolig och jag rekommenderar den.",
    173: "Hela min familj var förfärad.",
    188: "Kolla in det",
    190: "Gå inte dit.",
    218: "Det kunde ha skötts bättre.",
    219: "Servicen var uppmärksam och hennes förslag från menyn var helt rätt.",
    266: "Gör det bara inte.",
    302: "Med så många dåliga upplevelser att få i teaterkvarteren är det verkligen ett utmärkt fynd!",
    305: "Var där i går kväll för vår tvåårsdag och var inte särskilt imponerade.",
    336: "Sexigt.",
    366: "Personalen är väldigt tillmötesgående.",
    383: "Äkta bistro!",
    386: "Det är sant, det här stället är inte billigt.",
    427: "Menyn är kanske inte särskilt banbrytande, men allt jag har provat hittills har varit välgjort och gott.",
    481: "Det sitter fint varje gång",
    484: "Låt dig inte luras av folkmassorna.",
    513: "Jag hade inte ens klagat om maten åtminstone hade smakat gott, men kvaliteten på maten var usel också.",
    516: "Bra för affärsluncher med kunder också.",
    552: "Den är tjock och lite blöt.",
    626: "Bra för en avslappnad middag i jeans och gympaskor.",
    632: "Stället har många olika sorters pizza och alla är fantastiska.",
    669: "Vi åt här i mars 2006 och beställde förteatermiddagen med tre rätter och vinprovning.",
    671: "Förmodligen mycket mer folk till lunch, det är sällan fullt till middag (för nära downtown).",
    704: "Kombinationen av färsk tomatsås, färsk mozzarella, basilika och degen de gör på importerat mjöl gör den här till en av de bättre pizzorna i New York.",
    739: "Vi fick med oss det mesta hem.",
    764: "Förutom professortypen i skägg och manchesterkavaj med NYU-studenten han ligger med den veckan ser man en märklig blandning av hipsters, festglada studenter, Will Smith-typer som behöver få höra att de är svarta och bittra pumor som inte förstår varför de inte är gifta än ...",
    777: "Allt som allt ser jag inte hur man kan gå fel.",
    779: "Vi bestämde oss nyligen för att prova det här stället och till vår glädje har de uteservering, perfekt eftersom jag hade min yorkie med mig.",
    802: "Sushin var hemsk!",
    858: "Det bästa jag smakade var lammkotletterna.",
    864: "Om du bor utanför området, bry dig inte!",
    888: "Älskar Pizza 33..",
    893: "Jag har varit här ett par gånger och har inte blivit imponerad.",
    924: "Hurley's är fantastiskt!",
    937: "Maten är god, särskilt de enklare rätterna, och drinkarna är utsökta.",
    940: "En varm dag var det underbart att gå in och äta lunch.",
    959: "Nudel- och risrätterna smakar jättegott.",
    1021: "Jag har ätit på många pizzerior i New York och det här är utan tvekan den sämsta.",
    1035: "Jag gick till Areo en söndagseftermiddag med fyra av mina väninnor och tillbringade tre trevliga timmar där.",
    1049: "Stället var lugnt och förtjusande.",
    1089: "Picklesen var ett bra tillskott.",
    1129: "Kolla in det.",
    1145: "GÅ HIT.",
    1171: "Vi började med gravad lax och musslor (de bästa jag någonsin ätit) och åt torsk och forell till middag.",
    1187: "Jag älskar det här stället.",
    1192: "Folket i restaurangen var ganska otrevliga och högljudda.",
    1197: "Vi blev väl omhändertagna av den entusiastiska personalen, särskilt chefen Tony Gaskin som gav utmärkta förslag när vi valde från menyn.",
    1219: "Big Wong får en stor eloge för ett fint ställe.",
    1237: "Murray gör det inte.",
    1283: "Det här stället måste ha kostat ägarna en förmögenhet att bygga.",
    1333: "Och det är ingen liten bedrift ...",
    1338: "Jag ÄLSKAR deras kryddiga pilgrimsmusselrulle, och min pojkvän tar alltid sesamkycklingen.",
    1344: "En del servitörer får dig att känna att de gör dig en tjänst när de kommer med maten.",
    1364: "Menyn verkade ha ett brett utbud av rätter för den som älskar skaldjur och intressanta sätt att tillaga dem.",
    1373: "Chennai Garden är min favorit bland indiska restauranger i stan.",
    1396: "Vi åt just på Kai och blev besvikna.",
    1403: "Det var underbart.",
    1416: "Man kunde tro att vi skulle få en ursäkt eller bjudas på drinkar – i stället fick vi en snorkig servitör som inte ens tog vår beställning på 15 minuter och var uppkäftig när vi bad honom om det.",
    1456: "Eftersom jag gillar kryddstark etnisk mat, indisk också, blev jag vän med det här stället för länge sedan.",
    1472: "Tydligen jobbar den bra kocken då.",
    1523: "De luktar som om de fyllts med gamla konservgrönsaker, som calzonen med spenat och svamp.",
    1530: "Fantastisk atmosfär och värt varenda krona.",
    1604: "Överlag en utmärkt restaurang!",
    1646: "Det verkar vara ägarens första satsning och det märks.",
    1688: "Jag har ätit på Taj Mahal i över tjugo år och tycker att det är det bästa av de indiska matställena i det här kvarteret med indiska restauranger.",
    1719: "Biffen är god, fisken är god och sushin var förvånansvärt fantastisk.",
    1721: "Gammal skola möter ny värld.",
    1775: "Och trots sin pubatmosfär var de jättesnälla mot mina barn också!",
    1797: "Enda nackdelen – de rostar inte din bagel, och de gör inga ägg till bageln.",
    1801: "Atmosfären saknas förstås, men vad väntar man sig av ett bagelställe som har öppet dygnet runt?",
    1804: "Cornelia Street ser ut som en Broadwaykuliss till West Side Story och Po är så häftigt och pittoreskt inuti att man verkligen inte kan överträffa miljön för en romantisk middag i New York.",
    1825: "Restaurangen var smutsig och ovårdad.",
    1826: "Trevligt ställe ändå.",
    1865: "Jag äter ute på många olika restauranger och det här är ett ställe du måste gå till och prova.",
    1869: "Servitörerna är långsamma men söta.",
    1871: "Vi gick till Ino på alla hjärtans dag.",
    1873: "Det var bra, men inte vad jag hade trott att det skulle vara.",
    1890: "Den vanliga pizzabiten är jättegod och tar man pålägg täcks hela biten av dem, de är inte glest utströdda som på vissa ställen.",
    1893: "Av recensionerna här att döma verkar restaurangen bli överbelastad efter klockan sju på kvällen.",
    1908: "Personalen har alltid varit uppmärksam och vänlig, och jag har alltid förundrats över hur de har hanterat alla olika sällskapsstorlekar som kommer in.",
    1919: "Har just flyttat till området och vi har provat alla sushirestauranger i West Village.",
    1956: "Den sicilianska är min favorit, den är saftig och inte torr som på de flesta ställen, men all deras pizza är jättegod!",
    1965: "Det här är definitivt ett utmärkt ställe för en dejt tack vare stämningen, och på helgerna är nattlivet mer än livligt.",
    2021: "God mat.",
    2024: "Pestopizzan var utmärkt, tunn botten med en lagom mängd kryddig italiensk ost som jag aldrig hört talas om förut.",
    2039: "Delikata kryddor, lök, ägg och en grym roti.",
    2057: "Ta bara med någon som talar kantonesiska, för servitören kanske inte förstår dig.",
    2086: "Personalen har alltid varit vänlig utan att bli påträngande, och kocken har hälsat på oss ett par gånger.",
    2103: "En utmärkt service",
    2122: "Vill du ha äkta thailändsk mat behöver du inte leta längre än till Toons.",
    2134: "Man kan faktiskt få två salladers värde om man tar hem den och blandar med lite sallad!",
    2146: "Jag har väntat över en timme på maten.",
    2159: "Visst kommer ni att få ett bord med knappt tillräckligt med plats (hur stort sällskapet än är), men den varma atmosfären är värd trängseln – ni kommer att ha roligt och glömma hur trångt ni sitter.",
    2171: "Servicen var uppmärksam men diskret.",
    2182: "Stämningen är knappast romantisk men ledningen försöker.",
    2188: "Inget är bättre än att köpa en Snapple för 3,25 dollar heller.",
    2216: "Det är gudomligt!",
    2258: "Den röda curryn är blek och smaklös, pad thain är hopklibbad och klumpig, riset är ofta överkokt och skaldjuren är ganska tvivelaktiga.",
    2262: "Vi tar alltid in ett urval av förrätter och delar.",
    2268: "Jag gillar Cafe Noir, missförstå mig inte, det är bara det att de som jobbar där är elaka och inkompetenta!!",
    2278: "När det gäller baren är det här ännu en dålig idé.",
    2290: "Inga planer på att komma tillbaka i närtid.",
    2303: "Vill du bli lurad utan trendighet – ät här.",
    2340: "Hela upplägget är verkligen oprofessionellt och jag önskar att Cafe Noir skaffade bra personal, för trots den nuvarande är det ett fantastiskt ställe.",
    2344: "Vi avslutade vår fantastiska upplevelse med Gulab Jamun (efterrätt) som servitören rekommenderade.",
    2362: "hoppa över efterrätten.",
    2393: "Nej, verkligen.",
    2429: "Fantastisk meny full av unika rullar och speciella rätter.",
    2454: "Middagsmenyn är också varierad och förstklassig.",
    2471: "Jag skulle gärna gå tillbaka någon gång, men inte innan jag provat andra ställen i närheten.",
    2473: "Jag tyckte att den här restaurangen verkligen värdesätter sina gäster.",
    2487: "Säg också till om du vill ha maten kryddstark – annars är den ganska blek.",
    2496: "Min fisk var utsökt i en otrolig currysås.",
    2521: "Råvarorna är ekologiska, vilket är ett stort plus för mig.",
    2549: "Smakerna kraftfulla och subtila.",
    2608: "Har varit där dussintals gånger och alltid njutit av upplevelsen.",
    2612: "Anledningen till att det är så fullt är förstås att maten är så utsökt!",
    2619: "Jag är inte säker på att jag skulle kalla maten här indisk, eftersom den är en fusion av något som verkar vara franskt med en indisk eller exotisk touch.",
    2629: "Maten var faktiskt vidrig.",
    2643: "Flera av dim sum-beställningarna hade ungefär 6–8 bitar.",
    2644: "Jag förstår inte varför de andra recensenterna gnäller så mycket.",
    2647: "Tre sidor vinlista, en sida varmrätter och smårätter.",
    2684: "Jag har gått till The Tasting Room ända sedan det öppnade i East Village och har aldrig blivit besviken.",
    2689: "Dim sum här är bara sådär.",
    2690: "Det regnade och vi tänkte varför inte?",
    2693: "Ännu ett välkommet tillskott i området.",
    2698: "Ångkokt färskt och serverat rykande hett vid bordet.",
    2703: "jag känner faktiskt att jag borde hålla det hemligt.",
    2711: "Bageln var enorm.",
    2715: "Det var en mycket trevlig överraskning.",
    2728: "Och fast borden bredvid oss blev lediga och vi BAD om lite mer plats lät de oss sitta obekvämt kvar.",
    2747: "De är otrevliga ibland och inte särskilt vänliga.",
    2769: "Jag skulle rekommendera att skriva upp sitt namn och sedan ta en drink på en bar i närheten först, på grund av väntetiden.",
    2806: "Det här var inte den väntade menyn med bara pad thai och tom yum-soppa, men jag tyckte att det var just det som gjorde stället så speciellt.",
    2834: "Ska ge det en chans till innan jag avskriver det.",
    2852: "Ta inte Go Go-hamburgarna, vad recensionerna än säger.",
    2901: "Vi fick en plats och blev sedan ignorerade av servitörerna.",
    2920: "Jag har bara behövt vänta ett fåtal gånger vid lunch, men det här stället är definitivt värt väntan.",
    2986: "Jag har bott i New York i många år och har ätit på många restauranger.",
    2993: "Jag var inte där för halvprisspecialen på lördagskvällen utan på en tisdagskväll.",
    3005: "Jag växte upp med de här bagelsen.",
    3013: "I Kina säger man att en bra restaurang är varm och högljudd.",
    3024: "de lyckades klämma in mig klockan sex efter att jag ringt kvällen före min bröllopsdag för en bordsbokning på fredagskvällen, och sa att de skulle ta väl hand om oss för tillfället.",
    3025: "Oj, vad jag hade fel!",
    3038: "När vi kom klockan 18.00 var restaurangen nästan tom.",
    3040: "Nästa gång går jag till stället i Midtown.",
}


if __name__ == "__main__":
    raise SystemExit(main())
