"""Offline merge of project copies: nothing lost, conflicts reported, idempotent."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from _helpers import import_interview

import workbench
from workbench._merge import merge_projects
from workbench.cli import main
from workbench.codebook import rename_code


@pytest.fixture
def copies(tmp_path: Path) -> tuple[Path, Path]:
    """Anna's and Erik's copies of a project with one interview and a participant attribute."""
    base = tmp_path / "base"
    p = workbench.init(base)
    import_interview(
        p,
        ["We need clear rules.", "They should call before the visit.", "I trust her."],
        checksum="sum-a",
        user="lead",
        attributes=[(2, "a.txt", {"role": "owner"})],
    )
    p.close()
    anna, erik = tmp_path / "anna", tmp_path / "erik"
    shutil.copytree(base, anna)
    shutil.copytree(base, erik)
    return anna, erik


def state(folder: Path) -> tuple[set[tuple[str, str, str, str]], dict[tuple[str, str], str]]:
    with workbench.open(folder, read_only=True) as p:
        codings = {(r.document, r.code, r.coder, r.quote) for r in p.codings().itertuples()}
        memos = p.store.memos_frame()
        segs = p.segments().set_index("segment")["text"]
        notes = {(segs[int(m.target)], m.coder): m.text for m in memos.itertuples()}
    return codings, notes


def test_merge_copies_keeps_everything_and_is_idempotent(
    tmp_path: Path, copies: tuple[Path, Path]
) -> None:
    anna, erik = copies
    with workbench.open(anna, coder="anna") as p:
        ids = list(p.segments()["segment"])
        p.code(int(ids[0]), "bp-needs")
        seg = p.store.segment(int(ids[1]))
        p.code(int(ids[1]), "bp-expectations", start=seg["start"] + 5, end=seg["end"])
        p.memo("segment", int(ids[0]), "rules matter")
        p.set_codebook(rename_code(p.codebook, "bp-needs", "Needs (what they require)"))
    with workbench.open(erik, coder="erik") as p:
        p.code(int(ids[0]), "bp-needs")
        p.code(int(ids[2]), "fq-trust")
        p.memo("segment", int(ids[0]), "erik's note")
        p.set_codebook(rename_code(p.codebook, "fq-trust", "Trust in the inspector"))
    out = tmp_path / "merged"
    report = merge_projects([anna, erik], out)
    anna_state, erik_state = state(anna), state(erik)
    merged = state(out)
    assert merged[0] == anna_state[0] | erik_state[0]
    assert merged[1] == {**anna_state[1], **erik_state[1]}
    with workbench.open(out) as p:
        assert p.codebook.get("bp-needs").name() == "Needs (what they require)"
        assert p.codebook.get("fq-trust").name() == "Trust in the inspector"
        assert p.participants["role"].tolist() == ["owner"]
        assert len(p.documents) == 1
    assert report.conflicts == []
    again = merge_projects([anna, erik], out)
    assert (again.documents, again.codings, again.memos) == (0, 0, 0)
    assert state(out) == merged


def test_merge_reports_conflicts_never_drops(
    tmp_path: Path, copies: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    anna, erik = copies
    with workbench.open(anna, coder="anna") as p:
        p.set_codebook(rename_code(p.codebook, "bp-needs", "Needs A"))
        p.memo("segment", int(p.segments()["segment"].iloc[0]), "first text", coder="lead")
    with workbench.open(erik, coder="erik") as p:
        p.set_codebook(rename_code(p.codebook, "bp-needs", "Needs B"))
        p.memo("segment", int(p.segments()["segment"].iloc[0]), "second text", coder="lead")
    code = main(["merge", str(anna), str(erik), "-o", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert code == 1
    assert "conflict: codebook" in out and "bp-needs" in out
    assert "both texts kept" in out
    _, notes = state(tmp_path / "out")
    [text] = notes.values()
    assert "first text" in text and "second text" in text
