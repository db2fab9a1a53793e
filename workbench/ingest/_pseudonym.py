"""Pseudonymisation: speakers, named persons, e-mail, phone numbers and personnummer.

The key (real name → placeholder) is personal data: it is kept in a file outside the project
database (see ``docs/privacy.md``).  Who a speaker *is* is decided by their whole label only:
a new interviewee called "Göran" is never taken for an earlier "Göran Ahlström".  Parts of
names (a given or family name on its own, in any case, in the genitive) are replaced in the
text; a part that two people share becomes the pseudonym of the one speaking in the document
at hand, or ``[name]`` when that does not decide it.
"""

from __future__ import annotations

import bisect
import json
import os
import re
import tempfile
import unicodedata
import uuid
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from workbench.errors import ImportFailed
from workbench.ingest._labels import is_generic, is_interviewer_code

__all__ = [
    "AMBIGUOUS_PART",
    "PLACEHOLDER",
    "Moves",
    "Pseudonymiser",
    "locate",
    "rename_placeholders",
    "valid_personnummer",
]

# Bounded parts keep the scan linear on long runs of word characters before an "@".
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
# Separators people type between digits: spaces (also no-break ones), hyphens and dashes (Word
# turns "-" into "–"), slashes and dots.
_SPACE = "[ \u00a0\u202f]"
_DASH = "-\u2010-\u2015\u2212"
_PNR = rf"(?P<pnr>(?:19|20)?\d{{6}}{_SPACE}?[{_DASH}+]?{_SPACE}?\d{{4}})"
_GAP = rf"(?:{_SPACE}|[{_DASH}./]){{0,3}}"
_PHONE = (
    rf"(?P<phone>(?:tel:)?(?:\+|00)\d{{1,3}}{_GAP}(?:\(0\){_GAP})?(?:\(?\d{{1,4}}\)?{_GAP}){{1,6}}\d"
    rf"|\(?0\d{{1,4}}\)?{_GAP}(?:\d{_GAP}){{4,10}}\d"  # 070-123 45 67, (08) 123 456 78
    r"|46\d{9})"  # +46 without the plus
)
# The lookarounds keep a number from starting or ending inside a longer word or number.
_NUMBERS = re.compile(rf"(?<![\w+])(?:{_PNR}|{_PHONE})(?!\w|[-/.,:]\d)")
_DATE_LIKE = re.compile(r"\d{1,2}\D+\d{1,2}\D+(?:19|20)\d\d|(?:19|20)\d\d\D+\d{1,2}\D+\d{1,2}")
_PHONE_ONLY = re.compile(_PHONE)
_DIGITS = re.compile(r"\d")
_NUMBER_IN = {
    "P": re.compile(r"P(\d+)"),
    "I": re.compile(r"I(\d+)"),
    "[": re.compile(r"\[Person (\d+)\]"),
}
_PART_SPLIT = re.compile(r"[\s\-‐–,.;:()\"“”']+")

#: What a name part shared by several people becomes when the document does not decide it.
AMBIGUOUS_PART = "[name]"
#: Any placeholder the pseudonymiser writes.
PLACEHOLDER = re.compile(
    r"\bP\d{2,}\b|\bI\d+\b|\bInterviewer(?: \d+)?\b|\[Person \d+\]|\[(?:name|e-mail|phone|personnummer)\]"
)

