"""The model's predictions read back, prevalence with error bars, validation by sample.

Predictions
    :func:`workbench.project._suggestions.predict` fits the suggester on the codings, measures how it errs on segments it
    has not seen (out-of-fold probabilities of the coded segments, the *calibration*), and
    stores, for every codable segment that no person has coded, each learned code's
    probability in the ``predictions`` table, tied to the model's fit time and the codebook's
    hash.  Predictions and calibration are replaced together in one transaction; they never
    become codings.  After a codebook change they are stale: every reader here refuses them
    with a one-line :class:`~workbench.errors.SuggestError` until ``workbench suggest apply``
    runs again.  Only codes the model learned (at least ``min_positive`` coded examples) are
    predicted; the codebook's prior alone is no calibrated probability.

Which segments are coded
    A segment is coded when a person coded it (origin ``human``, or a theme a person adopted):
    its codes are then known, every other code absent, as when the suggester learns.  An
    accepted suggestion (origin ``suggestion``) decides that one code only.

Prevalence (:func:`prevalence`)
    For each source (interviews, or survey answers imported one document per table row; see
    :class:`Source`) and each group of ``by``: the share of segments, or of participants, with
    each code, from :func:`workbench.suggest.estimate_prevalence` (PACC by default): human
    codings count as they are, the model's probabilities estimate the rest, corrected for its
    errors on the calibration, with bootstrap intervals over participants.  The calibration
    is the source's own coded segments (answers and interview turns score differently), or
    every coded segment when the source has fewer than :data:`MIN_SOURCE_CALIBRATION`.
    Segments coded after the predictions were made join the calibration with the stored
    probability, which the model made without seeing them.

Validation by sample (:func:`validate`, :func:`precision`)
    A stratified random draw of predictions (by code and probability band) goes into the
    review queue with the number of predictions each item stands for.  Decisions feed back:

    - per-code precision of the suggestions (probability >= 0.5) with Wilson intervals;
    - every decision is a known label of that segment and code in the estimates; validation
      decisions also calibrate, each weighted by the predictions it stands for (its stratum's
      size over the decisions made in that stratum: draw, code, band; undecided items are
      taken as missing at random), scaled so that a code's decisions together count as many
      as they are: the weights undo the stratification, and fifty decisions do not outweigh
      hundreds of coded segments.
      Decisions on confident suggestions from ``suggest apply`` were not drawn at random: they
      count as known labels and calibrate nothing.
"""

from __future__ import annotations

import io
import re
import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from workbench.errors import SuggestError
from workbench.i18n import text
from workbench.project._suggestions import CALIBRATION, THRESHOLD, coded_labels
from workbench.store import QueuePurpose
from workbench.suggest import (
    DEFAULT_METHOD,
    Calibration,
    codebook_hash,
    estimate_prevalence,
    sample_precision,
    validation_sample,
)
from workbench.suggest._prevalence import DEFAULT_BANDS

if TYPE_CHECKING:
    from workbench.project._project import Project

__all__ = [
    "MIN_SOURCE_CALIBRATION",
    "PRECISION_COLUMNS",
    "PREDICTION_COLUMNS",
    "PREVALENCE_COLUMNS",
    "Level",
    "Source",
    "check",
    "decisions",
    "precision",
    "predictions",
    "prevalence",
    "validate",
]


class Source(StrEnum):
    """Where segments come from: interview transcripts or survey answers (a table's rows)."""

    INTERVIEWS = "interviews"
    SURVEY = "survey"


class Level(StrEnum):
    """What a share counts: participants with the code (any of their segments) or segments."""

    PARTICIPANT = "participant"
    SEGMENT = "segment"


TABLE_FORMATS = frozenset({"csv", "xlsx"})
"""Document formats that are one answer of a table (a survey) rather than a transcript."""

MIN_SOURCE_CALIBRATION = 20
"""Coded segments a source needs to be calibrated on its own (else all coded segments)."""

