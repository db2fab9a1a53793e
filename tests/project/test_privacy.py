"""Pseudonymisation through a project: keys under concurrency and crashes, attributes, names."""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.synchronize
import os
import signal
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from _helpers import pg_url
from sqlalchemy import create_engine, text

import workbench
from workbench.cli import main
from workbench.errors import AttributesError, ProjectError
from workbench.ingest import Pseudonymiser

PEOPLE = ["Göran Ahlström", "Åsa Öberg", "Lars Nyberg", "Maja Ekdahl"]


def _interview(folder: Path, person: str, n: int) -> Path:
    """A short interview with ``person``; their phone number and given name are in it."""
    given = person.split()[0]
    path = folder / f"intervju-{n}.txt"
    path.write_text(
        f"Intervjuare: Hej {given}, berätta om kontrollen.\n\n"
        f"{person}: Jag heter {person} och nås på 070-123 45 6{n}. Avgiften var hög.\n\n"
        "Intervjuare: Tack.\n\n"
        f"{person}: Tack själv, {given.upper()} här.\n",
        encoding="utf-8",
    )
    return path


def _check_consistent(folder: Path, people: list[str], db: str | None = None) -> None:
    """Every person has their own pseudonym, in the key and in the stored text alike."""
    key = json.loads((folder / "private" / "pseudonym-key.json").read_text(encoding="utf-8"))
    assert sorted(key["participants"]) == sorted(people)
    pseudonyms = list(key["participants"].values())
    assert len(set(pseudonyms)) == len(pseudonyms), key
    with workbench.open(folder, read_only=True, url=db) as project:
        stored = set(project.participants["participant"])
        assert stored == set(pseudonyms)
        for doc in project.documents.itertuples():
            text = project.store.document_text(int(doc.document_id))
            assert text.count(f"{doc.participant}: ") == 2  # the speaker's own label
            for person in people:
                for part in person.split():
                    assert part not in text and part.upper() not in text


def _run(argv: list[str], start: multiprocessing.synchronize.Event, env: dict[str, str]) -> None:
    os.environ.update(env)
    start.wait(10)
    raise SystemExit(main(argv))


@pytest.fixture
def databases(request: pytest.FixtureRequest) -> Iterator[Callable[[], str | None]]:
    """Fresh databases, one per call: None (SQLite) or a PostgreSQL URL with its own schema."""
    if request.param == "sqlite":
        yield lambda: None
        return
    url = pg_url()
    if not url:
        pytest.skip("no PostgreSQL server (set WORKBENCH_TEST_PG)")
    engine = create_engine(url)
    schemas: list[str] = []

    def fresh() -> str:
        schemas.append(f"t_{uuid.uuid4().hex[:12]}")
        with engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schemas[-1]}"))
        return f"{url}?schema={schemas[-1]}"

    yield fresh
    with engine.begin() as conn:
        for schema in schemas:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


@pytest.mark.parametrize("databases", ["sqlite", "postgresql"], indirect=True)
def test_project_concurrent_pseudonymised_imports_never_share_a_pseudonym(
    tmp_path: Path, databases: Callable[[], str | None]
) -> None:
    """Two coders import different interviews into one project at the same moment: in each of
    8 trials every person must get their own pseudonym, and the key must keep every entry."""
    context = multiprocessing.get_context("spawn")
    files = [_interview(tmp_path, person, i) for i, person in enumerate(PEOPLE)]
    for trial in range(8):
        folder = tmp_path / f"trial{trial}"
        db = databases()
        workbench.init(folder, db=db).close()
        env = {"WORKBENCH_DB_URL": db} if db else {}
        start = context.Event()
        runs = [
            context.Process(
                target=_run,
                args=(["import", str(folder), *map(str, pair), "--pseudonymise"], start, env),
            )
            for pair in (files[:2], files[2:])
        ]
        for run in runs:
            run.start()
        start.set()
        for run in runs:
            run.join(120)
            assert run.exitcode == 0
        _check_consistent(folder, PEOPLE, db)


def _kill_after_key_write(folder: str, interview: str) -> None:
    """Import ``interview`` and die (SIGKILL) the moment the key is on disk, before the commit."""
    save = Pseudonymiser.save

    def save_then_die(self: Pseudonymiser, path: str | os.PathLike[str]) -> None:
        save(self, path)
        os.kill(os.getpid(), signal.SIGKILL)

    Pseudonymiser.save = save_then_die  # type: ignore[method-assign]
    main(["import", folder, interview, "--pseudonymise"])


