"""The researcher's workspace on a project: retrieve codings, count them, search the texts.

The :class:`~workbench.project.Project` methods ``query``, ``matrix``, ``cooccurrence`` and
``search`` call these functions; the rules live in :mod:`workbench.analysis` (pure pandas),
this module reads what they need from the project and checks the names a user typed.

Reading is kept narrow: a query reads only the codings of the codes its expression names
(and the codes below them), and only the texts of the documents its quotes come from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from workbench import analysis
from workbench.analysis import CODE_AXIS, Count
from workbench.errors import UnknownItem
from workbench.i18n import LANGS

if TYPE_CHECKING:
    from workbench.project._project import Project

#: Matrix axes that are columns of a project's codings frame (not participant attributes).
GROUP_AXES = ("coder", "document", "participant")
#: The columns :func:`query` returns, in order.
QUERY_COLUMNS = [
    "code",
    "label",
    "coder",
    "origin",
    "participant",
    "document",
    "segment",
    "start",
    "end",
    "quote",
    "before",
    "after",
]


def default_lang(project: Project) -> str:
    """The language the tagger would pick: Swedish when most documents are Swedish, else
    English."""
    docs = project.documents
    if not len(docs):
        return "en"
    counts = docs["language"].value_counts()
    return "sv" if len(counts) and counts.index[0] == "sv" else "en"


def _lang(project: Project, lang: str | None) -> str:
    if lang is None:
        return default_lang(project)
    if lang not in LANGS:
        raise UnknownItem(f"language {lang!r} is not one of {', '.join(LANGS)}")
    return lang


def _names(value: str | Sequence[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else [str(v) for v in value]


def attribute_values(project: Project) -> dict[str, list[str]]:
    """Each participant attribute with its values (sorted): the groups a view offers."""
    people = project.participants.drop(columns=["participant_id", "participant"], errors="ignore")
    return {
        column: sorted({str(v) for v in people[column].dropna() if str(v) != ""})
        for column in people.columns
    }


def _check_coders(project: Project, coders: list[str] | None) -> None:
    if coders is None:
        return
    known = project.store.coders()
    for coder in coders:
        if coder not in known:
            listed = ", ".join(known) or "nobody has coded yet"
            raise UnknownItem(f"coder {coder!r} has no codings in this project (coders: {listed})")


def _check_documents(project: Project, documents: list[str] | None) -> None:
    if documents is None:
        return
    known = set(project.documents["document"])
    for name in documents:
        if name not in known:
            raise UnknownItem(f"document {name!r} is not in the project")


def _people_in(project: Project, attributes: Mapping[str, str | Sequence[str]]) -> set[str] | None:
    """The participants whose attributes match every filter (None: no filter)."""
    wanted = {k: _names(v) for k, v in attributes.items() if v is not None}
    if not wanted:
        return None
    people = project.participants
    known = attribute_values(project)
    keep = pd.Series(True, index=people.index)
    for name, values in wanted.items():
        if name not in known:
            listed = ", ".join(known) or "none"
            raise UnknownItem(
                f"attribute {name!r} is not a participant attribute (known: {listed})"
            )
        for value in values or []:
            if value not in known[name]:
                raise UnknownItem(
                    f"{name} {value!r} is not a value any participant has "
                    f"(values: {', '.join(known[name])})"
                )
        keep &= people[name].astype(str).isin(values or [])
    return set(people.loc[keep, "participant"])


def _expression(
    project: Project, code: str | Sequence[str] | None
) -> tuple[analysis.CodeExpression | None, dict[str, list[str]]]:
    """The parsed expression and what each of its codes stands for (itself and the codes
    below it)."""
    if code is None:
        return None, {}
    book = project.codebook
    expression = analysis.parse_codes(code, known=book.ids())
    return expression, analysis.code_scope(book, analysis.expression_codes(expression))


def _codings(
    project: Project,
    scope: Mapping[str, list[str]],
    coders: list[str] | None,
) -> pd.DataFrame:
    wanted = sorted({c for codes in scope.values() for c in codes}) if scope else None
    return project.codings(coder=coders, code=wanted)


def query(
    project: Project,
    code: str | Sequence[str] | None = None,
    *,
    coder: str | Sequence[str] | None = None,
    document: str | Sequence[str] | None = None,
    text: str | None = None,
    lang: str | None = None,
    context: int = 80,
    attributes: Mapping[str, str | Sequence[str]] | None = None,
) -> pd.DataFrame:
    """Every coding that matches, one row each, with its full quote and context.

    See :meth:`Project.query`.  ``text`` keeps quotes that contain it (case ignored, accents
    kept: ``här`` is not ``har``).  Rows are in document order; columns :data:`QUERY_COLUMNS`.

    Raises
    ------
    InvalidCode
        For an unknown code or a malformed expression.
    UnknownItem
        For a coder without codings, an unknown document, attribute or attribute value.
    """
    lang = _lang(project, lang)
    coders, documents = _names(coder), _names(document)
    _check_coders(project, coders)
    _check_documents(project, documents)
    people = _people_in(project, attributes or {})
    expression, scope = _expression(project, code)
    frame = _codings(project, scope, coders)
    if documents is not None:
        frame = frame[frame["document"].isin(documents)]
    if people is not None:
        frame = frame[frame["participant"].isin(people)]
    if expression is not None:
        frame = analysis.select_codings(frame, expression, scope=scope)
    if text:
        frame = frame[analysis.text_contains(frame["quote"], text)]
    labels = dict(analysis.code_rows(project.codebook, lang=lang, present=frame["code"]))
    frame = frame.assign(label=frame["code"].map(labels).fillna(frame["code"]))
    docs = project.documents.set_index("document")["document_id"]
    texts = {
        name: project.store.document_text(int(docs[name])) for name in frame["document"].unique()
    }
    frame = analysis.add_context(frame, texts, width=context)
    return frame[QUERY_COLUMNS].reset_index(drop=True)


def _axis_frame(project: Project, frame: pd.DataFrame, axes: Sequence[str]) -> pd.DataFrame:
    """``frame`` with the participant attributes that ``axes`` name joined in."""
    known = attribute_values(project)
    wanted = [a for a in axes if a != CODE_AXIS and a not in GROUP_AXES]
    for axis in wanted:
        if axis not in known:
            choices = ", ".join([CODE_AXIS, *GROUP_AXES, *known])
            raise UnknownItem(f"matrix: {axis!r} is not one of {choices}")
    if not wanted:
        return frame
    people = project.participants[["participant", *wanted]]
    return frame.merge(people, on="participant", how="left")


def _matrix_codings(
    project: Project, code: str | Sequence[str] | None, coder: str | Sequence[str] | None
) -> tuple[pd.DataFrame, list[str] | None]:
    """The codings a matrix counts and its code rows (None: every codable code)."""
    coders = _names(coder)
    _check_coders(project, coders)
    expression, scope = _expression(project, code)
    frame = _codings(project, scope, coders)
    if expression is None:
        return frame, None
    frame = analysis.select_codings(frame, expression, scope=scope)
    rows = [
        c for named in analysis.expression_codes(expression, positive=True) for c in scope[named]
    ]
    return frame, rows


def matrix(
    project: Project,
    rows: str = CODE_AXIS,
    columns: str = "coder",
    value: str = Count.PARTICIPANTS,
    *,
    code: str | Sequence[str] | None = None,
    coder: str | Sequence[str] | None = None,
    lang: str | None = None,
    total: bool = True,
) -> pd.DataFrame:
    """Codes × a group (an attribute, ``coder``, ``document`` or ``participant``): distinct
    participants or segments per cell, code labels in ``lang``, a total row and column.

    ``code`` (ids, a list or an expression) picks the code rows and, for an expression, the
    segments where it holds.  See :func:`workbench.analysis.code_matrix`.
    """
    lang = _lang(project, lang)
    frame, codes = _matrix_codings(project, code, coder)
    frame = _axis_frame(project, frame, (rows, columns))
    return analysis.code_matrix(
        frame,
        project.codebook,
        rows=rows,
        columns=columns,
        value=value,
        lang=lang,
        codes=codes,
        total=total,
    )


def cooccurrence(
    project: Project,
    *,
    code: str | Sequence[str] | None = None,
    coder: str | Sequence[str] | None = None,
    value: str = Count.SEGMENTS,
    lang: str | None = None,
) -> pd.DataFrame:
    """Code × code: segments (or participants) where both codes occur, labels in ``lang``.

    See :func:`workbench.analysis.code_cooccurrence`.
    """
    lang = _lang(project, lang)
    frame, codes = _matrix_codings(project, code, coder)
    return analysis.code_cooccurrence(frame, project.codebook, value=value, lang=lang, codes=codes)


def search(
    project: Project,
    text: str,
    *,
    whole_word: bool = True,
    regex: bool = False,
    document: str | Sequence[str] | None = None,
    role: str | None = "interviewee",
    context: int = 40,
) -> pd.DataFrame:
    """Where ``text`` occurs in the segments (``role``'s only, unless None): one row per hit.

    See :func:`workbench.analysis.search_segments` for the matching rules and columns.
    """
    documents = _names(document)
    _check_documents(project, documents)
    segments = project.segments(document=documents, role=role)
    return analysis.search_segments(
        segments, text, whole_word=whole_word, regex=regex, context=context
    )
