"""The memo browser: every memo of the project in one place, and today's project journal.

A researcher writes memos while coding (on a segment, a document, a code) and keeps a project
journal; this view lists them all, newest first, each with its kind, what it is on in words
(document and turn, code label, the journal's day), its author, its time and its whole text.
Filters narrow the list by kind, author and a word; the journal box writes today's entry
through :meth:`Project.memo` (audited, one entry per author and day).  A click on a segment
memo opens that segment in the tagger.

:class:`MemoSession` holds the state and the rules and is driven from Python in tests;
:class:`MemoBrowser` is the widget: the ``memo_browser.js`` panel over the session, with a
tagger below it once a segment is opened (or the researcher's own tagger, if one is open for
the project in this kernel: the turn is shown there).  A memo written in a tagger of the same
kernel shows in the list at once (the tagger tells every memo browser of the project).  Like the tagger's memo boxes, the journal box shows
the stored text whenever it is not being typed in (after a reload too) and saves only what was
typed, so a reloaded page never overwrites an entry with an empty box.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import anywidget
import ipywidgets as w
import pandas as pd
import traitlets

from workbench.errors import InvalidCode, WorkbenchError
from workbench.i18n import LANGS, STRINGS, text
from workbench.project._memos import JOURNAL, MemoKind, journal_day, journal_target, memos_frame
from workbench.project._workspace import default_lang
from workbench.widgets._shared import (
    check_text,
    connect,
    default_coder,
    esm,
    listen_to_memos,
    memos_changed,
    show_tagger,
    tagger_for,
    text_version,
)

if TYPE_CHECKING:
    from workbench.project._project import Project

#: Memos sent to the browser at most (the newest that match the filters).
SHOWN = 300
#: The prefix of the memo browser's interface strings in the catalogue.
KEY_PREFIX = "memo."


def strings(lang: str) -> dict[str, str]:
    """The memo browser's interface strings in ``lang`` (keys without their prefix)."""
    keys = [k for k in STRINGS["en"] if k.startswith(KEY_PREFIX)]
    return {k[len(KEY_PREFIX) :]: text(k, lang) for k in keys}


def local_time(stamp: object) -> str:
    """An ISO time from the store (UTC) as the researcher's local ``YYYY-MM-DD HH:MM``."""
    try:
        return dt.datetime.fromisoformat(str(stamp)).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return str(stamp)


