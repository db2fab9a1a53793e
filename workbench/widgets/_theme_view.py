"""The theme view: read the candidate themes of a code, shape them, adopt one as a child code.

:class:`ThemeSession` holds the candidates and the rules — renaming, merging, moving a quote
to another candidate, splitting it off or leaving it out (each edited candidate described
again from its quotes), finding them again with another number, adopting one through
:meth:`Project.adopt_theme` and undoing that — and is driven from Python in tests;
:class:`ThemeView` is the widget a researcher sees, ``theme_view.js`` over the session.
"""

from __future__ import annotations

import itertools
import pathlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import anywidget
import ipywidgets as w
import pandas as pd
import traitlets

from workbench.analysis import describe_theme
from workbench.errors import WorkbenchError
from workbench.i18n import STRINGS, text
from workbench.project import _themes
from workbench.store import AuditAction
from workbench.widgets._query_view import check_lang, esm

if TYPE_CHECKING:
    from workbench.project._project import Project

_HERE = pathlib.Path(__file__).parent
#: The prefix of every interface string the theme view uses.
KEY_PREFIX = "theme_view_"
#: Where a quote can be moved besides another candidate.
NEW = "new"
DROP = "drop"


def strings(lang: str) -> dict[str, str]:
    """The theme view's interface strings in ``lang`` (keys without their prefix)."""
    keys = [k for k in STRINGS["en"] if k.startswith(KEY_PREFIX)]
    return {k[len(KEY_PREFIX) :]: text(k, lang) for k in keys}


@dataclass
class Candidate:
    """One candidate theme as the researcher shapes it.

    Attributes
    ----------
    id : int
        Stable within the session (merging and splitting never reuse one).
    segments : list of int
        Its quotes, in segment order.
    suggested : str
        The label the finder suggests for these quotes.
    label : str
        What the researcher calls it (the suggestion until renamed).
    terms, typical : list
        Distinctive words; the segments of the quotes nearest its centre.
    adopted : str or None
        The code it became, once adopted.
    """

    id: int
    segments: list[int]
    suggested: str
    label: str
    terms: list[str] = field(default_factory=list)
    typical: list[int] = field(default_factory=list)
    adopted: str | None = None

    @property
    def renamed(self) -> bool:
        return self.label != self.suggested


@dataclass(frozen=True)
class Adoption:
    """An adoption the view can take back: the candidate, the code it made and its quotes."""

    candidate: int
    code: str
    label: str
    segments: tuple[int, ...]


