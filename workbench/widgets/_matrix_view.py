"""The matrix view: codes against a group (or against codes), a click on a count lists its
quotes.

:class:`MatrixSession` holds the choices and the rules — which table, what a cell's quotes
are — and is driven from Python in tests; :class:`MatrixView` is the widget
(``matrix_view.js``) over it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import anywidget
import numpy as np
import pandas as pd
import traitlets

from workbench.analysis import CODE_AXIS, Count, code_rows
from workbench.errors import WorkbenchError
from workbench.i18n import attribute_name, text, value_name
from workbench.project._workspace import (
    GROUP_AXES,
    QUERY_COLUMNS,
    attribute_values,
    default_lang,
)
from workbench.widgets._query_view import (
    PAGE,
    check_lang,
    count_quotes,
    quote_cards,
    strings,
)
from workbench.widgets._shared import TextWatch, connect, esm

if TYPE_CHECKING:
    from workbench.project._project import Project


class Kind(StrEnum):
    """The table shown: codes × a group, or codes × codes."""

    MATRIX = "matrix"
    COOCCURRENCE = "cooccurrence"


#: What each table counts unless the researcher says otherwise.
DEFAULT_COUNT = {Kind.MATRIX: Count.PARTICIPANTS, Kind.COOCCURRENCE: Count.SEGMENTS}


class MatrixSession:
    """The matrix view's state and rules, without a browser.

    Parameters
    ----------
    project
        The open project.
    lang
        Language of labels and interface; default: the documents' language.
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
        self.kind = Kind.MATRIX
        self.value = DEFAULT_COUNT[self.kind]
        self.coder = ""  # "" : every coder
        self._texts = TextWatch(project)  # the groups' values and the quotes hold the texts
        self._attributes = attribute_values(project)
        named = [a for a in self._attributes if self._attributes[a]]
        self.columns = named[0] if named else "coder"
        self.cell: tuple[int, int] | None = None
        self.quotes: pd.DataFrame | None = None
        self.limit = PAGE
        self.status: dict[str, Any] = {"state": "idle", "text": "", "seq": 0}
        self._compute()

    # -- the table ----------------------------------------------------------------------------
    def _compute(self) -> None:
        """Count the table anew (after a change of kind, axis, count, coder or language)."""
        book = self.project.codebook
        self._colors = {c.id: c.color for c in book.codes}
        coder = self.coder or None
        if self.kind == Kind.MATRIX:
            self.frame = self.project.matrix(
                CODE_AXIS, self.columns, self.value, coder=coder, lang=self.lang
            )
        else:
            self.frame = self.project.cooccurrence(coder=coder, value=self.value, lang=self.lang)
        ids = {label: code for code, label in code_rows(book, lang=self.lang, present=())}
        last = len(self.frame.index) - 1  # a matrix ends with its total row and column
        self.row_codes: list[str | None] = [
            None if i == last and self.kind == Kind.MATRIX else ids.get(str(label), str(label))
            for i, label in enumerate(self.frame.index)
        ]
        if self.kind == Kind.MATRIX:
            self.column_keys: list[str | None] = [
                None if i == len(self.frame.columns) - 1 else str(c)
                for i, c in enumerate(self.frame.columns)
            ]
        else:
            self.column_keys = [ids.get(str(c), str(c)) for c in self.frame.columns]
        self.cell, self.quotes = None, None

    def axis_label(self, axis: str) -> str:
        if axis in GROUP_AXES:
            return text(f"retrieve_axis_{axis}", self.lang)
        return attribute_name(axis, self.lang)

    def _column_label(self, key: str | None, shown: object) -> str:
        if key is None or self.kind == Kind.COOCCURRENCE or self.columns in GROUP_AXES:
            return str(shown)
        return value_name(shown, self.lang)

    def table(self) -> dict[str, Any]:
        """The table as the browser draws it: column heads, rows of counts, the largest
        inner count (for shading)."""
        frame = self.frame
        counts = frame.to_numpy()
        if self.kind == Kind.MATRIX:
            inner = counts[:-1, :-1]  # the shading leaves the totals out
        else:
            inner = counts * (1 - np.eye(len(counts), dtype=counts.dtype))  # and the diagonal
        largest = int(inner.max()) if inner.size else 0
        columns = [
            {"key": key, "label": self._column_label(key, shown), "total": key is None}
            for key, shown in zip(self.column_keys, frame.columns, strict=True)
        ]
        rows = [
            {
                "code": code,
                "label": str(label),
                "color": self._colors.get(code or "", "#888888"),
                "total": code is None,
                "cells": [int(v) for v in frame.iloc[i].tolist()],
            }
            for i, (code, label) in enumerate(zip(self.row_codes, frame.index, strict=True))
        ]
        return {
            "kind": str(self.kind),
            "corner": text("retrieve_code", self.lang),
            "columns": columns,
            "rows": rows,
            "max": largest,
            "empty": bool(frame.empty or not frame.to_numpy().any()),
        }

    def options(self) -> dict[str, Any]:
        axes = [*GROUP_AXES, *(a for a in self._attributes if self._attributes[a])]
        return {
            "kinds": [
                {"value": str(k), "label": text(f"retrieve_kind_{k}", self.lang)} for k in Kind
            ],
            "axes": [{"value": a, "label": self.axis_label(a)} for a in axes],
            "values": [
                {"value": str(v), "label": text(f"retrieve_value_{v}", self.lang)} for v in Count
            ],
            "coders": [{"value": "", "label": text("retrieve_all_coders", self.lang)}]
            + [{"value": c, "label": c} for c in self.project.store.coders()],
        }

    def choices(self) -> dict[str, Any]:
        return {
            "kind": str(self.kind),
            "columns": self.columns,
            "value": str(self.value),
            "coder": self.coder,
        }

    def cell_payload(self) -> dict[str, Any]:
        if self.cell is None or self.quotes is None:
            return {}
        i, j = self.cell
        row = str(self.frame.index[i])
        column = self._column_label(self.column_keys[j], self.frame.columns[j])
        count = int(self.frame.iat[i, j])
        what = text(f"retrieve_value_{self.value}", self.lang)
        key = "retrieve_cell_both" if self.kind == Kind.COOCCURRENCE else "retrieve_cell_title"
        return {
            "row": i,
            "column": j,
            "title": text(key, self.lang, row=row, column=column, count=count, value=what),
            "rows": quote_cards(self.quotes, self._colors, self.limit),
            "total": count_quotes(self.quotes),
        }

    def state(self) -> dict[str, Any]:
        """What the browser shows, as plain data."""
        return {
            "lang": self.lang,
            "strings": strings(self.lang),
            "options": self.options(),
            "choices": self.choices(),
            "table": self.table(),
            "cell": self.cell_payload(),
            "status": self.status,
        }

    def say(self, state: str, message: str) -> None:
        self.status = {"state": state, "text": message, "seq": self.status["seq"] + 1}

    def notify(self) -> None:
        if self.on_change is not None:
            self.on_change(self.state())

    # -- actions ------------------------------------------------------------------------------
    def _redo(self) -> None:
        try:
            self._compute()
        except WorkbenchError as exc:
            self.say("error", text("retrieve_error", self.lang, message=exc))
        else:
            self.say("idle", "")
        self.notify()

    def set_kind(self, kind: str) -> None:
        """Codes × a group (``matrix``) or codes × codes (``cooccurrence``)."""
        self.kind = Kind(kind)
        self.value = DEFAULT_COUNT[self.kind]
        self._redo()

    def set_columns(self, axis: str) -> None:
        """The group the columns show: ``coder``, ``document``, ``participant`` or an
        attribute."""
        self.columns = axis
        self._redo()

    def set_value(self, value: str) -> None:
        """Count ``participants`` or ``segments``."""
        self.value = Count(value)
        self._redo()

    def set_coder(self, coder: str) -> None:
        """Count one coder's codings ("" : everybody's)."""
        self.coder = coder
        self._redo()

    def set_lang(self, lang: str) -> None:
        self.lang = check_lang(lang)
        self._redo()

    def refresh(self) -> None:
        """Count again (after coding elsewhere)."""
        self._attributes = attribute_values(self.project)
        self._redo()

    def fresh(self) -> bool:
        """Whether the transcripts were rewritten (names redacted) since they were read here;
        if so the groups are counted again and the quotes of the open cell put away (its
        column may have been a redacted value), and the status line says so."""
        if not self._texts.changed():
            return False
        self._attributes = attribute_values(self.project)
        self._redo()
        if self.status["state"] != "error":
            self.say("idle", text("retrieve_text_changed", self.lang))
            self.notify()
        return True

    def quotes_for(self, row: int, column: int) -> pd.DataFrame:
        """The quotes behind the count in ``row``, ``column`` of the table."""
        coders = [self.coder] if self.coder else None
        code = self.row_codes[row]
        key = self.column_keys[column]
        codes = [c for c in self.row_codes if c is not None] if code is None else [code]
        if self.kind == Kind.COOCCURRENCE:
            assert code is not None and key is not None  # co-occurrence has no totals
            expression = code if code == key else f"{code} and {key}"
            return self.project.query(expression, coder=coders, lang=self.lang)
        if key is not None and self.columns == "coder":
            if coders is not None and key not in coders:  # another coder than the one counted
                return pd.DataFrame(columns=QUERY_COLUMNS)
            coders = [key]
        frame = self.project.query(codes, coder=coders, lang=self.lang)
        if key is None or self.columns == "coder":
            return frame
        if self.columns in ("document", "participant"):
            return frame[frame[self.columns] == key].reset_index(drop=True)
        people = self.project.participants
        values = people[self.columns].astype(object)
        missing = text("retrieve_no_value", self.lang)
        shown = values.where(values.notna() & (values.astype(str) != ""), missing).astype(str)
        members = set(people.loc[shown == key, "participant"])
        return frame[frame["participant"].isin(members)].reset_index(drop=True)

    def open_cell(self, row: int, column: int) -> None:
        """List the quotes behind a count."""
        try:
            self.quotes = self.quotes_for(row, column)
        except WorkbenchError as exc:
            self.say("error", text("retrieve_error", self.lang, message=exc))
            self.quotes = None
        else:
            self.cell = (row, column)
            self.limit = PAGE
            self.say("idle", "")
        self.notify()

    def more(self) -> None:
        """Show more of the cell's quotes (none after a redaction: they were put away)."""
        if not self.fresh():
            self.limit += PAGE
            self.notify()

    def handle(self, message: Mapping[str, Any]) -> None:
        """Act on one message from the browser (after a redaction, on texts read again: a
        click on a cell of the table drawn before is not acted on)."""
        kind = message.get("type")
        if self.fresh() and kind in ("cell", "more", "refresh"):
            return
        if kind == "kind":
            self.set_kind(str(message["kind"]))
        elif kind == "columns":
            self.set_columns(str(message["columns"]))
        elif kind == "value":
            self.set_value(str(message["value"]))
        elif kind == "coder":
            self.set_coder(str(message.get("coder", "")))
        elif kind == "lang":
            self.set_lang(str(message["lang"]))
        elif kind == "cell":
            self.open_cell(int(message["row"]), int(message["column"]))
        elif kind == "more":
            self.more()
        elif kind == "refresh":
            self.refresh()


