"""The codebook editor: driven by setting values and clicking, checked in the project DB."""

from __future__ import annotations

from workbench.project._project import Project
from workbench.widgets._codebook_editor import CodebookEditor


def _coded(study: Project) -> tuple[CodebookEditor, list[int]]:
    ids = [int(s) for s in study.segments(role="interviewee")["segment"]]
    study.code(ids[0], "needs")
    study.code(ids[1], "needs")
    study.code(ids[1], "trust", coder="erik")
    study.code(ids[2], "gap")
    return CodebookEditor(study), ids


def test_codebook_editor_shows_tree_counts_and_colours(study: Project) -> None:
    editor, _ = _coded(study)
    assert list(editor.rows) == ["process", "needs", "trust", "gap"]
    assert editor.rows["needs"].description == "Needs · 2"
    assert editor.rows["process"].description == "Process (group) · 0"
    assert editor.rows["needs"].style.button_color == "#c0392b"
    editor.rows["trust"].click()
    assert editor.selected == "trust"
    assert editor.label_sv.value == "Tillit" and editor.color.value == "#2e86c1"
    assert "trust" not in dict(editor.merge_target.options).values()


def test_codebook_editor_save_edits_the_code(study: Project) -> None:
    editor, _ = _coded(study)
    version = study.codebook_version
    editor.rows["gap"].click()
    editor.label_sv.value = "Informationslucka"
    editor.definition_en.value = "Something the user was not told"
    editor.not_when_en.value = "the user did not ask"
    editor.color.value = "#00ff00"
    editor.shortcut.value = ""
    editor.save_button.click()
    code = study.codebook.get("gap")
    assert code.label["sv"] == "Informationslucka"
    assert code.definition == {"en": "Something the user was not told"}
    assert code.do_not_use_when == {"en": "the user did not ask"}
    assert code.color == "#00ff00" and code.shortcut is None
    assert study.codebook_version == version + 1
    assert "saved gap" in editor.status.value
    assert editor.rows["gap"].style.button_color == "#00ff00"


def test_codebook_editor_add_move_merge_remove(study: Project) -> None:
    editor, ids = _coded(study)
    editor.rows["gap"].click()
    editor.child_label.value = "Missing timetable"
    editor.add_button.click()
    assert study.codebook.get("missing-timetable").parent == "gap"
    assert editor.selected == "missing-timetable"

    editor.rows["trust"].click()
    editor.parent.value = ""
    editor.move_button.click()
    assert study.codebook.get("trust").parent is None

    editor.rows["trust"].click()
    editor.merge_target.value = "needs"
    editor.merge_button.click()
    assert "trust" not in study.codebook
    assert set(study.codings(code="needs")["coder"]) == {"anna", "erik"}
    assert len(study.codings(code="trust")) == 0
    assert editor.rows["needs"].description == "Needs · 2"
    assert "1 coding(s) moved" in editor.status.value

    editor.rows["missing-timetable"].click()
    editor.remove_button.click()
    assert "missing-timetable" not in study.codebook
    notes = list(study.store.codebook_versions_frame()["note"])
    assert notes[-4:] == [
        "added missing-timetable",
        "moved trust under (top level)",
        "merged trust into needs",
        "removed missing-timetable",
    ]


def test_codebook_editor_shows_errors_as_one_line(study: Project) -> None:
    editor, _ = _coded(study)
    version = study.codebook_version
    editor.rows["needs"].click()
    editor.remove_button.click()
    assert "merge it into another code" in editor.status.value
    assert "Traceback" not in editor.status.value
    editor.rows["process"].click()
    editor.parent.value = ""
    editor.label_sv.value = editor.label_en.value = ""
    editor.rename_button.click()
    assert "needs a label" in editor.status.value
    editor.rows["gap"].click()
    editor.child_id.value = "needs"
    editor.child_label.value = "Again"
    editor.add_button.click()
    assert "already used" in editor.status.value
    assert study.codebook_version == version
    assert "needs" in study.codebook