PREDICTION_COLUMNS = (
    "segment",
    "document",
    "participant",
    "code",
    "label",
    "probability",
    "text",
    "model_fitted_at",
)
"""Columns of :func:`predictions`."""

PREVALENCE_COLUMNS = (
    "code",
    "label",
    "estimate",
    "ci_low",
    "ci_high",
    "classify_and_count",
    "n_human",
    "n_estimated",
    "method",
    "note",
    "source",
)
"""Columns of :func:`prevalence` (after the ``by`` column when one is asked for)."""

PRECISION_COLUMNS = ("code", "label", "n", "accepted", "precision", "ci_low", "ci_high")
"""Columns of :func:`precision`."""

_CACHE: OrderedDict[Hashable, pd.DataFrame] = OrderedDict()
_CACHE_SIZE = 32  # prevalence frames kept (a dashboard asks again on every redraw)
_CACHE_LOCK = threading.Lock()


def _again(project: Project) -> str:
    return f"run `workbench suggest apply {project.path}`"


# ------------------------------------------------------------------------------ reading
@dataclass(frozen=True)
class _State:
    """Everything the estimates read, checked to belong together."""

    fitted_at: str
    codes: tuple[str, ...]
    oof: pd.DataFrame  # coded segments at fit time x codes: out-of-fold probabilities
    proba: pd.DataFrame  # uncoded segments at fit time x codes: the final model's
    segments: pd.DataFrame  # codable segments: segment, document, participant, source
    labels: dict[int, list[str]]


def _versions(project: Project) -> tuple[str, str]:
    """``(model_fitted_at, codebook_hash)`` of the stored predictions, refused when there are
    none or the codebook has changed since."""
    versions = project.store.prediction_versions()
    if versions.empty:
        raise SuggestError(f"{project.path}: no predictions yet; {_again(project)} first")
    if len(versions) > 1:
        raise SuggestError(
            f"{project.path}: the stored predictions come from {len(versions)} models; "
            f"{_again(project)} again"
        )
    row = versions.iloc[0]
    if row["codebook_hash"] != codebook_hash(project.codebook):
        raise SuggestError(
            f"{project.path}: the predictions were made for an earlier version of the codebook "
            f"and are stale; {_again(project)} again"
        )
    return str(row["model_fitted_at"]), str(row["codebook_hash"])


def _sources(project: Project, frame: pd.DataFrame) -> pd.Series:
    formats = dict(zip(project.documents["document"], project.documents["format"], strict=True))
    is_table = frame["document"].map(formats).isin(TABLE_FORMATS)
    return is_table.map({True: Source.SURVEY.value, False: Source.INTERVIEWS.value})


def _state(project: Project) -> _State:
    fitted_at, book_hash = _versions(project)
    stored = project.store.load_model(CALIBRATION)
    if stored is None or stored["info"].get("model_fitted_at") != fitted_at:
        raise SuggestError(
            f"{project.path}: the calibration does not belong to the stored predictions; "
            f"{_again(project)} again"
        )
    with np.load(io.BytesIO(stored["content"]), allow_pickle=False) as npz:
        codes = tuple(str(c) for c in npz["codes"])
        oof = pd.DataFrame(npz["proba"], index=npz["segments"].astype(np.int64), columns=codes)
    preds = project.store.predictions_frame(text=False)
    proba = preds.pivot(index="segment", columns="code", values="probability")
    proba = proba.reindex(columns=list(codes)).astype(np.float64)
    segments = project.segments(role="interviewee")
    labels = coded_labels(project)
    # An answer that says nothing ("Vet inte", "-") is no evidence either way: not estimated
    # (unless someone coded it); see :func:`non_answer`.
    said = ~segments["text"].map(non_answer) | segments["segment"].isin(labels)
    segments = segments.loc[said, ["segment", "document", "participant"]]
    segments = segments.assign(source=_sources(project, segments))
    known = set(labels) | set(oof.index) | set(proba.index)
    newer = segments.loc[~segments["segment"].isin(known), "segment"]
    if len(newer):
        raise SuggestError(
            f"{project.path}: {len(newer)} segment(s) were imported after the predictions were "
            f"made; {_again(project)} again"
        )
    return _State(fitted_at, codes, oof, proba, segments, labels)


