"""Pseudonymisation: speakers, named persons, e-mail, phone numbers and personnummer."""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from workbench.errors import ImportFailed
from workbench.ingest._labels import is_generic, is_interviewer_code

__all__ = ["Pseudonymiser", "valid_personnummer"]

# Bounded parts keep the scan linear on long runs of word characters before an "@".
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
_PNR = r"(?P<pnr>(?:19|20)?\d{6}[-+]?\d{4})"
_PHONE = (
    r"(?P<phone>\+\d{1,3}(?:[ -]?\(0\))?(?:[ -]?\d{1,4}){2,5}"  # +46 70 123 45 67, +44 20 7946 0958
    r"|0\d{1,3}(?:-[ ]?|[ ])\d{2,3}(?:[ ]\d{2,3}){1,3}"  # 070-123 45 67, 08-123 456 78
    r"|0\d{1,3}-\d{5,8}"  # 070-1234567
    r"|0\d{7,9})"  # 0701234567
)
# The lookahead lets the scan skip positions that cannot start a number.
_NUMBERS = re.compile(rf"(?=[\d+])(?<![\d+\-/.,:])(?:{_PNR}|{_PHONE})(?!\d|[-/.,:]\d)")
_PHONE_ONLY = re.compile(_PHONE)
_DIGITS = re.compile(r"\d")
_PLACEHOLDER = re.compile(r"P(\d+)|I(\d+)|\[Person (\d+)\]")


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


