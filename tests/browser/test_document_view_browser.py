"""The document view in a real JupyterLab: a whole interview with its coding stripes, as a
researcher reads it.  Stripes and highlights sit where the codings are, hover names code and
coder, the layer and code filters work in the browser (and reach Python), a click opens the
turn in the tagger below, the interface speaks Swedish, and a transcript's ``<script>`` stays
text.  Screenshots go to ``screenshots/docview-*.png``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _helpers import numbered, transcript

import workbench
from workbench.codebook import Code, Codebook
from workbench.i18n import text

from ._lab import SCREENSHOTS, Lab, notebook, run_notebook

pytestmark = pytest.mark.browser

BOOK = Codebook(
    id="docview",
    title={"en": "Document view test", "sv": "Dokumentvytest"},
    codes=(
        Code(id="process", label={"en": "Everyday process", "sv": "Vardagsprocess"}, codable=False),
        Code(id="needs", label={"en": "Needs", "sv": "Behov"}, parent="process", color="#c0392b"),
        Code(id="trust", label={"en": "Trust", "sv": "Tillit"}, parent="process", color="#2e86c1"),
        Code(
            id="gap",
            label={"en": "Information gap", "sv": "Informationsglapp"},
            color="#d4a017",
        ),
        Code(id="quality", label={"en": "Quality", "sv": "Kvalitet"}, codable=False),
        Code(
            id="technical",
            label={"en": "Technical quality: what the user gets", "sv": "Teknisk kvalitet"},
            parent="quality",
            color="#2f855a",
        ),
        Code(
            id="functional",
            label={"en": "Functional quality", "sv": "Funktionell kvalitet"},
            parent="quality",
            color="#805ad5",
        ),
    ),
)
FIRST = "Kaffe 👩\u200d🍳 och e\u0301n 😀 smörgås åt Åsa, tack — annars blir jag sur."
BUS = (
    "Ingen sa när bussen går, så jag väntade i en halvtimme vid hållplatsen. Appen visade fel "
    "tid, och när jag ringde kundtjänsten fick jag vänta i telefonkö i tjugo minuter innan "
    "någon svarade. Då hade bussen redan gått och jag kom för sent till jobbet, igen. Det "
    "händer nästan varje vecka nu, och ingen verkar bry sig om att tidtabellen i appen inte "
    "stämmer med verkligheten på landsbygden."
)
SCRIPT = "Personalen är snäll, det litar jag på. <script>window.pwned = 1</script><b>fet</b>"
TURNS = [
    ("Intervjuare", "interviewer", "Hur börjar en vanlig morgon för dig?"),
    ("Åsa", "interviewee", FIRST),
    ("Intervjuare", "interviewer", "Och sedan?"),
    ("Åsa", "interviewee", BUS),
    ("Åsa", "interviewee", SCRIPT),
    ("Intervjuare", "interviewer", "Något mer?"),
    ("Åsa", "interviewee", "Nej, det var allt för i dag."),
] + [
    ("Intervjuare" if i % 2 else "Åsa", "interviewer" if i % 2 else "interviewee", words)
    for i, words in enumerate(
        [
            "Jag handlar på vägen hem, oftast i den lilla affären vid torget.",
            "Vad tycker du om affären?",
            "De har det mesta, men öppettiderna står inte någonstans på nätet.",
            "Hur får du veta dem då?",
            "Jag frågar grannen, hon vet allt om byn.",
        ]
    )
]
# (turn, code, coder, words or None for the whole turn, origin)
CODINGS = [
    (1, "needs", "anna", None, "human"),
    (1, "needs", "erik", None, "human"),
    (1, "gap", "anna", "smörgås", "human"),
    (1, "trust", "erik", "e\u0301n 😀 smörgås", "human"),
    (1, "functional", "anna", "annars blir jag sur", "human"),
    (3, "gap", "anna", "Appen visade fel tid", "human"),
    (3, "gap", "erik", "väntade i en halvtimme vid hållplatsen. Appen visade fel tid", "human"),
    (3, "technical", "anna", "Det händer nästan varje vecka nu", "human"),
    (3, "functional", "erik", BUS[BUS.index("när jag ringde") :], "human"),
    (4, "trust", "anna", None, "human"),
    (4, "trust", "erik", None, "human"),
    (6, "technical", "anna", None, "suggestion"),
    (9, "gap", "erik", "öppettiderna står inte någonstans på nätet", "human"),
]


def study(folder: Path) -> list[int]:
    """The interview, coded by anna and erik; returns the turns' segment ids."""
    project = workbench.init(folder, codebook=BOOK)
    doc = transcript(
        "morgon.txt",
        TURNS,
        language="sv",
        participant="Åsa",
        attributes={"district": "Väster"},
        times=lambda i: (37.0 * i + 61, 37.0 * i + 90),
    )
    project.store.import_transcripts([doc], user="t", participant_pseudonym=numbered)
    ids = [int(s) for s in project.segments("morgon.txt")["segment"]]
    for turn, code, coder, words, origin in CODINGS:
        if words is None:
            project.code(ids[turn], code, coder=coder, origin=origin)
        else:
            start = int(project.store.segment(ids[turn])["start"]) + TURNS[turn][2].index(words)
            project.code(
                ids[turn], code, coder=coder, start=start, end=start + len(words), origin=origin
            )
    project.close()
    return ids


