"""Emergent themes in a project: the quotes p.themes reads, its frame, and adopting a theme as
a child code in one audited, undoable transaction (on SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from _helpers import import_interview, transcript

import workbench
from workbench import analysis as a
from workbench.analysis._themes import THEME_COLUMNS
from workbench.codebook import Code, Codebook
from workbench.errors import AnalysisError, InvalidCode, UnknownItem, WorkbenchError
from workbench.project import _themes
from workbench.store import AuditAction, Origin
from workbench.store._store import Store

BOOK = Codebook(
    id="t",
    title={"en": "T", "sv": "T"},
    codes=(
        Code(id="process", label={"en": "Process", "sv": "Process"}, codable=False),
        Code(
            id="gaps",
            label={"en": "Information gaps", "sv": "Informationsglapp"},
            parent="process",
            color="#c0392b",
        ),
        Code(id="fees-old", label={"en": "Fees", "sv": "Avgifter"}, parent="gaps"),
        Code(id="needs", label={"en": "Needs", "sv": "Behov"}, parent="process"),
    ),
)
# Three information gaps, four quotes each, then two needs and two texts nobody coded.
TOPICS = {
    "fees": [
        "Nobody explained how the annual fee for the café is calculated.",
        "The invoice showed an hourly fee and we could not see what the fee was for.",
        "We paid the fee twice because the second invoice looked like a new fee.",
        "What does the fee on the invoice cover, the visit or the report?",
    ],
    "appeal": [
        "How do I appeal the decision about our kitchen?",
        "Nobody said where to send an appeal against the decision.",
        "The appeal had to reach the court within three weeks of the decision.",
        "We wanted to appeal the decision but the letter never said how.",
    ],
    "register": [
        "Which municipality do I register the food truck with?",
        "We did not know that a food truck must register with the municipality.",
        "The register form of the municipality asks about the food truck twice.",
        "Where to register the food truck was the hardest question of all.",
    ],
}
OTHER = [
    "We need someone to call when the inspector has left.",
    "A checklist for new businesses would help us a lot.",
    "The truck is parked by the harbour most days in summer.",
    "My sister runs the kitchen on weekends and bakes the bread.",
]
TEXTS = [t for group in TOPICS.values() for t in group] + OTHER


def build(folder: Path, db: str | None = None) -> workbench.Project:
    """``BOOK``, one interview of :data:`TEXTS` (turns alternate P01's and P02's voice: one
    participant per document, so all are P01), the gaps coded by anna, the first two quotes of
    each gap also by erik, the needs by anna."""
    p = workbench.init(folder, db=db, codebook=BOOK)
    p.coder = "lead"
    ids = import_interview(p, TEXTS)
    for i in range(12):
        p.code(ids[i], "gaps", coder="anna")
        if i % 4 < 2:
            p.code(ids[i], "gaps", coder="erik")
    p.code(ids[12], "needs", coder="anna")
    p.code(ids[13], "needs", coder="anna")
    return p


@pytest.fixture
def project(tmp_path: Path, db: str | None) -> Iterator[workbench.Project]:
    p = build(tmp_path / "s", db)
    yield p
    p.close()


@pytest.fixture
def local(tmp_path: Path) -> Iterator[workbench.Project]:
    """The same study on SQLite only, for what does not touch the store's writes."""
    p = build(tmp_path / "s")
    yield p
    p.close()


def _ids(p: workbench.Project) -> list[int]:
    return [int(s) for s in p.segments()["segment"]]


def _groups(frame: pd.DataFrame) -> set[tuple[int, ...]]:
    return {tuple(s) for s in frame["segments"]}


def _state(p: workbench.Project) -> tuple[int, list[str], list[tuple[int, str, str, str]], int]:
    """Codebook version, code ids, codings (segment, code, coder, origin) and audit rows."""
    codings = p.codings()
    rows = sorted(
        zip(codings["segment"], codings["code"], codings["coder"], codings["origin"], strict=True)
    )
    return p.codebook_version, p.codebook.ids(), rows, len(p.store.audit_frame())


