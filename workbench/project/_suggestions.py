"""Code suggestions for a project: fit on its codings, keep the model in the database, serve
the tagger, learn online.  Predictions, the review queue's filling, prevalence and validation
build on this in :mod:`workbench.project._predictions`.

The model is stored as plain arrays and JSON (``.npz`` without pickles) in the ``models``
table, tied to the hash of the codebook it was fitted for: a codebook change triggers a refit.
Suggestions never become codings unless a person accepts them.
"""

from __future__ import annotations

import io
import os
import tempfile
import threading
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from workbench.errors import SuggestError
from workbench.store import Origin, StoreEmbeddingCache
from workbench.suggest import OK, Calibration, CodeSuggester, codebook_hash, out_of_fold
from workbench.suggest import report as cv_report
from workbench.suggest._embed import ENV as EMBEDDING_ENV
from workbench.suggest._embed import embedding_cache, resolve_embeddings

if TYPE_CHECKING:
    from workbench.project._project import Project

MODEL = "suggester"
"""Name of the fitted suggester in the ``models`` table."""

CALIBRATION = "suggester.calibration"
"""Name, in the ``models`` table, of the calibration stored with the predictions."""

FOLDS = 5
"""Folds of the out-of-fold calibration probabilities."""

THRESHOLD = 0.5
"""Probability from which a prediction counts as a suggestion (classify and count, precision)."""


HUMAN_ORIGINS = frozenset({Origin.HUMAN.value, Origin.THEME.value})
"""Origins of codings that make a segment coded: a person's decisions on the whole segment
(their own codes, or a theme they adopted).  An accepted suggestion decides one code only."""


def coded_labels(project: Project) -> dict[int, list[str]]:
    """Each coded segment's codes (any coder; the consensus layer wins where it exists)."""
    codings = project.codings()
    if codings.empty:
        return {}
    codings = codings[codings["origin"].isin(HUMAN_ORIGINS)]
    settled = set(codings.loc[codings["coder"] == "consensus", "segment"])
    chosen = codings[~codings["segment"].isin(settled) | (codings["coder"] == "consensus")]
    return {
        int(segment): sorted(set(frame["code"]))
        for segment, frame in chosen.groupby("segment", sort=False)
    }


def training_data(project: Project) -> tuple[pd.DataFrame, dict[int, list[str]]]:
    """Interviewee segments and, per coded segment, the codes people gave it (see
    :func:`coded_labels`)."""
    return project.segments(role="interviewee")[["segment", "text"]], coded_labels(project)


def embeddings_cache(project: Project) -> AbstractContextManager[Any]:
    """The project database as the sentence-vector cache while fitting, when embeddings are
    configured on this machine (a context that does nothing otherwise): each distinct text is
    encoded once, across folds, refits and sessions."""
    if resolve_embeddings(os.environ.get(EMBEDDING_ENV)) is None or project.read_only:
        return nullcontext()
    return embedding_cache(StoreEmbeddingCache(project.store))


def fit(project: Project) -> CodeSuggester:
    """Fit a suggester on the project's codings (the codebook as prior) and store it."""
    segments, labels = training_data(project)
    if segments.empty:
        raise SuggestError(f"{project.path}: the project has no segments to learn from")
    book = project.codebook
    # Sentence embeddings only when the researcher configured a model for this machine;
    # seeded, so the same codings give the same suggestions.
    model = CodeSuggester(codebook=book, embeddings=os.environ.get(EMBEDDING_ENV), random_state=0)
    with embeddings_cache(project):
        model.fit_vocabulary(segments["text"].tolist())
        coded = segments[segments["segment"].isin(labels)]
        model.fit(coded["text"].tolist(), [labels[int(s)] for s in coded["segment"]])
    save(project, model, info={"segments": len(coded)})
    return model


