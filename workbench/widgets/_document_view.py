"""The document view: read a whole transcript, turn by turn, with its codings beside it.

As NVivo's coding stripes: every code present in the document has a lane in the margin (in
codebook order, coloured, its label at the lane's head), and each coding is a stripe in its
code's lane over exactly the turn, or the lines of the turn, it covers.  Coded spans are
highlighted in the text; hovering a stripe or a highlight names the code and the coder.  The
researcher filters by layer (all coders, one coder, the consensus) and by code in the browser,
without a round trip; a click on a participant's turn opens it in the researcher's tagger (the
one last made for the project in this kernel), or in a new one below the view.

Python builds the payload once (:func:`document_payload`: the turns, the codings with offsets
relative to their turn in code points, the lanes) and :class:`DocumentView` sends it to
``document_view.js``, which only draws it and reports clicks.  Which codings a filter shows is
decided here too: each coding carries the layers it belongs to (:func:`visible`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anywidget
import ipywidgets as w
import pandas as pd
import traitlets

from workbench.analysis import consensus as agreed_codings
from workbench.codebook import Codebook
from workbench.errors import InvalidCode, UnknownItem, WorkbenchError
from workbench.i18n import LANGS, attribute_name, text, value_name
from workbench.i18n._document import STRINGS
from workbench.project._workspace import default_lang
from workbench.widgets._shared import TextWatch, default_coder, esm, tagger_for
from workbench.widgets.tagger import Tagger
from workbench.widgets.tagger._payload import clock

if TYPE_CHECKING:
    from workbench.project._project import Project


#: The layer of every coder's codings.
ALL = "all"
#: The consensus layer: a coder's name for settled codings (see :meth:`Project.settle`) and
#: the layer that shows them, or the codes most coders agree on where nothing was settled.
CONSENSUS = "consensus"
#: The role whose turns are coded; the interviewer's turns are context.
CODABLE_ROLE = "interviewee"
#: Colour of a code that is not in the codebook (any more).
NO_COLOR = "#888888"
#: At most this many document names in an "unknown document" message.
_NAMES_SHOWN = 5


@dataclass(frozen=True)
class Turn:
    """One speaker turn as the view shows it; ``start``/``end`` are code points into the
    document text, ``position`` counts from 1."""

    segment: int
    position: int
    speaker: str
    role: str
    time: str
    end_time: str
    text: str
    start: int
    end: int

    @property
    def codable(self) -> bool:
        """True for a participant's turn (interviewer turns are context)."""
        return self.role == CODABLE_ROLE


@dataclass(frozen=True)
class TurnCoding:
    """One coding placed on its turn: ``turn`` indexes :attr:`DocumentPayload.turns`,
    ``start``/``end`` are code points into the turn's text, ``layers`` the filter values
    (``"all"``, a coder, ``"consensus"``) that show it."""

    turn: int
    segment: int
    code: str
    coder: str
    origin: str
    start: int
    end: int
    whole: bool
    layers: tuple[str, ...]


@dataclass(frozen=True)
class Lane:
    """A code's lane in the margin: its label in the view's language and its colour."""

    code: str
    label: str
    color: str


@dataclass(frozen=True)
class DocumentPayload:
    """Everything the view draws for one document."""

    document_id: int
    document: str
    participant: str
    language: str
    turns: tuple[Turn, ...]
    codings: tuple[TurnCoding, ...]
    lanes: tuple[Lane, ...]
    coders: tuple[str, ...]


# -- building the payload (pure functions over frames) -------------------------------------------
def find_document(documents: pd.DataFrame, document: str | int) -> pd.Series:
    """The row of ``documents`` (a :attr:`Project.documents` frame) named ``document`` or with
    that id; a one-line :class:`UnknownItem` naming the choices otherwise."""
    if isinstance(document, bool) or not isinstance(document, str | int):
        raise UnknownItem(f"document view: {document!r} is not a document name or id")
    if isinstance(document, int):
        rows = documents[documents["document_id"] == document]
    else:
        rows = documents[documents["document"] == document]
    if len(rows) == 1:
        return rows.iloc[0]
    if len(rows) > 1:
        ids = ", ".join(str(int(i)) for i in rows["document_id"])
        raise UnknownItem(
            f"document view: {len(rows)} documents are named {document!r} (ids {ids}); pass the id"
        )
    names = [str(n) for n in documents["document"]]
    known = ", ".join(repr(n) for n in names[:_NAMES_SHOWN])
    more = f" and {len(names) - _NAMES_SHOWN} more" if len(names) > _NAMES_SHOWN else ""
    choices = f"documents: {known}{more}" if names else "the project has no documents"
    what = "id" if isinstance(document, int) else "named"
    raise UnknownItem(f"document view: no document {what} {document!r} ({choices})")