class ThemeSession:
    """The theme view's state and rules, without a browser.

    Parameters
    ----------
    project
        The open project.
    code
        The code whose quotes are read (its children's too).
    coder
        Whose quotes (None: every coder's) and who adopts (None: the project's coder).
    lang
        Language of labels and interface (``"sv"``/``"en"``).
    k, seed
        As for :meth:`Project.themes`.
    on_change
        Called with :meth:`state` after every change.
    """

    def __init__(
        self,
        project: Project,
        code: str,
        *,
        coder: str | None = None,
        lang: str = "en",
        k: int | None = None,
        seed: int = 0,
        on_change: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        self.project = project
        self.code = code
        self.coder = coder
        self.adopter = coder if coder is not None else project.coder
        self.lang = check_lang(lang)
        self.seed = seed
        self.on_change = on_change
        self.read = _themes.theme_quotes(project, code, coder=coder)
        self.quotes = self.read.quotes.set_index("segment", drop=False)
        self.k: int | None = k
        self.candidates: list[Candidate] = []
        self.dropped: list[int] = []
        self.expanded: set[int] = set()
        self.adoptions: list[Adoption] = []
        self.fresh: set[str] = set()  # codes adopted in this view (marked "new")
        self.status: dict[str, Any] = {"state": "idle", "text": "", "seq": 0}
        self._ids = itertools.count(1)
        self.find(k)

    # -- reading -----------------------------------------------------------------------------
    def find(self, k: int | None = None) -> None:
        """Find the candidates again with ``k`` themes (None: estimated); edits are forgotten,
        adopted candidates too (their codes stay in the codebook)."""
        self.k = k
        frame = _themes.themes(self.project, self.code, k=k, seed=self.seed, quotes=self.read)
        texts = self.quotes["text"]
        self.candidates = []
        for row in frame.itertuples(index=False):
            segments = [int(s) for s in row.segments]
            self.candidates.append(
                Candidate(
                    id=next(self._ids),
                    segments=segments,
                    suggested=str(row.label),
                    label=str(row.label),
                    terms=list(row.terms),
                    typical=_segments_of(row.typical, segments, texts),
                )
            )
        self.dropped = []
        self.expanded = set()

    def candidate(self, theme: int) -> Candidate:
        for c in self.candidates:
            if c.id == theme:
                return c
        raise WorkbenchError(f"theme view: there is no candidate {theme}")

    def _describe(self, c: Candidate) -> None:
        """Describe ``c`` again from its quotes, against the code's other quotes."""
        inside = set(c.segments)
        others = [int(s) for s in self.quotes["segment"] if int(s) not in inside]
        order = [*c.segments, *others]
        found = describe_theme(
            [str(self.quotes.at[s, "text"]) for s in c.segments],
            others=[str(self.quotes.at[s, "text"]) for s in others],
            language=self.read.language,
            seed=self.seed,
            background=self.read.background,
            languages=[str(self.quotes.at[s, "language"]) for s in order],
        )
        keep_label = c.renamed
        c.suggested = found.label
        if not keep_label:
            c.label = found.label
        c.terms = list(found.terms)
        c.typical = _segments_of(found.typical, c.segments, self.quotes["text"])

    def _editable(self, c: Candidate) -> None:
        if c.adopted is not None:
            raise WorkbenchError(
                f"“{c.label}” is adopted as the code {c.adopted}; undo the adoption to change it"
            )

    # -- actions ------------------------------------------------------------------------------
    def rename(self, theme: int, label: str) -> None:
        """Call candidate ``theme`` ``label`` (empty: back to the suggested label)."""
        c = self.candidate(theme)
        self._editable(c)
        c.label = " ".join(label.split()) or c.suggested
        self.say("ok", self.t("saved_label", label=c.label))

    def merge(self, theme: int, into: int) -> None:
        """Put every quote of ``theme`` into ``into``; a label of the researcher's survives."""
        source, target = self.candidate(theme), self.candidate(into)
        if source.id == target.id:
            raise WorkbenchError("theme view: a candidate cannot be merged into itself")
        self._editable(source)
        self._editable(target)
        target.segments = sorted({*target.segments, *source.segments})
        if source.renamed and not target.renamed:
            target.label = source.label
        self.candidates.remove(source)
        self.expanded.discard(source.id)
        self._describe(target)
        self.say("ok", self.t("merged", source=source.label, target=target.label))

    def move(self, segment: int, to: int | str) -> None:
        """Move a quote to candidate ``to``, to a new candidate (:data:`NEW`) or out of every
        candidate (:data:`DROP`)."""
        segment = int(segment)
        source = next((c for c in self.candidates if segment in c.segments), None)
        if source is None and segment not in self.dropped:
            raise WorkbenchError(f"theme view: segment {segment} is not among the quotes")
        if source is not None:
            self._editable(source)
        target: Candidate | None = None
        if to not in (NEW, DROP):
            target = self.candidate(int(to))
            self._editable(target)
            if target is source:
                return
        # take it out
        if source is not None:
            source.segments.remove(segment)
            if not source.segments:
                self.candidates.remove(source)
                self.expanded.discard(source.id)
            else:
                self._describe(source)
        else:
            self.dropped.remove(segment)
        # and put it in
        if to == DROP:
            self.dropped = sorted({*self.dropped, segment})
            self.say("ok", self.t("left_out"))
        elif to == NEW:
            fresh = Candidate(id=next(self._ids), segments=[segment], suggested="", label="")
            self._describe(fresh)
            self.candidates.append(fresh)
            self.say("ok", self.t("moved_new"))
        else:
            assert target is not None
            target.segments = sorted({*target.segments, segment})
            self._describe(target)
            self.say("ok", self.t("moved", target=target.label))

    def expand(self, theme: int, on: bool) -> None:
        """Show (or hide) every quote of a candidate."""
        self.candidate(theme)
        if on:
            self.expanded.add(theme)
        else:
            self.expanded.discard(theme)

    def adopt(self, theme: int, label: str | None = None, definition: str = "") -> str:
        """Adopt candidate ``theme`` as a child code (``label``: its label as typed at the
        confirmation, else the candidate's); returns the code id."""
        c = self.candidate(theme)
        self._editable(c)
        if label is not None and " ".join(label.split()):
            c.label = " ".join(label.split())
        code = self.project.adopt_theme(
            self.code,
            c.label,
            c.segments,
            definition=definition,
            coder=self.adopter,
            lang=self.lang,
        )
        c.adopted = code
        self.fresh.add(code)
        self.adoptions.append(Adoption(c.id, code, c.label, tuple(c.segments)))
        self.say(
            "ok",
            self.t("adopted", label=c.label, code=code, n=len(c.segments), coder=self.adopter),
        )
        return code

    def undo(self) -> bool:
        """Take back the latest adoption made here, when it is still the adopter's latest
        change (otherwise undo would revert something else: say so instead)."""
        if not self.adoptions:
            return False
        last = self.adoptions[-1]
        latest = self.project.store.last_undoable(self.adopter)
        mine = (
            latest is not None
            and latest["action"] == AuditAction.CODEBOOK_VERSION
            and latest.get("theme", {}).get("code") == last.code
        )
        if not mine:
            self.say("error", self.t("undo_blocked", coder=self.adopter))
            return False
        self.project.undo(self.adopter)
        self.adoptions.pop()
        self.fresh.discard(last.code)
        for c in self.candidates:
            if c.adopted == last.code:
                c.adopted = None
        self.say("ok", self.t("undone", label=last.label, n=len(last.segments)))
        return True

    def set_lang(self, lang: str) -> None:
        """Labels and interface in ``lang`` (the status line, said in the other, is cleared)."""
        self.lang = check_lang(lang)
        self.say("idle", "")

    # -- what the browser shows ------------------------------------------------------------------
    def t(self, key: str, **values: object) -> str:
        return text(KEY_PREFIX + key, self.lang, **values)

    def say(self, state: str, message: str) -> None:
        self.status = {"state": state, "text": message, "seq": self.status["seq"] + 1}

    def notify(self) -> None:
        if self.on_change is not None:
            self.on_change(self.state())

    def _quote(self, segment: int) -> dict[str, Any]:
        row = self.quotes.loc[segment]
        return {
            "segment": int(segment),
            "participant": str(row["participant"]),
            "document": str(row["document"]),
            "text": str(row["text"]),
        }

    def _card(self, c: Candidate, names: Mapping[str, str]) -> dict[str, Any]:
        people = {str(self.quotes.at[s, "participant"]) for s in c.segments}
        return {
            "id": c.id,
            "label": c.label,
            "suggested": c.suggested,
            "renamed": c.renamed,
            "terms": list(c.terms),
            "n_segments": len(c.segments),
            "n_participants": len(people - {""}),
            "typical": [self._quote(s) for s in c.typical],
            "expanded": c.id in self.expanded,
            "quotes": [self._quote(s) for s in c.segments] if c.id in self.expanded else [],
            "adopted": None
            if c.adopted is None
            else {"code": c.adopted, "label": names.get(c.adopted, c.label)},
        }

    def _children(self) -> list[dict[str, Any]]:
        book = self.project.codebook
        counts = self.project.coding_counts()
        return [
            {
                "id": child.id,
                "label": child.name(self.lang),
                "color": child.color,
                "count": int(counts.get(child.id, 0)),
                "new": child.id in self.fresh,
            }
            for child in book.children(self.code)
        ]

    def state(self) -> dict[str, Any]:
        """What the browser shows, as plain data."""
        book = self.project.codebook
        names = {c.id: c.name(self.lang) for c in book.codes}
        quotes = self.read.quotes
        code = book.get(self.code)
        return {
            "lang": self.lang,
            "strings": strings(self.lang),
            "code": {
                "id": self.code,
                "label": code.name(self.lang),
                "path": " › ".join(book.path(self.code, self.lang)),
                "color": code.color,
            },
            "summary": {
                "quotes": len(quotes),
                "participants": int(quotes["participant"].replace("", pd.NA).nunique()),
                "k": self.k,
                "found": len(self.candidates),
                "coder": self.adopter,
            },
            "candidates": [self._card(c, names) for c in self.candidates],
            "dropped": [self._quote(s) for s in self.dropped],
            "children": self._children(),
            "undo": self.adoptions[-1].code if self.adoptions else None,
            "status": self.status,
        }

    def handle(self, message: Mapping[str, Any]) -> None:
        """Act on one message from the browser; a refusal goes to the status line."""
        kind = message.get("type")
        try:
            if kind == "find":
                raw = message.get("k")
                self.find(int(raw) if raw not in (None, "") else None)
                self.say("ok", "")
            elif kind == "rename":
                self.rename(int(message["theme"]), str(message.get("label", "")))
            elif kind == "merge":
                self.merge(int(message["theme"]), int(message["into"]))
            elif kind == "move":
                to = message["to"]
                self.move(int(message["segment"]), to if to in (NEW, DROP) else int(to))
            elif kind == "expand":
                self.expand(int(message["theme"]), bool(message["on"]))
            elif kind == "adopt":
                self.adopt(
                    int(message["theme"]),
                    message.get("label"),
                    str(message.get("definition", "")),
                )
            elif kind == "undo":
                self.undo()
            elif kind == "lang":
                self.set_lang(str(message["lang"]))
        except (WorkbenchError, ValueError) as exc:
            self.say("error", self.t("error", message=exc))
        self.notify()


def _segments_of(typical: Sequence[str], segments: Sequence[int], texts: pd.Series) -> list[int]:
    """The segments whose texts are the ``typical`` quotes (each used once, in order)."""
    free = list(segments)
    out = []
    for quote in typical:
        for s in free:
            if str(texts.at[s]) == quote:
                out.append(s)
                free.remove(s)
                break
    return out


class ThemePanel(anywidget.AnyWidget):  # type: ignore[misc]
    """The browser side of the theme view: renders the session's state, reports clicks."""

    _esm = esm("retrieve_common.js", "theme_view.js")
    _css = "\n".join(
        (_HERE / name).read_text(encoding="utf-8") for name in ("retrieve.css", "theme_view.css")
    )

    lang = traitlets.Unicode("en").tag(sync=True)
    strings = traitlets.Dict().tag(sync=True)
    code = traitlets.Dict().tag(sync=True)
    summary = traitlets.Dict().tag(sync=True)
    candidates: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)
    dropped: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)
    children: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)
    undo = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    status = traitlets.Dict().tag(sync=True)

    @traitlets.validate("lang")
    def _valid_lang(self, proposal: Any) -> str:
        return check_lang(str(proposal["value"]))


