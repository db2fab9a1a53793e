"""The tagger as a researcher's workspace: new codes while coding, code memos, Swedish."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.i18n import STRINGS, attribute_name
from workbench.project._project import Project
from workbench.widgets import CodebookEditor, Tagger
from workbench.widgets.tagger._session import _attribute_key

from .conftest import build_study


def test_tagger_new_code_applied_at_once_then_undone_step_by_step(study: Project) -> None:
    tagger = Tagger(study, coder="anna", lang="en")
    version = study.codebook_version
    sid = tagger.segment_id
    tagger.handle({"type": "new_code", "label": "Food trucks", "parent": "process"})
    assert study.codebook_version == version + 1
    assert study.codebook.get("food-trucks").parent == "process"
    assert tagger.segment["on"] == ["food-trucks"]
    assert tagger.status["text"] == "Created “Food trucks” under “Process” and applied it"
    assert any(c["id"] == "food-trucks" for c in tagger.codebook["codes"])
    tagger.handle({"type": "undo"})  # the coding first
    assert tagger.segment["on"] == [] and "food-trucks" in study.codebook
    tagger.handle({"type": "undo"})  # then the code itself, as a new codebook version
    assert "food-trucks" not in study.codebook and study.codebook_version == version + 2
    assert tagger.status["text"] == f"Undid a codebook change (version {version + 1})"
    tagger.handle({"type": "redo"})
    assert "food-trucks" in study.codebook
    assert tagger.segment_id == sid


def test_tagger_in_vivo_code_on_the_selected_words(study: Project) -> None:
    tagger = Tagger(study, coder="anna", lang="en")
    text = tagger.segment["text"]
    words = text.split()[1]
    start = text.index(words)
    tagger.handle(
        {
            "type": "new_code",
            "label": words,
            "parent": "",
            "start": start,
            "end": start + len(words),
        }
    )
    [coding] = [c for c in tagger.segment["codings"] if not c["whole"]]
    assert coding["quote"] == words
    assert study.codebook.get(coding["code"]).name("sv") == words
    tagger.handle({"type": "new_code", "label": words, "parent": ""})  # the same label again
    assert tagger.status["state"] == "error"
    assert tagger.status["text"].startswith(f"“{words}” is already a code under (top level) ")
    assert f"({coding['code']}): pick it in the list" in tagger.status["text"]


def test_tagger_code_memo_saved_and_shown(study: Project) -> None:
    tagger = Tagger(study, coder="anna", lang="en")
    tagger.handle(
        {"type": "memo", "kind": "code", "target": "trust", "text": "Trust in the inspector"}
    )
    assert study.memo("code", "trust", coder="anna") == "Trust in the inspector"
    assert tagger.codebook["memos"] == {"trust": "Trust in the inspector"}
    again = Tagger(study, coder="anna", lang="en")
    assert again.codebook["memos"]["trust"] == "Trust in the inspector"
    tagger.handle({"type": "memo", "kind": "code", "target": "nope", "text": "x"})
    assert tagger.status["state"] == "error"


def test_tagger_swedish_interface(study: Project) -> None:
    tagger = Tagger(study, coder="anna", lang="sv")
    assert tagger.strings["next_uncoded"] == "Nästa okodade"
    assert tagger.status["text"] == "Kodar som anna"
    tagger.handle({"type": "toggle", "code": "trust"})
    assert tagger.status["text"] == "La till “Tillit”"
    assert all(not v.isascii() or v for v in tagger.strings.values())
    assert tagger.keymap["ArrowRight"]["what"] == "nästa segment"
    tagger.handle({"type": "lang", "lang": "en"})
    assert tagger.strings["next_uncoded"] == "Next uncoded"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_interface_string_has_both_languages(lang: str) -> None:
    other = "en" if lang == "sv" else "sv"
    missing = sorted(set(STRINGS[lang]) - set(STRINGS[other]))
    assert not missing, f"only in {lang}: {missing}"


def test_tagger_swedish_empty_list_and_attribute_chips(study: Project) -> None:
    tagger = Tagger(study, coder="anna", lang="sv")
    assert tagger.segment["attributes"] == {"Region": "north"}
    tagger.handle({"type": "filter", "search": "no such words anywhere"})
    assert tagger.segment == {"empty": True, "message": "Inget segment matchar filtren."}
    tagger.handle({"type": "lang", "lang": "en"})
    assert tagger.segment["message"] == "No segment matches the filters."


@pytest.mark.parametrize(
    ("column", "sv", "en"),
    [
        ("User type", "Användartyp", "User type"),
        ("business-type", "Verksamhet", "Type of business"),
        ("district", "Område", "District"),
        ("Favourite bus", "Favourite bus", "Favourite bus"),
    ],
)
def test_tagger_attribute_columns_named_as_the_catalogue(column: str, sv: str, en: str) -> None:
    assert attribute_name(_attribute_key(column), "sv") == sv
    assert attribute_name(_attribute_key(column), "en") == en


def _show_staff_hit(tagger: Tagger) -> int:
    """Search "staff" and show its hit; returns the hit's segment."""
    tagger.handle({"type": "search", "text": "staff", "whole_word": True})
    tagger.handle({"type": "show_hit", "index": 0})
    assert tagger.segment["hit"]["words"] == "staff"
    return tagger.segment_id


