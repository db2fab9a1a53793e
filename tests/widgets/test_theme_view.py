"""The theme view driven from Python through the messages the browser sends: candidates as
cards, rename, merge, move a quote (to another candidate, a new one, out), find again with
another number, adopt (the code and its codings, marked as from a theme) and undo, and its
interface strings in Swedish and English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workbench.i18n import STRINGS
from workbench.project._project import Project
from workbench.store import Origin
from workbench.widgets import ThemeView
from workbench.widgets import _theme_view as tv

from .conftest import build_study

WIDGETS = Path(tv.__file__).parent
GAPS = {
    "fees": [
        "Nobody explained how the annual fee for the café is calculated.",
        "The invoice showed an hourly fee and we could not see what the fee was for.",
        "We paid the fee twice because the second invoice looked like a new fee.",
    ],
    "appeal": [
        "How do I appeal the decision about our kitchen?",
        "Nobody said where to send an appeal against the decision.",
        "The appeal had to reach the court within three weeks of the decision.",
    ],
    "register": [
        "Which municipality do I register the food truck with?",
        "We did not know that a food truck must register with the municipality.",
        "Where to register the food truck was the hardest question of all.",
    ],
}
TURNS = {
    "gaps.txt": [
        ("Interviewer", "interviewer", "What did you not know?"),
        *[("Anna", "interviewee", text) for group in GAPS.values() for text in group],
        ("Anna", "interviewee", "My sister runs the kitchen on weekends and bakes the bread."),
    ],
}


@pytest.fixture
def study(tmp_path: Path) -> Project:
    """The widgets' test codebook; nine information gaps coded ``gap`` by anna (the three
    fee quotes by erik too) and one turn nobody coded."""
    project = build_study(tmp_path / "study", TURNS)
    project.coder = "lena"
    for row in project.segments(role="interviewee").itertuples():
        if row.text.startswith("My sister"):
            continue
        project.code(int(row.segment), "gap", coder="anna")
        if "fee" in row.text:
            project.code(int(row.segment), "gap", coder="erik")
    return project


def ids(study: Project) -> dict[str, int]:
    """Segment id by the topic and place of its quote: ``fees0`` .. ``register2``."""
    by_text = {r.text: int(r.segment) for r in study.segments().itertuples()}
    return {f"{topic}{i}": by_text[t] for topic, group in GAPS.items() for i, t in enumerate(group)}


@pytest.fixture
def view(study: Project) -> ThemeView:
    view = ThemeView(study, "gap", lang="en")
    view.handle({"type": "find", "k": "3"})
    return view


def groups(view: ThemeView) -> dict[str, list[int]]:
    """Each card's label and its segments (all quotes: expanded first)."""
    out = {}
    for card in view.panel.candidates:
        if not card["expanded"]:
            view.handle({"type": "expand", "theme": card["id"], "on": True})
    for card in view.panel.candidates:
        out[card["label"]] = [q["segment"] for q in card["quotes"]]
    return out


def card_of(view: ThemeView, segment: int) -> dict[str, object]:
    return next(
        c for c in view.panel.candidates if segment in view.session.candidate(c["id"]).segments
    )


