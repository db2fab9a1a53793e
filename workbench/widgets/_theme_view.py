"""The theme view: read the candidate themes of a code, shape them, adopt one as a child code.

:class:`ThemeSession` holds the candidates and the rules — renaming, merging, moving a quote
to another candidate, splitting it off or leaving it out (each edited candidate described
again from its quotes), finding them again with another number (asking first when that
throws changes away), adopting one through :meth:`Project.adopt_theme` and undoing that —
and is driven from Python in tests; :class:`ThemeView` is the widget a researcher sees,
``theme_view.js`` over the session.  The researcher's changes are kept in the project
(:func:`workbench.project._themes.save_curation`), so a view opened again, after a kernel
restart too, shows the candidates as they were left.  Refusals are said from the catalogue
and name the card they concern, which the browser shows them beside.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import anywidget
import ipywidgets as w
import pandas as pd
import traitlets

from workbench.analysis import (
    BY_LANGUAGE,
    K_ASKED,
    LANGUAGE_SPLIT,
    MAX_K_SHARE,
    describe_theme,
    quote_languages,
)
from workbench.errors import InvalidCode, WorkbenchError
from workbench.i18n import LANGS, STRINGS, text
from workbench.project import _themes
from workbench.project._predictions import Source
from workbench.store import AuditAction
from workbench.widgets._query_view import check_lang
from workbench.widgets._shared import connect, esm

if TYPE_CHECKING:
    from workbench.project._project import Project

#: The prefix of every interface string the theme view uses.
KEY_PREFIX = "theme_view_"
#: Where a quote can be moved besides another candidate.
NEW = "new"
DROP = "drop"
#: The largest number of themes one may ask for (the field's maximum).
MAX_K = 30
#: A card names the existing code that holds at least this share of its quotes.
MOSTLY = 0.5
#: Status states; a refusal names the card it concerns so the browser shows it there too.
OK, ERROR, ASK, IDLE = "ok", "error", "ask", "idle"
#: Notes beside the analysis's: the candidates are the researcher's kept ones (how many
#: changes), or the kept ones no longer fit the code's quotes.
RESTORED, STALE = "restored", "stale"


class Refusal(WorkbenchError, ValueError):
    """A change the theme view refuses; ``key`` is its catalogue string (without the
    prefix), ``values`` fill it in; the message itself is the English text."""

    def __init__(self, key: str, **values: object) -> None:
        self.key = key
        self.values = values
        super().__init__(text(KEY_PREFIX + key, "en", **values))


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
    own : bool
        Whether the label is the researcher's (else the suggestion, numbered when two
        candidates would read the same).
    order : list of int or None
        Its segments, the most typical first, once asked for (None: not yet worked out).
    """

    id: int
    segments: list[int]
    suggested: str
    label: str
    terms: list[str] = field(default_factory=list)
    typical: list[int] = field(default_factory=list)
    adopted: str | None = None
    own: bool = False
    order: list[int] | None = None

    @property
    def renamed(self) -> bool:
        return self.own


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
    source
        ``"interviews"`` or ``"survey"``: the quotes of one source only (None: both).
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
        source: str | None = None,
    ) -> None:
        self.project = project
        self.code = code
        self.coder = coder
        self.adopter = coder if coder is not None else project.coder
        self.lang = check_lang(lang)
        self.seed = seed
        self.on_change = on_change
        everything = _themes.theme_quotes(project, code, coder=coder)
        self._everything = everything
        kinds = _themes.sources(project)
        self.source_counts = {
            str(kind): sum(kinds.get(str(d)) == kind for d in everything.quotes["document"])
            for kind in Source
        }
        self.source: str | None = None
        self.read = everything
        self.quotes = self.read.quotes.set_index("segment", drop=False)
        self.k: int | None = k
        self.candidates: list[Candidate] = []
        self.dropped: list[int] = []
        self.expanded: set[int] = set()
        self.adoptions: list[Adoption] = []
        self.fresh: set[str] = set()  # codes adopted in this view (marked "new")
        self.status: dict[str, Any] = {"state": IDLE, "text": "", "seq": 0, "theme": None}
        self.changes = 0  # renames, merges and moves since the candidates were found
        self.confirm: dict[str, Any] | None = None  # a find waiting for "discard my changes?"
        self.notes: dict[str, Any] = {}
        self._coded: dict[int, set[str]] | None = None
        self._language_of: dict[int, str] | None = None
        self._ids = itertools.count(1)
        if k is not None or source is not None or not self._restore():
            stale = self.notes.get(STALE)
            self.find(k, source=source)
            if stale:
                self.notes[STALE] = True

    # -- reading -----------------------------------------------------------------------------
    def find(self, k: int | None = None, *, source: str | None = None) -> None:
        """Find the candidates again with ``k`` themes (None: estimated) among the quotes of
        ``source`` (None: every source); edits are forgotten, adopted candidates too (their
        codes stay in the codebook).  ``k`` outside 1..:data:`MAX_K` is refused."""
        if k is not None and not 1 <= k <= MAX_K:
            raise Refusal("k_range", max=MAX_K)
        if source is not None and source not in set(Source):
            raise WorkbenchError(f"theme view: source {source!r} is not one of interviews, survey")
        if source != self.source:
            self.read = _themes.theme_quotes(
                self.project, self.code, coder=self.coder, source=source
            )
            self.quotes = self.read.quotes.set_index("segment", drop=False)
            self.source = source
            self._language_of = None
        self.k = k
        frame = _themes.themes(self.project, self.code, k=k, seed=self.seed, quotes=self.read)
        self.notes = {key: frame.attrs.get(key) for key in (BY_LANGUAGE, LANGUAGE_SPLIT, K_ASKED)}
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
        self._number_alike()
        self.dropped = []
        self.expanded = set()
        self.changes = 0
        self.confirm = None
        self._coded = None
        self._save()

    # -- kept in the project -------------------------------------------------------------------
    def _curation(self) -> _themes.Curation:
        return _themes.Curation(
            k=self.k,
            source=self.source,
            seed=self.seed,
            quotes=tuple(sorted(int(s) for s in self.read.quotes["segment"])),
            candidates=tuple(
                _themes.CuratedTheme(
                    segments=tuple(c.segments),
                    label=c.label,
                    suggested=c.suggested,
                    own=c.own,
                    terms=tuple(c.terms),
                    typical=tuple(c.typical),
                    adopted=c.adopted,
                )
                for c in self.candidates
            ),
            dropped=tuple(self.dropped),
            changes=self.changes,
        )

    def _save(self) -> None:
        """Keep the researcher's changes in the project (a view opened again shows them);
        none left: forget them.  A read-only project keeps them in this view only."""
        try:
            if self.changes:
                save = self._curation()
                _themes.save_curation(self.project, self.code, self.adopter, self.coder, save)
            else:
                _themes.clear_curation(self.project, self.code, self.adopter, self.coder)
        except WorkbenchError:
            pass

    def _restore(self) -> bool:
        """Show the candidates as the researcher left them, when the project keeps them and
        they still fit the code's quotes; False when they are to be found afresh."""
        kept = _themes.load_curation(self.project, self.code, self.adopter, self.coder)
        if kept is None or not kept.changes:
            return False
        if kept.source is not None and kept.source in set(Source):
            self.read = _themes.theme_quotes(
                self.project, self.code, coder=self.coder, source=kept.source
            )
            self.quotes = self.read.quotes.set_index("segment", drop=False)
            self.source = kept.source
            self._language_of = None
        now = tuple(sorted(int(s) for s in self.read.quotes["segment"]))
        if now != kept.quotes:
            self.notes = {STALE: True}
            self.source, self.read = None, self._everything
            self.quotes = self.read.quotes.set_index("segment", drop=False)
            self._language_of = None
            return False
        book = self.project.codebook
        self.k, self.seed = kept.k, kept.seed
        self.candidates = [
            Candidate(
                id=next(self._ids),
                segments=list(t.segments),
                suggested=t.suggested,
                label=t.label,
                terms=list(t.terms),
                typical=list(t.typical),
                adopted=t.adopted if t.adopted is not None and t.adopted in book else None,
                own=t.own,
            )
            for t in kept.candidates
        ]
        self.dropped = list(kept.dropped)
        self.changes = kept.changes
        self.notes = {RESTORED: kept.changes}
        return True

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
        c.suggested = found.label
        if not c.own:
            c.label = found.label
        c.terms = list(found.terms)
        c.typical = _segments_of(found.typical, c.segments, self.quotes["text"])
        c.order = [c.segments[i] for i in found.order]

    def _number_alike(self) -> None:
        """Suggested labels that two candidates share are numbered ("fee (2)"), so that every
        candidate can be told apart in the menus; a label of the researcher's is kept."""
        taken = {c.label.casefold() for c in self.candidates if c.own}
        for c in self.candidates:
            if c.own:
                continue
            label, n = c.suggested, 1
            while label.casefold() in taken:
                n += 1
                label = f"{c.suggested} ({n})"
            c.label = label
            taken.add(label.casefold())

    def _editable(self, c: Candidate) -> None:
        if c.adopted is not None:
            raise WorkbenchError(
                f"“{c.label}” is adopted as the code {c.adopted}; undo the adoption to change it"
            )

    def _changed(self) -> None:
        self.changes += 1
        self._number_alike()
        self._save()

    # -- actions ------------------------------------------------------------------------------
    def rename(self, theme: int, label: str) -> None:
        """Call candidate ``theme`` ``label``; an empty label, or one another candidate has
        (case aside), is refused."""
        c = self.candidate(theme)
        self._editable(c)
        name = " ".join(label.split())
        if not name:
            raise Refusal("rename_empty", label=c.label)
        if any(o.label.casefold() == name.casefold() for o in self.candidates if o is not c):
            raise Refusal("rename_taken", label=name)
        c.label = name
        c.own = name != c.suggested
        self._changed()
        self.say(OK, self.t("saved_label", label=c.label), theme)

    def merge(self, theme: int, into: int) -> None:
        """Put every quote of ``theme`` into ``into``; a label of the researcher's survives."""
        source, target = self.candidate(theme), self.candidate(into)
        if source.id == target.id:
            raise WorkbenchError("theme view: a candidate cannot be merged into itself")
        self._editable(source)
        self._editable(target)
        target.segments = sorted({*target.segments, *source.segments})
        if source.own and not target.own:
            target.label, target.own = source.label, True
        self.candidates.remove(source)
        self.expanded.discard(source.id)
        self._describe(target)
        self._changed()
        self.say(OK, self.t("merged", source=source.label, target=target.label), target.id)

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
            self._changed()
            self.say(OK, self.t("left_out"), None if source is None else source.id)
        elif to == NEW:
            fresh = Candidate(id=next(self._ids), segments=[segment], suggested="", label="")
            self._describe(fresh)
            self.candidates.append(fresh)
            self._changed()
            self.say(OK, self.t("moved_new"), fresh.id)
        else:
            assert target is not None
            target.segments = sorted({*target.segments, segment})
            self._describe(target)
            self._changed()
            self.say(OK, self.t("moved", target=target.label), target.id)

    def expand(self, theme: int, on: bool) -> None:
        """Show (or hide) every quote of a candidate, the most typical first."""
        c = self.candidate(theme)
        if on:
            if c.order is None or sorted(c.order) != sorted(c.segments):
                self._describe(c)
            self.expanded.add(theme)
        else:
            self.expanded.discard(theme)

    def adopt(
        self,
        theme: int,
        label: str | None = None,
        definition: str = "",
        other_label: str = "",
    ) -> str:
        """Adopt candidate ``theme`` as a child code; returns the code id.

        ``label`` is the label typed at the confirmation (None: the candidate's; empty:
        refused, never silently the card's), in the view's language; ``other_label`` the
        other language's (empty: none yet).  A refused adoption leaves the card as it was.
        """
        c = self.candidate(theme)
        self._editable(c)
        name = c.label if label is None else " ".join(label.split())
        if not name:
            raise Refusal("adopt_label_empty", label=c.label)
        code = self.project.adopt_theme(
            self.code,
            name,
            c.segments,
            definition=definition,
            coder=self.adopter,
            lang=self.lang,
            other_label=other_label,
        )
        if name != c.label:
            c.label, c.own = name, True
        c.adopted = code
        self.fresh.add(code)
        self._coded = None
        self.adoptions.append(Adoption(c.id, code, c.label, tuple(c.segments)))
        self._save()
        self.say(
            OK,
            self.t("adopted", label=c.label, code=code, n=len(c.segments), coder=self.adopter),
            c.id,
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
            self.say(ERROR, self.t("undo_blocked", coder=self.adopter), last.candidate)
            return False
        try:
            self.project.undo(self.adopter)
        except InvalidCode as exc:  # the codebook changed since: the store refuses
            raise Refusal("undo_codebook_changed") from exc
        self.adoptions.pop()
        self.fresh.discard(last.code)
        self._coded = None
        for c in self.candidates:
            if c.adopted == last.code:
                c.adopted = None
        self._save()
        self.say(OK, self.t("undone", label=last.label, n=len(last.segments)), last.candidate)
        return True

    def set_lang(self, lang: str) -> None:
        """Labels and interface in ``lang`` (the status line, said in the other, is cleared)."""
        self.lang = check_lang(lang)
        self.say(IDLE, "")

    def request_find(
        self, k: int | None, *, source: str | None = None, discard: bool = False
    ) -> None:
        """Find again, but first ask before throwing away the researcher's changes (renames,
        merges, moves): with changes and without ``discard`` the view asks instead."""
        if k is not None and not 1 <= k <= MAX_K:
            raise Refusal("k_range", max=MAX_K)
        if self.changes and not discard:
            self.confirm = {"k": k, "source": source or "", "n": self.changes}
            self.say(ASK, self.tn("discard_ask", self.changes))
            return
        self.find(k, source=source)
        self.say(OK, "")

    # -- what the browser shows ------------------------------------------------------------------
    def t(self, key: str, **values: object) -> str:
        return text(KEY_PREFIX + key, self.lang, **values)

    def tn(self, key: str, n: int, **values: object) -> str:
        """``key`` for a count ``n``: its singular form (``key_one``) for 1 when there is one."""
        one = n == 1 and KEY_PREFIX + key + "_one" in STRINGS["en"]
        return self.t(f"{key}_one" if one else key, n=n, **values)

    def say(self, state: str, message: str, theme: int | None = None) -> None:
        self.status = {
            "state": state,
            "text": message,
            "seq": self.status["seq"] + 1,
            "theme": theme,
        }

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

    def _existing(self, c: Candidate, names: Mapping[str, str]) -> str | None:
        """ "14 of 20 quotes already coded 'X'" when most of its quotes carry a code below."""
        if self._coded is None:
            self._coded = _themes.coded_below(self.project, self.code)
        found = _themes.most_coded(self._coded, c.segments)
        if found is None or c.adopted == found[0] or found[1] < MOSTLY * len(c.segments):
            return None
        code, n = found
        return self.t("existing", n=n, total=len(c.segments), label=names.get(code, code))

    def _languages(self, c: Candidate) -> str:
        """Its quotes' languages, most first: "sv 14 · en 2"."""
        if self._language_of is None:  # as the finder reads them (an English survey answer
            # in a Swedish survey is English)
            frame = self.read.quotes
            found = quote_languages(
                [str(t) for t in frame["text"]],
                self.read.language,
                [str(x) for x in frame["language"]],
            )
            self._language_of = dict(zip(frame["segment"].astype(int), found, strict=True))
        counts: dict[str, int] = {}
        for s in c.segments:
            lang = self._language_of[s]
            counts[lang] = counts.get(lang, 0) + 1
        return " · ".join(
            f"{lang} {n}" for lang, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))
        )

    def _card(self, c: Candidate, names: Mapping[str, str]) -> dict[str, Any]:
        people = {str(self.quotes.at[s, "participant"]) for s in c.segments}
        expanded = c.id in self.expanded
        order = c.order if c.order is not None and expanded else c.segments
        return {
            "id": c.id,
            "label": c.label,
            "suggested": c.suggested,
            "renamed": c.renamed,
            "terms": list(c.terms),
            "n_segments": len(c.segments),
            "n_participants": len(people - {""}),
            "languages": self._languages(c),
            "existing": self._existing(c, names),
            "typical": [self._quote(s) for s in c.typical],
            "expanded": expanded,
            "quotes": [self._quote(s) for s in order] if expanded else [],
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
                "fallback": not (child.label.get(self.lang) or "").strip(),
                "color": child.color,
                "count": int(counts.get(child.id, 0)),
                "new": child.id in self.fresh,
            }
            for child in book.children(self.code)
        ]

    def _notes(self) -> list[str]:
        """What the reader must know about the candidates: found within each language, only
        the languages, or fewer than asked for."""
        out = []
        if self.notes.get(RESTORED):
            out.append(self.tn("note_restored", int(self.notes[RESTORED])))
        if self.notes.get(STALE):
            out.append(
                self.t("note_stale", code=self.project.codebook.get(self.code).name(self.lang))
            )
        if self.notes.get(BY_LANGUAGE):
            out.append(self.t("note_by_language"))
        elif self.notes.get(LANGUAGE_SPLIT) and len(self.candidates) > 1:
            out.append(self.t("note_language_split"))
        asked = self.notes.get(K_ASKED)
        if asked is not None:
            n = len(self.read.quotes)
            out.append(self.t("note_k_capped", asked=asked, n=n, max=max(1, n // MAX_K_SHARE)))
        return out

    def state(self) -> dict[str, Any]:
        """What the browser shows, as plain data."""
        book = self.project.codebook
        names = {c.id: c.name(self.lang) for c in book.codes}
        quotes = self.read.quotes
        code = book.get(self.code)
        other = next(x for x in LANGS if x != self.lang)
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
                "k_max": MAX_K,
                "found": len(self.candidates),
                "coder": self.adopter,
                "changes": self.changes,
                "confirm": self.confirm,
                "notes": self._notes(),
                "source": self.source or "",
                "sources": self.source_counts,
                "lang_name": self.t("lang_en") if self.lang == "en" else self.t("lang_sv"),
                "other_name": self.t("lang_en") if other == "en" else self.t("lang_sv"),
            },
            "candidates": [self._card(c, names) for c in self.candidates],
            "dropped": [self._quote(s) for s in self.dropped],
            "children": self._children(),
            "undo": self.adoptions[-1].code if self.adoptions else None,
            "status": self.status,
        }

    def _refusal(self, exc: Exception) -> str:
        """A refusal said from the catalogue; an error the view has no words for is shown
        with its own (one-line) message."""
        if isinstance(exc, Refusal):
            return self.t(exc.key, **exc.values)
        if isinstance(exc, _themes.ThemeLabelTaken):
            name = self.project.codebook.get(exc.existing).name(self.lang)
            return self.t("label_taken", label=exc.label, name=name, code=exc.existing)
        if isinstance(exc, _themes.ThemeAdoptedAlready):
            name = self.project.codebook.get(exc.existing).name(self.lang)
            return self.t("adopted_already", n=exc.n, name=name, code=exc.existing)
        return self.t("error", message=exc)

    def handle(self, message: Mapping[str, Any]) -> None:
        """Act on one message from the browser; a refusal goes to the status line and to the
        card it concerns."""
        kind = message.get("type")
        theme = message.get("theme")
        try:
            if kind == "find":
                raw = message.get("k")
                k = _whole(raw) if raw not in (None, "") else None
                source = str(message.get("source") or "") or None
                self.request_find(k, source=source, discard=bool(message.get("discard")))
            elif kind == "keep":
                self.confirm = None
                self.say(IDLE, "")
            elif kind == "rename":
                self.rename(int(message["theme"]), str(message.get("label", "")))
            elif kind == "merge":
                self.merge(int(message["theme"]), int(message["into"]))
            elif kind == "move":
                to = message["to"]
                held = next(
                    (c.id for c in self.candidates if int(message["segment"]) in c.segments), None
                )
                theme = held
                self.move(int(message["segment"]), to if to in (NEW, DROP) else int(to))
            elif kind == "expand":
                self.expand(int(message["theme"]), bool(message["on"]))
            elif kind == "adopt":
                label = message.get("label")
                self.adopt(
                    int(message["theme"]),
                    None if label is None else str(label),
                    str(message.get("definition", "")),
                    str(message.get("other_label", "")),
                )
            elif kind == "undo":
                theme = self.adoptions[-1].candidate if self.adoptions else None
                self.undo()
            elif kind == "lang":
                self.set_lang(str(message["lang"]))
        except (WorkbenchError, ValueError) as exc:
            self.say(ERROR, self._refusal(exc), None if theme is None else int(theme))
        self.notify()


def _whole(raw: object) -> int:
    """A number of themes as typed: a whole number, else refused from the catalogue."""
    try:
        value = float(str(raw).strip())
    except ValueError:
        raise Refusal("k_range", max=MAX_K) from None
    if not value.is_integer():
        raise Refusal("k_range", max=MAX_K)
    return int(value)


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

    _esm = esm("common.js", "retrieve_common.js", "theme_view.js")
    _css = esm("common.css", "retrieve.css", "theme_view.css")

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
        connect(self.session, self.panel, self.handle)
        super().__init__([self.panel], layout=w.Layout(width="100%"))

    def handle(self, message: Mapping[str, Any]) -> None:
        """Act on one front-end message (see :meth:`ThemeSession.handle`)."""
        self.session.handle(message)
