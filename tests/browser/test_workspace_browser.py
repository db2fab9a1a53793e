"""The researcher's workspace in a real JupyterLab: search hits coded as spans, new codes and
in-vivo codes from the tagger, the memo browser's journal across a reload, every visible
string Swedish with ``lang="sv"`` (tagger, memo browser, codebook editor), and the tagger's
coding loop and review queue on one 1440 x 900 screen with the demo study.

Screenshots land in ``screenshots/workspace-*.png``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from _helpers import numbered, transcript

import workbench
from workbench.i18n import STRINGS, text
from workbench.project import build_demo

from ._lab import SCREENSHOTS, Lab, run_notebook, run_tagger, screenshot, write_notebook
from .test_tagger_browser import BOOK, saved, select_text, sv

pytestmark = pytest.mark.browser

FIRST = "Jag behöver veta när bussen går, annars kommer jag för sent till jobbet."
SECOND = "Ingen sa något om avgiften, så jag väntade i en halvtimme i telefonkön."
THIRD = "Personalen är snäll, det litar jag på."
TURNS = [
    ("Intervjuare", "interviewer", "Hur ser en vanlig morgon ut?"),
    ("Åsa", "interviewee", FIRST),
    ("Intervjuare", "interviewer", "Och när du ringde?"),
    ("Åsa", "interviewee", SECOND),
    ("Åsa", "interviewee", THIRD),
]


def study(folder: Path) -> None:
    """A Swedish interview (speakers too) coded against the tagger tests' Swedish codebook."""
    project = workbench.init(folder, codebook=BOOK)
    doc = transcript(
        "morgon.txt",
        TURNS,
        language="sv",
        participant="Åsa",
        attributes={"district": "Väster", "user_type": "external"},
        times=lambda i: (15.0 * i + 5, 15.0 * i + 14),
    )
    project.store.import_transcripts([doc], user="t", participant_pseudonym=numbered)
    project.close()


