"""Codebook changes inside a project: versions, audit rows, and no coding lost."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from _helpers import import_interview

import workbench
from workbench.codebook import Code, Codebook, save_codebook
from workbench.errors import CodebookError, InvalidCode
from workbench.project import _codebook as cp

BOOK = Codebook(
    id="t",
    title={"en": "T", "sv": "T"},
    codes=(
        Code(id="process", label={"en": "Process", "sv": "Process"}, codable=False),
        Code(id="needs", label={"en": "Needs", "sv": "Behov"}, parent="process"),
        Code(id="expect", label={"en": "Expectations", "sv": "Förväntningar"}),
        Code(id="trust", label={"en": "Trust", "sv": "Tillit"}),
        Code(id="unused", label={"en": "Unused", "sv": "Oanvänd"}),
    ),
)
TEXTS = ["We need clear rules.", "They should call first.", "I trust her.", "Nothing else."]
# (segment index, code, coder)
CODINGS = [
    (0, "needs", "anna"),
    (1, "needs", "anna"),
    (1, "expect", "anna"),
    (1, "expect", "erik"),
    (2, "trust", "anna"),
    (2, "needs", "erik"),
]


def build(folder: Path, db: str | None = None) -> workbench.Project:
    """A project with ``BOOK``, one interview and the codings ``CODINGS``."""
    p = workbench.init(folder, db=db, codebook=BOOK)
    p.coder = "lead"
    ids = import_interview(p, TEXTS)
    for index, code, coder in CODINGS:
        p.code(ids[index], code, coder=coder)
    return p


@pytest.fixture
def project(tmp_path: Path, db: str | None) -> Iterator[workbench.Project]:
    p = build(tmp_path / "s", db)
    yield p
    p.close()


def _ids(p: workbench.Project) -> list[int]:
    return [int(s) for s in p.segments()["segment"]]


def _pairs(p: workbench.Project) -> set[tuple[int, str, str]]:
    frame = p.codings()
    return {
        (int(s), str(c), str(k))
        for s, c, k in zip(frame["segment"], frame["code"], frame["coder"], strict=True)
    }


def _notes(p: workbench.Project) -> list[str]:
    return list(p.store.codebook_versions_frame()["note"])


def test_rename_move_edit_add_keep_codings_and_record_versions(project: workbench.Project) -> None:
    before = _pairs(project)
    start = project.codebook_version
    cp.rename(project, "needs", "Behoven", lang="sv")
    cp.move(project, "needs", None)
    cp.edit(project, "trust", color="#123456", definition={"en": "Believes"})
    cp.add(project, Code(id="wait", label={"en": "Waiting", "sv": "Väntan"}, parent="process"))
    book = project.codebook
    assert book.get("needs").label == {"en": "Needs", "sv": "Behoven"}
    assert book.get("needs").parent is None
    assert book.get("trust").color == "#123456"
    assert book.get("wait").parent == "process"
    assert _pairs(project) == before
    assert project.codebook_version == start + 4
    assert _notes(project)[-4:] == [
        "renamed needs",
        "moved needs under (top level)",
        "edited trust: color, definition",
        "added wait",
    ]
    audit = project.store.audit_frame("lead")
    assert (audit["action"] == "codebook.version").sum() == 4


def test_remove_refuses_a_used_code_and_removes_an_unused_one(project: workbench.Project) -> None:
    version = project.codebook_version
    with pytest.raises(InvalidCode, match="'trust'.*merge it into another code"):
        cp.remove(project, "trust")
    assert project.codebook_version == version
    cp.remove(project, "unused")
    assert "unused" not in project.codebook
    assert project.codebook_version == version + 1


def test_merge_moves_every_coding_and_collapses_duplicates(project: workbench.Project) -> None:
    ids = _ids(project)
    moved = cp.merge(project, ["expect", "trust"], "needs")
    assert moved == 3
    assert "expect" not in project.codebook and "trust" not in project.codebook
    assert _pairs(project) == {
        (ids[0], "needs", "anna"),
        (ids[1], "needs", "anna"),  # needs + expect by anna collapse into one
        (ids[1], "needs", "erik"),
        (ids[2], "needs", "anna"),
        (ids[2], "needs", "erik"),
    }
    assert _notes(project)[-1] == "merged expect, trust into needs"
    actions = list(project.store.audit_frame("lead")["action"])
    assert actions[-2:] == ["codings.recode", "codebook.version"]


def test_merge_refuses_unknown_codes_and_groups_without_changes(
    project: workbench.Project,
) -> None:
    before, version = _pairs(project), project.codebook_version
    with pytest.raises(InvalidCode, match="'nope'"):
        cp.merge(project, ["nope"], "needs")
    with pytest.raises(InvalidCode, match="group"):
        cp.merge(project, ["trust"], "process")
    assert _pairs(project) == before and project.codebook_version == version


def test_split_with_a_complete_assignment_moves_codings(project: workbench.Project) -> None:
    ids = _ids(project)
    new = [
        Code(id="needs-rules", label={"en": "Rules", "sv": "Regler"}),
        Code(id="needs-other", label={"en": "Other needs", "sv": "Andra behov"}),
    ]
    moved = cp.split(
        project,
        "needs",
        new,
        {ids[0]: "needs-rules", ids[1]: "needs-other", ids[2]: "needs-other"},
    )
    assert moved == {"needs-rules": 1, "needs-other": 2}
    book = project.codebook
    assert "needs" not in book and book.get("needs-rules").parent == "process"
    pairs = _pairs(project)
    assert (ids[0], "needs-rules", "anna") in pairs
    assert (ids[2], "needs-other", "erik") in pairs
    assert not any(code == "needs" for _, code, _ in pairs)
    assert len(pairs) == len(CODINGS)
    assert _notes(project)[-1] == "split needs into needs-rules, needs-other"


def test_split_by_a_function_of_the_segment(project: workbench.Project) -> None:
    new = [
        Code(id="rules", label={"en": "Rules", "sv": "Regler"}),
        Code(id="calls", label={"en": "Calls", "sv": "Samtal"}),
    ]
    cp.split(
        project,
        "needs",
        new,
        lambda row: "rules" if "rules" in row["text"] else "calls",
        as_children=True,
    )
    book = project.codebook
    assert not book.get("needs").codable and book.get("rules").parent == "needs"
    assert set(project.codings(code="rules")["segment"]) == {_ids(project)[0]}
    assert len(project.codings(code="calls")) == 2
    assert project.codings(code="needs").empty


def test_split_with_an_incomplete_assignment_changes_nothing(project: workbench.Project) -> None:
    ids = _ids(project)
    before, version = _pairs(project), project.codebook_version
    new = [Code(id="a", label={"en": "A"}), Code(id="b", label={"en": "B"})]
    with pytest.raises(InvalidCode, match="2 of 3 codings are not assigned"):
        cp.split(project, "needs", new, {ids[0]: "a"})
    with pytest.raises(InvalidCode, match="'zzz'.*not one of the new codes"):
        cp.split(project, "needs", new, {ids[0]: "zzz", ids[1]: "a", ids[2]: "b"})
    assert _pairs(project) == before and project.codebook_version == version
    assert "a" not in set(project.store.codings_frame()["code"])


def test_split_rolls_back_the_recode_when_the_save_fails(
    project: workbench.Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _ids(project)
    before, version = _pairs(project), project.codebook_version

    def broken(*args: object, **kwargs: object) -> int:
        raise CodebookError("disk full (simulated)")

    monkeypatch.setattr(workbench.store.Store, "save_codebook", broken)
    new = [Code(id="a", label={"en": "A"}), Code(id="b", label={"en": "B"})]
    with pytest.raises(CodebookError, match="simulated"):
        cp.split(project, "needs", new, dict.fromkeys(ids, "a"))
    monkeypatch.undo()
    assert _pairs(project) == before and project.codebook_version == version


def test_adopt_reports_the_diff_and_saves_a_version(
    project: workbench.Project, tmp_path: Path
) -> None:
    shared = cp.cb.rename_code(project.codebook, "trust", "Confidence")
    shared = cp.cb.remove_code(shared, "unused")
    shared = cp.cb.add_code(shared, Code(id="wait", label={"en": "Waiting", "sv": "Väntan"}))
    file = tmp_path / "shared.qdc"
    save_codebook(shared, file)
    version = project.codebook_version
    changes = cp.adopt(project, file)
    assert changes.added == ("wait",) and changes.removed == ("unused",)
    assert "renamed trust" in str(changes)
    assert project.codebook_version == version + 1
    assert project.codebook.get("trust").name() == "Confidence"
    assert _notes(project)[-1] == "adopted shared.qdc"
    assert not cp.adopt(project, file)  # nothing new: no new version
    assert project.codebook_version == version + 1


def test_adopt_refuses_removing_used_codes(project: workbench.Project, tmp_path: Path) -> None:
    shared = cp.cb.remove_code(cp.cb.remove_code(project.codebook, "trust"), "expect")
    file = tmp_path / "shared.yaml"
    save_codebook(shared, file)
    version, before = project.codebook_version, _pairs(project)
    with pytest.raises(InvalidCode, match=r"shared.yaml: .*expect \(1 segment\(s\)\), trust"):
        cp.adopt(project, file)
    assert project.codebook_version == version and _pairs(project) == before


def test_cli_codebook_adopt_and_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.cli import main

    project = build(tmp_path / "cli")
    shared = cp.cb.rename_code(project.codebook, "trust", "Confidence")
    project.close()
    file = tmp_path / "shared.yaml"
    save_codebook(shared, file)
    folder = str(project.path)
    assert main(["codebook", "adopt", folder, str(file)]) == 0
    out = capsys.readouterr().out
    assert "renamed trust" in out and "adopted shared.yaml as codebook version" in out
    assert main(["codebook", "export", folder, str(tmp_path / "out.qdc")]) == 0
    assert "Confidence" in (tmp_path / "out.qdc").read_text(encoding="utf-8")
    removing = tmp_path / "less.yaml"
    save_codebook(cp.cb.remove_code(shared, "trust"), removing)
    assert main(["codebook", "adopt", folder, str(removing)]) == 2
    assert "still have codings: trust" in capsys.readouterr().err


def test_merge_is_undone_and_redone_with_every_coding(project: workbench.Project) -> None:
    before, book = _pairs(project), project.codebook
    cp.merge(project, ["expect", "trust"], "needs")  # anna's needs + expect collapse into one
    project.memo("project", "journal", "not this", coder="erik")  # erik acts in between
    done = project.undo()
    assert done is not None and "merged expect, trust into needs" in done["note"]
    assert _pairs(project) == before  # the collapsed pair comes back as two
    assert [c.id for c in project.codebook.codes] == [c.id for c in book.codes]
    project.redo()
    assert "expect" not in project.codebook
    assert len(_pairs(project)) == 5
    project.undo()
    assert _pairs(project) == before


def test_split_and_rename_are_undone(project: workbench.Project) -> None:
    before = _pairs(project)
    ids = _ids(project)
    cp.split(
        project,
        "needs",
        [
            Code(id="rules", label={"en": "Rules", "sv": "Regler"}),
            Code(id="calls", label={"en": "Calls", "sv": "Samtal"}),
        ],
        {ids[0]: "rules", ids[1]: "calls", ids[2]: "calls"},
    )
    assert "needs" not in project.codebook
    project.rename_code("trust", "Confidence")
    project.undo()
    assert project.codebook.get("trust").name("en") == "Trust"
    project.undo()
    assert "needs" in project.codebook and "rules" not in project.codebook
    assert _pairs(project) == before


def test_undo_refused_when_someone_changed_the_codebook_since(project: workbench.Project) -> None:
    project.rename_code("trust", "Confidence")  # lead
    erik = workbench.open(project.path, coder="erik", url=None) if project.sqlite_file else None
    other = erik or project
    if erik is None:
        project.coder = "erik"
    other.rename_code("expect", "Hopes")
    project.coder = "lead"
    with pytest.raises(InvalidCode, match="the codebook changed after this change"):
        project.undo()
    assert project.codebook.get("trust").name("en") == "Confidence"  # nothing changed
    assert project.codebook.get("expect").name("en") == "Hopes"
    if erik is not None:
        erik.close()
