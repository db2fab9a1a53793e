"""Unsafe or broken files fail with one clear line and leave the project as it was."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from workbench.errors import ExchangeError
from workbench.exchange import _safety, export_qdpx, import_qdpx
from workbench.project._project import Project

from .test_tools import pack

QDE_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def project_qde(body: str = "", extra: str = "") -> bytes:
    return (
        QDE_HEAD + f'{extra}<Project xmlns="urn:QDA-XML:project:1.0" name="x">{body}</Project>'
    ).encode()


def fails(file: Path, target: Path, match: str) -> str:
    with pytest.raises(ExchangeError, match=match) as info:
        import_qdpx(file, target)
    message = str(info.value)
    assert "\n" not in message and file.name in message
    return message


def test_import_qdpx_refuses_a_non_zip(tmp_path: Path) -> None:
    file = tmp_path / "notes.qdpx"
    file.write_text("just text", encoding="utf-8")
    fails(file, tmp_path / "study", "not a zip file")
    assert not (tmp_path / "study").exists()


def test_import_qdpx_refuses_a_missing_file(tmp_path: Path) -> None:
    fails(tmp_path / "absent.qdpx", tmp_path / "study", "no such file")


@pytest.mark.parametrize("member", ["../evil.txt", "sources/../../evil.txt", "/etc/evil.txt"])
def test_import_qdpx_refuses_paths_outside_the_archive(tmp_path: Path, member: str) -> None:
    file = make_zip(tmp_path / "x.qdpx", {"project.qde": project_qde(), member: b"x"})
    message = fails(file, tmp_path / "study", "outside the archive")
    assert member in message
    assert not (tmp_path / "study").exists() and not (tmp_path / "evil.txt").exists()


def test_import_qdpx_refuses_a_zip_bomb_by_ratio(tmp_path: Path) -> None:
    file = make_zip(
        tmp_path / "x.qdpx", {"project.qde": project_qde(), "sources/a.txt": b"0" * 3_000_000}
    )
    fails(file, tmp_path / "study", "zip bomb")


def test_import_qdpx_refuses_more_than_the_total_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_safety, "MAX_TOTAL", 1000)
    file = make_zip(
        tmp_path / "x.qdpx", {"project.qde": project_qde(), "sources/a.txt": b"1" * 2000}
    )
    fails(file, tmp_path / "study", "MB allowed")


def test_import_qdpx_refuses_a_member_whose_declared_size_lies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = make_zip(
        tmp_path / "x.qdpx", {"project.qde": project_qde(), "sources/a.txt": b"ab" * 500}
    )
    real = zipfile.ZipFile.infolist

    def lying(self: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
        infos = real(self)
        for info in infos:
            if info.filename == "sources/a.txt":
                info.file_size = 10
        return infos

    monkeypatch.setattr(zipfile.ZipFile, "infolist", lying)
    fails(file, tmp_path / "study", "more than it declares|damaged")


def test_import_qdpx_refuses_entities_and_dtds(tmp_path: Path) -> None:
    laughs = '<!DOCTYPE Project [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
    file = make_zip(tmp_path / "a.qdpx", {"project.qde": project_qde("&lol2;", laughs)})
    fails(file, tmp_path / "study", "refused")
    external = '<!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    file = make_zip(tmp_path / "b.qdpx", {"project.qde": project_qde("&x;", external)})
    fails(file, tmp_path / "study", "refused")
    assert not (tmp_path / "study").exists()


def test_import_qdpx_reports_malformed_xml_with_its_line(tmp_path: Path) -> None:
    file = make_zip(tmp_path / "x.qdpx", {"project.qde": b"<Project>\n<Users>\n</Project>"})
    fails(file, tmp_path / "study", "line 3: not well-formed")


def test_import_qdpx_needs_a_project_qde(tmp_path: Path) -> None:
    file = make_zip(tmp_path / "x.qdpx", {"sources/a.txt": b"hello"})
    fails(file, tmp_path / "study", "no project.qde")


def test_import_qdpx_names_a_bad_position(tmp_path: Path) -> None:
    body = (
        '<Sources><TextSource guid="51000000-0000-4000-8000-000000000001" name="a.txt">'
        "<PlainTextContent>Hej</PlainTextContent>"
        '<PlainTextSelection guid="51000000-0000-4000-8000-000000000002" '
        'startPosition="one" endPosition="2"/></TextSource></Sources>'
    )
    file = make_zip(tmp_path / "x.qdpx", {"project.qde": project_qde(body)})
    message = fails(file, tmp_path / "study", "startPosition 'one' is not a whole number")
    assert "'a.txt'" in message


def test_import_qdpx_failure_leaves_an_existing_project_unchanged(
    study: Project, tmp_path: Path
) -> None:
    before = (len(study.documents), len(study.codings()), study.codebook_version)
    file = make_zip(tmp_path / "x.qdpx", {"project.qde": project_qde("<Users>"), "a": b""})
    fails(file, study.path, "not well-formed")
    assert (len(study.documents), len(study.codings()), study.codebook_version) == before


def test_import_qdpx_write_failure_removes_the_new_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> int:
        raise ExchangeError("disk full")

    monkeypatch.setattr("workbench.store.Store.bulk_add_codings", broken)
    with pytest.raises(ExchangeError, match="disk full"):
        import_qdpx(pack("nvivo", tmp_path), tmp_path / "study")
    assert not (tmp_path / "study").exists()


def test_import_qdpx_refuses_a_folder_with_other_files(study: Project, tmp_path: Path) -> None:
    export_qdpx(study, tmp_path / "s.qdpx")
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.md").write_text("mine", encoding="utf-8")
    with pytest.raises(ExchangeError, match="not empty"):
        import_qdpx(tmp_path / "s.qdpx", tmp_path / "busy")
    assert [p.name for p in (tmp_path / "busy").iterdir()] == ["notes.md"]
