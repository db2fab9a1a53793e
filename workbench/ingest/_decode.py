"""Turn a text file's bytes into clean text: encoding detected, NFC, ``\\n`` line endings.

Text is never turned into mojibake silently.  A file is read as UTF-8 (BOM or not) or UTF-16
when it is valid; a file with no UTF-8 sequences at all is a Windows-1252 file.  A UTF-8 file
with a few stray bytes (a Windows-1252 "ö" pasted into it) keeps its UTF-8 text, each stray
byte is read as the Windows-1252 character it most likely is, and every one is reported with
its line.  A one-byte file is Windows-1252 unless Mac OS Roman reads it better.  Text that was
encoded twice ("GÃ¶ran") is repaired and reported too, so that names in it are still found by
the pseudonymiser.
"""

from __future__ import annotations

import codecs
import contextvars
import re
import unicodedata
from dataclasses import dataclass

from workbench.errors import CorruptFile, EmptyFile

__all__ = ["Decoded", "decode_text", "normalise"]

# C0 controls other than tab, newline, form feed and carriage return: text files have none.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " "})
_INVISIBLE = re.compile("[\u00ad\u200b\u2060]")
# Well-formed UTF-8 sequences of two to four bytes: a single-byte encoding rarely makes them.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
# Characters that UTF-8 read as Windows-1252 leaves behind ("Ã¶", "â€“"): a cheap test before
# looking closer.
_MOJIBAKE_HINT = re.compile(
    "[ÂÃâ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122]"
)
_WORD = re.compile(r"\S+")
_NOTES_PER_FILE = 5

_strays: contextvars.ContextVar[list[tuple[int, int]]] = contextvars.ContextVar("strays")