class Pseudonymiser:
    """Replace identifying details with stable placeholders across files.

    Speakers become ``P01``, ``P02``, ... (interviewees, in order of first appearance) and
    ``Interviewer`` (a role label such as "I") or ``I1``, ``I2`` (named interviewers).  Names
    given in ``names`` become ``[Person 1]``, ``[Person 2]``, ... wherever they occur, also by
    first or last name alone and in the Swedish genitive ("Annas" → "[Person 1]s").  Speakers'
    names in the text become their speaker pseudonym.  E-mail addresses, phone numbers and
    valid personnummer/samordningsnummer become ``[e-mail]``, ``[phone]``, ``[personnummer]``.

    The key (real → placeholder) is personal data: keep it outside the project database.

    Examples
    --------
    >>> p = Pseudonymiser(names=["Anna Berg"])
    >>> p.text("Annas mejl är anna@example.se, ring 070-123 45 67.")
    '[Person 1]s mejl är [e-mail], ring [phone].'
    """

    def __init__(self, names: Iterable[str] = (), key: dict[str, str] | None = None) -> None:
        self.key: dict[str, str] = {}
        self._folded: dict[str, str] = {}
        self._persons = 0
        self._participants = 0
        self._interviewers = 0
        self._pattern: tuple[re.Pattern[str], re.Pattern[str]] | None = None
        self._persons_by_folded: dict[str, str] = {}
        self._has_names = False
        for real, placeholder in (key or {}).items():
            self._remember(real, placeholder)
        for name in names:
            self.add_name(name)

    # -- the key -----------------------------------------------------------------------
    def _remember(self, real: str, placeholder: str) -> None:
        self.key[real] = placeholder
        self._folded.setdefault(real.lower(), placeholder)
        m = _PLACEHOLDER.fullmatch(placeholder)
        if m:
            p, i, person = m.groups()
            if p:
                self._participants = max(self._participants, int(p))
            elif i:
                self._interviewers = max(self._interviewers, int(i))
            else:
                self._persons = max(self._persons, int(person))
        self._pattern = None

    def _lookup(self, real: str) -> str | None:
        found = self.key.get(real)
        return self._folded.get(real.lower()) if found is None else found

    def add_name(self, name: str) -> str:
        """Register a person's name (and its parts) and return the person's placeholder."""
        name = " ".join(name.split())
        if not name:
            raise ValueError("a name must not be empty")
        placeholder = self._lookup(name)
        if placeholder is None:
            self._persons += 1
            placeholder = f"[Person {self._persons}]"
            self._remember(name, placeholder)
        for part in name.split(" "):
            if len(part) > 1 and self._lookup(part) is None:
                self._remember(part, placeholder)
        return placeholder

    def add_names(self, names: Iterable[str]) -> None:
        """Register several persons' names (see :meth:`add_name`); blank ones are skipped."""
        for name in names:
            if name.strip():
                self.add_name(name)

    def participant_pseudonym(self, name: str) -> str:
        """The ``Pnn`` pseudonym of an interviewee speaker, assigned on first sight."""
        name = " ".join(name.split())
        found = self._lookup(name)
        if found is not None and found.startswith("P"):
            return found
        self._participants += 1
        placeholder = f"P{self._participants:02d}"
        self._remember(name, placeholder)
        if not is_generic(name) and "@" not in name:
            for part in name.split(" "):
                if len(part) > 1 and self._lookup(part) is None:
                    self._remember(part, placeholder)
        return placeholder

    def speaker(self, label: str, role: str, document: str = "") -> str:
        """The pseudonym for a speaker label in a document (``document`` keys role codes)."""
        label = " ".join(label.split())
        if role == "interviewer":
            if is_interviewer_code(label) or is_generic(label):
                digits = "".join(_DIGITS.findall(label))
                return f"Interviewer {digits}" if digits else "Interviewer"
            found = self._lookup(label)
            if found is not None and found.startswith("I"):
                return found
            self._interviewers += 1
            placeholder = f"I{self._interviewers}"
            self._remember(label, placeholder)
            for part in label.split(" "):
                if len(part) > 1 and self._lookup(part) is None:
                    self._remember(part, placeholder)
            return placeholder
        if is_generic(label):
            # "R" or "IP1" is a different person in every transcript.
            return self.participant_pseudonym(f"{label} @{document}")
        return self.participant_pseudonym(label)

    # -- text --------------------------------------------------------------------------
    def _compiled(self) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
        """Name patterns for lower-cased text and, as a fallback, case-insensitive text."""
        if self._pattern is None:
            self._persons_by_folded = {}
            for k, v in self.key.items():
                if v.startswith("[Person"):
                    self._persons_by_folded.setdefault(k.lower(), v)
            words = set(self._persons_by_folded)
            words.update(
                k.lower()
                for k, v in self.key.items()
                if not v.startswith("[Person") and "@" not in k and not is_generic(k)
            )
            self._has_names = bool(words)
            trie = _trie_pattern(sorted(words)) if words else "(?!)"
            self._pattern = (
                re.compile(rf"\b({trie})s?\b"),
                re.compile(rf"\b({trie})s?\b", re.IGNORECASE),
            )
        return self._pattern if self._has_names else None

    def _name(self, word: str) -> str | None:
        """A speaker's name as written (case-sensitive), or a listed person's name, capitalised."""
        found = self.key.get(word)
        if found is not None and (found.startswith("[Person") or not is_generic(word)):
            return found
        # Listed names count only when capitalised: "Per" is a name, "per år" is not.
        return self._persons_by_folded.get(word.lower()) if word[:1].isupper() else None

    @staticmethod
    def _number(m: re.Match[str]) -> str:
        if m["pnr"] is not None:
            value = m["pnr"]
            mobile = len(value) == 10 and value.startswith("07")
            if valid_personnummer(value) and not mobile:
                return "[personnummer]"
            if _PHONE_ONLY.fullmatch(value):
                return "[phone]"
            return value
        digits = len(_DIGITS.findall(m["phone"]))
        if m["phone"].startswith("+"):
            return "[phone]" if 8 <= digits <= 15 else m.group(0)
        return "[phone]" if 8 <= digits <= 10 else m.group(0)

    def text(self, text: str) -> str:
        """Return ``text`` with names, e-mail addresses, phone numbers and personnummer replaced."""
        if "@" in text:
            text = _EMAIL.sub("[e-mail]", text)
        text = _NUMBERS.sub(self._number, text)
        patterns = self._compiled()
        if patterns is None:
            return text
        # Matching lower-cased text without IGNORECASE is several times faster.
        lowered = text.lower()
        if len(lowered) == len(text):
            matches = patterns[0].finditer(lowered)
        else:
            matches = patterns[1].finditer(text)
        out: list[str] = []
        pos = 0
        for m in matches:
            start, end = m.span(1)
            replacement = self._name(text[start:end])
            if replacement is not None:
                out.append(text[pos:start])
                out.append(replacement)
                pos = end
        if not out:
            return text
        out.append(text[pos:])
        return "".join(out)

    # -- files -------------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Pseudonymiser:
        """Read a key file written by :meth:`save`."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ImportFailed(f"{path.name}: not a readable pseudonym key ({exc})") from exc
        if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()
        ):
            raise ImportFailed(f"{path.name}: a pseudonym key must map names to placeholders")
        return cls(key=data)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the key as JSON, atomically (a temporary file, then ``os.replace``)."""
        path = Path(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(self.key, f, ensure_ascii=False, indent=1, sort_keys=True)
                f.write("\n")
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