class MatrixView(anywidget.AnyWidget):  # type: ignore[misc]
    """Codes × a group (an attribute, coder, document, participant) or codes × codes, counting
    participants or segments; a click on a count lists its quotes.

    ``view.session`` is the :class:`MatrixSession`; ``view.handle(message)`` acts as a click in
    the browser would.

    Examples
    --------
    >>> p = workbench.open("study/")          # doctest: +SKIP
    >>> p.matrix_view()                       # doctest: +SKIP
    """

    _esm = esm("common.js", "retrieve_common.js", "matrix_view.js")
    _css = esm("common.css", "retrieve.css")

    lang = traitlets.Unicode("en").tag(sync=True)
    strings = traitlets.Dict().tag(sync=True)
    options = traitlets.Dict().tag(sync=True)
    choices = traitlets.Dict().tag(sync=True)
    table = traitlets.Dict().tag(sync=True)
    cell = traitlets.Dict().tag(sync=True)
    status = traitlets.Dict().tag(sync=True)

    def __init__(self, project: Project, lang: str | None = None) -> None:
        super().__init__()
        self.session = MatrixSession(project, lang=lang)
        connect(self.session, self, self.handle)

    @traitlets.validate("lang")
    def _valid_lang(self, proposal: Any) -> str:
        return check_lang(str(proposal["value"]))

    def handle(self, message: Mapping[str, Any]) -> None:
        """Act on one front-end message (see :meth:`MatrixSession.handle`)."""
        self.session.handle(message)
