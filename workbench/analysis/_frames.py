"""Analysis frames: pure functions from a project's codings to pandas DataFrames.

Nothing here draws or writes; dashboards and notebooks render these frames.  Every function
that counts takes the ``codings`` frame from :func:`codings_frame`, so a filter (user group,
language, coder layer) applied once flows into every view.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from workbench._project import Project
    from workbench.codebook import Codebook

GROUPS = {
    "needs": "bp-needs",
    "expectations": "bp-expectations",
    "information_gaps": "bp-information-gaps",
    "information_sources": "bp-information-sources",
}
VALENCE = {"val-positive": "positive", "val-negative": "negative"}
EVERYDAY = ("ep-what", "ep-how", "ep-why", "ep-goal", "ep-solutions")
TECHNICAL = "pq-technical"
FUNCTIONAL_GROUP = "pq-functional"
IMAGE = "pq-image"


def codings_frame(
    project: Project, layer: str | Sequence[str] = "all", lang: str = "en"
) -> pd.DataFrame:
    """One row per coding with its segment, participant attributes, code path, coder, origin.

    ``layer``: ``"all"`` (every coder), ``"consensus"``, a coder's name, or a list of coders.
    Columns: segment, document, participant, code, label, group, path, color, coder, origin,
    quote, segment_text, language, and one column per participant attribute.
    """
    coder = None if layer == "all" else layer
    codings = project.codings(coder=coder)
    segments = project.segments(role="interviewee")[["segment", "text", "language"]]
    people = project.participants.drop(columns=["participant_id"], errors="ignore")
    return enrich(codings, segments, people, project.codebook, lang=lang)


def enrich(
    codings: pd.DataFrame,
    segments: pd.DataFrame,
    participants: pd.DataFrame,
    codebook: Codebook,
    *,
    lang: str = "en",
) -> pd.DataFrame:
    """Join codings with segment text, participant attributes and the code tree."""
    frame = codings.merge(
        segments.rename(columns={"text": "segment_text"}), on="segment", how="left"
    )
    frame = frame.merge(participants, on="participant", how="left")
    info = code_table(codebook, lang=lang)
    frame = frame.merge(info, left_on="code", right_on="code", how="left")
    return frame.reset_index(drop=True)


def code_table(codebook: Codebook, lang: str = "en") -> pd.DataFrame:
    """One row per code: code, label, group (top-level label), parent, path, color, order."""
    rows = []
    for order, code in enumerate(codebook.codes):
        path = codebook.path(code.id, lang)
        rows.append(
            {
                "code": code.id,
                "label": code.name(lang),
                "group": path[0],
                "parent": code.parent,
                "path": " › ".join(path),
                "color": code.color,
                "order": order,
                "codable": code.codable,
            }
        )
    return pd.DataFrame(rows)


def frequencies(
    codings: pd.DataFrame, *, by: str | None = None, codes: Sequence[str] | None = None
) -> pd.DataFrame:
    """How often each code occurs: distinct ``segments`` and distinct ``participants``.

    With ``by`` (any participant attribute) the counts are split by its values.
    """
    frame = codings if codes is None else codings[codings["code"].isin(codes)]
    keys = ["code", "label", "color", "order"] + ([by] if by else [])
    if frame.empty:
        return pd.DataFrame(columns=[*keys, "segments", "participants"])
    out = (
        frame.groupby(keys, dropna=False)
        .agg(segments=("segment", "nunique"), participants=("participant", "nunique"))
        .reset_index()
        .sort_values(["participants", "segments", "order"], ascending=[False, False, True])
    )
    return out.reset_index(drop=True)


def cooccurrence(codings: pd.DataFrame) -> pd.DataFrame:
    """Code × code matrix: the number of segments in which both codes occur."""
    pairs = codings[["segment", "code"]].drop_duplicates()
    if pairs.empty:
        return pd.DataFrame()
    incidence = pd.crosstab(pairs["segment"], pairs["code"]).clip(upper=1)
    return incidence.T @ incidence


def framework_matrix(codings: pd.DataFrame, codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Participants × codes; each cell lists that participant's quotes for the code."""
    frame = codings if codes is None else codings[codings["code"].isin(codes)]
    if frame.empty:
        return pd.DataFrame()
    cells = frame.groupby(["participant", "code"])["quote"].agg(lambda q: list(dict.fromkeys(q)))
    return cells.unstack("code")


def representative_quotes(codings: pd.DataFrame, code: str, n: int = 3) -> list[dict[str, Any]]:
    """Up to ``n`` quotes for ``code``, from different participants, of a readable length."""
    frame = codings[codings["code"] == code].copy()
    if frame.empty:
        return []
    frame["length"] = frame["quote"].str.len()
    # Prefer quotes of 60-400 characters, and then those that many codes were applied to.
    frame["richness"] = frame["segment"].map(codings.groupby("segment")["code"].nunique())
    frame["fit"] = (frame["length"].between(60, 400)).astype(int)
    frame = frame.sort_values(["fit", "richness", "length"], ascending=[False, False, True])
    picked = frame.drop_duplicates("participant").head(n)
    return [
        {
            "participant": r.participant,
            "quote": r.quote,
            "document": r.document,
            "segment": r.segment,
        }
        for r in picked.itertuples()
    ]