def _stray_as_cp1252(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: read each byte UTF-8 refused as Windows-1252 and remember where."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    out = []
    for pos in range(exc.start, exc.end):
        byte = exc.object[pos : pos + 1]
        _strays.get().append((pos, byte[0]))
        out.append(byte.decode("cp1252", errors="replace"))
    return "".join(out), exc.end


codecs.register_error("workbench.cp1252", _stray_as_cp1252)


@dataclass(frozen=True)
class Decoded:
    """A file's text and what had to be repaired on the way (one line each, file and line named)."""

    text: str
    notes: tuple[str, ...] = ()


def normalise(text: str) -> str:
    """Return ``text`` with ``\\n`` line endings, in Unicode NFC, no-break spaces as spaces and
    without invisible characters (a soft hyphen or zero-width space inside a name hides it)."""
    if "\r" in text or "\u2028" in text or "\u2029" in text or "\x85" in text:
        text = _NEWLINES.sub("\n", text)
    if text.isascii():
        return text
    return _INVISIBLE.sub("", unicodedata.normalize("NFC", text).translate(_SPACES))


def _utf16_without_bom(data: bytes) -> str | None:
    """Guess UTF-16 without a byte-order mark from where the NUL bytes sit."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    codec = "utf-16-le" if odd > 0.4 * half and even == 0 else None
    if even > 0.4 * half and odd == 0:
        codec = "utf-16-be"
    if codec is None:
        return None
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _summarise(name: str, found: list[str], what: str) -> list[str]:
    """At most a few notes per file, then one line that says how many more there were."""
    if len(found) <= _NOTES_PER_FILE:
        return found
    rest = len(found) - _NOTES_PER_FILE + 1
    return [*found[: _NOTES_PER_FILE - 1], f"{name}: {rest} more {what}"]


def _mixed_utf8(data: bytes, name: str) -> tuple[str, list[str]]:
    """UTF-8 with stray single-byte characters: each read as Windows-1252 and reported."""
    token = _strays.set([])
    try:
        text = data.decode("utf-8-sig", errors="workbench.cp1252")
        strays = _strays.get()
    finally:
        _strays.reset(token)
    notes = []
    for pos, byte in strays:
        line = data.count(b"\n", 0, pos) + 1
        char = bytes([byte]).decode("cp1252", errors="replace")
        shown = f"as Windows-1252 {char!r}" if char != "\ufffd" else "as \ufffd (no such character)"
        notes.append(f"{name}: line {line}: byte 0x{byte:02X} is not UTF-8; read {shown}")
    return text, _summarise(name, notes, "bytes that were not UTF-8, read as Windows-1252")


def _undo_double_encoding(word: str) -> str:
    """``word`` as it was before its UTF-8 bytes were read as Windows-1252 (or Latin-1), when
    that is what happened; else ``word`` itself."""
    for codec in ("cp1252", "latin-1"):
        try:
            return word.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
    return word


def _repair_mojibake(text: str, name: str) -> tuple[str, list[str]]:
    """Repair words that were encoded twice ("GÃ¶ran Ã…hlstrÃ¶m" → "Göran Åhlström"), line by
    line, and report each line."""
    if not _MOJIBAKE_HINT.search(text):
        return text, []
    lines = text.split("\n")
    notes = []
    for i, line in enumerate(lines):
        if _MOJIBAKE_HINT.search(line):
            fixed = _WORD.sub(lambda m: _undo_double_encoding(m.group(0)), line)
            if fixed != line:
                lines[i] = fixed
                notes.append(f"{name}: line {i + 1}: text encoded twice was repaired")
    return "\n".join(lines), _summarise(name, notes, "lines encoded twice were repaired")


def _well_placed(text: str) -> int:
    """How many of the non-ASCII characters of ``text`` sit where letters do in words: lower
    case, or upper case at the start of a word ("gŒr" from a Mac file read as Windows-1252
    has a capital inside a word)."""
    score = 0
    for i, ch in enumerate(text):
        if ord(ch) >= 0x80 and ch.isalpha() and ch.lower() != ch.upper():
            score += ch.islower() or i == 0 or not text[i - 1].isalpha()
    return score


def _single_byte(data: bytes, name: str) -> tuple[str, list[str]]:
    """A file in a one-byte encoding: Windows-1252, unless Mac OS Roman fits its letters better."""
    readings = {}
    for codec in ("cp1252", "mac_roman"):
        try:
            readings[codec] = data.decode(codec)
        except UnicodeDecodeError:
            continue
    if not readings:
        raise CorruptFile(f"{name}: not text in UTF-8, UTF-16, Windows-1252 or Mac OS Roman")
    best = max(readings, key=lambda c: (_well_placed(readings[c]), c == "cp1252"))
    if best == "mac_roman":
        return readings[best], [f"{name}: read as Mac OS Roman (not UTF-8 or Windows-1252)"]
    return readings[best], []


def decode_text(data: bytes, name: str) -> Decoded:
    """Decode a text file: UTF-8 (BOM or not), UTF-16, or Windows-1252; see the module text.

    Raises
    ------
    EmptyFile
        The file holds only whitespace.
    CorruptFile
        The bytes are binary (NUL bytes, control characters) or cannot be decoded.
    """
    if not data.strip():
        raise EmptyFile(f"{name}: the file is empty")
    notes: list[str] = []
    text: str | None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise CorruptFile(f"{name}: not valid UTF-16 text ({exc.reason})") from exc
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = _utf16_without_bom(data) if b"\x00" in data else None
            if text is None:
                if b"\x00" in data:
                    raise CorruptFile(f"{name}: binary data, not a text file") from None
                sequences = _UTF8_MULTIBYTE.findall(data)
                invalid = len(_HIGH_BYTE.findall(data)) - sum(map(len, sequences))
                if sequences and len(sequences) >= invalid:
                    text, notes = _mixed_utf8(data, name)
                else:
                    text, notes = _single_byte(data, name)
    controls = len(_CONTROL.findall(text)) if _CONTROL.search(text) else 0
    if controls and (controls > 8 or "\x00" in text or controls * 200 > len(text)):
        raise CorruptFile(f"{name}: binary data, not a text file")
    if controls:
        text = _CONTROL.sub("", text)
    text, repaired = _repair_mojibake(normalise(text.lstrip("\ufeff")), name)
    if not text.strip():
        raise EmptyFile(f"{name}: the file holds no text")
    return Decoded(normalise(text) if repaired else text, (*notes, *repaired))
