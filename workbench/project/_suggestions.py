"""Code suggestions for a project: fit on its codings, keep the model in the database, serve
the tagger, learn online, fill the review queue.

The model is stored as plain arrays and JSON (``.npz`` without pickles) in the ``models``
table, tied to the hash of the codebook it was fitted for: a codebook change triggers a refit.
Suggestions never become codings unless a person accepts them.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from workbench.errors import SuggestError
from workbench.suggest import CodeSuggester, codebook_hash
from workbench.suggest import report as cv_report
from workbench.suggest._embed import ENV as EMBEDDING_ENV

if TYPE_CHECKING:
    from workbench.project._project import Project

MODEL = "suggester"


def training_data(project: Project) -> tuple[pd.DataFrame, dict[int, list[str]]]:
    """Interviewee segments and, per coded segment, the codes people gave it (any coder;
    the consensus layer wins where it exists)."""
    segments = project.segments(role="interviewee")[["segment", "text"]]
    codings = project.codings()
    codings = codings[codings["origin"] == "human"] if len(codings) else codings
    labels: dict[int, list[str]] = {}
    consensus = codings[codings["coder"] == "consensus"]
    settled = set(consensus["segment"])
    for segment, frame in codings.groupby("segment"):
        chosen = consensus if segment in settled else frame
        codes = chosen[chosen["segment"] == segment]["code"]
        labels[int(segment)] = sorted(set(codes))  # type: ignore[call-overload]
    return segments, labels


def fit(project: Project) -> CodeSuggester:
    """Fit a suggester on the project's codings (the codebook as prior) and store it."""
    segments, labels = training_data(project)
    if segments.empty:
        raise SuggestError(f"{project.path}: the project has no segments to learn from")
    book = project.codebook
    # Sentence embeddings only when the researcher configured a model for this machine;
    # seeded, so the same codings give the same suggestions.
    model = CodeSuggester(codebook=book, embeddings=os.environ.get(EMBEDDING_ENV), random_state=0)
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


def apply(project: Project, min_confidence: float = 0.8, coder: str | None = None) -> int:
    """Fill the review queue with suggestions of at least ``min_confidence`` for segments the
    coder (default: anyone) has not coded; writes no codings.  Returns the number queued."""
    model = load(project)
    if model is None:
        raise SuggestError(f"{project.path}: no model; code some segments first")
    segments = project.segments(role="interviewee", uncoded_by=coder)
    if coder is None:
        coded = set(project.codings()["segment"])
        segments = segments[~segments["segment"].isin(coded)]
    rows = []
    if len(segments):
        texts = segments["text"].tolist()
        probs = model.predict_proba(texts)
        for i, segment in enumerate(segments["segment"]):
            for j, code in enumerate(model.classes_):
                if probs[i, j] >= min_confidence:
                    reason = ", ".join(w for w, _ in model.explain(texts[i], code, top=3))
                    rows.append(
                        {
                            "segment_id": int(segment),
                            "code_id": code,
                            "confidence": float(probs[i, j]),
                            "reason": reason,
                        }
                    )
    return project.store.queue_suggestions(rows, user=project.coder)