def test_project_killed_between_key_and_commit_loses_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "study"
    workbench.init(folder).close()
    first, second, third = (_interview(tmp_path, p, i) for i, p in enumerate(PEOPLE[:3]))
    assert main(["import", str(folder), str(first), "--pseudonymise"]) == 0
    process = multiprocessing.get_context("spawn").Process(
        target=_kill_after_key_write, args=(str(folder), str(second))
    )
    process.start()
    process.join(60)
    assert process.exitcode == -signal.SIGKILL
    with workbench.open(folder, read_only=True) as project:
        assert len(project.documents) == 1  # the killed import left nothing half-written
    key = json.loads((folder / "private" / "pseudonym-key.json").read_text(encoding="utf-8"))
    assert key["participants"] == {"Göran Ahlström": "P01", "Åsa Öberg": "P02"}
    # The next import never reuses P02; importing Åsa again gives her the pseudonym she had.
    assert main(["import", str(folder), str(third), "--pseudonymise"]) == 0
    assert main(["import", str(folder), str(second), "--pseudonymise"]) == 0
    _check_consistent(folder, PEOPLE[:3])
    with workbench.open(folder, read_only=True) as project:
        assert sorted(project.participants["participant"]) == ["P01", "P02", "P03"]


def test_project_key_write_failure_rolls_the_import_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "study"
    workbench.init(folder).close()

    def disk_full(self: Pseudonymiser, path: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Pseudonymiser, "save", disk_full)
    assert (
        main(["import", str(folder), str(_interview(tmp_path, PEOPLE[0], 0)), "--pseudonymise"])
        == 2
    )
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "the pseudonym key cannot be written" in err
    assert "nothing was imported" in err
    with workbench.open(folder, read_only=True) as project:
        assert project.documents.empty and project.participants.empty


def test_project_unusable_private_folder_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "study"
    workbench.init(folder).close()
    (folder / "private").write_text("not a folder", encoding="utf-8")
    interview = _interview(tmp_path, PEOPLE[0], 0)
    assert main(["import", str(folder), str(interview), "--pseudonymise"]) == 2
    assert "cannot use this folder for the pseudonym key" in capsys.readouterr().err
    with workbench.open(folder, read_only=True) as project:
        assert project.documents.empty


def test_project_missing_or_foreign_key_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "study"
    workbench.init(folder).close()
    interviews = [_interview(tmp_path, p, i) for i, p in enumerate(PEOPLE[:2])]
    with workbench.open(folder) as project:
        project.import_files([interviews[0]], pseudonymise=True)
        key = folder / "private" / "pseudonym-key.json"
        saved = key.read_bytes()
        key.unlink()
        with pytest.raises(ProjectError, match="the project's pseudonym key is missing"):
            project.import_files([interviews[1]], pseudonymise=True)
        Pseudonymiser().save(key)  # somebody else's key
        with pytest.raises(ProjectError, match="belongs to another project"):
            project.import_files([interviews[1]], pseudonymise=True)
        key.write_bytes(saved)
        project.import_files([interviews[1]], pseudonymise=True)
        assert sorted(project.participants["participant"]) == ["P01", "P02"]


def test_project_lost_key_entries_never_reuse_a_pseudonym(tmp_path: Path) -> None:
    folder = tmp_path / "study"
    workbench.init(folder).close()
    interviews = [_interview(tmp_path, p, i) for i, p in enumerate(PEOPLE[:2])]
    with workbench.open(folder) as project:
        project.import_files([interviews[0]], pseudonymise=True)
        key = folder / "private" / "pseudonym-key.json"
        data = json.loads(key.read_text(encoding="utf-8"))
        data["participants"] = {}
        key.write_text(json.dumps(data), encoding="utf-8")
        report = project.import_files([interviews[1]], pseudonymise=True)
        assert sorted(project.participants["participant"]) == ["P01", "P02"]
        assert any("the key has no entry for P01" in note for note in report.notes)


