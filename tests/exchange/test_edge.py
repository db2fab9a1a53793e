"""Corners: an empty project, the same text twice, parts the workbench has no place for."""

from __future__ import annotations

import zipfile
from pathlib import Path

import workbench
from workbench.exchange import export_qdpx, import_qdpx, validate_qdpx

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
