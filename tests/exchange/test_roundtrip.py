"""Export a project, import it into a fresh one: the same texts, codings, memos, people."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pandas as pd

import workbench
from workbench.exchange import export_qdpx, import_qdpx, validate_qdpx
from workbench.project._project import Project

from .test_identity import qdpx_parts
from .test_tools import FIXTURES, pack


def _codings(project: Project) -> set[tuple[str, str, str, str]]:
    frame = project.codings()
    return {
        (r.document, project.codebook.get(r.code).name(), r.coder, r.quote)
        for r in frame.itertuples()
    }


def _memos(project: Project) -> set[tuple[str, str, str, str]]:
    segs = project.segments().set_index("segment")
    docs = project.documents.set_index("document_id")
    out = set()
    for m in project.store.memos_frame().itertuples():
        target = m.target
        if m.kind == "segment":
            target = segs.loc[int(m.target), "text"]
        elif m.kind == "document":
            target = docs.loc[int(m.target), "document"]
        out.add((m.kind, str(target), m.coder, m.text))
    return out


def _texts(project: Project) -> dict[str, str]:
    docs = project.documents
    return {
        n: project.store.document_text(int(i))
        for n, i in zip(docs["document"], docs["document_id"], strict=True)
    }


def _people(project: Project) -> list[dict[str, str]]:
    frame = project.participants.drop(columns="participant_id")
    return sorted(
        ({k: v for k, v in row.items() if pd.notna(v)} for row in frame.to_dict("records")),
        key=lambda r: r["participant"],
    )


def test_export_qdpx_validates_against_schema(study: Project, tmp_path: Path) -> None:
    out = tmp_path / "study.qdpx"
    export_qdpx(study, out)
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        qde = zf.read("project.qde")
    assert names[0] == "project.qde"
    assert len([n for n in names if n.startswith("sources/") and n.endswith(".txt")]) == 2
    validate_qdpx(out)
    assert b"<Sets/>" not in qde


def test_export_qdpx_is_deterministic(study: Project, tmp_path: Path) -> None:
    export_qdpx(study, tmp_path / "a.qdpx")
    export_qdpx(study, tmp_path / "b.qdpx")
    assert (tmp_path / "a.qdpx").read_bytes() == (tmp_path / "b.qdpx").read_bytes()


def test_export_qdpx_positions_are_code_points(study: Project, tmp_path: Path) -> None:
    out = tmp_path / "study.qdpx"
    export_qdpx(study, out)
    with zipfile.ZipFile(out) as zf:
        qde = zf.read("project.qde").decode("utf-8")
        texts = {n: zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".txt")}
    anna = next(t for t in texts.values() if "vårdcentralen" in t)
    start = anna.index("litar")
    assert f'startPosition="{start}" endPosition="{start + 16}"' in qde
    assert "\r" not in anna and not anna.startswith("\ufeff")


def test_import_qdpx_round_trip(study: Project, tmp_path: Path) -> None:
    out = tmp_path / "study.qdpx"
    export_qdpx(study, out)
    report = import_qdpx(out, tmp_path / "copy", coder="importer")
    with workbench.open(tmp_path / "copy") as copy:
        assert _texts(copy) == _texts(study)
        assert _codings(copy) == _codings(study)
        assert _memos(copy) == _memos(study)
        assert _people(copy) == _people(study)
        a, b = study.codebook, copy.codebook
        assert [(c.id, c.label, c.parent, c.color, c.codable) for c in a.codes] == [
            (c.id, c.label, c.parent, c.color, c.codable) for c in b.codes
        ]
        assert b.get("queue").definition == a.get("queue").definition
        assert [(s.name, s.members) for s in b.sets] == [(s.name, s.members) for s in a.sets]
    # the store dates a memo when it is written: the one thing the round trip cannot keep
    assert report.not_carried == ["4 note date(s): memos are dated by this import"]
    assert len(report.documents) == 2 and report.codings == 5


def test_import_qdpx_twice_changes_nothing(study: Project, tmp_path: Path) -> None:
    out = tmp_path / "study.qdpx"
    export_qdpx(study, out)
    import_qdpx(out, tmp_path / "copy", coder="importer")
    with workbench.open(tmp_path / "copy") as copy:
        before = (_texts(copy), _codings(copy), _memos(copy), copy.codebook_version)
    report = import_qdpx(out, tmp_path / "copy", coder="importer")
    assert report.documents == [] and sorted(report.skipped) == ["anna.txt", "bo.txt"]
    assert report.codings == 0 and report.memos == 0 and report.codes_added == []
    with workbench.open(tmp_path / "copy") as copy:
        assert (_texts(copy), _codings(copy), _memos(copy), copy.codebook_version) == before


def test_import_qdpx_into_source_project_changes_nothing(study: Project, tmp_path: Path) -> None:
    out = tmp_path / "study.qdpx"
    export_qdpx(study, out)
    before = (_codings(study), _memos(study), study.codebook_version)
    report = import_qdpx(out, study.path, coder="importer")
    assert report.documents == [] and report.codings == 0 and report.codes_added == []
    assert (_codings(study), _memos(study), study.codebook_version) == before


def _nvivo_selections() -> dict[str, list[tuple[str, str]]]:
    """Every NVivo selection as (coder, quote), read straight from the fixture: UTF-16 offsets
    into the text without its BOM, then CRLF -> LF (the workbench's line ends)."""
    root = ET.parse(FIXTURES / "nvivo" / "project.qde").getroot()
    ns = {"q": "urn:QDA-XML:project:1.0"}
    users = {u.get("guid", "").strip("{}"): u.get("name") for u in root.iterfind(".//q:User", ns)}
    found: dict[str, list[tuple[str, str]]] = {}
    for src in root.iterfind(".//q:TextSource", ns):
        data = (FIXTURES / "nvivo" / "Sources" / f"{src.get('guid')}.txt").read_bytes()
        units = data.decode("utf-8").removeprefix("\ufeff").encode("utf-16-le")
        for sel in src.iterfind("q:PlainTextSelection", ns):
            a, b = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
            quote = units[2 * a : 2 * b].decode("utf-16-le").replace("\r\n", "\n")
            who = users[sel.get("creatingUser", "").strip("{}")]
            found.setdefault(str(src.get("name")), []).append((str(who), quote))
    return found


def _quotes(project: Project) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for row in project.codings().sort_values(["document", "start"]).itertuples():
        found.setdefault(str(row.document), []).append((str(row.coder), str(row.quote)))
    return found


def test_nvivo_project_survives_our_own_round_trip(tmp_path: Path) -> None:
    """Issue 16: NVivo (UTF-16 positions, BOM, CRLF, emoji) -> import -> export -> import."""
    expected = _nvivo_selections()
    assert sum(len(v) for v in expected.values()) == 7
    import_qdpx(pack("nvivo", tmp_path), tmp_path / "first", coder="me")
    with workbench.open(tmp_path / "first") as first:
        assert _quotes(first) == expected  # every quote is NVivo's selection
        export_qdpx(first, tmp_path / "again.qdpx")
    import_qdpx(tmp_path / "again.qdpx", tmp_path / "second", coder="me")
    with workbench.open(tmp_path / "second") as second:
        assert _quotes(second) == expected  # and stays it after our own round trip
        export_qdpx(second, tmp_path / "third.qdpx")
    assert qdpx_parts(tmp_path / "third.qdpx") == qdpx_parts(tmp_path / "again.qdpx")
    with zipfile.ZipFile(tmp_path / "again.qdpx") as zf:
        qde = zf.read("project.qde").decode("utf-8")
    assert 'name="Besök" origin="Vardag workbench"' in qde  # NVivo's project name kept