# Titles and name particles are not names on their own.
_NOT_PARTS = frozenset(
    "dr mr mrs ms prof doc af av von van de der den la le da di du el och and".split()
)
# Given and family names that are also everyday words in Swedish or English: written in lower
# case they are taken for the word ("per år", "the cook"), with a capital for the name.
_EVERYDAY_WORDS = frozenset(
    """
    per bo sten björn dag sol vilja lo rut siv ulla tor ask ek berg lund holm strand sjö dal
    dahl björk lind ström bäck fors kvist gran nord syd öst väst hed falk örn lax gädda
    sommar vinter vår höst mark rosa viol kron lilja hjort fager glad frid bro by eng ås
    said will may june april august mark bill rose grace hope joy faith frank jack pat rob
    sue dawn ruby amber robin summer winter cook baker smith brown white green black young
    king wood hall hill rich gay long short field ford bush baker miller page price rice
    mason marsh moss lane penny sky river star son stone wolf fox crane bird birch ash lake
    sunny honey cherry ivy iris violet hazel olive daisy holly heather art chance earl major
    sterling guy ray gene jean glen drew
    """.split()
)


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 - i % 2)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def valid_personnummer(value: str) -> bool:
    """Whether ``value`` is a Swedish personnummer or samordningsnummer with a valid checksum.

    Examples
    --------
    >>> valid_personnummer("811218-9876"), valid_personnummer("811218-9877")
    (True, False)
    """
    digits = "".join(_DIGITS.findall(value))[-10:]
    if len(digits) != 10:
        return False
    month, day = int(digits[2:4]), int(digits[4:6])
    if day > 60:  # samordningsnummer: the day plus 60
        day -= 60
    return 1 <= month <= 12 and 1 <= day <= 31 and _luhn(digits)


def _trie_pattern(words: Iterable[str]) -> str:
    """A regex alternation factored by common prefixes (fast to match with ``re``)."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            body = body + "?" if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{body})?"
        return body

    return emit(trie)


def clean_name(name: str) -> str:
    """A name as the key holds it: NFC, single spaces, no surrounding blanks."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def _is_name(label: str) -> bool:
    """Whether a key entry is a name to look for in the text, not a role code ("R"), a
    per-document label ("R @3f2a") or a respondent id ("R0001", an e-mail address)."""
    return "@" not in label and not _DIGITS.search(label) and not is_generic(label)


def _fold(name: str) -> str:
    """A name as people are told apart: case, accents and spelled-out letters do not count
    ("Bjorn Sjoberg" is "Björn Sjöberg")."""
    return _unaccented(clean_name(name)).translate(_SPELLED_OUT).casefold()


def _unaccented(text: str) -> str:
    """``text`` without diacritics ("Göran" → "Goran"): how names appear in file names."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Letters that have no accent to strip but are spelled out in plain text (Ørsted → Orsted).
_SPELLED_OUT = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "ß": "ss",
        "æ": "ae",
        "Æ": "Ae",
        "œ": "oe",
        "Œ": "Oe",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "þ": "th",
        "ı": "i",
    }
)
# Characters that do not show: a soft hyphen or zero-width space inside a name hides it.
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")
_NEXT_WORD = re.compile(r"[ \u00a0]([^\W\d_][^\W\d_'’-]*)")
_PREVIOUS_WORD = re.compile(r"(?:^|(?<=[\s(\"“]))([^\W\d_][^\W\d_'’-]*)[ \u00a0]$")


_FILE_NAME = re.compile(r"(.*?)((?:\.[^\W_]{1,5})?(?:#\d+)?)")  # stem, ".docx" and "#2"
_CAMEL = re.compile(
    r"(?<=[^\W\d_])(?=[^\W\d_])(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ])|(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])"
)
_SEPARATORS = re.compile(r"[_.\-]+")


def _spellings(form: str) -> set[str]:
    """How a name may be written: as given, without some or all of its accents, and with
    letters such as ø, ł and ß spelled out (Orsted, Lukasz, Strauss)."""
    out = {form}
    accented = [i for i, ch in enumerate(form) if _unaccented(ch) != ch]
    if len(accented) <= 4:
        for mask in range(1, 2 ** len(accented)):
            chars = list(form)
            for bit, i in enumerate(accented):
                if mask >> bit & 1:
                    chars[i] = _unaccented(chars[i])
            out.add("".join(chars))
    else:
        out.add(_unaccented(form))
    return out | {v.translate(_SPELLED_OUT) for v in out}


def _match_form(text: str) -> str:
    """``text`` as names are matched in it, character for character (the offsets stay): lower
    case (but a letter whose lower case is longer, such as "İ", stays), without accents and
    with ø, ł and the like as their plain letter (so "Asa Ostlund" listed finds "Åsa Östlund"
    written, and the other way round), and "_" as a space (goran_ahlstrom)."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    if not lowered.isascii():
        lowered = "".join(_PLAIN.get(ch, ch) for ch in lowered)
    return lowered.replace("_", " ")