def page_shot(name: str) -> Path:
    """Where an element's screenshot ``name`` goes (the folder is git-ignored)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS / f"{name}.png"


def segment_ids(folder: Path) -> list[int]:
    with workbench.open(folder, read_only=True) as p:
        return [int(s) for s in p.segments(role="interviewee")["segment"]]


def shown(page: Any, words: str) -> None:
    """Wait until the tagger shows the turn ``words``."""
    page.wait_for_function(
        "(t) => document.querySelector('.vt-text').textContent === t", arg=words, timeout=10_000
    )


# -- search hits ------------------------------------------------------------------------------
def test_workspace_browser_search_hits_coded_as_a_span(page: Any, lab: Lab) -> None:
    folder = lab.root / "search-study"
    study(folder)
    write_notebook(
        lab.root / "search.ipynb",
        f"import workbench\np = workbench.open({str(folder)!r}, coder='anna')\n"
        "p.tagger(suggest=None)",
    )
    run_tagger(page, lab, "search.ipynb")
    shown(page, FIRST)

    box = page.locator(".vt-search-input")
    box.fill("JAG")  # case does not matter
    box.press("Enter")
    rows = page.locator(".vt-hit-row")
    page.wait_for_function("() => document.querySelectorAll('.vt-hit-row').length === 4")
    assert page.locator(".vt-hit-row mark.vt-hit").all_inner_texts() == ["Jag", "jag", "jag", "jag"]
    assert sv("search_hits", n=4) in page.locator(".vt-search-head").inner_text()
    third = rows.nth(2).inner_text()
    assert "så" in third and "väntade i en halvtimme" in third  # the hit in its context
    assert rows.nth(2).locator(".vt-hit-doc").inner_text() == "morgon.txt"
    page.locator(".vt-root").screenshot(path=str(page_shot("workspace-search-hits")))

    rows.nth(2).click()  # the hit in the second turn: shown, its word marked
    shown(page, SECOND)
    assert page.locator(".vt-text mark.vt-hit").inner_text() == "jag"
    page.locator(".vt-text").click()
    page.keyboard.press("t")  # a code's key codes exactly the hit
    saved(page, sv("added_span", label="Tillit"))
    assert page.locator(".vt-applied .vt-chip-quote").inner_text() == "“jag”"

    box.fill("telefon")  # whole words: "telefonkön" is not "telefon"
    box.press("Enter")
    page.wait_for_function(
        "(t) => document.querySelector('.vt-search-head').textContent.includes(t)",
        arg=sv("search_none"),
    )
    page.locator(".vt-search .vt-search-whole").uncheck()
    page.wait_for_function("() => document.querySelectorAll('.vt-hit-row').length === 1")
    assert page.locator(".vt-hit-row mark.vt-hit").inner_text() == "telefon"
    screenshot(page, "workspace-search")

    with workbench.open(folder, read_only=True) as p:
        codings = p.codings("anna")
        sid = segment_ids(folder)[1]
        start = int(p.segments().set_index("segment").loc[sid, "start"])
    assert [(r.segment, r.code, r.quote) for r in codings.itertuples(index=False)] == [
        (sid, "trust", "jag")
    ]
    at = SECOND.index("jag")
    assert (int(codings["start"].iloc[0]), int(codings["end"].iloc[0])) == (
        start + at,
        start + at + 3,
    )


# -- new codes while coding ----------------------------------------------------------------------
def test_workspace_browser_new_code_and_in_vivo(page: Any, lab: Lab) -> None:
    folder = lab.root / "new-code-study"
    study(folder)
    write_notebook(
        lab.root / "new-code.ipynb",
        f"import workbench\np = workbench.open({str(folder)!r}, coder='anna')\n"
        "p.tagger(suggest=None)",
    )
    run_tagger(page, lab, "new-code.ipynb")
    shown(page, FIRST)
    with workbench.open(folder, read_only=True) as p:
        version = p.codebook_version

    # a named code under a chosen parent, applied to the whole turn at once
    page.locator(".vt-new-code").click()
    form = page.locator(".vt-new-form")
    form.wait_for(state="visible")
    page.locator(".vt-new-label").fill("Tidspress")
    page.locator(".vt-new-parent").select_option("process")
    page.locator(".vt-root").screenshot(path=str(page_shot("workspace-new-code")))
    form.locator("button[type=submit]").click()
    saved(page, sv("created_code", label="Tidspress", parent="“Vardagsprocess”"))
    form.wait_for(state="hidden")
    new = page.locator("button.vt-code", has_text="Tidspress")
    assert new.get_attribute("aria-pressed") == "true"
    assert new.get_attribute("data-parent") == "process"

    # in vivo: the selected words become the code's label, coded on exactly those words
    page.locator(".vt-text").click()
    page.keyboard.press("ArrowRight")
    shown(page, SECOND)
    select_text(page, "väntade i en halvtimme")
    page.locator(".vt-in-vivo").click()
    form.wait_for(state="visible")
    assert page.locator(".vt-new-label").input_value() == "väntade i en halvtimme"
    page.locator(".vt-new-parent").select_option("")
    form.locator("button[type=submit]").click()
    saved(page, sv("created_code", label="väntade i en halvtimme", parent=sv("top_level")))
    assert page.locator(".vt-applied .vt-chip-quote").inner_text() == "“väntade i en halvtimme”"
    screenshot(page, "workspace-in-vivo")

    ids = segment_ids(folder)
    with workbench.open(folder, read_only=True) as p:
        book = p.codebook
        made = [c for c in book.codes if c.id not in {x.id for x in BOOK.codes}]
        rows = sorted(
            (int(r.segment), r.code, r.quote) for r in p.codings("anna").itertuples(index=False)
        )
        audit = p.store.audit_frame("anna")["action"].tolist()
        final = p.codebook_version
    assert [(c.name("sv"), c.parent) for c in made] == [
        ("Tidspress", "process"),
        ("väntade i en halvtimme", None),
    ]
    assert rows == sorted(
        [(ids[0], made[0].id, FIRST), (ids[1], made[1].id, "väntade i en halvtimme")]
    )
    assert final == version + 2  # each new code a codebook version
    assert audit == ["codebook.version", "coding.add", "codebook.version", "coding.add"]


# -- the memo browser ----------------------------------------------------------------------------
def test_workspace_browser_memo_browser_journal_survives_a_reload(page: Any, lab: Lab) -> None:
    folder = lab.root / "memo-browser-study"
    study(folder)
    ids = segment_ids(folder)
    with workbench.open(folder, coder="erik") as p:
        p.memo("segment", ids[1], "Avgiften: samma lucka som hos P03?")
    write_notebook(
        lab.root / "memos.ipynb",
        f"import workbench\np = workbench.open({str(folder)!r}, coder='anna')\n"
        "p.memo_browser(lang='en')",
    )
    run_notebook(page, lab, "memos.ipynb")
    page.wait_for_selector(".vm-root .vm-memo", timeout=45_000)
    today = dt.date.today().isoformat()
    assert page.locator(".vm-journal-label").inner_text() == f"Project journal for {today} · anna"
    card = page.locator(".vm-memo").first
    assert card.locator(".vm-on").inner_text() == "morgon.txt · turn 4"
    assert card.locator(".vm-kind").inner_text().lower() == "segment"
    assert "erik" in card.locator(".vm-meta").inner_text()

    journal = page.locator(".vm-journal-text")
    journal.click()
    cells = page.locator(".jp-Notebook .jp-Cell").count()
    page.keyboard.type("Kodade morgon.txt; avgifterna återkommer")
    assert page.locator(".jp-Notebook .jp-Cell").count() == cells  # "a", "d d": no cell edits
    page.wait_for_function(
        "() => document.querySelector('.vm-status').dataset.state === 'saved'", timeout=10_000
    )
    page.wait_for_function("() => document.querySelectorAll('.vm-memo').length === 2")
    assert page.locator(".vm-memo").first.locator(".vm-on").inner_text() == (
        f"Project journal, {today}"
    )
    page.locator(".vm-title").click()  # the box loses focus
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    page.wait_for_function(
        "() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=10_000
    )

    page.reload()  # the saved notebook's output shows the live widget again
    page.wait_for_selector(".vm-root .vm-journal-text", timeout=45_000)
    page.wait_for_function(
        "(t) => document.querySelector('.vm-journal-text').value === t",
        arg="Kodade morgon.txt; avgifterna återkommer",
        timeout=20_000,
    )
    journal = page.locator(".vm-journal-text")
    journal.click()  # in and out without typing: nothing is written
    page.locator(".vm-title").click()
    journal.click()
    page.keyboard.press("End")
    page.keyboard.type(", fråga P01")
    page.locator(".vm-title").click()
    page.wait_for_function(
        "() => document.querySelector('.vm-status').dataset.state === 'saved'", timeout=10_000
    )
    screenshot(page, "workspace-memo-browser")

    # filter by a word, then open the segment memo in the tagger below
    page.locator(".vm-f-word").fill("avgift")
    page.wait_for_function("() => document.querySelectorAll('.vm-memo').length === 2")
    page.locator(".vm-f-kind").select_option("segment")
    page.wait_for_function("() => document.querySelectorAll('.vm-memo').length === 1")
    assert page.locator(".vm-memo mark.vm-hit").inner_text() == "Avgift"
    assert page.locator(".vm-count").inner_text() == "1 of 2 memos"
    page.locator(".vm-memo .vm-open").click()
    page.wait_for_selector(".vt-root .vt-text", timeout=30_000)
    shown(page, SECOND)
    page.locator(".vm-root").screenshot(path=str(page_shot("workspace-memo-browser-filtered")))

    with workbench.open(folder, read_only=True) as p:
        assert p.memo("project", today, coder="anna") == (
            "Kodade morgon.txt; avgifterna återkommer, fråga P01"
        )
        audit = p.store.audit_frame("anna")
        versions = [
            json.loads(payload)["new"]
            for action, payload in zip(audit["action"], audit["payload"], strict=True)
            if action == "memo.set"
        ]
    assert versions[-1] == "Kodade morgon.txt; avgifterna återkommer, fråga P01"
    assert "" not in versions  # never overwritten with an empty box
    assert all(v.startswith("Kodade morgon.txt") for v in versions)


# -- Swedish -------------------------------------------------------------------------------------
VISIBLE_TEXT = """(selectors) => {
    const out = [];
    const data = '.vt-text, .vt-turn-text, .vt-hit-text, .vt-chip-quote, .vm-text';
    for (const selector of selectors) {
        for (const root of document.querySelectorAll(selector)) {
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                const el = node.parentElement;
                const value = node.data.trim();
                if (!value || !el || el.closest('option') || el.closest(data)) continue;
                if (!el.checkVisibility({ visibilityProperty: true })) continue;
                out.push(value);
            }
            for (const el of root.querySelectorAll('input, textarea')) {
                if (el.placeholder && el.checkVisibility()) out.push(el.placeholder);
            }
            for (const el of root.querySelectorAll('select')) {
                if (el.checkVisibility() && el.selectedOptions[0]) {
                    out.push(el.selectedOptions[0].textContent.trim());
                }
            }
        }
    }
    return out;
}"""


def english_in(texts: list[str]) -> list[str]:
    """The English interface strings (whole, or a phrase of one) among ``texts``: every
    catalogue string whose Swedish differs, and its fixed phrases that no Swedish string has."""
    en, sv_ = STRINGS["en"], STRINGS["sv"]
    swedish = "\n".join(sv_.values())
    whole = {v for k, v in en.items() if v != sv_.get(k)}
    phrases = set()
    for key, value in en.items():
        if value == sv_.get(key):
            continue
        for piece in re.split(r"\{\w+\}", value):
            piece = piece.strip(" ·:…,.()—–-?“”\"'")
            if len(piece) >= 5 and piece not in swedish:
                phrases.add(piece)
    joined = "\n".join(texts)
    return sorted({t for t in texts if t in whole} | {p for p in phrases if p in joined})


def test_workspace_browser_swedish_interface(page: Any, lab: Lab) -> None:
    folder = lab.root / "swedish-study"
    study(folder)
    ids = segment_ids(folder)
    with workbench.open(folder, coder="anna") as p:
        p.memo("segment", ids[0], "Bussen igen")
        p.memo("code", "gap", "Det de inte fick veta")
        p.memo("project", "2026-11-02", "Första dagen")
        p.code(ids[0], "needs", coder="erik")
    write_notebook(
        lab.root / "swedish.ipynb",
        f"import workbench\np = workbench.open({str(folder)!r}, coder='anna')\n"
        "def suggest(text):\n    return [('needs', 0.7, 'behöver'), ('trust', 0.4, 'litar')]\n"
        "p.tagger(lang='sv', suggest=suggest)",
        "p.memo_browser(lang='sv')",
        "p.codebook_editor(lang='sv')",
    )
    run_tagger(page, lab, "swedish.ipynb")
    page.wait_for_selector(".vm-root .vm-memo", timeout=30_000)
    page.wait_for_selector(".wb-codebook-editor .wb-cb-row", timeout=30_000)
    roots = [".vt-root", ".vm-root", ".wb-codebook-editor"]
    seen: list[str] = []

    def look() -> None:
        texts = page.evaluate(VISIBLE_TEXT, roots)
        assert texts
        seen.extend(texts)
        assert english_in(texts) == []

    # the tagger as it opens, with a code applied and filters, search and a new-code form open
    page.locator(".vt-text").click()
    page.keyboard.press("t")
    saved(page, sv("added", label="Tillit"))
    page.locator(".vt-switch").click()  # compare: another coder's codes
    page.wait_for_selector(".vt-others .vt-chip")
    page.locator(".vt-filter-toggle").click()
    page.locator(".vt-search-input").fill("jag")
    page.locator(".vt-search-input").press("Enter")
    page.wait_for_selector(".vt-hit-row")
    page.locator(".vt-new-code").click()
    page.locator('button.vt-code[data-code="needs"]').hover()  # the definition panel
    look()
    page.locator(".vt-root").screenshot(path=str(page_shot("workspace-sv-tagger")))
    page.locator(".vt-new-cancel").click()
    page.locator(".vt-text").click()
    page.keyboard.press("?")  # the keyboard help
    page.locator(".vt-help").wait_for(state="visible")
    look()
    page.keyboard.press("Escape")
    page.locator(".vt-review-toggle").click()  # the empty review queue says how to fill it
    page.wait_for_selector(".vt-queue-hint")
    hint = page.locator(".vt-queue-hint").inner_text()
    assert f"workbench suggest apply {folder}" in hint and "--coder" not in hint
    look()
    page.locator(".vt-review-toggle").click()

    # the memo browser and the codebook editor
    page.locator(".vm-root").scroll_into_view_if_needed()
    page.locator(".vm-journal-text").click()
    page.keyboard.type("Idag")
    page.locator(".vm-title").click()
    page.wait_for_function("() => document.querySelector('.vm-status').dataset.state === 'saved'")
    look()
    page.locator(".vm-root").screenshot(path=str(page_shot("workspace-sv-memo-browser")))
    editor = page.locator(".wb-codebook-editor")
    editor.scroll_into_view_if_needed()
    editor.locator(".wb-cb-row", has_text="Tillit").click()
    editor.locator("button", has_text="Spara").click()
    page.wait_for_function(
        "() => document.querySelector('.wb-codebook-editor').textContent.includes('Sparade Tillit')"
    )
    look()
    editor.screenshot(path=str(page_shot("workspace-sv-codebook-editor")))
    # a merge asks first, naming both codes and the codings that move; nothing preselected
    merge = editor.locator(".widget-dropdown select").nth(1)
    assert merge.input_value() == "— välj en kod —"
    merge.select_option(label="Behov")
    editor.locator("button", has_text="Slå ihop").first.click()
    question = editor.locator("b", has_text="Slå ihop ”Tillit” med ”Behov”?")
    question.wait_for(timeout=10_000)
    look()
    editor.screenshot(path=str(page_shot("workspace-sv-codebook-merge-asks")))
    editor.locator("button", has_text="Avbryt").click()
    page.wait_for_function(
        "() => document.querySelector('.wb-codebook-editor').textContent.includes('Inget ändrat')"
    )

    # the check itself catches English: a word of the English catalogue is found
    assert "Next uncoded" in english_in(["Next uncoded"])
    assert {"Added", "Saved"} <= set(english_in(["✓ Saved 10:01 · Added “Tillit”"]))
    for expected in ("Nästa okodade", "Memon", "Projektdagbok för", "Etikett (sv)", "Spara"):
        assert any(expected in t for t in seen), expected
    assert {"Område: Väster", "Användartyp: extern"} <= set(seen)  # attribute chips, readable


# -- one screen: the coding loop and the review queue at 1440 x 900 ---------------------------
MEASURE = """([i, align]) => {
    const root = document.querySelectorAll('.vt-root')[i];
    const scroller = root.closest('.jp-WindowedPanel-outer');
    if (align) root.scrollIntoView({ block: 'start' });
    const edge = (el) => { const r = el.getBoundingClientRect(); return [r.top, r.bottom]; };
    const part = (sel) => { const el = root.querySelector(sel); return el ? edge(el) : null; };
    return {
        view: edge(scroller), root: edge(root), top: part('.vt-top'),
        current: part('.vt-current'), reading: part('.vt-reading'), codes: part('.vt-codes'),
        applied: part('.vt-applied'), nav: part('.vt-nav'), right: part('.vt-right'),
        accept: part('.vt-queued .vt-accept'), reject: part('.vt-queued .vt-reject'),
        panel: part('.vt-suggestions-panel'), scroll: scroller.scrollTop,
    };
}"""


def inside(part: list[float] | None, box: list[float]) -> bool:
    return part is not None and part[0] >= box[0] - 1 and part[1] <= box[1] + 1


@pytest.fixture(scope="module")
def demo(lab: Lab) -> Path:
    """The demo study (Swedish and English interviews, the Grönroos codebook), built once."""
    folder = lab.root / "demo-layout"
    build_demo(folder, progress=False)
    return folder


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_workspace_browser_coding_loop_fits_1440x900(
    page: Any, lab: Lab, demo: Path, lang: str
) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    name = f"layout-{lang}.ipynb"
    write_notebook(
        lab.root / name,
        f"import workbench\np = workbench.open({str(demo)!r}, coder='anna')\n"
        f"t = p.tagger(lang={lang!r})\nt.session.go(5)\nt",
    )
    run_tagger(page, lab, name, timeout=60_000)
    page.wait_for_selector(".vt-suggestion", timeout=30_000)
    m = page.evaluate(MEASURE, [0, True])
    view = m["view"]
    for part in ("root", "top", "current", "codes", "applied", "nav", "right"):
        assert inside(m[part], view), (part, m[part], view)  # no scrolling of the page
    assert inside(m["current"], m["reading"])
    cut = page.evaluate(
        """() => [...document.querySelectorAll('.vt-code-label, .vt-group, .vt-meta > span')]
            .filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent)"""
    )
    assert cut == []  # long code labels wrap
    screenshot(page, f"workspace-layout-{lang}")

    # a code applied by key: scrolled into view in its own panel, its definition shown
    below = page.evaluate(
        """() => {
            const list = document.querySelector('.vt-codes').getBoundingClientRect();
            const hidden = [...document.querySelectorAll('button.vt-code')].filter(
                (b) => b.querySelector('kbd') && b.getAttribute('aria-pressed') === 'false'
                    && b.getBoundingClientRect().top > list.bottom);
            return hidden.length ? hidden[hidden.length - 1].dataset.code : null;
        }"""
    )
    assert below, "the code list fits without scrolling: nothing to check"
    with workbench.open(demo, read_only=True) as p:
        code = p.codebook.get(below)
    key = "+".join(k.capitalize() if len(k) > 1 else k for k in (code.shortcut or "").split("+"))
    if key.startswith("Shift+"):
        key = "Shift+" + key[len("Shift+") :].upper()
    page.locator(".vt-text").click()
    page.keyboard.press(key)
    saved(page, text("tg.added", lang, label=f"“{code.name(lang)}”"))
    after = page.evaluate(MEASURE, [0, False])
    button = page.locator(f'button.vt-code[data-code="{below}"]').bounding_box()
    codes = after["codes"]
    assert codes[0] - 1 <= button["y"] and button["y"] + button["height"] <= codes[1] + 1
    assert page.locator(".vt-details h3").inner_text() == code.name(lang)
    assert after["scroll"] == m["scroll"] and inside(after["nav"], after["view"])
    screenshot(page, f"workspace-layout-{lang}-applied")


def test_workspace_browser_review_queue_fits_1440x900(page: Any, lab: Lab, demo: Path) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    write_notebook(
        lab.root / "layout-review.ipynb",
        f"import workbench\np = workbench.open({str(demo)!r}, coder='anna')\n"
        "t = p.tagger(lang='sv')\nt",
    )
    run_tagger(page, lab, "layout-review.ipynb", timeout=60_000)
    page.locator(".vt-review-toggle").click()
    page.wait_for_selector(".vt-queue-hint")  # the demo's queue is empty: how to fill it
    hint = page.locator(".vt-queue-hint").inner_text()
    assert f"workbench suggest apply {demo}" in hint
    assert page.locator(".vt-empty code").inner_text() == f"workbench suggest apply {demo}"
    m = page.evaluate(MEASURE, [0, True])
    assert inside(m["panel"], m["view"])
    screenshot(page, "workspace-review-empty")

    with workbench.open(demo, coder="bo") as p:
        open_ = p.segments(role="interviewee", uncoded_by="anna")
        ids = [int(s) for s in open_["segment"][:4]]
        codes = [c.id for c in p.codebook.codes if c.codable]
        p.store.queue_suggestions(
            [
                {
                    "segment_id": sid,
                    "code_id": codes[(3 * i + j) % len(codes)],
                    "confidence": 0.95 - 0.1 * j - 0.01 * i,
                    "reason": "telefon, ingen, svarar",
                }
                for i, sid in enumerate(ids)
                for j in range(3)
            ],
            user="bo",
        )
    toggle = page.locator(".vt-review-toggle")
    toggle.click()  # off and on again: the queue is read anew
    page.wait_for_function(
        "() => document.querySelector('.vt-review-toggle').getAttribute('aria-pressed') === 'false'"
    )
    toggle.click()
    page.wait_for_selector(".vt-queued .vt-accept")
    m = page.evaluate(MEASURE, [0, True])
    for part in ("accept", "reject", "panel", "current", "nav"):
        assert inside(m[part], m["view"]), (part, m[part], m["view"])
    assert inside(m["accept"], m["panel"]) and inside(m["reject"], m["panel"])
    screenshot(page, "workspace-review")
    first = page.locator(".vt-queued").first
    label = first.locator(".vt-suggestion-label").inner_text()
    first.locator(".vt-accept").click()
    saved(page, sv("accepted", label=label))
    with workbench.open(demo, read_only=True) as p:
        queue = p.store.suggestion_queue_frame(status=None)
        accepted = queue[queue["status"] == "accepted"]
        anna = p.codings("anna")
    assert len(accepted) == 1  # the reviewer is whoever accepts: anna codes it
    row = accepted.iloc[0]
    mine = anna[(anna["segment"] == row["segment"]) & (anna["code"] == row["code"])]
    assert mine["origin"].tolist() == ["suggestion"]


# -- issue 17: what two testers found --------------------------------------------------------
def untimed_study(folder: Path) -> None:
    """The Swedish interview without timestamps (as a .docx or a survey answer has none)."""
    project = workbench.init(folder, codebook=BOOK)
    doc = transcript(
        "morgon.txt",
        TURNS,
        language="sv",
        participant="Åsa",
        attributes={"district": "Väster", "answered_on": "2026-02-09"},
    )
    project.store.import_transcripts([doc], user="t", participant_pseudonym=numbered)
    project.close()


def hit_bar(page: Any, visible: bool) -> None:
    """Wait until the pre-selected hit's bar is shown (or gone)."""
    page.wait_for_function(
        "(v) => !document.querySelector('.vt-hit-bar').hidden === v", arg=visible, timeout=10_000
    )