def drawn(page: Any, render: int = 1) -> None:
    """Wait until the view has drawn itself ``render`` times (a filter change draws again)."""
    page.wait_for_function(
        "(n) => Number(document.querySelector('.dv-root')?.dataset.render) >= n",
        arg=render,
        timeout=45_000,
    )


GEOMETRY = """() => {
    const box = (el) => el.getBoundingClientRect();
    const heads = Object.fromEntries([...document.querySelectorAll('.dv-lane-head')].map(
        (h) => [h.dataset.code, [box(h).left, box(h).right]]));
    return [...document.querySelectorAll('.dv-stripe')].map((s) => {
        const row = s.closest('.dv-turn');
        const t = box(row.querySelector('.dv-text'));
        const style = getComputedStyle(row.querySelector('.dv-text'));
        const pad = [parseFloat(style.paddingTop), parseFloat(style.paddingBottom)];
        const r = box(s);
        const marks = [...row.querySelectorAll('mark.dv-hl')]
            .filter((m) => m.dataset.codings.split(' ').includes(s.dataset.coding))
            .flatMap((m) => [...m.getClientRects()].map((q) => [q.top, q.bottom]));
        return {
            segment: Number(row.dataset.segment), code: s.dataset.code, coder: s.dataset.coder,
            whole: s.classList.contains('dv-whole'), top: r.top, bottom: r.bottom,
            left: r.left, right: r.right, textTop: t.top + pad[0], textBottom: t.bottom - pad[1],
            head: heads[s.dataset.code], marks, tip: s.dataset.tip,
        };
    });
}"""


def marked(page: Any, segment: int, code: str) -> list[str]:
    """The highlighted runs of ``code`` in a turn, adjacent pieces joined."""
    return page.evaluate(
        """([segment, code]) => {
            const row = document.querySelector(`.dv-turn[data-segment="${segment}"] .dv-text`);
            const runs = [];
            let open = false;
            for (const node of row.childNodes) {
                const on = node.nodeName === 'MARK' && node.dataset.codes.split(' ').includes(code);
                if (on && open) runs[runs.length - 1] += node.textContent;
                else if (on) runs.push(node.textContent);
                open = on;
            }
            return runs;
        }""",
        [segment, code],
    )


