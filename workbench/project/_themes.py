"""Emergent themes in a project: candidate themes among one code's quotes, and adopting one.

Grönroos's frame says *where* to look (needs, expectations, information gaps); a theme says
*what* the interviewees said there.  :func:`themes` reads the quotes coded with a code (or any
code below it) and hands them to :func:`workbench.analysis.propose_themes` with the rest of the
study as background; :func:`adopt_theme` turns a candidate the researcher accepted into a child
code of that code and codes its quotes with it, marked as coming from a theme (origin
``theme``), in one audited transaction that :meth:`Project.undo` takes back as a whole.

>>> p.themes("bp-information-gaps")[["label", "n_segments", "n_participants"]]  # doctest: +SKIP
>>> p.adopt_theme("bp-information-gaps", "How to appeal", [12, 40, 77])        # doctest: +SKIP
'how-to-appeal'
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from workbench import codebook as cb
from workbench.analysis import propose_themes
from workbench.codebook import Code
from workbench.errors import AnalysisError, InvalidCode, UnknownItem
from workbench.i18n import LANGS
from workbench.project._predictions import TABLE_FORMATS, Source
from workbench.store import Origin

if TYPE_CHECKING:
    from workbench.codebook import Codebook
    from workbench.project._project import Project

__all__ = [
    "EXTRA_COLUMNS",
    "CuratedTheme",
    "Curation",
    "clear_curation",
    "load_curation",
    "save_curation",
    "QUOTE_COLUMNS",
    "ThemeAdoptedAlready",
    "ThemeLabelTaken",
    "ThemeQuotes",
    "UnknownCoder",
    "adopt_theme",
    "coded_below",
    "most_coded",
    "sources",
    "study_language",
    "theme_quotes",
    "themes",
]

#: Codings that count as a person's reading of a quote: their own decisions and suggestions
#: they accepted.  Codings from adopted themes are the finder's own output, not evidence.
QUOTE_ORIGINS = (Origin.HUMAN, Origin.SUGGESTION)
#: The columns of :func:`theme_quotes`, in order.
QUOTE_COLUMNS = ["segment", "participant", "document", "language", "spans", "text"]
#: Between two separate coded spans of one segment.
SPAN_JOINER = " … "
#: Longest id made from a theme's label (the database allows 100 characters).
MAX_ID = 60
#: Columns :func:`themes` adds to :func:`workbench.analysis.propose_themes`'s: the code below
#: the parent that already holds most of the candidate's quotes (None: none) and how many.
EXTRA_COLUMNS = ["existing", "n_existing"]


class ThemeLabelTaken(InvalidCode):
    """The label of a theme being adopted is already some code's label (in either language)."""

    def __init__(self, label: str, existing: str) -> None:
        self.label = label
        self.existing = existing
        super().__init__(f"{label!r} is already the label of the code {existing!r}")


class ThemeAdoptedAlready(InvalidCode):
    """The quotes of a theme being adopted are those of a theme adopted before."""

    def __init__(self, n: int, existing: str) -> None:
        self.n = n
        self.existing = existing
        super().__init__(f"these {n} quotes were already adopted as the code {existing!r}")


class UnknownCoder(UnknownItem):
    """A coder who has coded nothing in the project."""

    def __init__(self, coder: str, known: Sequence[str]) -> None:
        self.coder = coder
        shown = ", ".join(known) if known else "none yet"
        super().__init__(f"coder {coder!r} has coded nothing in this project (coders: {shown})")

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


@dataclass(frozen=True)
class ThemeQuotes:
    """A code's quotes and the study around them: what the finder reads.

    Attributes
    ----------
    code : str
        The code whose quotes these are.
    quotes : DataFrame
        One row per segment coded with the code or a code below it (:data:`QUOTE_COLUMNS`).
    background : list of str
        Every other interviewee segment: which words keep company in this study.
    language : str
        ``"sv"`` or ``"en"`` when every document is in that language, else ``"auto"``.
    """

    code: str
    quotes: pd.DataFrame
    background: list[str]
    language: str


def _code(p: Project, code: str) -> Codebook:
    book = p.codebook
    if code not in book:
        raise UnknownItem(f"code {code!r} is not in the codebook")
    return book


