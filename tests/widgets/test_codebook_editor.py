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
    assert editor.rows["needs"].description == "Needs · 2 segments, 2 codings"
    assert editor.rows["process"].description == "Process (group) · 0 codings"
    assert editor.rows["needs"].layout.border_left == "5px solid #c0392b"
    assert editor.rows["trust"].layout.margin == "0 0 0 18px"  # one level down
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
    assert "Saved Information gap (codebook version" in editor.status.value
    assert editor.rows["gap"].layout.border_left == "5px solid #00ff00"


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
    assert "trust" in study.codebook  # asked first
    editor.confirm_button.click()
    assert "trust" not in study.codebook
    assert set(study.codings(code="needs")["coder"]) == {"anna", "erik"}
    assert len(study.codings(code="trust")) == 0
    assert editor.rows["needs"].description == "Needs · 2 segments, 3 codings"
    assert editor.status.value.endswith("Merged Trust into Needs (1 coding moved)</span>")

    editor.rows["missing-timetable"].click()
    editor.remove_button.click()
    assert "missing-timetable" in study.codebook
    assert "Remove “Missing timetable” from the codebook?" in editor.question.value
    editor.confirm_button.click()
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
    assert "A code needs a label" in editor.status.value
    editor.rows["gap"].click()
    editor.child_id.value = "needs"
    editor.child_label.value = "Again"
    editor.add_button.click()
    assert "already used" in editor.status.value
    assert study.codebook_version == version
    assert "needs" in study.codebook


def test_codebook_editor_rows_are_legible(study: Project) -> None:
    """Rows never shrink in the scrolled tree, wrap long labels and mark the selection."""
    editor, _ = _coded(study)
    assert editor.tree.layout.overflow == "hidden auto"
    for row in editor.rows.values():
        assert row.layout.height == "auto" and "wb-cb-row" in row._dom_classes
    assert "flex: 0 0 auto" in editor.children[0].value  # the style sheet
    assert "white-space: normal" in editor.children[0].value
    assert "wb-cb-group" in editor.rows["process"]._dom_classes
    editor.rows["gap"].click()
    assert "wb-cb-selected" in editor.rows["gap"]._dom_classes
    assert "wb-cb-selected" not in editor.rows["needs"]._dom_classes


def test_codebook_editor_in_swedish(study: Project) -> None:
    editor = CodebookEditor(study, lang="sv")
    assert editor.rows["needs"].description == "Behov · 0 kodningar"
    assert editor.rows["process"].description == "Process (grupp) · 0 kodningar"
    assert editor.label_sv.description == "Etikett (sv)"
    assert editor.not_when_en.description == "Använd inte när (en)"
    assert editor.save_button.description == "Spara"
    assert editor.parent.options[0] == ("(översta nivån)", "")
    editor.rows["gap"].click()
    editor.label_en.value = "Gap"
    editor.save_button.click()
    assert "Sparade Informationsglapp (kodboksversion" in editor.status.value
    editor.rows["trust"].click()
    editor.merge_target.value = "gap"
    editor.merge_button.click()
    assert (
        "Slå ihop ”Tillit” med ”Informationsglapp”? Dess kodningar (0 kodningar)"
        in editor.question.value
    )
    assert editor.confirm_button.description == "Ja, slå ihop"
    editor.confirm_button.click()
    assert "Slog ihop Tillit med Informationsglapp (0 kodningar flyttade)" in editor.status.value


def test_codebook_editor_merge_asks_and_can_be_undone(study: Project) -> None:
    editor, ids = _coded(study)
    before = sorted(zip(study.codings()["segment"], study.codings()["code"], strict=True))
    editor.rows["needs"].click()
    assert editor.merge_target.value == ""  # nothing preselected: a stray click merges nothing
    assert editor.merge_target.options[0] == ("— choose a code —", "")
    editor.merge_button.click()
    assert editor.status.value.endswith("Choose a code to merge into</span>")
    assert editor.confirm_box.layout.display == "none"

    editor.merge_target.value = "gap"
    editor.merge_button.click()
    assert editor.confirm_box.layout.display == "flex"
    assert (
        "Merge “Needs” into “Information gap”? Its codings (2 segments, 2 codings) move"
        in editor.question.value
    )
    editor.cancel_button.click()
    assert "needs" in study.codebook and editor.status.value.endswith("Nothing changed</span>")

    editor.merge_button.click()
    editor.confirm_button.click()
    assert "needs" not in study.codebook and len(study.codings(code="gap")) == 3
    assert editor.undo_button.layout.display == "inline-flex"
    editor.undo_button.click()
    assert "needs" in study.codebook
    assert sorted(zip(study.codings()["segment"], study.codings()["code"], strict=True)) == before
    assert editor.rows["needs"].description == "Needs · 2 segments, 2 codings"
    assert "Undid the change" in editor.status.value
    assert editor.undo_button.layout.display == "none"


def test_codebook_editor_undo_never_takes_back_a_later_change(study: Project) -> None:
    editor, ids = _coded(study)
    editor.rows["gap"].click()
    editor.label_en.value = "Gap"
    editor.rename_button.click()
    study.code(ids[3], "trust")  # the same coder codes in the tagger meanwhile
    editor.undo_button.click()
    assert study.codebook.get("gap").name("en") == "Gap"
    assert len(study.codings(code="trust", segment=ids[3])) == 1
    assert "Not undone" in editor.status.value


def test_codebook_editor_refusals_in_swedish_and_the_studys_language(study: Project) -> None:
    editor, _ = _coded(study)
    assert editor.lang == "en"  # the study's documents are English
    editor = CodebookEditor(study, lang="sv")
    editor.rows["needs"].click()
    editor.remove_button.click()
    assert "”Behov” har kodningar på 2 segment: slå ihop den" in editor.status.value
    editor.rows["process"].click()
    editor.child_label.value = "tillit"
    editor.add_button.click()
    assert "”tillit” finns redan som kod under Process (trust)" in editor.status.value


def test_codebook_editor_row_and_merge_question_count_alike(study: Project) -> None:
    """Two coders on one segment: 2 segments, 3 codings in the tree and in the question."""
    ids = [int(s) for s in study.segments(role="interviewee")["segment"]]
    study.code(ids[0], "needs", coder="anna")
    study.code(ids[0], "needs", coder="erik")
    study.code(ids[1], "needs", coder="anna")
    editor = CodebookEditor(study, "sv")
    assert editor.rows["needs"].description == "Behov · 2 segment, 3 kodningar"
    editor.select("needs")
    editor.merge_target.value = "gap"
    editor.merge_button.click()
    assert "Dess kodningar (2 segment, 3 kodningar) flyttas" in editor.question.value
    study.uncode(ids[1], "needs", coder="anna")
    editor.refresh()
    assert editor.rows["needs"].description == "Behov · 1 segment, 2 kodningar"