def layer_codings(codings: pd.DataFrame) -> pd.DataFrame:
    """The consensus layer of ``codings``: the settled codings (coder ``"consensus"``) where
    a segment was settled, elsewhere the codes most coders applied (see
    :func:`workbench.analysis.consensus`)."""
    settled = codings[codings["coder"] == CONSENSUS]
    others = codings[codings["coder"] != CONSENSUS]
    agreed = agreed_codings(others)
    agreed = agreed[~agreed["segment"].isin(set(settled["segment"]))]
    return pd.concat([settled, agreed], ignore_index=True) if len(settled) else agreed


def document_payload(
    document: Mapping[str, Any],
    segments: pd.DataFrame,
    codings: pd.DataFrame,
    book: Codebook,
    lang: str,
) -> DocumentPayload:
    """The view's data for one document.

    Parameters
    ----------
    document
        Its row of :attr:`Project.documents` (document_id, document, participant, language).
    segments
        Its segments (``Project.segments`` columns; other documents' rows are dropped).
    codings
        Codings of those segments (``Project.codings`` columns, any coders, settled
        ``consensus`` codings included).
    book, lang
        Lane labels and colours come from the codebook in ``lang``.
    """
    doc_id = int(document["document_id"])
    rows = segments[segments["document_id"] == doc_id].sort_values("position")
    columns = (
        "segment",
        "position",
        "speaker",
        "role",
        "start_time",
        "end_time",
        "text",
        "start",
        "end",
    )
    turns = tuple(
        Turn(
            segment=int(sid),
            position=int(position) + 1,
            speaker=_text(speaker),
            role=str(role),
            time=clock(t0),
            end_time=clock(t1),
            text=str(words),
            start=int(start),
            end=int(end),
        )
        for sid, position, speaker, role, t0, t1, words, start, end in zip(
            *(rows[c].tolist() for c in columns), strict=True
        )
    )
    index = {t.segment: i for i, t in enumerate(turns)}
    codings = codings[codings["segment"].isin(index.keys())]
    people = codings[codings["coder"] != CONSENSUS]
    placed = _placed(people, turns, index, None) + _placed(
        layer_codings(codings), turns, index, (CONSENSUS,)
    )
    placed.sort(key=lambda c: (c.turn, not c.whole, c.start, c.end, c.code, c.coder))
    return DocumentPayload(
        document_id=doc_id,
        document=str(document["document"]),
        participant=_text(document.get("participant")),
        language=str(document.get("language") or ""),
        turns=turns,
        codings=tuple(placed),
        lanes=lanes({c.code for c in placed}, book, lang),
        coders=tuple(sorted({str(c) for c in people["coder"]})),
    )


def lanes(present: Iterable[str], book: Codebook, lang: str) -> tuple[Lane, ...]:
    """One lane per code in ``present``: codebook order, then codes the codebook lacks."""
    present = set(present)
    known = [Lane(c.id, c.name(lang), c.color or NO_COLOR) for c in book.codes if c.id in present]
    rest = sorted(present - {lane.code for lane in known})
    return tuple(known) + tuple(Lane(code, code, NO_COLOR) for code in rest)


def visible(payload: DocumentPayload, layer: str = ALL, code: str = "") -> list[TurnCoding]:
    """The codings a filter shows: those in ``layer``, of ``code`` when one is given (the
    front end applies the same rule)."""
    return [c for c in payload.codings if layer in c.layers and (not code or c.code == code)]


def _placed(
    codings: pd.DataFrame,
    turns: Sequence[Turn],
    index: Mapping[int, int],
    layers: tuple[str, ...] | None,
) -> list[TurnCoding]:
    """``codings`` placed on their turns, in ``layers`` (default: their coder's and "all")."""
    columns = ("segment", "code", "coder", "origin", "start", "end")
    out = []
    for sid, code, coder, origin, start, end in zip(
        *(codings[c].tolist() for c in columns), strict=True
    ):
        i = index[int(sid)]
        turn = turns[i]
        out.append(
            TurnCoding(
                turn=i,
                segment=turn.segment,
                code=str(code),
                coder=str(coder),
                origin=str(origin),
                start=int(start) - turn.start,
                end=int(end) - turn.start,
                whole=(int(start), int(end)) == (turn.start, turn.end),
                layers=layers or (str(coder), ALL),
            )
        )
    return out


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


