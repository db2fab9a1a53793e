"""The coding session behind the tagger: which segment is shown, what may be done to it.

A :class:`CodingSession` holds the ordered list of segment ids and writes every decision
through the :class:`~workbench.project.Project` at once.  Its state (the segment on screen with
its context, progress, suggestions, the status line, filters) is plain data; after every action
it hands that state to ``on_change`` — the widget syncs it to the browser.  The session knows
nothing of widgets, so everything a coder can do is tested without a browser.
"""

from __future__ import annotations

import functools
import math
import re
import shlex
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from workbench.errors import InvalidCode, UnknownItem, WorkbenchError
from workbench.i18n import attribute_name, text, value_name
from workbench.store import AuditAction, Origin
from workbench.widgets._shared import (
    TextChanged,
    codebook_changed,
    counted,
    listen_to_codebook,
    memos_changed,
    text_version,
)
from workbench.widgets.tagger import _payload as pl

if TYPE_CHECKING:
    from workbench.project._project import Project

Suggest = Callable[[str], Sequence[tuple[str, float, str]]]
F = TypeVar("F", bound=Callable[..., Any])

_CONTEXT = 2  # turns shown before and after the current one
_HITS_SHOWN = 200  # search hits listed at once
_SNIPPET = 45  # characters of context on each side of a hit
_FILTER_KEYS = ("document", "participant", "code", "search", "uncoded", "others")
LANGS = ("sv", "en")
#: The session's state as the widget shows it (one synced trait each).
STATE = (
    "coder",
    "lang",
    "codebook",
    "keymap",
    "segment",
    "progress",
    "suggestions",
    "status",
    "filters",
    "filter_options",
    "compare",
    "review",
    "strings",
    "hits",
    "study",
)