def test_theme_view_opens_with_candidates_as_cards(study: Project) -> None:
    view = ThemeView(study, "gap", lang="en")
    seg = ids(study)
    panel = view.panel
    assert panel.code == {
        "id": "gap",
        "label": "Information gap",
        "path": "Information gap",
        "color": "#f1c40f",
    }
    assert {k: panel.summary[k] for k in ("quotes", "participants", "k", "found", "coder")} == {
        "quotes": 9,
        "participants": 1,
        "k": None,
        "found": 3,
        "coder": "lena",
    }
    assert panel.summary["changes"] == 0 and panel.summary["confirm"] is None
    assert panel.summary["notes"] == [] and panel.summary["k_max"] == tv.MAX_K
    assert panel.summary["sources"] == {"interviews": 9, "survey": 0}
    sets = {tuple(view.session.candidate(c["id"]).segments) for c in panel.candidates}
    assert sets == {
        tuple(seg[f"{topic}{i}"] for i in range(3)) for topic in ("fees", "appeal", "register")
    }
    card = card_of(view, seg["appeal0"])
    assert card["n_segments"] == 3 and card["n_participants"] == 1
    assert "appeal" in card["terms"] and card["label"] == card["suggested"]
    assert not card["renamed"] and card["adopted"] is None and card["quotes"] == []
    assert card["languages"] == "en 3" and card["existing"] is None
    assert {q["text"] for q in card["typical"]} == set(GAPS["appeal"])  # type: ignore[union-attr]
    assert card["typical"][0]["participant"] == "P01"  # type: ignore[index]
    assert panel.children == [] and panel.dropped == [] and panel.undo is None
    assert panel.strings["adopt"] == "Adopt as code…" and panel.lang == "en"


def test_theme_view_expand_shows_every_quote(view: ThemeView, study: Project) -> None:
    seg = ids(study)
    theme = card_of(view, seg["fees1"])["id"]
    view.handle({"type": "expand", "theme": theme, "on": True})
    card = card_of(view, seg["fees1"])
    shown = [q["segment"] for q in card["quotes"]]  # type: ignore[union-attr]
    assert card["expanded"] and sorted(shown) == [seg["fees0"], seg["fees1"], seg["fees2"]]
    # the most typical first, as the typical quotes are
    assert shown[: len(card["typical"])] == [q["segment"] for q in card["typical"]]  # type: ignore[union-attr]
    view.handle({"type": "expand", "theme": theme, "on": False})
    assert card_of(view, seg["fees1"])["quotes"] == []


def test_theme_view_rename_keeps_the_label_through_edits(view: ThemeView, study: Project) -> None:
    seg = ids(study)
    theme = card_of(view, seg["fees0"])["id"]
    view.handle({"type": "rename", "theme": theme, "label": "  What the fee   is for "})
    card = card_of(view, seg["fees0"])
    assert card["label"] == "What the fee is for" and card["renamed"]
    assert view.panel.status["text"] == "Renamed to “What the fee is for”."
    view.handle({"type": "move", "segment": seg["appeal0"], "to": theme})
    assert card_of(view, seg["fees0"])["label"] == "What the fee is for"
    view.handle({"type": "rename", "theme": theme, "label": "  "})  # no name: refused
    assert view.panel.status == {
        "state": "error",
        "text": "A theme needs a name: type one, or Cancel to keep “What the fee is for”.",
        "seq": view.panel.status["seq"],
        "theme": theme,  # shown beside its card too
    }
    assert card_of(view, seg["fees0"])["label"] == "What the fee is for"
    other = card_of(view, seg["register0"])
    view.handle({"type": "rename", "theme": other["id"], "label": "what the FEE is for"})
    assert view.panel.status["text"] == (
        "Another candidate is already called “what the FEE is for”: choose another name."
    )
    assert card_of(view, seg["register0"])["label"] == other["label"]
    card = card_of(view, seg["fees0"])
    view.handle({"type": "rename", "theme": theme, "label": card["suggested"]})
    assert not card_of(view, seg["fees0"])["renamed"]  # back to the suggestion


def test_theme_view_merge_puts_all_quotes_in_one_candidate(view: ThemeView, study: Project) -> None:
    seg = ids(study)
    fees = card_of(view, seg["fees0"])["id"]
    appeal = card_of(view, seg["appeal0"])
    view.handle({"type": "rename", "theme": appeal["id"], "label": "Money and appeals"})
    view.handle({"type": "merge", "theme": appeal["id"], "into": fees})
    assert len(view.panel.candidates) == 2
    merged = card_of(view, seg["appeal2"])
    assert merged["id"] == fees and merged["n_segments"] == 6
    assert merged["label"] == "Money and appeals"  # the researcher's label survives
    assert {"fee", "appeal"} <= set(merged["terms"])  # type: ignore[arg-type]
    view.handle({"type": "merge", "theme": fees, "into": fees})
    assert view.panel.status["state"] == "error"
    assert "cannot be merged into itself" in view.panel.status["text"]


