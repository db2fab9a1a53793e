"""Evaluation: held-out scores, cross-validation, learning curves, a per-code report, and
out-of-fold probabilities for prevalence estimates."""

from __future__ import annotations

import copy
import csv
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.model_selection import KFold

from workbench.codebook._model import Codebook
from workbench.errors import SuggestError

from ._model import NOT_ENOUGH_DATA, CodeSuggester
from ._prevalence import DEFAULT_METHOD, Calibration, Method, _method, estimate_prevalence

__all__ = [
    "cross_validate",
    "evaluate",
    "learning_curve",
    "out_of_fold",
    "read_coded_csv",
    "report",
    "scores",
]

Codes = Sequence[Iterable[str]]


def read_coded_csv(path: str | Path) -> tuple[list[str], list[list[str]]]:
    """Read a CSV with columns ``text`` and ``codes`` (codes separated by ``;``, may be empty).

    Raises
    ------
    SuggestError
        One line naming the file and line: missing file or columns, undecodable bytes, an
        empty text.
    """
    texts, codes, _ = read_coded_csv_lines(path)
    return texts, codes


def read_coded_csv_lines(path: str | Path) -> tuple[list[str], list[list[str]], list[int]]:
    """As :func:`read_coded_csv`, plus the line number where each row ends."""
    path = Path(path)
    name = path.name
    texts: list[str] = []
    codes: list[list[str]] = []
    lines: list[int] = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            missing = [c for c in ("text", "codes") if c not in header]
            if missing:
                raise SuggestError(
                    f"{name}: line 1: missing column(s) {', '.join(missing)}"
                    f" (expected 'text' and 'codes')"
                )
            for row in reader:
                line = reader.line_num
                text = row.get("text")
                if text is None or not text.strip():
                    raise SuggestError(f"{name}: line {line}: the text is empty")
                raw = row.get("codes") or ""
                texts.append(text)
                lines.append(line)
                codes.append([c.strip() for c in raw.split(";") if c.strip()])
    except FileNotFoundError as exc:
        raise SuggestError(f"{name}: no such file") from exc
    except UnicodeDecodeError as exc:
        raise SuggestError(f"{name}: not UTF-8 text") from exc
    except csv.Error as exc:
        raise SuggestError(f"{name}: not a readable CSV file ({exc})") from exc
    if not texts:
        raise SuggestError(f"{name}: no rows")
    return texts, codes, lines


def _matrix(codes: Codes, classes: Sequence[str]) -> np.ndarray:
    index = {c: j for j, c in enumerate(classes)}
    out = np.zeros((len(codes), len(classes)), dtype=np.int8)
    for i, row in enumerate(codes):
        for c in row:
            if c in index:
                out[i, index[c]] = 1
    return out


def scores(
    truth: np.ndarray, pred: np.ndarray, proba: np.ndarray, classes: Sequence[str]
) -> dict[str, Any]:
    """Micro/macro F1, precision at 1, Brier score and per-code figures.

    ``truth``, ``pred`` and ``proba`` hold only the codes that are evaluated.
    """
    tp = (truth & pred).sum(axis=0).astype(float)
    fp = ((1 - truth) & pred).sum(axis=0).astype(float)
    fn = (truth & (1 - pred)).sum(axis=0).astype(float)
    per_code: dict[str, dict[str, Any]] = {}
    f1s = []
    for j, code in enumerate(classes):
        p = tp[j] / (tp[j] + fp[j]) if tp[j] + fp[j] else 0.0
        r = tp[j] / (tp[j] + fn[j]) if tp[j] + fn[j] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        f1s.append(f)
        per_code[str(code)] = {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
            "support": int(truth[:, j].sum()),
            "status": "ok",
        }
    denom = 2 * tp.sum() + fp.sum() + fn.sum()
    micro = float(2 * tp.sum() / denom) if denom else 0.0
    has = truth.sum(axis=1) > 0
    if has.any() and proba.shape[1]:
        top = proba[has].argmax(axis=1)
        p_at_1 = float(truth[has][np.arange(int(has.sum())), top].mean())
    else:
        p_at_1 = 0.0
    brier = float(((proba - truth) ** 2).mean()) if proba.size else 0.0
    return {
        "micro_f1": round(micro, 4),
        "macro_f1": round(float(np.mean(f1s)) if f1s else 0.0, 4),
        "precision_at_1": round(p_at_1, 4),
        "brier": round(brier, 4),
        "n_items": int(len(truth)),
        "per_code": per_code,
    }