def themes(
    codings: pd.DataFrame, code: str, *, by: str | None = None, exclude_groups: Sequence[str] = ()
) -> pd.DataFrame:
    """The themes raised under ``code``: the codes co-occurring with it in the same segments
    (or its child codes when the codebook has any), ranked by the number of participants.

    Columns: theme, label, color, participants, segments, share (of the participants who raised
    ``code``), and with ``by`` one participants column per value of that attribute.
    """
    under = codings[codings["code"] == code]
    if under.empty:
        return pd.DataFrame(
            columns=["theme", "label", "color", "participants", "segments", "share"]
        )
    segments = set(under["segment"])
    together = codings[codings["segment"].isin(segments) & (codings["code"] != code)]
    together = together[~together["group"].isin(exclude_groups)]
    raised = under["participant"].nunique()
    grouped = (
        together.groupby(["code", "label", "color"])
        .agg(participants=("participant", "nunique"), segments=("segment", "nunique"))
        .reset_index()
        .rename(columns={"code": "theme"})
    )
    grouped["share"] = grouped["participants"] / raised
    if by and by in together:
        split = together.groupby(["code", by])["participant"].nunique().unstack(by).fillna(0)
        grouped = grouped.merge(
            split.astype(int).add_prefix(f"{by}: "), left_on="theme", right_index=True, how="left"
        )
    return grouped.sort_values(["participants", "segments"], ascending=False).reset_index(drop=True)


def summary(codings: pd.DataFrame, *, by: str | None = None) -> dict[str, dict[str, Any]]:
    """Needs, expectations, information gaps and sources: for each, how many participants
    raise it (by group), its themes and representative quotes."""
    result: dict[str, dict[str, Any]] = {}
    for name, code in GROUPS.items():
        frame = codings[codings["code"] == code]
        entry: dict[str, Any] = {
            "code": code,
            "participants": int(frame["participant"].nunique()),
            "segments": int(frame["segment"].nunique()),
            "themes": themes(codings, code, by=by, exclude_groups=()),
            "quotes": representative_quotes(codings, code),
        }
        if by and by in frame:
            entry["by"] = frame.groupby(by)["participant"].nunique().to_dict()
        result[name] = entry
    return result


def gaps_and_sources(codings: pd.DataFrame) -> pd.DataFrame:
    """Information gaps paired with the information sources the same participants mention.

    One row per participant who has a gap: their gap quotes and their source quotes.
    """
    gaps = codings[codings["code"] == GROUPS["information_gaps"]]
    sources = codings[codings["code"] == GROUPS["information_sources"]]
    rows = []
    for participant, frame in gaps.groupby("participant"):
        theirs = sources[sources["participant"] == participant]
        rows.append(
            {
                "participant": participant,
                "gaps": list(dict.fromkeys(frame["quote"])),
                "sources": list(dict.fromkeys(theirs["quote"])),
                "has_source": not theirs.empty,
            }
        )
    return pd.DataFrame(rows, columns=["participant", "gaps", "sources", "has_source"])


def perceived_quality(
    codings: pd.DataFrame, codebook: Codebook, *, by: str | None = None, lang: str = "en"
) -> pd.DataFrame:
    """Technical quality, each functional dimension and image with counts of positive and
    negative experiences (a valence code on the same segment), in participants and segments.

    Columns: code, label, kind (technical/functional/image), color, mentions, positive,
    negative (segments), participants, positive_participants, negative_participants,
    and ``by`` when given.
    """
    dims = [(TECHNICAL, "technical")]
    if FUNCTIONAL_GROUP in codebook:
        dims += [(c.id, "functional") for c in codebook.children(FUNCTIONAL_GROUP)]
    dims.append((IMAGE, "image"))
    valence = (
        codings[codings["code"].isin(VALENCE)]
        .groupby("segment")["code"]
        .agg(lambda codes: {VALENCE[c] for c in codes})
    )
    rows = []
    for code_id, kind in dims:
        if code_id not in codebook:
            continue
        code = codebook.get(code_id)
        frame = codings[codings["code"] == code_id].drop_duplicates(["segment", "participant"])
        tones = frame["segment"].map(valence).apply(lambda s: s if isinstance(s, set) else set())
        frame = frame.assign(
            positive=tones.apply(lambda s: "positive" in s),
            negative=tones.apply(lambda s: "negative" in s),
        )
        groups = frame.groupby(by) if by and by in frame else [(None, frame)]
        for value, part in groups:
            row = {
                "code": code_id,
                "label": code.name(lang),
                "kind": kind,
                "color": code.color,
                "mentions": int(part["segment"].nunique()),
                "positive": int(part.loc[part["positive"], "segment"].nunique()),
                "negative": int(part.loc[part["negative"], "segment"].nunique()),
                "participants": int(part["participant"].nunique()),
                "positive_participants": int(part.loc[part["positive"], "participant"].nunique()),
                "negative_participants": int(part.loc[part["negative"], "participant"].nunique()),
            }
            if by:
                row[by] = value
            rows.append(row)
    return pd.DataFrame(rows)


def everyday_processes(codings: pd.DataFrame) -> pd.DataFrame:
    """Per participant: what they do, how, why, their goal and the solutions they seek."""
    frame = codings[codings["code"].isin(EVERYDAY)]
    if frame.empty:
        return pd.DataFrame(columns=["participant", *EVERYDAY])
    cells = frame.groupby(["participant", "code"])["quote"].agg(lambda q: list(dict.fromkeys(q)))
    table = cells.unstack("code").reindex(columns=list(EVERYDAY))
    return table.reset_index()


def quotes(
    codings: pd.DataFrame, *, code: str | None = None, participant: str | None = None, **attrs: str
) -> pd.DataFrame:
    """The quotes behind any number: filter by code, participant and attribute values."""
    frame = codings
    if code is not None:
        frame = frame[frame["code"] == code]
    if participant is not None:
        frame = frame[frame["participant"] == participant]
    for column, value in attrs.items():
        if column in frame:
            frame = frame[frame[column] == value]
    cols = [
        c
        for c in ("participant", "document", "code", "label", "coder", "quote", "segment")
        if c in frame
    ]
    return frame[cols].drop_duplicates(["segment", "code", "quote"]).reset_index(drop=True)