def save(project: Project, model: CodeSuggester, info: dict[str, Any]) -> None:
    """Store ``model`` in the project database."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.npz"
        model.save(path)
        content = path.read_bytes()
    project.store.save_model(
        MODEL, content, codebook_hash=codebook_hash(project.codebook), fmt="npz", info=info
    )


def load(project: Project, *, refit: bool = True) -> CodeSuggester | None:
    """The stored suggester; refitted when the codebook changed since (or None with
    ``refit=False``, or when nothing is stored and nothing is coded)."""
    stored = project.store.load_model(MODEL)
    current = codebook_hash(project.codebook)
    if stored is not None and stored["codebook_hash"] == current:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "model.npz"
            path.write_bytes(stored["content"])
            try:
                return CodeSuggester.load(path)
            except SuggestError:
                # Stored with sentence embeddings this machine does not have: refit without.
                if not refit or project.read_only:
                    raise
    if not refit or project.read_only:
        return None
    return fit(project)


class LiveSuggestions:
    """The tagger's ``suggest(text)``: ranked codes with a reason, learning as coders code.

    Each call checks for codings made since the model last learned and, if there are new ones,
    updates the model with ``partial_fit`` in a background thread, so the tagger never waits.
    """

    def __init__(self, project: Project, model: CodeSuggester, k: int = 5) -> None:
        self.project = project
        self.model = model
        self.k = k
        self._known = self._coded()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def _coded(self) -> dict[int, tuple[str, ...]]:
        _, labels = training_data(self.project)
        return {s: tuple(c) for s, c in labels.items()}

    def _learn(self) -> None:
        coded = self._coded()
        changed = {s: c for s, c in coded.items() if self._known.get(s) != c and c}
        if changed:
            texts = self.project.store.segments_frame(ids=list(changed))
            by_id = dict(zip(texts["segment"], texts["text"], strict=True))
            with self._lock:
                self.model.partial_fit(
                    [by_id[s] for s in changed], [list(c) for c in changed.values()]
                )
        self._known = coded

    def __call__(self, text: str) -> list[tuple[str, float, str]]:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._learn, daemon=True)
            self._thread.start()
        with self._lock:
            ranked = self.model.suggest(text, k=self.k)
        return [(s.code, float(s.confidence), ", ".join(s.reason)) for s in ranked]


def report(project: Project, folds: int = 5) -> dict[str, Any]:
    """Cross-validated per-code quality and a learning curve on the project's own codings."""
    if folds < 2:
        raise SuggestError(f"--folds must be 2 or more (each fold is tested once), not {folds}")
    segments, labels = training_data(project)
    coded = segments[segments["segment"].isin(labels)]
    if len(coded) < 2 * folds:
        raise SuggestError(
            f"{project.path}: only {len(coded)} coded segments; code at least {2 * folds} "
            "before measuring suggestions"
        )
    return cv_report(  # type: ignore[no-any-return]
        coded["text"].tolist(), [labels[int(s)] for s in coded["segment"]], folds=folds
    )


