from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd
import pytest

from workbench.cli import _agreement as _cli_agreement
from workbench.errors import AgreementError, WorkbenchError

PAPER_CSV = """unit,A,B,C,D
1,1,1,,1
2,2,2,3,2
3,3,3,3,3
4,3,3,3,3
5,2,2,2,2
6,1,2,3,4
7,4,4,4,4
8,1,1,2,1
9,2,2,2,2
10,,5,5,5
11,,,1,1
12,,3,,
"""


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="workbench")
    sub = parser.add_subparsers(dest="command", required=True)
    _cli_agreement.register(sub)
    args = parser.parse_args(["agreement", *argv])
    return int(args.func(args))


def _write(tmp_path: Path, text: str, name: str = "reliability.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_cli_table_json_reproduces_the_paper(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, PAPER_CSV)
    for level, published in (
        ("nominal", 0.743),
        ("ordinal", 0.815),
        ("interval", 0.849),
        ("ratio", 0.797),
    ):
        assert _run(["--table", path, "--level", level, "--json", "--bootstrap", "200"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert round(data["krippendorff_alpha"]["value"], 3) == published
        assert data["coders"] == ["A", "B", "C", "D"]
        assert data["units"] == 11  # unit 12 has one rating only
        assert len(data["cohen_kappa"]) == 6
        assert {"percent_agreement", "fleiss_kappa"} <= set(data)
        assert "per_code" not in data


def test_cli_table_text_without_unit_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "anna;erik\nx;x\ny;y\nx;y\n")
    assert _run(["--table", path, "--bootstrap", "0"]) == 0
    out = capsys.readouterr().out
    assert "percent agreement" in out and "0.667" in out
    assert "Cohen's kappa anna/erik" in out


@pytest.mark.parametrize(
    ("text", "argv", "message"),
    [
        ("", [], "reliability.csv: the file is empty"),
        ("unit,A\n1,2\n", [], "reliability.csv: needs at least two coder columns, found 1 (A)"),
        ("unit,A,B\n", [], "reliability.csv: no units (only a header)"),
        (
            "unit,A,B\n1,1,2\n2,x,1\n",
            ["--level", "interval"],
            "reliability.csv: line 3: coder A: value 'x' is not a number",
        ),
        (
            "unit,A,B\n1,1,\n2,,1\n",
            [],
            "reliability.csv: no unit of the reliability table was rated by two coders",
        ),
        ("unit,A,B\n1,1,1\n", ["--level", "span"], "--level span is for projects"),
        ("unit,A,B\n1,1,1\n", ["--coders", "A,B"], "--coders and --codes are for projects"),
    ],
)
def test_cli_table_bad_input_is_one_line(
    tmp_path: Path, text: str, argv: list[str], message: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(WorkbenchError) as info:
        _run(["--table", path, *argv])
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_cli_needs_project_or_table(tmp_path: Path) -> None:
    with pytest.raises(AgreementError, match="either a project folder or --table"):
        _run([])
    with pytest.raises(AgreementError, match="no such file"):
        _run(["--table", str(tmp_path / "missing.csv")])


class _FakeProject:
    def __init__(self) -> None:
        self.closed = False

    def codings(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "segment": [1, 1, 2, 3, 3],
                "document": ["d"] * 5,
                "code": ["a", "a", "b", "a", "b"],
                "coder": ["anna", "erik", "anna", "erik", "erik"],
                "origin": "human",
                "start": [0, 0, 10, 20, 22],
                "end": [5, 4, 15, 25, 28],
                "quote": "",
            }
        )

    def segments(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "segment": [1, 2, 3, 4, 9],
                "document": ["d"] * 5,
                "start": [0, 10, 20, 30, 40],
                "end": [9, 19, 29, 39, 49],
                "role": ["interviewee"] * 4 + ["interviewer"],
            }
        )

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def fake_project(monkeypatch: pytest.MonkeyPatch) -> _FakeProject:
    project = _FakeProject()
    monkeypatch.setattr(_cli_agreement, "open_project", lambda path: project)
    return project


def test_cli_project_json(fake_project: _FakeProject, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["study/", "--coders", "anna,erik", "--json", "--bootstrap", "50"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert fake_project.closed
    assert data["coders"] == ["anna", "erik"]
    assert data["units"] == 4  # interviewee segments only
    assert [row["code"] for row in data["per_code"]] == ["a", "b"]
    assert data["percent_agreement"]["n"] == 8
    assert data["percent_agreement"]["value"] == pytest.approx(5 / 8)
    assert data["cohen_kappa"][0]["coders"] == ["anna", "erik"]


def test_cli_project_span_text(
    fake_project: _FakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["study/", "--level", "span", "--codes", "a", "--bootstrap", "0"]) == 0
    out = capsys.readouterr().out
    assert "level: span" in out and "characters seen by two or more coders: 36" in out


def test_cli_project_unknown_coder(fake_project: _FakeProject) -> None:
    with pytest.raises(
        AgreementError, match="unknown coder\\(s\\) 'bob'; known coders: anna, erik"
    ):
        _run(["study/", "--coders", "anna,bob"])
    with pytest.raises(AgreementError, match="a project takes segment, span"):
        _run(["study/", "--level", "interval"])


def test_cli_main_wires_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.cli import main

    path = _write(tmp_path, PAPER_CSV)
    assert main(["agreement", "--table", path, "--level", "ordinal", "--bootstrap", "0"]) == 0
    assert "0.815" in capsys.readouterr().out
    bad = _write(tmp_path, "unit,A,B\n1,1,x\n", "bad.csv")
    assert main(["agreement", "--table", bad, "--level", "ratio"]) == 2
    err = capsys.readouterr().err
    assert (
        err
        == "workbench: bad.csv: line 2: coder B: value 'x' is not a number (ratio level needs numbers)\n"
    )