def test_project_attributes_are_pseudonymised_and_joined_by_real_name(tmp_path: Path) -> None:
    folder = tmp_path / "study"
    workbench.init(folder).close()
    interview = _interview(tmp_path, PEOPLE[0], 0)
    # the attributes file sits in a folder named after a person, and is named after one
    (tmp_path / "Kerstin Holm files").mkdir()
    people = tmp_path / "Kerstin Holm files" / "people-kerstin-holm.csv"
    people.write_text(
        "participant,role,contact\n"
        "Göran Ahlström,owner,goran@example.se or 070-765 43 21 (Göran)\n",
        encoding="cp1252",
    )
    names = tmp_path / "names.txt"
    names.write_text("Kerstin Holm\n", encoding="utf-8")
    with workbench.open(folder) as project:
        project.import_files([interview], attributes=people, pseudonymise=True, names=names)
        row = project.participants.iloc[0].to_dict()
    assert row["participant"] == "P01" and row["role"] == "owner"
    assert row["contact"] == "[e-mail] or [phone] (P01)"
    database = (folder / "project.sqlite").read_bytes()
    for secret in ("Göran", "Ahlström", "goran@", "765 43", "Kerstin", "kerstin", "G\\u00f6ran"):
        assert secret.encode() not in database, secret


def test_project_table_respondents_and_columns_are_pseudonymised(tmp_path: Path) -> None:
    folder = tmp_path / "study"
    workbench.init(folder).close()
    table = tmp_path / "survey.csv"
    table.write_text(
        "respondent,answer,contact\n"
        "anna.berg@example.se,Avgiften är för hög.,070-111 22 33\n"
        "R2,The report was hard to read.,\n"
        "R3,Bra bemötande.,\n",
        encoding="utf-8",
    )
    columns = workbench.ingest.TableColumns("respondent", "answer", ("contact",))
    with workbench.open(folder) as project:
        report = project.import_files([table], table=columns, pseudonymise=True)
        assert len(report.imported) == 3  # every row, not only the first
        frame = project.segments()
        assert list(frame["document"]) == ["survey.csv#2", "survey.csv#3", "survey.csv#4"]
        assert list(project.documents["language"]) == ["sv", "en", "sv"]
        people = project.participants
        assert list(people["participant"]) == ["P01", "P02", "P03"]
        assert people.loc[people["participant"] == "P01", "contact"].item() == "[phone]"
        # a longer version of the table adds only its new rows
        table.write_text(
            table.read_text(encoding="utf-8") + "R4,Inget att tillägga.,\n", encoding="utf-8"
        )
        again = project.import_files([table], table=columns, pseudonymise=True)
        assert len(again.imported) == 1 and len(again.skipped) == 3
    assert b"anna.berg@" not in (folder / "project.sqlite").read_bytes()


def test_project_attributes_duplicate_participant_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "study"
    workbench.init(folder).close()
    interview = _interview(tmp_path, PEOPLE[0], 0)
    people = tmp_path / "people.csv"
    people.write_text("file,role\nintervju-0.txt,owner\nintervju-0.txt,staff\n", encoding="utf-8")
    with (
        workbench.open(folder) as project,
        pytest.raises(
            AttributesError,
            match=r"^people.csv: line 3: 'intervju-0.txt' has a row already \(line 2\)",
        ),
    ):
        project.import_files([interview], attributes=people)
    # two keys for one participant (file and pseudonym) that disagree
    people.write_text("participant,role\nP01,owner\n", encoding="utf-8")
    other = tmp_path / "other.csv"
    other.write_text("file,role\nintervju-0.txt,staff\n", encoding="utf-8")
    with workbench.open(folder) as project:
        project.import_files([interview], pseudonymise=True)
        with pytest.raises(AttributesError, match="line 2: 'role' is 'staff' here but 'owner'"):
            project.store.join_attributes(
                [(2, "P01", {"role": "owner"}), (2, "intervju-0.txt", {"role": "staff"})],
                source="other.csv",
                user="t",
            )