def _check_texts(texts: Sequence[str], what: str) -> None:
    for i, t in enumerate(texts):
        if not isinstance(t, str) or not t.strip():
            raise SuggestError(f"{what} item {i + 1}: the text is empty")


def evaluate(
    train_texts: Sequence[str],
    train_codes: Codes,
    test_texts: Sequence[str],
    test_codes: Codes,
    prevalence: bool = True,
    prevalence_method: Method | str = DEFAULT_METHOD,
    n_boot: int = 1000,
    calibration_folds: int = 5,
    **params: Any,
) -> dict[str, Any]:
    """Train a :class:`CodeSuggester` on one part and score it on the other.

    Codes with fewer than ``min_positive`` training examples are listed in ``per_code`` with
    status "not enough data" and left out of the averages.  A test code that never occurs
    in the training data is an error.

    With ``prevalence`` (the default) the share of test items with each code is also
    estimated *without* the test labels, as a corpus would be: out-of-fold probabilities of
    the training items (``calibration_folds``-fold) calibrate ``prevalence_method``, the
    final model's probabilities on the test texts are quantified, and ``n_boot`` bootstrap
    replicates give 95 % intervals (see :mod:`workbench.suggest._prevalence`).  The test
    labels only give ``true``.

    Returns
    -------
    dict
        ``micro_f1``, ``macro_f1``, ``precision_at_1``, ``brier``, ``per_code``,
        ``fit_seconds``, ``not_enough_data`` (list of codes); with ``prevalence`` also
        ``prevalence`` (per usable code: ``true``, ``estimate``, ``classify_and_count``,
        ``ci_low``, ``ci_high``), ``prevalence_mae``, ``classify_and_count_mae``,
        ``prevalence_method`` and ``prevalence_notes`` (code: why a correction fell back).
    """
    _check_texts(train_texts, "train")
    _check_texts(test_texts, "test")
    if len(train_texts) != len(train_codes) or len(test_texts) != len(test_codes):
        raise SuggestError("texts and code lists differ in length")
    prevalence_method = _method(prevalence_method)  # refuse a bad name before fitting
    train_seen = {c for row in train_codes for c in row}
    for i, row in enumerate(test_codes):
        for c in row:
            if c not in train_seen:
                raise SuggestError(
                    f"test item {i + 1}: code {c!r} never appears in the training data"
                )
    start = time.perf_counter()
    model = CodeSuggester(**params).fit(list(train_texts), [list(r) for r in train_codes])
    fit_seconds = time.perf_counter() - start
    result = _score_model(model, test_texts, test_codes, train_codes)
    result["fit_seconds"] = round(fit_seconds, 3)
    result["embeddings"] = model.features_.embeddings
    if prevalence:
        result.update(
            _prevalence(
                model,
                train_texts,
                train_codes,
                test_texts,
                test_codes,
                prevalence_method,
                n_boot,
                calibration_folds,
                # The calibration's inner fits need not fine-tune the embedding model again.
                {**params, "fine_tune_epochs": 0},
            )
        )
    return result


