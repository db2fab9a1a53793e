"""The query view: pick codes, groups and coders, read every quote in context, export them.

:class:`QuerySession` holds the selection and the rules (it builds the code expression, runs
:meth:`Project.query`, turns the frame into quote cards, writes CSV and Word files) and is
driven from Python in tests; :class:`QueryView` is the widget a researcher sees: the
``query_view.js`` panel over the session, with a tagger opened below it on request.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import pathlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import anywidget
import ipywidgets as w
import pandas as pd
import traitlets

from workbench.errors import InvalidCode, WorkbenchError
from workbench.i18n import LANGS, STRINGS, attribute_name, text, value_name
from workbench.project._workspace import attribute_values, default_lang
from workbench.widgets._shared import (
    TextWatch,
    connect,
    default_coder,
    esm,
    show_tagger,
    tagger_for,
)

if TYPE_CHECKING:
    from workbench.codebook import Codebook
    from workbench.project._project import Project

#: Quote cards sent to the browser at first; "show more" adds as many again.
PAGE = 50
#: The export's file name when the user gives none.
DEFAULT_FILE = "quotes"
#: The prefix of every interface string the retrieval views use.
KEY_PREFIX = "retrieve_"
#: Where a status line is shown: next to the export buttons (else at the top).
EXPORT = "export"


class Mode(StrEnum):
    """How the picked codes combine on a segment."""

    ANY = "any"
    ALL = "all"


class Pick(StrEnum):
    """A code's state in the picker."""

    OFF = "off"
    INCLUDE = "include"
    EXCLUDE = "exclude"


class Format(StrEnum):
    """Export formats."""

    CSV = "csv"
    DOCX = "docx"


def strings(lang: str) -> dict[str, str]:
    """The retrieval views' interface strings in ``lang`` (keys without their prefix)."""
    keys = [k for k in STRINGS["en"] if k.startswith(KEY_PREFIX)]
    return {k[len(KEY_PREFIX) :]: text(k, lang) for k in keys}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise traitlets.TraitError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    return lang


def codebook_options(book: Codebook, lang: str, counts: Mapping[str, int]) -> list[dict[str, Any]]:
    """The codes as the picker lists them: tree order, depth, colour, coded segments."""
    depth: dict[str, int] = {}
    out = []
    for code in book.codes:
        depth[code.id] = depth[code.parent] + 1 if code.parent in depth else 0
        out.append(
            {
                "id": code.id,
                "label": code.name(lang),
                "color": code.color,
                "depth": depth[code.id],
                "codable": code.codable,
                "count": int(counts.get(code.id, 0)),
            }
        )
    return out


#: What makes a quote: a coded span of a segment with its code (coders apart).
QUOTE_KEYS = ["segment", "code", "start", "end"]


def count_quotes(frame: pd.DataFrame) -> int:
    """The number of quotes (distinct spans and codes) among a query's codings."""
    return 0 if frame.empty else len(frame.drop_duplicates(QUOTE_KEYS))


def quote_cards(
    frame: pd.DataFrame, colors: Mapping[str, str], limit: int | None = None
) -> list[dict[str, Any]]:
    """One card per quote (the coders who applied it together), in the frame's order; at most
    ``limit`` (only those are built: a query may hold tens of thousands)."""
    if frame.empty:
        return []
    firsts = frame.drop_duplicates(QUOTE_KEYS)
    if limit is not None:
        firsts = firsts.iloc[:limit]
    wanted = frame.merge(firsts[QUOTE_KEYS], on=QUOTE_KEYS)
    coders = wanted.groupby(QUOTE_KEYS, sort=False)["coder"].agg(lambda c: sorted(set(c)))
    cards = []
    for row in firsts.itertuples(index=False):
        key = (row.segment, row.code, row.start, row.end)
        cards.append(
            {
                "key": ":".join(str(k) for k in key),
                "segment": int(row.segment),
                "code": str(row.code),
                "label": str(row.label),
                "color": colors.get(str(row.code), "#888888"),
                "coders": list(coders.loc[key]),
                "participant": "" if _missing(row.participant) else str(row.participant),
                "document": str(row.document),
                "start": int(row.start),
                "end": int(row.end),
                "quote": str(row.quote),
                "before": str(row.before),
                "after": str(row.after),
            }
        )
    return cards


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@dataclass(frozen=True)
class Exported:
    """What an export wrote: the file and its count (CSV: codings, one per row; Word:
    quotes)."""

    path: pathlib.Path
    count: int


