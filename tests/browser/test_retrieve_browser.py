"""The query and matrix views in a real JupyterLab: pick codes, read quotes in context, open
one in the tagger, export a CSV, click a matrix cell and read its quotes.

A Swedish study with the built-in Grönroos codebook (long labels, three levels), three
participants and two coders; screenshots land in ``screenshots/retrieve-*.png``.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from _helpers import numbered, transcript

import workbench

from ._lab import SCREENSHOTS, Lab, notebook, run_notebook, screenshot

pytestmark = pytest.mark.browser

ASA = [
    ("Intervjuare", "interviewer", "Hur gör ni när ni behöver veta vilka regler som gäller?"),
    (
        "Åsa",
        "interviewee",
        "Vi behöver veta i förväg vad inspektören tittar på, annars hinner vi inte rätta "
        "till något. Det är svårt att nå någon på kommunen, telefontiden är bara en timme.",
    ),
    ("Intervjuare", "interviewer", "Och själva besöket?"),
    ("Åsa", "interviewee", "Inspektören var trevlig och förklarade allt, det litar jag på."),
]
BO = [
    ("Intervjuare", "interviewer", "Vad saknar du?"),
    ("Bo", "interviewee", "Ingen sa när avgiften skulle betalas, vi fick leta på webben i veckor."),
    ("Bo", "interviewee", "Telefonen är alltid upptagen, jag ger upp efter tre försök."),
]
CIA = [("Cia", "interviewee", "Vi behöver en e-posttjänst som svarar inom en dag, inte en månad.")]
CODINGS = [  # (document, turn, code, coder)
    ("asa.txt", 1, "bp-needs", "anna"),
    ("asa.txt", 1, "fq-accessibility", "anna"),
    ("asa.txt", 1, "val-negative", "anna"),
    ("asa.txt", 1, "bp-needs", "erik"),
    ("asa.txt", 3, "fq-trust", "anna"),
    ("asa.txt", 3, "val-positive", "anna"),
    ("bo.txt", 1, "bp-information-gaps", "anna"),
    ("bo.txt", 1, "val-negative", "anna"),
    ("bo.txt", 2, "fq-accessibility", "anna"),
    ("bo.txt", 2, "fq-accessibility", "erik"),
    ("bo.txt", 2, "val-negative", "erik"),
    ("cia.txt", 0, "bp-needs", "anna"),
]

NOTEBOOK = notebook(
    ["import workbench\n", "p = workbench.open('retrieve-study')\n", "p.query_view()"],
    ["p.matrix_view()"],
)


def study(folder: Path) -> None:
    project = workbench.init(folder)
    people = {
        "asa.txt": (
            ASA,
            {"user_type": "external", "district": "Väster", "business_type": "bakery"},
        ),
        "bo.txt": (
            BO,
            {
                "user_type": "external",
                "district": "Norra Åsby",
                "business_type": "care home kitchen",
            },
        ),
        "cia.txt": (CIA, {"user_type": "internal", "district": "Väster", "business_type": "café"}),
    }
    docs = [
        transcript(
            name,
            turns,
            language="sv",
            participant=next(who for who, role, _ in turns if role == "interviewee"),
            attributes=attrs,
        )
        for name, (turns, attrs) in people.items()
    ]
    project.store.import_transcripts(docs, user="t", participant_pseudonym=numbered)
    segments = project.segments()
    ids = {
        (doc, i): int(seg)
        for doc, frame in segments.groupby("document")
        for i, seg in enumerate(frame["segment"])
    }
    for doc, turn, code, coder in CODINGS:
        project.code(ids[(doc, turn)], code, coder=coder)
    project.close()


def quotes_shown(page: Any, root: str) -> list[str]:
    return page.locator(f"{root} .vr-quote mark").all_inner_texts()


def test_retrieve_browser_query_export_tagger_and_matrix(page: Any, lab: Lab) -> None:
    study(lab.root / "retrieve-study")
    (lab.root / "retrieve.ipynb").write_text(NOTEBOOK, encoding="utf-8")
    run_notebook(page, lab, "retrieve.ipynb")
    query = ".vr-query-view"
    page.wait_for_selector(f"{query} button.vr-code[data-code='bp-needs']", timeout=60_000)
    page.wait_for_selector(".vr-matrix-view .vr-table", timeout=30_000)
    assert page.locator(f"{query} .vr-empty").inner_text().startswith("Välj koder")

    # pick a code: every quote of it, marked in its context
    page.locator(f"{query} button.vr-code[data-code='bp-needs']").click()
    page.wait_for_function(
        "(n) => document.querySelectorAll('.vr-query-view .vr-quote').length === n", arg=2
    )
    assert page.locator(f"{query} .vr-summary").inner_text() == (
        "2 citat · 2 deltagare · 2 dokument"  # anna and erik coded Åsa's turn: one quote
    )
    first = page.locator(f"{query} .vr-quote").first
    assert first.locator("mark").inner_text().startswith("Vi behöver veta i förväg")
    assert "Hur gör ni när ni behöver veta" in first.locator(".vr-context").first.inner_text()
    assert "kodat av anna, erik" in first.inner_text() and "Behov" in first.inner_text()

    # and not negative: Åsa's turn goes, Cia's stays
    page.locator(f"{query} button.vr-not[data-code='val-negative']").click()
    page.wait_for_function(
        "() => document.querySelector('.vr-query-view .vr-expression').value"
        " === 'bp-needs and not val-negative'"
    )
    page.wait_for_function(
        "() => document.querySelectorAll('.vr-query-view .vr-quote').length === 1"
    )
    assert quotes_shown(page, query) == [CIA[0][2]]
    page.locator(f"{query} button.vr-not[data-code='val-negative']").click()

    # a typed expression over a group code: accessibility is under functional quality
    expression = page.locator(f"{query} .vr-expression")
    expression.fill("pq-functional and val-negative")
    expression.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('.vr-query-view .vr-summary').textContent"
        " === '4 citat · 2 deltagare · 2 dokument'"
    )
    page.locator(f"{query} .vr-coder input[data-coder='erik']").check()
    page.wait_for_function(
        "() => document.querySelector('.vr-query-view .vr-summary').textContent"
        " === '2 citat · 1 deltagare · 1 dokument'"
    )
    page.locator(f"{query} .vr-coder input[data-coder='erik']").uncheck()
    page.wait_for_function(
        "() => document.querySelector('.vr-query-view .vr-summary').textContent"
        " === '4 citat · 2 deltagare · 2 dokument'"
    )
    page.locator(f"{query} .vr-group input[data-value='Norra Åsby']").check()
    page.wait_for_function(
        "() => document.querySelector('.vr-query-view .vr-summary').textContent"
        " === '2 citat · 1 deltagare · 1 dokument'"
    )
    page.locator(f"{query} .vr-group input[data-value='Norra Åsby']").uncheck()
    page.wait_for_function(
        "() => document.querySelector('.vr-query-view .vr-summary').textContent"
        " === '4 citat · 2 deltagare · 2 dokument'"
    )
    page.locator(query).screenshot(path=str(SCREENSHOTS / "retrieve-query.png"))

    # export the CSV into the notebook's folder
    path = page.locator(f"{query} .vr-path")
    assert path.input_value() == "citat"  # the default name, in the interface's language
    page.locator(f"{query} .vr-export-csv").click()
    note = ".vr-query-view .vr-export-note"  # said next to the buttons, not at the top
    page.wait_for_function(
        f"() => document.querySelector('{note}').dataset.state === 'ok'"
        f" && document.querySelector('{note}').textContent.startsWith('Skrev')"
    )
    assert page.locator(f"{query} .vr-export-note").inner_text().endswith("citat.csv")
    page.locator(f"{query} .vr-export-csv").click()  # again: a new file, the first one kept
    page.wait_for_function(
        f"() => document.querySelector('{note}').textContent.endsWith('citat (2).csv')"
    )
    assert (lab.root / "citat (2).csv").read_bytes() == (lab.root / "citat.csv").read_bytes()
    with (lab.root / "citat.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert sorted((r["document"], r["code"], r["coder"]) for r in rows) == [
        ("asa.txt", "fq-accessibility", "anna"),
        ("asa.txt", "val-negative", "anna"),
        ("bo.txt", "fq-accessibility", "anna"),
        ("bo.txt", "fq-accessibility", "erik"),
        ("bo.txt", "val-negative", "erik"),
    ]
    path.fill("no-such-folder/citat")
    page.locator(f"{query} .vr-export-csv").click()
    page.wait_for_function(f"() => document.querySelector('{note}').dataset.state === 'error'")
    assert "mappen no-such-folder finns inte" in page.locator(note).inner_text()

    # open a quote in the tagger below the view
    page.locator(f"{query} .vr-quote").nth(2).locator(".vr-open").click()
    page.wait_for_selector(".vt-root .vt-text", timeout=30_000)
    page.wait_for_function(
        "(t) => document.querySelector('.vt-root .vt-text').textContent === t", arg=BO[2][2]
    )
    screenshot(page, "retrieve-tagger", full_page=True)

    # the matrix: codes × the first attribute; a click on a count lists its quotes
    matrix = ".vr-matrix-view"
    page.locator(matrix).scroll_into_view_if_needed()
    page.locator(f"{matrix} .vr-columns").select_option("user_type")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.vr-matrix-view thead th')]"
        ".map((th) => th.textContent).join('|') === 'Kod|extern|intern|Totalt'"
    )
    needs = page.locator(f"{matrix} tr[data-code='bp-needs'] td")
    assert needs.all_inner_texts() == ["1", "1", "2"]
    page.locator(f"{matrix} .vr-columns").select_option("business_type")  # long values
    page.wait_for_function(
        "() => document.querySelector('.vr-matrix-view thead').textContent.includes('bageri')"
    )
    # squeezed (many columns on a laptop): the table scrolls sideways, words stay whole
    page.evaluate(
        "() => { document.querySelector('.vr-matrix-view .vr-table-wrap').style.width = '300px'; }"
    )
    broken = page.evaluate(
        """() => [...document.querySelectorAll('.vr-matrix-view thead th')].flatMap((th) => {
            const node = th.firstChild;
            if (!node || node.nodeType !== Node.TEXT_NODE) return [];
            const out = [];
            for (const m of node.data.matchAll(/\\S+/g)) {
                const range = document.createRange();
                range.setStart(node, m.index);
                range.setEnd(node, m.index + m[0].length);
                const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
                if (lines.size > 1) out.push(m[0]);
            }
            return out;
        })"""
    )
    assert broken == []  # headers wrap at spaces only: no word is cut in two
    page.evaluate(
        "() => { document.querySelector('.vr-matrix-view .vr-table-wrap').style.width = ''; }"
    )
    page.locator(matrix).screenshot(path=str(SCREENSHOTS / "workspace-matrix-headers.png"))
    page.locator(f"{matrix} .vr-columns").select_option("user_type")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.vr-matrix-view thead th')]"
        ".map((th) => th.textContent).join('|') === 'Kod|extern|intern|Totalt'"
    )
    page.locator(f"{matrix} .vr-table-wrap").scroll_into_view_if_needed()
    needs.nth(0).click()
    page.wait_for_function(
        "() => document.querySelectorAll('.vr-matrix-view .vr-quote').length === 1"
    )
    page.wait_for_function(  # the quotes are brought into sight
        """() => { const r = document.querySelector('.vr-matrix-view .vr-cell-title')
                       .getBoundingClientRect();
                   return r.top >= 0 && r.bottom <= window.innerHeight; }""",
        timeout=10_000,
    )
    assert page.locator(f"{matrix} .vr-cell-title").inner_text() == (
        "Behov · extern — deltagare: 1"
    )
    assert quotes_shown(page, matrix) == [ASA[1][2]]  # anna's and erik's, one quote
    page.locator(matrix).screenshot(path=str(SCREENSHOTS / "retrieve-matrix.png"))

    page.locator(f"{matrix} .vr-kind").select_option("cooccurrence")
    page.wait_for_function(
        "() => document.querySelector('.vr-matrix-view .vr-value').value === 'segments'"
    )
    cell = page.locator(f"{matrix} tr[data-code='fq-accessibility'] td").nth(
        5
    )  # × Negativ upplevelse
    page.wait_for_function(
        "() => document.querySelectorAll('.vr-matrix-view thead th').length === 7"
    )
    assert cell.inner_text() == "2"
    cell.click()
    page.wait_for_function(
        "() => document.querySelector('.vr-matrix-view .vr-cell-title').textContent"
        " === 'Tillgänglighet med Negativ upplevelse — segment: 2'"
    )
    page.locator(matrix).screenshot(path=str(SCREENSHOTS / "retrieve-cooccurrence.png"))
    screenshot(page, "retrieve", full_page=True)