def _prevalence(
    model: CodeSuggester,
    train_texts: Sequence[str],
    train_codes: Codes,
    test_texts: Sequence[str],
    test_codes: Codes,
    method: Method | str,
    n_boot: int,
    folds: int,
    params: dict[str, Any],
) -> dict[str, Any]:
    """The ``prevalence`` part of :func:`evaluate`: estimated on the test texts alone."""
    classes = [str(c) for c in model.classes_]
    usable = [c for c in classes if model.status_[c] != NOT_ENOUGH_DATA]
    seed = int(params.get("random_state") or 0)
    rest = {k: v for k, v in params.items() if k != "random_state"}
    folds = min(folds, len(train_texts))
    if folds < 2:
        raise SuggestError("prevalence needs at least 2 training items for calibration")
    calibration = out_of_fold(
        train_texts, train_codes, folds=folds, classes=classes, random_state=seed, **rest
    )
    proba = pd.DataFrame(model.predict_proba(list(test_texts)), columns=classes)[usable]
    est = estimate_prevalence(proba, calibration, method=method, n_boot=n_boot, seed=seed)
    truth = _matrix(test_codes, usable).mean(axis=0) if len(test_codes) else np.zeros(0)
    out: dict[str, dict[str, float]] = {}
    notes: dict[str, str] = {}
    errors: list[float] = []
    cc_errors: list[float] = []
    for row, true in zip(est.segments.itertuples(index=False), truth, strict=True):
        out[str(row.code)] = {
            "true": round(float(true), 4),
            "estimate": round(float(row.estimate), 4),
            "classify_and_count": round(float(row.classify_and_count), 4),
            "ci_low": round(float(row.ci_low), 4),
            "ci_high": round(float(row.ci_high), 4),
        }
        errors.append(abs(float(row.estimate) - float(true)))
        cc_errors.append(abs(float(row.classify_and_count) - float(true)))
        if row.note:
            notes[str(row.code)] = str(row.note)
    return {
        "prevalence": out,
        "prevalence_mae": round(float(np.mean(errors)), 4) if errors else None,
        "classify_and_count_mae": round(float(np.mean(cc_errors)), 4) if cc_errors else None,
        "prevalence_method": str(est.method),
        "prevalence_notes": notes,
    }


def _score_model(
    model: CodeSuggester, test_texts: Sequence[str], test_codes: Codes, train_codes: Codes
) -> dict[str, Any]:
    classes = [str(c) for c in model.classes_]
    usable = [j for j, c in enumerate(classes) if model.status_[c] != NOT_ENOUGH_DATA]
    truth = _matrix(test_codes, classes)
    proba = model.predict_proba(list(test_texts))
    pred = model.predict(list(test_texts))
    result = scores(
        truth[:, usable], pred[:, usable], proba[:, usable], [classes[j] for j in usable]
    )
    train_counts = _matrix(train_codes, classes).sum(axis=0)
    lacking = []
    for j, c in enumerate(classes):
        if j not in usable:
            lacking.append(c)
            result["per_code"][c] = {
                "precision": None,
                "recall": None,
                "f1": None,
                "support": int(truth[:, j].sum()),
                "train_examples": int(train_counts[j]),
                "status": NOT_ENOUGH_DATA,
            }
        else:
            result["per_code"][c]["train_examples"] = int(train_counts[j])
            result["per_code"][c]["status"] = model.status_[c]
    result["not_enough_data"] = lacking
    return result


def _out_of_fold(
    texts: list[str],
    codes: list[list[str]],
    classes: Sequence[str],
    folds: int,
    random_state: int,
    params: dict[str, Any],
    vocabulary: CodeSuggester | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[float]]:
    """Out-of-fold ``(proba, pred, evaluated, fit_seconds)``; ``evaluated`` is False where a
    fold's model had no learned model for the code.  With ``vocabulary`` (a suggester after
    ``fit_vocabulary``) every fold keeps its features instead of fitting them again."""
    shape = (len(texts), len(classes))
    proba = np.zeros(shape)
    pred = np.zeros(shape, dtype=np.int8)
    evaluated = np.zeros(shape, dtype=bool)
    index = {c: j for j, c in enumerate(classes)}
    times = []
    kf = KFold(folds, shuffle=True, random_state=random_state)
    for tr, te in kf.split(texts):
        start = time.perf_counter()
        model = CodeSuggester(**params)
        if vocabulary is not None:
            # A shallow copy: a fold's fine-tune (``features_.tuning``) stays its own.
            model.features_ = copy.copy(vocabulary.features_)
            model._vocabulary_fixed = True
        model.fit([texts[i] for i in tr], [codes[i] for i in tr])
        times.append(time.perf_counter() - start)
        te_texts = [texts[i] for i in te]
        usable = np.array([model.status_[str(c)] != NOT_ENOUGH_DATA for c in model.classes_])
        p = model.predict_proba(te_texts)
        y = model.predict(te_texts)
        for k, c in enumerate(model.classes_):
            j = index.get(str(c))
            if j is not None and usable[k]:
                proba[te, j] = p[:, k]
                pred[te, j] = y[:, k]
                evaluated[te, j] = True
    return proba, pred, evaluated, times