def test_theme_view_moves_a_quote_splits_it_off_and_leaves_it_out(
    view: ThemeView, study: Project
) -> None:
    seg = ids(study)
    register = card_of(view, seg["register0"])["id"]
    view.handle({"type": "move", "segment": seg["fees2"], "to": register})
    assert view.session.candidate(register).segments == sorted(
        [seg["register0"], seg["register1"], seg["register2"], seg["fees2"]]
    )
    assert card_of(view, seg["fees0"])["n_segments"] == 2
    assert view.panel.status["text"].startswith("Moved the quote to “")
    view.handle({"type": "move", "segment": seg["fees2"], "to": "new"})
    alone = card_of(view, seg["fees2"])
    assert alone["n_segments"] == 1 and alone["label"] and len(view.panel.candidates) == 4
    view.handle({"type": "move", "segment": seg["fees2"], "to": "drop"})
    assert len(view.panel.candidates) == 3  # the one-quote candidate went with its quote
    assert [q["segment"] for q in view.panel.dropped] == [seg["fees2"]]
    view.handle({"type": "move", "segment": seg["fees2"], "to": card_of(view, seg["fees0"])["id"]})
    assert view.panel.dropped == [] and card_of(view, seg["fees0"])["n_segments"] == 3


def test_theme_view_find_again_with_another_number(view: ThemeView) -> None:
    view.handle({"type": "find", "k": "2"})
    assert len(view.panel.candidates) == 2
    assert view.panel.summary["k"] == 2 and view.panel.summary["found"] == 2
    view.handle({"type": "find", "k": ""})
    assert view.panel.summary["k"] is None and view.panel.summary["found"] == 3
    view.handle({"type": "find", "k": "zero"})
    assert view.panel.status["state"] == "error"


def test_theme_view_adopt_writes_the_code_and_undo_takes_it_back(
    view: ThemeView, study: Project
) -> None:
    seg = ids(study)
    theme = card_of(view, seg["appeal0"])["id"]
    before = len(study.store.audit_frame())
    view.handle(
        {
            "type": "adopt",
            "theme": theme,
            "label": "How to appeal",
            "definition": "Where and when to appeal.",
        }
    )
    code = "how-to-appeal"
    card = card_of(view, seg["appeal0"])
    assert card["adopted"] == {"code": code, "label": "How to appeal"}
    assert view.panel.undo == code
    assert view.panel.children == [
        {
            "id": code,
            "label": "How to appeal",
            "fallback": False,
            "color": "#f1c40f",
            "count": 3,
            "new": True,
        }
    ]
    assert view.panel.status["text"] == (
        "Adopted as the code “How to appeal” (how-to-appeal): 3 quotes coded by lena, marked "
        "as from a theme."
    )
    made = study.codebook.get(code)
    assert made.parent == "gap" and made.definition == {"en": "Where and when to appeal."}
    assert made.label == {"en": "How to appeal"}  # no Swedish label made up
    codings = study.codings(code=code)
    assert sorted(codings["segment"]) == [seg[f"appeal{i}"] for i in range(3)]
    assert set(codings["coder"]) == {"lena"} and set(codings["origin"]) == {Origin.THEME}
    assert len(study.store.audit_frame()) == before + 1
    # an adopted candidate is not edited any more
    view.handle({"type": "move", "segment": seg["appeal0"], "to": "drop"})
    assert (
        view.panel.status["state"] == "error" and "undo the adoption" in view.panel.status["text"]
    )
    view.handle({"type": "undo"})
    assert view.panel.status["text"] == "Took back the code “How to appeal” and its 3 codings."
    assert code not in study.codebook and study.codings(code=code).empty
    assert card_of(view, seg["appeal0"])["adopted"] is None and view.panel.undo is None
    assert view.panel.children == []