def test_workspace_browser_search_hit_is_dismissed(page: Any, lab: Lab) -> None:
    """A hit codes its words once; Esc, closing the list and leaving the turn dismiss it, and a
    key then codes the whole turn.  A turn without a time shows no time (never "null")."""
    folder = lab.root / "hit-study"
    untimed_study(folder)
    write_notebook(
        lab.root / "hit.ipynb",
        f"import workbench\np = workbench.open({str(folder)!r}, coder='anna')\n"
        "p.tagger(suggest=None)",
    )
    run_tagger(page, lab, "hit.ipynb")
    shown(page, FIRST)
    assert "null" not in page.locator(".vt-current .vt-speaker").inner_text()
    assert page.locator(".vt-current .vt-time").count() == 0
    assert "null" not in page.locator(".vt-reading").inner_text()
    assert "Besvarad: 2026-02-09" in page.locator(".vt-meta").inner_text()

    box = page.locator(".vt-search-input")
    box.fill("jag")
    box.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('.vt-hit-row').length === 4")
    rows = page.locator(".vt-hit-row")

    rows.nth(2).click()  # the hit in the second turn, pre-selected and said so
    shown(page, SECOND)
    hit_bar(page, True)
    assert "”jag”" in page.locator(".vt-hit-bar").inner_text()
    screenshot(page, "workspace-hit-selected")
    page.locator(".vt-text").click()
    page.keyboard.press("Escape")  # dismissed: the whole turn again
    hit_bar(page, False)
    assert page.locator(".vt-text mark.vt-hit").count() == 0
    page.keyboard.press("t")
    saved(page, sv("added", label="Tillit"))

    rows.nth(2).click()  # shown again: its words, once
    hit_bar(page, True)
    page.locator(".vt-text").click()
    page.keyboard.press("n")
    saved(page, sv("added_span", label="Behov"))
    hit_bar(page, False)
    page.keyboard.press("Shift+G")  # the hit was used: the whole turn
    saved(page, sv("added", label="Informationsglapp"))

    rows.nth(2).click()
    hit_bar(page, True)
    page.locator(".vt-search-head .vt-x").click()  # the list closed
    hit_bar(page, False)
    page.locator(".vt-text").click()
    page.keyboard.press("n")  # removes the whole-turn "Behov"? no: there is none; adds it
    saved(page, sv("added", label="Behov"))

    ids = segment_ids(folder)
    with workbench.open(folder, read_only=True) as p:
        rows_ = sorted((r.code, r.quote) for r in p.codings("anna").itertuples(index=False))
        assert {int(s) for s in p.codings("anna")["segment"]} == {ids[1]}
    assert rows_ == sorted(
        [("trust", SECOND), ("needs", "jag"), ("gap", SECOND), ("needs", SECOND)]
    )


