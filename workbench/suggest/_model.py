"""`CodeSuggester`: a multi-label scikit-learn estimator that suggests codes for segments."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from joblib import effective_n_jobs
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC
from sklearn.utils.validation import check_is_fitted

from workbench.codebook._model import Codebook
from workbench.errors import SuggestError

from . import _active
from ._embed import fine_tune, resolve_embeddings
from ._prior import codable_codes, code_documents, codebook_hash, prior_matrix, prior_proba
from ._text import (
    LANGUAGE_CHOICES,
    TextFeatures,
    resolve_language,
    stem_pairs,
    stop_words,
    word_ngrams,
)

__all__ = ["OK", "NOT_ENOUGH_DATA", "PRIOR_ONLY", "CodeSuggester", "Suggestion"]

OK = "ok"
NOT_ENOUGH_DATA = "not enough data"
PRIOR_ONLY = "prior only"


@dataclass(frozen=True)
class Suggestion:
    """One suggested code for a segment.

    Attributes
    ----------
    code : str
        The code id.
    confidence : float
        Calibrated probability in [0, 1].
    reason : list of str
        Words from the segment that drove the suggestion, strongest first.
    source : str
        ``"learned"``, ``"prior"`` (the codebook alone) or ``"blend"``.
    """

    code: str
    confidence: float
    reason: list[str] = field(default_factory=list)
    source: str = "learned"

    @property
    def because(self) -> str:
        """The reason as one line, e.g. ``"because: kö, väntetid, ringde"``."""
        return "because: " + ", ".join(self.reason) if self.reason else ""


def _as_texts(X: Iterable[str], what: str = "X") -> list[str]:
    if isinstance(X, str):
        raise SuggestError(f"{what}: expected a list of texts, got one string")
    texts = list(X)
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise SuggestError(f"{what}: item {i}: expected text, got {type(t).__name__}")
    return texts


def _platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling with Platt's smoothed targets; returns ``(a, b)`` for sigmoid(a*s + b).

    Newton's method with step halving on the two parameters (Platt 1999; Lin et al. 2007).
    """
    n_pos = int(y.sum())
    n_neg = len(y) - n_pos
    t = np.where(y == 1, (n_pos + 1.0) / (n_pos + 2.0), 1.0 / (n_neg + 2.0))
    s = np.asarray(scores, dtype=np.float64)

    def loss(a: float, b: float) -> float:
        z = a * s + b
        return float(np.sum(np.logaddexp(0.0, z) - t * z))

    a, b = 0.0, float(np.log((n_neg + 1.0) / (n_pos + 1.0))) * -1.0
    current = loss(a, b)
    for _ in range(100):
        p = _sigmoid(a * s + b)
        d = p - t
        g = np.array([d @ s, d.sum()])
        w = p * (1.0 - p) + 1e-12
        h = np.array([[w @ (s * s) + 1e-9, w @ s], [w @ s, w.sum() + 1e-9]])
        step = np.linalg.solve(h, g)
        rate = 1.0
        while rate > 1e-8:
            na, nb = a - rate * float(step[0]), b - rate * float(step[1])
            new = loss(na, nb)
            if new < current + 1e-4 * rate * float(g @ -step):
                break
            rate /= 2.0
        if rate <= 1e-8:
            break
        a, b, done = na, nb, abs(current - new) < 1e-10 * max(1.0, abs(current))
        current = new
        if done or float(np.abs(g).max()) < 1e-8:
            break
    return a, b


def _best_threshold(
    proba: np.ndarray, y: np.ndarray, w_pos: float = 1.0, w_neg: float = 1.0
) -> float:
    """The probability cut that maximises F1 on out-of-fold predictions.

    ``w_pos`` and ``w_neg`` weight positives and negatives (undoing a subsample).
    """
    order = np.argsort(-proba, kind="stable")
    p_sorted = proba[order]
    ys = y[order].astype(np.float64)
    tp = np.cumsum(ys * w_pos)
    fp = np.cumsum((1.0 - ys) * w_neg)
    f1 = 2.0 * tp / (tp + fp + y.sum() * w_pos)
    # Only cut between distinct values.
    valid = np.r_[p_sorted[1:] < p_sorted[:-1], True]
    f1 = np.where(valid, f1, -1.0)
    best = int(np.argmax(f1))
    below = p_sorted[best + 1] if best + 1 < len(p_sorted) else 0.0
    return float((p_sorted[best] + below) / 2.0)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -35.0, 35.0))))


