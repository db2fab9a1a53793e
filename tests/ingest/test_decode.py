from __future__ import annotations

import pytest

from workbench.errors import CorruptFile, EmptyFile, UnsupportedFormat
from workbench.ingest import read
from workbench.ingest._decode import Decoded, decode_text

TEXT = "Intervjuare: Hur mår du?\r\nRespondent: Bra, tack. Café är öppet."


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        TEXT.encode("utf-8-sig"),
        TEXT.encode("utf-16"),
        TEXT.encode("utf-16-le"),
        TEXT.encode("cp1252"),
    ],
)
def test_decode_text_encodings(data: bytes) -> None:
    assert decode_text(data, "t.txt") == Decoded(TEXT.replace("\r\n", "\n"))


def test_decode_text_normalises_to_nfc_and_newlines() -> None:
    assert decode_text("Cafe\u0301\rett\r\ntva".encode(), "t").text == "Café\nett\ntva"


def test_decode_text_binary_is_corrupt() -> None:
    with pytest.raises(CorruptFile, match="^t.txt: binary data"):
        decode_text(b"\x00\x01\x02\x03abc\x00\xff\xfe\x00\x00\x13", "t.txt")


def test_read_empty_file(tmp_path) -> None:
    (tmp_path / "e.txt").write_bytes(b"  \n\n ")
    with pytest.raises(EmptyFile, match="^e.txt: "):
        read(tmp_path / "e.txt")


def test_read_unsupported_extension(tmp_path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    with pytest.raises(UnsupportedFormat, match=r"^a.pdf: \.pdf cannot be read"):
        read(tmp_path / "a.pdf")


def test_read_missing_file_is_import_failed(tmp_path) -> None:
    from workbench.errors import ImportFailed

    with pytest.raises(ImportFailed, match="^nope.txt: cannot be read"):
        read(tmp_path / "nope.txt")


def test_read_checksum_and_name(tmp_path) -> None:
    import hashlib

    data = TEXT.encode("cp1252")
    (tmp_path / "w.txt").write_bytes(data)
    [doc] = read(tmp_path / "w.txt")
    assert doc.checksum == hashlib.sha256(data).hexdigest()
    assert doc.name == "w.txt"
    assert "Café är öppet." in doc.text


MIXED = "Intervjuare: Berätta om kontrollen.\nÅsa Öberg: Göran Ahlström kom – det gick bra.\n"


def test_decode_text_stray_cp1252_byte_in_utf8_is_read_and_reported() -> None:
    # One Windows-1252 en dash (0x96) pasted into a UTF-8 file: the file stays UTF-8.
    data = MIXED.encode().replace("–".encode(), b"\x96")
    decoded = decode_text(data, "mixed.txt")
    assert decoded.text == MIXED
    assert decoded.notes == ("mixed.txt: line 2: byte 0x96 is not UTF-8; read as Windows-1252 '–'",)


def test_decode_text_undefined_stray_byte_is_replaced_and_reported() -> None:
    data = "Åsa: hej \x00".replace("\x00", "").encode() + b"\x81 d\xc3\xa5\n"
    decoded = decode_text(data, "x.txt")
    assert decoded.text == "Åsa: hej \ufffd då\n"
    assert decoded.notes == (
        "x.txt: line 1: byte 0x81 is not UTF-8; read as \ufffd (no such character)",
    )


def test_decode_text_many_stray_bytes_are_summarised() -> None:
    lines = [f"Åsa: rad {i} \x96 slut" for i in range(20)]
    data = "\n".join(lines).encode().replace("\x96".encode(), b"\x96")
    decoded = decode_text(data, "m.txt")
    assert "\ufffd" not in decoded.text and decoded.text.count("–") == 20
    assert len(decoded.notes) == 5
    assert decoded.notes[-1] == "m.txt: 16 more bytes that were not UTF-8, read as Windows-1252"


def test_decode_text_whole_cp1252_file_is_not_reported() -> None:
    assert decode_text(MIXED.encode("cp1252"), "w.txt") == Decoded(MIXED)


def test_decode_text_repairs_text_encoded_twice() -> None:
    twice = MIXED.encode().decode("cp1252")  # "GÃ¶ran AhlstrÃ¶m"
    decoded = decode_text(twice.encode(), "twice.txt")
    assert decoded.text == MIXED
    assert decoded.notes == (
        "twice.txt: line 1: text encoded twice was repaired",
        "twice.txt: line 2: text encoded twice was repaired",
    )


def test_read_mixed_file_keeps_speaker_and_pseudonymises_names(tmp_path) -> None:
    from workbench.ingest import Pseudonymiser

    (tmp_path / "m.txt").write_bytes(MIXED.encode().replace("–".encode(), b"\x96"))
    key = Pseudonymiser(names=["Göran Ahlström"])
    [doc] = read(tmp_path / "m.txt", pseudonymiser=key, interviewers=["Intervjuare"])
    assert [s.speaker for s in doc.segments] == ["Interviewer", "P01"]
    assert "Göran" not in doc.text and "Åsa" not in doc.text and "Ã" not in doc.text
    assert "[Person 1] kom – det gick bra" in doc.text
    assert doc.notes == ("m.txt: line 2: byte 0x96 is not UTF-8; read as Windows-1252 '–'",)


def test_decode_text_mac_roman_is_recognised_and_reported() -> None:
    text = "Intervjuare: Hej\nSixten Åhrvall: Jag går och gör det, Göran."
    decoded = decode_text(text.encode("mac_roman"), "mac.txt")
    assert decoded.text == text
    assert decoded.notes == ("mac.txt: read as Mac OS Roman (not UTF-8 or Windows-1252)",)
    assert decode_text(text.encode("cp1252"), "w.txt") == Decoded(text)


def test_decode_text_repairs_every_double_encoded_letter() -> None:
    twice = "Göran Åhlström sa – ok, Örjan".encode().decode("cp1252")  # "Ã…hlstrÃ¶m"
    assert decode_text(twice.encode(), "t.txt").text == "Göran Åhlström sa – ok, Örjan"


def test_decode_text_invisible_characters_and_no_break_spaces() -> None:
    assert decode_text("Gö\u00adran\u00a0Åhl\u200bström".encode(), "t.txt").text == "Göran Åhlström"
