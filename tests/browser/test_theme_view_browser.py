"""The theme view in a real JupyterLab on the demo study: open it for information gaps, read
the candidates, expand one, move a quote out, rename, merge, adopt (the new code appears under
information gaps and in the codebook editor, its codings marked as from a theme), undo and
adopt again; Swedish throughout, then English.  Screenshots: ``screenshots/themes-*.png``."""

from __future__ import annotations

from typing import Any

import pytest

import workbench
from workbench.codebook import builtin_codebook
from workbench.i18n import text
from workbench.project import build_demo

from ._lab import SCREENSHOTS, Lab, notebook, run_notebook, screenshot

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
    (lab.root / "themes.ipynb").write_text(notebook(*CELLS), encoding="utf-8")
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


def in_view(page: Any, locator: Any) -> bool:
    """Whether the element is on screen (not above or below the viewport)."""
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_theme_view_browser_says_refusals_beside_the_card(page: Any, lab: Lab) -> None:
    """What a researcher found on the demo in Swedish (issue 18): each card's languages and
    an existing code holding its quotes; a refused adoption said beside a lower card, in
    Swedish, with the form and what was typed kept; empty and duplicate names refused; asked
    before throwing changes away; the number of themes checked; a source filter."""
    page.set_viewport_size({"width": 1440, "height": 900})
    root = lab.root / "demo-issues"
    build_demo(root, progress=False)
    cells = [[
        "import workbench\n",
        "p = workbench.open('demo-issues')\n",
        "p.theme_view('bp-information-gaps', lang='sv')",
    ]]  # fmt: skip
    (lab.root / "issues.ipynb").write_text(notebook(*cells), encoding="utf-8")
    run_notebook(page, lab, "issues.ipynb")
    page.wait_for_selector(f"{VIEW} .vt-card", timeout=90_000)
    view = page.locator(VIEW)
    n_cards = cards(page)

    # every card says its quotes' languages; one says an existing code holds most of them
    langs = view.locator(".vt-card .vt-languages").all_inner_texts()
    assert len(langs) == n_cards
    assert all(part.split(" ")[0] in ("sv", "en") for x in langs for part in x.split(" · "))
    existing = view.locator(".vt-card", has=page.locator(".vt-existing")).last
    said = existing.locator(".vt-existing").inner_text()
    assert " av " in said and "citat är redan kodade ”" in said
    taken = said.split("”")[1]  # the existing code's Swedish label
    screenshot(page, "theme-cards")

    # adopt it under that code's label: refused beside the card, the form and text kept
    label = existing.locator(".vt-label").inner_text()
    existing.scroll_into_view_if_needed()
    existing.locator(".vt-adopt").click()
    form = existing.locator(".vt-adopt-form")
    assert form.locator(".vr-field span").first.inner_text() == "Den nya kodens etikett, på svenska"
    form.locator(".vt-adopt-label").fill(taken.upper())
    form.locator(".vt-adopt-definition").fill(DEFINITION)
    form.locator(".vt-adopt-confirm").click()
    refusal = existing.locator(".vt-card-status[data-state='error']")
    refusal.wait_for(timeout=30_000)
    assert refusal.inner_text().startswith(f"”{taken.upper()}” är redan etiketten för koden ”")
    refusal.scroll_into_view_if_needed()
    assert in_view(page, refusal) and in_view(page, form.locator(".vt-adopt-confirm"))
    assert form.locator(".vt-adopt-label").input_value() == taken.upper()
    assert form.locator(".vt-adopt-definition").input_value() == DEFINITION
    assert existing.locator(".vt-label").inner_text() == label  # not renamed to it
    assert view.locator(".vt-card.vt-adopted").count() == 0
    screenshot(page, "theme-refusal")
    form.locator(".vt-adopt-cancel").click()
    assert existing.locator(".vt-card-status").count() == 0  # put away with the form

    # an empty name, then another card's name: refused beside the card, the field kept
    last = view.locator(".vt-card").last
    first_label = view.locator(".vt-card .vt-label").first.inner_text()
    last.scroll_into_view_if_needed()
    last.locator(".vt-rename-button").click()
    last.locator(".vt-rename-input").fill("   ")
    last.locator(".vt-rename-save").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.vt-theme-view .vt-card-status')]"
        ".some((s) => s.textContent.startsWith('Ett tema behöver ett namn'))"
    )
    assert last.locator(".vt-rename-input").is_visible()  # still open
    last.locator(".vt-rename-input").fill(first_label)
    last.locator(".vt-rename-input").press("Enter")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.vt-theme-view .vt-card-status')]"
        ".some((s) => s.textContent.startsWith('Ett annat förslag heter redan'))"
    )
    assert in_view(page, last.locator(".vt-card-status"))
    last.locator(".vt-rename-input").fill("Svårt att nå någon")
    last.locator(".vt-rename-input").press("Enter")
    status_is(page, "ok", "Bytte namn till ”Svårt att nå någon”")
    assert view.locator(".vt-changes").inner_text() == "1 ändring av dig"

    # finding again asks first; keeping the change keeps it
    view.locator(".vt-find").scroll_into_view_if_needed()
    view.locator(".vt-find").click()
    confirm = view.locator(".vt-confirm")
    confirm.wait_for(state="visible")
    assert confirm.locator(".vt-confirm-text").inner_text() == (
        "Kasta din ändring och hitta teman på nytt?"
    )
    screenshot(page, "theme-confirm")
    confirm.locator(".vt-keep").click()
    confirm.wait_for(state="hidden")
    assert "Svårt att nå någon" in view.locator(".vt-card .vt-label").all_inner_texts()

    # a number of themes above the field's maximum is refused beside the button
    view.locator(".vt-k").fill("31")
    view.locator(".vt-find").click()
    page.wait_for_function(
        "() => document.querySelector('.vt-theme-view .vt-bar-status').textContent"
        ".startsWith('Antalet teman måste vara ett heltal från 1 till 30')"
    )
    assert cards(page) == n_cards

    # survey answers only: asked first, then found among them
    view.locator(".vt-k").fill("")
    view.locator(".vt-source").select_option("survey")
    confirm.wait_for(state="visible")
    confirm.locator(".vt-discard").click()
    page.wait_for_function(
        "() => document.querySelector('.vt-theme-view .vt-summary').textContent"
        ".startsWith('44 citat')",
        timeout=30_000,
    )
    assert view.locator(".vt-source").input_value() == "survey"
    assert view.locator(".vt-changes").inner_text() == ""
    screenshot(page, "theme-survey")


