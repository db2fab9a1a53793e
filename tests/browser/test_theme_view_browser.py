"""The theme view in a real JupyterLab on the demo study: open it for information gaps, read
the candidates, expand one, move a quote out, rename, merge, adopt (the new code appears under
information gaps and in the codebook editor, its codings marked as from a theme), undo and
adopt again; Swedish throughout, then English.  Screenshots: ``screenshots/themes-*.png``."""

from __future__ import annotations

import json
from typing import Any

import pytest

import workbench
from workbench.codebook import builtin_codebook
from workbench.i18n import text
from workbench.project import build_demo

from ._lab import SCREENSHOTS, Lab, run_notebook, screenshot

pytestmark = pytest.mark.browser

VIEW = ".vt-theme-view"
CELLS = [
    [
        "import workbench\n",
        "p = workbench.open('demo-study')\n",
        "view = p.theme_view('bp-information-gaps', lang='sv')\n",
        "view",
    ],
    ["p.codebook_editor(lang='sv')"],
]
NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": f"c{i}",
            "metadata": {},
            "outputs": [],
            "source": source,
        }
        for i, source in enumerate(CELLS)
    ],
    "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}
GAPS = builtin_codebook().get("bp-information-gaps")
LABEL = "Avgifter och fakturor"
DEFINITION = "Vad avgiften och fakturan avser, och hur timavgiften räknas."


def status_is(page: Any, state: str, starts: str = "") -> None:
    page.wait_for_function(
        """([state, starts]) => {
            const s = document.querySelector('.vt-theme-view .vr-status');
            return s && s.dataset.state === state && s.textContent.startsWith(starts);
        }""",
        arg=[state, starts],
        timeout=30_000,
    )


def cards(page: Any) -> int:
    return int(page.locator(f"{VIEW} .vt-card").count())


def run_cell(page: Any, index: int) -> None:
    page.evaluate(
        "(i) => { const nb = window.jupyterapp.shell.currentWidget.content;"
        " nb.activeCellIndex = i; }",
        index,
    )
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-cell')")


