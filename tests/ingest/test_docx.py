from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from workbench.errors import CorruptFile, EmptyFile
from workbench.ingest import TableColumns, read

from .conftest import FIXTURES


def test_read_docx_prefix_labels_with_timestamps() -> None:
    [doc] = read(FIXTURES / "prefix.docx")
    assert doc.format == "docx"
    # The title before the first speaker stays in the text but is not a segment.
    assert doc.text.startswith("Intervju")
    assert [(s.speaker, s.start_time) for s in doc.segments] == [
        ("Intervjuare", 5.0),
        ("Sofia", 9.0),
        ("Intervjuare", 30.0),
        ("Sofia", 33.0),
    ]
    assert doc.segments[1].text.endswith("Sedan kommer leveranserna, t.ex. mjölet.")
    assert doc.participant == "Sofia"


def test_read_docx_bold_speaker_runs() -> None:
    [doc] = read(FIXTURES / "bold.docx")
    assert [s.speaker for s in doc.segments] == ["Interviewer", "Kwame", "Interviewer", "Kwame"]
    assert doc.segments[0].text == "How did the inspection go?"
    # an unlabelled paragraph continues the last turn
    assert doc.segments[3].text.endswith("\n\nHe laughs and continues about the paperwork.")


def test_read_docx_two_column_table() -> None:
    [doc] = read(FIXTURES / "table2.docx")
    assert [s.speaker for s in doc.segments] == ["Speaker 1", "Speaker 2"] * 2
    assert doc.segments[0].role == "interviewer"
    assert doc.segments[1].text == "We sell groceries. Mostly local produce."


def test_read_docx_three_column_table_with_times() -> None:
    [doc] = read(FIXTURES / "table3.docx")
    timed = [(s.speaker, s.start_time, s.end_time) for s in doc.segments]
    assert timed == [
        ("Speaker 1", 1.0, 6.0),
        ("Speaker 2", 6.0, 15.0),
        ("Speaker 1", 15.0, 19.0),
        ("Speaker 2", 19.0, None),
    ]


def test_read_docx_whole_bold_title_is_not_a_speaker(write) -> None:
    d = docx.Document()
    d.add_paragraph().add_run("Intervju med kund").bold = True
    d.add_paragraph("Anna: Hej.")
    d.add_paragraph("Bo: Hallå.")
    buffer = io.BytesIO()
    d.save(buffer)
    [doc] = read(write("t.docx", buffer.getvalue()))
    assert [s.speaker for s in doc.segments] == ["Anna", "Bo"]


def test_read_docx_without_text_is_empty(write) -> None:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with pytest.raises(EmptyFile, match="t.docx"):
        read(write("t.docx", buffer.getvalue()))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "password-protected"),
        (b"PK\x03\x04 this is not really a zip", "not a zip"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "not a zip"),
    ],
)
def test_read_docx_corrupt_files_raise_corrupt_file(write, content: bytes, reason: str) -> None:
    with pytest.raises(CorruptFile, match=f"^bad.docx: .*{reason}"):
        read(write("bad.docx", content))


def test_read_docx_zip_that_is_not_word_raises_corrupt_file(write) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(CorruptFile, match="^other.docx: not a readable Word document"):
        read(write("other.docx", buffer.getvalue()))


def test_read_docx_truncated_raises_corrupt_file(write) -> None:
    data = (FIXTURES / "prefix.docx").read_bytes()
    with pytest.raises(CorruptFile) as info:
        read(write("cut.docx", data[: len(data) // 2]))
    assert "\n" not in str(info.value)


def _bold_doc(write, rows: list[tuple[str, str]]):
    d = docx.Document()
    for bold, rest in rows:
        p = d.add_paragraph()
        p.add_run(bold).bold = True
        p.add_run(rest)
    buffer = io.BytesIO()
    d.save(buffer)
    return write("b.docx", buffer.getvalue())


def test_read_docx_bold_without_colon_repeated_is_speaker(write) -> None:
    path = _bold_doc(write, [("Anna", " Hur?"), ("Bo", " Så."), ("Anna", " Och?"), ("Bo", " Ja.")])
    [doc] = read(path)
    assert [s.speaker for s in doc.segments] == ["Anna", "Bo", "Anna", "Bo"]


def test_read_docx_bold_emphasis_is_not_speaker(write) -> None:
    path = _bold_doc(write, [("I:", " Hur?"), ("R:", " Bra."), ("Viktigt", " är att svara i tid.")])
    [doc] = read(path)
    assert [s.speaker for s in doc.segments] == ["I", "R"]
    assert doc.segments[1].text == "Bra.\n\nViktigt är att svara i tid."


def test_read_docx_bold_label_with_timestamp(write) -> None:
    path = _bold_doc(write, [("[00:00:04] Anna:", " Hur?"), ("[00:01:10] Bo:", " Så.")])
    [doc] = read(path)
    assert [(s.speaker, s.start_time, s.end_time) for s in doc.segments] == [
        ("Anna", 4.0, 70.0),
        ("Bo", 70.0, None),
    ]


def _bomb(member: str, size: int) -> bytes:
    """A valid-looking Office file whose one part unpacks to ``size`` bytes of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(member, "w", force_zip64=True) as part:
            chunk = bytes(1 << 20)
            for _ in range(size >> 20):
                part.write(chunk)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "member", "table"),
    [
        ("bomb.docx", "word/document.xml", None),
        ("bomb.xlsx", "xl/worksheets/sheet1.xml", TableColumns("id", "text")),
    ],
)
def test_read_zip_bomb_is_refused_before_unpacking(
    tmp_path: Path, name: str, member: str, table: TableColumns | None
) -> None:
    import resource

    data = _bomb(member, 256 << 20)  # 256 MB of zeros in well under 1 MB
    assert len(data) < 1 << 20
    (tmp_path / name).write_bytes(data)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(CorruptFile, match=rf"^{name}: part '{member}' expands more than 200:1"):
        read(tmp_path / name, table=table)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 50


def test_read_docx_that_unpacks_too_much_in_all_is_refused(tmp_path: Path) -> None:
    from workbench.ingest import _zip

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for i in range(3):
            archive.writestr(f"word/media/image{i}.png", bytes(1 << 20))
    (tmp_path / "big.docx").write_bytes(out.getvalue())
    limit = _zip.MAX_TOTAL
    _zip.MAX_TOTAL = 2 << 20
    try:
        with pytest.raises(CorruptFile, match="unpacks to more than 2 MB"):
            read(tmp_path / "big.docx")
    finally:
        _zip.MAX_TOTAL = limit
