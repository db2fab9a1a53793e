"""Analysis frames: pure functions from a project's codings to pandas DataFrames.

Nothing here draws or writes; dashboards and notebooks render these frames.  Every function
that counts takes the ``codings`` frame from :func:`codings_frame` (or :func:`enrich`), so a
filter (user group, language, coder layer) applied once flows into every view.

Counting rules, used everywhere:

* a code counts once per *segment* and once per *participant*, however many coders or spans
  applied it (``segments`` and ``participants`` are distinct counts);
* a *theme* of a behaviour-process code (needs, expectations, ...) is one of its child codes
  when the codebook has any, and otherwise a code applied to the same segment (a functional
  quality dimension, an organisation code, ...); valence and user-type codes are never themes;
* a quality dimension's experience is *positive* / *negative* when a valence code
  (``val-positive`` / ``val-negative``) sits on the same segment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from workbench.codebook import Codebook
    from workbench.project._project import Project

GROUPS = {
    "needs": "bp-needs",
    "expectations": "bp-expectations",
    "information_gaps": "bp-information-gaps",
    "information_sources": "bp-information-sources",
}
VALENCE = {"val-positive": "positive", "val-negative": "negative"}
EVERYDAY = ("ep-what", "ep-how", "ep-why", "ep-goal", "ep-solutions")
USER_TYPES = ("user-external", "user-internal")
TECHNICAL = "pq-technical"
FUNCTIONAL_GROUP = "pq-functional"
IMAGE = "pq-image"
#: Codes that qualify other codes and are never counted as a theme.
NOT_THEMES = (*VALENCE, *USER_TYPES)
#: Columns of the codings frame that are not participant attributes.
CORE = (
    "coding",
    "segment",
    "document",
    "participant",
    "code",
    "coder",
    "origin",
    "start",
    "end",
    "quote",
    "created_at",
    "language",
    "label",
    "group",
    "parent",
    "path",
    "color",
    "order",
    "codable",
)
LAYERS = ("all", "consensus")
#: The origin of a coding adopted from a theme (the store's ``Origin.THEME``; analysis sits
#: below the store in the import contract, so it names the value).
THEME_ORIGIN = "theme"


def codings_frame(
    project: Project, layer: str | Sequence[str] = "all", lang: str = "en"
) -> pd.DataFrame:
    """One row per coding with its segment, participant attributes, code path, coder, origin.

    Parameters
    ----------
    project
        An open project (read-only is enough).
    layer
        ``"all"`` (every coder), ``"consensus"`` (see :func:`consensus`), a coder's name, or
        a list of coders.
    lang
        Language of the code labels (``"sv"`` or ``"en"``).

    Columns: coding, segment, document, participant, code, coder, origin, start, end, quote,
    language (of the document), label, group, parent, path, color, order, codable, and one
    column per participant attribute (see :func:`attribute_columns`).
    """
    wanted = None if isinstance(layer, str) and layer in LAYERS else layer
    codings = project.codings(coder=wanted)
    documents = project.documents[["document", "language"]]
    people = project.participants.drop(columns=["participant_id"], errors="ignore")
    book = project.codebook
    parents = {code.id: code.parent for code in book.codes}
    return enrich(select_layer(codings, layer, parents), documents, people, book, lang=lang)


def select_layer(
    codings: pd.DataFrame,
    layer: str | Sequence[str],
    parents: Mapping[str, str | None] | None = None,
) -> pd.DataFrame:
    """The codings of one layer: ``"all"``, ``"consensus"``, one coder or a list of coders
    (``parents``: each code's parent, for the consensus of adopted themes)."""
    if isinstance(layer, str):
        if layer == "all":
            return codings
        if layer == "consensus":
            return consensus(codings, parents)
        return codings[codings["coder"] == layer]
    return codings[codings["coder"].isin(list(layer))]


def consensus(
    codings: pd.DataFrame, parents: Mapping[str, str | None] | None = None
) -> pd.DataFrame:
    """Codings that a majority of a document's coders applied to the same segment.

    A (segment, code) pair is kept when more than half of the coders who coded anything in
    that document applied it (so a document with one coder keeps that coder's codings).  One
    row per kept pair, the earliest coding's span and quote, with coder ``"consensus"``.

    Codings adopted from a theme (origin ``theme``) refine the agreed codes rather than vote:
    the researcher who adopted a theme does not become one more coder of every document it
    touches (which would outvote a lone coder's codings), and a theme's coding is kept where
    its parent code (``parents``, or the frame's ``parent`` column) is kept on that segment.
    """
    if codings.empty:
        return codings.assign(coder=pd.Series(dtype=str))
    themed = (
        codings["origin"] == THEME_ORIGIN
        if "origin" in codings
        else pd.Series(False, index=codings.index)
    )
    own = codings[~themed]
    coders = own.groupby("document")["coder"].nunique()
    agree = own.groupby(["segment", "code"])["coder"].transform("nunique")
    needed = own["document"].map(coders) / 2
    kept = own[agree > needed]
    if themed.any():
        theme = codings[themed]
        parent = (
            theme["code"].map(parents)
            if parents is not None
            else theme.get("parent", pd.Series(None, index=theme.index))
        )
        agreed = set(zip(kept["segment"], kept["code"], strict=True))
        refined = [
            (segment, code) in agreed
            for segment, code in zip(theme["segment"], parent, strict=True)
        ]
        kept = pd.concat([kept, theme[refined]])
    kept = kept.sort_values(["segment", "code", "coding"]).drop_duplicates(["segment", "code"])
    return kept.assign(coder="consensus").reset_index(drop=True)


def enrich(
    codings: pd.DataFrame,
    documents: pd.DataFrame,
    participants: pd.DataFrame,
    codebook: Codebook,
    *,
    lang: str = "en",
) -> pd.DataFrame:
    """Join codings with their document's language, participant attributes and the code tree.

    Participant attributes whose name clashes with a core column (e.g. ``language``) are left
    out: the document's language is the one that counts.
    """
    frame = codings.drop(columns=["language"], errors="ignore")
    if "language" in documents:
        frame = frame.merge(
            documents[["document", "language"]].drop_duplicates("document"),
            on="document",
            how="left",
        )
    attrs = [c for c in participants.columns if c == "participant" or c not in CORE]
    frame = frame.merge(participants[attrs], on="participant", how="left")
    return relabel(frame, codebook, lang=lang)


def relabel(codings: pd.DataFrame, codebook: Codebook, *, lang: str = "en") -> pd.DataFrame:
    """The codings with the code columns (label, group, parent, path, color, order, codable)
    in language ``lang``; cheap, so a language switch does not re-read the project."""
    info = code_table(codebook, lang=lang)
    frame = codings.drop(columns=[c for c in info.columns if c != "code"], errors="ignore")
    return frame.merge(info, on="code", how="left").reset_index(drop=True)


def attribute_columns(codings: pd.DataFrame) -> list[str]:
    """The participant attribute columns of a codings frame, in order."""
    return [c for c in codings.columns if c not in CORE]


def filter_codings(codings: pd.DataFrame, **criteria: str | Iterable[str] | None) -> pd.DataFrame:
    """The codings whose column values match: ``filter_codings(f, user_type="external",
    language=["sv"])``.  ``None`` or an empty list means no condition on that column."""
    frame = codings
    for column, wanted in criteria.items():
        if wanted is None:
            continue
        values = [wanted] if isinstance(wanted, str) else list(wanted)
        if not values:
            continue
        if column not in frame:
            return frame.iloc[0:0]
        frame = frame[frame[column].isin(values)]
    return frame


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
    return pd.DataFrame(
        rows, columns=["code", "label", "group", "parent", "path", "color", "order", "codable"]
    )


def frequencies(
    codings: pd.DataFrame, *, by: str | None = None, codes: Sequence[str] | None = None
) -> pd.DataFrame:
    """How often each code occurs: distinct ``segments`` and distinct ``participants``.

    With ``by`` (any participant attribute) the counts are split by its values.  Sorted by
    participants, then segments (most first), then codebook order.
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
    """Code × code matrix: the number of segments in which both codes occur (the diagonal:
    segments with the code)."""
    pairs = codings[["segment", "code"]].drop_duplicates()
    if pairs.empty:
        return pd.DataFrame()
    incidence = pd.crosstab(pairs["segment"], pairs["code"]).clip(upper=1)
    return incidence.T @ incidence


def framework_matrix(codings: pd.DataFrame, codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Participants × codes; each cell lists that participant's distinct quotes for the code
    (an empty list where they have none)."""
    frame = codings if codes is None else codings[codings["code"].isin(codes)]
    if frame.empty:
        return pd.DataFrame()
    cells = frame.groupby(["participant", "code"])["quote"].agg(lambda q: list(dict.fromkeys(q)))
    table = cells.unstack("code")
    if codes is not None:
        table = table.reindex(columns=[c for c in codes if c in table.columns])
    return table.apply(lambda col: col.apply(lambda v: v if isinstance(v, list) else []))


def representative_quotes(
    codings: pd.DataFrame, code: str, n: int = 3, *, richness: pd.Series | None = None
) -> list[dict[str, Any]]:
    """Up to ``n`` quotes for ``code``, from different participants, of a readable length.

    Quotes of 60-400 characters come first, then those from segments with more codes (richer
    passages), then shorter ones.  ``richness`` (codes per segment) may be passed in when
    it is already known.
    """
    frame = codings[codings["code"] == code].drop_duplicates(["segment", "quote"]).copy()
    if frame.empty:
        return []
    frame["length"] = frame["quote"].str.len()
    if richness is None:
        segments = codings[codings["segment"].isin(frame["segment"])]
        richness = segments.groupby("segment")["code"].nunique()
    frame["richness"] = frame["segment"].map(richness)
    frame["fit"] = (frame["length"].between(60, 400)).astype(int)
    frame = frame.sort_values(
        ["fit", "richness", "length", "segment"], ascending=[False, False, True, True]
    )
    picked = frame.drop_duplicates("participant").head(n)
    return [
        {
            "participant": r.participant,
            "quote": r.quote,
            "document": r.document,
            "segment": int(r.segment),
        }
        for r in picked.itertuples()
    ]


def _theme_rows(codings: pd.DataFrame, code: str) -> tuple[pd.DataFrame, int]:
    """The codings that are themes of ``code`` and how many participants raised ``code``."""
    children = codings[codings["parent"] == code] if "parent" in codings else codings.iloc[0:0]
    if not children.empty:
        return children, int(children["participant"].nunique())
    under = codings[codings["code"] == code]
    segments = under["segment"].unique()
    together = codings[
        codings["segment"].isin(segments)
        & (codings["code"] != code)
        & ~codings["code"].isin(NOT_THEMES)
    ]
    if "codable" in together:
        together = together[together["codable"].fillna(True).astype(bool)]
    return together, int(under["participant"].nunique())


def themes(codings: pd.DataFrame, code: str, *, by: str | None = None) -> pd.DataFrame:
    """The themes raised under ``code`` ranked by the number of participants (see the module
    docstring for what a theme is).

    Columns: theme, label, color, order, participants, segments, share (of the participants
    who raised ``code``); with ``by``, one participants column ``"{by}={value}"`` per value.
    """
    columns = ["theme", "label", "color", "order", "participants", "segments", "share"]
    together, raised = _theme_rows(codings, code)
    if together.empty:
        return pd.DataFrame(columns=columns)
    grouped = (
        together.groupby("code")
        .agg(
            label=("label", "first"),
            color=("color", "first"),
            order=("order", "first"),
            participants=("participant", "nunique"),
            segments=("segment", "nunique"),
        )
        .reset_index()
        .rename(columns={"code": "theme"})
    )
    grouped["share"] = grouped["participants"] / raised if raised else 0.0
    grouped = grouped[columns]
    if by and by in together:
        split = together.groupby(["code", by])["participant"].nunique().unstack(by).fillna(0)
        split.columns = [f"{by}={value}" for value in split.columns]
        grouped = grouped.merge(split.astype(int), left_on="theme", right_index=True, how="left")
    return grouped.sort_values(
        ["participants", "segments", "order"], ascending=[False, False, True]
    ).reset_index(drop=True)


def summary(codings: pd.DataFrame, *, by: str | None = None) -> dict[str, dict[str, Any]]:
    """Needs, expectations, information gaps and sources: for each, how many participants
    raise it (and, with ``by``, per group), its themes and representative quotes."""
    result: dict[str, dict[str, Any]] = {}
    wanted = codings["code"].isin(list(GROUPS.values()))
    if "parent" in codings:
        wanted |= codings["parent"].isin(list(GROUPS.values()))
    # Everything below looks only at segments with one of these codes (the codes, their
    # themes and what else is coded there): the rest of the codings is skipped unread.
    codings = codings[codings["segment"].isin(codings.loc[wanted, "segment"])]
    richness = codings.groupby("segment")["code"].nunique()
    for name, code in GROUPS.items():
        frame = codings[(codings["code"] == code) | (codings.get("parent") == code)]
        entry: dict[str, Any] = {
            "code": code,
            "participants": int(frame["participant"].nunique()),
            "segments": int(frame["segment"].nunique()),
            "themes": themes(codings, code, by=by),
            "quotes": representative_quotes(codings, code, richness=richness),
        }
        if by and by in frame:
            entry["by"] = {
                str(k): int(v) for k, v in frame.groupby(by)["participant"].nunique().items()
            }
        result[name] = entry
    return result


def gaps_and_sources(codings: pd.DataFrame) -> pd.DataFrame:
    """Information gaps paired with the information sources the same participants mention.

    One row per participant who has a gap: ``gaps`` and ``sources`` (their distinct quotes)
    and ``has_source``; sorted by participant.
    """
    gaps = codings[codings["code"] == GROUPS["information_gaps"]]
    sources = codings[codings["code"] == GROUPS["information_sources"]]
    source_quotes = sources.groupby("participant")["quote"].agg(lambda q: list(dict.fromkeys(q)))
    rows = []
    for participant, frame in gaps.groupby("participant", sort=True):
        theirs = source_quotes.get(participant, [])
        rows.append(
            {
                "participant": participant,
                "gaps": list(dict.fromkeys(frame["quote"])),
                "sources": theirs,
                "has_source": bool(theirs),
            }
        )
    return pd.DataFrame(rows, columns=["participant", "gaps", "sources", "has_source"])


def quality_dimensions(codebook: Codebook) -> list[tuple[str, str]]:
    """``(code, kind)`` for technical quality, each functional dimension and image, in the
    order of Grönroos's model (only codes the codebook has)."""
    dims = [(TECHNICAL, "technical")]
    if FUNCTIONAL_GROUP in codebook:
        dims += [(c.id, "functional") for c in codebook.children(FUNCTIONAL_GROUP)]
    dims.append((IMAGE, "image"))
    return [(code, kind) for code, kind in dims if code in codebook]


def perceived_quality(
    codings: pd.DataFrame, codebook: Codebook, *, by: str | None = None, lang: str = "en"
) -> pd.DataFrame:
    """Technical quality, each functional dimension and image with counts of positive and
    negative experiences (a valence code on the same segment), in segments and participants.

    Columns: code, label, kind (technical/functional/image), color, mentions, positive,
    negative, neutral (segments; neutral: no valence), participants, positive_participants,
    negative_participants, and ``by`` when given.  Every dimension has a row (zeros when it
    is never mentioned); with ``by``, one row per dimension and value of ``by``.
    """
    dims = quality_dimensions(codebook)
    kinds = dict(dims)
    valence = codings[codings["code"].isin(list(VALENCE))]
    positive = set(valence.loc[valence["code"] == "val-positive", "segment"])
    negative = set(valence.loc[valence["code"] == "val-negative", "segment"])
    keep = ["segment", "participant", "code"] + ([by] if by and by in codings else [])
    frame = codings.loc[codings["code"].isin(list(kinds)), keep].drop_duplicates(
        ["segment", "participant", "code"]
    )
    frame = frame.assign(
        positive=frame["segment"].isin(positive), negative=frame["segment"].isin(negative)
    )
    frame["pseg"] = frame["segment"].where(frame["positive"])
    frame["nseg"] = frame["segment"].where(frame["negative"])
    frame["useg"] = frame["segment"].where(~frame["positive"] & ~frame["negative"])
    frame["ppart"] = frame["participant"].where(frame["positive"])
    frame["npart"] = frame["participant"].where(frame["negative"])
    keys = ["code"] + ([by] if by and by in codings else [])
    counts = frame.groupby(keys).agg(
        mentions=("segment", "nunique"),
        positive=("pseg", "nunique"),
        negative=("nseg", "nunique"),
        neutral=("useg", "nunique"),
        participants=("participant", "nunique"),
        positive_participants=("ppart", "nunique"),
        negative_participants=("npart", "nunique"),
    )
    if by and by in codings:
        values = sorted(codings[by].dropna().unique().tolist(), key=str)
        index = pd.MultiIndex.from_product([[c for c, _ in dims], values], names=keys)
    else:
        index = pd.Index([c for c, _ in dims], name="code")
    counts = counts.reindex(index, fill_value=0).reset_index()
    counts.insert(1, "label", [codebook.get(c).name(lang) for c in counts["code"]])
    counts.insert(2, "kind", counts["code"].map(kinds))
    counts.insert(3, "color", [codebook.get(c).color for c in counts["code"]])
    numbers = [c for c in counts.columns if c not in ("code", "label", "kind", "color", by)]
    counts[numbers] = counts[numbers].astype(int)
    return counts


def priorities(quality: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """Where to start: the quality dimensions most participants experienced negatively
    (ties: more negative segments, then fewer positive participants).  Dimensions nobody
    experienced negatively are left out."""
    frame = quality.groupby(["code", "label", "kind"], sort=False, as_index=False)[
        ["negative_participants", "negative", "positive_participants"]
    ].sum()
    frame = frame[frame["negative_participants"] > 0]
    return (
        frame.sort_values(
            ["negative_participants", "negative", "positive_participants"],
            ascending=[False, False, True],
            kind="stable",
        )
        .head(n)
        .reset_index(drop=True)
    )


def everyday_processes(codings: pd.DataFrame) -> pd.DataFrame:
    """Per participant: what they do, how, why, their goal and the solutions they seek.

    One row per participant with any everyday-process coding; each cell a list of distinct
    quotes (empty when none).
    """
    frame = codings[codings["code"].isin(EVERYDAY)]
    if frame.empty:
        return pd.DataFrame(columns=["participant", *EVERYDAY])
    cells = frame.groupby(["participant", "code"])["quote"].agg(lambda q: list(dict.fromkeys(q)))
    table = cells.unstack("code").reindex(columns=list(EVERYDAY))
    table = table.apply(lambda col: col.apply(lambda v: v if isinstance(v, list) else []))
    table.columns.name = None
    return table.reset_index()


def quotes(
    codings: pd.DataFrame,
    *,
    code: str | None = None,
    participant: str | None = None,
    with_code: str | None = None,
    valence: str | None = None,
    **attrs: str,
) -> pd.DataFrame:
    """The quotes behind any number: filter by code, participant and attribute values.

    ``with_code``: only segments that also carry that code (a theme's quotes);
    ``valence``: ``"positive"`` / ``"negative"`` keeps segments with that valence code.
    Columns: participant, document, segment, code, label, quote, and the participant
    attributes; one row per distinct (segment, code, quote), in document order.
    """
    frame = codings
    if code is not None:
        frame = frame[(frame["code"] == code) | (frame.get("parent") == code)]
    if participant is not None:
        frame = frame[frame["participant"] == participant]
    for also, wanted in ((with_code, with_code), (valence, _valence_code(valence))):
        if also is not None:
            segments = codings.loc[codings["code"] == wanted, "segment"].unique()
            frame = frame[frame["segment"].isin(segments)]
    for column, value in attrs.items():
        frame = frame[frame[column] == value] if column in frame else frame.iloc[0:0]
    cols = [
        c for c in ("participant", "document", "segment", "code", "label", "quote") if c in frame
    ]
    cols += attribute_columns(frame)
    return (
        frame[cols]
        .drop_duplicates(["segment", "code", "quote"])
        .sort_values(["document", "segment"], kind="stable")
        .reset_index(drop=True)
    )


def _valence_code(valence: str | None) -> str | None:
    if valence is None:
        return None
    for code, name in VALENCE.items():
        if name == valence:
            return code
    raise ValueError(f"valence must be 'positive' or 'negative', not {valence!r}")
