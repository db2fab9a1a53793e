"""The workspace doors of a real project: query, matrix, co-occurrence and search on a
hand-made study whose numbers are counted by hand below."""

from __future__ import annotations

from pathlib import Path

import pytest
from _helpers import numbered, transcript

import workbench
from workbench.codebook import Code, Codebook
from workbench.errors import InvalidCode, InvalidQuery, UnknownItem
from workbench.project import _workspace
from workbench.project._project import Project

BOOK = Codebook(
    id="ws",
    title={"en": "Workspace"},
    codes=(
        Code(id="process", label={"en": "Process", "sv": "Process"}, codable=False),
        Code(id="needs", label={"en": "Needs", "sv": "Behov"}, parent="process"),
        Code(id="trust", label={"en": "Trust", "sv": "Tillit"}, parent="process"),
        Code(id="gap", label={"en": "Information gap", "sv": "Kunskapslucka"}),
        Code(id="neg", label={"en": "Negative", "sv": "Negativ"}),
    ),
)
A1 = "Jag behöver veta när bussen går, men ingen svarar i telefon."
A3 = "Personalen är snäll och jag litar på dem."
B0 = "Telefonen ringer hela dagen, här är det stressigt."
B1 = "Vi saknar information om reglerna."
C0 = "I need a telephone number that works."
DOCS = {
    "a.txt": (
        "sv",
        {"user_type": "external", "district": "Väster"},
        [
            ("Interviewer", "interviewer", "Vad behöver du?"),
            ("Åsa", "interviewee", A1),
            ("Interviewer", "interviewer", "Och personalen?"),
            ("Åsa", "interviewee", A3),
        ],
    ),
    "b.txt": (
        "sv",
        {"user_type": "internal", "district": "Öster"},
        [("Bo", "interviewee", B0), ("Bo", "interviewee", B1)],
    ),
    "c.txt": ("en", {"user_type": "external"}, [("Cy", "interviewee", C0)]),
}


@pytest.fixture
def study(tmp_path: Path) -> Project:
    """P01 (a.txt, external, Väster), P02 (b.txt, internal, Öster), P03 (c.txt, external).

    anna: a1 needs (span "veta när bussen går"), a1 gap, a3 trust, b0 needs, b0 neg, b1 gap,
    c0 needs; erik: a1 needs, a3 trust, a3 neg (span "snäll"), b1 gap.
    """
    project = workbench.init(tmp_path / "study", codebook=BOOK)
    project.store.import_transcripts(
        [
            transcript(
                name,
                turns,
                language=lang,
                participant=next(who for who, role, _ in turns if role == "interviewee"),
                attributes=attrs,
            )
            for name, (lang, attrs, turns) in DOCS.items()
        ],
        user="t",
        participant_pseudonym=numbered,
    )
    seg = {
        (r.document, r.text): (int(r.segment), int(r.start))
        for r in project.segments().itertuples()
    }
    a1, a1_at = seg[("a.txt", A1)]
    a3, a3_at = seg[("a.txt", A3)]
    b0, b1, c0 = seg[("b.txt", B0)][0], seg[("b.txt", B1)][0], seg[("c.txt", C0)][0]
    span = a1_at + A1.index("veta")
    project.code(a1, "needs", coder="anna", start=span, end=span + len("veta när bussen går"))
    for segment, code in ((a1, "gap"), (a3, "trust"), (b0, "needs"), (b0, "neg"), (b1, "gap")):
        project.code(segment, code, coder="anna")
    project.code(c0, "needs", coder="anna")
    for segment, code in ((a1, "needs"), (a3, "trust"), (b1, "gap")):
        project.code(segment, code, coder="erik")
    snall = a3_at + A3.index("snäll")
    project.code(a3, "neg", coder="erik", start=snall, end=snall + len("snäll"))
    return project


def rows(frame: object, *columns: str) -> list[tuple[object, ...]]:
    return [tuple(r) for r in frame[list(columns)].itertuples(index=False)]  # type: ignore[index]


