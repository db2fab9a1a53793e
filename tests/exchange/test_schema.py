"""Every ``.qdc`` and ``.qdpx`` writer we have produces files valid against the shipped
REFI-QDA schemas, whatever came in (hand-made ids, other tools' exports, any project)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

import workbench
from workbench import cli
from workbench.codebook import (
    Codebook,
    builtin_codebook,
    codebook_to_qdc,
    load_codebook,
    save_codebook,
)
from workbench.errors import ExchangeError
from workbench.exchange import export_qdpx, import_qdpx, validate_qdc, validate_qdpx
from workbench.project._project import Project

from .conftest import build_project
from .test_safety import make_zip, project_qde
from .test_tools import pack

CODEBOOKS = Path(__file__).parents[1] / "codebook" / "fixtures"
YAML_WITH_IDS = """\
id: made
title: {en: Made by hand}
codes:
  - id: wait
    label: {en: Waiting}
    guid: c001
  - id: trust
    label: {en: Trust}
    guid: "{not-a-uuid}"
sets:
  - id: core
    name: Core
    members: [wait, trust]
    guid: s1
"""


def _run(*argv: str) -> None:
    assert cli.main(list(argv)) == 0


def _qdc_writers() -> dict[str, Callable[[Codebook, Path], Path]]:
    def to_qdc(book: Codebook, tmp: Path) -> Path:
        (tmp / "a.qdc").write_text(codebook_to_qdc(book), encoding="utf-8")
        return tmp / "a.qdc"

    def save(book: Codebook, tmp: Path) -> Path:
        save_codebook(book, tmp / "b.qdc")
        return tmp / "b.qdc"

    def convert(book: Codebook, tmp: Path) -> Path:
        save_codebook(book, tmp / "in.yaml")
        _run("codebook", "convert", str(tmp / "in.yaml"), str(tmp / "c.qdc"))
        return tmp / "c.qdc"

    def merge(book: Codebook, tmp: Path) -> Path:
        save_codebook(book, tmp / "base.yaml")
        base = str(tmp / "base.yaml")
        _run("codebook", "merge", base, base, base, "-o", str(tmp / "d.qdc"))
        return tmp / "d.qdc"

    def project_export(book: Codebook, tmp: Path) -> Path:
        workbench.init(tmp / "p", codebook=book).close()
        _run("codebook", "export", str(tmp / "p"), str(tmp / "e.qdc"))
        return tmp / "e.qdc"

    return {
        "codebook_to_qdc": to_qdc,
        "save_codebook": save,
        "codebook convert": convert,
        "codebook merge": merge,
        "codebook export": project_export,
    }


def _codebooks(tmp: Path) -> dict[str, Codebook]:
    (tmp / "ids.yaml").write_text(YAML_WITH_IDS, encoding="utf-8")
    return {
        "hand-made ids": load_codebook(CODEBOOKS / "hand-made.qdc"),
        "Taguette": load_codebook(CODEBOOKS / "taguette-1.5.2.qdc"),
        "ATLAS.ti": load_codebook(CODEBOOKS / "atlasti-23.4.qdc"),
        "YAML with ids": load_codebook(tmp / "ids.yaml"),
        "built-in": builtin_codebook(),
    }


@pytest.mark.parametrize("writer", list(_qdc_writers()))
def test_every_qdc_writer_validates_whatever_came_in(writer: str, tmp_path: Path) -> None:
    for name, book in _codebooks(tmp_path).items():
        folder = tmp_path / f"{writer}-{name}".replace(" ", "_")
        folder.mkdir()
        written = _qdc_writers()[writer](book, folder)
        validate_qdc(written.read_bytes(), f"{writer} of {name}")
        assert load_codebook(written).ids() == book.ids()


def _projects(tmp: Path) -> dict[str, Project]:
    """Projects built from every tool's file, from a hand-made one and by hand."""
    found = {"by hand": build_project(tmp / "by-hand")}
    for tool in ("nvivo", "atlasti", "maxqda", "qualcoder"):
        import_qdpx(pack(tool, tmp), tmp / tool, coder="me")
        found[tool] = workbench.open(tmp / tool)
    code = '<Code guid="c001" name="Kö" isCodable="true"/>'
    body = (
        '<Users><User guid="u1" name="Sam"/></Users>'
        f"<CodeBook><Codes>{code}</Codes></CodeBook>"
        '<Sources><TextSource guid="t1" name="a.txt"><PlainTextContent>Kön var lång.'
        '</PlainTextContent><PlainTextSelection guid="x1" startPosition="0" endPosition="3" '
        'creatingUser="u1"><Coding guid="y1"><CodeRef targetGUID="c001"/></Coding>'
        "</PlainTextSelection></TextSource></Sources>"
    )
    hand = make_zip(tmp / "hand.qdpx", {"project.qde": project_qde(body)})
    report = import_qdpx(hand, tmp / "hand", coder="me")
    assert any("'c001' is not a UUID" in line for line in report.adjusted)
    found["hand-made ids"] = workbench.open(tmp / "hand")
    return found


@pytest.mark.parametrize("writer", ["export_qdpx", "workbench export --qdpx"])
def test_every_qdpx_writer_validates_whatever_came_in(writer: str, tmp_path: Path) -> None:
    for name, project in _projects(tmp_path).items():
        out = tmp_path / f"{name}.qdpx"
        with project:
            if writer == "export_qdpx":
                export_qdpx(project, out)
            else:
                _run("export", str(project.path), "--qdpx", str(out))
        validate_qdpx(out)
        # and what comes back in validates when written again
        import_qdpx(out, tmp_path / f"{name}-again", coder="me")
        with workbench.open(tmp_path / f"{name}-again") as again:
            export_qdpx(again, tmp_path / f"{name}-again.qdpx")
        validate_qdpx(tmp_path / f"{name}-again.qdpx")


def test_validate_qdc_names_the_source_and_the_first_problem() -> None:
    bad = codebook_to_qdc(builtin_codebook()).replace('isCodable="true"', 'isCodable="yes"', 1)
    with pytest.raises(ExchangeError) as info:
        validate_qdc(bad, "bad.qdc")
    message = str(info.value)
    assert message.startswith("bad.qdc: not valid against Codebook.xsd: /CodeBook/Codes/")
    assert "'yes' is not a boolean" in message and "\n" not in message
    hand = (CODEBOOKS / "hand-made.qdc").read_bytes()
    with pytest.raises(ExchangeError, match="c001"):
        validate_qdc(hand, "hand-made.qdc")  # what the import repairs


def test_validate_qdpx_refuses_a_missing_source_and_an_invalid_project(tmp_path: Path) -> None:
    with build_project(tmp_path / "study") as project:
        export_qdpx(project, tmp_path / "s.qdpx")
    with zipfile.ZipFile(tmp_path / "s.qdpx") as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    source = next(n for n in members if n.startswith("sources/"))
    partial = make_zip(tmp_path / "partial.qdpx", {k: v for k, v in members.items() if k != source})
    with pytest.raises(ExchangeError, match=f"partial.qdpx: {source} is named in project.qde"):
        validate_qdpx(partial)
    broken = dict(members, **{"project.qde": project_qde('<Users><User name="x"/></Users>')})
    with pytest.raises(ExchangeError, match=r"project\.qde: not valid against Project\.xsd"):
        validate_qdpx(make_zip(tmp_path / "broken.qdpx", broken))


def test_schemas_ship_inside_the_package() -> None:
    from importlib import resources

    folder = resources.files("workbench.exchange") / "schema"
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".xsd"))
    assert names == ["Codebook.xsd", "Project.xsd"]