# -- the quotes --------------------------------------------------------------------------------
def test_theme_quotes_reads_the_code_and_its_children_once_per_segment(
    local: workbench.Project,
) -> None:
    ids = _ids(local)
    local.code(ids[14], "fees-old", coder="erik")  # a child code's quote is the parent's too
    read = _themes.theme_quotes(local, "gaps")
    assert list(read.quotes.columns) == _themes.QUOTE_COLUMNS
    assert list(read.quotes["segment"]) == [*ids[:12], ids[14]]  # anna's and erik's: once
    assert list(read.quotes["text"]) == [*TEXTS[:12], TEXTS[14]]
    assert set(read.quotes["language"]) == {"en"} and read.language == "en"
    assert sorted(read.background) == sorted([TEXTS[12], TEXTS[13], TEXTS[15]])
    only_erik = _themes.theme_quotes(local, "gaps", coder="erik").quotes
    assert list(only_erik["segment"]) == [ids[i] for i in (0, 1, 4, 5, 8, 9, 14)]


def test_theme_quotes_are_the_coded_spans_joined(local: workbench.Project) -> None:
    segments = local.segments().set_index("segment")
    sid = _ids(local)[14]
    start = int(segments.at[sid, "start"])
    text = TEXTS[14]
    truck, harbour = text.index("truck"), text.index("harbour")
    local.code(sid, "gaps", coder="anna", start=start + truck, end=start + truck + 5)
    local.code(sid, "gaps", coder="erik", start=start + truck + 2, end=start + truck + 8)
    local.code(sid, "gaps", coder="erik", start=start + harbour, end=start + harbour + 7)
    row = _themes.theme_quotes(local, "gaps").quotes.set_index("segment").loc[sid]
    assert row["text"] == "truck is … harbour"  # overlapping spans joined, separate ones not
    assert row["spans"] == [
        (start + truck, start + truck + 8),
        (start + harbour, start + harbour + 7),
    ]


def test_theme_quotes_leave_out_codings_from_adopted_themes(local: workbench.Project) -> None:
    sid = _ids(local)[15]
    local.code(sid, "fees-old", coder="anna", origin=Origin.THEME)
    assert sid not in set(_themes.theme_quotes(local, "gaps").quotes["segment"])
    local.code(sid, "fees-old", coder="erik", origin=Origin.SUGGESTION)  # accepted: a reading
    assert sid in set(_themes.theme_quotes(local, "gaps").quotes["segment"])


# -- the frame ---------------------------------------------------------------------------------
def test_themes_frame_finds_the_three_gaps(local: workbench.Project) -> None:
    ids = _ids(local)
    frame = local.themes("gaps", k=3)
    assert list(frame.columns) == THEME_COLUMNS + _themes.EXTRA_COLUMNS
    assert frame["existing"].isna().all() and (frame["n_existing"] == 0).all()
    assert _groups(frame) == {tuple(ids[0:4]), tuple(ids[4:8]), tuple(ids[8:12])}
    assert list(frame["theme"]) == [1, 2, 3]
    by_first = {row.segments[0]: row for row in frame.itertuples()}
    assert "fee" in by_first[ids[0]].terms and "appeal" in by_first[ids[4]].terms
    assert "register" in by_first[ids[8]].terms
    assert by_first[ids[8]].label == "food truck"  # a phrase its quotes share
    for row in frame.itertuples():
        assert row.participants == ["P01"] and row.n_participants == 1 and row.n_segments == 4
        assert len(row.typical) == 3 and set(row.typical) <= set(TEXTS)
        assert row.label and row.label not in BOOK.ids()  # words of the quotes, not an id


def test_themes_estimates_k_and_is_deterministic_for_a_seed(local: workbench.Project) -> None:
    first = local.themes("gaps")
    assert len(first) == 3
    pd.testing.assert_frame_equal(first, local.themes("gaps"))
    pd.testing.assert_frame_equal(
        local.themes("gaps", k=2, seed=3), local.themes("gaps", k=2, seed=3)
    )