def study_language(p: Project) -> str:
    """The language of the study: ``"sv"`` or ``"en"`` when all its documents are in it,
    ``"auto"`` (each quote its own) when they differ."""
    languages = {str(x) for x in p.documents["language"]} & set(LANGS)
    return languages.pop() if len(languages) == 1 else "auto"


def sources(p: Project) -> dict[str, Source]:
    """Document name -> whether it is an interview or a survey answer (a table's row)."""
    docs = p.documents
    return {
        str(d): Source.SURVEY if str(f).lower() in TABLE_FORMATS else Source.INTERVIEWS
        for d, f in zip(docs["document"], docs["format"], strict=True)
    }


def _merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching spans joined, in order."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def theme_quotes(
    p: Project, code: str, *, coder: str | None = None, source: str | None = None
) -> ThemeQuotes:
    """The quotes coded with ``code`` or any code below it, one row per segment.

    ``source`` keeps the quotes of interviews or of survey answers only (:class:`Source`;
    None: both), as the dashboards keep them apart.

    ``coder`` reads one coder's codings; None reads every coder's (origins
    :data:`QUOTE_ORIGINS`).  A segment's text is what was coded there: its coded spans joined
    (two coders' overlapping spans become one), ``spans`` their ``(start, end)`` document
    offsets.
    """
    book = _code(p, code)
    if coder is not None and coder not in (known := p.store.coders()):
        raise UnknownCoder(coder, known)
    if source is not None and source not in set(Source):
        raise UnknownItem(f"source {source!r} is not one of {', '.join(str(x) for x in Source)}")
    source_by_document = sources(p) if source is not None else {}
    family = [code, *book.descendants(code)]
    codings = p.codings(coder=coder, code=family)
    codings = codings[codings["origin"].isin([str(o) for o in QUOTE_ORIGINS])]
    segments = p.segments(role="interviewee")
    coded = set(codings["segment"].astype(int))
    text_of = dict(zip(segments["segment"].astype(int), segments["text"], strict=True))
    start_of = dict(zip(segments["segment"].astype(int), segments["start"], strict=True))
    rows = []
    for segment, group in codings.groupby("segment", sort=True):
        sid = int(segment)
        if sid not in text_of:  # an interviewer's turn coded in a study that codes them
            continue
        if source is not None and source_by_document[str(group.iloc[0]["document"])] != source:
            continue
        spans = _merge_spans(zip(group["start"].astype(int), group["end"].astype(int), strict=True))
        base = int(start_of[sid])
        text = SPAN_JOINER.join(text_of[sid][s - base : e - base].strip() for s, e in spans)
        first = group.iloc[0]
        rows.append(
            {
                "segment": sid,
                "participant": "" if pd.isna(first["participant"]) else str(first["participant"]),
                "document": str(first["document"]),
                "spans": spans,
                "text": text,
            }
        )
    quotes = pd.DataFrame(rows, columns=[c for c in QUOTE_COLUMNS if c != "language"])
    language = dict(zip(segments["segment"].astype(int), segments["language"], strict=True))
    quotes.insert(3, "language", [str(language[s]) for s in quotes["segment"]])
    background = [str(t) for s, t in text_of.items() if s not in coded]
    return ThemeQuotes(code, quotes, background, study_language(p))


def themes(
    p: Project,
    code: str,
    *,
    coder: str | None = None,
    k: int | None = None,
    seed: int = 0,
    quotes: ThemeQuotes | None = None,
    source: str | None = None,
) -> pd.DataFrame:
    """Candidate themes among the quotes of ``code`` (see :meth:`Project.themes`);
    ``quotes`` saves reading them again when the caller has them; ``source`` as for
    :func:`theme_quotes`."""
    read = quotes if quotes is not None else theme_quotes(p, code, coder=coder, source=source)
    frame = propose_themes(
        read.quotes[["segment", "participant", "text", "language"]],
        k=k,
        seed=seed,
        language=read.language,
        background=read.background,
    )
    coded = coded_below(p, code)
    found = [most_coded(coded, segments) for segments in frame["segments"]]
    frame["existing"] = pd.Series([f[0] if f else None for f in found], dtype=object)
    frame["n_existing"] = pd.Series([f[1] if f else 0 for f in found], dtype="int64")
    return frame


