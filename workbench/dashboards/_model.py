"""What a dashboard shows, computed from a project without drawing: filters in, views out.

The project's codings are read once; a coding layer, a source and a language are selections
of that frame (each cached), and the views of each filter state are cached too, so going back
to an earlier state costs nothing and a change only recomputes the views of the new state.

Two things are never mixed silently:

* **sources** — interviews and survey answers (table rows) are different kinds of people and
  of counting; a view shows one :class:`Source` at a time;
* **layers** — whose coding is counted (:class:`Layer`): the consensus where there is one,
  all human coders, or one coder; coders the project excludes (test or sandbox coders,
  ``Project.exclude_coders``) are in none of them.  The layer "Estimate (model + coders)"
  (:attr:`Layer.ESTIMATE`, offered when the project's predictions are current) adds the
  model's estimate for everybody beside people's codings, never in place of them
  (:mod:`._estimate`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pandas as pd

from workbench import analysis as a
from workbench.dashboards import _estimate as est
from workbench.dashboards import _findings as fnd
from workbench.dashboards._estimate import BESIDE
from workbench.dashboards._figures import NEGATIVE, POSITIVE
from workbench.errors import UnknownItem, WorkbenchError
from workbench.i18n import text

if TYPE_CHECKING:
    from workbench.codebook import Codebook
    from workbench.project._project import Project

#: Attributes offered as the "user group" and "user type" filters, when the study has them.
GROUP_ATTRIBUTE = "role"
TYPE_ATTRIBUTE = "user_type"
#: The attributes the dashboard's own filters read: a quote's byline may always show them.
FILTER_ATTRIBUTES = (GROUP_ATTRIBUTE, TYPE_ATTRIBUTE, "language")
#: A quote's byline shows another attribute only when it is categorical: at most
#: ``BYLINE_VALUES`` distinct values, each held by at least ``BYLINE_SHARED`` people (a
#: comment or an occupation written freely can name one person).
BYLINE_VALUES = 12
BYLINE_SHARED = 2
#: An attribute with more distinct values is no filter or comparison (free text, dates): its
#: list of values would quote the answers (see :func:`filterable`).
FILTER_VALUES = 20
#: Small-cell suppression: an attribute value held by fewer participants (of one source) is
#: never shown in a byline, offered as a filter value or compared as a group of its own.
#: Three, as in statistical disclosure control's usual minimum cell: with one holder a value
#: names the person, with two each holder knows who the other is.  A project may raise it
#: (meta entry :data:`MIN_GROUP_KEY`, an integer).
MIN_GROUP = 3
MIN_GROUP_KEY = "dashboard_min_group"
#: The compared group that gathers values held by fewer than the minimum of participants.
OTHER = "other"
#: The coder name under which adjudication (``Project.settle``) records settled codings.
SETTLED = "consensus"
#: Columns of the codings frame no view reads (each filter copies every column it keeps).
UNUSED = ("coding", "coder", "origin", "start", "end", "created_at", "group", "path")
#: Document formats whose documents are answers of a survey (one table row each).
TABLE_FORMATS = ("csv", "xlsx")


class Layer(StrEnum):
    """Whose coding a view counts, besides one coder's own (whose layer is the coder's name)."""

    #: Settled codings where a disagreement was adjudicated; elsewhere the codes most of a
    #: document's coders applied (a document with one coder keeps that coder's codings).
    CONSENSUS = "consensus"
    #: Every human coder's codings together (excluded coders left out).
    HUMAN = "all"
    #: People's codings as the best human layer counts them (:attr:`DashboardData.people_layer`:
    #: the figures shown as people's are the same in every layer) and, for everybody, the
    #: model's estimate beside them: listed after the human layers when the project's
    #: predictions are current.
    ESTIMATE = "estimate"


class Source(StrEnum):
    """Where the participants' words come from; views never mix them."""

    INTERVIEWS = "interviews"
    SURVEY = "survey"


def categorical(values: pd.Series) -> bool:
    """Whether an attribute (one value per person; missing values left out) is categorical:
    at most :data:`BYLINE_VALUES` distinct values, each held by :data:`BYLINE_SHARED` people
    or more, so that showing it beside a quote does not point at one person."""
    counts = values.dropna().astype(str).value_counts()
    return 0 < len(counts) <= BYLINE_VALUES and int(counts.min()) >= BYLINE_SHARED


def filterable(values: pd.Series) -> bool:
    """Whether an attribute (one value per person) can be a filter or a comparison: at most
    :data:`FILTER_VALUES` distinct values, some shared (a column of one value per person is
    free text or an identifier, and its list of values would quote each person)."""
    values = values.dropna().astype(str)
    distinct = values.nunique()
    return 0 < distinct <= FILTER_VALUES and distinct < len(values)


def source_of_format(fmt: object) -> Source:
    """The source of a document by its format: a table row is a survey answer."""
    return Source.SURVEY if str(fmt).lower() in TABLE_FORMATS else Source.INTERVIEWS


@dataclass(frozen=True)
class Filters:
    """One filter state.  Empty strings mean "all" (for ``layer`` and ``source``: the best
    available, see :meth:`DashboardData.normalize`)."""

    lang: str = "en"
    layer: str = ""
    source: str = ""
    group: str = ""
    user_type: str = ""
    attribute: str = ""
    value: str = ""
    language: str = ""
    by: str = ""

    def view_key(self) -> Filters:
        """The state whose views these filters show: an attribute without a value filters
        nothing, so it shares the views of no attribute."""
        return self if self.value else replace(self, attribute="")

    def criteria(self) -> dict[str, str | None]:
        """Column conditions for :func:`workbench.analysis.filter_codings`."""
        out: dict[str, str | None] = {
            GROUP_ATTRIBUTE: self.group or None,
            TYPE_ATTRIBUTE: self.user_type or None,
            "language": self.language or None,
        }
        if self.attribute and self.value:
            out[self.attribute] = self.value
        return out