def export_path(name: str, fmt: Format) -> pathlib.Path:
    """The file the user named, with the format's suffix (added when missing, or swapped for
    the other export format's)."""
    path = pathlib.Path(name.strip() or f"{DEFAULT_FILE}.{fmt}").expanduser()
    suffix = path.suffix.lower()
    if suffix == f".{fmt}":
        return path
    if suffix in {f".{f}" for f in Format}:
        return path.with_suffix(f".{fmt}")
    return path.with_name(f"{path.name}.{fmt}")


def free_path(path: pathlib.Path) -> pathlib.Path:
    """``path``, or when a file is there already the first free ``name (2).csv``,
    ``name (3).csv``, ... beside it: an export never overwrites an earlier one."""
    if not path.exists():
        return path
    n = 2
    while (candidate := path.with_name(f"{path.stem} ({n}){path.suffix}")).exists():
        n += 1
    return candidate


#: A word of a code expression that is not an operator or a bracket (as the parser reads it).
_WORD = re.compile(r"[^\s()&|!]+")
#: The expression's operator words (any case) and their signs.
_OPERATORS = {"and": "&", "or": "|", "not": "!"}


def write_csv(frame: pd.DataFrame, path: pathlib.Path) -> int:
    """Every row of a query, UTF-8 with a byte-order mark so that Excel reads å, ä and ö."""
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return len(frame)


def write_docx(
    frame: pd.DataFrame,
    path: pathlib.Path,
    *,
    lang: str,
    order: Sequence[str],
    selection: Sequence[str] = (),
    author: str = "",
) -> int:
    """An appendix on A4 pages: a heading per code (codebook ``order``), each quote once with
    its participant, document and coders; the file's author is ``author`` (the coder) and its
    title the heading.  Returns the number of quotes written."""
    import docx
    from docx.shared import Mm

    document = docx.Document()
    for section in document.sections:  # python-docx's template is US Letter
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)
    title = text("retrieve_docx_title", lang)
    document.core_properties.title = title
    document.core_properties.author = author
    document.core_properties.last_modified_by = author
    document.core_properties.language = lang
    document.add_heading(title, level=1)
    written = 0
    cards = quote_cards(frame, {})
    for line in selection:
        document.add_paragraph(line)
    date = dt.date.today().isoformat()
    made = "retrieve_docx_made_one" if len(cards) == 1 else "retrieve_docx_made"
    document.add_paragraph(text(made, lang, date=date, quotes=len(cards)))
    rank = {code: i for i, code in enumerate(order)}
    by_code: dict[str, list[dict[str, Any]]] = {}
    for card in cards:
        by_code.setdefault(card["code"], []).append(card)
    for code in sorted(by_code, key=lambda c: (rank.get(c, len(rank)), c)):
        group = by_code[code]
        document.add_heading(f"{group[0]['label']} ({len(group)})", level=2)
        for card in group:
            document.add_paragraph(card["quote"], style="Quote")
            who = [card["participant"], card["document"]]
            document.add_paragraph(
                "— "
                + ", ".join(p for p in who if p)
                + " · "
                + text("retrieve_coded_by", lang, coders=", ".join(card["coders"]))
            )
            written += 1
    document.save(str(path))
    return written


