"""Turn a text file's bytes into clean text: encoding detected, NFC, ``\\n`` line endings."""

from __future__ import annotations

import codecs
import re
import unicodedata

from workbench.errors import CorruptFile, EmptyFile

__all__ = ["decode_text", "normalise"]

# C0 controls other than tab, newline, form feed and carriage return: text files have none.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")


def normalise(text: str) -> str:
    """Return ``text`` with ``\\n`` line endings and in Unicode NFC."""
    if "\r" in text or "\u2028" in text or "\u2029" in text or "\x85" in text:
        text = _NEWLINES.sub("\n", text)
    return text if text.isascii() else unicodedata.normalize("NFC", text)


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


def decode_text(data: bytes, name: str) -> str:
    """Decode a text file: UTF-8 (BOM or not), UTF-16 (BOM), else Windows-1252.

    Raises
    ------
    EmptyFile
        The file holds only whitespace.
    CorruptFile
        The bytes are binary (NUL bytes, control characters) or cannot be decoded.
    """
    if not data.strip():
        raise EmptyFile(f"{name}: the file is empty")
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
                try:
                    text = data.decode("cp1252")
                except UnicodeDecodeError as exc:
                    raise CorruptFile(
                        f"{name}: not text in UTF-8, UTF-16 or Windows-1252 (byte {exc.start})"
                    ) from exc
    controls = len(_CONTROL.findall(text)) if _CONTROL.search(text) else 0
    if controls and (controls > 8 or "\x00" in text or controls * 200 > len(text)):
        raise CorruptFile(f"{name}: binary data, not a text file")
    if controls:
        text = _CONTROL.sub("", text)
    text = normalise(text.lstrip("\ufeff"))
    if not text.strip():
        raise EmptyFile(f"{name}: the file holds no text")
    return text
