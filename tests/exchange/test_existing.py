"""Importing into a project that already has documents, codes and memos."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

import workbench
from workbench.cli import _exchange as _cli_exchange
from workbench.errors import ExchangeError
from workbench.exchange import export_qdpx, import_qdpx
from workbench.project._project import Project

from .test_tools import pack


def test_import_qdpx_adds_missing_codes_and_matches_by_name(study: Project, tmp_path: Path) -> None:
    version = study.codebook_version
    report = import_qdpx(pack("maxqda", tmp_path), study.path, coder="me")
    assert report.codes_added == ["Bokning"]  # "App" matches the project's code by its label
    assert study.codebook_version == version + 1
    book = study.codebook
    app = study.codings(code="app")
    assert ("Mika", "bokade tid via appen") in set(zip(app["coder"], app["quote"], strict=True))
    assert book.get("bokning").codable and book.get("bokning").parent is None


def test_import_qdpx_renames_a_different_document_with_a_taken_name(
    study: Project, tmp_path: Path
) -> None:
    study.store.import_transcripts(
        [workbench.ingest.Transcript("p3.txt", "txt", "other", "Annan text.", [], "sv")],
        user="t",
        participant_pseudonym=lambda label, known: "P09",
    )
    report = import_qdpx(pack("qualcoder", tmp_path), study.path)
    assert report.documents == ["p3.txt (2)"]
    assert any("imported as p3.txt (2)" in line for line in report.adjusted)
    assert study.store.document_text(
        int(study.documents.set_index("document").loc["p3.txt (2)", "document_id"])
    ).startswith("Q: Hur ofta")


def test_import_qdpx_keeps_both_texts_of_a_differing_memo(study: Project, tmp_path: Path) -> None:
    qdpx = tmp_path / "s.qdpx"
    export_qdpx(study, qdpx)
    study.memo("project", "project", "Changed since.", coder="bob")
    report = import_qdpx(qdpx, study.path)
    text = study.memo("project", "project", coder="bob")
    assert text.startswith("Changed since.") and text.endswith("Pilot study memo.")
    assert any("both kept" in line for line in report.adjusted)


def _cli() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="workbench")
    _cli_exchange.register(parser.add_subparsers(dest="command", required=True))
    return parser


def test_cli_export_and_import_qdpx(
    study: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "s.qdpx"
    args = _cli().parse_args(["export", str(study.path), "--qdpx", str(out)])
    assert args.func(args) == 0
    assert "2 document(s)" in capsys.readouterr().out
    args = _cli().parse_args(["import-qdpx", str(pack("maxqda", tmp_path)), str(tmp_path / "new")])
    assert args.func(args) == 0
    printed = capsys.readouterr().out
    assert "not carried over: PDF source 'Broschyr.pdf'" in printed
    assert "has no coding and no note" in printed


def test_cli_import_qdpx_bad_file_raises_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(b"PK\x03\x04 broken")
    args = _cli().parse_args(["import-qdpx", str(bad), str(tmp_path / "new")])
    with pytest.raises(ExchangeError, match=r"^bad\.qdpx: not a REFI-QDA project"):
        args.func(args)
