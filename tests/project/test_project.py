"""The project facade end to end: init, import real files, attributes, codings, status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document

import workbench
from workbench.errors import AttributesError, CorruptFile, ProjectError, UnknownItem


def write_files(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    txt = folder / "kafe.txt"
    txt.write_text(
        "[00:00:01] Intervjuare: Hur börjar en vanlig dag?\n"
        "[00:00:05] Sofia: Jag öppnar klockan sju och tar emot leveransen. "
        "Ring mig på 070-123 45 67 om något.\n"
        "[00:00:20] Intervjuare: Och inspektionen?\n"
        "[00:00:24] Sofia: Inspektören Maria Holm var trevlig men avgiften var hög.\n",
        encoding="utf-8",
    )
    vtt = folder / "bakery.vtt"
    vtt.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Sara Nyström>What do you need?</v>\n\n"
        "00:00:04.500 --> 00:00:08.000\n<v Tom Baker>Clear rules, mostly.</v>\n\n"
        "00:00:08.000 --> 00:00:12.000\n<v Tom Baker>And someone who answers the phone.</v>\n",
        encoding="utf-8",
    )
    docx = folder / "butik.docx"
    doc = Document()
    for who, text in [("Intervjuare", "Vad vet ni minst om?"), ("IP", "Hur man överklagar.")]:
        para = doc.add_paragraph()
        para.add_run(who).bold = True
        para.add_run(f": {text}")
    doc.save(str(docx))
    return [txt, vtt, docx]


@pytest.fixture
def study(tmp_path: Path, db: str | None) -> workbench.Project:
    project = workbench.init(tmp_path / "study", db=db)
    yield project
    project.close()


def test_project_import_real_files(study: workbench.Project, tmp_path: Path) -> None:
    files = write_files(tmp_path / "in")
    attrs = tmp_path / "participants.csv"
    attrs.write_text("file,role,user_type\nkafe.txt,owner,external\nbakery.vtt,baker,external\n")
    report = study.import_files(
        files, attributes=attrs, interviewers=["Sara Nyström"], progress=False
    )
    assert sorted(report.imported) == ["bakery.vtt", "butik.docx", "kafe.txt"]
    segs = study.segments()
    assert set(segs.columns) >= {
        "document", "participant", "speaker", "role", "text", "start", "end",
        "start_time", "end_time",
    }  # fmt: skip
    bakery = study.segments(document="bakery.vtt")
    assert list(bakery["role"]) == ["interviewer", "interviewee"]
    assert bakery["text"].iloc[1] == "Clear rules, mostly. And someone who answers the phone."
    assert (bakery["start_time"].iloc[1], bakery["end_time"].iloc[1]) == (4.5, 12.0)
    people = study.participants.set_index("participant")
    assert sorted(people["role"].dropna()) == ["baker", "owner"]
    assert study.status()["codable_segments"] == 4
    # Re-importing the same files changes nothing.
    again = study.import_files(files, progress=False)
    assert sorted(again.skipped) == ["bakery.vtt", "butik.docx", "kafe.txt"]
    assert len(study.documents) == 3


def test_project_import_all_or_nothing(study: workbench.Project, tmp_path: Path) -> None:
    files = write_files(tmp_path / "in")
    broken = tmp_path / "in" / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 this is not a word file")
    with pytest.raises(CorruptFile, match="broken.docx"):
        study.import_files([*files, broken], progress=False)
    assert study.documents.empty and study.segments().empty


def test_project_attributes_unknown_participant(study: workbench.Project, tmp_path: Path) -> None:
    files = write_files(tmp_path / "in")
    attrs = tmp_path / "participants.csv"
    attrs.write_text("file,role\nkafe.txt,owner\nnobody.txt,x\n")
    with pytest.raises(AttributesError, match=r"participants.csv: line 3: .*nobody.txt"):
        study.import_files(files, attributes=attrs, progress=False)
    assert study.documents.empty


def test_project_pseudonymise_key_outside_db(study: workbench.Project, tmp_path: Path) -> None:
    files = write_files(tmp_path / "in")
    names = tmp_path / "names.txt"
    names.write_text("Maria Holm\n")
    study.import_files(files[:1], pseudonymise=True, names=names, progress=False)
    text = " ".join(study.segments()["text"])
    assert "Maria" not in text and "070-123" not in text and "Sofia" not in text
    key = study.path / "private" / "pseudonym-key.json"
    assert "Maria Holm" in key.read_text(encoding="utf-8")
    if study.sqlite_file is not None:
        assert b"Maria" not in study.sqlite_file.read_bytes()
        assert b"Sofia" not in study.sqlite_file.read_bytes()
    assert list(study.participants["participant"]) == ["P01"]


def test_project_codings_import_and_frame(study: workbench.Project, tmp_path: Path) -> None:
    files = write_files(tmp_path / "in")
    study.import_files(files, interviewers=["Sara Nyström"], progress=False)
    codings = tmp_path / "anna.csv"
    codings.write_text(
        "document,turn,code,coder,span\n"
        "kafe.txt,2,ep-what,anna,\n"
        "kafe.txt,4,fq-attitudes,anna,Inspektören Maria Holm var trevlig\n"
        "bakery.vtt,2,bp-needs,erik,\n"
    )
    assert study.import_codings(codings) == 3
    assert study.import_codings(codings) == 0  # idempotent
    frame = study.codings()
    assert set(frame.columns) >= {
        "segment", "document", "code", "coder", "origin", "start", "end", "quote",
    }  # fmt: skip
    quotes = dict(zip(frame["code"], frame["quote"], strict=True))
    assert quotes["fq-attitudes"] == "Inspektören Maria Holm var trevlig"
    assert quotes["bp-needs"] == "Clear rules, mostly. And someone who answers the phone."
    bad = tmp_path / "bad.csv"
    bad.write_text("document,turn,code,coder,span\nkafe.txt,2,no-such-code,anna,\n")
    with pytest.raises(UnknownItem, match="bad.csv: .*no-such-code"):
        study.import_codings(bad)
    assert len(study.codings()) == 3


def test_project_open_errors(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no project here"):
        workbench.open(tmp_path / "nothing")
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "project.json").write_text("{not json")
    with pytest.raises(ProjectError, match="project.json"):
        workbench.open(tmp_path / "p")


def test_project_postgres_pointer_has_no_password(tmp_path: Path, pg_schema_url: str) -> None:
    project = workbench.init(tmp_path / "team", db=pg_schema_url)
    project.close()
    pointer = json.loads((tmp_path / "team" / "project.json").read_text())
    assert ":workbench@" not in pointer["database"]
    assert pointer["schema"]


def test_project_postgres_read_only_role(tmp_path: Path, pg_schema_url: str) -> None:
    from sqlalchemy import event, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import DBAPIError

    from workbench.store import postgres_engine, split_schema

    project = workbench.init(tmp_path / "team", db=pg_schema_url)
    role = f"viewer_{tmp_path.name[-8:].lower().replace('-', '_')}"
    sent: list[str] = []
    event.listen(project.store.engine, "before_cursor_execute", lambda *a: sent.append(a[2]))
    project.store.grant_read_only(role, password="secret")
    project.close()
    # only a SCRAM verifier computed on this side reaches the server
    [alter] = [sql for sql in sent if sql.startswith("ALTER ROLE")]
    assert "secret" not in " ".join(sent) and "'SCRAM-SHA-256$4096:" in alter
    url, schema = split_schema(pg_schema_url)
    viewer = make_url(url)._replace(username=role, password="secret")
    engine = postgres_engine(viewer.render_as_string(hide_password=False), schema=schema)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM codes")).scalar() == len(
                workbench.open(tmp_path / "team", url=pg_schema_url).codebook
            )
        with engine.begin() as conn, pytest.raises(DBAPIError, match="permission denied"):
            conn.execute(text("DELETE FROM codings"))
    finally:
        engine.dispose()
        owner = postgres_engine(url)
        with owner.begin() as conn:
            for sql in (
                f'ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} REVOKE SELECT ON TABLES FROM "{role}"',
                f'REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM "{role}"',
                f'REVOKE USAGE ON SCHEMA {schema} FROM "{role}"',
            ):
                conn.execute(text(sql))
            conn.execute(text(f'DROP ROLE "{role}"'))
        owner.dispose()


def test_project_import_many_files_in_parallel_all_or_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    files = []
    for i in range(40):
        path = folder / f"t{i:02d}.txt"
        path.write_text(f"I: Fråga {i}?\nR: Svar nummer {i} om avgifter och kontroller.\n")
        files.append(path)
    broken = folder / "zz.vtt"
    broken.write_text("WEBVTT\n\n00:0x:01.000 --> 00:00:02.000\nhej\n")
    project = workbench.init(tmp_path / "s")
    with pytest.raises(workbench.WorkbenchError, match="zz.vtt: cue 1"):
        project.import_files([*files, broken], progress=False)
    assert project.documents.empty
    report = project.import_files(files, progress=False)
    assert report.imported == [f.name for f in files]  # in the order given
    assert report.segments == 80
    project.close()


def test_project_atomic_is_all_or_nothing(study: workbench.Project, tmp_path: Path) -> None:
    files = write_files(tmp_path / "in")
    with pytest.raises(RuntimeError, match="boom"), study.atomic():
        study.import_files(files, progress=False)
        assert len(study.documents) == 3  # the block sees its own writes
        study.code(int(study.segments(role="interviewee")["segment"].iloc[0]), "bp-needs")
        raise RuntimeError("boom")
    assert study.documents.empty and study.codings().empty
    with study.atomic():
        study.import_files(files, progress=False)
    assert len(study.documents) == 3


def test_project_grant_readonly_failure_is_one_line_without_the_secret(
    tmp_path: Path,
    pg_schema_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from workbench.cli import main

    workbench.init(tmp_path / "team", db=pg_schema_url).close()
    monkeypatch.setenv("WORKBENCH_DB_URL", pg_schema_url)
    monkeypatch.setenv("VIEWER_PASSWORD", "hunter2-secret")
    # "pg_" names are reserved by PostgreSQL: the server refuses the role
    argv = [
        "grant-readonly",
        str(tmp_path / "team"),
        "pg_viewer",
        "--password-env",
        "VIEWER_PASSWORD",
    ]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert (
        captured.err.count("\n") == 1 and "granting read access to pg_viewer failed" in captured.err
    )
    assert "hunter2" not in captured.err + captured.out and "SCRAM" not in captured.err


def test_project_sqlite_files_readable_by_their_owner_only(tmp_path: Path) -> None:
    project = workbench.init(tmp_path / "s")
    project.memo("project", "journal", "first")  # a write makes the -wal and -shm files
    files = list((tmp_path / "s").glob("project.sqlite*"))
    assert {f.name for f in files} >= {"project.sqlite", "project.sqlite-wal"}
    assert all(f.stat().st_mode & 0o077 == 0 for f in files), [oct(f.stat().st_mode) for f in files]
    project.close()
