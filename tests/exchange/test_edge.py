"""Corners: an empty project, the same text twice, parts the workbench has no place for."""

from __future__ import annotations

import zipfile
from pathlib import Path

import workbench
from workbench.exchange import export_qdpx, import_qdpx, validate_qdpx
from workbench.exchange._common import DESCRIBED
from workbench.store import Origin

from .conftest import BOOK
from .test_safety import make_zip, project_qde


def test_export_qdpx_empty_project_validates(tmp_path: Path) -> None:
    with workbench.init(tmp_path / "empty", codebook=BOOK) as project:
        report = export_qdpx(project, tmp_path / "empty.qdpx")
    assert report.documents == [] and report.not_carried == []
    with zipfile.ZipFile(tmp_path / "empty.qdpx") as zf:
        assert zf.namelist() == ["project.qde"]
    validate_qdpx(tmp_path / "empty.qdpx")


def test_import_qdpx_same_text_twice_and_unplaceable_parts(tmp_path: Path) -> None:
    code = "C0000000-0000-4000-8000-000000000001"
    sources = "".join(
        f'<TextSource guid="5000000{i}-0000-4000-8000-000000000001" name="t{i}.txt">'
        "<PlainTextContent>Hej hej.</PlainTextContent>"
        f'<PlainTextSelection guid="5100000{i}-0000-4000-8000-000000000001" '
        f'startPosition="0" endPosition="3"><Coding guid="5200000{i}-0000-4000-8000-'
        f'000000000001"><CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>'
        "</TextSource>"
        for i in (1, 2)
    )
    body = (
        f'<CodeBook><Codes><Code guid="{code}" name="Hälsning" isCodable="true"/></Codes>'
        f"</CodeBook><Sources>{sources}</Sources>"
        '<Links><Link guid="53000000-0000-4000-8000-000000000001"/></Links>'
    )
    file = make_zip(tmp_path / "x.qdpx", {"project.qde": project_qde(body)})
    report = import_qdpx(file, tmp_path / "study", coder="me")
    assert report.documents == ["t1.txt"] and report.codings == 1
    assert any("the same text as 't1.txt'" in line for line in report.adjusted)
    assert "1 link(s) in <Links>" in report.not_carried
    with workbench.open(tmp_path / "study") as project:
        assert list(project.codings()["quote"]) == ["Hej"]
        assert list(project.codings()["coder"]) == ["me"]  # no creatingUser: the importer


def test_import_qdpx_backslash_hierarchy_and_empty_sets(tmp_path: Path) -> None:
    """A Taguette-style codebook (levels in the name) and an empty ``<Sets/>`` still read."""
    codes = "".join(
        f'<Code guid="C000000{i}-0000-4000-8000-000000000001" name="{name}" isCodable="true"/>'
        for i, name in enumerate(["Kvalitet\\Teknisk", "Kvalitet\\Funktionell"])
    )
    body = f"<CodeBook><Codes>{codes}</Codes></CodeBook><Sets/>"
    file = make_zip(tmp_path / "t.qdpx", {"project.qde": project_qde(body)})
    import_qdpx(file, tmp_path / "study")
    with workbench.open(tmp_path / "study") as project:
        book = project.codebook
        assert [book.path(c.id) for c in book.codes] == [
            ["Kvalitet"],
            ["Kvalitet", "Teknisk"],
            ["Kvalitet", "Funktionell"],
        ]