def coded_below(p: Project, code: str) -> dict[int, set[str]]:
    """Segment -> the codes below ``code`` it is coded with (by anyone, any origin): what a
    candidate theme may merely repeat."""
    below = p.codebook.descendants(code)
    if not below:
        return {}
    codings = p.codings(code=list(below))
    out: dict[int, set[str]] = {}
    for segment, child in zip(codings["segment"].astype(int), codings["code"], strict=True):
        out.setdefault(int(segment), set()).add(str(child))
    return out


def most_coded(coded: Mapping[int, set[str]], segments: Iterable[int]) -> tuple[str, int] | None:
    """The code (of :func:`coded_below`) that most of ``segments`` carry and how many carry
    it (ties: the first id); None when none carries any."""
    counts: Counter[str] = Counter()
    for s in segments:
        counts.update(coded.get(int(s), ()))
    if not counts:
        return None
    best = min(counts, key=lambda c: (-counts[c], c))
    return best, counts[best]


def _theme_id(label: str, taken: Iterable[str]) -> str:
    """An id from the label, cut at a word boundary to :data:`MAX_ID` characters."""
    slug = cb.slugify(label)
    if len(slug) > MAX_ID:
        slug = slug[:MAX_ID].rsplit("-", 1)[0] or slug[:MAX_ID]
    return cb.slugify(slug, taken)


def adopt_theme(
    p: Project,
    code: str,
    label: str,
    segments: Sequence[int],
    *,
    definition: str = "",
    coder: str | None = None,
    lang: str = "en",
    other_label: str = "",
) -> str:
    """Make a theme a child code of ``code`` and code its quotes with it; returns the new id.

    One transaction: a new codebook version holding the code (``label`` in ``lang``,
    ``other_label`` in the other language when given — else that language has none and the
    codebook shows ``label`` in its place —, ``definition`` in ``lang`` when given, the
    parent's colour) and, for each
    of ``segments``, codings by ``coder`` (default: the project's coder) of the segment's
    coded spans of ``code`` with origin ``theme``.  The audit row that records it is the
    coder's latest undoable action: :meth:`Project.undo` removes code and codings together.

    Refused (:class:`ThemeLabelTaken`) when a label is already any code's label, in either
    language, anywhere in the codebook (case aside): two codes one cannot tell apart; and
    (:class:`ThemeAdoptedAlready`) when a code below ``code`` was adopted from exactly these
    quotes before.
    """
    if lang not in LANGS:
        raise UnknownItem(f"language {lang!r} is not one of {', '.join(LANGS)}")
    book = _code(p, code)
    name = " ".join(str(label).split())
    if not name:
        raise InvalidCode(f"a theme under {code!r} needs a label to become a code")
    wanted = sorted({int(s) for s in segments})
    if not wanted:
        raise AnalysisError(f"theme {name!r}: no quotes chosen; a theme needs at least one")
    other = " ".join(str(other_label).split())
    for text in (name, other):
        same = [c.id for c in book.codes if text and _has_label(c, text)]
        if same:
            raise ThemeLabelTaken(text, same[0])
    known = theme_quotes(p, code).quotes.set_index("segment")
    missing = [s for s in wanted if s not in known.index]
    if missing:
        shown = ", ".join(map(str, missing[:5])) + (" …" if len(missing) > 5 else "")
        raise UnknownItem(
            f"theme {name!r}: segment(s) {shown} hold no quote of {code!r}; a theme gathers "
            "quotes of its parent code"
        )
    before = _adopted_from(p, book, code, wanted)
    if before is not None:
        raise ThemeAdoptedAlready(len(wanted), before)
    parent = book.get(code)
    labels = {lang: name}
    if other:
        labels[next(x for x in LANGS if x != lang)] = other
    new = Code(
        id=_theme_id(name, book.ids()),
        label=labels,
        parent=code,
        definition={lang: " ".join(definition.split())} if definition.strip() else {},
        color=parent.color,
    )
    updated = cb.add_code(book, new)
    who = p.coder if coder is None else coder
    spans = [(s, start, end) for s in wanted for start, end in known.at[s, "spans"]]
    p.store.adopt_theme(
        updated,
        updated.to_yaml(),
        new.id,
        spans,
        coder=who,
        note=f"adopted the theme {new.id} under {code}",
        theme={"label": name, "parent": code},
    )
    return new.id


