"""Speaker labels and timestamps as transcribers write them, shared by every reader."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from workbench.errors import BadTimestamp

__all__ = [
    "LABEL",
    "TIMESTAMP",
    "accepted_labels",
    "clean_body",
    "is_generic",
    "is_interviewer_code",
    "looks_like_label",
    "parse_timestamp",
    "person",
    "short_enough",
    "split_prefix_label",
]

_UPPER = "A-ZÅÄÖÆØÜÉÈÁÀÍÓÚÑÞ"
_WORD = rf"(?:(?:Dr|Mr|Mrs|Ms|Prof|Doc)\.|[{_UPPER}][\w'’-]*(?:\.[\w'’-]+)*)"
_PARTICLE = r"(?:af|av|von|van|de|der|den|la|le|da|di|du|el)"
_KNOWN_LOWER = (
    r"(?i:intervjuare|intervjuaren|interviewer|moderator|facilitator|researcher|forskare|"
    r"respondent|intervjuperson|interviewee|participant|deltagare|informant)"
)
#: A speaker label: one to four capitalised words (particles and numbers allowed after the
#: first), or a known role word in any case.  Length is checked separately (40 characters).
LABEL = (
    rf"(?:{_WORD},[ \t]+{_WORD}"  # "Åhlström, Göran"
    rf"|(?:{_WORD}|{_KNOWN_LOWER})(?:[ \t]+(?:{_WORD}|{_PARTICLE}|\d{{1,3}})){{0,3}})"
    r"(?:[ \t]+\([^()\n:]{1,60}\))?"  # "Anna Svensson (Åsby kommun)"
)
#: h:mm:ss, mm:ss, with an optional fraction.
TIMESTAMP = r"\d{1,3}(?::\d{1,2}){1,2}(?:[.,]\d{1,3})?"

_INTERVIEWER = re.compile(
    r"(?:i|q|int|intervjuare|intervjuaren|interviewer|moderator|facilitator|researcher|"
    r"forskare|forskaren)[ \t]*\d{0,2}",
    re.IGNORECASE,
)
_INTERVIEWEE = re.compile(
    r"(?:r|a|b|ip|p|resp|respondent|informant|intervjuperson|interviewee|participant|"
    r"deltagare|svarande|speaker|talare|person|unknown speaker|okänd talare)[ \t]*\d{0,3}",
    re.IGNORECASE,
)
_LABEL_ONLY = re.compile(LABEL)
_PREFIX = re.compile(
    rf"[ \t]*(?:[\[(](?P<ts>{TIMESTAMP})[\])][ \t]*|(?P<tsb>{TIMESTAMP})[ \t]+)?"
    rf"(?:\*\*|__)?(?P<label>{LABEL})(?:\*\*|__)?[ \t]*:(?!\d)(?:\*\*|__)?[ \t]*"
)

# Words that start "Word: text" lines without being speakers.
_NOT_SPEAKERS = frozenset(
    [
        "note",
        "notes",
        "obs",
        "nb",
        "ps",
        "anm",
        "anmärkning",
        "notera",
        "tips",
        "example",
        "exempel",
        "edit",
        "update",
        "re",
        "fwd",
        "subject",
        "ämne",
        "datum",
        "date",
        "time",
        "tid",
        "plats",
        "place",
        "location",
        "interview",
        "intervju",
        "transcript",
        "transkription",
        "transkribering",
        "duration",
        "length",
        "längd",
        "title",
        "titel",
        "participants",
        "deltagare",
        "project",
        "projekt",
        "summary",
        "sammanfattning",
        "comment",
        "kommentar",
        "kommentarer",
        "question",
        "questions",
        "fråga",
        "frågor",
        "answer",
        "svar",
        "tema",
        "theme",
        "topic",
        "source",
        "källa",
        "url",
        "link",
        "länk",
        "warning",
        "varning",
        "viktigt",
        "important",
        "todo",
        "fixme",
        "first",
        "second",
        "third",
        "finally",
        "also",
        "then",
        "första",
        "andra",
        "tredje",
        "sist",
        "slutligen",
        "sedan",
        "dessutom",
        "fördelar",
        "nackdelar",
        "problem",
        "problemet",
        "lösning",
        "svaret",
        "frågan",
        "citat",
        "quote",
    ]
)
_BREAKS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")
_TRAILING = re.compile(r"[ \t]+\n")


_AFFILIATION = re.compile(r"[ \t]+\([^()]*\)$")
_SURNAME_FIRST = re.compile(r"([^,]+),[ \t]+(.+)")


def person(label: str) -> str:
    """The person a speaker label names: "Anna Svensson (Åsby kommun)" and "Svensson, Anna"
    are both "Anna Svensson"."""
    label = _AFFILIATION.sub("", label.strip())
    flipped = _SURNAME_FIRST.fullmatch(label)
    return f"{flipped.group(2)} {flipped.group(1)}" if flipped else label


def short_enough(label: str) -> bool:
    """Whether ``label`` is as short as speaker labels are (40 characters, not counting an
    affiliation in brackets)."""
    return len(_AFFILIATION.sub("", label)) <= 40


def is_interviewer_code(label: str) -> bool:
    """Whether ``label`` is a role word for the interviewer (I, Q, Int, Intervjuare, ...)."""
    return _INTERVIEWER.fullmatch(label.strip()) is not None


def is_generic(label: str) -> bool:
    """Whether ``label`` is a role code (I, R, IP1, Speaker 2) rather than a person's name."""
    label = label.strip()
    return _INTERVIEWER.fullmatch(label) is not None or _INTERVIEWEE.fullmatch(label) is not None