def _whole(study: Project, code: str) -> bool:
    [row] = [r for r in study.codings("anna").itertuples() if r.code == code]
    return "completely" in str(row.quote)


def test_tagger_hit_codes_its_words_once_then_the_whole_turn(study: Project) -> None:
    tagger = Tagger(study, coder="anna", lang="en")
    _show_staff_hit(tagger)
    assert tagger.status["text"].startswith("Search hit “staff” selected")
    tagger.handle({"type": "toggle", "code": "trust", "start": None, "end": None})
    assert list(study.codings("anna")["quote"]) == ["staff"]
    assert tagger.segment["hit"] is None  # used, as a selection would be
    tagger.handle({"type": "toggle", "code": "needs"})
    assert _whole(study, "needs")


@pytest.mark.parametrize(
    "dismiss",
    [
        [{"type": "dismiss_hit"}],  # Esc
        [{"type": "search", "text": ""}],  # the list closed, the search cleared
        [{"type": "search", "text": "bus"}],  # another search
        [{"type": "next"}, {"type": "prev"}],  # away and back
    ],
)
def test_tagger_dismissed_hit_no_longer_sticks(
    study: Project, dismiss: list[dict[str, object]]
) -> None:
    tagger = Tagger(study, coder="anna", lang="en")
    sid = _show_staff_hit(tagger)
    for message in dismiss:
        tagger.handle(message)
    assert tagger.segment_id == sid and tagger.segment["hit"] is None
    tagger.handle({"type": "toggle", "code": "trust"})
    assert _whole(study, "trust")


def test_tagger_code_merged_elsewhere_is_refused_in_its_language(study: Project) -> None:
    tagger = Tagger(study, coder="anna", lang="sv")
    assert any(c["id"] == "trust" for c in tagger.codebook["codes"])
    study.merge_codes(["trust"], "needs")  # another kernel's codebook editor: nobody is told
    tagger.handle({"type": "toggle", "code": "trust"})
    assert study.codings().empty
    assert tagger.status["state"] == "error"
    assert tagger.status["text"].startswith("Inget sparat: “Tillit” finns inte längre i kodboken")
    assert not any(c["id"] == "trust" for c in tagger.codebook["codes"])  # the list read again
    tagger.handle({"type": "toggle", "code": "needs"})
    assert tagger.segment["on"] == ["needs"]


def test_tagger_and_codebook_editor_of_one_kernel_tell_each_other(study: Project) -> None:
    tagger = Tagger(study, coder="anna", lang="en")
    editor = CodebookEditor(study, "en")
    tagger.handle({"type": "new_code", "label": "Food trucks", "parent": "process"})
    assert "food-trucks" in editor.rows  # without waiting for the editor's own next change
    editor.select("trust")
    editor.merge_target.value = "needs"
    editor.merge_button.click()
    editor.confirm_button.click()
    assert "trust" not in study.codebook
    assert not any(c["id"] == "trust" for c in tagger.codebook["codes"])  # gone at once


def test_tagger_search_hits_in_document_order(tmp_path: Path) -> None:
    """Documents as imported, then by place: not as text ("s#1520" before "s#295")."""

    def said(who: str) -> list[tuple[str, str, str]]:
        return [("Interviewer", "interviewer", "Well?"), (who, "interviewee", "The fee, the fee.")]

    turns = {"zeta.txt": said("Eva"), "s#295": said("Bo")[1:], "s#1520": said("Li")[1:]}
    study = build_study(tmp_path / "ordered", turns)
    tagger = Tagger(study, coder="anna", lang="en")
    tagger.handle({"type": "search", "text": "fee"})
    where = [(h["document"], h["start"]) for h in tagger.hits["items"]]
    zeta = [h["start"] for h in tagger.hits["items"] if h["document"] == "zeta.txt"]
    assert [d for d, _ in where] == ["zeta.txt", "zeta.txt", "s#295", "s#295", "s#1520", "s#1520"]
    assert zeta == sorted(zeta)
    tagger.handle({"type": "search", "text": ""})  # the box emptied: no hits left on screen
    assert tagger.hits["items"] == [] and tagger.hits["query"] == ""


def test_tagger_shows_other_coders_memos_on_the_turn_read_only(study: Project) -> None:
    tagger = Tagger(study, coder="lena", lang="sv")
    sid = tagger.segment_id
    study.memo("segment", sid, "Hon menar personalen", coder="anna")
    study.memo("segment", sid, "", coder="erik")  # an emptied memo is no memo
    tagger.handle({"type": "refresh"})
    assert tagger.segment["memo"] == ""  # lena's own box
    assert tagger.segment["others_memos"] == [{"coder": "anna", "text": "Hon menar personalen"}]
    tagger.handle({"type": "memo", "kind": "segment", "text": "Min egen"})
    assert tagger.segment["others_memos"] == [{"coder": "anna", "text": "Hon menar personalen"}]
    assert study.memo("segment", sid, coder="anna") == "Hon menar personalen"
