"""Retrieval: codings by code expression, quotes in context, code matrices, text search.

Pure functions over pandas frames (no SQL, no widgets); ``workbench.project`` feeds them a
project's codings, segments and document texts.  What they promise:

* **Code expressions** (:func:`parse_codes`) combine code ids with ``and`` / ``or`` / ``not``
  (or ``&`` / ``|`` / ``!``) and parentheses, ``not`` binding tightest and ``or`` loosest.  A
  list means "any of".  The expression is judged per *segment*: a segment qualifies when the
  expression holds for the codes it carries, and the codings returned are that segment's
  codings of the codes named positively (``a and not b`` returns the ``a`` codings).  A code
  stands for itself and the codes below it when a scope is given (:func:`code_scope`), so a
  group such as ``pq-functional`` finds every functional-quality coding.
* **Context** (:func:`context_around`) is about ``width`` characters either side of a quote,
  cut at whitespace so that no word is broken; ``before`` ends where the quote starts and
  ``after`` starts where it ends, so ``before + quote + after`` is a slice of the text.
* **Matrices** count distinct participants or segments (a coding applied by two coders or
  twice in one segment counts once), labels in the chosen language, codes in codebook order.
* **Search** (:func:`search_segments`) ignores case but not accents: ``ä`` is a letter of its
  own, not ``a`` with a mark, so ``har`` never finds ``här``.  Texts are compared casefolded
  and composed (``a`` + combining diaeresis is ``ä``), offsets are code points of the original
  text, and whole words use Unicode word boundaries.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from workbench.errors import InvalidCode, InvalidQuery
from workbench.i18n import text as _text

if TYPE_CHECKING:
    from workbench.codebook import Codebook


class Count(StrEnum):
    """What a matrix cell counts: distinct participants or distinct segments."""

    PARTICIPANTS = "participants"
    SEGMENTS = "segments"


#: The matrix axis made of codes (every other axis is a column of the codings frame).
CODE_AXIS = "code"
#: Marks around a search hit in ``snippet``.
HIT_MARK = ("**", "**")
#: Shown where a snippet or context is cut short.
ELLIPSIS = "…"
#: Characters of a word: Unicode letters, digits, ``_`` and combining marks (``e`` + U+0301).
_WORD = r"[\w\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"


# -- code expressions ---------------------------------------------------------------------------
@dataclass(frozen=True)
class CodeTerm:
    """One code id in an expression."""

    code: str

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True)
class NotExpr:
    """``not operand``: the operand's codes are absent from the segment."""

    operand: CodeExpression

    def __str__(self) -> str:
        inner = str(self.operand)
        return f"not {inner}" if isinstance(self.operand, CodeTerm | NotExpr) else f"not ({inner})"


@dataclass(frozen=True)
class AndExpr:
    """Every operand holds on the same segment."""

    operands: tuple[CodeExpression, ...]

    def __str__(self) -> str:
        return " and ".join(f"({o})" if isinstance(o, OrExpr) else str(o) for o in self.operands)


@dataclass(frozen=True)
class OrExpr:
    """At least one operand holds on the segment."""

    operands: tuple[CodeExpression, ...]

    def __str__(self) -> str:
        return " or ".join(str(o) for o in self.operands)


CodeExpression = CodeTerm | NotExpr | AndExpr | OrExpr

_TOKEN = re.compile(r"\s*(?:(?P<op>[()&|!])|(?P<word>[^\s()&|!]+))")
_KEYWORDS = {"and": "&", "or": "|", "not": "!"}