def test_theme_view_browser_rename_merge_adopt_undo(page: Any, lab: Lab) -> None:
    page.set_viewport_size({"width": 1440, "height": 2200})  # room for the cards in shots
    build_demo(lab.root / "demo-study", progress=False)
    (lab.root / "themes.ipynb").write_text(json.dumps(NOTEBOOK), encoding="utf-8")
    run_notebook(page, lab, "themes.ipynb")
    page.wait_for_selector(f"{VIEW} .vt-card", timeout=90_000)
    view = page.locator(VIEW)

    # Swedish everywhere: the title, the code's path, the buttons, the counts
    assert view.locator(".vr-title").inner_text() == "Framväxande teman"
    assert view.locator(".vt-code-chip").inner_text().endswith(GAPS.name("sv"))
    assert view.locator(".vt-summary").inner_text().endswith("deltagare")
    assert view.locator(".vt-adopt").first.inner_text() == "Anta som kod…"
    assert "antalet uppskattat" in view.locator(".vt-found").inner_text()
    children = view.locator(".vt-child .vt-child-label").all_inner_texts()
    assert "Hur man överklagar" in children  # the demo coders' own themes, in Swedish
    screenshot(page, "themes-open", full_page=True)

    # another number of themes
    view.locator(".vt-k").fill("6")
    view.locator(".vt-find").click()
    page.wait_for_function(
        "() => document.querySelectorAll('.vt-theme-view .vt-card').length === 6", timeout=30_000
    )
    assert view.locator(".vt-found").inner_text() == "6 förslag på teman (antalet valt)"
    view.screenshot(path=str(SCREENSHOTS / "themes-candidates.png"))

    # every quote of the first candidate, then leave one out
    first = view.locator(".vt-card").first
    n_first = int(first.locator(".vt-count").inner_text().split(" ")[0])
    first.locator(".vt-toggle").click()
    page.wait_for_function(
        "(n) => document.querySelectorAll('.vt-theme-view .vt-card')[0]"
        ".querySelectorAll('.vt-all .vt-quote').length === n",
        arg=n_first,
    )
    left_out = first.locator(".vt-all .vt-quote").last.get_attribute("data-segment")
    first.locator(".vt-all .vt-quote").last.locator(".vt-move").select_option("drop")
    status_is(page, "ok", "Utelämnade citatet")
    assert view.locator(".vt-left-out h3").text_content() == "Utelämnade (1)"
    assert view.locator(".vt-dropped .vt-quote").get_attribute("data-segment") == left_out
    n_first -= 1

    # rename it
    first.locator(".vt-rename-button").click()
    first.locator(".vt-rename-input").fill(LABEL)
    first.locator(".vt-rename-input").press("Enter")
    status_is(page, "ok", f"Bytte namn till ”{LABEL}”")
    assert first.locator(".vt-label").inner_text() == LABEL
    assert first.locator(".vt-badge").inner_text() == "din etikett"

    # merge the last candidate into it
    last = view.locator(".vt-card").last
    n_last = int(last.locator(".vt-count").inner_text().split(" ")[0])
    last.locator(".vt-merge").select_option(label=LABEL)
    page.wait_for_function(
        "() => document.querySelectorAll('.vt-theme-view .vt-card').length === 5"
    )
    status_is(page, "ok", "Slog ihop")
    merged = view.locator(".vt-card", has=page.locator(".vt-label", has_text=LABEL))
    n_merged = n_first + n_last
    assert merged.locator(".vt-count").inner_text().startswith(f"{n_merged} citat")
    screenshot(page, "themes-edited", full_page=True)

    # adopt: confirm with a definition; the new code shows under information gaps
    merged.locator(".vt-toggle").click()  # the quotes folded again
    page.wait_for_function("() => !document.querySelector('.vt-theme-view .vt-all')")
    merged.locator(".vt-adopt").click()
    form = merged.locator(".vt-adopt-form")
    assert form.locator("h5").inner_text() == f"Anta som kod under ”{GAPS.name('sv')}”"
    assert form.locator(".vt-adopt-label").input_value() == LABEL
    form.locator(".vt-adopt-definition").fill(DEFINITION)
    merged.screenshot(path=str(SCREENSHOTS / "themes-adopt-confirm.png"))
    form.locator(".vt-adopt-confirm").click()
    status_is(page, "ok", f"Antaget som koden ”{LABEL}”")
    adopted = view.locator(".vt-card.vt-adopted")
    assert adopted.locator(".vt-adopted-badge").inner_text() == f"Antaget som koden {LABEL}"
    new = view.locator(".vt-child.vt-new")
    assert new.locator(".vt-child-label").inner_text() == LABEL
    assert new.locator(".vr-count").inner_text() == f"{n_merged} kodade"
    screenshot(page, "themes-adopted", full_page=True)

    project = workbench.open(lab.root / "demo-study", read_only=True)
    try:
        book = project.codebook
        code = next(c for c in book.codes if c.name("sv") == LABEL)
        assert code.parent == "bp-information-gaps" and code.definition == {"sv": DEFINITION}
        codings = project.codings(code=code.id)
        assert len(codings) >= n_merged and set(codings["origin"]) == {"theme"}
        assert set(codings["coder"]) == {"anna"}  # WORKBENCH_CODER of the lab
        assert int(left_out or 0) not in set(codings["segment"])
    finally:
        project.close()

    # the codebook editor (run again) lists the new code
    run_cell(page, 1)
    page.wait_for_function(
        """(label) => [...document.querySelectorAll('.jp-OutputArea-output button')]
            .some((b) => b.textContent.includes(label))""",
        arg=LABEL,
        timeout=30_000,
    )
    screenshot(page, "themes-codebook", full_page=True)

    # undo takes code and codings back; adopting again brings them
    view.locator(".vt-undo").click()
    status_is(page, "ok", f"Tog tillbaka koden ”{LABEL}”")
    assert view.locator(".vt-card.vt-adopted").count() == 0
    assert view.locator(".vt-child.vt-new").count() == 0
    project = workbench.open(lab.root / "demo-study", read_only=True)
    try:
        assert all(c.name("sv") != LABEL for c in project.codebook.codes)
        assert not (project.codings()["origin"] == "theme").any()
    finally:
        project.close()
    merged.locator(".vt-adopt").click()
    merged.locator(".vt-adopt-confirm").click()
    status_is(page, "ok", "Antaget som koden")

    # and in English
    view.locator(".vr-lang").select_option("en")
    page.wait_for_function(
        "(t) => document.querySelector('.vt-theme-view .vr-title').textContent === t",
        arg=text("theme_view_title", "en"),
    )
    assert view.locator(".vt-code-chip").inner_text().endswith(GAPS.name("en"))
    assert view.locator(".vt-adopt").first.inner_text() == "Adopt as code…"
    assert view.locator(".vr-status").inner_text() == ""  # said in Swedish: cleared
    screenshot(page, "themes-english")