def test_themes_for_one_coder_and_without_quotes(local: workbench.Project) -> None:
    ids = _ids(local)
    erik = local.themes("gaps", coder="erik", k=3)
    assert _groups(erik) == {tuple(ids[0:2]), tuple(ids[4:6]), tuple(ids[8:10])}
    empty = local.themes("needs", coder="erik")
    assert empty.empty and list(empty.columns) == THEME_COLUMNS + _themes.EXTRA_COLUMNS
    with pytest.raises(_themes.UnknownCoder) as caught:
        local.themes("gaps", coder="nobody")
    assert str(caught.value) == (
        "coder 'nobody' has coded nothing in this project (coders: anna, erik)"
    )


@pytest.mark.parametrize(
    ("code", "kwargs", "error", "message"),
    [
        ("nope", {}, UnknownItem, "code 'nope' is not in the codebook"),
        ("gaps", {"k": 0}, AnalysisError, "themes: k must be at least 1, not 0"),
    ],
)
def test_themes_refuses_in_one_line(
    local: workbench.Project,
    code: str,
    kwargs: dict[str, int],
    error: type[WorkbenchError],
    message: str,
) -> None:
    with pytest.raises(error) as caught:
        local.themes(code, **kwargs)  # type: ignore[arg-type]
    assert str(caught.value) == message


# -- adopting ----------------------------------------------------------------------------------
def test_adopt_theme_writes_code_and_codings_in_one_audited_version(
    project: workbench.Project,
) -> None:
    ids = _ids(project)
    version, codes, codings, audit = _state(project)
    code_id = project.adopt_theme(
        "gaps", "  What the fee   is for ", ids[0:4], definition="Not knowing what a fee covers."
    )
    assert code_id == "what-the-fee-is-for"
    book = project.codebook
    code = book.get(code_id)
    assert code.parent == "gaps" and code.color == "#c0392b"
    assert code.label == {"en": "What the fee is for"}  # no Swedish label made up
    assert code.definition == {"en": "Not knowing what a fee covers."}
    assert book.children("gaps")[-1].id == code_id
    assert project.codebook_version == version + 1
    added = project.codings(code=code_id)
    assert sorted(added["segment"]) == ids[0:4]
    assert set(added["coder"]) == {"lead"} and set(added["origin"]) == {"theme"}
    assert list(added["quote"]) == TEXTS[0:4]  # the whole coded turns
    trail = project.store.audit_frame()
    assert len(trail) == audit + 1  # ONE audit row for the version and its codings
    last = trail.iloc[-1]
    assert last["action"] == AuditAction.CODEBOOK_VERSION and bool(last["undoable"])
    assert last["coder"] == "lead"
    assert _state(project)[2] == sorted(
        [*codings, *((s, code_id, "lead", "theme") for s in ids[0:4])]
    )
    assert codes == [c for c in project.codebook.ids() if c != code_id]


def test_adopt_theme_undo_removes_code_and_codings_and_redo_brings_them_back(
    project: workbench.Project,
) -> None:
    ids = _ids(project)
    before = _state(project)
    code_id = project.adopt_theme("gaps", "Appeals", ids[4:8])
    undone = project.undo()
    assert undone is not None and undone["theme"] == {
        "code": code_id,
        "label": "Appeals",
        "parent": "gaps",
    }
    version, codes, codings, _ = _state(project)
    assert (codes, codings) == (before[1], before[2]) and code_id not in project.codebook
    assert version == before[0] + 2  # undo saves the earlier codebook again, as a new version
    redone = project.redo()
    assert redone is not None
    assert code_id in project.codebook
    assert sorted(project.codings(code=code_id)["segment"]) == ids[4:8]
    assert set(project.codings(code=code_id)["origin"]) == {"theme"}
    project.undo()
    assert _state(project)[1:3] == before[1:3]