def test_workspace_browser_memos_typed_right_before_a_reload(page: Any, lab: Lab) -> None:
    """Text typed in a memo box or the journal is saved even when the page is reloaded at
    once (no pause, no click elsewhere)."""
    folder = lab.root / "reload-study"
    study(folder)
    sid = segment_ids(folder)[0]
    write_notebook(
        lab.root / "reload.ipynb",
        f"import workbench\np = workbench.open({str(folder)!r}, coder='anna')\n"
        "t = p.tagger(suggest=None)\nb = p.memo_browser()\ndisplay(t, b)",
    )
    run_tagger(page, lab, "reload.ipynb")
    page.wait_for_selector(".vm-root .vm-journal-text", timeout=45_000)
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    page.wait_for_function(  # saved: a reload shows the live widgets again
        "() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=10_000
    )
    page.locator(".vt-memo-segment").click()
    page.keyboard.type("Skrivet precis före omladdningen")
    page.reload()
    page.wait_for_selector(".vt-root .vt-text", timeout=45_000)
    page.wait_for_selector(".vm-root .vm-journal-text", timeout=45_000)
    page.locator(".vm-journal-text").click()
    page.keyboard.type("Dagbok precis före")
    page.reload()
    page.wait_for_selector(".vt-root .vt-text", timeout=45_000)
    today = dt.date.today().isoformat()
    with workbench.open(folder, read_only=True) as p:
        assert p.memo("segment", sid, coder="anna") == "Skrivet precis före omladdningen"
        assert p.memo("project", today, coder="anna") == "Dagbok precis före"