def test_theme_view_undo_refuses_when_the_coder_did_something_else(
    view: ThemeView, study: Project
) -> None:
    seg = ids(study)
    view.handle({"type": "adopt", "theme": card_of(view, seg["fees0"])["id"]})
    study.code(seg["register0"], "needs", coder="lena")  # coded in the tagger meanwhile
    view.handle({"type": "undo"})
    assert view.panel.status["state"] == "error"
    assert "lena has changed something else" in view.panel.status["text"]
    code = view.panel.undo
    assert code is not None and code in study.codebook  # nothing was undone


def test_theme_view_adopt_refusal_goes_to_the_card_and_changes_nothing(
    view: ThemeView, study: Project
) -> None:
    seg = ids(study)
    theme = card_of(view, seg["fees0"])["id"]
    label = card_of(view, seg["fees0"])["label"]
    view.handle({"type": "adopt", "theme": theme, "label": "NEEDS"})  # a code elsewhere
    assert view.panel.status == {
        "state": "error",
        "text": "“NEEDS” is already the label of the code “Needs” (needs): choose another label.",
        "seq": view.panel.status["seq"],
        "theme": theme,
    }
    card = card_of(view, seg["fees0"])
    assert card["adopted"] is None and card["label"] == label and not card["renamed"]
    assert view.panel.undo is None and "needs-2" not in study.codebook
    view.handle({"type": "adopt", "theme": theme, "label": " ", "definition": "x"})
    assert view.panel.status["text"] == f"Give the new code a label (the card's is “{label}”)."
    assert card_of(view, seg["fees0"])["adopted"] is None
    view.handle({"type": "lang", "lang": "sv"})
    view.handle({"type": "adopt", "theme": theme, "label": "behov"})  # Swedish label of needs
    assert view.panel.status["text"] == (
        "”behov” är redan etiketten för koden ”Behov” (needs): välj en annan etikett."
    )


def test_theme_view_adopt_in_swedish_asks_for_the_english_label(
    study: Project,
) -> None:
    seg = ids(study)
    view = ThemeView(study, "gap", lang="sv")
    view.handle({"type": "find", "k": "3"})
    fees = card_of(view, seg["fees0"])["id"]
    assert view.panel.summary["lang_name"] == "svenska"
    assert view.panel.summary["other_name"] == "engelska"
    view.handle({"type": "adopt", "theme": fees, "label": "Avgiften", "definition": "  "})
    made = study.codebook.get(view.panel.undo)
    assert made.label == {"sv": "Avgiften"} and made.definition == {}
    appeal = card_of(view, seg["appeal0"])["id"]
    view.handle({"type": "adopt", "theme": appeal, "label": "Överklaga", "other_label": "Appeals"})
    assert study.codebook.get(view.panel.undo).label == {"sv": "Överklaga", "en": "Appeals"}
    view.handle({"type": "lang", "lang": "en"})
    kids = {c["label"]: c["fallback"] for c in view.panel.children}
    assert kids == {"Avgiften": True, "Appeals": False}  # shown in Swedish, and said so


def test_theme_view_cards_say_when_their_quotes_are_coded_already(
    view: ThemeView, study: Project
) -> None:
    seg = ids(study)
    view.handle({"type": "adopt", "theme": card_of(view, seg["fees0"])["id"], "label": "Fees"})
    assert card_of(view, seg["fees0"])["existing"] is None  # its own adoption
    view.handle({"type": "find", "k": "3"})
    card = card_of(view, seg["fees0"])
    assert card["existing"] == "3 of 3 quotes already coded “Fees”"
    assert card_of(view, seg["appeal0"])["existing"] is None
    view.handle({"type": "adopt", "theme": card["id"], "label": "Money"})  # the same quotes
    assert view.panel.status["text"] == (
        "These 3 quotes were already adopted as the code “Fees” (fees)."
    )
    assert view.panel.status["theme"] == card["id"]