# -- the widget ----------------------------------------------------------------------------------
class DocumentPane(anywidget.AnyWidget):  # type: ignore[misc]
    """The drawn transcript (``document_view.js``); :class:`DocumentView` fills its traits."""

    _esm = esm("common.js", "document_view.js")
    _css = esm("common.css", "document_view.css")

    lang = traitlets.Unicode("en").tag(sync=True)
    strings = traitlets.Dict().tag(sync=True)
    document = traitlets.Dict().tag(sync=True)
    turns: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)
    codings: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)
    lanes: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)
    layers: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)
    filters = traitlets.Dict({"layer": ALL, "code": ""}).tag(sync=True)
    status = traitlets.Dict().tag(sync=True)
    opened = traitlets.Int(0).tag(sync=True)

    def __init__(self, codes: Iterable[str]) -> None:
        super().__init__()
        self._codes = set(codes)

    @traitlets.validate("lang")
    def _valid_lang(self, proposal: Any) -> str:
        if proposal["value"] not in LANGS:
            raise traitlets.TraitError(f"lang must be 'sv' or 'en', not {proposal['value']!r}")
        return str(proposal["value"])

    @traitlets.validate("filters")
    def _valid_filters(self, proposal: Any) -> dict[str, str]:
        value = proposal["value"]
        layer, code = str(value.get("layer") or ALL), str(value.get("code") or "")
        unknown = set(value) - {"layer", "code"}
        if unknown:
            raise traitlets.TraitError(f"document view: unknown filter {sorted(unknown)[0]!r}")
        if layer not in {item["value"] for item in self.layers}:
            raise traitlets.TraitError(f"document view: no layer {layer!r} in this document")
        if code and code not in self._codes and code not in {c["code"] for c in self.lanes}:
            raise traitlets.TraitError(f"document view: code {code!r} is not in the codebook")
        return {"layer": layer, "code": code}