def test_import_qdpx_reads_the_suggestion_marker_and_reports_what_it_cannot_keep(
    tmp_path: Path,
) -> None:
    code, user = "C0000000-0000-4000-8000-000000000001", "A0000000-0000-4000-8000-000000000001"
    sel = (
        '<PlainTextSelection guid="5100000{i}-0000-4000-8000-000000000001" startPosition="{a}" '
        'endPosition="{b}" creatingUser="' + user + '" modifiedDateTime="2024-01-01T00:00:00Z">'
        "<Description>{d}</Description>"
        '<Coding guid="5200000{i}-0000-4000-8000-000000000001" creationDateTime="{t}">'
        f'<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>'
    )
    sels = sel.format(
        i=1, a=0, b=3, d=DESCRIBED[Origin.SUGGESTION], t="2024-05-01T12:00:00+02:00"
    ) + sel.format(i=2, a=4, b=8, d="Viktigt citat", t="yesterday")
    body = (
        f'<Users><User guid="{user}" name="Kim"/></Users>'
        f'<CodeBook><Codes><Code guid="{code}" name="Hälsning" isCodable="true"/></Codes>'
        '</CodeBook><Sources><TextSource guid="50000001-0000-4000-8000-000000000001" name="t.txt" '
        'creationDateTime="2024-01-01T00:00:00Z"><Description>Intervju 1</Description>'
        f"<PlainTextContent>Hej hej där.</PlainTextContent>{sels}</TextSource></Sources>"
        '<Notes><Note guid="53000000-0000-4000-8000-000000000001" name="n" '
        'creationDateTime="2024-01-01T00:00:00Z"><PlainTextContent>Minne</PlainTextContent>'
        "</Note></Notes>"
    )
    qde = project_qde(body).replace(
        b'name="x"', b'name="x" creationDateTime="2024-01-01T00:00:00Z"'
    )
    report = import_qdpx(make_zip(tmp_path / "x.qdpx", {"project.qde": qde}), tmp_path / "s")
    with workbench.open(tmp_path / "s") as project:
        codings = project.codings().sort_values("start")
        assert list(codings["origin"]) == ["suggestion", "human"]
        assert codings["created_at"].iloc[0] == "2024-05-01T10:00:00.000+00:00"
    lines = "\n".join(report.not_carried)
    assert "1 selection description(s): the workbench has no place for them" in lines
    assert "1 source description(s)" in lines
    assert "1 note date(s): memos are dated by this import" in lines
    assert "2 selection change(s)" in lines and "1 source date(s)" in lines
    assert "1 date(s) and user(s) of the project itself" in lines
    assert "time 'yesterday' is no date-time" in lines


def test_import_qdpx_recuts_a_vardag_source_whose_segments_do_not_fit(tmp_path: Path) -> None:
    with workbench.init(tmp_path / "study", codebook=BOOK) as project:
        project.store.import_transcripts(
            [workbench.ingest.Transcript("a.txt", "txt", "x", "Hej.\n\nHopp.", [], "sv")],
            user="t",
            participant_pseudonym=lambda label, known: "P01",
        )
        export_qdpx(project, tmp_path / "a.qdpx")
    with zipfile.ZipFile(tmp_path / "a.qdpx") as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members["project.qde"] = members["project.qde"].replace(
        b'"segments": []', b'"segments": [[0, 99, "interviewee", null, null, null]]'
    )
    report = import_qdpx(make_zip(tmp_path / "b.qdpx", members), tmp_path / "copy")
    assert "source 'a.txt': its segments do not fit its text; cut again" in report.adjusted
    with workbench.open(tmp_path / "copy") as copy:
        assert list(copy.segments()["text"]) == ["Hej.", "Hopp."]


def test_import_qdpx_says_when_it_codes_an_interviewer_turn(tmp_path: Path) -> None:
    code = "C0000000-0000-4000-8000-000000000001"
    text = "Q: Hur ofta använder du tjänsten?\nP3: Varje dag."
    body = (
        f'<CodeBook><Codes><Code guid="{code}" name="Fråga" isCodable="true"/></Codes>'
        '</CodeBook><Sources><TextSource guid="50000001-0000-4000-8000-000000000001" '
        f'name="p3.txt"><PlainTextContent>{text}</PlainTextContent>'
        '<PlainTextSelection guid="51000001-0000-4000-8000-000000000001" startPosition="3" '
        'endPosition="11"><Coding guid="52000001-0000-4000-8000-000000000001">'
        f'<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection></TextSource></Sources>'
    )
    file = make_zip(tmp_path / "q.qdpx", {"project.qde": project_qde(body)})
    report = import_qdpx(file, tmp_path / "study", coder="me")
    assert any(line.startswith("1 coding(s) lie on interviewer turns") for line in report.adjusted)
    with workbench.open(tmp_path / "study") as project:
        assert list(project.codings()["quote"]) == ["Hur ofta"]