def test_theme_view_undo_after_a_codebook_change_is_said_from_the_catalogue(
    study: Project,
) -> None:
    seg = ids(study)
    view = ThemeView(study, "gap", lang="sv")
    view.handle({"type": "find", "k": "3"})
    view.handle({"type": "adopt", "theme": card_of(view, seg["fees0"])["id"], "label": "Avgift"})
    study.coder = "erik"
    study.rename_code("trust", "Förtroende", "sv")  # erik's change: the codebook moved on
    study.coder = "lena"
    code = view.panel.undo
    view.handle({"type": "undo"})
    assert view.panel.status["state"] == "error"
    assert view.panel.status["text"].startswith("Kan inte ångra: kodboken har ändrats")
    assert code in study.codebook and view.panel.undo == code


def test_theme_view_numbers_candidates_that_would_read_the_same(view: ThemeView) -> None:
    first, second = view.session.candidates[:2]
    second.suggested = first.suggested
    view.session._number_alike()
    assert second.label == f"{first.suggested} (2)" and not second.renamed
    menu = [c["label"] for c in view.session.state()["candidates"]]
    assert len(set(menu)) == len(menu)


def test_theme_view_number_of_themes_is_checked(view: ThemeView) -> None:
    for typed in ("31", "0", "2.5", "zero"):
        view.handle({"type": "find", "k": typed})
        assert view.panel.status["state"] == "error", typed
        assert (
            view.panel.status["text"] == "The number of themes must be a whole number from 1 to 30."
        )
        assert view.panel.status["theme"] is None and view.panel.summary["k"] == 3
    view.handle({"type": "find", "k": "6"})  # 9 quotes make at most 4 themes
    assert view.panel.summary["found"] <= 4
    assert view.panel.summary["notes"] == [
        "You asked for 6 themes; 9 quotes make at most 4 (one per two quotes), so 4 were looked for."
    ]


def test_theme_view_asks_before_throwing_changes_away(view: ThemeView, study: Project) -> None:
    seg = ids(study)
    theme = card_of(view, seg["fees0"])["id"]
    view.handle({"type": "rename", "theme": theme, "label": "Fees"})
    view.handle({"type": "move", "segment": seg["appeal0"], "to": "drop"})
    assert view.panel.summary["changes"] == 2
    view.handle({"type": "find", "k": "2"})
    assert view.panel.status["state"] == "ask"
    assert view.panel.status["text"] == "Discard your 2 changes and find themes again?"
    assert view.panel.summary["confirm"] == {"k": 2, "source": "", "n": 2}
    assert card_of(view, seg["fees0"])["label"] == "Fees" and len(view.panel.candidates) == 3
    view.handle({"type": "keep"})
    assert view.panel.summary["confirm"] is None and view.panel.summary["changes"] == 2
    view.handle({"type": "find", "k": "2", "discard": True})
    assert len(view.panel.candidates) == 2 and view.panel.summary["changes"] == 0
    assert view.panel.dropped == []


def test_theme_view_without_quotes_shows_no_cards(study: Project) -> None:
    view = ThemeView(study, "trust", lang="sv")
    assert view.panel.candidates == [] and view.panel.summary["quotes"] == 0
    assert view.panel.strings["none"].startswith("Inga citat är kodade med")
    assert view.panel.code["label"] == "Tillit" and view.panel.code["path"] == "Process › Tillit"


def test_theme_view_in_swedish(study: Project) -> None:
    view = ThemeView(study, "gap", lang="sv")
    assert view.panel.code["label"] == "Informationsglapp"
    assert view.panel.strings["adopt"] == "Anta som kod…"
    assert view.panel.strings["show_all_one"] == "Det enda citatet"  # not "Alla 1 citat"
    view.handle({"type": "move", "segment": view.session.candidates[0].segments[0], "to": "drop"})
    assert view.panel.status["text"] == "Utelämnade citatet."
    view.handle({"type": "lang", "lang": "en"})
    assert view.panel.strings["adopt"] == "Adopt as code…" and view.panel.lang == "en"
    assert view.panel.status["text"] == ""  # said in Swedish: cleared