def test_adopt_theme_by_another_coder_is_theirs_to_undo(project: workbench.Project) -> None:
    ids = _ids(project)
    code_id = project.adopt_theme("gaps", "Registering", ids[8:12], coder="erik", lang="sv")
    assert set(project.codings(code=code_id)["coder"]) == {"erik"}
    assert project.undo() is None  # lead has nothing to undo
    assert code_id in project.codebook
    assert project.undo("erik") is not None
    assert code_id not in project.codebook and project.codings(code=code_id).empty


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        (("nope", "X", [1]), {}, UnknownItem, "code 'nope' is not in the codebook"),
        (
            ("gaps", "  ", [1]),
            {},
            InvalidCode,
            "a theme under 'gaps' needs a label to become a code",
        ),
        (
            ("gaps", "Fees", []),
            {},
            AnalysisError,
            "theme 'Fees': no quotes chosen; a theme needs at least one",
        ),
        (
            ("gaps", "fees", [1]),
            {},
            _themes.ThemeLabelTaken,
            "'fees' is already the label of the code 'fees-old'",
        ),
        (  # a label in the other language, of a code elsewhere in the codebook
            ("gaps", "  behov ", [1]),
            {},
            _themes.ThemeLabelTaken,
            "'behov' is already the label of the code 'needs'",
        ),
        (
            ("gaps", "Money", [1]),
            {"other_label": "PROCESS", "lang": "en"},
            _themes.ThemeLabelTaken,
            "'PROCESS' is already the label of the code 'process'",
        ),
        (
            ("gaps", "Harbour", [15, 16, 999]),
            {},
            UnknownItem,
            "theme 'Harbour': segment(s) 15, 16, 999 hold no quote of 'gaps'; a theme gathers "
            "quotes of its parent code",
        ),
        (("gaps", "X", [1]), {"lang": "de"}, UnknownItem, "language 'de' is not one of sv, en"),
    ],
)
def test_adopt_theme_refuses_in_one_line_and_changes_nothing(
    project: workbench.Project,
    args: tuple[str, str, list[int]],
    kwargs: dict[str, str],
    error: type[WorkbenchError],
    message: str,
) -> None:
    before = _state(project)
    with pytest.raises(error) as caught:
        project.adopt_theme(*args, **kwargs)
    assert str(caught.value) == message and "\n" not in message
    assert _state(project) == before


def test_adopt_theme_failing_midway_leaves_nothing(
    project: workbench.Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _ids(project)
    before = _state(project)
    inserted: list[int] = []
    original = Store._insert_ignore

    def flaky(self: Store, conn: object, table: object, values: dict[str, object]) -> bool:
        if values.get("origin") == Origin.THEME:
            inserted.append(int(values["segment_id"]))  # type: ignore[call-overload]
            if len(inserted) == 3:
                raise RuntimeError("disk full")
        return original(self, conn, table, values)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "_insert_ignore", flaky)
    with pytest.raises(RuntimeError, match="disk full"):
        project.adopt_theme("gaps", "What the fee is for", ids[0:4])
    assert len(inserted) == 3  # the version and two codings were written, then rolled back
    monkeypatch.undo()
    assert _state(project) == before
    assert "what-the-fee-is-for" not in project.codebook
    assert project.undo() is None  # and nothing is left to undo


def test_adopted_theme_refines_the_consensus_and_leaves_agreement_alone(
    local: workbench.Project,
) -> None:
    """The researcher who adopts a theme ("lead") does not become a third coder who outvotes
    anna and erik: the consensus keeps what it kept, plus the theme where its parent is agreed,
    and agreement is measured on the coders' own codings only."""
    ids = _ids(local)
    before = a.codings_frame(local, "consensus")
    alpha = local.agreement(bootstrap=0)
    code_id = local.adopt_theme("gaps", "Fee questions", ids[0:4])
    after = a.codings_frame(local, "consensus")
    own = after[after["code"] != code_id]
    assert own[["segment", "code"]].values.tolist() == before[["segment", "code"]].values.tolist()
    assert sorted(after.loc[after["code"] == code_id, "segment"]) == ids[0:2]  # gaps agreed
    assert str(local.agreement(bootstrap=0)) == str(alpha)
    assert set(local.disagreements()["segment"]) <= set(ids)
    assert "lead" not in str(local.agreement(bootstrap=0))


def test_adopt_theme_labels_in_the_language_given_and_no_empty_definition(
    project: workbench.Project,
) -> None:
    ids = _ids(project)
    sv = project.adopt_theme(
        "gaps", "Överklaga", ids[4:8], lang="sv", other_label=" How to  appeal ", definition=" "
    )
    code = project.codebook.get(sv)
    assert code.label == {"sv": "Överklaga", "en": "How to appeal"}
    assert code.definition == {}
    entry = project.codebook.to_yaml().split(f"id: {sv}")[1].split("- id:")[0]
    assert "definition" not in entry  # nothing stored for an empty definition
    only = project.adopt_theme("gaps", "Registrera", ids[8:12], lang="sv")
    assert project.codebook.get(only).label == {"sv": "Registrera"}