def check(project: Project) -> None:
    """Refuse, as every estimate would, predictions that cannot be read (a one-line
    :class:`~workbench.errors.SuggestError` naming the command that makes them): none yet,
    stale after a codebook change, from several models, a calibration of another fit, or
    segments imported since.  What the dashboards ask before offering the estimates."""
    _state(project)


#: Words a survey answer or a turn can consist of and still say nothing about the service
#: ("Vet inte", "Nej", "Inga synpunkter", "no comment", "-"): the model scores such an answer
#: by the few words it has, and "vet inte" is the start of many information gaps, so a bare
#: "Vet inte" would read as one (68 % for fees in the demo).
NON_ANSWER_WORDS = frozenset(
    {
        # Swedish
        "vet", "inte", "ej", "nej", "nä", "ja", "jo", "ingen", "inget", "inga", "kommentar",
        "kommentarer", "synpunkt", "synpunkter", "har", "jag", "vi", "övrigt", "okej", "ok",
        "osäker", "annat", "mer", "att", "säga", "tillägga",
        # English
        "no", "none", "nothing", "comment", "comments", "don", "t", "dont", "know", "not",
        "sure", "i", "we", "have", "yes", "n", "a", "na", "idk", "nope", "to", "add", "say",
    }
)  # fmt: skip


def non_answer(said: object) -> bool:
    """Whether a text says nothing the model could read a code from: no word outside
    :data:`NON_ANSWER_WORDS` (punctuation or nothing at all counts as nothing).

    >>> non_answer("Vet inte."), non_answer("-"), non_answer("Vet inte vad avgiften är för")
    (True, True, False)
    """
    words = re.findall(r"\w+", str(said or "").lower())
    return all(w in NON_ANSWER_WORDS for w in words)


def _label(project: Project, lang: str) -> dict[str, str]:
    return {c.id: c.name(lang) for c in project.codebook.codes}


def predictions(
    project: Project,
    code: str | Sequence[str] | None = None,
    min_probability: float = 0.0,
    *,
    lang: str = "en",
) -> pd.DataFrame:
    """The stored predictions of segments still uncoded (see :data:`PREDICTION_COLUMNS`), in
    document order, a segment's codes by id; labels in ``lang``.

    A prediction whose code an accepted suggestion has since put on the segment is left out:
    it is a coding now.  Stale predictions (the codebook changed) are refused.
    """
    fitted_at, _ = _versions(project)
    frame = project.store.predictions_frame(code=code, min_probability=min_probability)
    labels = coded_labels(project)
    frame = frame[~frame["segment"].isin(labels)]
    codings = project.codings()
    if len(codings):
        taken = set(zip(codings["segment"], codings["code"], strict=True))
        pairs = zip(frame["segment"], frame["code"], strict=True)
        frame = frame[[pair not in taken for pair in pairs]]
    names = _label(project, lang)
    frame = frame.assign(label=frame["code"].map(names).fillna(frame["code"]))
    frame = frame.assign(model_fitted_at=fitted_at)
    return frame[list(PREDICTION_COLUMNS)].reset_index(drop=True)


# ------------------------------------------------------------------------------ decisions
def _band(p: np.ndarray) -> np.ndarray:
    """The :data:`DEFAULT_BANDS` band index of each probability (as validation_sample's)."""
    edges = np.asarray(DEFAULT_BANDS, dtype=np.float64)
    return np.clip(np.searchsorted(edges, p, side="right") - 1, 0, len(edges) - 2)


def _lookup(table: pd.DataFrame, segment: int, code: str, default: float) -> float:
    """``table``'s value at (segment, code), or ``default`` where it has none."""
    if segment in table.index and code in table.columns:
        value = table.at[segment, code]
        if not pd.isna(value):
            return float(value)
    return float(default)