def test_theme_view_strings_exist_in_both_languages_and_every_key_is_used() -> None:
    keys = {k for k in STRINGS["en"] if k.startswith(tv.KEY_PREFIX)}
    assert keys == {k for k in STRINGS["sv"] if k.startswith(tv.KEY_PREFIX)}
    for lang in ("sv", "en"):
        for key in keys:
            en_fields = set(re.findall(r"\{(\w+)\}", STRINGS["en"][key]))
            assert set(re.findall(r"\{(\w+)\}", STRINGS[lang][key])) == en_fields, key
    source = (WIDGETS / "theme_view.js").read_text() + Path(tv.__file__).read_text()
    used = {  # a singular form ("key_one") is picked by its key's count
        k.removesuffix("_one") if k.endswith("_one") else k for k in keys
    }
    unused = [
        k
        for k in used
        if f'"{k[len(tv.KEY_PREFIX) :]}"' not in source
        and f"`{k[len(tv.KEY_PREFIX) :]}`" not in source
    ]
    assert not unused, unused


def test_theme_view_keeps_the_researchers_changes_in_the_project(
    view: ThemeView, study: Project
) -> None:
    seg = ids(study)
    fees = card_of(view, seg["fees0"])["id"]
    view.handle({"type": "rename", "theme": fees, "label": "What the fee is for"})
    view.handle({"type": "move", "segment": seg["appeal0"], "to": "drop"})
    view.handle({"type": "adopt", "theme": card_of(view, seg["register0"])["id"], "label": "Reg"})
    shaped = {
        c["label"]: sorted(view.session.candidate(c["id"]).segments) for c in view.panel.candidates
    }

    again = ThemeView(study, "gap", lang="en")  # as after a kernel restart
    assert {
        c["label"]: sorted(again.session.candidate(c["id"]).segments)
        for c in again.panel.candidates
    } == shaped
    assert [q["segment"] for q in again.panel.dropped] == [seg["appeal0"]]
    assert card_of(again, seg["fees0"])["renamed"]
    assert card_of(again, seg["register0"])["adopted"] == {"code": "reg", "label": "Reg"}
    assert again.panel.summary["changes"] == 2 and again.panel.undo is None
    assert again.panel.summary["notes"] == [
        "Your candidates as you left them (2 changes), kept in the project; “Find themes” "
        "starts afresh."
    ]
    assert ThemeView(study, "gap", coder="erik").panel.summary["changes"] == 0  # erik's quotes

    again.handle({"type": "find", "k": "3", "discard": True})  # afresh: nothing kept
    third = ThemeView(study, "gap", lang="en")
    assert third.panel.summary["changes"] == 0 and third.panel.summary["notes"] == []
    assert not any(c["renamed"] for c in third.panel.candidates)


def test_theme_view_finds_afresh_when_the_quotes_changed(view: ThemeView, study: Project) -> None:
    seg = ids(study)
    view.handle({"type": "rename", "theme": card_of(view, seg["fees0"])["id"], "label": "Fees"})
    sister = next(
        int(r.segment) for r in study.segments().itertuples() if r.text.startswith("My sister")
    )
    study.code(sister, "gap", coder="anna")
    again = ThemeView(study, "gap", lang="sv")
    assert again.panel.summary["changes"] == 0 and again.panel.summary["quotes"] == 10
    assert again.panel.summary["notes"][0] == (
        "Citaten för ”Informationsglapp” har ändrats sedan du formade förslagen, så de togs "
        "fram på nytt."
    )
    assert "Fees" not in [c["label"] for c in again.panel.candidates]