class CodeSuggester(BaseEstimator):  # type: ignore[misc]
    """Suggest codes for interview segments, learning from a researcher's codings.

    A linear model per code (LinearSVC on stem n-gram and character n-gram TF-IDF) with
    Platt-calibrated probabilities and per-code thresholds from inner cross-validation, blended
    with a cold-start prior read from the codebook: ``p = w * learned + (1 - w) * prior`` with
    ``w = n / (n + prior_strength)``, ``n`` the code's positive examples.

    Parameters
    ----------
    language : {"auto", "sv", "en"}
        Stemming language; ``"auto"`` guesses it per text.
    codebook : Codebook, optional
        Gives the codes (codable ones only) and the cold-start prior.
    corpus : list of str, optional
        All segment texts of the project (labelled or not); the vocabulary is fitted on them.
    word_ngram_max, char_ngram_range, char_weight, drop_stop_words, min_df
        Feature settings, see :class:`~workbench.suggest._text.TextFeatures`.
    embeddings : str, optional
        Sentence embeddings as an extra feature block: ``None``/``"off"`` (default), ``"auto"``
        (the model configured in ``WORKBENCH_EMBEDDING_MODEL`` or a bundled one, when present)
        or a local sentence-transformers model name or folder; see
        :mod:`workbench.suggest._embed`.  On SemEval-2014 restaurants 5-fold CV,
        all-MiniLM-L6-v2 raised micro-F1 from 0.821 to 0.843.
    embedding_weight : float
        Scale of the embedding block relative to the n-gram blocks.
    fine_tune_epochs : int
        With embeddings: first fine-tune the embedding model's biases and LayerNorms on the
        training segments and their codes for this many epochs (0, the default: no
        fine-tune); see :func:`~workbench.suggest._embed.fine_tune`.  The tuned parameters are
        saved with the model.  On SemEval-2014 restaurants 5-fold CV with all-MiniLM-L6-v2,
        2 epochs tuned inside each training fold raised micro-F1 from 0.843 to 0.850 (macro
        0.837 to 0.844) for about 45 CPU-seconds per 2,400 training segments.
    C : float
        Inverse regularisation of the per-code LinearSVC.
    class_weight : {"balanced", None}
        Class weights of the per-code models.
    calibration : {"platt", "none"}
        ``"platt"`` fits a sigmoid on out-of-fold scores; ``"none"`` uses sigmoid(2 * score).
    inner_cv : int
        Folds for out-of-fold scores (calibration and thresholds).
    calibration_samples : int
        At most this many segments (per code: positives up to half, negatives the rest) are
        used for the out-of-fold scores; the Platt intercept is corrected for the sampling.
    tune_thresholds : bool
        Choose a per-code threshold maximising out-of-fold F1; otherwise 0.5 (the default:
        on SemEval-2014 restaurants 5-fold CV, tuned thresholds gave micro-F1 0.813, 0.5 gave
        0.821).
    at_least_one : bool
        :meth:`predict` always gives each segment its most likely code.
    prior_strength : float
        ``k`` in ``w = n / (n + k)``; 0 means the prior is used only for codes without data.
    prior_temperature : float
        Softmax temperature of the prior over cosine similarities.
    prior_threshold : float
        Threshold on prior probabilities used by :meth:`predict`.
    min_positive : int
        Codes with fewer positive examples get no learned model ("not enough data").
    learning_rate : float
        Step size of :meth:`partial_fit` (1 fits the new example about as a Newton step would).
    random_state : int, optional
        Seed for fold shuffling and the solver.
    n_jobs : int, optional
        Codes fitted side by side in threads (``-1``: one per core). Only without a
        ``random_state``: liblinear's random generator is shared by all threads, so a seeded
        fit runs serially to stay reproducible.

    Examples
    --------
    >>> s = CodeSuggester(language="en", inner_cv=2).fit(
    ...     ["long queue", "queue again", "rude staff", "staff was rude"],
    ...     [["wait"], ["wait"], ["staff"], ["staff"]])
    >>> s.suggest("the queue", k=1)[0].code
    'wait'
    """

    def __init__(
        self,
        language: str = "auto",
        codebook: Codebook | None = None,
        corpus: Sequence[str] | None = None,
        word_ngram_max: int = 2,
        char_ngram_range: tuple[int, int] = (2, 5),
        char_weight: float = 1.0,
        drop_stop_words: bool = False,
        min_df: int = 1,
        embeddings: str | None = None,
        embedding_weight: float = 1.0,
        fine_tune_epochs: int = 0,
        C: float = 0.5,
        class_weight: str | None = "balanced",
        calibration: str = "platt",
        inner_cv: int = 3,
        calibration_samples: int = 4000,
        tune_thresholds: bool = False,
        at_least_one: bool = True,
        prior_strength: float = 10.0,
        prior_temperature: float = 0.05,
        prior_threshold: float = 0.5,
        min_positive: int = 2,
        learning_rate: float = 0.5,
        random_state: int | None = None,
        n_jobs: int | None = None,
    ) -> None:
        self.language = language
        self.codebook = codebook
        self.corpus = corpus
        self.word_ngram_max = word_ngram_max
        self.char_ngram_range = char_ngram_range
        self.char_weight = char_weight
        self.drop_stop_words = drop_stop_words
        self.min_df = min_df
        self.embeddings = embeddings
        self.embedding_weight = embedding_weight
        self.fine_tune_epochs = fine_tune_epochs
        self.C = C
        self.class_weight = class_weight
        self.calibration = calibration
        self.inner_cv = inner_cv
        self.calibration_samples = calibration_samples
        self.tune_thresholds = tune_thresholds
        self.at_least_one = at_least_one
        self.prior_strength = prior_strength
        self.prior_temperature = prior_temperature
        self.prior_threshold = prior_threshold
        self.min_positive = min_positive
        self.learning_rate = learning_rate
        self.random_state = random_state
        self.n_jobs = n_jobs

    # ------------------------------------------------------------------ setup helpers
    def _check_params(self) -> None:
        if self.language not in LANGUAGE_CHOICES:
            raise SuggestError(
                f"language {self.language!r} is not one of {', '.join(LANGUAGE_CHOICES)}"
            )
        if self.calibration not in ("platt", "none"):
            raise SuggestError(f"calibration {self.calibration!r} is not 'platt' or 'none'")
        if self.min_positive < 1:
            raise SuggestError("min_positive must be at least 1")
        if int(self.fine_tune_epochs) != self.fine_tune_epochs or self.fine_tune_epochs < 0:
            raise SuggestError(
                f"fine_tune_epochs {self.fine_tune_epochs!r} is not a whole number >= 0"
            )

    def _new_features(self) -> TextFeatures:
        return TextFeatures(
            language=self.language,
            word_ngram_max=self.word_ngram_max,
            char_ngram_range=tuple(self.char_ngram_range),  # type: ignore[arg-type]
            drop_stop_words=self.drop_stop_words,
            min_df=self.min_df,
            char_weight=self.char_weight,
            embeddings=resolve_embeddings(self.embeddings),
            embedding_weight=self.embedding_weight,
        )

    def _codebook_texts(self) -> list[str]:
        if self.codebook is None:
            return []
        return [d for c in codable_codes(self.codebook) for d in code_documents(c)]

    def fit_vocabulary(self, texts: Iterable[str]) -> CodeSuggester:
        """Fit the vocabulary and idf weights on all of a project's segment texts.

        Later :meth:`fit` and :meth:`partial_fit` calls keep this vocabulary, so an update
        after one new coding never has to re-read the corpus.
        """
        self._check_params()
        docs = _as_texts(texts, "texts") + self._codebook_texts()
        if not any(d.strip() for d in docs):
            raise SuggestError("texts: no text to learn a vocabulary from")
        self.features_ = self._new_features().fit(docs)
        self._vocabulary_fixed = True
        return self

    def _codes_from_Y(
        self, Y: Any, n: int, classes: Sequence[str] | None
    ) -> tuple[list[str], np.ndarray]:
        """Class list and a 0/1 matrix (n, n_classes) from label lists or a matrix."""
        known: list[str] = []
        if self.codebook is not None:
            known = [c.id for c in codable_codes(self.codebook)]
        if isinstance(Y, np.ndarray) or sp.issparse(Y):
            if classes is None:
                raise SuggestError("Y is a matrix: pass classes= to name its columns")
            mat = np.asarray(Y.todense() if sp.issparse(Y) else Y)
            if mat.ndim != 2 or mat.shape != (n, len(classes)):
                raise SuggestError(
                    f"Y has shape {mat.shape}; expected ({n}, {len(classes)}) for the texts and classes"
                )
            given = [str(c) for c in classes]
            rows: list[set[str]] = [{given[j] for j in np.flatnonzero(mat[i])} for i in range(n)]
        else:
            label_lists = list(Y)
            if len(label_lists) != n:
                raise SuggestError(f"got {n} texts but {len(label_lists)} label lists")
            rows = []
            for i, labels in enumerate(label_lists):
                if isinstance(labels, str):
                    raise SuggestError(f"Y: item {i}: expected a list of codes, got a string")
                rows.append({str(c) for c in labels})
            given = list(classes) if classes is not None else []
        seen = sorted({c for r in rows for c in r} - set(known) - set(given))
        if self.codebook is not None:
            bad = [c for c in seen + [g for g in given if g not in known] if c not in known]
            if bad:
                raise SuggestError(
                    f"code {bad[0]!r} is not a codable code of codebook {self.codebook.id!r}"
                )
        order = list(dict.fromkeys(known + [str(g) for g in given] + seen))
        index = {c: j for j, c in enumerate(order)}
        mat01 = np.zeros((n, len(order)), dtype=np.int8)
        for i, r in enumerate(rows):
            for c in r:
                mat01[i, index[c]] = 1
        return order, mat01

    # ------------------------------------------------------------------ fitting
    def fit(self, X: Iterable[str], Y: Any, classes: Sequence[str] | None = None) -> CodeSuggester:
        """Learn from coded segments.

        Parameters
        ----------
        X : list of str
            Segment texts.  May be empty when a codebook is given (cold start).
        Y : list of iterables of str, or 0/1 matrix
            The codes of each segment; a matrix needs ``classes``.
        classes : list of str, optional
            Codes to know besides those in the codebook and in ``Y``.
        """
        self._check_params()
        texts = _as_texts(X)
        order, Ymat = self._codes_from_Y(Y, len(texts), classes)
        if not order:
            raise SuggestError("no codes: give a codebook or at least one coded segment")
        if not getattr(self, "_vocabulary_fixed", False) or not hasattr(self, "features_"):
            docs = list(self.corpus or []) + texts + self._codebook_texts()
            if not any(d.strip() for d in docs):
                raise SuggestError("no text to learn from: give segments, a corpus or a codebook")
            self.features_ = self._new_features().fit(docs)
            self._vocabulary_fixed = False
        self._tune_embeddings(texts, Ymat)
        self.classes_ = np.asarray(order, dtype=object)
        n_codes = len(order)
        n_feat = self.features_.n_features
        self.coef_ = np.zeros((n_feat, n_codes), dtype=np.float64)
        self.intercept_ = np.zeros(n_codes, dtype=np.float64)
        self.platt_ = np.tile(np.array([[2.0, 0.0]]), (n_codes, 1))
        self.thresholds_ = np.full(n_codes, 0.5)
        self.n_positive_ = (
            Ymat.sum(axis=0).astype(np.int64) if len(texts) else np.zeros(n_codes, np.int64)
        )
        self.learned_ = np.zeros(n_codes, dtype=bool)
        self._set_prior()
        Xm = self.features_.transform(texts) if texts else sp.csr_matrix((0, n_feat))
        todo = []
        for j in range(n_codes):
            y = Ymat[:, j].astype(int) if texts else np.zeros(0, int)
            n_pos = int(y.sum())
            if n_pos >= self.min_positive and n_pos < len(y):
                todo.append((j, y))
        workers = min(len(todo), effective_n_jobs(self.n_jobs))
        if workers > 1 and self.random_state is None:
            # liblinear releases the GIL: codes train side by side in threads.
            with ThreadPoolExecutor(workers) as pool:
                list(pool.map(lambda job: self._fit_code(job[0], Xm, job[1]), todo))
        else:
            for j, y in todo:
                self._fit_code(j, Xm, y)
        self._update_status()
        return self

    def _tune_embeddings(self, texts: list[str], Y: np.ndarray) -> None:
        """Fine-tune the embedding model on this fit's segments, or use it as it is."""
        feats = self.features_
        feats.tuning = None
        if self.fine_tune_epochs and feats.embeddings is not None and len(texts) >= 2:
            seed = 0 if self.random_state is None else int(self.random_state)
            feats.tuning = fine_tune(
                feats.embeddings, texts, Y, epochs=int(self.fine_tune_epochs), seed=seed
            )

    def _svc(self) -> LinearSVC:
        return LinearSVC(
            C=self.C,
            class_weight=self.class_weight,
            random_state=self.random_state,
            dual=True,
            tol=1e-3,
        )

    def _fit_code(self, j: int, Xm: sp.csr_matrix, y: np.ndarray) -> None:
        model = self._svc().fit(Xm, y)
        self.coef_[:, j] = model.coef_[0]
        self.intercept_[j] = model.intercept_[0]
        self.learned_[j] = True
        if self.calibration == "none" and not self.tune_thresholds:
            return
        # Out-of-fold scores for calibration, on a subsample when the data is large:
        # positives up to half the budget, negatives fill the rest; the Platt intercept is
        # then corrected by the log ratio of the two sampling rates.
        pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
        budget = max(int(self.calibration_samples), 2 * self.inner_cv)
        rng = np.random.default_rng(None if self.random_state is None else self.random_state + j)
        k_pos = min(len(pos), budget // 2)
        k_neg = min(len(neg), budget - k_pos)
        if k_pos < len(pos):
            pos = np.sort(rng.choice(pos, size=k_pos, replace=False))
        if k_neg < len(neg):
            neg = np.sort(rng.choice(neg, size=k_neg, replace=False))
        rate_pos = k_pos / max(int(y.sum()), 1)
        rate_neg = k_neg / max(int(len(y) - y.sum()), 1)
        sub = np.sort(np.r_[pos, neg])
        ys = y[sub]
        folds = min(self.inner_cv, len(pos), len(neg))
        if folds < 2:
            return
        Xs = Xm[sub]
        oof = np.zeros(len(sub))
        skf = StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
        for tr, te in skf.split(np.zeros(len(sub)), ys):
            oof[te] = self._svc().fit(Xs[tr], ys[tr]).decision_function(Xs[te])
        if self.calibration == "platt":
            a, b = _platt(oof, ys)
            self.platt_[j] = (a, b + float(np.log(rate_neg / rate_pos)))
        if self.tune_thresholds:
            a, b = self.platt_[j]
            self.thresholds_[j] = _best_threshold(
                _sigmoid(a * oof + b), ys, 1.0 / rate_pos, 1.0 / rate_neg
            )

    def _set_prior(self) -> None:
        self.codebook_hash_: str | None = None
        self.codebook_version_: int | None = None
        self.prior_ = sp.csr_matrix((len(self.classes_), self.features_.n_features))
        self.has_prior_ = np.zeros(len(self.classes_), dtype=bool)
        if self.codebook is None:
            return
        self.codebook_hash_ = codebook_hash(self.codebook)
        self.codebook_version_ = int(self.codebook.version)
        codes = codable_codes(self.codebook)
        mat = prior_matrix(self.features_, codes)
        rows = {c.id: i for i, c in enumerate(codes)}
        full = sp.lil_matrix(self.prior_.shape)
        for j, code in enumerate(self.classes_):
            i = rows.get(str(code))
            if i is not None and mat[i].nnz:
                full[j] = mat[i]
                self.has_prior_[j] = True
        self.prior_ = full.tocsr()

    def _update_status(self) -> None:
        status: dict[str, str] = {}
        for j, code in enumerate(self.classes_):
            if self.learned_[j] and self.n_positive_[j] >= self.min_positive:
                status[str(code)] = OK
            elif self.has_prior_[j]:
                status[str(code)] = PRIOR_ONLY
            else:
                status[str(code)] = NOT_ENOUGH_DATA
        self.status_ = status

    # ------------------------------------------------------------------ probabilities
    def _transform(self, X: Iterable[str]) -> sp.csr_matrix:
        check_is_fitted(self, "classes_")
        texts = _as_texts(X)
        if not texts:
            return sp.csr_matrix((0, self.features_.n_features))
        return self.features_.transform(texts)

    def _weights(self) -> np.ndarray:
        """Per-code weight of the learned model in the blend."""
        ok = np.array([self.status_[str(c)] == OK for c in self.classes_])
        n = self.n_positive_.astype(np.float64)
        w = n / (n + self.prior_strength) if self.prior_strength > 0 else np.ones_like(n)
        w = np.where(self.has_prior_, w, 1.0)
        return np.where(ok, w, 0.0)

    def _learned_proba(self, Xm: sp.csr_matrix) -> np.ndarray:
        scores = np.asarray(Xm @ self.coef_) + self.intercept_
        return _sigmoid(scores * self.platt_[:, 0] + self.platt_[:, 1])

    def _prior_proba(self, Xm: sp.csr_matrix) -> np.ndarray:
        if not self.has_prior_.any():
            return np.zeros((Xm.shape[0], len(self.classes_)))
        cols = np.flatnonzero(self.has_prior_)
        out = np.zeros((Xm.shape[0], len(self.classes_)))
        out[:, cols] = prior_proba(Xm, self.prior_[cols], self.prior_temperature)
        return out

    def _proba(self, Xm: sp.csr_matrix) -> np.ndarray:
        w = self._weights()
        learned = self._learned_proba(Xm) if w.any() else 0.0
        prior = self._prior_proba(Xm)
        return np.asarray(w * learned + (1.0 - w) * prior)

    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """Probability of each code (columns in :attr:`classes_`) for each text.

        Codes whose status is "not enough data" get 0: no probability is invented for them.
        """
        return self._proba(self._transform(X))

    def _thresholds(self) -> np.ndarray:
        w = self._weights()
        return np.asarray(w * self.thresholds_ + (1.0 - w) * self.prior_threshold)

    def predict(self, X: Iterable[str], threshold: float | None = None) -> np.ndarray:
        """0/1 matrix of predicted codes.

        Parameters
        ----------
        threshold : float, optional
            One cut for all codes; by default each code's tuned threshold.
        """
        proba = self.predict_proba(X)
        usable = np.array([self.status_[str(c)] != NOT_ENOUGH_DATA for c in self.classes_])
        cut = self._thresholds() if threshold is None else np.full(proba.shape[1], threshold)
        pred = (proba >= cut) & usable
        if self.at_least_one and usable.any() and len(proba):
            margin = np.where(usable, proba - cut, -np.inf)
            pred[np.arange(len(proba)), margin.argmax(axis=1)] = True
        return pred.astype(np.int8)

    def predict_codes(self, X: Iterable[str], threshold: float | None = None) -> list[list[str]]:
        """Predicted code ids per text."""
        pred = self.predict(X, threshold)
        return [[str(self.classes_[j]) for j in np.flatnonzero(row)] for row in pred]

    # ------------------------------------------------------------------ suggestions
    def suggest(self, text: str, k: int = 5, n_reasons: int = 3) -> list[Suggestion]:
        """The ``k`` most likely codes for ``text``, with the words that drove each one.

        Codes with status "not enough data" are never suggested.
        """
        Xm = self._transform([text])
        proba = self._proba(Xm)[0]
        w = self._weights()
        usable = np.array([self.status_[str(c)] != NOT_ENOUGH_DATA for c in self.classes_])
        ranked = [int(j) for j in np.argsort(-proba, kind="stable") if usable[j]][:k]
        credits = self._explain_codes(text, Xm, ranked)
        out: list[Suggestion] = []
        for j, terms in zip(ranked, credits, strict=True):
            source = "prior" if w[j] == 0 else ("learned" if w[j] == 1 else "blend")
            reason = [t for t, wt in terms if wt > 0][:n_reasons]
            out.append(Suggestion(str(self.classes_[j]), float(proba[j]), reason, source))
        return out

    def explain(self, text: str, code: str, top: int = 10) -> list[tuple[str, float]]:
        """Words of ``text`` that push ``code`` up (positive) or down (negative), strongest first.

        Each feature's contribution (feature value times weight, blended with the prior as the
        probabilities are) is credited to the surface words it came from: a stem n-gram to its
        words, a character n-gram to the words that contain it.  Stop words are left out.
        """
        check_is_fitted(self, "classes_")
        where = np.flatnonzero(self.classes_ == code)
        if not len(where):
            raise SuggestError(f"code {code!r} is not known to the suggester")
        Xm = self._transform([text])
        return self._explain_codes(text, Xm, [int(where[0])])[0][:top]

    def _explain_codes(
        self, text: str, Xm: sp.csr_matrix, codes: list[int]
    ) -> list[list[tuple[str, float]]]:
        """Per code in ``codes``: (word, contribution) for the words of ``text``."""
        if not codes:
            return []
        row = Xm.getrow(0)
        idx, vals = row.indices, row.data
        words, credit = self._word_credit(text, idx)
        w = self._weights()[codes]
        contrib = self.coef_[idx][:, codes] * w
        use_prior = (w < 1) & self.has_prior_[codes]
        if use_prior.any():
            prior = np.asarray(self.prior_[codes][:, idx].todense()).T
            contrib = contrib + prior * np.where(use_prior, 1.0 - w, 0.0)
        per_word = credit @ (contrib * vals[:, None])
        lang = resolve_language(text, self.features_.language)
        stops = stop_words(lang)
        keep = [i for i, t in enumerate(words) if t not in stops and len(t) > 1]
        out = []
        for c in range(len(codes)):
            pairs = [(words[i], float(per_word[i, c])) for i in keep if per_word[i, c] != 0]
            out.append(sorted(pairs, key=lambda kv: (-abs(kv[1]), kv[0])))
        return out

    def _word_credit(self, text: str, idx: np.ndarray) -> tuple[list[str], np.ndarray]:
        """Lower-cased surface words and a (word x feature) matrix of shares for the sorted
        feature columns ``idx``."""
        feats = self.features_
        pairs = stem_pairs(text, feats.language, feats.drop_stop_words)
        words = list(dict.fromkeys(surf.lower() for surf, _ in pairs))
        windex = {wd: i for i, wd in enumerate(words)}
        credit = np.zeros((len(words), len(idx)))
        surface_of: dict[str, str] = {}
        for surf, st in pairs:
            surface_of.setdefault(st, surf.lower())
        vocab = feats.word.vocabulary_
        grams = list(set(word_ngrams([st for _, st in pairs], feats.word_ngram_max)))
        for gram, p in zip(grams, _positions(idx, [vocab.get(g, -1) for g in grams]), strict=True):
            if p < 0:
                continue
            parts = gram.split(" ")
            for part in parts:
                credit[windex[surface_of[part]], p] += 1.0 / len(parts)
        if feats.char is not None and words:
            cols = [feats.char_columns(word) for word in words]
            owner = np.repeat(np.arange(len(words)), [len(c) for c in cols])
            at = _positions(idx, np.concatenate(cols))
            hit = at >= 0
            p, wi = at[hit], owner[hit]
            # A character n-gram shared by several words is split between them.
            np.add.at(credit, (wi, p), 1.0 / np.bincount(p, minlength=len(idx))[p])
        return words, credit

    # ------------------------------------------------------------------ online learning
    def partial_fit(
        self, X: Iterable[str], Y: Any, classes: Sequence[str] | None = None
    ) -> CodeSuggester:
        """Update the learned models after new codings, without refitting.

        Each new example takes one logistic-loss step per code on the calibrated scale (a
        positive for its codes, a negative for the rest).  Codes reaching ``min_positive``
        examples become "ok".  Unfitted, this fits first (on the vocabulary from
        :meth:`fit_vocabulary` when given).
        """
        texts = _as_texts(X)
        if not hasattr(self, "classes_"):
            return self.fit(texts, Y, classes=classes)
        order, Ymat = self._codes_from_Y(Y, len(texts), classes)
        new = [c for c in order if c not in set(self.classes_)]
        if new:
            self._add_codes(new)
        index = {str(c): j for j, c in enumerate(self.classes_)}
        cols = np.array([index[c] for c in order], dtype=np.int64)
        full = np.zeros((len(texts), len(self.classes_)), dtype=np.int8)
        full[:, cols] = Ymat
        Xm = self._transform(texts)
        a = self.platt_[:, 0]
        for i in range(len(texts)):
            row = Xm.getrow(i)
            sq = float(row.data @ row.data)
            if sq == 0:
                continue
            y = full[i].astype(np.float64)
            score = row.data @ self.coef_[row.indices] + self.intercept_
            p = _sigmoid(a * score + self.platt_[:, 1])
            # Newton-like step on the logit: 4 * (p - y) at p(1-p) = 1/4.
            step = self.learning_rate * 4.0 * (p - y) / (np.maximum(a, 1e-3) * sq)
            self.coef_[row.indices] -= np.outer(row.data, step)
            self.n_positive_ += full[i]
        self.learned_ |= self.n_positive_ >= self.min_positive
        self._update_status()
        return self

    def _add_codes(self, codes: list[str]) -> None:
        m = len(codes)
        self.classes_ = np.asarray(list(self.classes_) + codes, dtype=object)
        self.coef_ = np.hstack([self.coef_, np.zeros((self.coef_.shape[0], m))])
        self.intercept_ = np.r_[self.intercept_, np.full(m, -1.0)]
        self.platt_ = np.vstack([self.platt_, np.tile([[2.0, 0.0]], (m, 1))])
        self.thresholds_ = np.r_[self.thresholds_, np.full(m, 0.5)]
        self.n_positive_ = np.r_[self.n_positive_, np.zeros(m, np.int64)]
        self.learned_ = np.r_[self.learned_, np.zeros(m, bool)]
        self.has_prior_ = np.r_[self.has_prior_, np.zeros(m, bool)]
        self.prior_ = sp.vstack(
            [self.prior_, sp.csr_matrix((m, self.prior_.shape[1]))], format="csr"
        )

    # ------------------------------------------------------------------ active learning
    def next_segments(self, X_unlabelled: Iterable[str], k: int = 10) -> list[int]:
        """Indices of the ``k`` segments to code next, most useful first.

        Least-confidence uncertainty (closeness to its threshold of the code nearest its
        threshold) with batch diversity by uncertainty-weighted k-means++ seeding over the
        features.  Before any code has a learned model, the prior's entropy or pure diversity
        leads.
        """
        if not hasattr(self, "features_"):
            raise NotFittedError(
                "This CodeSuggester is not fitted yet: call fit or fit_vocabulary first."
            )
        texts = _as_texts(X_unlabelled, "X_unlabelled")
        if not texts or k <= 0:
            return []
        Xm = self.features_.transform(texts)
        if hasattr(self, "classes_"):
            unc = _active.uncertainty(
                self._proba(Xm),
                self._thresholds(),
                self._weights() > 0,
                self.has_prior_,
                self.n_positive_,
            )
        else:
            unc = np.ones(len(texts))
        rng = np.random.default_rng(self.random_state)
        return _active.select(Xm, unc, k, rng)

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | Path) -> None:
        """Write the fitted state to ``path`` as arrays and JSON (``.npz``; no pickle)."""
        from ._persist import save

        save(self, Path(path))

    @classmethod
    def load(cls, path: str | Path) -> CodeSuggester:
        """Read a suggester written by :meth:`save`; refuses anything else."""
        from ._persist import load

        return load(Path(path))


def _positions(idx: np.ndarray, cols: Any) -> np.ndarray:
    """Where each of ``cols`` sits in the sorted ``idx``; -1 where it is not there."""
    cols = np.asarray(cols, dtype=np.int64)
    at = np.searchsorted(idx, cols)
    found = at < len(idx)
    found[found] = idx[at[found]] == cols[found]
    return np.where(found, at, -1)
