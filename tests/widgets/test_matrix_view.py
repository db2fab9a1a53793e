"""The matrix view driven from Python: tables of counts by group and by code, and the quotes
behind a clicked count (the study and its codings are those of ``test_query_view``)."""

from __future__ import annotations

import pytest

from workbench.project._project import Project
from workbench.widgets import MatrixView

from .test_query_view import coded


@pytest.fixture
def view(study: Project) -> MatrixView:
    coded(study)
    return MatrixView(study, lang="en")


def grid(view: MatrixView) -> list[tuple[str, list[int]]]:
    return [(r["label"], r["cells"]) for r in view.table["rows"]]


def quotes(view: MatrixView) -> list[tuple[str, str, str]]:
    return [(c["participant"], c["code"], ",".join(c["coders"])) for c in view.cell["rows"]]


def test_matrix_view_opens_on_the_first_attribute(view: MatrixView) -> None:
    assert view.choices == {
        "kind": "matrix",
        "columns": "region",
        "value": "participants",
        "coder": "",
    }
    assert [c["label"] for c in view.table["columns"]] == ["north", "Total"]
    assert grid(view) == [
        ("Needs", [2, 2]),  # P01, P02
        ("Trust", [1, 1]),
        ("Information gap", [2, 2]),
        ("Total", [2, 2]),
    ]
    assert view.table["max"] == 2 and view.cell == {}
    assert [a["value"] for a in view.options["axes"]] == [
        "coder",
        "document",
        "participant",
        "region",
        "size",
    ]


def test_matrix_view_missing_values_and_their_quotes(view: MatrixView) -> None:
    view.handle({"type": "columns", "columns": "size"})
    assert [c["label"] for c in view.table["columns"]] == ["small", "(no value)", "Total"]
    assert grid(view) == [
        ("Needs", [1, 1, 2]),
        ("Trust", [1, 0, 1]),
        ("Information gap", [1, 1, 2]),
        ("Total", [1, 1, 2]),
    ]
    view.handle({"type": "cell", "row": 0, "column": 1})
    assert view.cell["title"] == "Needs · (no value) — participants: 1"
    assert quotes(view) == [("P02", "needs", "anna")]
    view.handle({"type": "cell", "row": 3, "column": 0})  # total row: every code of P01
    assert quotes(view) == [
        ("P01", "needs", "anna"),
        ("P01", "needs", "erik"),
        ("P01", "trust", "anna,erik"),
        ("P01", "gap", "anna"),
    ]
    assert view.cell["title"] == "Total · small — participants: 1"


def test_matrix_view_segments_by_coder(view: MatrixView) -> None:
    view.handle({"type": "columns", "columns": "coder"})
    view.handle({"type": "value", "value": "segments"})
    assert [c["label"] for c in view.table["columns"]] == ["anna", "erik", "Total"]
    assert grid(view) == [
        ("Needs", [2, 1, 2]),
        ("Trust", [1, 1, 1]),
        ("Information gap", [2, 1, 3]),
        ("Total", [4, 3, 5]),
    ]
    view.handle({"type": "cell", "row": 2, "column": 1})
    assert quotes(view) == [("P02", "gap", "erik")]
    view.handle({"type": "coder", "coder": "erik"})  # count erik only
    assert [c["label"] for c in view.table["columns"]] == ["erik", "Total"]
    assert view.cell == {}  # a new table forgets the clicked cell


def test_matrix_view_cooccurrence_lists_segments_with_both(view: MatrixView) -> None:
    view.handle({"type": "kind", "kind": "cooccurrence"})
    assert view.choices["value"] == "segments"
    assert [c["label"] for c in view.table["columns"]] == ["Needs", "Trust", "Information gap"]
    assert grid(view) == [
        ("Needs", [2, 0, 1]),
        ("Trust", [0, 1, 0]),
        ("Information gap", [1, 0, 3]),
    ]
    view.handle({"type": "cell", "row": 0, "column": 2})
    assert view.cell["title"] == "Needs with Information gap — segments: 1"
    assert quotes(view) == [("P02", "gap", "anna"), ("P02", "needs", "anna")]


def test_matrix_view_switches_language(view: MatrixView) -> None:
    view.handle({"type": "lang", "lang": "sv"})
    assert [r["label"] for r in view.table["rows"]] == [
        "Behov",
        "Tillit",
        "Informationsglapp",
        "Totalt",
    ]
    assert view.strings["cell_hint"] == "Klicka på en siffra för att läsa citaten."
    assert view.options["axes"][0]["label"] == "Kodare"


def test_matrix_view_demo_attributes_in_swedish(study: Project) -> None:
    """The demo study's attributes (a survey's "answered_on" too) are named in the interface's
    language in the matrix's column choices and the query view's groups, never as raw keys."""
    from workbench.widgets import QueryView

    coded(study)
    people = study.participants.set_index("participant")["participant_id"]
    study.store.set_participant_attributes(
        {int(people["P01"]): {"answered_on": "2026-02-09", "business_type": "café"}}, user="t"
    )
    axes = {a["value"]: a["label"] for a in MatrixView(study, lang="sv").options["axes"]}
    assert axes["answered_on"] == "Besvarad" and axes["business_type"] == "Verksamhet"
    groups = {g["name"]: g for g in QueryView(study, lang="sv").panel.options["attributes"]}
    assert groups["answered_on"]["label"] == "Besvarad"
    assert [v["label"] for v in groups["business_type"]["values"]] == ["kafé"]