class MemoSession:
    """The memo browser's state and rules: the memos, the filters, the journal entry.

    Parameters
    ----------
    project
        The open :class:`~workbench.project.Project`.
    author
        Who writes the journal; default: the coder of the researcher's open tagger in this
        kernel, else the project's coder.
    lang
        Language of the interface and of code labels (``"sv"`` or ``"en"``); default: the
        study's, as the tagger's.
    on_change
        Called with :meth:`state` after every action.
    """

    def __init__(
        self,
        project: Project,
        *,
        author: str | None = None,
        lang: str | None = None,
        on_change: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        self.project = project
        self.author = author.strip() if author and author.strip() else default_coder(project)
        self.lang = _check_lang(lang or default_lang(project))
        # How often the transcripts (and memos) had been rewritten when they were read here.
        self._text_version = text_version(project)
        self.on_change = on_change
        self.filters: dict[str, str] = {"kind": "", "author": "", "word": ""}
        self.status: dict[str, Any] = {"state": "idle", "text": "", "seq": 0, "at": ""}
        self.frame = pd.DataFrame()
        self.journal: dict[str, Any] = {}
        self._journal_seq = 0
        self._read(journal_target())

    # -- what is shown ------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        """What the browser shows, as plain data."""
        shown = self.filtered()
        return {
            "lang": self.lang,
            "strings": strings(self.lang),
            "filters": dict(self.filters),
            "options": self.options(),
            "memos": self.entries(shown.head(SHOWN)),
            "count": len(shown),
            "total": len(self.frame),
            "journal": dict(self.journal),
            "status": dict(self.status),
        }

    def options(self) -> dict[str, list[dict[str, str]]]:
        """The choices of the kind and author filters."""
        authors = sorted({*self.frame.get("author", []), self.author})
        return {
            "kinds": [{"value": k.value, "label": self._t(f"kind.{k.value}")} for k in MemoKind],
            "authors": [{"value": a, "label": a} for a in authors],
        }

    def filtered(self) -> pd.DataFrame:
        """The memos the filters keep, newest first."""
        frame = self.frame
        if frame.empty:
            return frame
        keep = pd.Series(True, index=frame.index)
        if self.filters["kind"]:
            keep &= frame["kind"] == self.filters["kind"]
        if self.filters["author"]:
            keep &= frame["author"] == self.filters["author"]
        pattern = self._pattern()
        if pattern is not None:
            found = frame["text"].str.contains(pattern) | frame["on"].str.contains(pattern)
            keep &= found.fillna(False).astype(bool)
        return frame[keep]

    def entries(self, frame: pd.DataFrame) -> list[dict[str, Any]]:
        """One card per memo: kind, what it is on, author, time, the whole text, where the
        filter's word occurs in it (code points) and the segment a click opens."""
        pattern = self._pattern()
        out = []
        for row in frame.itertuples(index=False):
            body = str(row.text)
            kind = str(row.kind)
            marks = (
                [[m.start(), m.end()] for m in pattern.finditer(body)]
                if pattern is not None
                else []
            )
            out.append(
                {
                    "kind": kind,
                    "kind_label": self._t(f"kind.{kind}"),
                    "target": str(row.target),
                    "on": str(row.on),
                    "author": str(row.author),
                    "text": body,
                    "updated": local_time(row.updated_at),
                    "updated_at": str(row.updated_at),
                    "marks": marks,
                    "segment": int(row.target) if kind == MemoKind.SEGMENT else None,
                }
            )
        return out

    def _pattern(self) -> re.Pattern[str] | None:
        """The filter's word as a search: case does not matter, accents do (ä is not a)."""
        word = self.filters["word"].strip()
        return re.compile(re.escape(word), re.IGNORECASE) if word else None

    def _t(self, key: str, **values: object) -> str:
        return text(f"{KEY_PREFIX}{key}", self.lang, **values)

    def say(self, state: str, message: str) -> None:
        """Put ``message`` on the status line (``state``: idle, saved, error)."""
        self.status = {
            "state": state,
            "text": message,
            "seq": int(self.status["seq"]) + 1,
            "at": dt.datetime.now().strftime("%H:%M:%S"),
        }

    def notify(self) -> None:
        """Hand the current state to ``on_change``."""
        if self.on_change is not None:
            self.on_change(self.state())

    # -- actions ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the memos and today's journal entry again (after writing elsewhere, or on the
        next morning with the notebook still open)."""
        self._read(journal_target())
        self.notify()

    def set_filters(
        self, *, kind: str | None = None, author: str | None = None, word: str | None = None
    ) -> None:
        """Keep one kind (``"segment"``, ``"document"``, ``"code"``, ``"project"``), one
        author, memos containing a word; ``""`` switches a filter off."""
        new = dict(self.filters)
        if kind is not None:
            kind = kind.strip()
            if kind and kind not in {k.value for k in MemoKind}:
                kinds = ", ".join(k.value for k in MemoKind)
                raise InvalidCode(f"memo browser: kind {kind!r} is not one of {kinds}")
            new["kind"] = kind
        if author is not None:
            new["author"] = author.strip()
        if word is not None:
            new["word"] = word
        self.filters = new
        self.notify()

    def save_journal(self, entry: str, day: str | None = None) -> None:
        """Write the author's journal entry for ``day`` (ISO date; default: the day shown).

        Written through :meth:`Project.memo`: audited, and an empty ``entry`` removes it.  After
        a redaction since the memos were read here the entry is not written (it could put the
        names back): the memos are read again and :class:`~workbench.widgets.TextChanged` says so.
        """
        target = str(day or self.journal["date"])
        if journal_day(target) is None:
            raise InvalidCode(f"memo browser: journal day {target!r} is not a date (YYYY-MM-DD)")
        self._text_version = check_text(
            self.project, self._text_version, lambda: self._read(target), self._t("text_changed")
        )
        self.project.memo(JOURNAL, target, entry, coder=self.author)
        memos_changed(self.project, source=self)
        self._read(target)
        self.say("saved", self._t("saved_at", at=dt.datetime.now().strftime("%H:%M:%S")))
        self.notify()

    def set_lang(self, lang: str) -> None:
        """Interface and code labels in ``lang``."""
        self.lang = _check_lang(lang)
        self._read(str(self.journal["date"]))
        self.notify()

    def handle(self, message: Mapping[str, Any]) -> None:
        """Act on one message from the browser; a user's mistake becomes the status line."""
        kind = message.get("type")
        try:
            if kind != "journal" and text_version(self.project) != self._text_version:
                # The memos held here may name people since redacted: never show them again.
                self._read(str(self.journal["date"]))
                self.say("idle", self._t("text_reread"))
            if kind == "filter":
                self.set_filters(
                    **{k: str(message[k]) for k in ("kind", "author", "word") if k in message}
                )
            elif kind == "journal":
                self.save_journal(str(message.get("text", "")), message.get("date") or None)
            elif kind == "refresh":
                self.refresh()
            elif kind == "lang":
                self.set_lang(str(message.get("lang", "")))
            else:
                raise InvalidCode(f"memo browser: unknown message type {kind!r}")
        except WorkbenchError as exc:
            self.say("error", str(exc))
            self.notify()

    def memos_changed(self) -> None:
        """A memo was written in another widget of this kernel (the tagger): read them again."""
        self.refresh()

    def _read(self, day: str) -> None:
        self._text_version = text_version(self.project)
        self.frame = memos_frame(self.project, self.lang)
        stored = self.project.memo(JOURNAL, day, coder=self.author)
        self._journal_seq += 1
        # The synced state holds the stored entry: a reloaded page shows it in the box.
        self.journal = {
            "date": day,
            "author": self.author,
            "text": stored,
            "seq": self._journal_seq,
        }


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise InvalidCode(f"memo browser: language {lang!r} is not 'sv' or 'en'")
    return lang