def test_document_view_browser_stripes_hover_filter_and_tagger(page: Any, lab: Lab) -> None:
    ids = study(lab.root / "dv-study")
    (lab.root / "docview.ipynb").write_text(
        notebook(
            "import workbench\n"
            "p = workbench.open('dv-study', coder='anna')\n"
            "view = p.document_view('morgon.txt', lang='en')\n"
            "view",
            "print(view.filters)",
        ),
        encoding="utf-8",
    )
    run_notebook(page, lab, "docview.ipynb")
    drawn(page)
    assert page.locator(".dv-turn").count() == len(TURNS)
    assert page.locator(".dv-turn[role=button]").count() == 7  # interviewer turns: context
    assert page.locator(".dv-lane-head").all_inner_texts() == [
        "Needs",
        "Trust",
        "Information gap",
        "Technical quality: what the user gets",
        "Functional quality",
    ]
    assert float(page.get_attribute(".dv-root", "data-render-ms") or "1e9") < 1000
    assert page.locator(".dv-head-note").inner_text() == text("docview_hint", "en")

    # Every coding is a stripe in its code's lane, over exactly its turn or its lines.
    stripes = page.evaluate(GEOMETRY)
    got = sorted((s["segment"], s["code"], s["coder"], s["whole"]) for s in stripes)
    want = sorted((ids[t], code, coder, words is None) for t, code, coder, words, _ in CODINGS)
    assert got == want
    for s in stripes:
        where = f"{s['code']} by {s['coder']} on {s['segment']}"
        assert s["head"][0] - 0.5 <= s["left"] and s["right"] <= s["head"][1] + 0.5, where
        if s["whole"]:
            assert abs(s["top"] - s["textTop"]) < 1.5, where
            assert abs(s["bottom"] - s["textBottom"]) < 1.5, where
        else:
            lines = s["marks"]
            assert abs(s["top"] - min(q[0] for q in lines)) < 1.5, where
            assert abs(s["bottom"] - max(q[1] for q in lines)) < 1.5, where
            assert s["textTop"] - 1 <= s["top"] < s["bottom"] <= s["textBottom"] + 1, where
    tall = next(s for s in stripes if s["code"] == "functional" and s["coder"] == "erik")
    short = next(
        s for s in stripes if s["code"] == "gap" and s["coder"] == "anna" and s["segment"] == ids[3]
    )
    assert tall["bottom"] - tall["top"] > 2 * (short["bottom"] - short["top"])  # its lines

    # Highlights cover exactly the coded words, overlapping ones included.
    assert marked(page, ids[1], "gap") == ["smörgås"]
    assert marked(page, ids[1], "trust") == ["e\u0301n 😀 smörgås"]
    assert marked(page, ids[1], "functional") == ["annars blir jag sur"]
    assert marked(page, ids[3], "gap") == [
        "väntade i en halvtimme vid hållplatsen. Appen visade fel tid"
    ]
    assert marked(page, ids[1], "needs") == []  # whole turns: a stripe, no highlight
    both = page.locator(f'.dv-turn[data-segment="{ids[1]}"] mark', has_text="smörgås")
    assert both.get_attribute("data-codes") == "trust gap"
    assert "smörgås" in page.locator(f'.dv-turn[data-segment="{ids[1]}"] .dv-text').inner_text()

    # A transcript's markup is text.
    row = page.locator(f'.dv-turn[data-segment="{ids[4]}"] .dv-text')
    assert row.inner_text() == SCRIPT
    assert row.locator("script, b").count() == 0
    assert page.evaluate("() => window.pwned") is None
    page.locator(".dv-root").screenshot(path=str(SCREENSHOTS / "docview-en.png"))

    # Hover names code and coder.
    page.locator(f'.dv-turn[data-segment="{ids[1]}"] .dv-stripe[data-code="trust"]').hover()
    tip = page.locator(".dv-tip")
    tip.wait_for(state="visible")
    assert tip.inner_text() == "Trust · erik\n“e\u0301n 😀 smörgås”"
    page.locator(".dv-root").screenshot(path=str(SCREENSHOTS / "docview-hover-stripe.png"))
    both.hover()
    assert tip.inner_text() == "Trust · erik\nInformation gap · anna"
    page.locator(".dv-root").screenshot(path=str(SCREENSHOTS / "docview-hover-text.png"))
    page.locator(f'.dv-turn[data-segment="{ids[6]}"] .dv-stripe').hover()
    assert tip.inner_text() == (
        "Technical quality: what the user gets · anna · suggested\nwhole turn"
    )
    page.mouse.move(5, 5)
    tip.wait_for(state="hidden")

    # Filter by coder in the browser; Python hears of it.
    page.select_option(".dv-f-layer", "erik")
    drawn(page, 2)
    coders = page.evaluate(
        "() => [...document.querySelectorAll('.dv-stripe')].map(s => s.dataset.coder)"
    )
    assert coders and set(coders) == {"erik"}
    assert len(coders) == sum(1 for c in CODINGS if c[2] == "erik")
    assert page.locator(".dv-counts").inner_text() == "12 turns · 6 codings"
    assert marked(page, ids[1], "gap") == []  # anna's span is not highlighted now
    page.locator(".dv-root").screenshot(path=str(SCREENSHOTS / "docview-filter-erik.png"))
    page.locator('.dv-lane-head[data-code="gap"]').click()  # only this code
    drawn(page, 3)
    assert page.locator(".dv-lane-head").all_inner_texts() == ["Information gap"]
    assert page.locator(".dv-stripe").count() == 2
    assert page.locator(".dv-counts").inner_text() == "12 turns · 2 of 6 codings shown"
    page.evaluate(
        "() => { const nb = window.jupyterapp.shell.currentWidget.content;"
        " nb.activeCellIndex = 1; }"
    )
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-cell')")
    page.wait_for_function(
        """() => [...document.querySelectorAll('.jp-OutputArea-output')].some(
            (o) => o.textContent.includes("{'layer': 'erik', 'code': 'gap'}"))""",
        timeout=20_000,
    )
    page.locator('.dv-lane-head[data-code="gap"]').click()  # every code again
    drawn(page, 4)
    page.select_option(".dv-f-layer", "consensus")
    drawn(page, 5)
    consensus = page.evaluate(
        "() => [...document.querySelectorAll('.dv-stripe')].map(s =>"
        " [Number(s.closest('.dv-turn').dataset.segment), s.dataset.code])"
    )
    # Both coders: needs and trust on whole turns, and gap on turn 4 (their spans differ; the
    # earliest stands for the pair); anna's suggestion alone is not consensus.
    assert sorted(consensus) == sorted([[ids[1], "needs"], [ids[3], "gap"], [ids[4], "trust"]])
    page.select_option(".dv-f-layer", "all")
    drawn(page, 6)

    # A click on a participant's turn opens it in the tagger below; the interviewer's do not.
    page.locator(f'.dv-turn[data-segment="{ids[2]}"] .dv-text').click()
    page.locator(f'.dv-turn[data-segment="{ids[3]}"] .dv-text').click(position={"x": 30, "y": 12})
    page.wait_for_function(
        "(t) => document.querySelector('.vt-text')?.textContent === t", arg=BUS, timeout=45_000
    )
    page.wait_for_function(
        "(t) => document.querySelector('.dv-status')?.textContent === t",
        arg="Opened turn 4 in the tagger",
    )
    assert page.locator(".dv-opened").get_attribute("data-segment") == str(ids[3])
    assert page.locator(".vt-coder").inner_text().endswith("anna")
    page.wait_for_function(  # the tagger below the view is brought into sight
        "() => { const r = document.querySelector('.vt-root').getBoundingClientRect();"
        " return r.top >= 0 && r.top < window.innerHeight - 200; }"
    )
    page.screenshot(path=str(SCREENSHOTS / "docview-tagger.png"))


