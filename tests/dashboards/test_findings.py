"""Findings in themes on hand-made codings: what is counted, and what is not."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.dashboards import SAMPLE_CODEBOOK
from workbench.dashboards import _findings as fnd

BOOK = SAMPLE_CODEBOOK
LABELS = {c.id: (c.name("en"), c.color) for c in BOOK.codes}
TREE = fnd.ThemeTree.of(BOOK)
DIMS = ["pq-technical", "fq-communication", "fq-attitudes", "fq-punctuality"]


def frame(rows: list[tuple[int, str, str, int, int]]) -> pd.DataFrame:
    """Codings from ``(segment, participant, code, start, end)``; a segment's document is
    ``d<segment>``, its quote names the code and span."""
    out = pd.DataFrame(rows, columns=["segment", "participant", "code", "start", "end"])
    out["document"] = "d" + out["segment"].astype(str)
    spans = zip(out["code"], out["start"], out["end"], strict=True)
    out["quote"] = [f"{c} {s}-{e}" for c, s, e in spans]
    out["order"] = out["code"].map({c: i for i, c in enumerate(BOOK.ids())})
    out["label"] = out["code"].map(lambda c: LABELS[c][0])
    out["color"] = out["code"].map(lambda c: LABELS[c][1])
    out = out.assign(**TREE.columns(out["code"]))
    return fnd.mark_valence(out)


def test_theme_tree_counts_sub_themes_for_their_theme_and_category() -> None:
    assert TREE.category_of["gap-rules-mobile"] == "bp-information-gaps"
    assert TREE.theme_of["gap-rules-mobile"] == "gap-rules"
    assert TREE.theme_of["gap-rules"] == "gap-rules"
    assert "bp-needs" not in TREE.theme_of  # a category is not its own theme
    assert TREE.category_of["bp-needs"] == "bp-needs"
    assert "fq-communication" not in TREE.category_of
    assert TREE.themes["bp-information-gaps"] == ("gap-fees", "gap-rules")
    assert not TREE.has_themes("bp-information-sources") and TREE.any_themes


def test_mark_valence_needs_overlapping_spans_on_the_same_segment() -> None:
    codings = frame(
        [
            (1, "P1", "fq-attitudes", 0, 20),  # praised ...
            (1, "P1", "val-positive", 0, 20),
            (1, "P1", "pq-technical", 21, 60),  # ... and criticised, in one answer
            (1, "P1", "val-negative", 21, 60),
            (2, "P2", "fq-communication", 0, 50),  # a whole turn overlaps its spans
            (2, "P2", "val-negative", 10, 20),
            (3, "P3", "fq-communication", 0, 10),  # touching is not overlapping
            (3, "P3", "val-negative", 10, 30),
        ]
    )
    flags = codings.set_index(["segment", "code"])[["negative", "positive"]]
    assert flags.loc[(1, "fq-attitudes")].tolist() == [False, True]
    assert flags.loc[(1, "pq-technical")].tolist() == [True, False]
    assert flags.loc[(2, "fq-communication")].tolist() == [True, False]
    assert flags.loc[(3, "fq-communication")].tolist() == [False, False]


def test_perceived_quality_keeps_praise_and_criticism_of_one_answer_apart() -> None:
    codings = frame(
        [
            (1, "P1", "fq-attitudes", 0, 20),
            (1, "P1", "val-positive", 0, 20),
            (1, "P1", "pq-technical", 21, 60),
            (1, "P1", "val-negative", 21, 60),
            (2, "P2", "pq-technical", 0, 9),
        ]
    )
    dims = [("pq-technical", "technical"), ("fq-attitudes", "functional")]
    quality = fnd.perceived_quality(codings, dims, LABELS).set_index("code")
    assert quality.loc["fq-attitudes", ["positive", "negative"]].tolist() == [1, 0]
    assert quality.loc["pq-technical", ["mentions", "negative", "neutral"]].tolist() == [2, 1, 1]
    assert quality.loc["pq-technical", "negative_participants"] == 1
    assert quality.loc["fq-attitudes", "kind"] == "functional"


def test_category_counts_people_per_theme_and_share_of_everyone() -> None:
    codings = frame(
        [
            (1, "P1", "bp-information-gaps", 0, 10),
            (1, "P1", "gap-fees", 0, 10),
            (2, "P1", "gap-fees", 0, 10),  # the same person again: still one
            (3, "P2", "gap-rules-mobile", 0, 10),  # a sub-theme: counts for gap-rules
            (3, "P2", "val-negative", 0, 10),
            (4, "P3", "bp-information-gaps", 0, 10),  # raised the category, no theme
            (5, "P4", "fq-trust", 0, 10),  # someone who raised no gap
        ]
    )
    entry = fnd.category(codings, TREE, "information_gaps", total=4, labels=LABELS)
    assert (entry.participants, entry.themed, entry.developed) == (3, 2, True)
    themes = entry.themes.set_index("theme")
    assert themes["participants"].to_dict() == {"gap-fees": 1, "gap-rules": 1}
    assert themes.loc["gap-fees", "segments"] == 2
    assert themes.loc["gap-rules", "share"] == pytest.approx(0.25)
    assert themes.loc["gap-rules", "negative_participants"] == 1
    assert themes.loc["gap-fees", "negative_participants"] == 0
    assert themes.loc["gap-rules", "label"] == "Which rules apply"


def test_category_without_themes_keeps_the_codes_applied_with_it() -> None:
    codings = frame(
        [
            (1, "P1", "bp-information-sources", 0, 10),
            (1, "P1", "fq-accessibility", 0, 10),
            (1, "P1", "val-positive", 0, 10),  # valence is never a theme
        ]
    )
    entry = fnd.category(codings, TREE, "information_sources", total=1, labels=LABELS)
    assert not entry.developed and entry.themed == 0
    assert entry.themes["theme"].tolist() == ["fq-accessibility"]
    assert list(entry.themes.columns[:8]) == fnd.THEME_COLUMNS[:7] + ["negative_participants"]


def test_category_by_group_counts_each_group() -> None:
    codings = frame(
        [
            (1, "P1", "need-checklist", 0, 10),
            (2, "P2", "need-checklist", 0, 10),
            (3, "P3", "need-checklist", 0, 10),
        ]
    )
    codings["role"] = codings["participant"].map({"P1": "owner", "P2": "owner", "P3": "staff"})
    entry = fnd.category(codings, TREE, "needs", total=3, labels=LABELS, by="role")
    row = entry.themes.iloc[0]
    assert (row["role=owner"], row["role=staff"]) == (2, 1)
    assert entry.by == {"owner": 2, "staff": 1}


def test_where_to_start_ranks_themes_by_people_with_a_negative_experience() -> None:
    codings = frame(
        [
            # gap-fees: two people negative
            (1, "P1", "gap-fees", 0, 80),
            (1, "P1", "val-negative", 0, 80),
            (1, "P1", "fq-communication", 0, 80),
            (2, "P2", "gap-fees", 0, 80),
            (2, "P2", "val-negative", 0, 80),
            (2, "P2", "pq-technical", 0, 80),
            (3, "P2", "fq-communication", 0, 80),
            (3, "P2", "val-negative", 0, 80),
            # need-checklist: raised by three, negative for one
            (4, "P1", "need-checklist", 0, 10),
            (5, "P3", "need-checklist", 0, 10),
            (6, "P4", "need-checklist", 0, 80),
            (6, "P4", "val-negative", 0, 80),
            (6, "P4", "fq-communication", 0, 80),
            # exp-quick: one negative, raised once (ties with need-checklist on people)
            (7, "P3", "exp-quick", 0, 80),
            (7, "P3", "val-negative", 0, 80),
            # gap-rules: raised, never negative: left out
            (8, "P4", "gap-rules", 0, 10),
        ]
    )
    found = fnd.where_to_start(codings, TREE, total=4, labels=LABELS, dimensions=DIMS)
    assert [p.theme for p in found] == ["gap-fees", "need-checklist", "exp-quick"]
    first = found[0]
    assert (first.participants, first.raised, first.total) == (2, 2, 4)
    assert first.category == "information_gaps" and first.label == "What the fee covers"
    # dimensions on its negative passages, most passages first, then ... both once here
    assert set(first.dimensions) == {"Communication", "Technical quality (what)"}
    assert found[1].raised == 3 and found[1].quote is not None
    assert found[1].quote.participant == "P4"  # the quote comes from the negative passage
    assert fnd.where_to_start(codings, TREE, total=4, labels=LABELS, n=1)[0].theme == "gap-fees"


def test_where_to_start_is_empty_without_negative_themes() -> None:
    codings = frame([(1, "P1", "gap-fees", 0, 10), (2, "P1", "val-negative", 0, 10)])
    assert fnd.where_to_start(codings, TREE, total=1, labels=LABELS) == []


def test_quality_themes_name_what_negative_passages_are_about() -> None:
    codings = frame(
        [
            (1, "P1", "fq-communication", 0, 80),
            (1, "P1", "val-negative", 0, 80),
            (1, "P1", "gap-fees", 0, 80),
            (2, "P2", "fq-communication", 0, 80),
            (2, "P2", "val-negative", 0, 80),
            (2, "P2", "gap-fees", 0, 80),
            (2, "P2", "gap-rules", 0, 80),
            (3, "P3", "fq-communication", 0, 80),
            (3, "P3", "val-negative", 0, 80),  # negative, no theme
            (4, "P4", "fq-communication", 0, 80),
            (4, "P4", "val-positive", 0, 80),
            (4, "P4", "need-checklist", 0, 80),  # positive: not about a negative experience
        ]
    )
    out = fnd.quality_themes(codings, DIMS, LABELS)
    comm = out[out["code"] == "fq-communication"]
    named = comm[comm["theme"] != ""]
    assert named["theme"].tolist() == ["gap-fees", "gap-rules"]
    assert named["participants"].tolist() == [2, 1]
    bare = comm[comm["theme"] == ""].iloc[0]
    assert (bare["participants"], bare["passages"]) == (1, 1)


def test_theme_quotes_include_sub_themes_and_filter_valence() -> None:
    codings = frame(
        [
            (1, "P1", "gap-rules", 0, 10),
            (2, "P2", "gap-rules-mobile", 0, 10),
            (2, "P2", "val-negative", 0, 10),
            (3, "P3", "gap-fees", 0, 10),
        ]
    )
    quotes = fnd.theme_quotes(codings, "gap-rules")
    assert quotes["segment"].tolist() == [1, 2]
    assert set(quotes["theme"]) == {"gap-rules"}
    assert fnd.theme_quotes(codings, "gap-rules", valence="negative")["segment"].tolist() == [2]
    assert len(fnd.theme_quotes(codings, "bp-information-gaps")) == 3
    with pytest.raises(ValueError, match="valence"):
        fnd.theme_quotes(codings, "gap-rules", valence="meh")


def test_pick_quote_prefers_a_readable_length() -> None:
    rows = pd.DataFrame(
        {
            "participant": ["P1", "P2", "P3"],
            "quote": ["short", "x" * 100, "y" * 900],
            "document": ["a", "b", "c"],
            "segment": [1, 2, 3],
        }
    )
    picked = fnd.pick_quote(rows)
    assert picked is not None and picked.participant == "P2"
    picked = fnd.pick_quote(rows[rows["participant"] != "P2"])
    assert picked is not None and picked.participant == "P3"  # shortened when shown
    assert fnd.pick_quote(rows.iloc[0:0]) is None


def test_natural_sorts_pseudonyms_by_number() -> None:
    assert sorted(["P10", "P2", "P1040", "P1"], key=fnd.natural) == ["P1", "P2", "P10", "P1040"]