def test_project_names_file_in_nfd_and_windows_1252(tmp_path: Path) -> None:
    import unicodedata

    folder = tmp_path / "study"
    workbench.init(folder).close()
    interview = tmp_path / "i.txt"
    interview.write_text(
        "Intervjuare: Vem kom?\n\nP: Det var Kerstin Holm och sen KERSTIN igen, och kerstins bil.\n",
        encoding="utf-8",
    )
    for i, data in enumerate(
        [
            unicodedata.normalize("NFD", "Kerstin Hölm\nKerstin Holm\n").encode(),
            "Kerstin Holm\n".encode("cp1252"),
        ]
    ):
        names = tmp_path / f"names{i}.txt"
        names.write_bytes(data)
        sub = tmp_path / f"s{i}"
        workbench.init(sub).close()
        with workbench.open(sub) as project:
            project.import_files([interview], pseudonymise=True, names=names)
            text = " ".join(project.segments()["text"])
        assert "erstin" not in text.lower() and "Holm" not in text, text
    assert sqlite3.connect(folder / "project.sqlite").execute("select 1").fetchone() == (1,)


def test_project_import_without_the_flag_follows_the_project(tmp_path: Path) -> None:
    folder = tmp_path / "study"
    workbench.init(folder).close()
    first, second = (_interview(tmp_path, p, i) for i, p in enumerate(PEOPLE[:2]))
    assert main(["import", str(folder), str(first), "--pseudonymise"]) == 0
    assert main(["import", str(folder), str(second)]) == 0  # the flag forgotten
    with workbench.open(folder, read_only=True) as project:
        assert sorted(project.participants["participant"]) == ["P01", "P02"]
        text = " ".join(project.segments()["text"])
    assert "Åsa" not in text and "Öberg" not in text
    # storing names is possible, but only when asked for in so many words
    third = _interview(tmp_path, PEOPLE[2], 2)
    assert main(["import", str(folder), str(third), "--no-pseudonymise"]) == 0
    with workbench.open(folder, read_only=True) as project:
        assert "Lars Nyberg" in " ".join(project.segments()["text"])


def test_project_speaker_named_in_the_file_name_of_their_first_interview(tmp_path: Path) -> None:
    folder = tmp_path / "study"
    workbench.init(folder).close()
    path = tmp_path / "Tove Lindqvist.docx.txt"
    path.write_text(
        "Intervjuare: Hej.\n\nTove Lindqvist: Hej, jag driver ett kafé.\n", encoding="utf-8"
    )
    camel = tmp_path / "intervju-ToveLindqvist.txt"
    camel.write_text("Intervjuare: Igen.\n\nTove Lindqvist: Ja.\n", encoding="utf-8")
    with workbench.open(folder) as project:
        project.import_files([path, camel], pseudonymise=True)
        names = sorted(project.documents["document"])
    assert names == ["P01 docx.txt", "intervju P01.txt"]
    assert b"Lindqvist" not in (folder / "project.sqlite").read_bytes()


def test_project_person_speaking_later_in_a_batch_is_one_pseudonym(tmp_path: Path) -> None:
    """Göran is talked about in the first interview and interviewed in the second file of the
    same import: his name is replaced in both, by one pseudonym (also when listed in names)."""
    first = tmp_path / "a-intervju.txt"
    first.write_text(
        "Intervjuare: Vem hjälpte dig?\n\n"
        "Åsa Öberg: Göran Ahlström på kontoret, sen ringde GÖRAN igen.\n",
        encoding="utf-8",
    )
    second = tmp_path / "b-intervju.txt"
    second.write_text(
        "Intervjuare: Berätta.\n\nGöran Ahlström: Jag är handläggare sedan länge.\n",
        encoding="utf-8",
    )
    listed = tmp_path / "names.txt"
    listed.write_text("Göran Ahlström\n", encoding="utf-8")
    for names in (None, listed):
        folder = tmp_path / f"study-{names is None}"
        workbench.init(folder).close()
        with workbench.open(folder) as project:
            project.import_files([first, second], pseudonymise=True, names=names)
            documents = project.documents.sort_values("document")
            texts = [project.store.document_text(int(d)) for d in documents["document_id"]]
        goran = str(documents["participant"].iloc[1])
        assert "Göran" not in texts[0] and "GÖRAN" not in texts[0], texts[0]
        assert f"{goran} på kontoret, sen ringde {goran} igen" in texts[0]
        key = json.loads((folder / "private" / "pseudonym-key.json").read_text(encoding="utf-8"))
        assert goran in key["participants"].values()
        assert "Göran Ahlström" not in key.get("persons", {})  # one person, one pseudonym