class ThemeView(w.VBox):  # type: ignore[misc]
    """Emergent themes of one code: candidates as cards (label, quotes and participants,
    distinctive words, typical quotes, all quotes on demand); rename, merge, move a quote or
    leave it out, find them again with another number, adopt one as a child code (undoable).

    ``view.session`` is the :class:`ThemeSession`; ``view.handle(message)`` acts as a click
    in the browser would.

    Examples
    --------
    >>> p = workbench.open("study/")                     # doctest: +SKIP
    >>> p.theme_view("bp-information-gaps", lang="sv")   # doctest: +SKIP
    """

    def __init__(
        self, project: Project, code: str, *, coder: str | None = None, lang: str = "en"
    ) -> None:
        self.project = project
        self.session = ThemeSession(project, code, coder=coder, lang=lang)
        self.panel = ThemePanel()
        self._sync(self.session.state())
        self.session.on_change = self._sync
        self.panel.on_msg(self._on_msg)
        super().__init__([self.panel], layout=w.Layout(width="100%"))

    def _sync(self, state: dict[str, Any]) -> None:
        with self.panel.hold_sync():
            for name, value in state.items():
                setattr(self.panel, name, value)

    def _on_msg(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict):
            self.handle(content)

    def handle(self, message: Mapping[str, Any]) -> None:
        """Act on one front-end message (see :meth:`ThemeSession.handle`)."""
        self.session.handle(message)
