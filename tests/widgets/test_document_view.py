"""The document view's Python side: the payload it sends, its filters, the click that opens a
turn in the tagger, and its errors; the front end's pure functions run in Node."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import traitlets
from _helpers import node_module

from workbench.errors import UnknownItem
from workbench.i18n import text
from workbench.i18n._document import STRINGS
from workbench.project._project import Project
from workbench.widgets import DocumentView, Tagger
from workbench.widgets._document_view import (
    DocumentPane,
    document_payload,
    find_document,
    visible,
)

JS = Path(__file__).resolve().parents[2] / "workbench" / "widgets" / "document_view.js"
KAFFE = "Kaffe 👩\u200d🍳 och e\u0301n smörgås, tack."
TRUST = "I trust the staff 😀 completely."


def turn_ids(project: Project, document: str = "a.txt") -> list[int]:
    return [int(s) for s in project.segments(document)["segment"]]


def code_span(project: Project, segment: int, code: str, coder: str, words: str) -> None:
    """``coder`` codes ``words`` of ``segment`` (document offsets in code points)."""
    row = project.store.segment(segment)
    at = int(row["start"]) + str(row["text"]).index(words)
    project.code(segment, code, coder=coder, start=at, end=at + len(words))


def coded(project: Project) -> list[int]:
    """anna and erik code a.txt: spans after emoji, ZWJ sequences and a combining accent."""
    ids = turn_ids(project)
    project.code(ids[1], "needs", coder="anna")  # whole turn
    project.code(ids[1], "needs", coder="erik")
    code_span(project, ids[1], "gap", "anna", "smörgås")
    code_span(project, ids[1], "trust", "erik", "e\u0301n smörgås")
    code_span(project, ids[3], "trust", "anna", "completely")
    project.code(ids[4], "gap", coder="erik", origin="suggestion")
    project.code(turn_ids(project, "b.txt")[1], "gap", coder="anna")  # another document
    return ids


def test_document_view_payload_turns_are_the_whole_transcript(study: Project) -> None:
    view = DocumentView(study, "a.txt")
    turns = view.payload.turns
    assert [(t.position, t.speaker, t.role, t.time, t.end_time) for t in turns] == [
        (1, "Interviewer", "interviewer", "01:05", "01:10"),
        (2, "Anna", "interviewee", "01:15", "01:20"),
        (3, "Interviewer", "interviewer", "01:25", "01:30"),
        (4, "Anna", "interviewee", "01:35", "01:40"),
        (5, "Anna", "interviewee", "01:45", "01:50"),
    ]
    assert [t.text for t in turns][1::2] == [KAFFE, TRUST]
    assert [t.segment for t in turns] == turn_ids(study)
    assert [t.codable for t in turns] == [False, True, False, True, True]
    whole = study.store.document_text(view.payload.document_id)
    assert all(whole[t.start : t.end] == t.text for t in turns)
    assert view.pane.turns[1] == {
        "segment": turns[1].segment,
        "position": 2,
        "speaker": "Anna",
        "role": "interviewee",
        "time": "01:15",
        "end_time": "01:20",
        "text": KAFFE,
        "start": turns[1].start,
        "end": turns[1].end,
        "codable": True,
    }
    assert view.pane.document["name"] == "a.txt" and view.pane.document["participant"] == "P01"
    assert view.pane.document["attributes"] == {"Region": "north"}  # readable, as the tagger's


def test_document_view_payload_offsets_are_code_points_of_the_turn(study: Project) -> None:
    ids = coded(study)
    view = DocumentView(study, "a.txt")
    people = [c for c in view.payload.codings if "all" in c.layers]
    got = [(c.turn, c.code, c.coder, c.origin, c.start, c.end, c.whole) for c in people]
    en = KAFFE.index("e\u0301n")
    sm = KAFFE.index("smörgås")
    assert (en, sm) == (14, 18)  # 👩‍🍳 is three code points, é two
    assert got == [
        (1, "needs", "anna", "human", 0, len(KAFFE), True),
        (1, "needs", "erik", "human", 0, len(KAFFE), True),
        (1, "trust", "erik", "human", en, sm + 7, False),
        (1, "gap", "anna", "human", sm, sm + 7, False),
        (3, "trust", "anna", "human", TRUST.index("completely"), len(TRUST) - 1, False),
        (4, "gap", "erik", "suggestion", 0, len("Nobody told me when the bus leaves."), True),
    ]
    for c in people:
        assert c.segment == ids[c.turn] and c.layers == (c.coder, "all")
        turn = view.payload.turns[c.turn]
        assert study.codings(c.coder, segment=c.segment, code=c.code)["quote"].tolist() == [
            turn.text[c.start : c.end]
        ]
    sent = [c for c in view.pane.codings if c["turn"] == 1 and c["code"] == "gap"]
    assert sent == [
        {
            "turn": 1,
            "code": "gap",
            "coder": "anna",
            "origin": "human",
            "start": sm,
            "end": sm + 7,
            "whole": False,
            "layers": ["anna", "all"],
        }
    ]


def test_document_view_lanes_follow_the_codebook_in_its_language(study: Project) -> None:
    coded(study)
    view = DocumentView(study, "a.txt", lang="sv")
    assert view.pane.lanes == [
        {"code": "needs", "label": "Behov", "color": "#c0392b"},
        {"code": "trust", "label": "Tillit", "color": "#2e86c1"},
        {"code": "gap", "label": "Informationsglapp", "color": "#f1c40f"},
    ]
    assert view.pane.strings["docview_layer"] == "Kodningar av"
    assert [layer["label"] for layer in view.pane.layers] == [
        "Alla kodare",
        "anna",
        "erik",
        "Konsensus",
    ]
    b = DocumentView(study, "b.txt")  # only the codes present in the document get a lane
    assert [lane["code"] for lane in b.pane.lanes] == ["gap"] and b.lang == "en"


def test_document_view_consensus_layer_agreed_or_settled(study: Project) -> None:
    ids = coded(study)
    view = DocumentView(study, "a.txt")
    agreed = [(c.turn, c.code, c.whole) for c in visible(view.payload, "consensus")]
    assert agreed == [(1, "needs", True)]  # both coders; the spans and single codes are not
    start = int(study.store.segment(ids[3])["start"]) + TRUST.index("completely")
    study.settle(ids[3], [("trust", start, start + len("completely"))])
    view.refresh()
    settled = [(c.turn, c.code, c.coder) for c in visible(view.payload, "consensus")]
    assert settled == [(1, "needs", "consensus"), (3, "trust", "consensus")]
    assert [layer["value"] for layer in view.pane.layers] == ["all", "anna", "erik", "consensus"]
    assert all(c.coder != "consensus" for c in visible(view.payload, "all"))


def test_document_view_filters_by_layer_and_code(study: Project) -> None:
    coded(study)
    view = DocumentView(study, "a.txt")
    assert len(view.visible()) == 6 and view.filters == {"layer": "all", "code": ""}
    view.set_filters(layer="erik")
    assert {(c.coder, c.code) for c in view.visible()} == {
        ("erik", "needs"),
        ("erik", "trust"),
        ("erik", "gap"),
    }
    view.set_filters(code="trust")
    assert [(c.coder, c.code, c.turn) for c in view.visible()] == [("erik", "trust", 1)]
    assert view.pane.filters == {"layer": "erik", "code": "trust"}
    view.pane.filters = {"layer": "anna", "code": ""}  # as the browser sets them
    assert {c.coder for c in view.visible()} == {"anna"} and len(view.visible()) == 3
    with pytest.raises(UnknownItem, match="no layer 'bo'"):
        view.set_filters(layer="bo")
    with pytest.raises(traitlets.TraitError, match="code 'nope'"):
        view.pane.filters = {"layer": "all", "code": "nope"}
    assert view.filters == {"layer": "anna", "code": ""}


def test_document_view_coder_and_code_arguments_choose_what_shows(study: Project) -> None:
    coded(study)
    anna = DocumentView(study, "a.txt", coder="anna", code="gap")
    assert anna.filters == {"layer": "anna", "code": "gap"} and anna.coder == "anna"
    assert [(c.coder, c.code) for c in anna.visible()] == [("anna", "gap")]
    only = DocumentView(study, "a.txt", coder=["erik"])
    assert only.payload.coders == ("erik",) and {c.coder for c in only.visible()} == {"erik"}
    with pytest.raises(UnknownItem, match="^document view: code 'nope' is not in the codebook$"):
        DocumentView(study, "a.txt", code="nope")
    new = DocumentView(study, "a.txt", coder="bo")  # a coder who has coded nothing yet
    assert new.filters["layer"] == "bo" and new.visible() == []
    assert "bo" in [layer["value"] for layer in new.pane.layers]


def test_document_view_click_opens_the_given_tagger_at_that_turn(study: Project) -> None:
    ids = coded(study)
    tagger = Tagger(study, coder="anna")
    view = DocumentView(study, "a.txt", tagger=tagger)
    view.handle({"type": "open", "segment": ids[3]})
    assert tagger.segment_id == ids[3] and tagger.segment["text"] == TRUST
    assert view.tagger is tagger and list(view.children) == [view.pane]  # shown elsewhere
    assert view.pane.opened == ids[3] and view.pane.status["state"] == "ok"
    assert view.pane.status["text"] == "Opened turn 4 in the tagger"
    tagger.handle({"type": "toggle", "code": "gap"})  # coding in the tagger shows at once
    assert ("gap", "anna", 3) in {(c.code, c.coder, c.turn) for c in view.visible()}


def test_document_view_click_makes_a_tagger_below_the_view(study: Project) -> None:
    ids = coded(study)
    view = DocumentView(study, "a.txt", coder="erik", lang="sv")
    assert view.tagger is None and list(view.children) == [view.pane]
    view.handle({"type": "open", "segment": ids[4]})
    tagger = view.tagger
    assert isinstance(tagger, Tagger) and list(view.children) == [view.pane, tagger]
    assert tagger.segment_id == ids[4] and tagger.coder == "erik" and tagger.lang == "sv"
    view.handle({"type": "open", "segment": ids[1]})
    assert view.tagger is tagger and tagger.segment_id == ids[1] and len(view.children) == 2
    assert view.pane.status["text"] == "Öppnade replik 2 i kodverktyget"


@pytest.mark.parametrize(
    ("message", "says"),
    [
        ({"type": "open", "segment": "first"}, "segment 'first' is not a number"),
        ({"type": "open"}, "segment None is not a number"),
        ({"type": "open", "segment": 999}, "segment 999 is not a turn of 'a.txt'"),
        ({"type": "fly"}, "unknown message type 'fly'"),
    ],
)
def test_document_view_bad_message_is_a_status_line(
    study: Project, message: dict[str, Any], says: str
) -> None:
    view = DocumentView(study, "a.txt")
    view.handle(message)
    assert view.pane.status["state"] == "error" and says in view.pane.status["text"]
    assert "\n" not in view.pane.status["text"] and view.tagger is None


def test_document_view_bug_is_said_and_raised(
    study: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = DocumentView(study, "a.txt")

    def broken() -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(view, "refresh", broken)
    with pytest.raises(RuntimeError):
        view.handle({"type": "refresh"})
    assert view.pane.status["text"] == "internal error (RuntimeError: disk on fire)"


def test_document_view_interviewer_turns_are_context(study: Project) -> None:
    ids = turn_ids(study)
    view = DocumentView(study, "a.txt")
    view.handle({"type": "open", "segment": ids[2]})
    assert view.pane.status["state"] == "error" and view.tagger is None
    assert view.pane.status["text"].startswith("Turn 3 is the interviewer's")
    other = turn_ids(study, "b.txt")[1]
    view.handle({"type": "open", "segment": other})  # a turn of another document
    assert f"segment {other} is not a turn of 'a.txt'" in view.pane.status["text"]


def test_document_view_document_by_id_and_bad_names(study: Project) -> None:
    docs = study.documents
    b_id = int(docs.loc[docs["document"] == "b.txt", "document_id"].iloc[0])
    assert study.document_view(b_id).payload.document == "b.txt"  # the project's door
    cases = [
        ("nope.txt", "document view: no document named 'nope.txt' (documents: 'a.txt', 'b.txt')"),
        (999, "document view: no document id 999 (documents: 'a.txt', 'b.txt')"),
        (True, "document view: True is not a document name or id"),
        (2.0, "document view: 2.0 is not a document name or id"),
    ]
    for name, message in cases:
        with pytest.raises(UnknownItem) as info:
            DocumentView(study, name)  # type: ignore[arg-type]
        assert str(info.value) == message
    twice = docs.assign(document="a.txt")
    with pytest.raises(UnknownItem, match=r"2 documents are named 'a.txt' \(ids 1, 2\)"):
        find_document(twice, "a.txt")
    many = docs.loc[docs.index.repeat(4)].assign(document=[f"d{i}.txt" for i in range(8)])
    with pytest.raises(UnknownItem, match=r"'d4.txt' and 3 more\)$"):
        find_document(many, "x")


def test_document_view_refresh_reads_codings_again(study: Project) -> None:
    view = DocumentView(study, "a.txt")
    assert view.payload.codings == () and view.pane.lanes == []
    study.code(turn_ids(study)[3], "trust", coder="anna")
    view.handle({"type": "refresh"})
    assert [(c.code, c.turn) for c in view.visible()] == [("trust", 3)]
    assert (
        view.pane.lanes[0]["code"] == "trust"
        and view.pane.status["text"] == "Codings read again: 1"
    )


def test_document_view_payload_is_pure_over_frames(study: Project) -> None:
    coded(study)
    row = find_document(study.documents, "a.txt")
    payload = document_payload(
        row.to_dict(), study.segments(), study.codings(), study.codebook, "en"
    )
    assert len(payload.turns) == 5  # b.txt's segments and codings are left out
    assert {c.turn for c in payload.codings} == {1, 3, 4}
    assert payload.coders == ("anna", "erik")


def test_document_view_strings_in_both_languages() -> None:
    assert STRINGS["en"].keys() == STRINGS["sv"].keys()
    assert all(key.startswith("docview_") for key in STRINGS["en"])
    fields = ("{n}", "{shown}", "{total}", "{position}", "{name}")
    for key, english in STRINGS["en"].items():
        swedish = STRINGS["sv"][key]
        assert text(key, "sv") == swedish != english == text(key, "en"), key
        assert [f for f in fields if f in english] == [f for f in fields if f in swedish], key


def test_document_view_front_end_files_are_shipped() -> None:
    assert JS.is_file() and JS.with_suffix(".css").is_file()
    assert "innerHTML" not in JS.read_text(encoding="utf-8")  # text is never parsed as HTML


def test_document_view_js_cuts_and_filters_as_python_does(study: Project, tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    coded(study)
    view = DocumentView(study, "a.txt")
    script = f"""
        import {{ pieces, visibleCodings }} from {json.dumps(node_module(DocumentPane, tmp_path))};
        const [turns, codings, filters] = JSON.parse(process.argv[1]);
        const out = {{ pieces: [], visible: [] }};
        turns.forEach((t, i) => {{
            const spans = codings.filter((c) => c.turn === i && !c.whole);
            out.pieces.push(pieces(t.text, spans).map((p) =>
                [t.text.slice(p.from, p.to), p.cover.map((k) => spans[k].code + ":" + spans[k].coder)]));
        }});
        for (const [layer, code] of filters) {{
            out.visible.push(visibleCodings(codings, layer, code).map((c) => codings.indexOf(c)));
        }}
        console.log(JSON.stringify(out));
    """
    filters = [("all", ""), ("anna", ""), ("erik", "trust"), ("consensus", ""), ("all", "gap")]
    argument = json.dumps([view.pane.turns, view.pane.codings, filters])
    done = subprocess.run(
        [node, "--input-type=module", "-e", script, argument],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    result = json.loads(done.stdout)
    assert result["pieces"][1] == [
        ["Kaffe 👩\u200d🍳 och ", []],
        ["e\u0301n ", ["trust:erik"]],
        ["smörgås", ["trust:erik", "gap:anna"]],
        [", tack.", []],
    ]
    assert result["pieces"][3] == [
        ["I trust the staff 😀 ", []],
        ["completely", ["trust:anna"]],
        [".", []],
    ]
    for (layer, code), indexes in zip(filters, result["visible"], strict=True):
        view.set_filters(layer=layer, code=code)
        assert [view.payload.codings[i] for i in indexes] == view.visible(), (layer, code)