def decisions(project: Project, current: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every decided queue item as evidence: segment, code, accepted, purpose, probability
    (the stored prediction's when there is one, else the probability when queued), weight.
    ``current`` (segment x code probabilities) saves reading the predictions again.

    ``weight`` is what the decision calibrates: 0 for review items (not drawn at random); for
    a validation item, the predictions it stands for (its stratum's size over the decisions
    made in that stratum: draw, code, band), scaled so that a code's decisions weigh as many
    as they are.  Precision only compares a code's weights with each other; the estimates
    weigh each decision like one coded segment, spread over the bands as drawn.
    """
    queue = project.store.queue_frame()
    out = pd.DataFrame(
        {
            "segment": pd.Series(dtype=np.int64),
            "code": pd.Series(dtype=str),
            "accepted": pd.Series(dtype=bool),
            "purpose": pd.Series(dtype=str),
            "probability": pd.Series(dtype=np.float64),
            "weight": pd.Series(dtype=np.float64),
        }
    )
    if queue.empty:
        return out
    queue = queue.assign(
        band=_band(queue["confidence"].to_numpy(dtype=np.float64)),
        decided=queue["status"] != "open",
    )
    validation = queue["purpose"] == QueuePurpose.VALIDATION.value
    stratum = ["created_at", "code", "band"]
    sizes = queue[validation].groupby(stratum)["decided"].agg(["size", "sum"])
    decided = queue[queue["decided"]].copy()
    weight = np.zeros(len(decided))
    is_val = (decided["purpose"] == QueuePurpose.VALIDATION.value).to_numpy()
    if is_val.any():
        val = decided[is_val]
        keys = pd.MultiIndex.from_frame(val[stratum])
        n_sampled = sizes["size"].reindex(keys).to_numpy(dtype=np.float64)
        n_decided = sizes["sum"].reindex(keys).to_numpy(dtype=np.float64)
        base = val["weight"].fillna(1.0).to_numpy(dtype=np.float64)
        stands_for = pd.Series(base * n_sampled / n_decided, index=val.index)
        # Per code, the decisions together count as many as they are: the weights only undo
        # the stratification (a decision is one item of evidence beside a coded segment's).
        total = stands_for.groupby(val["code"]).transform("sum").to_numpy(dtype=np.float64)
        count = val.groupby("code")["code"].transform("size").to_numpy(dtype=np.float64)
        weight[is_val] = stands_for.to_numpy() * count / total
    if current is None:
        frame = project.store.predictions_frame(text=False)
        current = frame.pivot(index="segment", columns="code", values="probability")
    probability = [
        _lookup(current, s, c, p)
        for s, c, p in zip(decided["segment"], decided["code"], decided["confidence"], strict=True)
    ]
    return pd.DataFrame(
        {
            "segment": decided["segment"].astype(np.int64).to_numpy(),
            "code": decided["code"].astype(str).to_numpy(),
            "accepted": (decided["status"] == "accepted").to_numpy(),
            "purpose": decided["purpose"].astype(str).to_numpy(),
            "probability": np.asarray(probability, dtype=np.float64),
            "weight": weight,
        }
    )


def validate(project: Project, sample: int = 50, seed: int = 0) -> int:
    """Draw a stratified random sample of the stored predictions into the review queue.

    Strata are (code, probability band); see :func:`workbench.suggest.validation_sample`.
    Predictions already in a validation draw are not drawn again, so each call adds up to
    ``sample`` new items; open review items stay.  Returns the number drawn.
    """
    if sample < 1:
        raise SuggestError(f"--sample must be 1 or more, not {sample}")
    frame = predictions(project)
    queue = project.store.queue_frame(purpose=QueuePurpose.VALIDATION)
    drawn = set(zip(queue["segment"], queue["code"], strict=True))
    pairs = zip(frame["segment"], frame["code"], strict=True)
    frame = frame[[pair not in drawn for pair in pairs]]
    if frame.empty:
        raise SuggestError(
            f"{project.path}: every prediction has been drawn for validation already"
        )
    drawn_now = validation_sample(frame[["segment", "code", "probability"]], sample, seed=seed)
    rows = [
        {"segment_id": int(s), "code_id": str(c), "confidence": float(p), "weight": float(w)}
        for s, c, p, w in zip(
            drawn_now["segment"],
            drawn_now["code"],
            drawn_now["probability"],
            drawn_now["weight"],
            strict=True,
        )
    ]
    return project.store.queue_validation(rows, user=project.coder)


def precision(project: Project, *, lang: str = "en") -> pd.DataFrame:
    """Per-code precision of the suggestions (probability >= 0.5) from the decided
    validation items, weighted by what each stands for, with 95 % Wilson intervals (Kish's
    effective sample size); codes in codebook order (see :data:`PRECISION_COLUMNS`)."""
    _versions(project)
    evidence = decisions(project)
    evidence = evidence[evidence["purpose"] == QueuePurpose.VALIDATION.value]
    if evidence.empty:
        raise SuggestError(
            f"{project.path}: no validation decisions yet; draw a sample with `workbench "
            f"suggest validate {project.path} --sample 50` and accept or reject its items"
        )
    table = sample_precision(evidence, threshold=THRESHOLD)
    order = {c.id: i for i, c in enumerate(project.codebook.codes)}
    names = _label(project, lang)
    table = table.assign(label=table["code"].map(names).fillna(table["code"]))
    table = table.sort_values("code", key=lambda s: s.map(order).fillna(len(order)))
    return table[list(PRECISION_COLUMNS)].reset_index(drop=True)


# ------------------------------------------------------------------------------ prevalence
def _calibration(
    state: _State, coded: pd.DataFrame, evidence: pd.DataFrame, participants: pd.Series
) -> Calibration:
    """Calibration from ``coded`` segments (current labels; out-of-fold probabilities, or the
    stored prediction for segments coded since) plus the decisions on other segments."""
    ids = coded["segment"].to_numpy(dtype=np.int64)
    proba = state.oof.reindex(ids).to_numpy(dtype=np.float64)
    later = np.isnan(proba).all(axis=1) & np.isin(ids, state.proba.index)
    if later.any():
        proba[later] = state.proba.reindex(ids[later]).to_numpy(dtype=np.float64)
    index = {c: j for j, c in enumerate(state.codes)}
    labels = np.zeros((len(ids), len(state.codes)))
    for i, s in enumerate(ids):
        for c in state.labels[int(s)]:
            if c in index:
                labels[i, index[c]] = 1.0
    calibration = Calibration(
        codes=state.codes,
        segments=_objects(ids.tolist()),
        proba=proba,
        labels=labels,
        weights=np.ones(labels.shape),
        participants=_objects(participants.reindex(ids).tolist()),
    )
    evidence = evidence[
        ~evidence["segment"].isin(state.labels) & evidence["code"].isin(index)
    ].drop_duplicates(["segment", "code"])
    if evidence.empty:
        return calibration
    more = calibration.with_decisions(
        evidence[["segment", "code", "accepted", "probability", "weight"]]
    )
    extra = more.segments[len(ids) :].tolist()
    who = participants.reindex(extra).tolist()
    return Calibration(
        codes=more.codes,
        segments=more.segments,
        proba=more.proba,
        labels=more.labels,
        weights=more.weights,
        participants=_objects([*participants.reindex(ids).tolist(), *who]),
    )


def _objects(values: list[Any]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _check_choice(value: str, choices: type[StrEnum], what: str) -> str:
    try:
        return str(choices(value))
    except ValueError:
        names = ", ".join(c.value for c in choices)
        raise SuggestError(f"{what} {value!r} is not one of {names}") from None


def prevalence(
    project: Project,
    *,
    level: str = Level.PARTICIPANT,
    by: str | None = None,
    source: str | None = None,
    lang: str = "en",
    n_boot: int = 1000,
    seed: int = 0,
    codes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Share of participants (or segments) with each code, human codings and the model
    together, corrected for the model's errors, with 95 % bootstrap intervals.

    Parameters
    ----------
    level : {"participant", "segment"}
        Participants with the code (any of their segments), or segments.
    by : str, optional
        A participant attribute (e.g. ``"user_type"``), ``"document"`` or ``"language"``:
        one row per value and code, the value in a column named ``by``.  Segments without a
        value are left out.
    source : {"interviews", "survey"}, optional
        Only that source; ``None`` gives both, as separate rows (never mixed).
    lang : {"en", "sv"}
        Language of the code labels.
    n_boot, seed
        Bootstrap replicates and seed; the same seed gives the same frame.
    codes : sequence of str, optional
        Only these codes (those the model learned).  A code's row does not depend on which
        other codes are estimated (each has its own bootstrap seed), so a reader drawing a
        few codes (the dashboards: categories and their themes) need not wait for all.

    Returns
    -------
    DataFrame
        ``[by,]`` and :data:`PREVALENCE_COLUMNS`, by source, group and codebook order.
        ``n_human`` and ``n_estimated`` count segments or participants (by ``level``) whose
        code is known from people and estimated by the model.
    """
    level = _check_choice(str(level), Level, "level")
    wanted = [Source(_check_choice(str(source), Source, "source"))] if source else list(Source)
    # Every write appends an audit row (codings, decisions, draws, the codebook) and the
    # predictions carry their fit time: together they say whether anything changed.
    fitted_at, _ = _versions(project)
    key = (
        str(project.path.resolve()),
        project.store.change_stamp(),
        fitted_at,
        level,
        by,
        tuple(wanted),
        lang,
        n_boot,
        seed,
        None if codes is None else tuple(sorted(set(codes))),
    )
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key].copy()
    frame = _prevalence(project, level, by, wanted, lang, n_boot, seed, codes)
    with _CACHE_LOCK:
        _CACHE[key] = frame.copy()
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return frame


def _prevalence(
    project: Project,
    level: str,
    by: str | None,
    wanted: list[Source],
    lang: str,
    n_boot: int,
    seed: int,
    only: Sequence[str] | None = None,
) -> pd.DataFrame:
    state = _state(project)
    frame = state.segments
    if by is not None:
        frame = frame.assign(**{by: _group_values(project, frame, by)})
    evidence = decisions(project, state.proba)
    participants = pd.Series(
        frame["participant"].to_numpy(dtype=object), index=frame["segment"].to_numpy()
    )
    names = _label(project, lang)
    order = {c.id: i for i, c in enumerate(project.codebook.codes)}
    codes = sorted(state.codes, key=lambda c: order.get(c, len(order)))
    head = [by] if by is not None else []
    if only is not None:
        asked = set(only)
        codes = [c for c in codes if c in asked]
        if not codes:
            return pd.DataFrame(columns=[*head, *PREVALENCE_COLUMNS])
    out: list[pd.DataFrame] = []
    for src in wanted:
        part = frame[frame["source"] == src.value]
        if part.empty:
            continue
        coded = part[part["segment"].isin(state.labels)]
        note = ""
        if len(coded) < MIN_SOURCE_CALIBRATION:
            coded = frame[frame["segment"].isin(state.labels)]
            note = str(int(part["segment"].isin(state.labels).sum()))
        if note:
            note = text("est_note_all_sources", lang, source=_source_name(src, lang), n=note)
        mine = evidence if note else evidence[evidence["segment"].isin(part["segment"])]
        calibration = _calibration(state, coded, mine, participants)
        groups = (
            [(None, part)]
            if by is None
            else [(value, rows) for value, rows in part.groupby(by, sort=True, dropna=True)]
        )
        for value, rows in groups:
            ids = rows["segment"].to_numpy(dtype=np.int64)
            proba = state.proba.reindex(ids)
            fill = state.oof.reindex(ids)
            proba = proba.fillna(fill).fillna(0.0)[list(codes)]
            result = estimate_prevalence(
                proba,
                calibration,
                participants=participants.reindex(ids),
                method=DEFAULT_METHOD,
                threshold=THRESHOLD,
                n_boot=n_boot,
                seed=seed,
                group=by is not None,
            )
            table = result.participants if level == Level.PARTICIPANT else result.segments
            assert table is not None
            notes = [note_text(n, lang) for n in table["note"]]
            if note:  # only where something was estimated
                notes = [
                    "; ".join(x for x in (n, note) if x) if e else n
                    for n, e in zip(notes, table["n_estimated"], strict=True)
                ]
            table = table.assign(
                label=table["code"].map(names).fillna(table["code"]),
                note=notes,
                source=src.value,
            )
            if by is not None:
                table.insert(0, by, value)
            out.append(table[[*head, *PREVALENCE_COLUMNS]])
    if not out:
        return pd.DataFrame(columns=[*head, *PREVALENCE_COLUMNS])
    return pd.concat(out, ignore_index=True)


def _source_name(source: Source, lang: str) -> str:
    return text(f"est_source_{source.value}", lang)


_NOTES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"every (?P<what>segment|participant) is human-coded"), "est_note_human"),
    (
        re.compile(r"(?P<method>\w+) undefined: (?P<why>.+); uncorrected (?P<used>\w+)"),
        "est_note_fallback",
    ),
    (
        re.compile(
            r"(?P<method>\w+) undefined: (?P<why>.+); the share among the coded items instead"
        ),
        "est_note_coded",
    ),
    (
        re.compile(
            r"(?P<method>\w+) undefined: (?P<why>.+); the share among the group's coded items "
            r"instead"
        ),
        "est_note_coded_group",
    ),
    (
        re.compile(
            r"(?P<method>\w+) undefined for participants \((?P<why>[^)]+)\): segment "
            r"probabilities combined as if independent; the interval spans any dependence"
        ),
        "est_note_participants",
    ),
)
_WHY: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"no calibration items"), "est_why_no_items"),
    (re.compile(r"no calibration item has the code"), "est_why_no_positive"),
    (re.compile(r"every calibration item has the code"), "est_why_all_positive"),
    (
        re.compile(r"the model does not separate the code \(tpr - fpr = (?P<gap>-?[\d.]+)\)"),
        "est_why_no_separation",
    ),
    (re.compile(r"no fully coded participants"), "est_why_no_participants"),
    (re.compile(r"no fully coded participant has the code"), "est_why_no_participant_positive"),
    (
        re.compile(r"every fully coded participant has the code"),
        "est_why_all_participants_positive",
    ),
)


