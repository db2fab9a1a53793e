"""Names found after import: listed for review, and redacted everywhere with codings kept on
their words (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _helpers import named_project
from sqlalchemy import text

import workbench
from workbench.cli import main
from workbench.errors import ProjectError
from workbench.ingest import Pseudonymiser
from workbench.project import Project


def _project(tmp_path: Path, db: str | None) -> Project:
    project, report = named_project(tmp_path, coder="anna", db=db)
    assert any("Göran Ahlström" in note and "redact" in note for note in report.notes)
    return project


def _segment(project: Project, words: str) -> tuple[int, int, str]:
    """The segment holding ``words``: id, document offset of its start, its text."""
    for row in project.segments().itertuples():
        if words in row.text:
            return int(row.segment), int(row.start), str(row.text)
    raise AssertionError(words)


def test_redaction_leftover_names_are_listed_in_context(tmp_path: Path, db: str | None) -> None:
    project = _project(tmp_path, db)
    frame = project.leftover_names()
    # A run of capitals whole (the sentence's first word with it); "Göran" alone only where it
    # does not open a sentence ("Jag ringde Göran", not "Göran var trevlig").
    assert set(frame["words"]) == {"Inspektören Göran Ahlström", "Göran", "Maja"}
    row = frame.set_index("words").loc["Inspektören Göran Ahlström"]
    assert row["count"] == 1 and row["documents"] == 1
    assert "Inspektören Göran Ahlström kom" in row["context"]


def test_redaction_replaces_names_and_keeps_codings_on_their_words(
    tmp_path: Path, db: str | None
) -> None:
    project = _project(tmp_path, db)
    segment, start, turn = _segment(project, "Göran var trevlig")
    # A span after the name (its offsets shift), a span on the name, the whole turn.
    after = start + turn.index("avgiften")
    project.code(segment, "bp-information-gaps", start=after, end=after + len("avgiften"))
    on_name = start + turn.index("Göran Ahlström")
    project.code(segment, "fq-behaviour", start=on_name, end=on_name + len("Göran Ahlström"))
    project.code(segment, "fq-trust")
    project.memo("segment", segment, "Göran Ahlström seems to be the inspector")
    project.memo("project", "journal", "Asked about Göran")
    project.memo("project", "journal", "Asked about Maja")

    report = project.redact(["Göran Ahlström", "Maja"])

    assert report.documents == 1 and report.memos == 2
    stored = project.store.document_text(int(project.documents["document_id"].iloc[0]))
    assert "Göran" not in stored and "Ahlström" not in stored and "Maja" not in stored
    assert "Inspektören [Person 1] kom" in stored and "sen [Person 2]." in stored
    quotes = project.codings().set_index("code")["quote"]
    assert quotes["bp-information-gaps"] == "avgiften"
    assert quotes["fq-behaviour"] == "[Person 1]"
    assert quotes["fq-trust"].startswith("Inspektören [Person 1] kom i tisdags. [Person 1] var")
    for row in project.segments().itertuples():
        assert stored[row.start : row.end] == row.text
    memos = project.memos()
    assert not memos["text"].str.contains("Göran|Maja").any()
    # The memo history in the audit log is redacted too, and undo still finds its coding.
    with project.store.engine.connect() as conn:
        log = " ".join(conn.execute(text("SELECT payload FROM audit")).scalars())
    assert "Göran" not in log and "Maja" not in log
    key = json.loads((project.path / "private" / "pseudonym-key.json").read_text("utf-8"))
    assert key["persons"] == {"Göran Ahlström": "[Person 1]", "Maja": "[Person 2]"}
    assert project.leftover_names()["words"].str.contains("Göran").sum() == 0


def test_redaction_undo_after_redaction_removes_the_moved_coding(
    tmp_path: Path, db: str | None
) -> None:
    project = _project(tmp_path, db)
    segment, start, turn = _segment(project, "Göran var trevlig")
    after = start + turn.index("avgiften")
    project.code(segment, "bp-information-gaps", start=after, end=after + len("avgiften"))
    project.redact(["Göran Ahlström"])
    assert project.codings()["quote"].tolist() == ["avgiften"]
    project.undo()
    assert project.codings().empty


def test_redaction_drops_the_fitted_model(tmp_path: Path, db: str | None) -> None:
    project = _project(tmp_path, db)
    segment, _, _ = _segment(project, "Göran var trevlig")
    project.code(segment, "fq-behaviour")
    project.suggester()
    assert project.store.load_model("suggester") is not None
    project.redact(["Göran Ahlström"])
    assert project.store.load_model("suggester") is None


def test_redaction_key_write_failure_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path, None)
    before = project.segments()["text"].tolist()
    key = project.path / "private" / "pseudonym-key.json"

    def disk_full(self: Pseudonymiser, path: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Pseudonymiser, "save", disk_full)
    with pytest.raises(ProjectError, match="nothing was redacted"):
        project.redact(["Göran Ahlström"])
    assert project.segments()["text"].tolist() == before
    assert "Göran" not in json.loads(key.read_text("utf-8"))["persons"]


def test_redaction_needs_a_pseudonymised_project(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Intervjuare: Hej\n\nAnna: Hej Göran\n", encoding="utf-8")
    project = workbench.init(tmp_path / "plain")
    project.import_files([tmp_path / "a.txt"], pseudonymise=False)
    with pytest.raises(ProjectError, match="without pseudonymisation"):
        project.redact(["Göran"])


def test_redaction_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, None)
    project.close()
    study = str(tmp_path / "study")
    assert main(["redact", study, "--list"]) == 0
    assert "Göran Ahlström" in capsys.readouterr().out
    assert main(["redact", study]) == 2
    assert capsys.readouterr().err.strip().count("\n") == 0
    names = tmp_path / "names.txt"
    names.write_text("Göran Ahlström\nMaja\n", encoding="utf-8")
    assert main(["redact", study, "--names", str(names)]) == 0
    assert "redacted: 1 document(s)" in capsys.readouterr().out
    assert main(["redact", study, "--names", str(tmp_path / "missing.txt")]) == 2
    assert "missing.txt" in capsys.readouterr().err


def test_redaction_leaves_no_trace_in_the_sqlite_files(tmp_path: Path) -> None:
    project = _project(tmp_path, None)
    segment, _, _ = _segment(project, "Göran var trevlig")
    project.memo("segment", segment, "Göran Ahlström again")
    other = workbench.open(project.path, coder="erik")  # another notebook, idle
    assert not other.codings().shape[0]
    report = project.redact(["Göran Ahlström"])
    assert report.compacted
    for file in project.path.glob("project.sqlite*"):
        content = file.read_bytes()
        for word in ("Göran", "Ahlström", "Ahlstr"):
            assert word.encode() not in content, (file.name, word)
    other.close()


def test_redaction_sqlite_file_alone_holds_every_coding_while_open(tmp_path: Path) -> None:
    import shutil

    project = _project(tmp_path, None)
    for row in project.segments(role="interviewee").itertuples():
        project.code(int(row.segment), "bp-needs")
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("project.json", "project.sqlite"):  # no -wal: as git or a backup would take it
        shutil.copy(project.path / name, copy / name)
    with workbench.open(copy, read_only=True) as copied:
        assert len(copied.codings()) == len(project.codings()) == 2


def test_redaction_counts_text_versions(tmp_path: Path) -> None:
    project = _project(tmp_path, None)
    assert project.store.get_meta("text_version") is None
    project.redact(["Göran Ahlström"])
    assert project.store.get_meta("text_version") == "1"
    project.redact(["Maja"])
    assert project.store.get_meta("text_version") == "2"
    project.redact(["Nobody Here"])  # nothing to change: the text is the same version
    assert project.store.get_meta("text_version") == "2"


def test_memos_are_pseudonymised_with_the_key(tmp_path: Path) -> None:
    project = _project(tmp_path, None)
    project.redact(["Göran Ahlström"])
    segment, _, _ = _segment(project, "[Person 1] var trevlig")
    stored = project.memo("segment", segment, "Göran Ahlström ringde, anna@example.se")
    assert stored == "[Person 1] ringde, [e-mail]"
    document = str(project.documents["document"].iloc[0])
    assert project.memo("document", document, "Om Göran") == "Om [Person 1]"
    assert project.memos()["text"].str.contains("Göran").sum() == 0


def test_redaction_of_a_memo_alone_counts_a_text_version(tmp_path: Path) -> None:
    """Open views hold memos and attribute chips too: a redaction that changed only a memo
    must tell them to reload as one that changed a transcript does."""
    project = _project(tmp_path, None)
    segment, _, _ = _segment(project, "Göran var trevlig")
    project.memo("segment", segment, "Kerstin Lind ringde om avgiften")
    assert "Kerstin" not in " ".join(project.segments()["text"])
    project.redact(["Kerstin Lind"])
    assert project.memo("segment", segment).startswith("[Person")
    assert project.store.get_meta("text_version") == "1"
