"""Offline merge of project copies: nothing lost, conflicts reported, idempotent."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from _helpers import import_interview

import workbench
from workbench.cli import main
from workbench.codebook import rename_code
from workbench.project._merge import merge_projects


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


def _pseudonymised_copies(tmp_path: Path) -> tuple[Path, Path, list[Path]]:
    """A base study with one pseudonymised interview, copied to Anna and Erik, and three
    further interviews (Åsa, Lars, and Åsa again) to import into the copies."""
    base = tmp_path / "base"
    files = []
    for i, person in enumerate(["Göran Ahlström", "Åsa Öberg", "Lars Nyberg", "Åsa Öberg"]):
        path = tmp_path / f"i{i}.txt"
        path.write_text(
            f"Intervjuare: Hej.\n\n{person}: Jag heter {person}, intervju {i}. Karin Lund ringde.\n",
            encoding="utf-8",
        )
        files.append(path)
    with workbench.init(base) as p:
        p.import_files([files[0]], pseudonymise=True, interviewers=["Intervjuare"])
    anna, erik = tmp_path / "anna", tmp_path / "erik"
    shutil.copytree(base, anna)
    shutil.copytree(base, erik)
    return anna, erik, files


def _texts(folder: Path) -> dict[str, str]:
    with workbench.open(folder, read_only=True) as p:
        return {
            str(d.document): p.store.document_text(int(d.document_id))
            for d in p.documents.itertuples()
        }


def test_merge_two_new_people_with_one_pseudonym_are_kept_apart_by_their_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    anna, erik, files = _pseudonymised_copies(tmp_path)
    with workbench.open(anna) as p:
        p.import_files([files[1]], pseudonymise=True, names=None)  # Åsa → P02 here
        p.import_files([files[3]], pseudonymise=True)  # Åsa again, another interview
    with workbench.open(erik, coder="erik") as p:
        p.import_files([files[2]], pseudonymise=True)  # Lars → P02 there
        seg = p.segments(document="i2.txt", role="interviewee").iloc[0]
        p.code(int(seg["segment"]), "bp-needs", start=int(seg["start"]), end=int(seg["start"]) + 13)
    out = tmp_path / "out"
    assert main(["merge", str(anna), str(erik), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "conflict" not in printed and "pseudonym key merged" in printed
    with workbench.open(out, read_only=True) as p:
        assert sorted(p.participants["participant"]) == ["P01", "P02", "P03"]
        by_doc = dict(zip(p.documents["document"], p.documents["participant"], strict=True))
    assert by_doc == {"i0.txt": "P01", "i1.txt": "P02", "i3.txt": "P02", "i2.txt": "P03"}
    texts = _texts(out)
    assert texts["i2.txt"].startswith("Interviewer: Hej.\n\nP03: Jag heter P03, intervju 2.")
    key = json.loads((out / "private" / "pseudonym-key.json").read_text(encoding="utf-8"))
    assert key["participants"] == {
        "Göran Ahlström": "P01",
        "Åsa Öberg": "P02",
        "Lars Nyberg": "P03",
    }
    # a coding made in Erik's copy covers the same words, renamed
    with workbench.open(out, read_only=True) as p:
        assert p.codings()["quote"].tolist() == ["Jag heter P03"]
    # merging again changes nothing
    assert main(["merge", str(anna), str(erik), "-o", str(out)]) == 0
    assert _texts(out) == texts


def test_merge_without_keys_keeps_unproven_people_apart_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    anna, erik, files = _pseudonymised_copies(tmp_path)
    with workbench.open(anna) as p:
        p.import_files([files[1]], pseudonymise=True)
    with workbench.open(erik) as p:
        p.import_files([files[3]], pseudonymise=True)  # the same Åsa, another interview
    shutil.rmtree(erik / "private")
    out = tmp_path / "out"
    assert main(["merge", str(anna), str(erik), "-o", str(out)]) == 1
    printed = capsys.readouterr().out
    assert (
        f"conflict: participant P02 of {erik} is not known to be anyone here (no shared "
        "document, no key entry to compare), but P02 is taken: kept apart as P03"
    ) in printed
    assert "has no pseudonym key" in printed
    with workbench.open(out, read_only=True) as p:
        assert sorted(p.participants["participant"]) == ["P01", "P02", "P03"]
    assert "P03: Jag heter P03" in _texts(out)["i3.txt"]


def test_merge_same_person_in_both_copies_is_one_participant_by_key(tmp_path: Path) -> None:
    anna, erik, files = _pseudonymised_copies(tmp_path)
    with workbench.open(anna) as p:
        p.import_files([files[2]], pseudonymise=True)  # Lars → P02
        p.import_files([files[1]], pseudonymise=True)  # Åsa → P03
    with workbench.open(erik) as p:
        p.import_files([files[3]], pseudonymise=True)  # Åsa → P02 there
    out = tmp_path / "out"
    report = merge_projects([anna, erik], out)
    assert report.conflicts == []
    with workbench.open(out, read_only=True) as p:
        by_doc = dict(zip(p.documents["document"], p.documents["participant"], strict=True))
    assert by_doc == {"i0.txt": "P01", "i2.txt": "P02", "i1.txt": "P03", "i3.txt": "P03"}
    assert "P03: Jag heter P03, intervju 3" in _texts(out)["i3.txt"]


def test_merge_with_one_key_missing_is_the_same_either_way(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    anna, erik, files = _pseudonymised_copies(tmp_path)
    with workbench.open(anna) as p:
        p.import_files([files[1]], pseudonymise=True)  # Åsa → P02
    with workbench.open(erik) as p:
        p.import_files([files[2]], pseudonymise=True)  # Lars → P02
    shutil.rmtree(anna / "private")
    for order, out in (((anna, erik), tmp_path / "o1"), ((erik, anna), tmp_path / "o2")):
        assert main(["merge", *map(str, order), "-o", str(out)]) == 1
        assert "is not known to be anyone here" in capsys.readouterr().out
        with workbench.open(out, read_only=True) as p:
            assert sorted(p.participants["participant"]) == ["P01", "P02", "P03"]