def note_text(note: str, lang: str) -> str:
    """A note of :func:`workbench.suggest.estimate_prevalence` in ``lang`` (the catalogue's
    ``est_note_*``); a note it does not know stays as it is."""
    for pattern, key in _NOTES:
        found = pattern.fullmatch(note)
        if found is None:
            continue
        values = found.groupdict()
        if "what" in values:
            values["what"] = text(f"est_what_{values['what']}", lang)
        if "why" in values:
            values["why"] = _why_text(values["why"], lang)
        return text(key, lang, **values)
    return note


def _why_text(why: str, lang: str) -> str:
    for pattern, key in _WHY:
        found = pattern.fullmatch(why)
        if found is not None:
            return text(key, lang, **found.groupdict())
    return why


def _group_values(project: Project, frame: pd.DataFrame, by: str) -> pd.Series:
    """Each segment's value of ``by``: a participant attribute, its document or language
    (always the document's, as every other view counts it, even where participants have a
    ``language`` attribute of their own)."""
    people = project.participants
    attributes = [c for c in people.columns if c not in ("participant_id", "participant")]
    if by == "language":
        docs = project.documents
        return frame["document"].map(dict(zip(docs["document"], docs["language"], strict=True)))
    if by in attributes:
        values = dict(zip(people["participant"], people[by], strict=True))
        return frame["participant"].map(values)
    if by == "document":
        return frame["document"]
    names = ", ".join([*attributes, "document", "language"])
    raise SuggestError(f"by {by!r} is not a participant attribute; choose one of {names}")