class DocumentView(w.VBox):  # type: ignore[misc]
    """A whole transcript with its codings as stripes in the margin; a click opens a turn in
    the tagger below.

    Parameters
    ----------
    project
        The open :class:`~workbench.project.Project`.
    document
        A document's name (as in ``project.documents``) or id.
    coder
        One coder (or ``"consensus"``): the layer shown first, and who codes in the tagger a
        click opens.  A list: only those coders' codings (and their consensus) are shown.
        Default: every coder, and the tagger codes as the coder of the researcher's open
        tagger (else the project's coder).
    lang
        Language of the interface and code labels (``"sv"`` or ``"en"``); default: the
        study's, as the tagger's (an English interview in a Swedish study reads in Swedish).
    tagger
        A :class:`~workbench.widgets.Tagger` to open clicked turns in; default: the tagger
        last made for the project in this kernel if it is still open (it moves to the turn and
        scrolls into sight), else one made on the first click (as ``coder``, in ``lang``) and
        shown below the view.
    code
        A code id: show only its codings at first.

    Examples
    --------
    >>> p = workbench.open("study/")                          # doctest: +SKIP
    >>> p.document_view("interview-03.docx", coder="anna")    # doctest: +SKIP
    """

    children: tuple[Any, ...]  # ipywidgets' trait: the pane, then the tagger once opened

    def __init__(
        self,
        project: Project,
        document: str | int,
        *,
        coder: str | Sequence[str] | None = None,
        lang: str | None = None,
        tagger: Tagger | None = None,
        code: str | None = None,
    ) -> None:
        self.project = project
        row = find_document(project.documents, document)
        self._document = row.to_dict()
        lang = lang or default_lang(project)  # the study's, as every widget's
        if lang not in LANGS:
            raise InvalidCode(f"document view: language {lang!r} is not 'sv' or 'en'")
        self.lang = lang
        if isinstance(coder, str):
            self._coders: list[str] | None = None
            first_layer = coder.strip() or ALL
        else:
            self._coders = None if coder is None else [str(c) for c in coder]
            first_layer = ALL
        self.coder = first_layer if first_layer not in (ALL, CONSENSUS) else default_coder(project)
        self.tagger: Tagger | None = tagger
        self._given_tagger = tagger
        self._status_seq = 0
        self._texts = TextWatch(project)
        self._segments = project.store.segments_frame(document=str(row["document"]))
        self.pane = DocumentPane(c.id for c in project.codebook.codes)
        self.pane.on_msg(self._on_msg)
        self.payload = self._build()
        with self.pane.hold_sync():
            self.pane.lang = lang
            self.pane.strings = {key: text(key, lang) for key in STRINGS["en"]}
            self._sync_texts()
            self._sync_codings(first_layer)
        if first_layer != ALL or code:
            self.set_filters(layer=first_layer, code=code or "")
        # A filter changed in the browser shows texts held here: see that they are current.
        self.pane.observe(self._after_filter, names="filters")
        self._watched: set[int] = set()  # the taggers whose saves refresh the view
        if tagger is not None:
            self._watch(tagger)
        super().__init__([self.pane])

    # -- what the researcher does -------------------------------------------------------------
    @property
    def filters(self) -> dict[str, str]:
        """The filters on screen: ``{"layer": "all" | coder | "consensus", "code": id or ""}``
        (the browser changes them without asking Python)."""
        return dict(self.pane.filters)

    def set_filters(self, *, layer: str | None = None, code: str | None = None) -> None:
        """Show one layer (``"all"``, a coder, ``"consensus"``) and/or one code (``""``: all)."""
        new = dict(self.pane.filters)
        if layer is not None:
            new["layer"] = layer
        if code is not None:
            new["code"] = code
        try:
            self.pane.filters = new
        except traitlets.TraitError as exc:
            raise UnknownItem(str(exc)) from exc

    def visible(self) -> list[TurnCoding]:
        """The codings the current filters show."""
        return visible(self.payload, **self.filters)

    def handle(self, message: Mapping[str, Any]) -> None:
        """Act on one front-end message: ``{"type": "open", "segment": id}`` opens that turn
        in the tagger, ``{"type": "refresh"}`` reads the codings again.  A user's mistake
        becomes an error on the status line."""
        kind = message.get("type")
        try:
            if kind == "open":
                self.open_segment(_segment_id(message.get("segment")))
            elif kind == "refresh":
                self.refresh()
            else:
                raise InvalidCode(f"document view: unknown message type {kind!r}")
        except WorkbenchError as exc:
            self._say("error", str(exc))
        except Exception as exc:  # a bug: say so on the status line, keep the traceback
            self._say("error", f"internal error ({type(exc).__name__}: {exc})")
            raise

    def open_segment(self, segment_id: int) -> Tagger:
        """Open turn ``segment_id`` of this document in the tagger (made and shown below the
        view on first use unless one was given) and return the tagger."""
        turn = next((t for t in self.payload.turns if t.segment == segment_id), None)
        if turn is None:
            raise UnknownItem(
                f"document view: segment {segment_id} is not a turn of {self.payload.document!r}"
            )
        if not turn.codable:
            raise InvalidCode(
                text("docview_not_codable", self.lang, position=turn.position)
                + f" ({self.payload.document!r})"
            )
        rewritten = self._fresh()  # names were redacted: the turns on screen were stale
        tagger, made = tagger_for(
            self.project, coder=self.coder, lang=self.lang, given=self._given_tagger
        )
        self._watch(tagger)
        tagger.session.show_segment(segment_id)
        self.tagger = tagger
        mine = [c for c in self.children if c is not self.pane]
        if made:
            self.children = (self.pane, tagger)
        elif tagger not in mine:
            self.children = (self.pane,)  # the researcher's tagger is shown where it is
            tagger.reveal()
        self.pane.opened = segment_id
        said = text("docview_opened", self.lang, position=turn.position)
        if rewritten:
            said = f"{text('docview_text_changed', self.lang)} · {said}"
        self._say("ok", said)
        return tagger

    def _fresh(self) -> bool:
        """Whether the transcripts were rewritten (names redacted) since they were read here;
        if so the document, its turns, its participant's attributes and its codings are read
        again together (one cheap read when nothing changed)."""
        if not self._texts.changed():
            return False
        row = find_document(self.project.documents, int(self._document["document_id"]))
        self._document = row.to_dict()
        self._segments = self.project.store.segments_frame(document=str(row["document"]))
        self.payload = self._build()
        with self.pane.hold_sync():
            self._sync_texts()
            self._sync_codings(self.pane.filters.get("layer", ALL))
        return True

    def _sync_texts(self) -> None:
        """Send the document's head (name, participant, attributes) and its turns."""
        self.pane.document = {
            "id": self.payload.document_id,
            "name": self.payload.document,
            "participant": self.payload.participant,
            "language": self.payload.language,
            "attributes": self._attributes(self.payload.participant),
        }
        self.pane.turns = [_turn_json(t) for t in self.payload.turns]

    def _watch(self, tagger: Tagger) -> None:
        """Refresh the view whenever ``tagger`` saves (once per tagger)."""
        if id(tagger) not in self._watched:
            self._watched.add(id(tagger))
            tagger.observe(self._after_tagger, names="status")

    def refresh(self) -> None:
        """Read the codings (and code labels) again, e.g. after coding in the tagger; after a
        redaction the text, turns and attributes too (never new offsets on old words)."""
        rewritten = self._fresh()
        if not rewritten:
            self.payload = self._build()
            with self.pane.hold_sync():
                self._sync_codings(self.pane.filters.get("layer", ALL))
        people = len(visible(self.payload, ALL))
        said = text("docview_refreshed", self.lang, n=people)
        if rewritten:
            said = f"{text('docview_text_changed', self.lang)} · {said}"
        self._say("ok", said)

    # -- plumbing -------------------------------------------------------------------------------
    def _build(self) -> DocumentPayload:
        ids = [int(i) for i in self._segments["segment"]]
        codings = self.project.codings(segment=ids)
        if self._coders is not None:
            codings = codings[codings["coder"].isin([*self._coders, CONSENSUS])]
        return document_payload(
            self._document, self._segments, codings, self.project.codebook, self.lang
        )

    def _sync_codings(self, layer: str) -> None:
        """Send codings, lanes and the layer choices (keeping ``layer`` as a choice)."""
        payload = self.payload
        self.pane.codings = [_coding_json(c) for c in payload.codings]
        self.pane.lanes = [
            {"code": x.code, "label": x.label, "color": x.color} for x in payload.lanes
        ]
        coders = list(payload.coders)
        if layer not in (ALL, CONSENSUS, *coders):
            coders = sorted([*coders, layer])
        self.pane.layers = [
            {"value": ALL, "label": text("docview_all_coders", self.lang), "hint": ""},
            *({"value": c, "label": c, "hint": ""} for c in coders),
            {
                "value": CONSENSUS,
                "label": text("docview_consensus", self.lang),
                "hint": text("docview_consensus_hint", self.lang),
            },
        ]

    def _attributes(self, participant: str) -> dict[str, str]:
        if not participant:
            return {}
        people = self.project.participants
        rows = people[people["participant"] == participant].to_dict("records")
        if not rows:
            return {}
        row = rows[0]
        row.pop("participant", None)
        row.pop("participant_id", None)
        # Readable names and values in the view's language, as the tagger's chips.
        return {
            attribute_name(str(k), self.lang): value_name(_text(v), self.lang)
            for k, v in row.items()
            if _text(v)
        }

    def _on_msg(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict):
            self.handle(content)

    def _after_filter(self, _change: Mapping[str, Any]) -> None:
        """A filter changed (in the browser or here): after a redaction, read the texts again."""
        if self._fresh():
            self._say("ok", text("docview_text_changed", self.lang))

    def _after_tagger(self, change: Mapping[str, Any]) -> None:
        """A coding saved in the tagger shows in the view at once."""
        if (change.get("new") or {}).get("state") == "saved":
            self.refresh()

    def _say(self, state: str, message: str) -> None:
        self._status_seq += 1
        self.pane.status = {"state": state, "text": message, "seq": self._status_seq}


def _turn_json(t: Turn) -> dict[str, Any]:
    return {
        "segment": t.segment,
        "position": t.position,
        "speaker": t.speaker,
        "role": t.role,
        "time": t.time,
        "end_time": t.end_time,
        "text": t.text,
        "start": t.start,
        "end": t.end,
        "codable": t.codable,
    }


def _coding_json(c: TurnCoding) -> dict[str, Any]:
    return {
        "turn": c.turn,
        "code": c.code,
        "coder": c.coder,
        "origin": c.origin,
        "start": c.start,
        "end": c.end,
        "whole": c.whole,
        "layers": list(c.layers),
    }


def _segment_id(value: object) -> int:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError) as exc:
        raise InvalidCode(f"document view: segment {value!r} is not a number") from exc
