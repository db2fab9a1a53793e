"""The tagger's Python side, driven through the same handlers the browser calls."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import workbench
from workbench.codebook import Code, Codebook
from workbench.project._project import Project
from workbench.widgets import Tagger


def quotes(project: Project, coder: str = "anna") -> list[tuple[int, str, str, str]]:
    frame = project.codings(coder)
    return [(int(r.segment), r.code, r.quote, r.origin) for r in frame.itertuples(index=False)]


def test_tagger_opens_on_first_uncoded_segment_with_context(study: Project) -> None:
    tagger = Tagger(study, coder="anna")
    seg = tagger.segment
    assert seg["text"].startswith("Kaffe") and seg["speaker"] == "Anna"
    assert seg["participant"] == "P01" and seg["attributes"] == {
        "Region": "north"
    }  # readable names
    assert seg["time"] == "01:15"
    assert [t["role"] for t in seg["before"]] == ["interviewer"]
    assert seg["after"][0]["text"] == "And then?"
    assert tagger.progress == {
        "doc_coded": 0,
        "doc_total": 3,
        "coded": 0,
        "total": 5,
        "index": 0,
        "count": 5,
    }
    assert len(tagger.segment_ids) == 5  # interviewer turns are context, not coding units


def test_tagger_codebook_payload_keeps_tree_and_texts(study: Project) -> None:
    tagger = Tagger(study, coder="anna")
    codes = {c["id"]: c for c in tagger.codebook["codes"]}
    assert codes["process"]["codable"] is False and codes["process"]["has_children"]
    assert codes["needs"]["depth"] == 1 and codes["needs"]["shortcut"] == "n"
    assert codes["needs"]["definition"] == "What the user needs"
    assert "Behov" in codes["needs"]["labels"] and "Needs" in codes["needs"]["labels"]
    assert tagger.keymap["n"] == {"action": "toggle", "code": "needs", "what": "Needs"}
    assert tagger.keymap["shift+g"]["code"] == "gap"
    assert tagger.keymap["ArrowRight"]["action"] == "next"  # still navigates when n is a code


def test_tagger_toggle_whole_segment_writes_and_removes(study: Project) -> None:
    tagger = Tagger(study, coder="anna")
    sid = tagger.segment_id
    tagger.handle({"type": "toggle", "code": "trust"})
    assert quotes(study) == [(sid, "trust", tagger.segment["text"], "human")]
    assert tagger.segment["on"] == ["trust"] and tagger.status["state"] == "saved"
    assert tagger.progress["coded"] == 1 and tagger.progress["doc_coded"] == 1
    tagger.handle({"type": "toggle", "code": "trust"})
    assert quotes(study) == [] and tagger.segment["on"] == []
    assert tagger.progress["coded"] == 0


def test_tagger_span_offsets_are_code_points_of_the_segment(study: Project) -> None:
    tagger = Tagger(study, coder="anna")
    text = tagger.segment["text"]
    start = text.index("smörgås")
    tagger.handle({"type": "toggle", "code": "needs", "start": start, "end": start + 7})
    assert quotes(study)[0][2] == "smörgås"
    span = tagger.segment["codings"][0]
    assert (span["start"], span["end"], span["whole"]) == (start, start + 7, False)
    assert tagger.segment["partial"] == ["needs"] and tagger.segment["on"] == []
    row = study.codings("anna").iloc[0]
    document = study.store.document_text(tagger.segment["document_id"])
    assert document[row.start : row.end] == "smörgås"


def test_tagger_span_whitespace_is_trimmed(study: Project) -> None:
    tagger = Tagger(study, coder="anna")
    text = tagger.segment["text"]
    start = text.index(" och")
    tagger.session.toggle("needs", start, start + 5)
    assert quotes(study)[0][2] == "och"


@pytest.mark.parametrize(
    "message",
    [
        {"type": "toggle", "code": "needs", "start": 5, "end": 500},
        {"type": "toggle", "code": "needs", "start": 3},
        {"type": "toggle", "code": "needs", "start": "x", "end": 4},
        {"type": "toggle", "code": "process"},
        {"type": "toggle", "code": "nope"},
        {"type": "fly"},
        {"type": "memo", "kind": "code", "text": "x"},
    ],
)
def test_tagger_bad_message_reports_error_and_writes_nothing(
    study: Project, message: dict[str, object]
) -> None:
    tagger = Tagger(study, coder="anna")
    tagger.handle(message)
    assert tagger.status["state"] == "error" and "\n" not in tagger.status["text"]
    assert quotes(study) == []


def test_tagger_navigation_and_next_uncoded(study: Project) -> None:
    tagger = Tagger(study, coder="anna")
    ids = tagger.segment_ids
    tagger.handle({"type": "next"})
    assert tagger.segment_id == ids[1]
    tagger.handle({"type": "prev"})
    tagger.handle({"type": "prev"})
    assert tagger.segment_id == ids[0] and "first" in tagger.status["text"]
    study.code(ids[1], "needs", coder="anna")
    study.code(ids[2], "needs", coder="anna")
    tagger.handle({"type": "next_uncoded"})
    assert tagger.segment_id == ids[3]
    tagger.handle({"type": "go", "index": 4})
    assert tagger.segment["document"] == "b.txt"
    assert tagger.progress["doc_total"] == 2 and tagger.progress["index"] == 4


def test_tagger_reopens_on_first_segment_i_have_not_coded(study: Project) -> None:
    ids = Tagger(study, coder="anna").segment_ids
    study.code(ids[0], "needs", coder="anna")
    assert Tagger(study, coder="anna").segment_id == ids[1]
    assert Tagger(study, coder="bo").segment_id == ids[0]


def test_tagger_undo_redo_and_jump_back(study: Project) -> None:
    tagger = Tagger(study, coder="anna")
    first = tagger.segment_id
    tagger.handle({"type": "toggle", "code": "needs"})
    tagger.handle({"type": "next"})
    tagger.handle({"type": "undo"})
    assert quotes(study) == [] and tagger.segment_id == first
    assert "Undid" in tagger.status["text"] and tagger.progress["coded"] == 0
    tagger.handle({"type": "redo"})
    assert [q[1] for q in quotes(study)] == ["needs"] and tagger.segment["on"] == ["needs"]


def test_tagger_undo_survives_a_new_widget(study: Project, tmp_path: Path) -> None:
    Tagger(study, coder="anna").session.toggle("trust")
    study.close()
    again = workbench.open(tmp_path / "study", coder="anna")
    tagger = again.tagger()
    assert tagger.coder == "anna"
    tagger.session.undo()
    assert quotes(again) == []


def test_tagger_memos_save_for_their_target(study: Project) -> None:
    tagger = Tagger(study, coder="anna")
    first, doc = tagger.segment_id, tagger.segment["document_id"]
    tagger.handle({"type": "next"})
    tagger.handle({"type": "memo", "kind": "segment", "target": first, "text": "rings true"})
    tagger.handle({"type": "memo", "kind": "document", "target": doc, "text": "calm talk"})
    assert study.memo("segment", first, coder="anna") == "rings true"
    assert study.memo("document", doc, coder="anna") == "calm talk"
    assert tagger.status["state"] == "saved"
    tagger.handle({"type": "prev"})
    assert tagger.segment["memo"] == "rings true" and tagger.segment["doc_memo"] == "calm talk"
    tagger.handle({"type": "undo"})
    assert study.memo("document", doc, coder="anna") == ""
    assert tagger.segment["doc_memo"] == "" and tagger.segment["memo_seq"] == 1


def test_tagger_filters_narrow_the_list(study: Project) -> None:
    tagger = Tagger(study, coder="anna")
    ids = tagger.segment_ids
    tagger.handle({"type": "filter", "document": "b.txt"})
    assert tagger.segment_ids == ids[3:] and tagger.segment_id == ids[3]
    tagger.handle({"type": "filter", "document": "", "search": "TRUST"})
    assert tagger.segment_ids == [ids[1]]
    tagger.handle({"type": "filter", "search": "", "participant": "P02"})
    assert tagger.segment_ids == ids[3:]
    study.code(ids[0], "needs", coder="anna")
    study.code(ids[2], "needs", coder="bo")
    study.code(ids[3], "trust", coder="bo")
    study.code(ids[3], "trust", coder="anna")
    tagger.handle({"type": "filter", "participant": "", "uncoded": True})
    assert tagger.segment_ids == [i for i in ids if i not in (ids[0], ids[3])]
    tagger.handle({"type": "filter", "uncoded": False, "others": True})
    assert tagger.segment_ids == [ids[2]]
    tagger.handle({"type": "filter", "others": False, "code": "trust"})
    assert tagger.segment_ids == [ids[3]]
    tagger.handle({"type": "filter", "code": "nope"})
    assert tagger.status["state"] == "error" and tagger.segment_ids == [ids[3]]
    tagger.handle({"type": "filter", "code": "", "search": "no such words"})
    assert tagger.segment["empty"] and tagger.progress["count"] == 0
    tagger.handle({"type": "toggle", "code": "needs"})
    assert tagger.status["state"] == "error"


def test_tagger_blind_until_compare(study: Project) -> None:
    tagger = Tagger(study, coder="anna")
    study.code(
        tagger.segment_id,
        "trust",
        coder="bo",
        start=tagger.segment["start"],
        end=tagger.segment["start"] + 5,
    )
    tagger.session.refresh()
    assert tagger.segment["others"] == [] and tagger.segment["on"] == []
    tagger.handle({"type": "compare", "on": True})
    other = tagger.segment["others"][0]
    assert (other["coder"], other["code"], other["quote"]) == ("bo", "trust", "Kaffe")
    tagger.handle({"type": "compare", "on": False})
    assert tagger.segment["others"] == []


def test_tagger_other_tagger_write_shows_after_refresh(study: Project, tmp_path: Path) -> None:
    mine = Tagger(study, coder="anna")
    theirs = workbench.open(tmp_path / "study", coder="anna").tagger()
    theirs.session.toggle("gap")
    mine.session.toggle("trust")
    assert mine.segment["on"] == ["gap", "trust"]
    assert sorted(q[1] for q in quotes(study)) == ["gap", "trust"]


def test_tagger_suggestions_rank_and_accept(study: Project) -> None:
    def suggest(text: str) -> list[tuple[str, float, str]]:
        return [
            ("trust", 0.4, "word 'staff'"),
            ("needs", 0.9, "word 'need'"),
            ("process", 0.99, "group"),
            ("zzz", 1.0, "unknown"),
        ]

    tagger = Tagger(study, coder="anna", suggest=suggest)
    assert [s["code"] for s in tagger.suggestions] == ["needs", "trust"]
    assert tagger.keymap["="]["action"] == "accept"
    tagger.handle({"type": "accept"})
    assert quotes(study)[0][1:] == ("needs", tagger.segment["text"], "suggestion")
    assert tagger.suggestions[0]["on"] is True
    tagger.handle({"type": "accept"})
    assert {q[1] for q in quotes(study)} == {"needs", "trust"}


def test_tagger_without_suggester_has_no_suggestions(study: Project) -> None:
    tagger = Tagger(study, coder="anna")
    assert tagger.suggestions == []
    tagger.handle({"type": "accept"})
    assert quotes(study) == [] and tagger.status["text"] == "No suggestion to accept"


def test_tagger_failing_suggester_does_not_stop_coding(study: Project) -> None:
    def broken(text: str) -> list[tuple[str, float, str]]:
        raise RuntimeError("model file missing")

    tagger = Tagger(study, coder="anna", suggest=broken)
    assert tagger.suggestions == [] and "model file missing" in tagger.status["text"]
    tagger.session.toggle("needs")
    assert len(quotes(study)) == 1


def test_tagger_language_switch_relabels_codes(study: Project) -> None:
    tagger = Tagger(study, coder="anna", lang="sv")
    assert {c["id"]: c["label"] for c in tagger.codebook["codes"]}["needs"] == "Behov"
    tagger.handle({"type": "lang", "lang": "en"})
    assert {c["id"]: c["label"] for c in tagger.codebook["codes"]}["needs"] == "Needs"
    tagger.handle({"type": "lang", "lang": "de"})
    assert tagger.status["state"] == "error" and tagger.lang == "en"


def test_tagger_coder_from_environment(study: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_CODER", "cleo")
    project = workbench.open(study.path)
    assert project.tagger().coder == "cleo"
    assert project.tagger(coder="dan").coder == "dan"


def test_tagger_front_end_files_are_shipped() -> None:
    tagger_js = Path(workbench.__file__).parent / "widgets" / "tagger" / "tagger.js"
    assert "export default" in tagger_js.read_text(encoding="utf-8")
    common_js = tagger_js.parents[1] / "common.js"
    source = str(Tagger._esm)  # the widgets' shared helpers, then the tagger's own script
    assert source == "\n".join(p.read_text(encoding="utf-8") for p in (common_js, tagger_js))
    assert ".vt-root" in str(Tagger._css)


@pytest.mark.slow
def test_tagger_notebook_runs_headless(study: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    notebook = Path(__file__).resolve().parents[2] / "notebooks" / "02-code.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code")
    monkeypatch.setenv("WORKBENCH_PROJECT", str(study.path))
    monkeypatch.setenv("WORKBENCH_CODER", "anna")
    nbclient.NotebookClient(
        nb, timeout=60, resources={"metadata": {"path": str(notebook.parent)}}
    ).execute()
    shown = nb.cells[-1].outputs[0]["data"]
    assert "application/vnd.jupyter.widget-view+json" in shown


def test_tagger_empty_project_shows_message(tmp_path: Path, book: Codebook) -> None:
    project = workbench.init(tmp_path / "empty", codebook=book)
    tagger = project.tagger(coder="anna")
    assert tagger.segment["empty"] and tagger.progress["total"] == 0
    tagger.handle({"type": "next_uncoded"})
    tagger.handle({"type": "toggle", "code": "needs"})
    assert tagger.status["state"] == "error"


def test_tagger_new_codebook_version_shows_on_next_move(study: Project, book: Codebook) -> None:
    tagger = Tagger(study, coder="anna")
    extra = Code(id="hope", label={"en": "Hope", "sv": "Hopp"}, color="#118833", shortcut="h")
    study.set_codebook(dataclasses.replace(book, codes=(*book.codes, extra)))
    tagger.session.next()
    assert tagger.keymap["h"]["code"] == "hope"
    assert tagger.session.toggle("hope")


def test_tagger_bug_shows_error_and_keeps_traceback(
    study: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    tagger = Tagger(study, coder="anna")

    def broken(*args: object, **kwargs: object) -> bool:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(study, "code", broken)
    with pytest.raises(RuntimeError):
        tagger.handle({"type": "toggle", "code": "needs"})
    assert tagger.status["state"] == "error" and "disk on fire" in tagger.status["text"]