def predict(project: Project) -> int:
    """Fit the suggester, calibrate it out of fold and store its predictions.

    For every codable segment no person has coded, each learned code's probability goes to
    the ``predictions`` table, replacing the previous ones, and the coded segments'
    out-of-fold probabilities (``FOLDS``-fold, the same settings as the final model) are
    stored beside them for prevalence estimates: both in one transaction, tied to the
    model's fit time and the codebook's hash.  Codes with too few coded examples for a
    learned model are not predicted (the codebook's prior is no calibrated probability).
    Writes no codings.

    Returns
    -------
    int
        The number of segments that got predictions.
    """
    segments, labels = training_data(project)
    coded = segments[segments["segment"].isin(labels)]
    if len(coded) < 2:
        raise SuggestError(
            f"{project.path}: {len(coded)} coded segment(s); code some segments before "
            "predicting the rest"
        )
    with embeddings_cache(project):
        model = fit(project)
        stored = project.store.load_model(MODEL)
        assert stored is not None
        classes = [str(c) for c in model.classes_]
        learned = [c for c in classes if model.status_[c] == OK]
        if not learned:
            raise SuggestError(
                f"{project.path}: no code has {model.min_positive} or more coded segments yet; "
                "the model has nothing to predict from"
            )
        folds = min(FOLDS, len(coded))
        calibration = out_of_fold(
            coded["text"].tolist(),
            [labels[int(s)] for s in coded["segment"]],
            folds=folds,
            segments=[int(s) for s in coded["segment"]],
            classes=learned,
            vocabulary=model,  # its settings, and its vocabulary from every segment
            random_state=0,
        )
        todo = segments[~segments["segment"].isin(labels)]
        fitted_at = stored["fitted_at"]
        columns = [classes.index(c) for c in learned]
        proba = (
            model.predict_proba(todo["text"].tolist())[:, columns]
            if len(todo)
            else np.zeros((0, len(learned)))
        )
    store_predictions(
        project,
        pd.DataFrame(proba, index=todo["segment"].to_numpy(dtype=np.int64), columns=learned),
        calibration,
        fitted_at=fitted_at,
    )
    return len(todo)


def store_predictions(
    project: Project, proba: pd.DataFrame, calibration: Calibration, *, fitted_at: str
) -> None:
    """Replace the stored predictions by ``proba`` (uncoded segment ids x codes) and the
    stored calibration by ``calibration``'s segments, codes and out-of-fold probabilities,
    in one transaction, for the model fitted at ``fitted_at`` and the current codebook."""
    if list(proba.columns) != list(calibration.codes):
        raise SuggestError("predictions and calibration must have the same codes")
    values = proba.to_numpy(dtype=np.float64)
    ids = [int(s) for s in proba.index]
    codes = [str(c) for c in proba.columns]
    rows = [
        (ids[i], codes[j], float(values[i, j])) for i in range(len(ids)) for j in range(len(codes))
    ]
    book_hash = codebook_hash(project.codebook)
    blob = io.BytesIO()
    np.savez(
        blob,
        segments=calibration.segments.astype(np.int64),
        codes=np.array(calibration.codes, dtype=str),
        proba=calibration.proba,
    )
    with project.store.transaction() as tx:
        tx.replace_predictions(rows, model_fitted_at=fitted_at, codebook_hash=book_hash)
        tx.save_model(
            CALIBRATION,
            blob.getvalue(),
            codebook_hash=book_hash,
            fmt="npz",
            info={"model_fitted_at": fitted_at},
        )


def queue_review(project: Project, min_confidence: float = 0.8) -> int:
    """Replace the open review items with the stored predictions of at least
    ``min_confidence`` on segments still uncoded, each with the words that drove it.  Open
    validation items and decided items stay; writes no codings.  Returns the number queued."""
    if not 0.0 <= min_confidence <= 1.0:
        raise SuggestError(f"--min-confidence {min_confidence} is not between 0 and 1")
    model = load(project, refit=False)
    if model is None or project.store.prediction_versions().empty:
        raise SuggestError(
            f"{project.path}: no predictions yet; run `workbench suggest apply {project.path}`"
        )
    frame = project.store.predictions_frame(min_probability=min_confidence)
    labels = coded_labels(project)
    frame = frame[~frame["segment"].isin(labels)]
    rows = [
        {
            "segment_id": int(segment),
            "code_id": str(code),
            "confidence": float(p),
            "reason": ", ".join(w for w, _ in model.explain(text, str(code), top=3)),
        }
        for segment, code, p, text in zip(
            frame["segment"], frame["code"], frame["probability"], frame["text"], strict=True
        )
    ]
    return project.store.queue_suggestions(rows, user=project.coder)


def apply(project: Project, min_confidence: float = 0.8) -> int:
    """:func:`predict`, then :func:`queue_review`: returns the number of review items queued."""
    predict(project)
    return queue_review(project, min_confidence)
