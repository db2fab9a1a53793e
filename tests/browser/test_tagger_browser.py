"""The tagger in a real JupyterLab: code by click, key and selected span, memo, move, undo.

Runs ``notebooks/02-code.ipynb`` as a researcher would, then checks the database holds
exactly the codings made in the browser.  The study is Swedish, so the tagger speaks Swedish:
the status lines expected are the catalogue's Swedish ones (:func:`sv`).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from _helpers import numbered, transcript

import workbench
from workbench.codebook import Code, Codebook
from workbench.i18n import text
from workbench.store import TEXT_VERSION, Origin

from ._lab import ROOT, SCREENSHOTS, Lab, notebook, run_tagger, screenshot, write_notebook

pytestmark = pytest.mark.browser

BOOK = Codebook(
    id="browser",
    title={"en": "Browser test", "sv": "Webbläsartest"},
    codes=(
        Code(
            id="process",
            label={"en": "Everyday process", "sv": "Vardagsprocess"},
            codable=False,
            color="#4a5568",
        ),
        Code(
            id="needs",
            label={"en": "Needs", "sv": "Behov"},
            parent="process",
            color="#c0392b",
            shortcut="n",
            definition={"en": "What the user needs to get done."},
            use_when={"en": "A need or goal is named."},
            do_not_use_when={"en": "Only a wish about the service's look."},
        ),
        Code(
            id="trust",
            label={"en": "Trust", "sv": "Tillit"},
            parent="process",
            color="#2e86c1",
            shortcut="t",
        ),
        Code(
            id="gap",
            label={"en": "Information gap", "sv": "Informationsglapp"},
            color="#d4a017",
            shortcut="shift+g",
        ),
        Code(
            id="quality", label={"en": "Quality", "sv": "Kvalitet"}, codable=False, color="#2f855a"
        ),
        Code(
            id="technical",
            label={"en": "Technical quality", "sv": "Teknisk kvalitet"},
            parent="quality",
            color="#2f855a",
            shortcut="1",
        ),
        Code(
            id="functional",
            label={"en": "Functional quality", "sv": "Funktionell kvalitet"},
            parent="quality",
            color="#805ad5",
            shortcut="2",
        ),
    ),
)
FIRST = "Kaffe 👩‍🍳 och e\u0301n 😀 smörgås åt Åsa, tack — annars blir jag sur."
TURNS = [
    ("Interviewer", "interviewer", "Vad behöver du en vanlig morgon?"),
    ("Åsa", "interviewee", FIRST),
    ("Interviewer", "interviewer", "Och sedan?"),
    ("Åsa", "interviewee", "Ingen sa när bussen går, så jag väntade i en halvtimme."),
    ("Åsa", "interviewee", "Personalen är snäll, det litar jag på."),
]


def study(folder: Path) -> None:
    project = workbench.init(folder, codebook=BOOK)
    doc = transcript(
        "morgon.txt",
        TURNS,
        language="sv",
        participant="Åsa",
        attributes={"district": "Väster", "user type": "daily"},
        times=lambda i: (12.0 * i + 61, 12.0 * i + 70),
    )
    project.store.import_transcripts([doc], user="t", participant_pseudonym=numbered)
    project.close()


def sv(key: str, **values: object) -> str:
    """The tagger's Swedish string ``tg.<key>``; a code's ``label`` in quotes as it says it."""
    if "label" in values:
        values["label"] = f"“{values['label']}”"
    if "kind" in values:
        values["kind"] = text(f"tg.memo_kind.{values['kind']}", "sv")
    return text(f"tg.{key}", "sv", **values)


def select_text(page: Any, words: str) -> None:
    """Select ``words`` in the current segment as a mouse drag would (a DOM Range)."""
    page.evaluate(
        """(words) => {
            const root = document.querySelector('.vt-text');
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                const at = node.data.indexOf(words);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + words.length);
                    const sel = window.getSelection();
                    sel.removeAllRanges();
                    sel.addRange(range);
                    return;
                }
            }
            throw new Error('text not found: ' + words);
        }""",
        words,
    )


def saved(page: Any, text: str) -> None:
    """Wait until the status line says the write with ``text`` came back saved."""
    page.wait_for_function(
        """(text) => {
            const s = document.querySelector('.vt-status');
            return s && s.dataset.state === 'saved' && s.textContent.includes(text);
        }""",
        arg=text,
        timeout=10_000,
    )


def test_tagger_browser_codes_spans_memos_and_undo(page: Any, lab: Lab) -> None:
    study(lab.root / "demo-study")
    (lab.root / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / "02-code.ipynb", lab.root / "notebooks" / "02-code.ipynb")

    run_tagger(page, lab, "notebooks/02-code.ipynb")
    page.wait_for_function(
        "(t) => document.querySelector('.vt-text').textContent === t", arg=FIRST, timeout=10_000
    )
    text = page.locator(".vt-text")
    assert page.locator(".vt-coder").inner_text() == sv("coder", name="anna")
    assert "Vad behöver du" in page.locator(".vt-before").inner_text()
    text.click()  # focus the tagger, as a researcher would

    cells = page.locator(".jp-Notebook .jp-Cell").count()
    for key in ("a", "b", "d", "d", "m", "Shift+Enter"):  # notebook shortcuts stay off
        page.keyboard.press(key)
    assert page.locator(".jp-Notebook .jp-Cell").count() == cells
    page.keyboard.press("t")  # whole turn: Trust
    saved(page, sv("added", label="Tillit"))
    assert page.locator('button.vt-code[data-code="trust"]').get_attribute("aria-pressed") == "true"

    page.locator('button.vt-code[data-code="gap"]').click()  # whole turn by click, then off by key
    saved(page, sv("added", label="Informationsglapp"))
    page.keyboard.press("Shift+G")
    saved(page, sv("removed", label="Informationsglapp"))

    select_text(page, "smörgås")  # after emoji, a ZWJ sequence and a combining accent
    page.keyboard.press("n")
    saved(page, sv("added_span", label="Behov"))
    assert page.locator("mark.vt-hl").inner_text() == "smörgås"

    select_text(page, "annars blir jag sur")  # the text is now split around the highlight
    page.locator('button.vt-code[data-code="functional"]').click()
    saved(page, sv("added_span", label="Funktionell kvalitet"))

    page.locator(".vt-details").wait_for()
    page.locator('button.vt-code[data-code="needs"]').hover()
    assert "Only a wish" in page.locator(".vt-details").inner_text()

    memo = page.locator(".vt-memo-segment")
    memo.click()
    page.keyboard.type("Låter äkta 👍 — n t z")  # shortcut letters must not fire while typing
    page.locator(".vt-memo-document").click()  # blur saves the segment memo
    saved(page, sv("saved_memo", kind="segment"))
    page.keyboard.type("Lugn intervju")
    saved(page, sv("saved_memo", kind="document"))  # debounced save while the area keeps focus
    page.locator(".vt-root").screenshot(path=str(SCREENSHOTS / "tagger-coded.png"))

    text.click()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.vt-text').textContent.startsWith('Ingen sa')"
    )
    page.keyboard.press("2")
    saved(page, sv("added", label="Funktionell kvalitet"))
    page.keyboard.press("z")
    saved(page, sv("undid_adding", label="Funktionell kvalitet"))
    page.keyboard.press("y")
    saved(page, sv("redid_adding", label="Funktionell kvalitet"))
    page.keyboard.press("z")
    saved(page, sv("undid_adding", label="Funktionell kvalitet"))
    page.keyboard.press("Enter")  # next uncoded
    page.wait_for_function(
        "() => document.querySelector('.vt-text').textContent.startsWith('Personalen')"
    )
    page.keyboard.press("?")
    page.locator(".vt-help").wait_for(state="visible")
    assert sv("key.accept") in page.locator(".vt-help").inner_text()
    screenshot(page, "tagger-help")
    page.keyboard.press("Escape")
    page.locator(".vt-help").wait_for(state="hidden")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("(t) => document.querySelector('.vt-text').textContent === t", arg=FIRST)
    assert page.locator(".vt-memo-segment").input_value() == "Låter äkta 👍 — n t z"
    assert page.locator(".vt-chip[data-span]").count() == 3
    screenshot(page, "tagger", full_page=True)
    page.locator(".vt-root").screenshot(path=str(SCREENSHOTS / "tagger-widget.png"))

    project = workbench.open(lab.root / "demo-study", read_only=True)
    try:
        rows = sorted(
            (r.quote, r.code, r.origin) for r in project.codings("anna").itertuples(index=False)
        )
        first_id = project.segments(role="interviewee")["segment"].iloc[0]
        memo_text = project.memo("segment", int(first_id), coder="anna")
        doc_memo = project.memo(
            "document", int(project.documents["document_id"].iloc[0]), coder="anna"
        )
    finally:
        project.close()
    assert rows == sorted(
        [
            ("annars blir jag sur", "functional", "human"),
            (FIRST, "trust", "human"),
            ("smörgås", "needs", "human"),
        ]
    )
    assert memo_text == "Låter äkta 👍 — n t z" and doc_memo == "Lugn intervju"


def test_tagger_browser_memos_survive_a_reload(page: Any, lab: Lab) -> None:
    """A memo written, the page reloaded: both memo boxes show the stored texts (they used to
    come back empty or stale, and typing then overwrote the saved memo); an edit after the
    reload keeps both versions in the audit."""
    folder = lab.root / "memo-study"
    study(folder)
    write_notebook(
        lab.root / "memo.ipynb",
        [
            "import workbench\n",
            f"p = workbench.open({str(folder)!r}, coder='anna')\n",
            "p.tagger(suggest=None)",
        ],
    )
    run_tagger(page, lab, "memo.ipynb")
    page.locator(".vt-memo-segment").click()
    page.keyboard.type("Första tanken")
    page.locator(".vt-memo-document").click()
    saved(page, sv("saved_memo", kind="segment"))
    page.keyboard.type("Lugn intervju")
    saved(page, sv("saved_memo", kind="document"))
    page.locator(".vt-text").click()  # the memo box loses focus, as after a pause
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    page.wait_for_function(
        "() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=10_000
    )

    page.reload()  # the saved notebook's output shows the live widget again
    page.wait_for_selector(".vt-root .vt-text", timeout=45_000)
    page.wait_for_function(
        "() => document.querySelector('.vt-memo-document').value === 'Lugn intervju'",
        timeout=20_000,
    )
    assert page.locator(".vt-memo-segment").input_value() == "Första tanken"
    screenshot(page, "tagger-memo-after-reload")
    area = page.locator(".vt-memo-document")
    area.click()
    page.keyboard.press("End")
    page.keyboard.type(", men lång")
    page.locator(".vt-text").click()
    saved(page, sv("saved_memo", kind="document"))

    with workbench.open(folder, read_only=True) as project:
        audit = project.store.audit_frame("anna")
        versions = [
            json.loads(row)["new"]
            for action, row in zip(audit["action"], audit["payload"], strict=True)
            if action == "memo.set" and json.loads(row)["kind"] == "document"
        ]
        doc_id = int(project.documents["document_id"].iloc[0])
        assert project.memo("document", doc_id, coder="anna") == "Lugn intervju, men lång"
    assert versions == ["Lugn intervju", "Lugn intervju, men lång"]


NOTEBOOK = notebook(
    [
        "import workbench\n",
        "\n",
        "def suggest(text):\n",
        "    return [('needs', 0.41, \"the word 'behöver'\"), ('trust', 0.82, \"the word 'litar'\")]\n",
        "\n",
        "workbench.open('compare-study').tagger(coder='anna', suggest=suggest)",
    ]
)


def test_tagger_browser_compare_suggestions_and_filters(page: Any, lab: Lab) -> None:
    study(lab.root / "compare-study")
    project = workbench.open(lab.root / "compare-study", coder="bo")
    first = project.segments(role="interviewee").iloc[0]
    at = int(first.start) + FIRST.index("smörgås")
    project.code(int(first.segment), "gap", start=at, end=at + len("smörgås"))
    project.code(int(first.segment), "needs", origin=Origin.THEME)  # bo adopted a theme
    project.close()
    (lab.root / "compare.ipynb").write_text(NOTEBOOK, encoding="utf-8")

    run_tagger(page, lab, "compare.ipynb")
    page.wait_for_selector(".vt-suggestion")
    labels = page.locator(".vt-suggestion-label").all_inner_texts()
    assert labels == ["Tillit", "Behov"]  # ranked by confidence
    assert page.locator(".vt-others .vt-chip").count() == 0  # blind by default
    assert page.locator("mark.vt-hl").count() == 0

    page.locator(".vt-switch").click()  # compare
    page.wait_for_selector(".vt-others .vt-chip")
    assert "bo" in page.locator(".vt-others").inner_text()
    themed = page.locator(".vt-others .vt-chip", has_text="Behov")
    assert themed.locator(".vt-tag", has_text=sv("from_theme")).count() == 1
    assert page.locator(".vt-others .vt-tag", has_text=sv("from_theme")).count() == 1
    assert page.locator("mark.vt-hl-other").inner_text() == "smörgås"

    page.locator(".vt-filter-toggle").click()
    page.locator(".vt-f-others").check()
    position = "(t) => document.querySelector('.vt-position').textContent === t"
    page.wait_for_function(position, arg=sv("segment_n_of", n=1, count=1))
    page.locator(".vt-filters button", has_text=sv("f_clear")).click()
    page.wait_for_function(position, arg=sv("segment_n_of", n=1, count=3))

    page.locator(".vt-code-filter").fill("")
    page.locator(".vt-code-filter").type("glapp tn")  # typing in the filter box codes nothing
    assert page.locator("button.vt-code:visible").count() == 0
    page.locator(".vt-code-filter").fill("glapp")
    assert (
        page.locator("button.vt-code:visible").all_inner_texts()[0].startswith("Informationsglapp")
    )
    page.locator(".vt-code-filter").fill("")

    page.locator(".vt-text").click()
    page.keyboard.press("=")  # accept the top suggestion
    saved(page, sv("accepted_suggestion", label="Tillit"))
    assert page.locator(".vt-chip .vt-tag", has_text=sv("suggested")).count() == 1
    page.locator(".vt-root").screenshot(path=str(SCREENSHOTS / "tagger-compare.png"))

    page.evaluate(
        """() => {
            const node = document.querySelector('.vt-before .vt-turn-text').firstChild;
            const range = document.createRange();
            range.setStart(node, 0);
            range.setEnd(node, 3);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
        }"""
    )
    page.keyboard.press("1")  # words outside the current turn: nothing is coded
    page.wait_for_function("() => document.querySelector('.vt-status').dataset.state === 'error'")
    select_text(page, "tack")
    page.keyboard.press("1")
    saved(page, sv("added_span", label="Teknisk kvalitet"))
    page.locator("mark.vt-hl", has_text="tack").click()  # jumps to the span's × in the list
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.classList.contains('vt-x')"
    )
    page.keyboard.press("Enter")
    saved(page, sv("removed", label="Teknisk kvalitet"))

    page.locator(".vt-lang").select_option("en")
    page.wait_for_function(
        "() => document.querySelector('button.vt-code[data-code=\"trust\"]').textContent.startsWith('Trust')"
    )

    project = workbench.open(lab.root / "compare-study", read_only=True)
    try:
        mine = [(r.code, r.origin) for r in project.codings("anna").itertuples(index=False)]
        theirs = [
            (r.code, r.quote)
            for r in project.codings("bo").itertuples(index=False)
            if r.origin == Origin.HUMAN
        ]
    finally:
        project.close()
    assert mine == [("trust", "suggestion")] and theirs == [("gap", "smörgås")]


REVIEW_NOTEBOOK = notebook(
    ["import workbench\n", "workbench.open('review-study').tagger(coder='anna')"]
)


def test_tagger_browser_review_mode_accepts_and_rejects(page: Any, lab: Lab) -> None:
    study(lab.root / "review-study")
    project = workbench.open(lab.root / "review-study", coder="bo")
    ids = [int(s) for s in project.segments(role="interviewee")["segment"]]
    project.store.queue_suggestions(
        [
            {"segment_id": ids[1], "code_id": "gap", "confidence": 0.91, "reason": "ingen, sa"},
            {"segment_id": ids[1], "code_id": "needs", "confidence": 0.62, "reason": "väntade"},
            {"segment_id": ids[2], "code_id": "trust", "confidence": 0.85, "reason": "litar"},
        ],
        user="bo",
    )
    project.close()
    (lab.root / "review.ipynb").write_text(REVIEW_NOTEBOOK, encoding="utf-8")

    run_tagger(page, lab, "review.ipynb")
    page.locator(".vt-review-toggle").click()
    position = "(t) => document.querySelector('.vt-position').textContent === t"
    page.wait_for_function(
        position, arg=sv("segment_n_of", n=1, count=2) + sv("open_in_queue", n=3)
    )
    assert page.locator(".vt-text").inner_text().startswith("Ingen sa")
    assert page.locator(".vt-queued .vt-suggestion-label").all_inner_texts() == [
        "Informationsglapp",
        "Behov",
    ]
    assert "ingen, sa" in page.locator(".vt-queued").first.inner_text()
    assert page.locator(".vt-suggestions-title").inner_text() == sv("review_queue")
    assert all(
        page.locator(f".vt-queued {b}").first.is_visible() for b in (".vt-accept", ".vt-reject")
    )
    page.locator(".vt-root").screenshot(path=str(SCREENSHOTS / "tagger-review.png"))
    page.locator('.vt-queued[data-code="gap"] .vt-accept').click()
    saved(page, sv("accepted", label="Informationsglapp"))
    page.locator('.vt-queued[data-code="needs"] .vt-reject').click()
    saved(page, sv("rejected", label="Behov"))
    assert sv("no_queue_items") in page.locator(".vt-suggestions").inner_text()
    assert sv("open_in_queue", n=1) in page.locator(".vt-position").inner_text()
    page.locator(".vt-review-toggle").click()
    page.wait_for_function(position, arg=sv("segment_n_of", n=2, count=3))
    assert page.locator(".vt-suggestions-title").inner_text() == sv("suggestions")

    project = workbench.open(lab.root / "review-study", read_only=True)
    try:
        mine = [(r.code, r.origin) for r in project.codings("anna").itertuples(index=False)]
        queue = project.store.suggestion_queue_frame(status=None)
        status = dict(zip(queue["code"], queue["status"], strict=True))
    finally:
        project.close()
    assert mine == [("gap", "suggestion")]
    assert status == {"gap": "accepted", "needs": "rejected", "trust": "open"}


def test_tagger_browser_colleagues_memo_search_cleared_and_nothing_saved_first(
    page: Any, lab: Lab
) -> None:
    """lena's tagger at 1440x900: anna's memo on the turn is shown read-only under lena's
    empty box; a search box emptied by hand takes its hits away; a write refused after the
    transcripts were rewritten says "Inget sparat:" first on the one-line status."""
    page.set_viewport_size({"width": 1440, "height": 900})
    folder = lab.root / "colleague-study"
    study(folder)
    with workbench.open(folder, coder="anna") as project:
        first = int(project.segments(role="interviewee")["segment"].iloc[0])
        project.memo("segment", first, "Hon menar personalen", coder="anna")
    write_notebook(
        lab.root / "colleague.ipynb",
        [
            "import workbench\n",
            f"p = workbench.open({str(folder)!r}, coder='root')\n",
            f"p.tagger(coder='lena', suggest=None, start={first})",
        ],
    )
    run_tagger(page, lab, "colleague.ipynb")
    others = page.locator(".vt-memos-others")
    others.wait_for(state="visible", timeout=10_000)
    assert others.inner_text() == "anna: Hon menar personalen"
    assert others.get_attribute("title") == sv("others_memos_title")
    assert page.locator(".vt-memo-segment").input_value() == ""  # lena's own box

    box = page.locator(".vt-search-input")
    box.click()
    page.keyboard.type("bussen")
    page.keyboard.press("Enter")
    page.locator(".vt-hit-row").first.wait_for(timeout=10_000)
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")  # emptied by hand, not by the field's clear button
    page.locator(".vt-search-results").wait_for(state="hidden", timeout=10_000)

    with workbench.open(folder) as project:  # as a redaction does, without a names file
        project.store.set_meta(TEXT_VERSION, "1")
    page.locator('button.vt-code[data-code="trust"]').click()
    page.wait_for_function(
        "() => document.querySelector('.vt-status').dataset.state === 'error'", timeout=10_000
    )
    status = page.locator(".vt-status")
    said = status.inner_text()
    assert said.startswith("⚠ Inget sparat:"), said
    assert status.get_attribute("title") == said  # the whole of it on hover
    box_ = status.bounding_box()
    assert box_ is not None and box_["width"] > 200  # room for more than the first words
    screenshot(page, "tagger-nothing-saved-first")
    with workbench.open(folder, read_only=True) as project:
        assert project.codings("lena").empty