def _plain_letter(ch: str) -> str:
    """``ch`` without its accent when that leaves one letter ("ö" → "o", "ø" → "o")."""
    plain = _unaccented(ch).translate(_SPELLED_OUT)
    return plain if len(plain) == 1 else ch


#: Lower-case letters with accents (Latin blocks) and their plain letter, for :func:`_match_form`.
_PLAIN = {
    ch: _plain_letter(ch)
    for ch in map(chr, range(0xC0, 0x250))
    if ch.islower() and _plain_letter(ch) != ch
}
_EVERYDAY_MATCH = frozenset(_match_form(word) for word in _EVERYDAY_WORDS)


def _capitalised(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and not word.isupper()


def _parts(name: str) -> list[str]:
    """The given and family names in ``name`` ("Ahlström, Göran" and "Anna-Karin" included)."""
    pieces = [p for p in _PART_SPLIT.split(name) if len(p) > 1 and p.casefold() not in _NOT_PARTS]
    whole = [w.strip(",.;:") for w in name.split() if "-" in w and len(w) > 1]
    quoted = [w.strip(",.;:") for w in name.split() if re.search("['’]", w)]
    joined = [re.sub("['’]", "", w) for w in quoted]  # O'Brien is also written OBrien
    return [*pieces, *whole, *quoted, *joined]


class Kind(StrEnum):
    """The three kinds of people a key names."""

    PARTICIPANT = "participants"
    INTERVIEWER = "interviewers"
    PERSON = "persons"


@dataclass(frozen=True)
class _Replacement:
    placeholders: frozenset[str]
    everyday_word: bool
    roles: frozenset[str]  # "whole" name, "first" (given) or "last" (family) name part


class Pseudonymiser:
    """Replace identifying details with stable placeholders across files.

    Speakers become ``P01``, ``P02``, ... (interviewees, in order of first appearance) and
    ``Interviewer`` (a role label such as "I") or ``I1``, ``I2`` (named interviewers).  Names
    given in ``names`` become ``[Person 1]``, ``[Person 2]``, ... wherever they occur: whole,
    by given or family name alone, in any case, without accents, and in the Swedish genitive
    ("Annas" → "[Person 1]s").  A name that is also an everyday word ("Per", "Berg", "Cook") is
    replaced only when it starts with a capital.  Speakers' names in the text become their
    speaker pseudonym.  E-mail addresses, phone numbers and valid personnummer /
    samordningsnummer become ``[e-mail]``, ``[phone]``, ``[personnummer]``.

    Examples
    --------
    >>> p = Pseudonymiser(names=["Anna Berg"])
    >>> p.text("Annas mejl är anna@example.se, ring 070-123 45 67. ANNA bor på ett berg.")
    '[Person 1]s mejl är [e-mail], ring [phone]. [Person 1] bor på ett berg.'
    """

    def __init__(
        self,
        names: Iterable[str] = (),
        key: dict[str, Any] | None = None,
        *,
        key_id: str | None = None,
    ) -> None:
        self.key_id = key_id or str(uuid.uuid4())
        self.people: dict[Kind, dict[str, str]] = {kind: {} for kind in Kind}
        self._folded: dict[Kind, dict[str, str]] = {kind: {} for kind in Kind}
        self._counters = {"P": 0, "I": 0, "[": 0}
        self._pattern: re.Pattern[str] | None = None
        self._parts: dict[str, _Replacement] = {}
        for kind, entries in _entries(key or {}):
            for real, placeholder in entries.items():
                self._remember(kind, real, placeholder)
        for name in names:
            self.add_name(name)

    # -- the key -----------------------------------------------------------------------
    @property
    def key(self) -> dict[str, str]:
        """Every real name and its placeholder (participants, interviewers, listed persons)."""
        return {real: p for kind in Kind for real, p in self.people[kind].items()}

    def _remember(self, kind: Kind, real: str, placeholder: str) -> None:
        real = clean_name(real)
        self.people[kind][real] = placeholder
        self._folded[kind].setdefault(_fold(real), placeholder)
        self._count(placeholder)
        if _is_name(real):
            self._pattern = None

    def _count(self, placeholder: str) -> None:
        match = (
            _NUMBER_IN[placeholder[:1]].fullmatch(placeholder)
            if placeholder[:1] in _NUMBER_IN
            else None
        )
        if match:
            prefix = placeholder[:1]
            self._counters[prefix] = max(self._counters[prefix], int(match.group(1)))

    def reserve(self, placeholders: Iterable[str]) -> None:
        """Never hand out these placeholders (pseudonyms already in the project database)."""
        for placeholder in placeholders:
            self._count(placeholder)

    def _next(self, prefix: str) -> str:
        self._counters[prefix] += 1
        n = self._counters[prefix]
        return {"P": f"P{n:02d}", "I": f"I{n}", "[": f"[Person {n}]"}[prefix]

    def lookup(self, kind: Kind, name: str) -> str | None:
        """The placeholder of the person whose whole name is ``name`` (any case), or None."""
        return self._folded[kind].get(_fold(name))

    def participant(self, name: str) -> str | None:
        """The pseudonym of the participant whose whole name or label is ``name``, or None."""
        return self.lookup(Kind.PARTICIPANT, name)

    def adopt(self, kind: Kind, name: str, placeholder: str | None = None) -> str:
        """Register ``name`` as ``placeholder`` (a new one of its kind when None); returns it.

        Used to merge keys: a person another key knows comes in with the placeholder they
        have in the merged texts.
        """
        if placeholder is None:
            placeholder = self._next({Kind.PARTICIPANT: "P", Kind.INTERVIEWER: "I"}.get(kind, "["))
        self._remember(kind, name, placeholder)
        return placeholder

    def add_name(self, name: str) -> str:
        """Register a person's name (and its parts) and return the person's placeholder."""
        name = clean_name(name)
        if not name:
            raise ValueError("a name must not be empty")
        for kind in Kind:
            found = self.lookup(kind, name)
            if found is not None:
                return found
        placeholder = self._next("[")
        self._remember(Kind.PERSON, name, placeholder)
        return placeholder

    def add_names(self, names: Iterable[str]) -> None:
        """Register several persons' names (see :meth:`add_name`); blank ones are skipped."""
        for name in names:
            if name.strip():
                self.add_name(name)

    def participant_pseudonym(self, name: str) -> str:
        """The ``Pnn`` pseudonym of an interviewee speaker, assigned on first sight.

        Only the whole label identifies a person: "Göran" is not "Göran Ahlström".
        """
        found = self.participant(name)
        if found is not None:
            return found
        placeholder = self._next("P")
        self._remember(Kind.PARTICIPANT, name, placeholder)
        return placeholder

    def speaker(self, label: str, role: str, document: str = "") -> str:
        """The pseudonym for a speaker label in a document (``document`` keys role codes)."""
        label = clean_name(label)
        if role == "interviewer":
            if is_interviewer_code(label) or is_generic(label):
                digits = "".join(_DIGITS.findall(label))
                return f"Interviewer {digits}" if digits else "Interviewer"
            found = self.lookup(Kind.INTERVIEWER, label)
            if found is None:
                found = self._next("I")
                self._remember(Kind.INTERVIEWER, label, found)
            return found
        if is_generic(label):
            # "R" or "IP1" is a different person in every transcript.
            return self.participant_pseudonym(f"{label} @{document}")
        return self.participant_pseudonym(label)

    # -- text --------------------------------------------------------------------------
    def _compiled(self) -> re.Pattern[str] | None:
        """One pattern over every name and name part, in every spelling (see :func:`_spellings`)."""
        if self._pattern is None:
            # A listed name that is also a speaker's whole name is that speaker.
            people: dict[str, tuple[str, str]] = {}
            for kind in Kind:
                for real, placeholder in self.people[kind].items():
                    if _is_name(real):
                        people.setdefault(real.lower(), (real, placeholder))
            found: dict[str, set[str]] = {}
            roles: dict[str, set[str]] = {}
            for real, placeholder in people.values():
                tokens = real.split()
                for form in {real, *_parts(real)}:
                    if form == real and len(tokens) > 1:
                        role = "whole"
                    elif form == tokens[0].strip(",.;:") or form in _PART_SPLIT.split(tokens[0]):
                        role = "first"
                    else:
                        role = "last"
                    for variant in _spellings(form):
                        key = _match_form(variant)
                        found.setdefault(key, set()).add(placeholder)
                        roles.setdefault(key, set()).add(role)
            self._parts = {
                word: _Replacement(
                    frozenset(ps),
                    "whole" not in roles[word] and word in _EVERYDAY_MATCH,
                    frozenset(roles[word]),
                )
                for word, ps in found.items()
            }
            trie = _trie_pattern(sorted(found)) if found else "(?!)"
            self._pattern = re.compile(rf"\b({trie})s?\b") if found else re.compile("(?!)")
        return self._pattern if self._parts else None

    def _replace(self, word: str, speaking: Collection[str]) -> str | None:
        entry = self._parts.get(_match_form(word))
        if entry is None or (entry.everyday_word and not word[:1].isupper()):
            return None
        if len(entry.placeholders) == 1:
            return next(iter(entry.placeholders))
        present = entry.placeholders & set(speaking)
        return next(iter(present)) if len(present) == 1 else AMBIGUOUS_PART

    def _stranger(self, word: re.Match[str] | None, placeholder: str) -> bool:
        """Whether ``word`` (a capitalised word next to a name part) is the rest of another
        person's name rather than of the person ``placeholder`` stands for."""
        if word is None or not _capitalised(word.group(1)):
            return False
        known = self._parts.get(_match_form(word.group(1)))
        return known is None or placeholder not in known.placeholders

    @staticmethod
    def _number(m: re.Match[str]) -> str:
        if m["pnr"] is not None:
            value = m["pnr"]
            mobile = len(_DIGITS.findall(value)) == 10 and value.startswith("07")
            if valid_personnummer(value) and not mobile:
                return "[personnummer]"
            if _PHONE_ONLY.fullmatch(value):
                return "[phone]"
            return value
        value = m["phone"]
        digits = len(_DIGITS.findall(value))
        if _DATE_LIKE.fullmatch(value):  # 05 12 2023 is a date
            return m.group(0)
        if value.startswith(("+", "00", "tel:", "46")):
            return "[phone]" if 8 <= digits <= 15 else m.group(0)
        return "[phone]" if 8 <= digits <= 11 else m.group(0)

    def text(self, text: str, speaking: Collection[str] = ()) -> str:
        """Return ``text`` with names, e-mail addresses, phone numbers and personnummer replaced.

        ``speaking`` holds the pseudonyms of the document's speakers: a name part several
        people share becomes the one of them who takes part in this document.
        """
        text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
        return self.replace(text, speaking)[0]

    def replace(self, text: str, speaking: Collection[str] = ()) -> tuple[str, Moves]:
        """Like :meth:`text` on text already in NFC without invisible characters (as a project
        stores it), and the :class:`Moves` that carry offsets into ``text`` to the new text."""
        moves: list[Moves] = []
        if "@" in text:
            text, move = _substitute(_EMAIL, text, lambda m: "[e-mail]")
            moves.append(move)
        text, move = _substitute(_NUMBERS, text, self._number)
        moves.append(move)
        text, move = self._names(text, speaking)
        moves.append(move)
        return text, Moves.chain(moves)

    def _names(self, text: str, speaking: Collection[str]) -> tuple[str, Moves]:
        """Names and name parts replaced (see :meth:`text`)."""
        pattern = self._compiled()
        if pattern is None:
            return text, Moves([])
        # Matching a lower-cased copy is several times faster than IGNORECASE.
        lowered = _match_form(text)
        out: list[str] = []
        edits: list[tuple[int, int, int]] = []
        pos = scan = 0  # text before pos is written out; the search goes on from scan
        while (m := pattern.search(lowered, scan)) is not None:
            start, end = m.span(1)
            scan = max(m.end(), start + 1)
            replacement = self._replace(text[start:end], speaking)
            if replacement is None:
                continue
            # "Johan Ek" when only Lena Ek is known: another Ek, whose given name must go too.
            roles = self._parts[_match_form(text[start:end])].roles
            after = _NEXT_WORD.match(text, end) if "first" in roles else None
            before = _PREVIOUS_WORD.search(text, pos, start) if "last" in roles else None
            if self._stranger(after, replacement) and m.group(0) == text[start:end].lower():
                replacement, end = AMBIGUOUS_PART, after.end()  # type: ignore[union-attr]
            elif self._stranger(before, replacement) and before.start(1) >= pos:  # type: ignore[union-attr]
                replacement, start = AMBIGUOUS_PART, before.start(1)  # type: ignore[union-attr]
            out.append(text[pos:start])
            out.append(replacement)
            edits.append((start, end, len(replacement)))
            pos = scan = end
        if not out:
            return text, Moves([])
        out.append(text[pos:])
        return "".join(out), Moves(edits)

    def file_name(self, name: str) -> str:
        """A file's name as the project stores it: names and numbers in it replaced, also when
        written CamelCase or joined by "_", "-" or "." ("GoranAhlstrom.txt",
        "intervju_goran-0701234567.docx").  A name with nothing to hide is kept as it is."""
        match = _FILE_NAME.fullmatch(name)
        stem, suffix = (match.group(1), match.group(2)) if match else (name, "")
        spaced = _SEPARATORS.sub(" ", _CAMEL.sub(" ", stem))
        hidden = self.text(spaced)
        return name if hidden == spaced else hidden + suffix

    # -- files -------------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Pseudonymiser:
        """Read a key file written by :meth:`save` (or by an earlier version of it)."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ImportFailed(f"{path.name}: not a readable pseudonym key ({exc})") from exc
        if not isinstance(data, dict):
            raise ImportFailed(f"{path.name}: a pseudonym key must map names to placeholders")
        try:
            return cls(key=data, key_id=data.get("key_id") if "version" in data else None)
        except (TypeError, ValueError, AttributeError) as exc:
            raise ImportFailed(f"{path.name}: not a pseudonym key ({exc})") from exc

    def to_json(self) -> dict[str, Any]:
        """The key as saved: its id and the three kinds of people."""
        return {
            "format": "vardag-pseudonym-key",
            "version": 2,
            "key_id": self.key_id,
            **{kind.value: dict(sorted(self.people[kind].items())) for kind in Kind},
        }

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the key durably: a private temporary file, flushed to disk, then renamed.

        The file is readable by its owner only.
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.parent.chmod(0o700)  # also a folder made earlier by hand, open to everyone
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(self.to_json(), f, ensure_ascii=False, indent=1)
                f.write("\n")
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def locate(quote: str, text: str) -> tuple[int, int] | None:
    """Where the pseudonymised ``quote`` stands in ``text``, any placeholder standing for any
    other: a name part that became ambiguous after the text was stored is "[name]" in a quote
    pseudonymised now but "[Person 3]" in the text."""
    found = text.find(quote)
    if found >= 0:
        return found, found + len(quote)
    pieces = PLACEHOLDER.split(quote)
    if len(pieces) == 1:
        return None
    pattern = f"(?:{PLACEHOLDER.pattern})".join(re.escape(piece) for piece in pieces)
    match = re.search(pattern, text)
    return match.span() if match else None


def rename_placeholders(text: str, renames: Mapping[str, str]) -> tuple[str, Moves]:
    """``text`` with placeholders renamed all at once ("P17" → "P18", "P18" → "P17"), and the
    :class:`Moves` that carry offsets into the old text to the same place in the new one."""
    if not renames:
        return text, Moves([])
    return _substitute(PLACEHOLDER, text, lambda m: renames.get(m.group(0), m.group(0)))


class Moves:
    """Where an offset into a text stands after some of its stretches were replaced.

    ``edits`` are ``(start, end, new_length)`` in the old text, in order and not overlapping.
    An offset inside a replaced stretch moves to the start of its replacement, or to its end
    for the end of a span (``end=True``), so a span over a name becomes the span over its
    placeholder.
    """

    def __init__(self, edits: Iterable[tuple[int, int, int]]) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._shifts: list[int] = []  # the total length change up to and including each edit
        shift = 0
        for start, end, length in edits:
            shift += length - (end - start)
            self._starts.append(start)
            self._ends.append(end)
            self._shifts.append(shift)
        self._then: Moves | None = None

    @staticmethod
    def chain(steps: Sequence[Moves]) -> Moves:
        """The moves of ``steps`` applied one after the other."""
        steps = [step for step in steps if step]
        if not steps:
            return Moves([])
        first = steps[0]
        for step in steps[1:]:
            first = first._followed_by(step)
        return first

    def _followed_by(self, then: Moves) -> Moves:
        combined = Moves([])
        combined._starts, combined._ends, combined._shifts = self._starts, self._ends, self._shifts
        combined._then = then if self._then is None else self._then._followed_by(then)
        return combined

    def __bool__(self) -> bool:
        return bool(self._starts) or self._then is not None

    def __call__(self, offset: int, *, end: bool = False) -> int:
        i = bisect.bisect_right(self._ends, offset)  # edits that end at or before offset
        before = self._shifts[i - 1] if i else 0
        if i < len(self._starts) and self._starts[i] < offset:  # inside a replaced stretch
            moved = self._starts[i] + before
            if end:
                moved += self._shifts[i] - before + self._ends[i] - self._starts[i]
        else:
            moved = offset + before
        return moved if self._then is None else self._then(moved, end=end)


def _substitute(
    pattern: re.Pattern[str], text: str, replace: Callable[[re.Match[str]], str]
) -> tuple[str, Moves]:
    """``pattern.sub(replace, text)`` and the :class:`Moves` of what changed."""
    out: list[str] = []
    edits: list[tuple[int, int, int]] = []
    pos = 0
    for match in pattern.finditer(text):
        new = replace(match)
        if new == match.group(0):
            continue
        out.append(text[pos : match.start()])
        out.append(new)
        edits.append((match.start(), match.end(), len(new)))
        pos = match.end()
    if not edits:
        return text, Moves([])
    out.append(text[pos:])
    return "".join(out), Moves(edits)


def _entries(data: dict[str, Any]) -> Iterable[tuple[Kind, dict[str, str]]]:
    """The key's people by kind; an old flat key (name → placeholder, parts included) is sorted
    by its placeholders, and the parts it stored are left out (they are derived again)."""
    if "version" in data:
        for kind in Kind:
            entries = data.get(kind.value, {})
            if not isinstance(entries, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in entries.items()
            ):
                raise ValueError(f"{kind.value} must map names to placeholders")
            yield kind, entries
        return
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise ValueError("a key maps names to placeholders")
    kinds = {"P": Kind.PARTICIPANT, "I": Kind.INTERVIEWER, "[": Kind.PERSON}
    grouped: dict[Kind, dict[str, str]] = {kind: {} for kind in Kind}
    for real, placeholder in data.items():
        group = kinds.get(placeholder[:1])
        if group is None:
            continue
        longer = [
            other
            for other, p in data.items()
            if p == placeholder and other != real and real in _parts(other)
        ]
        if not longer:  # a part of a longer name of the same person is derived again
            grouped[group][real] = placeholder
    yield from grouped.items()
