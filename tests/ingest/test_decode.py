from __future__ import annotations

import pytest

from workbench.errors import CorruptFile, EmptyFile, UnsupportedFormat
from workbench.ingest import read
from workbench.ingest._decode import decode_text

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
    assert decode_text(data, "t.txt") == TEXT.replace("\r\n", "\n")


def test_decode_text_normalises_to_nfc_and_newlines() -> None:
    assert decode_text("Cafe\u0301\rett\r\ntva".encode(), "t") == "Café\nett\ntva"


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