def parse_codes(
    expression: str | Sequence[str], known: Iterable[str] | None = None
) -> CodeExpression:
    """Parse a code expression: ``"bp-needs and (fq-trust or fq-behaviour) and not val-positive"``.

    Parameters
    ----------
    expression
        Code ids joined by ``and``/``or``/``not`` (any case) or ``&``/``|``/``!``, with
        parentheses; a list of such expressions means "any of them".
    known
        The code ids that exist; an id not among them is refused (``None``: any id).

    Raises
    ------
    InvalidCode
        Naming the unknown code (and a close id, if there is one) or the position of a syntax
        error (counted from 1).

    Examples
    --------
    >>> str(parse_codes("a & !(b | c)"))
    'a and not (b or c)'
    >>> str(parse_codes(["a", "b and c"]))
    'a or b and c'
    """
    ids = None if known is None else list(known)
    if not isinstance(expression, str):
        items = list(expression)
        if not items:
            raise InvalidCode("code expression: the list of codes is empty")
        parts = [_Parser(str(item), ids).parse() for item in items]
        return parts[0] if len(parts) == 1 else OrExpr(tuple(parts))
    return _Parser(expression, ids).parse()


class _Parser:
    """Recursive descent: or-expression := and-expression ('or' and-expression)*, and so on."""

    def __init__(self, source: str, known: list[str] | None) -> None:
        self.source = source
        self.known = known
        self.tokens: list[tuple[str, str, int]] = []  # (kind, value, position from 1)
        at = 0
        while at < len(source):
            found = _TOKEN.match(source, at)
            if found is None or found.end() == at:  # only trailing spaces are left
                break
            if found.group("op"):
                self.tokens.append(("op", found.group("op"), found.start("op") + 1))
            elif found.group("word"):
                word = found.group("word")
                if word.lower() in _KEYWORDS:
                    self.tokens.append(("op", _KEYWORDS[word.lower()], found.start("word") + 1))
                else:
                    self.tokens.append(("code", word, found.start("word") + 1))
            at = found.end()
        self.index = 0

    def fail(self, what: str, position: int | None = None) -> InvalidCode:
        at = position if position is not None else len(self.source.rstrip()) + 1
        return InvalidCode(f"code expression {self.source!r}: {what} at position {at}")

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def parse(self) -> CodeExpression:
        if not self.tokens:
            raise InvalidCode(f"code expression {self.source!r}: no code given")
        expr = self.either()
        extra = self.peek()
        if extra is not None:
            if extra[1] == ")" and extra[0] == "op":
                raise self.fail("')' without '('", extra[2])
            shown = "not" if extra[1] == "!" and extra[0] == "op" else extra[1]
            raise self.fail(f"'and' or 'or' is missing before {shown!r}", extra[2])
        return expr

    def either(self) -> CodeExpression:
        parts = [self.both()]
        while (token := self.peek()) is not None and token[1] == "|" and token[0] == "op":
            self.index += 1
            parts.append(self.both())
        return parts[0] if len(parts) == 1 else OrExpr(tuple(parts))

    def both(self) -> CodeExpression:
        parts = [self.single()]
        while (token := self.peek()) is not None and token[1] == "&" and token[0] == "op":
            self.index += 1
            parts.append(self.single())
        return parts[0] if len(parts) == 1 else AndExpr(tuple(parts))

    def single(self) -> CodeExpression:
        token = self.peek()
        if token is None:
            raise self.fail("a code is missing")
        kind, value, position = token
        self.index += 1
        if kind == "code":
            if self.known is not None and value not in self.known:
                same = [k for k in self.known if k.casefold() == value.casefold()]
                close = same or difflib.get_close_matches(value, self.known, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise InvalidCode(
                    f"code expression {self.source!r}: unknown code {value!r} at position "
                    f"{position}{hint}"
                )
            return CodeTerm(value)
        if value == "!":
            return NotExpr(self.single())
        if value == "(":
            inner = self.either()
            closing = self.peek()
            if closing is None or closing[1] != ")":
                raise self.fail("')' is missing", closing[2] if closing else None)
            self.index += 1
            return inner
        shown = {"&": "and", "|": "or"}.get(value, value)
        raise self.fail(f"a code is missing before {shown!r}", position)


def expression_codes(expression: CodeExpression, *, positive: bool = False) -> list[str]:
    """The code ids an expression names, in order of appearance (each once).

    With ``positive`` only those not negated (under an even number of ``not``): the codes
    whose codings a query returns.
    """
    found: dict[str, None] = {}

    def walk(node: CodeExpression, negated: bool) -> None:
        if isinstance(node, CodeTerm):
            if not (positive and negated):
                found.setdefault(node.code)
        elif isinstance(node, NotExpr):
            walk(node.operand, not negated)
        else:
            for operand in node.operands:
                walk(operand, negated)

    walk(expression, False)
    return list(found)


def code_scope(codebook: Codebook, codes: Iterable[str]) -> dict[str, list[str]]:
    """Each code with the codes below it: what a code in an expression stands for.

    A group code that is not codable (``pq-functional``) would otherwise find nothing.
    Ids that are not in the codebook stand for themselves.
    """
    return {
        code: [code, *codebook.descendants(code)] if code in codebook else [code] for code in codes
    }


def _mask(node: CodeExpression, present: Mapping[str, np.ndarray]) -> np.ndarray:
    if isinstance(node, CodeTerm):
        return present[node.code]
    if isinstance(node, NotExpr):
        return ~_mask(node.operand, present)
    masks = [_mask(o, present) for o in node.operands]
    combine = np.logical_and if isinstance(node, AndExpr) else np.logical_or
    out = masks[0]
    for other in masks[1:]:
        out = combine(out, other)
    return out


def select_codings(
    codings: pd.DataFrame,
    expression: CodeExpression,
    *,
    scope: Mapping[str, Collection[str]] | None = None,
) -> pd.DataFrame:
    """The codings an expression retrieves, judged segment by segment.

    A segment qualifies when ``expression`` holds for the codes its codings carry (filter the
    coders first: it is their codes that count).  The rows kept are the qualifying segments'
    codings of the codes named positively.  ``scope`` maps an expression's code to the codes
    it stands for (see :func:`code_scope`); by default each code stands for itself.

    Raises
    ------
    InvalidCode
        When the expression names no code positively (``not a``): it would select segments
        without saying which codings to return.
    """
    named = expression_codes(expression)
    wanted = expression_codes(expression, positive=True)
    if not wanted:
        raise InvalidCode(
            f"code expression {str(expression)!r}: names no code to retrieve, only codes to "
            "leave out; add one (e.g. 'a and not b')"
        )
    stands = {code: set(scope.get(code, [code]) if scope else [code]) for code in named}
    if codings.empty:
        return codings.iloc[0:0]
    segments, where = np.unique(codings["segment"].to_numpy(), return_inverse=True)
    code_column = codings["code"]
    present: dict[str, np.ndarray] = {}
    for code in named:
        has = np.zeros(len(segments), dtype=bool)
        has[where[code_column.isin(stands[code]).to_numpy()]] = True
        present[code] = has
    holds = _mask(expression, present)
    returned = set().union(*(stands[code] for code in wanted))
    keep = holds[where] & code_column.isin(returned).to_numpy()
    return codings[keep]


# -- context ------------------------------------------------------------------------------------
def context_around(text: str, start: int, end: int, width: int = 80) -> tuple[str, str]:
    """About ``width`` characters of ``text`` before ``start`` and after ``end``.

    The context is cut at whitespace so that no word is broken (a window inside one long word
    gives nothing) and stripped at its outer edge: ``text[start - len(before):start] ==
    before`` and ``text[end:end + len(after)] == after``.

    Examples
    --------
    >>> context_around("We waited for the bus in the rain.", 18, 21, 10)
    ('for the ', ' in the')
    """
    if width <= 0:
        return "", ""
    low = max(0, start - width)
    before = text[low:start]
    if low > 0 and not text[low - 1].isspace() and before and not before[0].isspace():
        cut = next((i for i, ch in enumerate(before) if ch.isspace()), len(before))
        before = before[cut:]
    high = min(len(text), end + width)
    after = text[end:high]
    if high < len(text) and not text[high].isspace() and after and not after[-1].isspace():
        cut = next((i for i in range(len(after) - 1, -1, -1) if after[i].isspace()), -1)
        after = after[: cut + 1] if cut >= 0 else ""
    return before.lstrip(), after.rstrip()


def add_context(
    quotes: pd.DataFrame,
    texts: Mapping[object, str],
    *,
    width: int = 80,
    key: str = "document",
) -> pd.DataFrame:
    """``quotes`` with ``before`` and ``after`` columns: the context of each row's ``start``-
    ``end`` span in ``texts[row[key]]`` (see :func:`context_around`)."""
    befores: list[str] = []
    afters: list[str] = []
    for doc, start, end in zip(quotes[key], quotes["start"], quotes["end"], strict=True):
        before, after = context_around(texts[doc], int(start), int(end), width)
        befores.append(before)
        afters.append(after)
    return quotes.assign(
        before=pd.Series(befores, index=quotes.index, dtype=object),
        after=pd.Series(afters, index=quotes.index, dtype=object),
    )


# -- matrices -----------------------------------------------------------------------------------
def code_rows(
    codebook: Codebook,
    codes: Iterable[str] | None = None,
    *,
    lang: str = "en",
    present: Iterable[str] = (),
) -> list[tuple[str, str]]:
    """``(code id, label)`` of the codable codes in codebook order: all of them, or those in
    ``codes``; codes in ``present`` that the codebook no longer has come last, labelled by id.

    A label two codes share is told apart by its path (``Process › Trust``).
    """
    chosen = None if codes is None else set(codes)
    rows = [
        (c.id, c.name(lang))
        for c in codebook.codes
        if c.codable and (chosen is None or c.id in chosen)
    ]
    labels = [label for _, label in rows]
    rows = [
        (code, " › ".join(codebook.path(code, lang)) if labels.count(label) > 1 else label)
        for code, label in rows
    ]
    ids = {c.id for c in codebook.codes}
    rows += [
        (c, c) for c in dict.fromkeys(present) if c not in ids and (chosen is None or c in chosen)
    ]
    return rows


def _count_column(value: str) -> str:
    try:
        return {Count.PARTICIPANTS: "participant", Count.SEGMENTS: "segment"}[Count(value)]
    except ValueError:
        raise InvalidQuery(
            f"matrix: value must be 'participants' or 'segments', not {value!r}"
        ) from None


def code_matrix(
    codings: pd.DataFrame,
    codebook: Codebook,
    *,
    rows: str = CODE_AXIS,
    columns: str = "coder",
    value: str = Count.PARTICIPANTS,
    lang: str = "en",
    codes: Iterable[str] | None = None,
    total: bool = True,
) -> pd.DataFrame:
    """A table of counts: codes against a group (an attribute, ``coder``, ``document``, ...).

    Parameters
    ----------
    codings
        One row per coding with ``segment``, ``participant``, ``code`` and the column(s) named
        by ``rows`` / ``columns`` (participant attributes joined in).
    rows, columns
        ``"code"`` or a column of ``codings``; one of them is usually ``"code"``.
    value
        ``"participants"`` or ``"segments"``: distinct ones per cell.
    codes
        The code rows (codable codes in codebook order); default: every codable code, so a
        code nobody raised shows as zeros.
    total
        Add a total row and column: distinct participants/segments over the row or column
        (not sums: one participant with two codes counts once).

    Returns
    -------
    pandas.DataFrame
        Integer counts; code axes are labelled in ``lang``; group values sorted, a missing
        value shown as "(no value)".
    """
    counted = _count_column(value)
    for axis in (rows, columns):
        if axis != CODE_AXIS and axis not in codings:
            raise InvalidQuery(f"matrix: {axis!r} is not a code, coder, document or attribute")
    code_list = code_rows(codebook, codes, lang=lang, present=codings["code"])
    code_ids = [c for c, _ in code_list]
    frame = codings[codings["code"].isin(code_ids)]
    missing = _text("retrieve_no_value", lang)
    keys: dict[str, list[object]] = {}
    names: dict[str, list[str]] = {}
    series: dict[str, pd.Series] = {}
    for axis in (rows, columns):
        if axis == CODE_AXIS:
            keys[axis] = list(code_ids)
            names[axis] = [label for _, label in code_list]
            series[axis] = frame["code"]
        else:
            given = frame[axis].notna() & (frame[axis].astype(str) != "")
            column = frame[axis].astype(object).where(given, missing)
            values = sorted({str(v) for v in column if v != missing})
            if (column == missing).any():
                values.append(missing)
            keys[axis] = list(values)
            names[axis] = list(values)
            series[axis] = column.map(str)
    if rows == columns:
        raise InvalidQuery(f"matrix: rows and columns are both {rows!r}")
    grouped = (
        pd.DataFrame({"r": series[rows], "c": series[columns], "v": frame[counted]})
        .groupby(["r", "c"], sort=False)["v"]
        .nunique()
    )
    table = (
        grouped.unstack("c").reindex(index=keys[rows], columns=keys[columns]).fillna(0).astype(int)
        if len(grouped)
        else pd.DataFrame(0, index=keys[rows], columns=keys[columns], dtype=int)
    )
    table.index = pd.Index(names[rows], name=rows)
    table.columns = pd.Index(names[columns], name=columns)
    if total:
        label = _text("retrieve_total", lang)
        by_row = pd.DataFrame({"r": series[rows], "v": frame[counted]}).groupby("r")["v"].nunique()
        by_col = (
            pd.DataFrame({"c": series[columns], "v": frame[counted]}).groupby("c")["v"].nunique()
        )
        table[label] = by_row.reindex(keys[rows]).fillna(0).astype(int).to_numpy()
        bottom = by_col.reindex(keys[columns]).fillna(0).astype(int).tolist()
        table.loc[label] = [*bottom, int(frame[counted].nunique())]
    return table


def code_cooccurrence(
    codings: pd.DataFrame,
    codebook: Codebook,
    *,
    value: str = Count.SEGMENTS,
    lang: str = "en",
    codes: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Code × code: how many segments (or participants, on some segment) carry both codes.

    The diagonal counts the segments (participants) with the code.  Rows and columns are the
    codable codes in codebook order that occur in ``codings`` (or the given ``codes``, zeros
    included), labelled in ``lang``.
    """
    counted = _count_column(value)
    present = list(dict.fromkeys(codings["code"]))
    code_list = code_rows(
        codebook, codes if codes is not None else present, lang=lang, present=present
    )
    ids = [c for c, _ in code_list]
    labels = pd.Index([label for _, label in code_list])
    pairs = codings.loc[codings["code"].isin(ids), ["segment", "participant", "code"]]
    pairs = pairs.drop_duplicates(["segment", "code"])
    result = np.zeros((len(ids), len(ids)), dtype=np.int64)
    if len(pairs):
        column = {code: i for i, code in enumerate(ids)}
        segments, row = np.unique(pairs["segment"].to_numpy(), return_inverse=True)
        incidence = np.zeros((len(segments), len(ids)), dtype=np.int64)
        incidence[row, pairs["code"].map(column).to_numpy()] = 1
        if counted == "segment":
            result = incidence.T @ incidence
        else:
            owner = pairs.drop_duplicates("segment").set_index("segment")["participant"]
            people = owner.reindex(segments).to_numpy()
            for person in pd.unique(people[pd.notna(people)]):
                mine = incidence[people == person]
                result += ((mine.T @ mine) > 0).astype(np.int64)
    return pd.DataFrame(result.astype(int), index=labels, columns=labels)


# -- search -------------------------------------------------------------------------------------
def fold(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """``text`` casefolded and composed (NFC), with a map back to ``text``'s code points.

    Returns ``(folded, starts, ends)``: folded character ``i`` comes from ``text[starts[i]:
    ends[i]]``.  Both maps are ``None`` when each character folds to exactly one (the usual
    case, checked quickly), so offsets carry over unchanged.
    """
    folded = text.casefold()
    if len(folded) == len(text) and unicodedata.is_normalized("NFC", text):
        return folded, None, None
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        piece = unicodedata.normalize("NFC", text[i:j].casefold())
        pieces.append(piece)
        starts.extend([i] * len(piece))
        ends.extend([j] * len(piece))
        i = j
    return "".join(pieces), starts, ends


def search_pattern(text: str, *, whole_word: bool = True, regex: bool = False) -> re.Pattern[str]:
    """The compiled pattern :func:`search_segments` runs over folded texts.

    Raises
    ------
    InvalidQuery
        For an empty search or a regular expression that does not compile.
    """
    if not text or not text.strip():
        raise InvalidQuery("search: give a word, a phrase or a pattern to look for")
    body = unicodedata.normalize("NFC", text) if regex else re.escape(fold(text.strip())[0])
    if whole_word:
        body = f"(?<!{_WORD})(?:{body})(?!{_WORD})"
    try:
        return re.compile(body, re.IGNORECASE)
    except re.error as exc:
        raise InvalidQuery(
            f"search: {text!r} is not a valid regular expression ({exc.msg} at position "
            f"{(exc.pos or 0) + 1})"
        ) from exc


def find_all(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """``(start, end)`` code-point spans of ``pattern``'s non-empty matches in ``text``
    (matched on the folded text, see :func:`fold`)."""
    folded, starts, ends = fold(text)
    spans = [(m.start(), m.end()) for m in pattern.finditer(folded) if m.end() > m.start()]
    if starts is None or ends is None:
        return spans
    return [(starts[s], ends[e - 1]) for s, e in spans]


SEARCH_COLUMNS = [
    "document",
    "segment",
    "participant",
    "speaker",
    "start",
    "end",
    "match",
    "before",
    "after",
    "snippet",
]


def search_segments(
    segments: pd.DataFrame,
    text: str,
    *,
    whole_word: bool = True,
    regex: bool = False,
    context: int = 40,
) -> pd.DataFrame:
    """Every occurrence of ``text`` in the segments' texts, one row per hit.

    Parameters
    ----------
    segments
        Columns ``segment``, ``document``, ``participant``, ``text`` and ``start`` (the
        segment's offset in its document); ``speaker`` when known.
    text
        A word or phrase (any case), or a regular expression with ``regex``.
    whole_word
        Only hits that start and end at a word boundary: ``telefon`` does not find
        ``telefonen``.
    context
        Characters either side of the hit in ``snippet``, cut at word boundaries.

    Returns
    -------
    pandas.DataFrame
        document, segment, participant, speaker, start, end (code points in the document),
        match (the text found), before, after, and snippet (the hit between ``**``, an
        ellipsis where the segment goes on), in the segments' order.
    """
    pattern = search_pattern(text, whole_word=whole_word, regex=regex)
    rows: list[tuple[object, ...]] = []
    speakers = segments["speaker"] if "speaker" in segments else pd.Series([None] * len(segments))
    for seg, doc, who, speaker, body, offset in zip(
        segments["segment"],
        segments["document"],
        segments["participant"],
        speakers,
        segments["text"],
        segments["start"],
        strict=True,
    ):
        if not isinstance(body, str):
            continue
        for start, end in find_all(pattern, body):
            before, after = context_around(body, start, end, context)
            lead = ELLIPSIS if start - len(before) > 0 and before else ""
            tail = ELLIPSIS if end + len(after) < len(body) and after else ""
            hit = body[start:end]
            snippet = f"{lead}{before}{HIT_MARK[0]}{hit}{HIT_MARK[1]}{after}{tail}"
            base = int(offset)
            rows.append(
                (doc, int(seg), who, speaker, base + start, base + end, hit, before, after, snippet)
            )
    frame = pd.DataFrame(rows, columns=SEARCH_COLUMNS)
    for column in ("segment", "start", "end"):
        frame[column] = frame[column].astype(int)
    return frame


def text_contains(texts: pd.Series, text: str) -> pd.Series:
    """Which of ``texts`` contain ``text`` anywhere (case ignored, accents kept): the quote
    filter of a query."""
    pattern = search_pattern(text, whole_word=False)

    def test(value: object) -> bool:
        return isinstance(value, str) and bool(find_all(pattern, value))

    return texts.map(test).astype(bool)
