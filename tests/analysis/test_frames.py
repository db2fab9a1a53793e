"""Analysis frames on the sample study, whose numbers are known by hand (see
``workbench/dashboards/_sample.py``: six participants, anna codes all, erik a few segments)."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest

import workbench
from workbench import analysis as a
from workbench.analysis._frames import NOT_THEMES
from workbench.dashboards import SAMPLE_CODEBOOK, build_sample_project
from workbench.project._project import Project
from workbench.store import Origin


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    folder = build_sample_project(
        tmp_path_factory.mktemp("analysis") / "study", themes_and_survey=False
    )
    with workbench.open(folder, read_only=True) as p:
        yield p


@pytest.fixture(scope="module")
def codings(project: Project) -> pd.DataFrame:
    return a.codings_frame(project)


def row(frame: pd.DataFrame, key: str, value: str) -> pd.Series:
    """The first row whose ``key`` is ``value``."""
    return frame[frame[key] == value].iloc[0]


def test_codings_frame_one_row_per_coding_with_attributes(codings: pd.DataFrame) -> None:
    assert len(codings) == 57
    assert a.attribute_columns(codings) == ["business_type", "district", "role", "user_type"]
    first = codings.iloc[0]
    assert (first["participant"], first["document"], first["language"]) == (
        "P01",
        "p01-restaurang.txt",
        "sv",
    )
    assert first["quote"].startswith("Vi driver en liten restaurang")
    assert row(codings, "code", "fq-trust")["path"] == (
        "Perceived quality › Functional quality (how) › Trust"
    )


def test_codings_frame_layers(project: Project) -> None:
    assert len(a.codings_frame(project, "anna")) == 48
    assert len(a.codings_frame(project, "erik")) == 9
    assert len(a.codings_frame(project, ["anna", "erik"])) == 57
    agreed = a.codings_frame(project, "consensus")
    assert len(agreed) == 30
    assert set(agreed["coder"]) == {"consensus"}
    per = agreed.groupby("participant").size().to_dict()
    assert per == {"P01": 7, "P02": 8, "P03": 1, "P04": 7, "P05": 1, "P06": 6}


def test_codings_frame_labels_in_swedish(project: Project) -> None:
    sv = a.codings_frame(project, lang="sv")
    assert row(sv, "code", "bp-information-gaps")["label"] == "Kunskapsluckor"


def test_relabel_switches_language_without_reading(codings: pd.DataFrame) -> None:
    sv = a.relabel(codings, SAMPLE_CODEBOOK, lang="sv")
    assert len(sv) == len(codings)
    assert row(sv, "code", "bp-needs")["label"] == "Behov"


def test_filter_codings_by_attributes(codings: pd.DataFrame) -> None:
    external = a.filter_codings(codings, user_type="external", language=None)
    assert set(external["participant"]) == {"P01", "P02", "P03", "P05"}
    en = a.filter_codings(codings, language=["en"], role=[])
    assert set(en["participant"]) == {"P03", "P05", "P06"}
    assert a.filter_codings(codings, nosuch="x").empty


def test_frequencies_count_segments_and_participants(codings: pd.DataFrame) -> None:
    freq = a.frequencies(codings)
    assert freq["code"].tolist()[:2] == ["val-negative", "fq-communication"]
    assert (freq.iloc[0]["segments"], freq.iloc[0]["participants"]) == (6, 5)
    assert (freq.iloc[1]["segments"], freq.iloc[1]["participants"]) == (5, 4)
    needs = row(freq, "code", "bp-needs")
    assert (needs["segments"], needs["participants"]) == (4, 4)


def test_frequencies_by_attribute(codings: pd.DataFrame) -> None:
    freq = a.frequencies(codings, by="user_type", codes=["fq-communication"])
    counts = dict(
        zip(
            freq["user_type"], zip(freq["segments"], freq["participants"], strict=True), strict=True
        )
    )
    assert counts == {"external": (3, 2), "internal": (2, 2)}


def test_cooccurrence_counts_shared_segments(codings: pd.DataFrame) -> None:
    matrix = a.cooccurrence(codings)
    assert matrix.loc["bp-needs", "fq-communication"] == 2
    assert matrix.loc["bp-needs", "bp-needs"] == 4
    assert matrix.loc["ep-why", "bp-needs"] == 0


def test_framework_matrix_cells_hold_quotes(codings: pd.DataFrame) -> None:
    matrix = a.framework_matrix(codings, ["bp-needs", "bp-expectations"])
    assert list(matrix.columns) == ["bp-needs", "bp-expectations"]
    assert matrix.loc["P01", "bp-expectations"] == []
    assert matrix.loc["P03", "bp-needs"] == [
        "What we need is a simple checklist we can keep by the counter."
    ]


def test_themes_ranked_by_participants(codings: pd.DataFrame) -> None:
    needs = a.themes(codings, "bp-needs")
    assert needs["theme"].tolist() == [
        "fq-communication",
        "ep-solutions",
        "bp-information-gaps",
        "fq-accessibility",
    ]
    assert needs["participants"].tolist() == [2, 1, 1, 1]
    assert needs.iloc[0]["share"] == 0.5
    gaps = a.themes(codings, "bp-information-gaps", by="user_type")
    top = gaps.iloc[0]
    assert (top["theme"], top["participants"], top["share"]) == ("fq-communication", 3, 0.75)
    assert (top["user_type=external"], top["user_type=internal"]) == (2, 1)


def test_themes_of_a_code_with_children_are_its_children(codings: pd.DataFrame) -> None:
    found = a.themes(codings, "pq-functional")
    assert found.iloc[0]["theme"] == "fq-communication"
    assert found.iloc[0]["participants"] == 4
    assert "val-negative" not in set(found["theme"])


def test_themes_never_valence_or_user_type(codings: pd.DataFrame) -> None:
    assert not set(a.themes(codings, "bp-expectations")["theme"]) & set(NOT_THEMES)


def test_summary_counts_participants_by_group(codings: pd.DataFrame) -> None:
    result = a.summary(codings, by="user_type")
    assert {k: v["participants"] for k, v in result.items()} == {
        "needs": 4,
        "expectations": 3,
        "information_gaps": 4,
        "information_sources": 2,
    }
    assert result["needs"]["by"] == {"external": 3, "internal": 1}
    quotes = result["expectations"]["quotes"]
    assert len(quotes) == 3 and len({q["participant"] for q in quotes}) == 3


def test_gaps_and_sources_pairs_by_participant(codings: pd.DataFrame) -> None:
    pairs = a.gaps_and_sources(codings)
    assert pairs["participant"].tolist() == ["P01", "P02", "P05", "P06"]
    assert pairs["has_source"].tolist() == [False, True, True, False]
    assert pairs.iloc[2]["sources"] == [
        "I asked other truck owners in a Facebook group and called the help line."
    ]


def test_perceived_quality_counts_valence(codings: pd.DataFrame) -> None:
    quality = a.perceived_quality(codings, SAMPLE_CODEBOOK).set_index("code")
    assert quality.index.tolist()[0] == "pq-technical"
    assert quality.index.tolist()[-1] == "pq-image"
    assert quality["kind"].value_counts().to_dict() == {
        "functional": 8,
        "technical": 1,
        "image": 1,
    }
    comm = quality.loc["fq-communication"]
    assert (comm["mentions"], comm["positive"], comm["negative"], comm["neutral"]) == (5, 0, 3, 2)
    assert (comm["participants"], comm["negative_participants"]) == (4, 3)
    access = quality.loc["fq-accessibility"]
    assert (access["positive"], access["negative"], access["participants"]) == (1, 1, 2)
    assert quality.loc["fq-behaviour", "neutral"] == 1
    assert quality.loc["pq-technical", "positive"] == 1


def test_perceived_quality_by_group_has_every_dimension(codings: pd.DataFrame) -> None:
    quality = a.perceived_quality(codings, SAMPLE_CODEBOOK, by="user_type")
    assert len(quality) == 20
    comm = quality[quality["code"] == "fq-communication"].set_index("user_type")
    assert comm.loc["external", "negative"] == 2
    assert comm.loc["internal", "mentions"] == 2
    assert (
        quality[(quality["code"] == "fq-trust")].set_index("user_type").loc["internal", "mentions"]
        == 0
    )


def test_perceived_quality_empty_codings_gives_zeros(codings: pd.DataFrame) -> None:
    quality = a.perceived_quality(codings.iloc[0:0], SAMPLE_CODEBOOK)
    assert len(quality) == 10 and int(quality["mentions"].sum()) == 0


def test_priorities_rank_negative_experiences(codings: pd.DataFrame) -> None:
    top = a.priorities(a.perceived_quality(codings, SAMPLE_CODEBOOK))
    assert top["code"].tolist() == ["fq-communication", "fq-punctuality", "fq-servicescape"]


def test_everyday_processes_per_participant(codings: pd.DataFrame) -> None:
    table = a.everyday_processes(codings).set_index("participant")
    assert table.index.tolist() == ["P01", "P03"]
    assert table.loc["P01", "ep-why"] == []
    assert len(table.loc["P03", "ep-goal"]) == 1


def test_quotes_behind_a_number(codings: pd.DataFrame) -> None:
    negative = a.quotes(codings, code="fq-communication", valence="negative")
    assert negative["participant"].tolist() == ["P01", "P04", "P05"]
    assert "user_type" in negative.columns
    theme = a.quotes(codings, code="bp-needs", with_code="fq-communication")
    assert theme["participant"].tolist() == ["P01", "P06"]
    assert len(a.quotes(codings, code="bp-needs", user_type="internal")) == 1
    with pytest.raises(ValueError, match="valence"):
        a.quotes(codings, valence="bad")


def test_consensus_keeps_majority_pairs() -> None:
    frame = pd.DataFrame(
        {
            "coding": [1, 2, 3, 4, 5],
            "segment": [1, 1, 1, 2, 3],
            "document": ["d", "d", "d", "d", "e"],
            "code": ["x", "x", "y", "x", "z"],
            "coder": ["a", "b", "a", "b", "a"],
        }
    )
    kept = a.consensus(frame)
    assert kept[["segment", "code"]].values.tolist() == [[1, "x"], [3, "z"]]
    assert kept["coding"].tolist() == [1, 5]


def test_analysis_all_names_exported() -> None:
    assert sorted(a.__all__) == a.__all__
    assert all(hasattr(a, name) for name in a.__all__)


def test_consensus_takes_a_theme_where_its_parent_is_agreed() -> None:
    """ "t" (a theme under "x") adopted by "lead": kept on segment 1, where a and b agree on
    x, not on segment 2; lead is no coder of document d, so a's lone "y" in document e and
    the majority in d stand as they were."""
    frame = pd.DataFrame(
        {
            "coding": [1, 2, 3, 4, 5, 6, 7],
            "segment": [1, 1, 2, 1, 2, 3, 3],
            "document": ["d", "d", "d", "d", "d", "e", "e"],
            "code": ["x", "x", "x", "t", "t", "y", "t"],
            "coder": ["a", "b", "a", "lead", "lead", "a", "lead"],
            "origin": ["human", "human", "human", "theme", "theme", "human", "theme"],
        }
    )
    kept = a.consensus(frame, {"t": "x", "x": None, "y": None})
    assert kept[["segment", "code"]].values.tolist() == [[1, "t"], [1, "x"], [3, "y"]]
    assert a.THEME_ORIGIN == Origin.THEME
    with_column = a.consensus(frame.assign(parent=["", "", "", "x", "x", "", "x"]))
    assert with_column[["segment", "code"]].equals(kept[["segment", "code"]])