def _has_label(c: Code, text: str) -> bool:
    """Whether ``text`` is a label of ``c`` in some language (case and spacing aside)."""
    want = text.casefold()
    return any(" ".join(v.split()).casefold() == want for v in c.label.values() if v)


def _adopted_from(p: Project, book: Codebook, code: str, segments: Sequence[int]) -> str | None:
    """The code below ``code`` adopted from exactly ``segments`` (its theme codings), if any."""
    below = list(book.descendants(code))
    if not below:
        return None
    codings = p.codings(code=below)
    codings = codings[codings["origin"] == str(Origin.THEME)]
    wanted = set(segments)
    for child, group in codings.groupby("code", sort=True):
        if set(group["segment"].astype(int)) == wanted:
            return str(child)
    return None


# ----------------------------------------------------------------------------- curation
#: The meta key of the candidates a researcher shaped for a code: per code, per researcher
#: who shapes them and per coder whose quotes they are ("*": every coder's).
CURATION_KEY = "themes:{code}:{adopter}:{coder}"


@dataclass(frozen=True)
class CuratedTheme:
    """One candidate as the researcher left it (see :class:`Curation`)."""

    segments: tuple[int, ...]
    label: str
    suggested: str
    own: bool
    terms: tuple[str, ...] = ()
    typical: tuple[int, ...] = ()
    adopted: str | None = None


@dataclass(frozen=True)
class Curation:
    """The candidate themes of a code as a researcher shaped them (renamed, merged, quotes
    moved or left out), kept in the project so that a view opened again, after a kernel
    restart too, shows them instead of finding them afresh.

    Attributes
    ----------
    k, source, seed
        How the candidates were found.
    quotes : tuple of int
        The segments they were made from: when the code's quotes changed since, the
        curation no longer fits them.
    candidates : tuple of CuratedTheme
    dropped : tuple of int
        Quotes left out of every candidate.
    changes : int
        How many changes the researcher made.
    """

    k: int | None
    source: str | None
    seed: int
    quotes: tuple[int, ...]
    candidates: tuple[CuratedTheme, ...] = field(default_factory=tuple)
    dropped: tuple[int, ...] = ()
    changes: int = 0

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: str) -> Curation:
        data: dict[str, Any] = json.loads(raw)
        themes_ = tuple(
            CuratedTheme(
                segments=tuple(int(s) for s in t["segments"]),
                label=str(t["label"]),
                suggested=str(t["suggested"]),
                own=bool(t["own"]),
                terms=tuple(str(x) for x in t.get("terms", ())),
                typical=tuple(int(s) for s in t.get("typical", ())),
                adopted=None if t.get("adopted") is None else str(t["adopted"]),
            )
            for t in data["candidates"]
        )
        return cls(
            k=None if data["k"] is None else int(data["k"]),
            source=None if data["source"] is None else str(data["source"]),
            seed=int(data["seed"]),
            quotes=tuple(int(s) for s in data["quotes"]),
            candidates=themes_,
            dropped=tuple(int(s) for s in data["dropped"]),
            changes=int(data["changes"]),
        )


def _curation_key(code: str, adopter: str, coder: str | None) -> str:
    return CURATION_KEY.format(code=code, adopter=adopter, coder=coder or "*")


def save_curation(
    p: Project, code: str, adopter: str, coder: str | None, curation: Curation
) -> None:
    """Keep ``curation`` in the project (a meta entry; not audited: it is a working state,
    not a coding decision)."""
    p.store.set_meta(_curation_key(code, adopter, coder), curation.to_json())


def load_curation(p: Project, code: str, adopter: str, coder: str | None) -> Curation | None:
    """The curation kept for the code, researcher and coder; None when there is none (or
    it cannot be read, as after a change of its format)."""
    raw = p.store.get_meta(_curation_key(code, adopter, coder))
    if not raw:
        return None
    try:
        return Curation.from_json(raw)
    except (ValueError, KeyError, TypeError):
        return None


def clear_curation(p: Project, code: str, adopter: str, coder: str | None) -> None:
    """Forget the curation (the candidates are found afresh)."""
    if p.store.get_meta(_curation_key(code, adopter, coder)):
        p.store.set_meta(_curation_key(code, adopter, coder), "")
