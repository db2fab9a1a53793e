"""Retrieval's pure functions on hand-made frames: expressions, selection, context, matrices,
co-occurrence and search, every number counted by hand in the comments."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench import analysis as a
from workbench.codebook import Code, Codebook
from workbench.errors import InvalidCode, InvalidQuery

BOOK = Codebook(
    id="t",
    title={"en": "Test"},
    codes=(
        Code(id="group", label={"en": "Process", "sv": "Process"}, codable=False),
        Code(id="needs", label={"en": "Needs", "sv": "Behov"}, parent="group"),
        Code(id="trust", label={"en": "Trust", "sv": "Tillit"}, parent="group"),
        Code(id="gap", label={"en": "Information gap", "sv": "Kunskapslucka"}),
        Code(id="neg", label={"en": "Negative", "sv": "Negativ"}),
    ),
)
KNOWN = BOOK.ids()

# segment 1 (P1, ext): needs+trust by anna, needs by erik
# segment 2 (P1, ext): needs by anna
# segment 3 (P2, int): trust+neg by erik, gap by anna
# segment 4 (P3, no value): needs+neg by anna
# segment 5 (P2, int): gap by anna, gap by erik
ROWS = [
    (1, 1, "P1", "ext", "needs", "anna"),
    (2, 1, "P1", "ext", "trust", "anna"),
    (3, 1, "P1", "ext", "needs", "erik"),
    (4, 2, "P1", "ext", "needs", "anna"),
    (5, 3, "P2", "int", "trust", "erik"),
    (6, 3, "P2", "int", "neg", "erik"),
    (7, 3, "P2", "int", "gap", "anna"),
    (8, 4, "P3", None, "needs", "anna"),
    (9, 4, "P3", None, "neg", "anna"),
    (10, 5, "P2", "int", "gap", "anna"),
    (11, 5, "P2", "int", "gap", "erik"),
]


@pytest.fixture
def codings() -> pd.DataFrame:
    return pd.DataFrame(
        ROWS, columns=["coding", "segment", "participant", "user_type", "code", "coder"]
    )


def ids(frame: pd.DataFrame) -> list[int]:
    return sorted(int(c) for c in frame["coding"])


# -- expressions --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("needs", "needs"),
        ("needs and trust", "needs and trust"),
        ("needs & trust | gap", "needs and trust or gap"),
        ("needs AND (trust OR gap)", "needs and (trust or gap)"),
        ("!neg & needs", "not neg and needs"),
        ("not (needs or trust) and gap", "not (needs or trust) and gap"),
        ("needs and not not trust", "needs and not not trust"),
        ("  ( needs )  ", "needs"),
    ],
)
def test_parse_codes_precedence_and_spelling(source: str, shown: str) -> None:
    assert str(a.parse_codes(source, KNOWN)) == shown


def test_parse_codes_tree_shape() -> None:
    parsed = a.parse_codes("needs or trust and not gap")
    assert parsed == a.OrExpr(
        (a.CodeTerm("needs"), a.AndExpr((a.CodeTerm("trust"), a.NotExpr(a.CodeTerm("gap")))))
    )


def test_parse_codes_list_means_any_of() -> None:
    assert a.parse_codes(["needs", "trust and gap"], KNOWN) == a.OrExpr(
        (a.CodeTerm("needs"), a.AndExpr((a.CodeTerm("trust"), a.CodeTerm("gap"))))
    )
    assert a.parse_codes(["needs"], KNOWN) == a.CodeTerm("needs")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("needs and tust", "unknown code 'tust' at position 11 (did you mean 'trust'?)"),
        ("Needs", "unknown code 'Needs' at position 1 (did you mean 'needs'?)"),
        ("needs and (trust or gap", "')' is missing at position 24"),
        ("needs trust", "'and' or 'or' is missing before 'trust' at position 7"),
        ("needs and", "a code is missing at position 10"),
        ("or needs", "a code is missing before 'or' at position 1"),
        ("needs )", "')' without '(' at position 7"),
        ("needs and ()", "a code is missing before ')' at position 12"),
        ("   ", "no code given"),
    ],
)
def test_parse_codes_errors_name_the_code_or_position(source: str, message: str) -> None:
    with pytest.raises(InvalidCode) as caught:
        a.parse_codes(source, KNOWN)
    assert str(caught.value) == f"code expression {source!r}: {message}"


def test_parse_codes_empty_list_is_refused() -> None:
    with pytest.raises(InvalidCode, match="list of codes is empty"):
        a.parse_codes([], KNOWN)


def test_expression_codes_all_and_positive() -> None:
    parsed = a.parse_codes("needs and not (trust or gap) and not not neg or needs")
    assert a.expression_codes(parsed) == ["needs", "trust", "gap", "neg"]
    assert a.expression_codes(parsed, positive=True) == ["needs", "neg"]


# -- selection ----------------------------------------------------------------------------------
def test_select_codings_single_code_returns_every_coding(codings: pd.DataFrame) -> None:
    assert ids(a.select_codings(codings, a.parse_codes("needs"))) == [1, 3, 4, 8]


def test_select_codings_and_works_per_segment(codings: pd.DataFrame) -> None:
    # needs and trust meet only on segment 1: its needs (anna, erik) and trust codings
    assert ids(a.select_codings(codings, a.parse_codes("needs and trust"))) == [1, 2, 3]


def test_select_codings_or_returns_both_codes(codings: pd.DataFrame) -> None:
    assert ids(a.select_codings(codings, a.parse_codes("trust or neg"))) == [2, 5, 6, 9]


def test_select_codings_not_returns_only_positive_codes(codings: pd.DataFrame) -> None:
    # needs without neg: segments 1 and 2 (segment 4 has neg); trust codings are not returned
    assert ids(a.select_codings(codings, a.parse_codes("needs and not neg"))) == [1, 3, 4]


def test_select_codings_depends_on_the_chosen_coders(codings: pd.DataFrame) -> None:
    annas = codings[codings["coder"] == "anna"]
    # for anna alone segment 3 has no neg, so gap and not neg keeps both of her gap codings
    assert ids(a.select_codings(annas, a.parse_codes("gap and not neg"))) == [7, 10]
    assert ids(a.select_codings(codings, a.parse_codes("gap and not neg"))) == [10, 11]


def test_select_codings_scope_makes_a_group_stand_for_its_codes(codings: pd.DataFrame) -> None:
    expr = a.parse_codes("group and neg")
    scope = a.code_scope(BOOK, a.expression_codes(expr))
    assert scope == {"group": ["group", "needs", "trust"], "neg": ["neg"]}
    # segments 3 (trust+neg) and 4 (needs+neg)
    assert ids(a.select_codings(codings, expr, scope=scope)) == [5, 6, 8, 9]
    assert ids(a.select_codings(codings, expr)) == []  # nothing is coded with the group itself


def test_select_codings_refuses_an_expression_without_positive_code(
    codings: pd.DataFrame,
) -> None:
    with pytest.raises(InvalidCode, match="names no code to retrieve"):
        a.select_codings(codings, a.parse_codes("not neg"))


def test_select_codings_empty_frame(codings: pd.DataFrame) -> None:
    assert a.select_codings(codings.iloc[0:0], a.parse_codes("needs")).empty


# -- context ------------------------------------------------------------------------------------
TEXT = "Interviewer: How was it?\n\nAnna: We waited for the bus in the rain, and nobody came."


def test_context_around_cuts_at_word_boundaries() -> None:
    start = TEXT.index("the bus")
    end = start + len("the bus")
    before, after = a.context_around(TEXT, start, end, 9)
    # 9 characters back land inside "waited", 9 on inside "rain": the partial words go
    assert (before, after) == ("for ", " in the")
    assert a.context_around(TEXT, start, end, 11) == ("waited for ", " in the")
    assert TEXT[start - len(before) : start] == before
    assert TEXT[end : end + len(after)] == after


def test_context_around_whole_text_and_zero_width() -> None:
    start = TEXT.index("We")
    end = len(TEXT) - 1
    before, after = a.context_around(TEXT, start, end, 200)
    assert before == TEXT[:start].lstrip() and after == "."
    assert a.context_around(TEXT, start, end, 0) == ("", "")


def test_context_around_never_breaks_a_word_at_the_edges() -> None:
    text = "alpha beta gamma delta epsilon"
    for width in range(0, 20):
        before, after = a.context_around(text, 11, 16, width)  # "gamma"
        assert before in ("", "beta ", "alpha beta ") and len(before) <= max(width, 0)
        assert after in ("", " delta", " delta epsilon") and len(after) <= width


def test_add_context_looks_up_each_document() -> None:
    quotes = pd.DataFrame({"document": ["a", "b"], "start": [6, 0], "end": [10, 3]})
    out = a.add_context(quotes, {"a": "Hello dear world", "b": "Hej då"}, width=20)
    assert out["before"].tolist() == ["Hello ", ""]
    assert out["after"].tolist() == [" world", " då"]


# -- matrices -----------------------------------------------------------------------------------
def test_code_matrix_participants_by_attribute(codings: pd.DataFrame) -> None:
    table = a.code_matrix(codings, BOOK, columns="user_type")
    assert table.index.tolist() == ["Needs", "Trust", "Information gap", "Negative", "Total"]
    assert table.columns.tolist() == ["ext", "int", "(no value)", "Total"]
    assert table.to_numpy().tolist() == [
        [1, 0, 1, 2],  # needs: P1 (ext), P3 (no value)
        [1, 1, 0, 2],  # trust: P1, P2
        [0, 1, 0, 1],  # gap: P2
        [0, 1, 1, 2],  # neg: P2, P3
        [1, 1, 1, 3],  # distinct participants, not sums
    ]
    assert all(str(t) == "int64" for t in table.dtypes)


def test_code_matrix_segments_by_coder_in_swedish(codings: pd.DataFrame) -> None:
    table = a.code_matrix(codings, BOOK, columns="coder", value="segments", lang="sv")
    assert table.index.tolist() == ["Behov", "Tillit", "Kunskapslucka", "Negativ", "Totalt"]
    assert table.to_dict(orient="index") == {
        "Behov": {"anna": 3, "erik": 1, "Totalt": 3},  # anna 1, 2, 4; erik 1
        "Tillit": {"anna": 1, "erik": 1, "Totalt": 2},
        "Kunskapslucka": {"anna": 2, "erik": 1, "Totalt": 2},
        "Negativ": {"anna": 1, "erik": 1, "Totalt": 2},
        "Totalt": {"anna": 5, "erik": 3, "Totalt": 5},
    }


def test_code_matrix_rows_may_be_a_group_and_codes_restricted(codings: pd.DataFrame) -> None:
    table = a.code_matrix(
        codings, BOOK, rows="coder", columns="code", codes=["needs", "gap"], total=False
    )
    assert table.index.tolist() == ["anna", "erik"] and table.columns.tolist() == [
        "Needs",
        "Information gap",
    ]
    assert table.to_numpy().tolist() == [[2, 1], [1, 1]]


def test_code_matrix_keeps_codes_nobody_used_as_zeros(codings: pd.DataFrame) -> None:
    only_gap = codings[codings["code"] == "gap"]
    table = a.code_matrix(only_gap, BOOK, columns="coder", total=False)
    assert table.loc["Needs"].tolist() == [0, 0] and table.loc["Information gap"].tolist() == [
        1,
        1,
    ]


def test_code_matrix_bad_value_or_axis(codings: pd.DataFrame) -> None:
    with pytest.raises(InvalidQuery, match="'participants' or 'segments', not 'people'"):
        a.code_matrix(codings, BOOK, value="people")
    with pytest.raises(InvalidQuery, match="'region' is not a code, coder"):
        a.code_matrix(codings, BOOK, columns="region")


def test_code_rows_tell_equal_labels_apart() -> None:
    book = Codebook(
        id="d",
        title={"en": "D"},
        codes=(
            Code(id="x", label={"en": "X"}, codable=False),
            Code(id="x-other", label={"en": "Other"}, parent="x"),
            Code(id="y", label={"en": "Y"}, codable=False),
            Code(id="y-other", label={"en": "Other"}, parent="y"),
        ),
    )
    assert a.code_rows(book, present=["gone"]) == [
        ("x-other", "X › Other"),
        ("y-other", "Y › Other"),
        ("gone", "gone"),
    ]


def test_code_cooccurrence_segments(codings: pd.DataFrame) -> None:
    table = a.code_cooccurrence(codings, BOOK)
    labels = ["Needs", "Trust", "Information gap", "Negative"]
    assert table.index.tolist() == labels and table.columns.tolist() == labels
    assert table.to_numpy().tolist() == [
        [3, 1, 0, 1],  # needs on 1, 2, 4; with trust on 1; with neg on 4
        [1, 2, 1, 1],  # trust on 1, 3; with gap and neg on 3
        [0, 1, 2, 1],  # gap on 3, 5
        [1, 1, 1, 2],  # neg on 3, 4
    ]


def test_code_cooccurrence_participants_and_chosen_codes(codings: pd.DataFrame) -> None:
    table = a.code_cooccurrence(codings, BOOK, value="participants", codes=["needs", "neg"])
    assert table.to_numpy().tolist() == [[2, 1], [1, 2]]  # needs: P1, P3; neg: P2, P3
    empty = a.code_cooccurrence(codings.iloc[0:0], BOOK, codes=["needs"])
    assert empty.to_numpy().tolist() == [[0]]


# -- search -------------------------------------------------------------------------------------
SEGMENTS = pd.DataFrame(
    {
        "segment": [7, 8, 9],
        "document": ["a.txt", "a.txt", "b.txt"],
        "participant": ["P01", "P01", "P02"],
        "speaker": ["Åsa", "Åsa", "Bo"],
        "text": [
            "Jag ringde på telefonen, sen telefon igen. HÄR är det.",
            "The telephone, Telefon och TELEFON här.",
            "Ha\u0308r och har: Straße, 👩\u200d🍳 här!",
        ],
        "start": [10, 80, 5],
    }
)


def hits(frame: pd.DataFrame) -> list[tuple[int, int, int, str]]:
    return [(int(r.segment), int(r.start), int(r.end), r.match) for r in frame.itertuples()]


def test_search_whole_word_ignores_case_and_never_matches_telephone() -> None:
    found = a.search_segments(SEGMENTS, "Telefon")
    assert hits(found) == [
        (7, 39, 46, "telefon"),
        (8, 95, 102, "Telefon"),
        (8, 107, 114, "TELEFON"),
    ]
    assert found.columns.tolist() == a._retrieve.SEARCH_COLUMNS


def test_search_part_of_words_when_asked() -> None:
    found = a.search_segments(SEGMENTS, "telefon", whole_word=False)
    assert [m for *_, m in hits(found)] == ["telefon", "telefon", "Telefon", "TELEFON"]
    assert hits(found)[0] == (7, 24, 31, "telefon")  # inside "telefonen"


def test_search_keeps_swedish_letters_apart() -> None:
    # här: HÄR in 7, här in 8, the decomposed Hä̈r and the last här in 9; never "har"
    found = a.search_segments(SEGMENTS, "här")
    assert hits(found) == [
        (7, 53, 56, "HÄR"),
        (8, 115, 118, "här"),
        (9, 5, 9, "Ha\u0308r"),  # four code points in the text
        (9, 31, 34, "här"),  # after an emoji ZWJ sequence of three code points
    ]
    assert hits(a.search_segments(SEGMENTS, "har")) == [(9, 14, 17, "har")]
    assert a.search_segments(SEGMENTS, "ha").empty


def test_search_offsets_are_document_code_points() -> None:
    found = a.search_segments(SEGMENTS, "här")
    for row in found.itertuples():
        seg = SEGMENTS[SEGMENTS["segment"] == row.segment].iloc[0]
        assert seg["text"][row.start - seg["start"] : row.end - seg["start"]] == row.match


def test_search_casefolds_sharp_s() -> None:
    assert hits(a.search_segments(SEGMENTS, "STRASSE")) == [(9, 19, 25, "Straße")]


def test_search_regex_and_whole_word() -> None:
    assert [m for *_, m in hits(a.search_segments(SEGMENTS, r"tele\w+", regex=True))] == [
        "telefonen",
        "telefon",
        "telephone",
        "Telefon",
        "TELEFON",
    ]
    # whole words only: "tele" alone occurs nowhere
    assert a.search_segments(SEGMENTS, r"tele", regex=True).empty
    assert len(a.search_segments(SEGMENTS, r"tele", regex=True, whole_word=False)) == 5


def test_search_snippet_marks_the_hit_and_cuts_at_words() -> None:
    found = a.search_segments(SEGMENTS, "sen", context=12)
    assert found["snippet"].tolist() == ["…telefonen, **sen** telefon…"]
    assert (found["before"].iloc[0], found["after"].iloc[0]) == ("telefonen, ", " telefon")


def test_search_bad_input_is_one_line() -> None:
    with pytest.raises(InvalidQuery, match=r"not a valid regular expression \(missing \), "):
        a.search_segments(SEGMENTS, "(tele", regex=True)
    with pytest.raises(InvalidQuery, match="give a word"):
        a.search_segments(SEGMENTS, "  ")


def test_text_contains_ignores_case_keeps_accents() -> None:
    texts = pd.Series(["Här är det", "har det", None, "HÄRLIGT"])
    assert a.text_contains(texts, "här").tolist() == [True, False, False, True]