def test_adopt_theme_refuses_the_same_quotes_twice(project: workbench.Project) -> None:
    ids = _ids(project)
    first = project.adopt_theme("gaps", "Fee meaning", ids[0:4])
    before = _state(project)
    with pytest.raises(_themes.ThemeAdoptedAlready) as caught:
        project.adopt_theme("gaps", "Fee meaning again", list(reversed(ids[0:4])))
    assert str(caught.value) == f"these 4 quotes were already adopted as the code '{first}'"
    assert _state(project) == before
    project.adopt_theme("gaps", "Fees, some", ids[0:3])  # another set of quotes: a new code


def test_themes_say_which_existing_code_holds_a_candidates_quotes(
    local: workbench.Project,
) -> None:
    ids = _ids(local)
    for s in ids[0:3]:
        local.code(s, "fees-old", coder="anna")
    frame = local.themes("gaps", k=3)
    by_first = {row.segments[0]: row for row in frame.itertuples()}
    assert (by_first[ids[0]].existing, by_first[ids[0]].n_existing) == ("fees-old", 3)
    assert by_first[ids[4]].existing is None and by_first[ids[4]].n_existing == 0
    assert _themes.most_coded({1: {"a", "b"}, 2: {"b"}}, [1, 2, 3]) == ("b", 2)
    assert _themes.most_coded({}, [1]) is None


def test_themes_of_one_source_keep_interviews_and_survey_answers_apart(
    local: workbench.Project,
) -> None:
    answers = ["The fee on the invoice was never explained.", "Nobody told us how to appeal."]
    doc = dataclasses.replace(
        transcript("survey.csv", [("R1", "interviewee", t) for t in answers], language="en"),
        format="csv",
    )
    local.store.import_transcripts([doc], user="t", participant_pseudonym=lambda lab, kn: "S01")
    new = [int(s) for s in local.segments()["segment"]][-2:]
    for s in new:
        local.code(s, "gaps", coder="anna")
    ids = _ids(local)
    every = _themes.theme_quotes(local, "gaps")
    assert set(new) <= set(every.quotes["segment"])
    survey = _themes.theme_quotes(local, "gaps", source="survey")
    assert list(survey.quotes["segment"]) == new
    interviews = local.themes("gaps", k=3, source="interviews")
    assert _groups(interviews) == {tuple(ids[0:4]), tuple(ids[4:8]), tuple(ids[8:12])}
    with pytest.raises(UnknownItem, match="source 'web' is not one of interviews, survey"):
        local.themes("gaps", source="web")


def test_curation_is_kept_per_code_researcher_and_coder(project: workbench.Project) -> None:
    ids = _ids(project)
    kept = _themes.Curation(
        k=None,
        source="survey",
        seed=3,
        quotes=tuple(ids[0:8]),
        candidates=(
            _themes.CuratedTheme(
                tuple(ids[0:4]), "Fees", "fee, invoice", True, ("fee",), (ids[1],)
            ),
            _themes.CuratedTheme(tuple(ids[4:7]), "appeal", "appeal", False, adopted="x"),
        ),
        dropped=(ids[7],),
        changes=2,
    )
    _themes.save_curation(project, "gaps", "lead", None, kept)
    assert _themes.load_curation(project, "gaps", "lead", None) == kept
    assert _themes.load_curation(project, "gaps", "lead", "erik") is None
    assert _themes.load_curation(project, "gaps", "erik", None) is None
    assert _themes.load_curation(project, "needs", "lead", None) is None
    _themes.clear_curation(project, "gaps", "lead", None)
    assert _themes.load_curation(project, "gaps", "lead", None) is None
    project.store.set_meta("themes:gaps:lead:*", '{"k": 1}')  # a format it cannot read
    assert _themes.load_curation(project, "gaps", "lead", None) is None