def test_workspace_browser_views_open_turns_in_the_researchers_tagger(page: Any, lab: Lab) -> None:
    """The document view moves the tagger made above it (coder lena, Swedish) to the clicked
    turn and brings it into sight; no second tagger appears."""
    folder = lab.root / "one-tagger-study"
    study(folder)
    write_notebook(
        lab.root / "one-tagger.ipynb",
        f"import workbench\np = workbench.open({str(folder)!r}, coder='root')\n"
        "p.tagger(coder='lena', lang='sv', suggest=None)",
        "p.document_view('morgon.txt', lang='en')",
    )
    run_tagger(page, lab, "one-tagger.ipynb")
    page.wait_for_selector(".dv-root .dv-turn", timeout=45_000)
    shown(page, FIRST)
    page.locator(".dv-turn", has_text=THIRD).click()
    shown(page, THIRD)
    assert page.locator(".vt-root").count() == 1
    assert page.locator(".vt-coder").inner_text() == sv("coder", name="lena")
    page.wait_for_function(
        """() => { const r = document.querySelector('.vt-root').getBoundingClientRect();
                   return r.top >= 0 && r.top < window.innerHeight; }""",
        timeout=10_000,
    )


def test_workspace_browser_status_filters_and_new_code_form_fit(
    page: Any, lab: Lab, demo: Path
) -> None:
    """At 1440 x 900: a long status line stays one line (the whole text in its title), the open
    filter panel keeps the navigation on the screen, a taken label keeps the New code form open
    with its label and says why, and "Under" follows the code last applied."""
    page.set_viewport_size({"width": 1440, "height": 900})
    write_notebook(
        lab.root / "fit.ipynb",
        f"import workbench\np = workbench.open({str(demo)!r}, coder='anna')\n"
        "t = p.tagger(lang='sv')\nt.session.go(5)\nt",
    )
    run_tagger(page, lab, "fit.ipynb", timeout=60_000)
    page.locator(".vt-filter-toggle").click()
    page.locator(".vt-filters").wait_for(state="visible")
    m = page.evaluate(MEASURE, [0, True])
    for part in ("top", "current", "applied", "nav"):
        assert inside(m[part], m["view"]), (part, m[part], m["view"])
    screenshot(page, "workspace-filters-open")
    page.locator(".vt-filter-toggle").click()

    with workbench.open(demo, read_only=True) as p:
        book = p.codebook
        code = next(c for c in book.codes if c.codable and c.shortcut and c.parent)
        sibling = next(c for c in book.codes if c.parent == code.parent and c.id != code.id)
    page.locator(".vt-text").click()
    page.keyboard.press(code.shortcut if len(code.shortcut) == 1 else code.shortcut.title())
    saved(page, sv("added", label=code.name("sv")))
    page.locator(f'button.vt-code[data-code="{sibling.id}"]').hover()  # hovering is not choosing
    page.locator(".vt-new-code").click()
    form = page.locator(".vt-new-form")
    form.wait_for(state="visible")
    assert page.locator(".vt-new-parent").input_value() == code.parent
    taken = sibling.name("sv")
    page.locator(".vt-new-label").fill(taken)
    form.locator("button[type=submit]").click()
    page.locator(".vt-new-error").wait_for(state="visible", timeout=10_000)
    assert form.is_visible() and page.locator(".vt-new-label").input_value() == taken
    assert f"({sibling.id})" in page.locator(".vt-new-error").inner_text()
    status = page.evaluate(
        """() => { const s = document.querySelector('.vt-status');
                   return [s.getBoundingClientRect().height, s.title, s.textContent,
                           s.scrollWidth > s.clientWidth]; }"""
    )
    assert status[0] <= 20 and status[1] == status[2]  # one line; the whole of it on hover
    screenshot(page, "workspace-new-code-taken")
    page.locator(".vt-new-cancel").click()