def test_workspace_query_one_code_full_quotes_in_swedish(study: Project) -> None:
    found = study.query("needs")
    assert found.columns.tolist() == _workspace.QUERY_COLUMNS
    assert rows(found, "document", "coder", "label", "quote") == [
        ("a.txt", "anna", "Behov", "veta när bussen går"),
        ("a.txt", "erik", "Behov", A1),
        ("b.txt", "anna", "Behov", B0),
        ("c.txt", "anna", "Behov", C0),
    ]
    assert study.query("needs", lang="en")["label"].unique().tolist() == ["Needs"]
    assert found["participant"].tolist() == ["P01", "P01", "P02", "P03"]


def test_workspace_query_offsets_and_context_come_from_the_document(study: Project) -> None:
    found = study.query("needs", coder="anna", context=10)
    first = found.iloc[0]
    text = study.store.document_text(int(study.documents["document_id"].iloc[0]))
    assert text[first["start"] : first["end"]] == "veta när bussen går"
    assert (first["before"], first["after"]) == ("behöver ", ", men")
    whole = study.query("needs", coder="erik", context=40).iloc[0]
    assert whole["before"] == "Interviewer: Vad behöver du?\n\nÅsa: "  # the question is context
    assert whole["after"] == "\n\nInterviewer: Och personalen?\n\nÅsa:"


def test_workspace_query_and_or_not_per_segment(study: Project) -> None:
    # needs and gap meet on a1 only
    assert rows(study.query("needs and gap"), "code", "coder") == [
        ("gap", "anna"),
        ("needs", "anna"),
        ("needs", "erik"),
    ]
    # for anna, b0 has neg: a1 and c0 remain
    assert rows(study.query("needs & !neg", coder="anna"), "document", "code") == [
        ("a.txt", "needs"),
        ("c.txt", "needs"),
    ]
    # with erik too, a3 has erik's neg: trust is gone, needs on b0 is gone
    assert len(study.query("(needs or trust) and not neg")) == 3
    assert len(study.query(["trust", "neg"])) == 4  # a list is any of


def test_workspace_query_group_code_attributes_and_text(study: Project) -> None:
    # process = needs + trust; external: P01 and P03
    found = study.query("process", user_type="external")
    assert rows(found, "participant", "code", "coder") == [
        ("P01", "needs", "anna"),
        ("P01", "needs", "erik"),
        ("P01", "trust", "anna"),
        ("P01", "trust", "erik"),
        ("P03", "needs", "anna"),
    ]
    assert len(study.query(user_type=["external", "internal"], district="Öster")) == 4
    assert rows(study.query(text="BUSSEN"), "code", "coder") == [
        ("gap", "anna"),
        ("needs", "anna"),
        ("needs", "erik"),
    ]
    assert study.query(text="buss en").empty
    assert len(study.query(document=["b.txt", "c.txt"])) == 5  # P02 four, P03 one


def test_workspace_query_names_what_is_wrong(study: Project) -> None:
    with pytest.raises(InvalidCode, match="unknown code 'tust' at position 11"):
        study.query("needs and tust")
    with pytest.raises(UnknownItem, match=r"coder 'ana' has no codings .*\(coders: anna, erik\)"):
        study.query("needs", coder="ana")
    with pytest.raises(UnknownItem, match="attribute 'region' is not a participant attribute"):
        study.query(region="north")
    with pytest.raises(UnknownItem, match="user_type 'extern' is not a value any participant"):
        study.query(user_type="extern")
    with pytest.raises(UnknownItem, match="document 'x.txt' is not in the project"):
        study.query(document="x.txt")