def out_of_fold(
    texts: Sequence[str],
    codes: Codes,
    folds: int = 5,
    random_state: int = 0,
    segments: Sequence[Any] | None = None,
    classes: Sequence[str] | None = None,
    vocabulary: CodeSuggester | None = None,
    **params: Any,
) -> Calibration:
    """Calibration data for prevalence estimates: out-of-fold probabilities of coded items.

    Each item's probability comes from a :class:`CodeSuggester` fitted on the other folds,
    so it shows how the model errs on items it has not seen.  Where a fold's model had too
    few examples of a code the probability is NaN (that cell calibrates nothing; its label
    still counts).

    Parameters
    ----------
    segments : sequence, optional
        Item ids; use the corpus's segment ids so that
        :func:`~workbench.suggest.estimate_prevalence` counts these labels as known.  The
        default, ``("calibration", i)``, matches no corpus segment: the items only calibrate.
    classes : sequence of str, optional
        Codes (columns); default all codes in ``codes``.
    vocabulary : CodeSuggester, optional
        A suggester whose vocabulary is fitted (:meth:`CodeSuggester.fit_vocabulary` on the
        whole corpus, as a project's model is): each fold keeps it instead of fitting its own,
        which the corpus would make the same anyway.  Its settings replace ``params``.
    **params
        :class:`CodeSuggester` settings, as for the final model.
    """
    _check_texts(texts, "")
    if len(texts) != len(codes):
        raise SuggestError("texts and code lists differ in length")
    if len(texts) < folds:
        raise SuggestError(f"{len(texts)} segments are too few for {folds}-fold cross-validation")
    lists = [list(r) for r in codes]
    classes = list(classes) if classes is not None else sorted({c for r in lists for c in r})
    if vocabulary is not None:
        params = {**vocabulary.get_params(), "random_state": random_state}
    params.setdefault("random_state", random_state)
    proba, _, evaluated, _ = _out_of_fold(
        list(texts), lists, classes, folds, random_state, params, vocabulary
    )
    ids = (
        list(segments) if segments is not None else [("calibration", i) for i in range(len(texts))]
    )
    if len(ids) != len(texts):
        raise SuggestError("segments and texts differ in length")
    return Calibration.from_codes(ids, classes, np.where(evaluated, proba, np.nan), lists)


def cross_validate(
    texts: Sequence[str], codes: Codes, folds: int = 5, random_state: int = 0, **params: Any
) -> dict[str, Any]:
    """K-fold cross-validation; scores are computed on the pooled out-of-fold predictions.

    Returns
    -------
    dict
        As :func:`evaluate`, plus ``folds`` and ``fit_seconds`` (mean per fold).
    """
    _check_texts(texts, "")
    if len(texts) < folds:
        raise SuggestError(f"{len(texts)} segments are too few for {folds}-fold cross-validation")
    lists = [list(r) for r in codes]
    params.setdefault("random_state", random_state)
    classes = sorted({c for r in lists for c in r})
    truth = _matrix(lists, classes)
    proba, pred, evaluated, times = _out_of_fold(
        list(texts), lists, classes, folds, random_state, params
    )
    keep: list[bool] = [bool(v) for v in np.asarray(evaluated.all(axis=0)).ravel()]
    result = scores(
        truth[:, keep],
        pred[:, keep],
        proba[:, keep],
        [c for c, k in zip(classes, keep, strict=True) if k],
    )
    for c, k in zip(classes, keep, strict=True):
        if not k:
            result["per_code"][c] = {
                "status": NOT_ENOUGH_DATA,
                "support": int(truth[:, classes.index(c)].sum()),
            }
    result["not_enough_data"] = [c for c, k in zip(classes, keep, strict=True) if not k]
    result["folds"] = folds
    result["fit_seconds"] = round(float(np.mean(times)), 3)
    return result