def test_theme_view_browser_a_split_by_language_is_said_plainly(page: Any, lab: Lab) -> None:
    """The demo's negative experiences: the estimate found only Swedish and English quotes, so
    the view says so and shows themes within each language, each card naming its language."""
    page.set_viewport_size({"width": 1440, "height": 900})
    build_demo(lab.root / "demo-split", progress=False)
    cells = [[
        "import workbench\n",
        "p = workbench.open('demo-split')\n",
        "p.theme_view('val-negative', lang='sv')",
    ]]  # fmt: skip
    (lab.root / "split.ipynb").write_text(notebook(*cells), encoding="utf-8")
    run_notebook(page, lab, "split.ipynb")
    page.wait_for_selector(f"{VIEW} .vt-card", timeout=90_000)
    view = page.locator(VIEW)
    note = view.locator(".vt-note")
    assert note.count() == 1 and note.inner_text().startswith(
        "Uppskattningen hittade inget annat än en uppdelning efter språk"
    )
    langs = view.locator(".vt-card .vt-languages").all_inner_texts()
    assert len(langs) > 2 and {x.split(" ")[0] for x in langs} == {"sv", "en"}
    assert all(" · " not in x or int(x.split(" · ")[1].split(" ")[1]) <= 2 for x in langs)
    screenshot(page, "theme-languages")