def test_document_view_browser_in_swedish(page: Any, lab: Lab) -> None:
    ids = study(lab.root / "sv-study")
    (lab.root / "sv.ipynb").write_text(
        notebook("import workbench\nworkbench.open('sv-study').document_view('morgon.txt')"),
        encoding="utf-8",
    )
    run_notebook(page, lab, "sv.ipynb")
    drawn(page)
    assert page.locator(".dv-root").get_attribute("lang") == "sv"
    assert page.locator(".dv-lane-head").all_inner_texts() == [
        "Behov",
        "Tillit",
        "Informationsglapp",
        "Teknisk kvalitet",
        "Funktionell kvalitet",
    ]
    assert page.locator(".dv-f-layer option").all_inner_texts() == [
        "Alla kodare",
        "anna",
        "erik",
        "Konsensus",
    ]
    assert page.locator(".dv-filter").first.inner_text().startswith("Kodningar av")
    assert page.locator(".dv-f-code option").first.inner_text() == "Alla koder"
    assert page.locator(".dv-hint").inner_text() == text("docview_hint", "sv")
    assert page.locator(".dv-counts").inner_text() == "12 repliker · 13 kodningar"
    assert page.locator(".dv-refresh").inner_text() == "Läs om"
    who = page.locator(f'.dv-turn[data-segment="{ids[0]}"] .dv-speaker').inner_text()
    assert who == "Intervjuare"
    page.locator(f'.dv-turn[data-segment="{ids[4]}"] .dv-stripe').first.hover()
    assert page.locator(".dv-tip").inner_text() == "Tillit · anna\nhela repliken"
    page.locator(".dv-root").screenshot(path=str(SCREENSHOTS / "docview-sv.png"))

    # Scrolled down, the lanes' colours stay on top; a click on one shows only that code.
    page.evaluate(
        "() => { const s = document.querySelector('.dv-scroll'); s.scrollTop = s.scrollHeight; }"
    )
    page.wait_for_function(
        "() => Math.abs(document.querySelector('.dv-strip').getBoundingClientRect().top"
        " - document.querySelector('.dv-scroll').getBoundingClientRect().top) < 1"
    )
    swatch = page.locator('.dv-lane-swatch[data-code="gap"]')
    swatch.hover()
    assert page.locator(".dv-tip").inner_text() == (
        "Informationsglapp: 4 kodningar här. Klicka för att bara visa denna kod"
    )
    page.locator(".dv-root").screenshot(path=str(SCREENSHOTS / "docview-sv-scrolled.png"))
    swatch.click()
    drawn(page, 2)
    assert page.locator(".dv-lane-swatch").count() == 1 and page.locator(".dv-stripe").count() == 4
    page.locator('.dv-lane-swatch[data-code="gap"]').click()
    drawn(page, 3)
    assert page.locator(".dv-lane-swatch").count() == 5
    page.select_option(".dv-f-code", "technical")
    page.select_option(".dv-f-layer", "erik")  # erik never used it here
    drawn(page, 5)
    assert page.locator(".dv-stripe, mark").count() == 0
    assert page.locator(".dv-none").inner_text() == "Inga kodningar att visa med dessa filter."
    page.locator(f'.dv-turn[data-segment="{ids[2]}"]').click()  # the interviewer's: nothing
    page.locator(f'.dv-turn[data-segment="{ids[6]}"] .dv-text').click()
    page.wait_for_function(
        "(t) => document.querySelector('.dv-status')?.textContent === t",
        arg="Öppnade replik 7 i kodverktyget",
        timeout=45_000,
    )
    page.wait_for_selector(".vt-root .vt-text", timeout=45_000)
    assert page.locator(".vt-text").inner_text() == TURNS[6][2]