@dataclass
class Views:
    """Everything one filter state shows.

    ``categories``: needs, expectations, information gaps and sources
    (:class:`~workbench.dashboards._findings.Category`); ``priorities``: the themes to start
    with; ``dimension_priorities``: the quality dimensions most people experienced
    negatively (shown when no theme carries a negative experience); with groups compared,
    ``groups`` (participants per group) and ``priorities_by`` (per group).  In the layer
    "Estimate (model + coders)" everything above counts people's codings and ``estimate``
    holds the model's estimate for everybody (:class:`~._estimate.EstimateView`).
    """

    codings: pd.DataFrame
    source: str
    participants: int
    documents: int
    categories: dict[str, fnd.Category]
    quality: pd.DataFrame
    quality_themes: pd.DataFrame
    priorities: list[fnd.Priority]
    dimension_priorities: pd.DataFrame
    people: pd.DataFrame = field(repr=False)
    groups: dict[str, int] = field(default_factory=dict)
    priorities_by: dict[str, list[fnd.Priority]] = field(default_factory=dict)
    estimate: est.EstimateView | None = None

    # The per-participant tables are long and folded: built when first read.
    @cached_property
    def pairs(self) -> pd.DataFrame:
        """Information gaps beside sources, per participant
        (:func:`workbench.analysis.gaps_and_sources`)."""
        return a.gaps_and_sources(self.codings)

    @cached_property
    def everyday(self) -> pd.DataFrame:
        """Everyday processes per participant (:func:`workbench.analysis.everyday_processes`)."""
        return a.everyday_processes(self.codings)

    @property
    def negative_participants(self) -> int:
        """Participants with a negative experience (a negative valence coding) here, whether
        or not it is tied to a quality dimension or a theme."""
        return self.people_with([fnd.NEGATIVE_CODE])

    def people_with(self, codes: Sequence[str]) -> int:
        """How many participants have one of ``codes`` (the rows of a folded table)."""
        return int(self.codings.loc[self.codings["code"].isin(codes), "participant"].nunique())


