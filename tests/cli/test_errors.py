"""A user's mistake on the command line is one line and exit status 2, and changes nothing."""

from __future__ import annotations

import uuid
from pathlib import Path

import numpy as np
import pytest
from _helpers import numbered, pg_url, transcript
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

import workbench
from workbench.cli import main
from workbench.errors import ImportFailed, InvalidCode, ProjectError, UnknownItem


def _one_line(capsys: pytest.CaptureFixture[str], *needles: str) -> str:
    err = capsys.readouterr().err
    assert err.startswith("workbench: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in err, err
    return err


@pytest.fixture
def coded(tmp_path: Path) -> Path:
    """A study two coders coded (an interviewer's question and two answers)."""
    folder = tmp_path / "study"
    turns = [
        ("Interviewer", "interviewer", "Did you get help?"),
        ("P01", "interviewee", "We needed clear rules."),
        ("P01", "interviewee", "The phone line is closed."),
    ]
    with workbench.init(folder) as p:
        doc = transcript("a.txt", turns, language="en", participant="P01")
        p.store.import_transcripts([doc], user="t", participant_pseudonym=numbered)
        ids = [int(s) for s in p.segments()["segment"]]
        for coder in ("anna", "erik"):
            p.code(ids[1], "bp-needs", coder=coder)
            p.code(ids[2], "fq-accessibility", coder=coder)
    return folder


def test_cli_unknown_origin_in_codings_is_one_line(
    coded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "c.csv"
    csv.write_text(
        "document,turn,code,coder,origin\na.txt,2,bp-needs,zoe,robot\n", encoding="utf-8"
    )
    assert main(["import-codings", str(coded), str(csv)]) == 2
    _one_line(capsys, "c.csv: line 2: origin 'robot' is not one of human, suggestion")


def test_cli_codings_on_an_interviewer_turn_or_without_a_coder_are_refused(
    coded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "c.csv"
    csv.write_text("document,turn,code,coder\na.txt,1,bp-needs,zoe\n", encoding="utf-8")
    assert main(["import-codings", str(coded), str(csv)]) == 2
    _one_line(capsys, "c.csv: line 2: turn 1 is the interviewer's")
    csv.write_text("document,turn,code,coder\na.txt,2,bp-needs,  \n", encoding="utf-8")
    assert main(["import-codings", str(coded), str(csv)]) == 2
    _one_line(capsys, "c.csv: line 2: the coder cell is empty")
    with workbench.open(coded, read_only=True) as p:
        assert "zoe" not in set(p.codings()["coder"])


def test_cli_agreement_on_an_unknown_code_is_one_line(
    coded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["agreement", str(coded), "--coders", "anna,erik", "--codes", "nope"]) == 2
    _one_line(capsys, "no codings with 'nope' by anna, erik")


@pytest.mark.parametrize("folds", ["0", "1", "-3"])
def test_cli_suggest_report_needs_two_folds(
    coded: Path, folds: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["suggest", "report", str(coded), "--folds", folds]) == 2
    _one_line(capsys, "--folds must be 2 or more")


def test_cli_report_into_a_folder_or_nowhere_is_one_line_and_leaves_nothing(
    coded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    assert main(["report", str(coded), "-o", str(folder)]) == 2
    _one_line(capsys, "is a folder")
    assert list(folder.iterdir()) == [] and not list(tmp_path.glob(".*.tmp"))
    missing = tmp_path / "no" / "such" / "r.html"
    assert main(["report", str(coded), "-o", str(missing)]) == 2
    _one_line(capsys, "cannot write the report")


def test_cli_init_on_a_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "f").write_text("x", encoding="utf-8")
    assert main(["init", str(tmp_path / "f")]) == 2
    _one_line(capsys, "is a file")


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://nobody:pw@127.0.0.1:1/nothing",  # no server
        "postgresql+psycopg://nobody:pw@/nothing?host=/nonexistent-socket-dir",
    ],
)
def test_cli_init_on_an_unreachable_server_is_one_line_and_leaves_no_folder(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "new" / "study"
    assert main(["init", str(target), "--db", url]) == 2
    err = _one_line(capsys, "cannot connect to the database")
    assert ":pw@" not in err and "pw" not in err.split("(")[0]
    assert not (tmp_path / "new").exists()


def test_cli_postgres_wrong_role_existing_project_and_no_create_right(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = pg_url()
    if not url:
        pytest.skip("no PostgreSQL server (set WORKBENCH_TEST_PG)")
    base = make_url(url)
    ghost = base._replace(username=f"ghost_{uuid.uuid4().hex[:8]}", password="wrong")
    assert main(["init", str(tmp_path / "a"), "--db", ghost.render_as_string(False)]) == 2
    err = _one_line(capsys, "cannot connect to the database")
    assert "wrong" not in err and not (tmp_path / "a").exists()

    schema = f"t_{uuid.uuid4().hex[:12]}"
    limited = f"limited_{uuid.uuid4().hex[:8]}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
        conn.execute(text(f"CREATE ROLE {limited} LOGIN PASSWORD 'limited'"))
        conn.execute(text(f"GRANT USAGE ON SCHEMA {schema} TO {limited}"))
    try:
        first = f"{url}?schema={schema}"
        assert main(["init", str(tmp_path / "b"), "--db", first]) == 0
        assert main(["init", str(tmp_path / "c"), "--db", first]) == 2
        _one_line(capsys, f"schema {schema} holds a project already")
        assert not (tmp_path / "c").exists()
        other = f"t_{uuid.uuid4().hex[:12]}"
        with engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {other}"))
            conn.execute(text(f"GRANT USAGE ON SCHEMA {other} TO {limited}"))
        weak = base._replace(username=limited, password="limited").render_as_string(False)
        assert main(["init", str(tmp_path / "d"), "--db", f"{weak}?schema={other}"]) == 2
        _one_line(capsys, "cannot create or update the project's tables", "?schema=NAME")
        assert not (tmp_path / "d").exists()
    finally:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            conn.execute(text(f"DROP SCHEMA IF EXISTS {other} CASCADE"))
            conn.execute(text(f"DROP ROLE {limited}"))
        engine.dispose()


def test_project_refuses_what_it_used_to_accept_silently(coded: Path) -> None:
    with workbench.open(coded, coder="  ") as p:
        assert p.coder.strip()  # a blank coder name falls back to the login
        segs = p.segments()
        interviewer = int(segs.loc[segs["role"] == "interviewer", "segment"].iloc[0])
        talk = int(segs.loc[segs["role"] == "interviewee", "segment"].iloc[0])
        with pytest.raises(ProjectError, match="a coder needs a name"):
            p.code(talk, "bp-needs", coder=" ")
        with pytest.raises(InvalidCode, match="is an interviewer's turn"):
            p.code(interviewer, "bp-needs")
        assert p.code(interviewer, "bp-needs", interviewer=True)  # when the study says so
        with pytest.raises(UnknownItem, match="segment 9999 is not in the project"):
            p.memo("segment", 9999, "a memo on nothing")
        with pytest.raises(UnknownItem, match="code 'nope' is not in the project"):
            p.memo("code", "nope", "a memo on nothing")
        assert p.code(np.int64(talk), "fq-trust")  # numpy integers are segment ids
        with pytest.raises(ProjectError, match="origin 'robot'"):
            p.code(talk, "bp-expectations", origin="robot")
        assert p.memo("project", "journal", "Day 1: started coding.") == "Day 1: started coding."


def test_import_codings_empty_csv_header_is_import_failed(coded: Path, tmp_path: Path) -> None:
    csv = tmp_path / "c.csv"
    csv.write_text("nothing here\n", encoding="utf-8")
    with workbench.open(coded) as p, pytest.raises(ImportFailed, match="missing column"):
        p.import_codings(csv)


def test_cli_codings_with_an_unknown_code_name_their_line(
    coded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "c.csv"
    csv.write_text(
        "document,turn,code,coder\na.txt,2,bp-needs,zoe\na.txt,3,needs,zoe\n", encoding="utf-8"
    )
    assert main(["import-codings", str(coded), str(csv)]) == 2
    _one_line(capsys, "c.csv: line 3: code 'needs' is not a codable code")


def test_cli_key_that_is_not_a_file_is_one_line(
    coded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    interview = tmp_path / "i.txt"
    interview.write_text("I: Hej?\n\nR: Hej.\n", encoding="utf-8")
    assert main(["import", str(coded), str(interview), "--pseudonymise", "--key", "/dev/full"]) == 2
    _one_line(capsys, "/dev/full: not a file")