def test_workspace_matrix_participants_by_attribute(study: Project) -> None:
    table = study.matrix(columns="user_type")
    assert table.index.tolist() == ["Behov", "Tillit", "Kunskapslucka", "Negativ", "Totalt"]
    assert table.columns.tolist() == ["external", "internal", "Totalt"]
    assert table.to_numpy().tolist() == [
        [2, 1, 3],  # needs: P01, P03 | P02
        [1, 0, 1],  # trust: P01
        [1, 1, 2],  # gap: P01 | P02
        [1, 1, 2],  # neg: P01 (erik) | P02
        [2, 1, 3],
    ]


def test_workspace_matrix_segments_with_missing_values(study: Project) -> None:
    table = study.matrix("code", "district", "segments", lang="en")
    assert table.columns.tolist() == ["Väster", "Öster", "(no value)", "Total"]
    assert table.to_numpy().tolist() == [
        [1, 1, 1, 3],  # needs: a1 | b0 | c0
        [1, 0, 0, 1],  # trust: a3
        [1, 1, 0, 2],  # gap: a1 | b1
        [1, 1, 0, 2],  # neg: a3 | b0
        [2, 2, 1, 5],
    ]


def test_workspace_matrix_by_coder_for_an_expression(study: Project) -> None:
    table = study.matrix(columns="coder", code="needs and gap", lang="en")
    assert table.to_dict(orient="index") == {
        "Needs": {"anna": 1, "erik": 1, "Total": 1},
        "Information gap": {"anna": 1, "erik": 0, "Total": 1},
        "Total": {"anna": 1, "erik": 1, "Total": 1},
    }
    only_anna = study.matrix(columns="document", coder="anna", value="segments", lang="en")
    assert only_anna.loc["Negative"].tolist() == [0, 1, 0, 1]  # erik's neg is not counted


def test_workspace_matrix_unknown_axis(study: Project) -> None:
    with pytest.raises(UnknownItem, match="'region' is not one of code, coder, document"):
        study.matrix(columns="region")
    with pytest.raises(InvalidQuery, match="not 'people'"):
        study.matrix(value="people")


def test_workspace_cooccurrence_counts_segments_and_participants(study: Project) -> None:
    table = study.cooccurrence(lang="en")
    assert table.index.tolist() == ["Needs", "Trust", "Information gap", "Negative"]
    assert table.to_numpy().tolist() == [
        [3, 0, 1, 1],  # needs a1 b0 c0; gap on a1; neg on b0
        [0, 1, 0, 1],  # trust a3; erik's neg on a3
        [1, 0, 2, 0],
        [1, 1, 0, 2],
    ]
    annas = study.cooccurrence(coder="anna", lang="en")
    assert annas.loc["Trust", "Negative"] == 0 and annas.loc["Negative", "Negative"] == 1
    people = study.cooccurrence(value="participants", code=["needs", "neg"])
    assert people.to_numpy().tolist() == [[3, 1], [1, 2]]


def test_workspace_search_offsets_whole_words_and_roles(study: Project) -> None:
    found = study.search("telefon")
    assert rows(found, "document", "participant", "start", "end", "match") == [
        ("a.txt", "P01", 87, 94, "telefon")  # "telephone" and "Telefonen" are other words
    ]
    text = study.store.document_text(int(study.documents["document_id"].iloc[0]))
    assert text[87:94] == "telefon"
    assert found["snippet"].iloc[0].endswith("svarar i **telefon**.")
    assert len(study.search("telefon", whole_word=False)) == 2
    assert rows(study.search("HÄR"), "document", "match") == [("b.txt", "här")]
    assert study.search("har").empty
    assert len(study.search("behöver")) == 1
    assert len(study.search("behöver", role=None)) == 2  # the interviewer's question too
    assert len(study.search(r"tele\w+", regex=True, document="c.txt")) == 1


def test_workspace_default_language_is_the_documents_majority(study: Project) -> None:
    assert _workspace.default_lang(study) == "sv"
    assert _workspace.attribute_values(study) == {
        "district": ["Väster", "Öster"],
        "user_type": ["external", "internal"],
    }