class MemoPanel(anywidget.AnyWidget):  # type: ignore[misc]
    """The browser side of the memo browser: renders the session's state, reports events."""

    _esm = esm("common.js", "memo_browser.js")
    _css = esm("common.css", "memo_browser.css")

    lang = traitlets.Unicode("en").tag(sync=True)
    strings = traitlets.Dict().tag(sync=True)
    filters = traitlets.Dict().tag(sync=True)
    options = traitlets.Dict().tag(sync=True)
    memos: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)
    count = traitlets.Int(0).tag(sync=True)
    total = traitlets.Int(0).tag(sync=True)
    journal = traitlets.Dict().tag(sync=True)
    status = traitlets.Dict().tag(sync=True)

    @traitlets.validate("lang")
    def _valid_lang(self, proposal: Any) -> str:
        if proposal["value"] not in LANGS:
            raise traitlets.TraitError(f"lang must be 'sv' or 'en', not {proposal['value']!r}")
        return str(proposal["value"])


class MemoBrowser(w.VBox):  # type: ignore[misc]
    """Every memo of the project (segment, document, code, project journal) with kind, what it
    is on, author, time and text; filters; today's journal entry; a segment memo opens its
    segment in the tagger below.

    ``browser.session`` is the :class:`MemoSession`; ``browser.handle(message)`` acts as the
    browser's message would.

    Parameters
    ----------
    project
        The open :class:`~workbench.project.Project`.
    lang
        Language of the interface and code labels (``"sv"`` or ``"en"``); default: the
        study's, as the tagger's.
    coder
        Who writes the journal (and codes in a tagger a click makes); default: the coder of
        the researcher's open tagger in this kernel, else the project's coder.
    author
        The same as ``coder`` (its older name).
    tagger
        A :class:`~workbench.widgets.Tagger` to open segments in; default: the tagger last
        made for the project in this kernel if it is still open (the researcher's: it moves to
        the segment and scrolls into sight), else one made on the first click with this
        browser's author and language and shown below the browser.

    Examples
    --------
    >>> p = workbench.open("study/")          # doctest: +SKIP
    >>> p.memo_browser(lang="sv")             # doctest: +SKIP
    """

    children: tuple[Any, ...]  # ipywidgets' trait: the panel, then the tagger's box

    def __init__(
        self,
        project: Project,
        lang: str | None = None,
        *,
        coder: str | None = None,
        author: str | None = None,
        tagger: Any = None,
    ) -> None:
        if coder and author and coder.strip() != author.strip():
            raise InvalidCode(f"memo browser: coder {coder!r} and author {author!r} differ")
        self.project = project
        self.session = MemoSession(project, author=coder or author, lang=lang)
        self.panel = MemoPanel()
        self.tagger: Any = tagger
        self._given_tagger = tagger
        connect(self.session, self.panel, self.handle)
        self.tagger_box = w.Box(layout=w.Layout(width="100%"))
        listen_to_memos(project, self.session)
        super().__init__([self.panel, self.tagger_box], layout=w.Layout(width="100%"))

    def handle(self, message: Mapping[str, Any]) -> None:
        """Act on one front-end message: ``{"type": "open", "segment": 12}`` opens the
        segment in the tagger; the others go to :meth:`MemoSession.handle`."""
        if message.get("type") == "open":
            self.open_segment(message.get("segment"))
        else:
            self.session.handle(message)

    def open_segment(self, segment: object) -> Any:
        """Show ``segment`` in the tagger (made and shown below on first use unless one was
        given) and return the tagger; a segment it cannot show is said on the status line."""
        session = self.session
        try:
            try:
                sid = int(segment)  # type: ignore[call-overload]
            except (TypeError, ValueError) as exc:
                raise InvalidCode(f"memo browser: segment {segment!r} is not a number") from exc
            tagger, made = tagger_for(
                self.project, coder=session.author, lang=session.lang, given=self._given_tagger
            )
            tagger.session.show_segment(sid)
            self.tagger = tagger
            show_tagger(self.tagger_box, tagger, made)
        except WorkbenchError as exc:
            session.say("error", str(exc))
        else:
            on = session.frame.loc[
                (session.frame["kind"] == MemoKind.SEGMENT)
                & (session.frame["target"].astype(str) == str(sid)),
                "on",
            ]
            where = str(on.iloc[0]) if len(on) else str(sid)
            session.say("idle", session._t("opened", on=where))
        session.notify()
        return self.tagger

    @property
    def memos(self) -> list[dict[str, Any]]:
        """The memo cards on screen (see :meth:`MemoSession.entries`)."""
        return list(self.panel.memos)

    @property
    def journal(self) -> dict[str, Any]:
        """Today's journal entry as the box shows it: date, author, text."""
        return dict(self.panel.journal)
