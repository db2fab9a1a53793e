"""Suggestions inside a project: fit, store, refit on codebook change, review queue, tagger."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from _helpers import SUGGEST_TEXTS, suggest_project

import workbench
from workbench.codebook import rename_code
from workbench.errors import SuggestError
from workbench.project import _suggestions


@pytest.fixture
def project(tmp_path: Path) -> Iterator[workbench.Project]:
    p = suggest_project(tmp_path / "s")
    yield p
    p.close()


def test_suggestions_fit_store_and_load(project: workbench.Project) -> None:
    model = _suggestions.fit(project)
    loaded = _suggestions.load(project, refit=False)
    assert loaded is not None
    text = SUGGEST_TEXTS["fq-accessibility"][2]
    assert loaded.suggest(text, k=1)[0].code == model.suggest(text, k=1)[0].code
    assert loaded.suggest(text, k=1)[0].code == "fq-accessibility"


def test_suggestions_codebook_change_needs_refit(project: workbench.Project) -> None:
    _suggestions.fit(project)
    project.set_codebook(rename_code(project.codebook, "bp-needs", "Needs (renamed)"))
    assert _suggestions.load(project, refit=False) is None
    assert _suggestions.load(project) is not None  # refitted for the new codebook
    assert _suggestions.load(project, refit=False) is not None


def test_suggestions_apply_fills_queue_without_codings(project: workbench.Project) -> None:
    before = len(project.codings())
    queued = _suggestions.apply(project, min_confidence=0.05)
    queue = project.store.suggestion_queue_frame()
    assert queued == len(queue) > 0
    assert len(project.codings()) == before
    assert set(queue["segment"]) & set(project.codings()["segment"]) == set()


def test_suggestions_live_in_tagger_learn_from_new_codings(project: workbench.Project) -> None:
    tagger = project.tagger(coder="anna")
    live = tagger.session._suggest
    ranked = live(SUGGEST_TEXTS["bp-information-gaps"][2])
    assert ranked and ranked[0][1] >= ranked[-1][1]
    assert ranked[0][2] and not ranked[0][2].startswith("because")  # the words; the tagger says why
    frame = project.segments()
    sid = int(frame.loc[frame["text"] == SUGGEST_TEXTS["fq-accessibility"][2], "segment"].iloc[0])
    project.code(sid, "fq-accessibility", coder="anna")
    live("anything")
    live._thread.join(timeout=30)
    assert live._known[sid] == ("fq-accessibility",)


def test_suggestions_report_needs_enough_codings(project: workbench.Project) -> None:
    with pytest.raises(SuggestError, match="coded segments"):
        _suggestions.report(project)