def action(method: F) -> F:
    """A public step of the session: when it returns (or fails), the new state is handed on."""

    @functools.wraps(method)
    def run(self: CodingSession, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        finally:
            self.notify()

    return run  # type: ignore[return-value]


class CodingSession:
    """Code a project's interviewee segments: codes by click or key, spans, memos, undo.

    Parameters
    ----------
    project
        The open :class:`~workbench.project.Project`.
    coder
        Who codes; default: the project's coder.
    suggest
        Optional ``suggest(text) -> [(code_id, confidence, reason), ...]`` ranking codes for
        the current segment; an accepted suggestion is stored with ``origin="suggestion"``.
    lang
        Language of code labels (``"sv"`` or ``"en"``); default: the documents' language.
    blind
        Hide other coders' codings until "compare" is switched on (default True).
    start
        Segment id to open on; default: the first segment this coder has not coded.
    on_change
        Called with :meth:`state` after every action.
    """

    def __init__(
        self,
        project: Project,
        *,
        coder: str | None = None,
        suggest: Suggest | None = None,
        lang: str | None = None,
        blind: bool = True,
        start: int | None = None,
        on_change: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        self.project = project
        self.on_change = on_change
        self._suggest = suggest
        self._status_seq = 0
        self._memo_seq = 0
        self._reply: object = None  # the front end's number of the message being answered
        # How often the transcripts had been rewritten (redacted) when they were read here.
        self._text_version = text_version(project)
        self.coder = coder.strip() if coder and coder.strip() else project.coder
        self.segment: dict[str, Any] = {}
        self.progress: dict[str, Any] = {}
        self.suggestions: list[dict[str, Any]] = []
        self.status: dict[str, Any] = {}
        self.codebook: dict[str, Any] = {}
        self.keymap: dict[str, dict[str, str]] = {}
        self.review = False
        self.hits: dict[str, Any] = {"query": "", "items": [], "total": 0}
        #: The project folder as a shell argument (the empty review queue says how to fill it).
        self.study = shlex.quote(str(project.path))
        # The search hit shown and pre-selected (document offsets): a code's key codes just
        # its words until it is used, dismissed (Esc), the search closed or the turn left.
        self._hit: dict[str, Any] | None = None
        docs = project.documents
        self._read_people(docs)
        if lang is None:
            langs = docs["language"].value_counts() if len(docs) else pd.Series(dtype=int)
            lang = "sv" if len(langs) and langs.index[0] == "sv" else "en"
        if lang not in LANGS:
            raise InvalidCode(f"tagger: language {lang!r} is not 'sv' or 'en'")
        self.lang = lang
        self.strings = pl.strings(lang)
        self._book_version = -1
        self._load_codebook()
        listen_to_codebook(project, self)  # a code merged or made elsewhere shows at once
        self._all: list[int] = project.store.segment_ids(role="interviewee")
        self._ids: list[int] = self._all
        # Segments known to carry this coder's codings: filled per document as it is visited
        # (never by loading every coding); the project total comes from one COUNT.
        self._mine: set[int] = set()
        self._coded_total = project.store.coded_counts(self.coder)["coded"]
        self._doc_ids: dict[int, set[int]] = {}
        self._turns: dict[int, list[dict[str, Any]]] = {}
        self._index = 0
        self._current: dict[str, Any] | None = None
        self._queue: list[dict[str, Any]] = []  # open review-queue items (review mode only)
        self.compare = not blind
        self.filters: dict[str, Any] = {
            "document": "",
            "participant": "",
            "code": "",
            "search": "",
            "uncoded": False,
            "others": False,
        }
        if start is not None:
            self._goto_id(int(start))
        else:
            self._show(self._scan_uncoded(0) or 0)
        if not self.status:
            self._say("idle", self._t("coding_as", coder=self.coder))

    def state(self) -> dict[str, Any]:
        """What the coder sees, as plain data (see :data:`STATE`)."""
        return {name: getattr(self, name) for name in STATE}

    def notify(self) -> None:
        """Hand the current state to ``on_change``."""
        if self.on_change is not None:
            self.on_change(self.state())

    def _read_people(self, docs: pd.DataFrame) -> None:
        """Documents and participants with their attributes (and the filters' choices)."""
        self._docs = {int(r.document_id): r for r in docs.itertuples(index=False)}
        self._people: dict[str, dict[str, str]] = {}
        for row in self.project.participants.to_dict("records"):
            name = str(row.pop("participant"))
            row.pop("participant_id", None)
            self._people[name] = {
                k: str(v) for k, v in row.items() if not (isinstance(v, float) and math.isnan(v))
            }
        self.filter_options = {
            "documents": [str(r.document) for r in docs.itertuples(index=False)],
            "participants": sorted(self._people),
        }

    # -- rewritten transcripts ----------------------------------------------------------------
    def _fresh(self) -> None:
        """Before every write: the transcripts are as they were read here (one cheap read).

        After a redaction the texts, offsets and memos on screen are stale — a span would land
        on other words, a memo box could write the old names back — so everything is read
        again and the write is refused (:class:`TextChanged`) for the coder to do again.
        """
        if text_version(self.project) != self._text_version:
            self.reload()
            raise TextChanged(self._t("text_changed"))

    @action
    def reload(self) -> None:
        """Read the documents, participants, turns, codings and memos again (after the
        transcripts were rewritten); the segment on screen stays, the search is closed."""
        self._text_version = text_version(self.project)
        self._read_people(self.project.documents)
        self._turns.clear()
        self._doc_ids.clear()
        self.hits = {"query": "", "items": [], "total": 0}
        self._hit = None
        self._memo_seq += 1  # memo boxes show the stored (rewritten) text, not what they held
        self._book_version = -1  # code memos are read again with the codebook
        current = self.segment_id
        if self.review:
            self._load_queue()
            self._ids = list(dict.fromkeys(int(q["segment"]) for q in self._queue))
        else:
            self._ids = self._filtered(self.filters)
        self._coded_total = self.project.store.coded_counts(self.coder)["coded"]
        self._show(self._ids.index(current) if current in self._ids else self._index)

    # -- a changed codebook --------------------------------------------------------------------
    def _known(self, code: str) -> None:
        """Before a write with ``code``: the codebook as it is now (one cheap read of its
        version; a new one reloads the code list) and ``code`` in it, else refused in the
        tagger's language (merged or removed in the codebook editor since it was shown)."""
        before = self._label(code) if code in self._codes else f"“{code}”"
        self._book_changed()
        if code not in self._codes:
            raise UnknownItem(self._t("code_gone", label=before))

    def _book_changed(self) -> None:
        """Reload the code list if the codebook has a new version (suggestions of codes no
        longer in it are dropped)."""
        if self.project.codebook_version == self._book_version:
            return
        self._load_codebook()
        self.suggestions = [s for s in self.suggestions if s["code"] in self._codes]

    @action
    def codebook_changed(self) -> None:
        """Another widget of this kernel (the codebook editor) made a new codebook version."""
        self._book_changed()

    # -- what the front end asks for ------------------------------------------------------------
    @action
    def handle(self, message: dict[str, Any]) -> None:
        """Act on one front-end message; a user's mistake becomes an error status line."""
        kind = message.get("type")
        handler = self._handlers().get(str(kind))
        self._reply = message.get("seq")  # the status line says which message it answers
        try:
            if handler is None:
                raise InvalidCode(f"tagger: unknown message type {kind!r}")
            handler(message)
        except WorkbenchError as exc:
            self._say("error", str(exc))
        except Exception as exc:  # a bug: say so on screen (not "Saving…" forever), keep the trace
            self._say("error", self._t("internal_error", error=f"{type(exc).__name__}: {exc}"))
            raise
        finally:
            self._reply = None

    def _handlers(self) -> dict[str, Callable[[dict[str, Any]], object]]:
        return {
            "toggle": lambda m: self.toggle(
                str(m.get("code", "")), _opt_int(m, "start"), _opt_int(m, "end")
            ),
            "remove": lambda m: self.remove(
                str(m.get("code", "")), _opt_int(m, "start"), _opt_int(m, "end")
            ),
            "next": lambda m: self.next(),
            "prev": lambda m: self.previous(),
            "next_uncoded": lambda m: self.next_uncoded(),
            "go": lambda m: self.go(int(m.get("index", 0))),
            "undo": lambda m: self.undo(),
            "redo": lambda m: self.redo(),
            "accept": lambda m: self.accept(m.get("code") or None),
            "memo": lambda m: self.save_memo(
                str(m.get("kind", "")), str(m.get("text", "")), m.get("target")
            ),
            "filter": lambda m: self.set_filters(
                **{k: m[k] for k in _FILTER_KEYS if k in m},
            ),
            "compare": lambda m: self.set_compare(bool(m.get("on"))),
            "review_mode": lambda m: self.set_review(bool(m.get("on"))),
            "review": lambda m: self.review_item(
                _opt_int(m, "item") or 0, str(m.get("decision", ""))
            ),
            "lang": lambda m: self.set_lang(str(m.get("lang", ""))),
            "search": lambda m: self.search(
                str(m.get("text", "")), bool(m.get("whole_word", True))
            ),
            "show_hit": lambda m: self.show_hit(_opt_int(m, "index") or 0),
            "dismiss_hit": lambda m: self.dismiss_hit(),
            "new_code": lambda m: self.new_code(
                str(m.get("label", "")),
                str(m.get("parent") or "") or None,
                _opt_int(m, "start"),
                _opt_int(m, "end"),
            ),
            "refresh": lambda m: self.refresh(),
            "reload": lambda m: self.reload(),
        }

    # -- navigation ---------------------------------------------------------------------------
    @property
    def segment_id(self) -> int | None:
        """The id of the segment on screen (None when the list is empty)."""
        return self._ids[self._index] if self._ids else None

    @property
    def segment_ids(self) -> list[int]:
        """The ordered ids the tagger moves through (after filters)."""
        return list(self._ids)

    @action
    def next(self) -> None:
        """Move to the next segment in the list."""
        if self._index + 1 < len(self._ids):
            self._show(self._index + 1)
        else:
            self._say("idle", self._t("last_segment"))

    @action
    def previous(self) -> None:
        """Move to the previous segment in the list."""
        if self._index > 0:
            self._show(self._index - 1)
        else:
            self._say("idle", self._t("first_segment"))

    @action
    def go(self, index: int) -> None:
        """Move to position ``index`` (0-based) of the list."""
        if not 0 <= index < len(self._ids):
            raise UnknownItem(f"tagger: there is no segment number {index + 1} in this list")
        self._show(index)

    @action
    def next_uncoded(self) -> None:
        """Move to the next segment this coder has not coded (wrapping around)."""
        found = self._scan_uncoded(1)
        if found is not None:
            self._show(found)
            return
        self._say("idle", self._t("all_coded"))

    def _scan_uncoded(self, first_step: int) -> int | None:
        """Index of the first segment from ``index + first_step`` on (wrapping) that this
        coder has not coded, asking the database in growing batches (another tagger of the
        same coder may have coded some since)."""
        n = len(self._ids)
        batch: list[int] = []
        size = 16
        for step in range(first_step, n + first_step):
            i = (self._index + step) % n
            if self._ids[i] not in self._mine:
                batch.append(i)
            if batch and (len(batch) == size or step == n + first_step - 1):
                ids = [self._ids[j] for j in batch]
                # Only the uncoded rows come back, so a coded stretch costs one light query.
                frame = self.project.store.segments_frame(ids=ids, uncoded_by=self.coder)
                open_ = {int(i) for i in frame["segment"]}
                self._mine.update(i for i in ids if i not in open_)
                found = next((j for j in batch if self._ids[j] in open_), None)
                if found is not None:
                    return found
                batch, size = [], min(size * 4, 4096)
        return None

    @action
    def show_segment(self, segment_id: int) -> None:
        """Show the segment ``segment_id`` (filters that hide it are switched off)."""
        segment_id = int(segment_id)
        if text_version(self.project) != self._text_version:  # opened from a view: fresh text
            self.reload()
            self._say("idle", self._t("text_reloaded"))
        if segment_id not in self._ids:
            if segment_id not in self._all:
                raise UnknownItem(f"tagger: segment {segment_id} is not an interviewee's turn")
            self.review, self._queue = False, []
            self.filters = dict.fromkeys(self.filters, "") | {"uncoded": False, "others": False}
            self._ids = self._all
        self._goto_id(segment_id)

    def _goto_id(self, segment_id: int) -> bool:
        try:
            index = self._ids.index(segment_id)
        except ValueError:
            self._show(self._index)
            return False
        self._show(index)
        return True

    @action
    def refresh(self) -> None:
        """Re-read the current segment (codings, memos) and progress from the database."""
        self._load_codebook()
        self._coded_total = self.project.store.coded_counts(self.coder)["coded"]
        if self.review:
            self._load_queue()
        self._show(self._index)

    # -- coding -------------------------------------------------------------------------------
    @action
    def toggle(self, code: str, start: int | None = None, end: int | None = None) -> bool:
        """Toggle ``code`` on the segment, or on the span ``start``-``end`` (code points into
        the segment text).  Returns True when the code is now applied."""
        self._fresh()
        self._known(code)
        seg = self._need_segment()
        s, e = self._span_or_hit(seg, start, end)
        mine = [c for c in seg["codings"] if c["code"] == code]
        rel = (s - seg["start"], e - seg["start"])
        if any((c["start"], c["end"]) == rel for c in mine):
            self.project.uncode(seg["id"], code, coder=self.coder, start=s, end=e)
            self._after_write(self._t("removed", label=self._label(code)))
            return False
        self.project.code(seg["id"], code, coder=self.coder, start=s, end=e)
        whole = (s, e) == (seg["start"], seg["end"])
        self._after_write(self._t("added" if whole else "added_span", label=self._label(code)))
        return True

    @action
    def remove(self, code: str, start: int | None = None, end: int | None = None) -> None:
        """Remove this coder's coding of ``code`` (on the span, or the whole segment)."""
        self._fresh()
        self._book_changed()
        seg = self._need_segment()
        s, e = self._doc_span(seg, start, end)
        if not self.project.uncode(seg["id"], code, coder=self.coder, start=s, end=e):
            raise UnknownItem(f"tagger: {self._label(code)} is not coded there")
        self._after_write(self._t("removed", label=self._label(code)))

    @action
    def accept(self, code: str | None = None) -> None:
        """Accept a suggestion (default: the top one not yet applied) for the whole segment.
        In review mode this accepts the matching (default: the top) open queue item."""
        self._fresh()
        seg = self._need_segment()
        if self.review:
            items = [s for s in self.suggestions if code is None or s["code"] == code]
            if not items:
                self._say("idle", self._t("no_queued"))
                return
            self.review_item(int(items[0]["item"]), "accepted")
            return
        on = {c["code"] for c in seg["codings"] if c["whole"]}
        if code is not None:
            self._known(code)
        else:
            self._book_changed()
        pick = code or next((s["code"] for s in self.suggestions if s["code"] not in on), None)
        if pick is None:
            self._say("idle", self._t("no_suggestion"))
            return
        self.project.code(seg["id"], pick, coder=self.coder, origin=Origin.SUGGESTION)
        self._after_write(self._t("accepted_suggestion", label=self._label(pick)))

    @action
    def undo(self) -> None:
        """Undo this coder's latest change (also one made before a kernel restart)."""
        self._fresh()
        self._replay(self.project.undo(self.coder), "undid")

    @action
    def redo(self) -> None:
        """Redo what :meth:`undo` reverted."""
        self._fresh()
        self._replay(self.project.redo(self.coder), "redid")

    def _replay(self, done: dict[str, Any] | None, verb: str) -> None:
        """Show what undo (``verb`` "undid") or redo ("redid") did, and where."""
        if done is None:
            self._say("idle", self._t("nothing_to_undo" if verb == "undid" else "nothing_to_redo"))
            return
        target: int | None = None
        action = done["action"]
        if action.is_coding:
            target = int(done["segment_id"])
            change = "adding" if action == AuditAction.CODING_ADD else "removing"
            what = self._t(f"{verb}_{change}", label=self._label(done["code_id"]))
        elif action == AuditAction.CODEBOOK_VERSION:
            self._load_codebook()
            codebook_changed(self.project, source=self)
            what = self._t(f"{verb}_codebook", version=done["version"])
        else:
            what = self._t(f"{verb}_memo", kind=self._t(f"memo_kind.{done['kind']}"))
            self._memo_seq += 1
            memos_changed(self.project)
            if done["kind"] == "segment":
                target = int(done["target"])
        if target is not None and target != self.segment_id:
            self._track(target)
            if not self._goto_id(target):
                what += self._t("outside_filter", segment=target)
        else:
            self._show(self._index)
        self._say("saved", what)

    @action
    def save_memo(self, kind: str, text: str, target: Any = None) -> None:
        """Save the coder's memo on the current segment (``kind="segment"``) or its document
        (``"document"``); ``target`` names the segment or document id it was written for."""
        self._fresh()
        seg = self._need_segment()
        if kind == "segment":
            ident = int(target) if target is not None else seg["id"]
        elif kind == "document":
            ident = int(target) if target is not None else seg["document_id"]
            if ident not in self._docs:
                raise UnknownItem(f"tagger: document {ident} is not in the project")
        elif kind == "code":
            ident = str(target or "")
            self._known(ident)
            self.project.memo(kind, ident, text, coder=self.coder)
            self.codebook = {
                **self.codebook,
                "memos": {**self.codebook.get("memos", {}), ident: text},
            }
            memos_changed(self.project)
            self._say("saved", self._t("saved_memo", kind=self._t("memo_kind.code")))
            return
        else:
            raise InvalidCode(f"tagger: memo kind {kind!r} is not 'segment', 'document' or 'code'")
        self.project.memo(kind, ident, text, coder=self.coder)
        key = "memo" if kind == "segment" else "doc_memo"
        if (kind == "segment" and ident == seg["id"]) or (
            kind == "document" and ident == seg["document_id"]
        ):
            # The state the browser is synced from holds the saved text: a reloaded page shows
            # it (the box keeps what is being typed; it is not refreshed from this).
            seg[key] = text
            self.segment = {**self.segment, key: text}
        memos_changed(self.project)
        self._say("saved", self._t("saved_memo", kind=self._t(f"memo_kind.{kind}")))

    # -- search -------------------------------------------------------------------------------
    @action
    def search(self, query: str, whole_word: bool = True) -> None:
        """Find ``query`` in the interviewees' turns (case does not matter, accents do); the
        hits are listed, and showing one lets a code's key code exactly its words."""
        query = query.strip()
        self._hit = None  # a new search, or the list closed: no hit is selected any more
        if self._current is not None and self._current.get("hit"):
            self._show(self._index, keep_suggestions=True)
        if not query:
            self.hits = {"query": "", "items": [], "total": 0}
            return
        found = self.project.search(query, whole_word=whole_word, role="interviewee")
        # In document order, not as text ("survey.csv#1520" before "#295"): documents as
        # imported (their ids), a document's hits by their place in it.
        order = {str(r.document): doc_id for doc_id, r in self._docs.items()}
        found = found.assign(
            _doc=found["document"].map(order).fillna(max(order.values(), default=0) + 1)
        )
        found = found.sort_values(["_doc", "start", "end"], kind="stable")
        shown = found.head(_HITS_SHOWN)
        turns = self.project.store.segments_frame(ids=[int(i) for i in shown["segment"]])
        where = {int(r.segment): (int(r.start), str(r.text)) for r in turns.itertuples()}
        items = []
        for r in shown.itertuples(index=False):
            first, words = where[int(r.segment)]
            a, b = int(r.start) - first, int(r.end) - first
            items.append(
                {
                    "segment": int(r.segment),
                    "document": str(r.document),
                    "start": int(r.start),
                    "end": int(r.end),
                    "before": words[max(0, a - _SNIPPET) : a],
                    "match": words[a:b],
                    "after": words[b : b + _SNIPPET],
                }
            )
        self.hits = {"query": query, "whole_word": whole_word, "items": items, "total": len(found)}
        self._say(
            "idle",
            self._n("search_hits", len(found)) if len(found) else self._t("search_none"),
        )

    @action
    def show_hit(self, index: int) -> None:
        """Show hit ``index`` of the last search, its words marked in the turn."""
        items = self.hits.get("items", [])
        if not 0 <= index < len(items):
            raise UnknownItem(f"tagger: there is no hit number {index + 1}")
        hit = items[index]
        self._hit = {"segment": hit["segment"], "start": hit["start"], "end": hit["end"]}
        self.show_segment(hit["segment"])
        if self._hit is not None:  # (None: the transcripts were reloaded, the list is gone)
            self._say("idle", self._t("hit_selected", words=hit["match"]))

    @action
    def dismiss_hit(self) -> None:
        """Forget the hit shown: a code's key codes the whole turn again (Esc in the tagger)."""
        if self._hit is None:
            return
        self._hit = None
        self._show(self._index, keep_suggestions=True)
        self._say("idle", self._t("hit_dismissed"))

    # -- new codes while coding -----------------------------------------------------------------
    @action
    def new_code(
        self,
        label: str,
        parent: str | None = None,
        start: int | None = None,
        end: int | None = None,
    ) -> str:
        """Make a code under ``parent`` and apply it at once: to the span ``start``-``end`` of
        the segment (in vivo: the selected words are usually the label), or to the whole turn.
        Both steps are audited and undone one at a time (the coding first, then the code)."""
        self._fresh()
        if parent:
            self._known(parent)
        seg = self._need_segment()
        s, e = self._span_or_hit(seg, start, end, use=False)
        try:
            code_id = self.project.new_code(label, parent, lang=self.lang, coder=self.coder)
        except InvalidCode as exc:
            explained = self._explain_new_code(label, parent)
            if explained is None:
                raise
            raise explained from exc
        self._hit = None
        self._load_codebook()
        codebook_changed(self.project, source=self)  # the codebook editors show it at once
        self.project.code(seg["id"], code_id, coder=self.coder, start=s, end=e)
        parent_label = self._label(parent) if parent else self._t("top_level")
        self._after_write(self._t("created_code", label=self._label(code_id), parent=parent_label))
        return code_id

    def _explain_new_code(self, label: str, parent: str | None) -> InvalidCode | None:
        """The project's refusal of a new code in the tagger's language, where it is one the
        tagger knows: the label is taken under that parent (None: say the project's words)."""
        wanted = " ".join(label.split()).casefold()
        if not wanted:
            return InvalidCode(self._t("new_code_no_label"))
        for code in self._book.codes:
            if code.parent == parent and code.name(self.lang).casefold() == wanted:
                where = self._label(parent) if parent else self._t("top_level")
                return InvalidCode(
                    self._t("new_code_taken", label=self._label(code.id), where=where, id=code.id)
                )
        return None

    # -- filters and modes ----------------------------------------------------------------------
    @action
    def set_filters(self, **filters: Any) -> None:
        """Narrow the list: ``document``, ``participant``, ``code``, ``search`` (text),
        ``uncoded`` (only segments I have not coded), ``others`` (coded by another coder but
        not by me).  Empty values switch a filter off."""
        unknown = set(filters) - set(_FILTER_KEYS)
        if unknown:
            raise InvalidCode(f"tagger: unknown filter {sorted(unknown)[0]!r}")
        new = {**self.filters, **filters}
        for key in ("document", "participant", "code", "search"):
            new[key] = str(new[key] or "").strip()
        new["uncoded"] = bool(new["uncoded"])
        new["others"] = bool(new["others"])
        if new["code"]:
            self._known(new["code"])
        current = self.segment_id
        if self.review:  # filters act on the normal order: leave review mode
            self.review = False
            self._queue = []
        self._ids = self._filtered(new)
        self.filters = new
        index = self._ids.index(current) if current in self._ids else 0
        self._show(index)
        self._say(
            "idle", self._n("n_match", len(self._ids)) if self._ids else self._t("none_match")
        )

    def _filtered(self, f: dict[str, Any]) -> list[int]:
        if not any(f[k] for k in _FILTER_KEYS):
            return self._all
        frame = self.project.store.segments_frame(
            document=f["document"] or None,
            participant=f["participant"] or None,
            role="interviewee",
            contains=f["search"] or None,
            uncoded_by=self.coder if f["uncoded"] else None,
        )
        ids = [int(i) for i in frame["segment"]]
        if f["code"]:
            coded = self.project.codings(None if self.compare else self.coder, code=f["code"])
            keep = set(coded["segment"])
            ids = [i for i in ids if i in keep]
        if f["others"]:
            every = self.project.codings()
            mine = every["coder"] == self.coder
            theirs = set(every.loc[~mine, "segment"]) - set(every.loc[mine, "segment"])
            ids = [i for i in ids if i in theirs]
        return ids

    @action
    def set_review(self, on: bool) -> None:
        """Switch "Review suggestions" mode on or off.  On: the list becomes the segments with
        open items in the review queue (highest confidence first) and the suggestions panel
        shows each one's queued items.  Off: the filtered list comes back."""
        current = self.segment_id
        self.review = on
        if on:
            self._load_queue()
            order = list(dict.fromkeys(int(q["segment"]) for q in self._queue))
            self._ids = order
        else:
            self._queue = []
            self._ids = self._filtered(self.filters)
        index = self._ids.index(current) if current in self._ids else 0
        self._show(index)
        if not on:
            self._say("idle", self._t("back_to_coding"))
        elif self._ids:
            self._say("idle", self._n("reviewing", len(self._queue)))
        else:
            self._say("idle", self._t("queue_empty"))

    @action
    def review_item(self, item: int, decision: str) -> None:
        """Accept (write the coding with ``origin="suggestion"``) or reject (no coding) one
        open item of the review queue; the store audits both."""
        if decision not in ("accepted", "rejected"):
            raise InvalidCode(f"tagger: decision {decision!r} is not 'accepted' or 'rejected'")
        self._fresh()
        if not self.review:
            raise InvalidCode("tagger: review mode is off")
        self._load_queue()
        found = next((q for q in self._queue if int(q["id"]) == item), None)
        if found is None:
            raise UnknownItem(f"tagger: queue item {item} is not open")
        code, sid = str(found["code"]), int(found["segment"])
        with self.project.atomic() as p:
            if decision == "accepted":
                p.code(sid, code, coder=self.coder, origin=Origin.SUGGESTION)
            p.store.review_suggestion(item, decision, user=self.coder)
        self._queue = [q for q in self._queue if int(q["id"]) != item]
        if decision == "accepted":
            self._track(sid)
        if sid != self.segment_id:
            self._goto_id(sid)
        else:
            self._show(self._index)
        self._say("saved", self._t(decision, label=self._label(code)))

    def _load_queue(self) -> None:
        frame = self.project.store.suggestion_queue_frame(status="open")
        self._queue = frame.drop(columns=["text"]).to_dict("records")

    @action
    def set_compare(self, on: bool) -> None:
        """Show (True) or hide (blind mode) other coders' codings on the segment."""
        self.compare = on
        self._show(self._index)
        self._say("idle", self._t("comparing") if on else self._t("blind"))

    @action
    def set_lang(self, lang: str) -> None:
        """Show code labels in ``"sv"`` or ``"en"``."""
        if lang not in LANGS:
            raise InvalidCode(f"tagger: language {lang!r} is not 'sv' or 'en'")
        self.lang = lang
        self.strings = pl.strings(lang)
        self._book_version = -1
        self.refresh()

    # -- building what is shown -------------------------------------------------------------------
    def _load_codebook(self) -> None:
        version = self.project.codebook_version
        if version == self._book_version:
            return
        book = self.project.codebook
        self._book = book
        self._codes = {c.id: c for c in book.codes}
        memos = self.project.store.memos_frame()
        mine = (
            memos[(memos["kind"] == "code") & (memos["coder"] == self.coder)]
            if len(memos)
            else memos
        )
        self.codebook = {
            **pl.codebook_payload(book, self.lang),
            "memos": dict(zip(mine.get("target", []), mine.get("text", []), strict=True)),
        }
        self.keymap = pl.key_map(book, self.lang)
        self._book_version = version

    def _label(self, code: str) -> str:
        found = self._codes.get(code)
        return f"“{pl.label(found.label, self.lang, code)}”" if found else repr(code)

    def _need_segment(self) -> dict[str, Any]:
        if self._current is None:
            raise UnknownItem("tagger: no segment is shown (the list is empty)")
        return self._current

    def _span_or_hit(
        self, seg: dict[str, Any], start: int | None, end: int | None, *, use: bool = True
    ) -> tuple[int, int]:
        """The span a code goes on: the selection (``start``-``end``), else the search hit
        pre-selected on this turn, else the whole turn.  The hit is used up (``use``), as a
        selection is: the next key codes the whole turn."""
        hit = self._hit
        if start is None and end is None and hit is not None and hit["segment"] == seg["id"]:
            if use:
                self._hit = None
            return int(hit["start"]), int(hit["end"])
        if use:
            self._hit = None
        return self._doc_span(seg, start, end)

    def _doc_span(self, seg: dict[str, Any], start: int | None, end: int | None) -> tuple[int, int]:
        if start is None and end is None:
            return seg["start"], seg["end"]
        if start is None or end is None:
            raise InvalidCode("tagger: a span needs both start and end")
        length = seg["end"] - seg["start"]
        if not 0 <= start < end <= length:
            raise InvalidCode(
                f"tagger: span {start}-{end} is not inside segment {seg['id']} (0-{length})"
            )
        s, e = pl.trim_span(seg["text"], start, end)
        if s == e:
            raise InvalidCode("tagger: the selected text is only white space")
        return seg["start"] + s, seg["start"] + e

    def _after_write(self, what: str) -> None:
        self._show(self._index, keep_suggestions=True)
        self._say("saved", what)

    def _track(self, segment_id: int) -> None:
        now = bool(len(self.project.codings(self.coder, segment=segment_id)))
        known = any(segment_id in ids for ids in self._doc_ids.values())
        was = segment_id in self._mine
        if now:
            self._mine.add(segment_id)
        else:
            self._mine.discard(segment_id)
        if known:
            self._coded_total += now - was
        else:  # a document not visited in this session: count again
            self._coded_total = self.project.store.coded_counts(self.coder)["coded"]

    def _show(self, index: int, *, keep_suggestions: bool = False) -> None:
        if not self._ids:
            self._index = 0
            self._current = None
            empty = "queue_empty_hint" if self.review else "none_match_filters"
            self.segment = {"empty": True, "message": self._t(empty, study=self.study)}
            self.suggestions = []
            self._progress(None)
            return
        if not keep_suggestions:
            self._load_codebook()  # a new codebook version shows on the next move
        self._index = max(0, min(index, len(self._ids) - 1))
        sid = self._ids[self._index]
        if self._hit is not None and self._hit["segment"] != sid:
            self._hit = None  # leaving the hit's turn dismisses it (coming back does not revive it)
        try:
            head = self.project.store.segment(sid)
        except UnknownItem:  # deleted by someone else since the list was made
            self._ids = [i for i in self._ids if i != sid]
            self._show(self._index)
            return
        doc_id, pos = int(head["document_id"]), int(head["position"])
        turns = self._document_turns(doc_id, str(head["document"]))
        row = turns[pos] if pos < len(turns) and int(turns[pos]["segment"]) == sid else head
        before = [pl.turn(r) for r in turns[max(0, pos - _CONTEXT) : pos]]
        after = [pl.turn(r) for r in turns[pos + 1 : pos + 1 + _CONTEXT]]
        start, end = int(row["start"]), int(row["end"])
        every = self.project.codings(segment=sid).to_dict("records")
        mine = [c for c in every if c["coder"] == self.coder]
        theirs = [c for c in every if c["coder"] != self.coder] if self.compare else []
        codings = pl.codings_payload(mine, start, end)
        was = sid in self._mine
        if codings:
            self._mine.add(sid)
        else:
            self._mine.discard(sid)
        self._coded_total += bool(codings) - was
        participant = str(row["participant"] or "")
        doc = self._docs.get(doc_id)
        self._current = {
            "id": sid,
            "index": self._index,
            "count": len(self._ids),
            "document": str(row["document"]),
            "document_id": doc_id,
            "participant": participant,
            "attributes": {
                attribute_name(_attribute_key(k), self.lang): value_name(v, self.lang)
                for k, v in self._people.get(participant, {}).items()
            },
            "language": str(row["language"]),
            "speaker": str(row["speaker"] or ""),
            "time": pl.clock(row["start_time"]),
            "end_time": pl.clock(row["end_time"]),
            "position": pos + 1,
            "turns": int(doc.segments) if doc is not None else 0,
            "text": str(row["text"]),
            "start": start,
            "end": end,
            "before": before,
            "after": after,
            "codings": codings,
            "on": sorted({c["code"] for c in codings if c["whole"]}),
            "partial": sorted({c["code"] for c in codings if not c["whole"]}),
            "others": pl.codings_payload(theirs, start, end, with_coder=True),
            "memo": self.project.memo("segment", sid, coder=self.coder),
            "others_memos": self._others_memos(sid),
            "doc_memo": self.project.memo("document", doc_id, coder=self.coder),
            "memo_seq": self._memo_seq,
            "hit": (
                {
                    "start": self._hit["start"] - start,
                    "end": self._hit["end"] - start,
                    "words": str(row["text"])[
                        self._hit["start"] - start : self._hit["end"] - start
                    ],
                }
                if self._hit and self._hit["segment"] == sid
                else None
            ),
        }
        self.segment = dict(self._current)
        if not keep_suggestions:
            self._suggestions(str(row["text"]))
        else:
            on = set(self._current["on"])
            self.suggestions = [{**s, "on": s["code"] in on} for s in self.suggestions]
        self._progress(doc_id)

    def _others_memos(self, segment_id: int) -> list[dict[str, str]]:
        """Other coders' memos on the segment (shown read-only under the coder's own box: a
        colleague's memo opened from the memo browser is not an empty box)."""
        frame = self.project.store.memos_frame()
        if frame.empty:
            return []
        rows = frame[
            (frame["kind"] == "segment")
            & (frame["target"].astype(str) == str(segment_id))
            & (frame["coder"] != self.coder)
            & (frame["text"].astype(str).str.strip() != "")
        ]
        return [
            {"coder": str(c), "text": str(t)}
            for c, t in zip(rows["coder"], rows["text"], strict=True)
        ]

    def _document_turns(self, doc_id: int, name: str) -> list[dict[str, Any]]:
        """Every turn of a document in position order, from a small cache (turns never
        change after import; codings and memos are always read fresh)."""
        turns = self._turns.get(doc_id)
        if turns is None:
            frame = self.project.store.segments_frame(document=name)
            turns = [r for r in frame.to_dict("records") if int(r["document_id"]) == doc_id]
            turns.sort(key=lambda r: int(r["position"]))
            if len(self._turns) >= 4:
                self._turns.pop(next(iter(self._turns)))
            self._turns[doc_id] = turns
            ids = {int(r["segment"]) for r in turns if r["role"] == "interviewee"}
            self._doc_ids[doc_id] = ids
            self._mine |= set(self.project.codings(self.coder, segment=sorted(ids))["segment"])
        else:
            self._turns[doc_id] = self._turns.pop(doc_id)  # most recently used last
        return turns

    def _suggestions(self, text: str) -> None:
        if self.review:
            self._queued_suggestions()
            return
        if self._suggest is None:
            self.suggestions = []
            return
        try:
            ranked = list(self._suggest(text))
        except Exception as exc:  # a suggester's bug must not stop the coding
            self.suggestions = []
            self._say("error", self._t("suggestions_failed", error=exc))
            return
        on = set(self._current["on"]) if self._current else set()
        out: list[dict[str, Any]] = []
        for code, confidence, reason in ranked:
            found = self._codes.get(code)
            if found is None or not found.codable:
                continue
            out.append(
                {
                    "code": code,
                    "label": pl.label(found.label, self.lang, code),
                    "color": found.color,
                    "confidence": round(float(confidence), 3),
                    "reason": str(reason),
                    "on": code in on,
                }
            )
        out.sort(key=lambda s: -float(s["confidence"]))
        self.suggestions = out[:5]

    def _queued_suggestions(self) -> None:
        sid = self.segment_id
        on = set(self._current["on"]) if self._current else set()
        out: list[dict[str, Any]] = []
        for q in self._queue:
            if int(q["segment"]) != sid:
                continue
            code = str(q["code"])
            found = self._codes.get(code)
            out.append(
                {
                    "item": int(q["id"]),
                    "code": code,
                    "label": pl.label(found.label, self.lang, code) if found else code,
                    "color": found.color if found else "",
                    "confidence": round(float(q["confidence"]), 3),
                    "reason": str(q["reason"] or ""),
                    "on": code in on,
                }
            )
        self.suggestions = out

    def _progress(self, doc_id: int | None) -> None:
        doc_total = doc_coded = 0
        if doc_id is not None:
            ids = self._doc_ids[doc_id]
            doc_total, doc_coded = len(ids), len(ids & self._mine)
        progress: dict[str, Any] = {
            "doc_coded": doc_coded,
            "doc_total": doc_total,
            "coded": self._coded_total,
            "total": len(self._all),
            "index": self._index,
            "count": len(self._ids),
        }
        if self.review:
            progress["review_open"] = len(self._queue)
        self.progress = progress

    def _t(self, key: str, **values: object) -> str:
        """The tagger's string ``key`` in the session's language."""
        return text(f"tg.{key}", self.lang, **values)

    def _n(self, key: str, n: int, **values: object) -> str:
        """The tagger's string ``key`` for the count ``n`` (singular for 1)."""
        return counted(f"tg.{key}", n, self.lang, **values)

    def _say(self, state: str, line: str) -> None:
        self._status_seq += 1
        self.status = {
            "state": state,
            "text": line,
            "seq": self._status_seq,
            "at": time.strftime("%H:%M:%S"),
            "reply": self._reply,
        }


def _attribute_key(name: str) -> str:
    """An attribute column as the catalogue names it: ``"User type"`` is ``user_type``."""
    return re.sub(r"[\s\-]+", "_", name.strip()).lower() or name


def _opt_int(message: dict[str, Any], key: str) -> int | None:
    value = message.get(key)
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise InvalidCode(f"tagger: {key} {value!r} is not a number") from exc