def learning_curve(
    texts: Sequence[str],
    codes: Codes,
    sizes: Sequence[int],
    test_size: float = 0.25,
    random_state: int = 0,
    sources: Sequence[str] = ("blend",),
    codebook: Codebook | None = None,
    **params: Any,
) -> list[dict[str, Any]]:
    """Scores on a held-out part after training on the first ``n`` segments, for each ``n``.

    Parameters
    ----------
    sources : sequence of {"blend", "learned", "prior"}
        ``"learned"`` ignores the codebook, ``"prior"`` uses the codebook alone,
        ``"blend"`` uses both (needs ``codebook``; without one it equals "learned").
    codebook : Codebook, optional
        For the prior.  All training texts are given as the unlabelled ``corpus``.

    Returns
    -------
    list of dict
        One row per size and source: ``n``, ``source``, ``micro_f1``, ``macro_f1``,
        ``precision_at_1`` (``None`` when nothing can be learned yet).
    """
    texts = list(texts)
    codes = [list(r) for r in codes]
    params.setdefault("random_state", random_state)
    rng = np.random.default_rng(random_state)
    order = rng.permutation(len(texts))
    n_test = max(1, int(round(test_size * len(texts))))
    test, pool = order[:n_test], order[n_test:]
    test_texts = [texts[i] for i in test]
    test_codes = [codes[i] for i in test]
    corpus = [texts[i] for i in pool]
    rows: list[dict[str, Any]] = []
    for n in sizes:
        chosen = pool[: min(n, len(pool))]
        for source in sources:
            book = None if source == "learned" else codebook
            if source == "prior" and codebook is None:
                raise SuggestError("learning_curve: source 'prior' needs a codebook")
            fit_texts = [] if source == "prior" else [texts[i] for i in chosen]
            fit_codes = [] if source == "prior" else [codes[i] for i in chosen]
            row: dict[str, Any] = {"n": int(len(chosen)), "source": source}
            try:
                model = CodeSuggester(codebook=book, corpus=corpus, **params)
                model.fit(fit_texts, fit_codes)
                known = {str(c) for c in model.classes_}
                kept = [[c for c in r if c in known] for r in test_codes]
                res = _score_model(model, test_texts, kept, fit_codes)
                row.update({k: res[k] for k in ("micro_f1", "macro_f1", "precision_at_1")})
            except SuggestError:
                row.update({"micro_f1": None, "macro_f1": None, "precision_at_1": None})
            rows.append(row)
    return rows


def report(
    texts: Sequence[str],
    codes: Codes,
    folds: int = 5,
    sizes: Sequence[int] | None = None,
    **params: Any,
) -> dict[str, Any]:
    """Per-code cross-validated quality and a learning curve, for ``suggest report``.

    Returns
    -------
    dict
        ``cross_validation`` (see :func:`cross_validate`) and ``learning_curve`` (see
        :func:`learning_curve`).
    """
    n = len(texts)
    if sizes is None:
        sizes = [s for s in (10, 25, 50, 100, 200, 400, 800, 1600) if s < 0.75 * n] + [
            int(0.75 * n)
        ]
    cv = cross_validate(texts, codes, folds=folds, **params)
    curve = learning_curve(texts, codes, sizes, **params)
    return {"cross_validation": cv, "learning_curve": curve}
