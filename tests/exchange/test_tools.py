"""Import files as NVivo, ATLAS.ti, MAXQDA and QualCoder write them (fixtures/<tool>/)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import workbench
from workbench.exchange import ExchangeReport, import_qdpx

FIXTURES = Path(__file__).parent / "fixtures"


def pack(tool: str, tmp_path: Path) -> Path:
    """Zip ``fixtures/<tool>/`` as the tool would (its own folder-name spelling kept)."""
    out = tmp_path / f"{tool}.qdpx"
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for file in sorted((FIXTURES / tool).rglob("*")):
            if file.is_file():
                zf.write(file, file.relative_to(FIXTURES / tool).as_posix())
    return out


def imported(tool: str, tmp_path: Path) -> tuple[ExchangeReport, set[tuple[str, str, str]]]:
    report = import_qdpx(pack(tool, tmp_path), tmp_path / "study", coder="me")
    with workbench.open(tmp_path / "study") as project:
        book = project.codebook
        codings = {
            (book.get(r.code).name(), r.coder, r.quote) for r in project.codings().itertuples()
        }
    return report, codings


def test_import_qdpx_nvivo_utf16_positions_crlf_and_bom(tmp_path: Path) -> None:
    report, codings = imported("nvivo", tmp_path)
    assert codings == {
        ("Väntan", "Kim", "var lång"),
        ("Bemötande", "Kim", "Personalen var 👍🏽 snäll"),
        ("Väntan", "Zsófi", "Hosszú sor állt az ügyfélszolgálaton 😤"),
        ("Bemötande", "Zsófi", "😤, de a munkatárs kedves volt 👍🏽"),
        ("Alkalmazás", "Zsófi", "összeomlott 🤦\u200d♀️, végül papíron"),
        ("Alkalmazás", "Zsófi", "elbi\u0301ra\u0301lva 🎉"),  # combining accents kept
        ("Väntan", "Zsófi", "három hét után."),
    }
    assert sum("UTF-16" in line for line in report.adjusted) == 2
    with workbench.open(tmp_path / "study") as project:
        docs = project.documents
        texts = [project.store.document_text(int(d)) for d in docs["document_id"]]
        people = project.participants
        times = project.codings(coder="Zsófi").sort_values("start")["created_at"]
    assert list(docs["document"]) == ["Anna intervju", "Éva interjú"]
    assert all(not t.startswith("\ufeff") and "\r" not in t for t in texts)
    assert list(people["participant"]) == ["P01", "P02"]
    assert list(people["Ålder"]) == ["41", "29"]
    # each coding's own time, in UTC (NVivo wrote +01:00)
    assert list(times) == [f"2023-11-0{i}T08:1{i}:30.000+00:00" for i in (1, 2, 3, 4, 5)]
    assert report.not_carried == []
    assert "2 coding(s) carry no time in the file: dated by this import" in report.adjusted


def test_import_qdpx_atlasti_crlf_as_one_and_spanning_selection(tmp_path: Path) -> None:
    report, codings = imported("atlasti", tmp_path)
    assert ("Teknisk kvalitet", "Sam", "appen kraschade") in codings
    # a selection across two paragraphs is kept on each, clipped to it
    assert ("Tid", "Sam", "lång tid.") in codings and ("Tid", "Sam", "Andra") in codings
    assert any("spans 2 segments" in line for line in report.adjusted)
    assert any("CRLF as one" in line for line in report.adjusted)
    text = "\n".join(report.not_carried)
    assert "outside the text" in text and "unknown code" in text
    with workbench.open(tmp_path / "study") as project:
        book = project.codebook
        assert book.get(book.sets[0].members[0]).name() == "Teknisk kvalitet"
        assert book.get(book.sets[0].members[0]).definition == {
            "en": "Hur tjänsten fungerar tekniskt."
        }


def test_import_qdpx_maxqda_uncoded_selection_unnamed_case_pdf(tmp_path: Path) -> None:
    report, codings = imported("maxqda", tmp_path)
    assert codings == {("App", "Mika", "bokade tid via appen")}
    text = "\n".join(report.not_carried)
    assert "'sms om ändrad tid'" in text and "no coding" in text  # reported, not dropped
    assert "PDF source 'Broschyr.pdf' (1 selection(s), 1 coding(s))" in text
    assert any("has no name" in line for line in report.adjusted)
    with workbench.open(tmp_path / "study") as project:
        people = project.participants
        assert list(people["Grupp"]) == ["Äldre"]  # a source variable joins its case
        book = project.codebook
        assert book.get(book.codes[1].id).parent == book.codes[0].id


def test_import_qdpx_qualcoder_categories_notes_picture(tmp_path: Path) -> None:
    report, codings = imported("qualcoder", tmp_path)
    assert codings == {("Rutin", "default", "Varje dag, den är en del av vardagen.")}
    with workbench.open(tmp_path / "study") as project:
        book = project.codebook
        assert [c.codable for c in book.codes] == [False, True]
        memos = project.store.memos_frame()
        assert set(zip(memos["kind"], memos["text"], strict=True)) == {
            ("document", "Deltagaren verkar van."),
            ("project", "Första intryck."),
        }
        segs = project.segments()
        assert list(segs["role"]) == ["interviewer", "interviewee"]  # read as a transcript
    assert any("picture source" in line for line in report.not_carried)


def test_import_qdpx_keeps_coding_times_in_utc(tmp_path: Path) -> None:
    imported("qualcoder", tmp_path)
    with workbench.open(tmp_path / "study") as project:
        assert list(project.codings()["created_at"]) == ["2024-03-01T10:00:00.000+00:00"]