def looks_like_label(text: str) -> bool:
    """Whether ``text`` can be a speaker label (short, capitalised or a known code)."""
    text = text.strip()
    return bool(text) and short_enough(text) and _LABEL_ONLY.fullmatch(text) is not None


def parse_timestamp(value: str, where: str) -> float:
    """Seconds in ``h:mm:ss[.fff]`` or ``mm:ss[.fff]``.

    Raises
    ------
    BadTimestamp
        Minutes or seconds above 59; ``where`` names the file and line or cue.
    """
    main, _, fraction = value.replace(",", ".").partition(".")
    parts = [int(p) for p in main.split(":")]
    if any(p > 59 for p in parts[1:]):
        raise BadTimestamp(f"{where}: timestamp {value!r} is not valid")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds + (float("0." + fraction) if fraction else 0.0)


def accepted_labels(candidates: Sequence[tuple[str, bool]]) -> set[str]:
    """Decide which ``(label, timestamped)`` candidates are real speakers.

    A role code (I, R, IP1) always counts.  When the document's labels carry timestamps
    (two or more do), only timestamped labels count: a stray "Sedan: ..." line has none.
    Otherwise any label counts that is not a heading word such as "Note" or "Datum".
    """
    timed = sum(1 for _, timestamped in candidates if timestamped) >= 2
    accepted: set[str] = set()
    for label, timestamped in candidates:
        if label in accepted:
            continue
        if is_generic(label) or (
            (timestamped or not timed) and label.casefold() not in _NOT_SPEAKERS
        ):
            accepted.add(label)
    return accepted


def split_prefix_label(text: str, where: str) -> tuple[str | None, str, float | None]:
    """Split ``"[00:01] Name: text"`` into (label, text, seconds); no label → (None, text, None)."""
    m = _PREFIX.match(text)
    if m is None or not short_enough(m["label"]):
        return None, text, None
    ts = m["ts"] or m["tsb"]
    return m["label"], text[m.end() :], parse_timestamp(ts, where) if ts else None


def clean_body(body: str) -> str:
    """Strip a turn's text, drop trailing spaces and keep paragraph breaks as one blank line."""
    body = body.strip()
    if "\n" in body:
        body = _TRAILING.sub("\n", body)
        body = _BREAKS.sub("\n\n", body)
    return body


def unique(items: Iterable[str]) -> list[str]:
    """Items in first-seen order without repeats."""
    return list(dict.fromkeys(items))