class QuerySession:
    """The query view's state and rules, without a browser.

    Parameters
    ----------
    project
        The open project.
    lang
        Language of labels and interface (``"sv"``/``"en"``); default: the documents'.
    on_change
        Called with :meth:`state` after every change.
    """

    def __init__(
        self,
        project: Project,
        *,
        lang: str | None = None,
        on_change: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        self.project = project
        self.on_change = on_change
        self.lang = check_lang(lang or default_lang(project))
        self.picks: dict[str, Pick] = {}
        self.mode = Mode.ANY
        self.typed: str | None = None  # an expression typed by hand replaces the picks
        self.coders: list[str] = []
        self.groups: dict[str, list[str]] = {}
        self.text = ""
        self.limit = PAGE
        self.frame: pd.DataFrame | None = None
        self.status: dict[str, Any] = {"state": "idle", "text": "", "seq": 0}
        self._texts = TextWatch(project)  # quotes and attribute values hold the texts
        self._rewritten = False  # the next status line says the texts were read again
        self._attributes = attribute_values(project)
        self._coders = project.store.coders()
        self._counts = project.coding_counts()
        self._load()

    # -- state --------------------------------------------------------------------------------
    def _load(self) -> None:
        self.book = self.project.codebook
        self._colors = {c.id: c.color for c in self.book.codes}
        self.options = {
            "codes": codebook_options(self.book, self.lang, self._counts),
            "coders": list(self._coders),
            "attributes": [
                {
                    "name": name,
                    "label": attribute_name(name, self.lang),
                    "values": [{"value": v, "label": value_name(v, self.lang)} for v in values],
                }
                for name, values in self._attributes.items()
                if values
            ],
        }

    @property
    def expression(self) -> str | None:
        """The code expression the picks make (or the one typed), None when no code is picked.

        ``any``: ``a or b``; ``all``: ``a and b``; excluded codes add ``and not (x or y)``.
        """
        if self.typed is not None:
            return self.typed
        wanted = [c for c, p in self.picks.items() if p == Pick.INCLUDE]
        left_out = [c for c, p in self.picks.items() if p == Pick.EXCLUDE]
        if not wanted:
            return None
        joined = f" {'and' if self.mode == Mode.ALL else 'or'} ".join(wanted)
        if left_out:
            inner = " or ".join(left_out)
            joined = f"({joined})" if len(wanted) > 1 and self.mode == Mode.ANY else joined
            joined += f" and not ({inner})" if len(left_out) > 1 else f" and not {inner}"
        return joined

    @property
    def active(self) -> bool:
        """Whether anything is chosen (no quotes are listed before)."""
        return bool(
            self.expression or self.coders or any(self.groups.values()) or self.text.strip()
        )

    def selection(self) -> dict[str, Any]:
        return {
            "picks": {c: str(p) for c, p in self.picks.items()},
            "mode": str(self.mode),
            "expression": self.expression or "",
            "typed": self.typed is not None,
            "coders": list(self.coders),
            "groups": {k: list(v) for k, v in self.groups.items() if v},
            "text": self.text,
        }

    def results(self) -> dict[str, Any]:
        frame = self.frame
        if frame is None:
            return {"rows": [], "active": False, "total": 0}
        return {
            "active": True,
            "rows": quote_cards(frame, self._colors, self.limit),
            "total": count_quotes(frame),
            "codings": len(frame),
            "participants": int(frame["participant"].nunique()),
            "documents": int(frame["document"].nunique()),
        }

    def state(self) -> dict[str, Any]:
        """What the browser shows, as plain data."""
        return {
            "lang": self.lang,
            "strings": {
                **strings(self.lang),
                # The hint's example is made of this codebook's ids, so it runs as shown.
                "expression_hint": text(
                    "retrieve_expression_hint", self.lang, example=self.example()
                ),
            },
            "options": self.options,
            "selection": self.selection(),
            "results": self.results(),
            "status": self.status,
        }

    def say(self, state: str, message: str, *, where: str = "") -> None:
        """Put ``message`` on a status line: the top one, or ``where=EXPORT`` the one next to
        the export buttons (which file was written, or why not)."""
        self.status = {
            "state": state,
            "text": message,
            "seq": self.status["seq"] + 1,
            "where": where,
        }

    def notify(self) -> None:
        if self.on_change is not None:
            self.on_change(self.state())

    # -- actions ------------------------------------------------------------------------------
    def fresh(self) -> bool:
        """Whether the transcripts were rewritten (names redacted) since they were read here;
        if so the attribute values, coders, counts and quotes are read again (a group value
        that was redacted is dropped) and the next status line says so."""
        if not self._texts.changed():
            return False
        self._attributes = attribute_values(self.project)
        self.groups = {
            k: [v for v in values if v in self._attributes.get(k, [])]
            for k, values in self.groups.items()
        }
        self._coders = self.project.store.coders()
        self._counts = self.project.coding_counts()
        self._load()
        self._rewritten = True
        self.run()
        return True

    def run(self) -> None:
        """Run the query for the current selection (nothing chosen: nothing listed)."""
        self.limit = PAGE
        if not self.active:
            self.frame = None
            self._said_ok()
            return
        groups: dict[str, Any] = {k: v for k, v in self.groups.items() if v}
        try:
            self.frame = self.project.query(
                self._resolved(self.expression),
                coder=self.coders or None,
                text=self.text.strip() or None,
                lang=self.lang,
                **groups,
            )
        except WorkbenchError as exc:
            self.frame = None
            self.say("error", text("retrieve_error", self.lang, message=exc))
            return
        self._said_ok()

    def _said_ok(self) -> None:
        """The status line after a good run: empty, or that the texts were read again."""
        said = text("retrieve_text_changed", self.lang) if self._rewritten else ""
        self._rewritten = False
        self.say("ok", said)

    def _update(self) -> None:
        self.run()
        self.notify()

    def set_code(self, code: str, pick: str) -> None:
        """Include, exclude or drop a code (a typed expression gives way to the picks)."""
        state = Pick(pick)
        if code not in self.book:
            raise WorkbenchError(f"query view: unknown code {code!r}")
        self.typed = None
        if state == Pick.OFF:
            self.picks.pop(code, None)
        else:
            self.picks[code] = state
        self._update()

    def set_mode(self, mode: str) -> None:
        """Combine the included codes with ``any`` (or) or ``all`` (and, on one segment)."""
        self.mode = Mode(mode)
        self._update()

    def set_expression(self, expression: str) -> None:
        """Use a typed expression (empty: back to the picks); a code may be named by its id or
        by a one-word label in either language (``behov and not positive``)."""
        self.typed = expression.strip() or None
        if self.typed is not None:
            self.picks = {}
        self._update()

    def set_coder(self, coder: str, on: bool) -> None:
        """Count only the checked coders' codings (none checked: everybody's)."""
        chosen = [c for c in self.coders if c != coder]
        self.coders = [c for c in self._coders if c in chosen or (on and c == coder)]
        self._update()

    def set_group(self, attribute: str, value: str, on: bool) -> None:
        """Keep participants with one of the checked values (per attribute; attributes
        combine with and)."""
        values = [v for v in self.groups.get(attribute, []) if v != value]
        if on:
            values.append(value)
        self.groups[attribute] = values
        self._update()

    def set_text(self, value: str) -> None:
        """Keep quotes that contain ``value`` (case ignored, accents kept)."""
        self.text = value
        self._update()

    def clear(self) -> None:
        """Forget every choice."""
        self.picks, self.typed, self.coders, self.groups, self.text = {}, None, [], {}, ""
        self.mode = Mode.ANY
        self._update()

    def more(self) -> None:
        """Show another page of quotes (read again first after a redaction)."""
        limit = self.limit + PAGE
        self.fresh()
        self.limit = limit
        self.notify()

    def set_lang(self, lang: str) -> None:
        """Labels and interface in ``lang``."""
        self.lang = check_lang(lang)
        self._load()
        self._update()

    def refresh(self) -> None:
        """Re-read codes, coders, counts and the quotes (after coding in the tagger)."""
        if self.fresh():
            self.notify()
            return
        self._attributes = attribute_values(self.project)
        self._coders = self.project.store.coders()
        self._counts = self.project.coding_counts()
        self._load()
        self._update()

    # -- code expressions in the researcher's words -----------------------------------------
    def example(self) -> str:
        """An expression made of this codebook's ids that runs (the hint's example)."""
        ids = [c.id for c in self.book.codes if c.codable][:4]
        if len(ids) >= 4:
            return f"{ids[0]} and ({ids[1]} or {ids[2]}) and not {ids[3]}"
        if len(ids) >= 2:
            return f"{ids[0]} and not {ids[1]}"
        return ids[0] if ids else "code-id"

    def _resolved(self, expression: str | None) -> str | None:
        """``expression`` with every code named by a one-word label replaced by its id; a
        word that names no code is refused in the interface's language."""
        if expression is None:
            return None
        ids = set(self.book.ids())
        by_label: dict[str, set[str]] = {}
        for code in self.book.codes:
            for lang in LANGS:
                by_label.setdefault(code.name(lang).casefold(), set()).add(code.id)

        def one(found: re.Match[str]) -> str:
            word = found.group(0)
            if word.lower() in _OPERATORS or word in ids:
                return word
            named = by_label.get(word.casefold(), set())
            if len(named) == 1:
                return next(iter(named))
            close = difflib.get_close_matches(word, sorted(ids), n=1)
            if close:
                said = text("retrieve_unknown_code_close", self.lang, code=word, close=close[0])
            else:
                said = text("retrieve_unknown_code", self.lang, code=word, example=self.example())
            raise InvalidCode(said)

        return _WORD.sub(one, expression)

    def readable(self, expression: str) -> str:
        """``expression`` with code labels for ids and the interface's words for and, or,
        not (the export's selection line): ``Behov och inte Positivt``."""
        words = {op: text(f"retrieve_op_{op}", self.lang) for op in _OPERATORS}
        signs = {sign: words[op] for op, sign in _OPERATORS.items()}
        book = self.book

        def one(found: re.Match[str]) -> str:
            word = found.group(0)
            if word.lower() in words:
                return words[word.lower()]
            return book.get(word).name(self.lang) if word in book else word

        shown = _WORD.sub(one, expression)
        for sign, word in signs.items():
            shown = shown.replace(sign, f" {word} ")
        return " ".join(shown.split()).replace("( ", "(").replace(" )", ")")

    def describe(self) -> list[str]:
        """The selection in words, for the export's first lines."""
        lines = []
        if self.expression:
            try:
                shown = self.readable(self._resolved(self.expression) or "")
            except WorkbenchError:
                shown = self.expression
            lines.append(f"{text('retrieve_codes', self.lang)}: {shown}")
        if self.coders:
            lines.append(f"{text('retrieve_coders', self.lang)}: {', '.join(self.coders)}")
        for name, values in self.groups.items():
            if values:
                shown = ", ".join(value_name(v, self.lang) for v in values)
                lines.append(f"{attribute_name(name, self.lang)}: {shown}")
        if self.text.strip():
            lines.append(f"{text('retrieve_text', self.lang)}: {self.text.strip()}")
        return lines

    def export(self, name: str, fmt: str = Format.CSV) -> Exported | None:
        """Write the quotes to the file ``name`` (CSV: every coding; Word: an appendix).

        A path that cannot be written is reported on the status line, not raised.
        """
        kind = Format(fmt)
        path = free_path(export_path(name, kind))
        self.fresh()  # never the quotes as they were before a redaction
        if self.frame is None or self.frame.empty:
            self.say("error", text("retrieve_export_empty", self.lang), where=EXPORT)
            self.notify()
            return None
        try:
            if not path.parent.is_dir():
                reason = text("retrieve_no_folder", self.lang, folder=str(path.parent))
                raise FileNotFoundError(reason)
            if kind == Format.CSV:
                count = write_csv(self.frame, path)
            else:
                count = write_docx(
                    self.frame,
                    path,
                    lang=self.lang,
                    order=self.book.ids(),
                    selection=self.describe(),
                    author=default_coder(self.project),
                )
        except OSError as exc:
            reason = exc.strerror or str(exc)
            said = text("retrieve_export_error", self.lang, path=path, reason=reason)
            self.say("error", said, where=EXPORT)
            self.notify()
            return None
        where = path.resolve()
        if kind == Format.CSV:
            key = "retrieve_exported_rows_one" if count == 1 else "retrieve_exported_rows"
            self.say("ok", text(key, self.lang, rows=count, path=where), where=EXPORT)
        else:
            key = "retrieve_exported_one" if count == 1 else "retrieve_exported"
            self.say("ok", text(key, self.lang, quotes=count, path=where), where=EXPORT)
        self.notify()
        return Exported(path, count)

    def handle(self, message: Mapping[str, Any]) -> None:
        """Act on one message from the browser (after a redaction, on texts read again)."""
        kind = message.get("type")
        if kind not in ("more", "export") and self.fresh():
            self.notify()
            if kind == "refresh":  # done: read again, and said so
                return
        if kind == "code":
            self.set_code(str(message["code"]), str(message["pick"]))
        elif kind == "mode":
            self.set_mode(str(message["mode"]))
        elif kind == "expression":
            self.set_expression(str(message.get("expression", "")))
        elif kind == "coder":
            self.set_coder(str(message["coder"]), bool(message["on"]))
        elif kind == "group":
            self.set_group(str(message["attribute"]), str(message["value"]), bool(message["on"]))
        elif kind == "text":
            self.set_text(str(message.get("text", "")))
        elif kind == "clear":
            self.clear()
        elif kind == "more":
            self.more()
        elif kind == "lang":
            self.set_lang(str(message["lang"]))
        elif kind == "refresh":
            self.refresh()
        elif kind == "export":
            self.export(str(message.get("path", "")), str(message.get("format", Format.CSV)))


class QueryPanel(anywidget.AnyWidget):  # type: ignore[misc]
    """The browser side of the query view: renders the session's state, reports clicks."""

    _esm = esm("common.js", "retrieve_common.js", "query_view.js")
    _css = esm("common.css", "retrieve.css")

    lang = traitlets.Unicode("en").tag(sync=True)
    strings = traitlets.Dict().tag(sync=True)
    options = traitlets.Dict().tag(sync=True)
    selection = traitlets.Dict().tag(sync=True)
    results = traitlets.Dict().tag(sync=True)
    status = traitlets.Dict().tag(sync=True)

    @traitlets.validate("lang")
    def _valid_lang(self, proposal: Any) -> str:
        return check_lang(str(proposal["value"]))


class QueryView(w.VBox):  # type: ignore[misc]
    """Retrieve quotes: pick codes (any / all / not), groups and coders, read each quote in
    its context, open it in the tagger below, export to CSV or Word.

    ``view.session`` is the :class:`QuerySession`; ``view.handle(message)`` acts as a click
    in the browser would.

    Examples
    --------
    >>> p = workbench.open("study/")          # doctest: +SKIP
    >>> p.query_view()                        # doctest: +SKIP
    """

    def __init__(self, project: Project, lang: str | None = None) -> None:
        self.project = project
        self.session = QuerySession(project, lang=lang)
        self.panel = QueryPanel()
        self.tagger: Any = None
        connect(self.session, self.panel, self.handle)
        self.tagger_box = w.Box(layout=w.Layout(width="100%"))
        super().__init__([self.panel, self.tagger_box], layout=w.Layout(width="100%"))

    def handle(self, message: Mapping[str, Any]) -> None:
        """Act on one front-end message (``{"type": "open", "segment": 12}`` opens the
        tagger; the others go to :meth:`QuerySession.handle`)."""
        if message.get("type") == "open":
            self.open_in_tagger(int(message["segment"]))
        else:
            self.session.handle(message)

    def open_in_tagger(self, segment: int) -> Any:
        """Show ``segment`` in the researcher's tagger (the one last made for the project in
        this kernel, brought into sight) or, when none is open, in a new one under the view in
        the view's language; returns it.  Quotes read before a redaction are read again."""
        session = self.session
        try:
            session.fresh()  # the quotes on screen may still hold redacted names
            coder = default_coder(self.project)
            tagger, made = tagger_for(self.project, coder=coder, lang=session.lang)
            tagger.session.show_segment(segment)
            self.tagger = tagger
            show_tagger(self.tagger_box, tagger, made)
        except WorkbenchError as exc:
            session.say("error", text("retrieve_error", session.lang, message=exc))
        else:
            session.say("ok", text("retrieve_opened", session.lang))
        session.notify()
        return self.tagger