class DashboardData:
    """A project's codings loaded once, and the cached views of each filter state.

    Parameters
    ----------
    project
        An open project; only read (open it with ``read_only=True``).
    codebook
        The codebook (default: the project's).
    codings
        Optional: codings already enriched (``workbench.analysis.codings_frame``), for tests
        and benchmarks; a ``source`` column may say which are survey answers.
    excluded
        Coders to leave out of every layer (default: the project's setting,
        ``Project.excluded_coders``).
    min_group
        Small-cell suppression: attribute values held by fewer participants of a source are
        not shown (default: the project's meta entry :data:`MIN_GROUP_KEY`, else
        :data:`MIN_GROUP`).
    """

    def __init__(
        self,
        project: Project | None,
        *,
        codebook: Codebook | None = None,
        codings: pd.DataFrame | None = None,
        title: str = "",
        excluded: Sequence[str] | None = None,
        min_group: int | None = None,
    ) -> None:
        self.project = project
        self.min_group = min_group if min_group is not None else _min_group(project)
        if codebook is None:
            if project is None:
                raise ValueError("give a project or a codebook")
            codebook = project.codebook
        self.codebook = codebook
        self.tree = fnd.ThemeTree.of(codebook)
        self.title = title or (project.path.name if project is not None else "")
        # Taken before anything is read: a change while reading shows as stale later.
        self.read_as = self.fingerprint()
        self.excluded: list[str] = list(
            excluded if excluded is not None else project.excluded_coders if project else []
        )
        self._documents = self._read_documents()
        self._given = codings
        self._layers: dict[str, pd.DataFrame] = {}
        self._selected: dict[tuple[str, str, str], pd.DataFrame] = {}
        self._labels: dict[str, dict[str, tuple[str, str]]] = {}
        self._notes: dict[tuple[str, str], str] = {}
        self._rare: dict[tuple[str, str], set[str]] = {}
        self._stop_warm = threading.Event()
        self._views: dict[Filters, Views] = {}
        self._prevalence: dict[tuple[str, str], pd.DataFrame] = {}
        # The warming thread and a viewer may ask for the same estimate: computed once.
        self._estimating = threading.Lock()

    # -- freshness ------------------------------------------------------------------------
    def fingerprint(self) -> tuple[Any, ...] | None:
        """What changes whenever the project does: the last row of its audit log (every write
        appends one) and the count and last id of its codings (``None`` without a project)."""
        if self.project is None:
            return None
        return self.project.store.change_stamp()

    def stale(self) -> bool:
        """Whether the project changed since this data was read (a cheap query)."""
        return self.project is not None and self.fingerprint() != self.read_as

    # -- data -----------------------------------------------------------------------------
    def _read_documents(self) -> pd.DataFrame:
        if self.project is None:
            return pd.DataFrame(columns=["document", "participant", "source"])
        docs = self.project.documents[["document", "participant", "format"]]
        return docs.assign(source=[str(source_of_format(f)) for f in docs["format"]])

    @cached_property
    def _codings(self) -> pd.DataFrame:
        """Every coding (all coders, settled ones included) with its source, category and
        theme: read once."""
        if self._given is not None:
            frame = self._given
        else:
            assert self.project is not None
            frame = a.codings_frame(self.project)
        frame = _plain_strings(frame)
        extra = self.tree.columns(frame["code"])
        if "source" not in frame:
            by_doc = dict(zip(self._documents["document"], self._documents["source"], strict=True))
            default = str(Source.INTERVIEWS)
            extra["source"] = frame["document"].map(by_doc).astype(object).fillna(default)
        return frame.assign(**extra)

    @cached_property
    def coders(self) -> list[str]:
        """The human coders of the layers: every coder but the settled layer and the
        excluded ones, sorted.  Someone who only adopted themes (codings of origin ``theme``)
        refined others' codings and is not a coder of their own."""
        frame = self._codings
        if "origin" in frame:
            frame = frame[frame["origin"] != a.THEME_ORIGIN]
        names = frame["coder"].unique() if len(frame) else []
        return sorted(str(c) for c in names if c != SETTLED and c not in self.excluded)

    def has_settled(self) -> bool:
        """Whether any disagreement was settled (adjudicated) in the project."""
        return bool((self._codings["coder"] == SETTLED).any())

    def layers(self) -> list[str]:
        """The layers on offer, each once, the best first: the consensus (with two coders or
        more, or after an adjudication), all human coders, then each coder (with two or more:
        one coder's layer would repeat "all")."""
        return list(self._layer_list)

    @cached_property
    def _layer_list(self) -> tuple[str, ...]:
        out: list[str] = []
        if len(self.coders) > 1 or self.has_settled():
            out.append(str(Layer.CONSENSUS))
        out.append(str(Layer.HUMAN))
        if len(self.coders) > 1:
            out += [c for c in self.coders if c not in {str(x) for x in Layer}]
        if not self.estimate_reason:
            out.append(str(Layer.ESTIMATE))
        return tuple(out)

    @property
    def people_layer(self) -> str:
        """The human layer whose codings count as people's wherever they are shown, the
        estimate's layer too: the consensus where there is one (settled codings where a
        disagreement was adjudicated), else every coder's."""
        return str(Layer.CONSENSUS if len(self.coders) > 1 or self.has_settled() else Layer.HUMAN)

    @property
    def default_layer(self) -> str:
        """The best layer available: the consensus where there is one, else all coders."""
        return self.layers()[0]

    def layer(self, layer: str) -> pd.DataFrame:
        """The enriched codings of a layer (computed once)."""
        if layer not in self._layers:
            frame = self._codings
            adopted = (frame["origin"] == a.THEME_ORIGIN) & ~frame["coder"].isin(
                [SETTLED, *self.excluded]
            )
            human = frame[frame["coder"].isin(self.coders) | adopted]
            if layer == Layer.HUMAN:
                out = human
            elif layer == Layer.CONSENSUS:
                settled = frame[frame["coder"] == SETTLED]
                agreed = a.consensus(human)
                if len(settled):
                    agreed = agreed[~agreed["segment"].isin(settled["segment"])]
                    out = pd.concat([settled, agreed], ignore_index=True)
                else:
                    out = agreed
            elif layer == Layer.ESTIMATE and not self.estimate_reason:
                # People's codings counted as in the best human layer, so that a figure shown
                # as people's is the same in every layer (the model learns from every coder:
                # that is its business, not what these views show as people's).
                self._layers[layer] = self.layer(self.people_layer)
                return self._layers[layer]
            elif layer in self.coders:
                out = frame[frame["coder"] == layer]
            else:
                raise UnknownItem(
                    f"{self.title or 'dashboard'}: no coding layer {layer!r} "
                    f"(choose from {', '.join(self.layers())})"
                )
            self._layers[layer] = fnd.mark_valence(out.reset_index(drop=True))
        return self._layers[layer]

    def labels(self, lang: str) -> dict[str, tuple[str, str]]:
        """Code id → (label in ``lang``, colour)."""
        if lang not in self._labels:
            self._labels[lang] = {c.id: (c.name(lang), c.color) for c in self.codebook.codes}
        return self._labels[lang]

    def sources(self) -> list[str]:
        """The sources the study has, interviews first."""
        return list(self._source_list)

    @cached_property
    def _source_list(self) -> tuple[str, ...]:
        present = set(self._documents["source"]) | set(self._codings["source"].unique())
        return tuple(str(s) for s in Source if s in present) or (str(Source.INTERVIEWS),)

    @property
    def default_source(self) -> str:
        """Interviews when the study has any, else its survey."""
        return self.sources()[0]

    def source_size(self, source: str) -> tuple[int, int]:
        """Documents and participants of ``source`` in the whole study (coded or not)."""
        docs = self._documents[self._documents["source"] == source]
        if docs.empty:
            frame = self._codings[self._codings["source"] == source]
            return int(frame["document"].nunique()), int(frame["participant"].nunique())
        return len(docs), int(docs["participant"].nunique())

    def selection(self, layer: str, lang: str, source: str) -> pd.DataFrame:
        """The codings of ``layer`` from ``source`` with code labels in ``lang``."""
        key = (layer, lang, source)
        if key not in self._selected:
            frame = self.layer(layer)
            frame = frame.loc[frame["source"] == source, [c for c in frame if c not in UNUSED]]
            self._selected[key] = a.relabel(frame, self.codebook, lang=lang)
        return self._selected[key]

    def attributes(self, source: str | None = None) -> list[str]:
        """Participant attributes to filter or compare by (those ``source``'s participants
        have values for)."""
        frame = self._codings
        if source:
            frame = frame[frame["source"] == source]
        people = frame.drop_duplicates("participant")
        return [
            c
            for c in a.attribute_columns(frame)
            if c not in fnd.DERIVED
            and frame[c].notna().any()
            and (c in FILTER_ATTRIBUTES or filterable(people[c]))
            and (not source or self.values(c, source))
        ]

    @cached_property
    def byline(self) -> list[str]:
        """The attributes a quote's byline shows: the dashboard's filters' own
        (:data:`FILTER_ATTRIBUTES`) and the categorical ones (:func:`categorical`, judged
        over every participant of the study), never free text that could name a person."""
        if self.project is not None:
            people = self.project.participants.drop(columns=["participant_id"], errors="ignore")
            people = _plain_strings(people).drop_duplicates("participant")
        else:
            people = self._codings.drop_duplicates("participant")
        columns = [c for c in a.attribute_columns(self._codings) if c not in fnd.DERIVED]
        return [
            c for c in columns if c in FILTER_ATTRIBUTES or (c in people and categorical(people[c]))
        ]

    def values(self, column: str, source: str | None = None) -> list[str]:
        """The values a column takes in the study (or in ``source``) that may be offered as a
        filter or a group (:meth:`rare` ones left out), sorted."""
        frame = self._codings
        if source:
            frame = frame[frame["source"] == source]
        if column not in frame:
            return []
        rare = self.rare(column, source) if source else set()
        return sorted(str(v) for v in frame[column].dropna().unique() if str(v) not in rare)

    @cached_property
    def study_language(self) -> str:
        """The language most of the study's documents are in (an interface language,
        ``"en"`` when it is none or unknown): the dashboard's and report's default."""
        from workbench.i18n import LANGS

        if self.project is None:
            return "en"
        languages = self.project.documents["language"].dropna().astype(str)
        counts = languages[languages.isin(LANGS)].value_counts()
        return str(counts.index[0]) if len(counts) else "en"

    @cached_property
    def _all_documents(self) -> pd.DataFrame:
        """Every document of the study (coded or not): document, participant, source,
        ``language`` (the document's, as in every view: :func:`workbench.analysis.codings_frame`)
        and the participant's other attributes."""
        if self.project is None:
            return self._codings.drop_duplicates("document").reset_index(drop=True)
        people = self.project.participants.drop(
            columns=["participant_id", "language"], errors="ignore"
        )
        people = _plain_strings(people).drop_duplicates("participant")
        docs = _plain_strings(self.project.documents[["document", "language"]])
        frame = self._documents[["document", "participant", "source"]].merge(
            docs, on="document", how="left"
        )
        return frame.merge(people, on="participant", how="left")

    @cached_property
    def _people_of_sources(self) -> pd.DataFrame:
        """Every participant once per source they speak in, with their attributes (all of
        the study's, coded or not): what small-cell suppression counts."""
        frame = self._all_documents
        return frame.drop_duplicates(["participant", "source"]).reset_index(drop=True)

    def selection_size(self, filters: Filters) -> tuple[int, int]:
        """Documents and participants of the source of ``filters`` that its filters select,
        coded or not: the "of N" of a view, which follows the filters."""
        f = self.normalize(filters)
        frame = self._all_documents
        frame = frame[frame["source"] == f.source]
        for column, value in f.criteria().items():
            if value:
                values = frame[column].astype(str) if column in frame else None
                frame = frame[values == value] if values is not None else frame.iloc[0:0]
        return int(frame["document"].nunique()), int(frame["participant"].nunique())

    def rare(self, column: str, source: str) -> set[str]:
        """Values of ``column`` held by fewer than :attr:`min_group` participants of
        ``source`` (interviews count interview participants): shown nowhere, since a head of
        unit would know who the one communications officer is."""
        key = (column, source)
        if key not in self._rare:
            people = self._people_of_sources
            if column in people:
                values = people.loc[people["source"] == source, column].dropna().astype(str)
                counts = values.value_counts()
                self._rare[key] = {str(v) for v, n in counts.items() if n < self.min_group}
            else:
                self._rare[key] = set()
        return self._rare[key]

    def suppress(self, people: pd.DataFrame, source: str | None = None) -> pd.DataFrame:
        """``people`` (index: participant; attribute columns) with each value held by fewer
        than :attr:`min_group` participants of their source blanked (``None``): the bylines'
        attributes.  Without ``source``, each participant's own source counts."""
        if people.empty:
            return people
        if source is None:
            where = self._people_of_sources.drop_duplicates("participant")
            of = people.index.map(dict(zip(where["participant"], where["source"], strict=True)))
            sources = pd.Series(of, index=people.index).fillna(str(Source.INTERVIEWS))
        else:
            sources = pd.Series(source, index=people.index)
        out = people.copy()
        for column in out.columns:
            mask = pd.Series(False, index=out.index)
            for src in sources.unique():
                rare = self.rare(column, str(src))
                if rare:
                    mask |= (sources == src) & out[column].astype(str).isin(rare)
            if mask.any():
                out[column] = out[column].astype(object).where(~mask, None)
        return out

    def valence_colors(self) -> tuple[str, str]:
        """The codebook's colours for negative and positive experiences."""
        book = self.codebook
        negative = book.get("val-negative").color if "val-negative" in book else NEGATIVE
        positive = book.get("val-positive").color if "val-positive" in book else POSITIVE
        return negative, positive

    def layer_note(self, layer: str, lang: str) -> str:
        """What a layer counts, in a sentence: it names the coders, and says so when adopted
        themes or accepted suggestions are among the codings (nothing is claimed that is not
        so) and which coders are left out."""
        layer = self.normalize(Filters(layer=layer)).layer
        if (layer, lang) not in self._notes:
            self._notes[(layer, lang)] = self._layer_note(layer, lang)
        return self._notes[(layer, lang)]

    def small_note(self, filters: Filters, lang: str) -> str:
        """One line saying that groups of fewer than :attr:`min_group` people are neither
        shown nor offered, when the source of ``filters`` has such groups among the filters'
        and the compared attribute's values (else ``""``)."""
        f = self.normalize(filters)
        columns = [GROUP_ATTRIBUTE, TYPE_ATTRIBUTE, "language", f.attribute, f.by]
        if not any(c and c != BESIDE and self.rare(c, f.source) for c in columns):
            return ""
        return text("dash_small_groups", lang, n=self.min_group)

    def _layer_note(self, layer: str, lang: str) -> str:
        if layer == Layer.ESTIMATE:
            whose = self._layer_note(self.people_layer, lang)
            return text("est_layer_note", lang, people=whose)
        elif layer == Layer.CONSENSUS:
            note = text("dash_layer_note_consensus", lang, names=", ".join(self.coders))
        elif layer == Layer.HUMAN:
            note = text("dash_layer_note_all", lang, names=", ".join(self.coders))
        else:
            note = text("dash_layer_note_coder", lang, names=layer)
        frame = self.layer(layer)
        origins = set(frame["origin"].dropna().astype(str).unique()) if "origin" in frame else set()
        extra = [text(f"dash_origin_{o}", lang) for o in ("theme", "suggestion") if o in origins]
        if extra:
            note += " " + text("dash_layer_note_origins", lang, what=" ".join(extra))
        if self.excluded:
            note += " " + text("dash_layer_note_excluded", lang, names=", ".join(self.excluded))
        return note

    # -- the model's estimate -------------------------------------------------------------
    @cached_property
    def estimate_reason(self) -> str:
        """Why the layer "Estimate (model + coders)" is not offered (``""`` when it is): the
        project has no predictions, or they are stale (the codebook changed, segments were
        imported since, ...).  The message names the command that makes them."""
        if self.project is None:
            return "no project"
        from workbench.project import _predictions

        try:
            _predictions.check(self.project)
        except WorkbenchError as exc:
            return str(exc)
        return ""

    def estimate_hint(self, lang: str) -> str:
        """A quiet line saying how to make the estimate, when it is not offered (else ``""``)."""
        if not self.estimate_reason or self.project is None:
            return ""
        none = self.project.store.prediction_versions().empty
        key = "est_unavailable_none" if none else "est_unavailable_stale"
        return text(key, lang, study=self.project.path.name)

    @cached_property
    def estimate_segments(self) -> pd.DataFrame:
        """Every codable segment: segment, participant, document, source, ``coded`` (a person
        coded it, as the estimate counts: :func:`workbench.project._suggestions.coded_labels`)
        and the participant's attributes (``language``: the document's), as
        ``Project.prevalence`` groups them."""
        from workbench.project._predictions import non_answer
        from workbench.project._suggestions import coded_labels

        assert self.project is not None
        project = self.project
        frame = project.segments(role="interviewee")[["segment", "document", "participant", "text"]]
        docs = self._documents.set_index("document")
        frame = frame.assign(
            source=frame["document"].map(docs["source"]).fillna(str(Source.INTERVIEWS)),
            coded=frame["segment"].isin(set(coded_labels(project))),
            said=~frame["text"].map(non_answer),
        ).drop(columns=["text"])
        people = project.participants.drop(columns=["participant_id"], errors="ignore")
        people = _plain_strings(people).drop_duplicates("participant").set_index("participant")
        extra = {c: frame["participant"].map(people[c]) for c in people.columns}
        # The language a filter means is the document's, in every layer (a survey's own
        # language column may say otherwise: which form was filled in, not the answer's).
        docs = project.documents.set_index("document")["language"]
        extra["language"] = frame["document"].map(docs)
        return frame.assign(**extra).reset_index(drop=True)

    @cached_property
    def everyone(self) -> pd.DataFrame:
        """Every participant's attributes (index: participant), as the quote cards show them:
        the model quotes people nobody coded, whom the views' ``people`` do not hold."""
        if self.project is None:
            return pd.DataFrame()
        people = self.project.participants.drop(columns=["participant_id"], errors="ignore")
        people = _plain_strings(people).drop_duplicates("participant").set_index("participant")
        if "language" in people:  # the document's, as everywhere (see :attr:`_all_documents`)
            first = self._all_documents.drop_duplicates("participant")
            language = dict(zip(first["participant"], first["language"], strict=True))
            people = people.assign(language=people.index.map(language))
        shown = set(self.byline)
        return self.suppress(people[[c for c in people.columns if c in shown]])

    def prevalence(self, source: str, by: str | None = None) -> pd.DataFrame:
        """``Project.prevalence`` of ``source`` at the participant level (``by``: grouped) for
        :attr:`estimated_codes`, computed once per (source, by): the bootstrap takes seconds.
        Labels and notes are English; the views take labels from the codebook and words from
        the catalogue, so a change of language computes nothing."""
        key = (source, by or "")
        with self._estimating:
            if key not in self._prevalence:
                assert self.project is not None
                from workbench.project import _predictions

                self._prevalence[key] = _predictions.prevalence(
                    self.project,
                    level="participant",
                    by=by,
                    source=source,
                    lang="en",
                    codes=self.estimated_codes,
                )
        return self._prevalence[key]

    @cached_property
    def estimated_codes(self) -> tuple[str, ...]:
        """The codes the estimate layer draws: the categories and their themes (estimating
        only these halves the time on the demo; each code's figures are the same alone)."""
        tree = self.tree
        return tuple([*tree.categories.values(), *(t for ts in tree.themes.values() for t in ts)])

    def has_prevalence(self, source: str, by: str | None = None) -> bool:
        """Whether :meth:`prevalence` of (source, by) is computed already."""
        return (source, by or "") in self._prevalence

    @cached_property
    def suggestions(self) -> pd.DataFrame:
        """The model's predictions of at least :data:`._estimate.THRESHOLD` (segments nobody
        coded), the likeliest first, with each segment's source: the model's quotes."""
        assert self.project is not None
        from workbench.project._predictions import non_answer

        frame = self.project.predictions(min_probability=est.THRESHOLD)
        # An answer that says nothing is no quote of anything (nor estimated).
        frame = frame[(frame["probability"] >= est.THRESHOLD) & ~frame["text"].map(non_answer)]
        sources = self._documents.set_index("document")["source"]
        frame = frame.assign(source=frame["document"].map(sources).fillna(str(Source.INTERVIEWS)))
        frame = frame.sort_values(["probability", "segment"], ascending=[False, True])
        return _plain_strings(frame.reset_index(drop=True))

    def model_quotes(
        self, filters: Filters, code: str, *, where: Mapping[str, str] | None = None
    ) -> pd.DataFrame:
        """The model's suggestions of ``code`` (or of a theme's or category's codes) in the
        selection of ``filters`` (and of one group, ``where``), the likeliest first: columns
        participant, document, segment, code, theme (the theme it counts for, or ``""``),
        quote, probability (one row per segment)."""
        f = self.normalize(filters)
        frame = self.suggestions
        codes = {code} | {c for c, t in self.tree.theme_of.items() if t == code}
        codes |= {c for c, cat in self.tree.category_of.items() if cat == code}
        frame = frame[frame["code"].isin(codes) & (frame["source"] == f.source)]
        conditions = {k: v for k, v in f.criteria().items() if v}
        conditions.update(where or {})
        if BESIDE in conditions:  # the sources side by side: that group is a source
            wanted = conditions.pop(BESIDE)
            frame = self.suggestions
            frame = frame[frame["code"].isin(codes) & (frame["source"] == wanted)]
        if conditions:
            segments = self.estimate_segments.set_index("segment")
            keep = pd.Series(True, index=frame.index)
            for column, value in conditions.items():
                values = frame["segment"].map(segments[column]) if column in segments else None
                keep &= values.astype(str).eq(value) if values is not None else False
            frame = frame[keep]
        frame = frame.drop_duplicates("segment")
        return pd.DataFrame(
            {
                "participant": frame["participant"],
                "document": frame["document"],
                "segment": frame["segment"],
                "code": frame["code"],
                "theme": frame["code"].map(self.tree.theme_of).fillna(""),
                "quote": frame["text"],
                "probability": frame["probability"],
            }
        ).reset_index(drop=True)

    def _estimate(self, f: Filters, views: Views) -> est.EstimateView:
        """The model's estimate of filter state ``f`` (in the layer "Estimate"); ``views``:
        the state's people's codings (beside the survey: the interviews')."""
        q = est.query(f.criteria(), f.by)
        segments = self.estimate_segments
        labels = self.labels(f.lang)
        calibrated_on = None
        if f.by == BESIDE and not q.why_not:
            return self._beside(f, labels)
        mine = segments[segments["source"] == f.source]
        coded = int(mine["coded"].sum())
        from workbench.project._predictions import MIN_SOURCE_CALIBRATION

        if coded < MIN_SOURCE_CALIBRATION and coded < len(mine):
            calibrated_on = coded  # (and something was estimated)
        if q.why_not:
            return est.EstimateView(
                source=f.source,
                counts=est.segment_counts(mine),
                why_not=q.why_not,
                calibrated_on=calibrated_on,
            )
        frame = self.prevalence(f.source, q.by)
        groups: dict[str, est.EstimateCounts] = {}
        group: pd.Series | str = ""
        left_out = 0
        if q.by is not None:
            values = frame[q.by].astype(str)
            if q.keep is not None:
                frame = frame[values == q.keep]
                mine = mine[mine[q.by].astype(str) == q.keep] if q.by in mine else mine.iloc[0:0]
            else:
                # Groups too small to show are left out (estimated alone, not folded: the
                # bootstrap runs per group) and the view says how many people that leaves.
                rare = self.rare(q.by, f.source)
                frame = frame[~values.isin(rare)]
                group = values[frame.index]
                if q.by in mine:
                    small = mine[mine[q.by].astype(str).isin(rare)]
                    left_out = int(small["participant"].nunique())
                for value in sorted(group.unique(), key=fnd.natural):
                    part = mine[mine[q.by].astype(str) == value]
                    groups[value] = est.segment_counts(part)
        weights = {g: c.people for g, c in groups.items()} or None
        return est.EstimateView(
            source=f.source,
            counts=est.segment_counts(mine),
            categories=est.categories(frame, self.tree, labels, group=group, weights=weights),
            groups=groups,
            by=f.by if groups else "",
            calibrated_on=calibrated_on,
            left_out=left_out,
        )

    def _beside(self, f: Filters, labels: Mapping[str, tuple[str, str]]) -> est.EstimateView:
        """Interviews (people's codings) beside the survey (the estimate), every theme."""
        interviews, survey = str(Source.INTERVIEWS), str(Source.SURVEY)
        people = self.views(Filters(lang=f.lang, layer=Layer.ESTIMATE, source=interviews))
        estimate = self.views(Filters(lang=f.lang, layer=Layer.ESTIMATE, source=survey))
        assert estimate.estimate is not None
        segments = self.estimate_segments
        told = segments[segments["source"] == interviews]
        total = people.participants
        groups = {
            interviews: est.EstimateCounts(total, int(told["coded"].sum()), 0),
            survey: estimate.estimate.counts,
        }
        rows = {
            name: est.people_rows(
                entry.themes if entry.developed else entry.themes.iloc[0:0],
                total,
                entry.code,
                entry.participants,
                labels,
                self.tree.order,
                interviews,
            )
            for name, entry in people.categories.items()
        }
        survey_part = {
            name: replace(
                entry,
                total=entry.total.assign(group=survey),
                themes=entry.themes.assign(group=survey),
            )
            for name, entry in estimate.estimate.categories.items()
        }
        return est.EstimateView(
            source=f.source,
            counts=estimate.estimate.counts,
            categories=est.beside(rows, survey_part, list(groups)),
            groups=groups,
            by=BESIDE,
            calibrated_on=estimate.estimate.calibrated_on,
        )

    def beside_available(self) -> bool:
        """Whether interviews can be shown beside the survey's estimate: the study has both
        and the estimate is offered."""
        return not self.estimate_reason and len(self._source_list) > 1

    # -- views ----------------------------------------------------------------------------
    def normalize(self, filters: Filters) -> Filters:
        """``filters`` with the best layer and source filled in (unknown ones too), an
        attribute without a value dropped, and interviews beside the survey only where the
        estimate is shown: the key of its views."""
        f = filters.view_key()
        layer = f.layer if f.layer in self._layer_list else self._layer_list[0]
        source = f.source if f.source in self._source_list else self._source_list[0]
        if (layer, source) != (f.layer, f.source):
            f = replace(f, layer=layer, source=source)
        beside_ok = layer == Layer.ESTIMATE and self.beside_available()
        if f.by == BESIDE and (not beside_ok or any(f.criteria().values())):
            # Side by side compares everyone in each source: with a filter it is not offered.
            f = replace(f, by="")
        # A value nobody may pick (too few hold it, see :meth:`rare`) filters nothing.
        for field_, column in (
            ("group", GROUP_ATTRIBUTE),
            ("user_type", TYPE_ATTRIBUTE),
            ("language", "language"),
            ("value", f.attribute),
        ):
            value = getattr(f, field_)
            if value and column and value in self.rare(column, source):
                f = replace(f, **{field_: ""})
        return f.view_key()

    def has_views(self, filters: Filters) -> bool:
        """Whether the views of ``filters`` are computed already."""
        return self.normalize(filters) in self._views

    def views(self, filters: Filters) -> Views:
        """The views of one filter state (cached)."""
        key = self.normalize(filters)
        if key not in self._views:
            self._views[key] = self._compute(key)
        return self._views[key]

    def _compute(self, f: Filters) -> Views:
        if f.by:
            # Comparing groups changes the counts per group: the rest is the state without it.
            base = self.views(replace(f, by=""))
            views = base if f.by == BESIDE else self._compare(base, f)
            if f.layer == Layer.ESTIMATE:
                views = replace(views, estimate=self._estimate(f, views))
            return views
        views = self._people(f)
        if f.layer == Layer.ESTIMATE:
            views.estimate = self._estimate(f, views)
        return views

    def _people(self, f: Filters) -> Views:
        """The views of people's codings in state ``f`` (without a comparison)."""
        codings = a.filter_codings(self.selection(f.layer, f.lang, f.source), **f.criteria())
        labels = self.labels(f.lang)
        total = int(codings["participant"].nunique())
        split = fnd.by_category(codings)
        categories = {
            name: fnd.category(
                codings,
                self.tree,
                name,
                total=total,
                labels=labels,
                rows=split.get(code, codings.iloc[0:0]),
            )
            for name, code in self.tree.categories.items()
        }
        dimensions = a.quality_dimensions(self.codebook)
        dims = [c for c, _ in dimensions]
        quality = fnd.perceived_quality(codings, dimensions, labels)
        # Who said it, as the bylines show it: never free text that could name a person.
        attrs = [c for c in a.attribute_columns(codings) if c in set(self.byline)]
        people = self.suppress(
            codings[["participant", *attrs]]
            .drop_duplicates("participant")
            .set_index("participant")
            .sort_index(key=lambda index: index.map(fnd.natural)),
            f.source,
        )
        return Views(
            codings=codings,
            source=f.source,
            participants=total,
            documents=int(codings["document"].nunique()),
            categories=categories,
            quality=quality,
            quality_themes=fnd.quality_themes(codings, dims, labels),
            priorities=fnd.where_to_start(
                codings, self.tree, total=total, labels=labels, dimensions=dims
            ),
            dimension_priorities=a.priorities(quality),
            people=people,
        )

    def _compare(self, base: Views, f: Filters) -> Views:
        """``base`` with its counts split by the groups of ``f.by``."""
        codings, by = base.codings, f.by
        if by not in codings:
            return base
        labels = self.labels(f.lang)
        codings = self.fold(codings, by, f.source)
        people = codings[["participant", by]].drop_duplicates("participant")
        sizes = people[by].dropna().astype(str).value_counts()
        groups = {str(k): int(sizes[k]) for k in sorted(sizes.index, key=fnd.natural)}
        if OTHER in groups:  # the folded values last, and only when several hold them
            size = groups.pop(OTHER)
            if size >= self.min_group:
                groups[OTHER] = size
        split = fnd.by_category(codings)
        categories = {
            name: fnd.category(
                codings,
                self.tree,
                name,
                total=base.participants,
                labels=labels,
                by=by,
                quotes=base.categories[name].quotes,
                rows=split.get(code, codings.iloc[0:0]),
            )
            for name, code in self.tree.categories.items()
        }
        dims = [c for c, _ in a.quality_dimensions(self.codebook)]
        priorities_by = {
            value: fnd.where_to_start(
                codings[codings[by] == value],
                self.tree,
                total=size,
                labels=labels,
                dimensions=dims,
                n=fnd.START_THEMES_BY,
            )
            for value, size in groups.items()
        }
        return replace(
            base,
            codings=codings,
            categories=categories,
            groups=groups,
            priorities_by=priorities_by,
        )

    def fold(self, codings: pd.DataFrame, by: str, source: str) -> pd.DataFrame:
        """``codings`` with the :meth:`rare` values of ``by`` folded into :data:`OTHER` (a
        group of several people; left out of a comparison when even it is too small), and
        participants without a value left out of the groups."""
        rare = self.rare(by, source)
        if not rare or by not in codings:
            return codings
        values = codings[by]
        return codings.assign(**{by: values.where(~values.astype(str).isin(rare), OTHER)})

    def neighbours(self, filters: Filters) -> list[Filters]:
        """The filter states one change away from ``filters`` that a viewer picks first: each
        user group, user type and interview language (of the same source); then the model's
        estimate of each source, when offered (seconds each, the first time)."""
        f = self.normalize(filters)
        states = []
        for field_, column in (
            ("user_type", TYPE_ATTRIBUTE),
            ("group", GROUP_ATTRIBUTE),
            ("language", "language"),
        ):
            for value in self.values(column, f.source):
                states.append(replace(f, **{field_: value}))
        if str(Layer.ESTIMATE) in self._layer_list:
            for source in self._source_list:
                states.append(Filters(lang=f.lang, layer=Layer.ESTIMATE, source=source))
        return states

    def warm(self, filters: Filters, *, budget: float = 20.0) -> int:
        """Compute (and cache) the views of :meth:`neighbours` for up to ``budget`` seconds or
        until :meth:`stop_warming`; returns how many states were computed."""
        deadline = time.monotonic() + budget
        done = 0
        for state in self.neighbours(filters):
            if time.monotonic() > deadline or self._stop_warm.is_set():
                break
            if self.normalize(state) not in self._views:
                self.views(state)
                done += 1
        return done

    def warm_in_background(self, filters: Filters, *, budget: float = 20.0) -> threading.Thread:
        """:meth:`warm` in a daemon thread, so the kernel is ready for a viewer at once (the
        thread stops when one arrives: :meth:`stop_warming`).  It runs at normal priority: a
        low-priority thread holding the GIL would stall the viewer's own thread."""
        thread = threading.Thread(
            target=self.warm, args=(filters,), kwargs={"budget": budget}, daemon=True
        )
        thread.start()
        return thread

    def stop_warming(self) -> None:
        """Stop :meth:`warm` after the state it is computing (a viewer has arrived)."""
        self._stop_warm.set()

    def quotes(
        self,
        filters: Filters,
        code: str,
        *,
        valence: str | None = None,
        where: Mapping[str, str] | None = None,
    ) -> pd.DataFrame:
        """The quotes behind a number in the view of ``filters``: of a code, a category or a
        theme (sub-themes included), optionally of one valence (``"negative"``) or of one
        group (``where={"role": "owner"}``; see
        :func:`workbench.dashboards._findings.theme_quotes`)."""
        where = dict(where or {})
        if BESIDE in where:  # the sources side by side: that group's source, unfiltered
            f = self.normalize(filters)
            filters = Filters(lang=f.lang, layer=f.layer, source=where.pop(BESIDE))
        codings = self.views(filters).codings
        return fnd.theme_quotes(codings, code, valence=valence, **where)


def _min_group(project: Project | None) -> int:
    """The project's minimum group size (meta entry :data:`MIN_GROUP_KEY`, at least 1: 1
    shows every value), else :data:`MIN_GROUP`."""
    raw = project.store.get_meta(MIN_GROUP_KEY) if project is not None else None
    try:
        return max(1, int(raw)) if raw else MIN_GROUP
    except ValueError:
        return MIN_GROUP


def _plain_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as plain Python objects: pandas' string dtype compares several times more
    slowly, and the views compare codes and attributes many times per filter state."""
    text = [c for c in frame.columns if pd.api.types.is_string_dtype(frame[c].dtype)]
    return frame.astype(dict.fromkeys(text, object)) if text else frame
