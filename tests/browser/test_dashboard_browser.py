"""The stakeholder dashboard as a viewer uses it: ``workbench dashboard`` (Voilà) on the sample
study and on the demo study, opened in Chromium at 1440×900; themes, where to start, sections,
filters, sources, drill-down, language; the static report; no console errors and no request
leaves localhost.  Screenshots go to ``screenshots/dashboard-*.png``."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import workbench
from workbench.dashboards import build_sample_project
from workbench.dashboards._model import MIN_GROUP_KEY

from ._lab import SCREENSHOTS, free_port, need_browser

pytestmark = pytest.mark.browser
TOKEN = "browser-test-token"
VIEWPORT = {"width": 1440, "height": 900}
LOCAL = (
    "http://127.0.0.1",
    "ws://127.0.0.1",
    "http://localhost",
    "ws://localhost",
    "data:",
    "blob:",
)


def _command(project: Path, port: int) -> list[str]:
    """``workbench dashboard`` as a viewer's administrator starts it."""
    return [sys.executable, "-m", "workbench", "dashboard", str(project), f"--port={port}"]


@contextlib.contextmanager
def serving(project: Path, base: Path) -> Iterator[str]:
    """``workbench dashboard project`` on a free local port, for the length of a ``with``."""
    port = free_port()
    log = (base / f"voila-{port}.log").open("wb")
    env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
        "PYTHONUNBUFFERED": "1",
        "WORKBENCH_DASHBOARD_TOKEN": TOKEN,
    }
    process = subprocess.Popen(
        _command(project, port),
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                with urllib.request.urlopen(url + "voila/static/voila.js", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(Path(log.name).read_text(errors="replace")) from None
                time.sleep(0.5)
        yield url + f"?token={TOKEN}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard of the sample study, served by Voilà on a free local port."""
    need_browser()
    base = tmp_path_factory.mktemp("voila")
    study = build_sample_project(base / "study")
    # Each of the sample's six people holds a role of their own: these tests count what the
    # filters do, so small groups are shown here (their suppression: the demo's test).
    with workbench.open(study) as project:
        project.store.set_meta(MIN_GROUP_KEY, "1")
    with serving(study, base) as url:
        yield url


@pytest.fixture(scope="module")
def demo_study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo study as ``workbench demo --no-serve`` builds it (its predictions too)."""
    need_browser()
    base = tmp_path_factory.mktemp("voila-demo")
    built = subprocess.run(
        [sys.executable, "-m", "workbench", "demo", "--no-serve", str(base / "demo")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr
    return base / "demo"


@pytest.fixture(scope="module")
def demo_server(demo_study: Path) -> Iterator[str]:
    """The dashboard of the demo study, as ``make demo`` serves it."""
    with serving(demo_study, demo_study.parent) as url:
        yield url


def _tab(browser: Any, server: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A tab on a dashboard that fails the test on console errors and outside requests."""
    context = browser.new_context(viewport=VIEWPORT)
    tab = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    tab.on("request", lambda r: None if r.url.startswith(LOCAL) else outside.append(r.url))
    tab.server = server
    try:
        yield tab
    finally:
        with contextlib.suppress(Exception):
            shot(tab, f"dashboard-{request.node.name}-last")
        context.close()
    assert not errors, "browser console errors:\n" + "\n".join(errors)
    assert not outside, "requests left localhost:\n" + "\n".join(outside)


@pytest.fixture
def dash(browser: Any, server: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A tab on the sample study's dashboard."""
    yield from _tab(browser, server, request)


@pytest.fixture
def demo(browser: Any, demo_server: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A tab on the demo study's dashboard."""
    yield from _tab(browser, demo_server, request)


def shot(page: Any, name: str) -> Path:
    """A screenshot of the whole dashboard (Voilà scrolls inside the page, so the viewport is
    made as tall as the content first)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    height = page.evaluate("() => document.querySelector('.vd-root')?.scrollHeight || 1000")
    page.set_viewport_size({"width": VIEWPORT["width"], "height": int(height) + 120})
    # plotly redraws its charts for the new window size a moment later: wait for that redraw
    page.wait_for_timeout(300)
    page.wait_for_function(
        """() => [...document.querySelectorAll('.vd-chart')].every(c => c.offsetParent === null
            || (c._fullLayout && Math.abs(c._fullLayout.width - c.clientWidth) < 2))"""
    )
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    page.set_viewport_size(VIEWPORT)
    return path


def open_dashboard(page: Any, query: str = "") -> None:
    """The dashboard with the URL options ``query`` ("?lang=sv"), after the viewer's token."""
    page.goto(page.server + query.replace("?", "&", 1), timeout=60_000)
    wait_render(page, 1)


def wait_render(page: Any, n: int) -> None:
    """Wait until render ``n`` is on the page and every chart in sight has drawn it (a chart
    out of sight is drawn when scrolled to: it says which render it waits for)."""
    page.wait_for_selector(f'.vd-ready[data-render="{n}"]', state="attached", timeout=60_000)
    page.wait_for_function(
        """(n) => {
            const want = String(n);
            const charts = [...document.querySelectorAll('.vd-chart')];
            const inSight = (c) => {
                const r = c.getBoundingClientRect();
                return r.bottom > 0 && r.top < window.innerHeight;
            };
            return charts.length >= 6 && charts.every(c => c.offsetParent === null
                || c.dataset.version === want || (c.dataset.pending === want && !inSight(c)));
        }""",
        arg=n,
        timeout=30_000,
    )


def drawn(page: Any, selector: str) -> Any:
    """The chart ``selector`` scrolled into sight and drawn (its figure as plotly has it)."""
    chart = page.locator(selector).first
    chart.scroll_into_view_if_needed()
    page.wait_for_function(
        "(c) => c.dataset.pending === undefined && c.dataset.version !== undefined",
        arg=chart.element_handle(),
        timeout=30_000,
    )
    return chart


def choose(page: Any, label: str, option: str) -> None:
    """Pick the option shown as ``option`` in the filter titled ``label``."""
    page.locator(f'.vd-filters .widget-vbox:has(b:text-is("{label}")) select').select_option(
        label=option
    )


def click_bar(page: Any, section: str, trace: int, code: str) -> None:
    """Click the bar of ``code`` in trace ``trace`` of the first chart in ``section``."""
    chart = drawn(page, f".vd-section-{section} .vd-chart")
    index = chart.evaluate(
        "(div, [t, code]) => div.data[t].customdata.findIndex(c => c[0] === code)",
        [trace, code],
    )
    bar = chart.locator("g.trace.bars").nth(trace).locator("g.point").nth(index)
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    assert box is not None and box["width"] > 0
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)  # plotly clicks the bar under the hover
    page.mouse.click(x, y)


def test_dashboard_browser_sections_show_expected_figures(dash: Any) -> None:
    open_dashboard(dash, "?layer=all")
    header = dash.locator(".vd-header").inner_text()
    assert "What our users tell us" in header and "6 people interviewed" in header
    for title in (
        "Overview",
        "Needs",
        "Expectations",
        "Information gaps",
        "Information sources",
        "Perceived quality",
        "Everyday processes",
        "Quotes",
    ):
        assert dash.locator(f".vd-section h2:text-is('{title}')").count() == 1
    overview = drawn(dash, ".vd-section-overview .vd-chart")
    assert overview.evaluate("d => d.data[0].x") == [2, 4, 3, 4]
    start = dash.locator(".vd-start").inner_text()
    assert start.index("What the fee covers") < start.index("A quick answer")
    assert "1 of 6 participants raised it in a negative experience · 2 raised it in all" in start
    assert "Jag visste inte att avgiften skulle komma" in start  # one quote each
    needs = dash.locator(".vd-section-needs .vd-headline").inner_text()
    assert "4 of 6 participants raised a need" in needs
    labels = drawn(dash, ".vd-section-needs .vd-chart").evaluate("d => d.data[0].y")
    assert labels == ["Knowing the fee in advance", "A checklist before the visit"]
    hint = dash.locator(".vd-section-information_sources").inner_text()
    assert "The research team can develop themes in the workbench" in hint
    quality = drawn(dash, ".vd-section-quality .vd-chart")
    assert sorted(quality.evaluate("d => d.data[0].x")) == [-3, -2, -1, -1, -1, 0, 0, 0, 0, 0]
    about = dash.locator(".vd-section-quality table").inner_text()
    assert "What the fee covers (1 person)" in about
    dash.locator(".vd-section-everyday button.vd-fold-button").click()
    dash.locator(".vd-section-everyday table").wait_for(timeout=15_000)
    assert "P03" in dash.locator(".vd-section-everyday table").inner_text()
    page_text = dash.locator("body").inner_text()
    assert "from workbench" not in page_text and "show()" not in page_text  # no code
    assert "Traceback" not in page_text
    shot(dash, "dashboard-sample-en")


def test_dashboard_browser_defaults_to_consensus_and_sources(dash: Any) -> None:
    open_dashboard(dash)
    layer = dash.locator('.vd-filters .widget-vbox:has(b:text-is("Whose coding")) select')
    assert layer.evaluate("s => [...s.options].map(o => o.text.replace(/\\s/g, ' '))") == [
        "Consensus",
        "All coders",
        "Coder anna",
        "Coder erik",
    ]
    assert layer.evaluate("s => s.options[s.selectedIndex].text") == "Consensus"
    assert "the consensus of anna, erik" in dash.locator(".vd-coding").inner_text()
    choose(dash, "Source", "Survey answers")
    wait_render(dash, 2)
    assert "3 coded answers (of 3 survey answers)" in dash.locator(".vd-header").inner_text()
    labels = dash.locator(".vd-filters b").all_inner_texts()
    assert "Answer language" in labels and "User group" not in labels
    quality = drawn(dash, ".vd-section-quality .vd-chart")
    pairs = quality.evaluate(
        "d => d.data[0].customdata.map((c, i) => [c[0], d.data[0].x[i], d.data[1].x[i]])"
    )
    assert ["fq-attitudes", 0, 1] in pairs  # praised in a span, criticism elsewhere
    shot(dash, "dashboard-sample-survey")


def test_dashboard_browser_reload_keeps_language_and_filters(dash: Any) -> None:
    """The filters live in the URL: a reload (or the link sent on) opens the same view."""
    open_dashboard(dash, "?layer=all")
    choose(dash, "Language", "Svenska")
    wait_render(dash, 2)
    choose(dash, "Användartyp", "extern")
    wait_render(dash, 3)
    dash.wait_for_function("() => location.search.includes('user_type=external')")
    query = dash.evaluate("() => location.search")
    assert "lang=sv" in query and "layer=all" in query and "token=" in query
    dash.reload(timeout=60_000)
    wait_render(dash, 1)
    header = dash.locator(".vd-header").inner_text()
    assert "4 intervjuade" in header
    kind = dash.locator('.vd-filters .widget-vbox:has(b:text-is("Användartyp")) select')
    assert kind.evaluate("s => s.options[s.selectedIndex].text") == "extern"
    choose(dash, "Användartyp", "Alla")
    wait_render(dash, 2)
    dash.wait_for_function("() => !location.search.includes('user_type')")


def test_dashboard_browser_filters_change_figures(dash: Any) -> None:
    open_dashboard(dash, "?layer=all")
    choose(dash, "User type", "internal")
    wait_render(dash, 2)
    assert "2 people interviewed" in dash.locator(".vd-header").inner_text()
    needs = dash.locator(".vd-section-needs .vd-headline").inner_text()
    assert "1 of 2 participants raised a need" in needs
    choose(dash, "Compare groups", "Role")
    wait_render(dash, 3)
    names = drawn(dash, ".vd-section-overview .vd-chart").evaluate("d => d.data.map(t => t.name)")
    assert names == ["inspector (n=1)", "administrator (n=1)"]  # legend: reversed
    assert dash.locator(".vd-start .vd-col").count() == 2
    shot(dash, "dashboard-filtered-internal-by-role")
    choose(dash, "Compare groups", "No comparison")
    choose(dash, "User type", "All")
    choose(dash, "Compare groups", "User type")
    wait_render(dash, 6)
    chart = drawn(dash, ".vd-section-overview .vd-chart")
    assert chart.evaluate("d => d.data.map(t => t.name)") == ["internal (n=2)", "external (n=4)"]
    assert chart.evaluate("d => d.data[1].text") == ["50% (2)", "75% (3)", "50% (2)", "75% (3)"]
    start = dash.locator(".vd-start").inner_text()
    assert "external (n=4)" in start and "internal (n=2)" in start
    shot(dash, "dashboard-compare-user-type")
    choose(dash, "Compare groups", "No comparison")
    choose(dash, "Whose coding", "Coder erik")
    wait_render(dash, 8)
    assert "3 people interviewed" in dash.locator(".vd-header").inner_text()


def test_dashboard_browser_click_bar_shows_quotes(dash: Any) -> None:
    open_dashboard(dash, "?layer=all")
    click_bar(dash, "quality", 0, "fq-communication")
    drill = dash.locator(".vd-section-quality .vd-quotes")
    drill.wait_for(timeout=15_000)
    text = drill.inner_text()
    assert "3 quotes: Communication × Negative" in text
    assert "P05 · Hamnen · owner · external" in text  # no business: one person's
    click_bar(dash, "needs", 0, "need-checklist")
    needs = dash.locator(".vd-section-needs .vd-quotes h4").first
    needs.wait_for(timeout=15_000)
    assert needs.inner_text() == "2 quotes: Needs × A checklist before the visit"
    click_bar(dash, "information_gaps", 0, "gap-rules")
    gaps = dash.locator(".vd-section-information_gaps .vd-quotes h4").first
    gaps.wait_for(timeout=15_000)
    assert gaps.inner_text() == "2 quotes: Information gaps × Which rules apply"
    dash.locator(".vd-section-quotes select").select_option(label="Trust (1)")
    dash.locator(".vd-section-quotes .vd-quotes").wait_for(timeout=15_000)
    assert "I expect the same answer" in dash.locator(".vd-section-quotes").inner_text()
    shot(dash, "dashboard-drill-down")


def test_dashboard_browser_swedish(dash: Any) -> None:
    open_dashboard(dash, "?lang=sv&layer=all")
    assert "Vad våra användare berättar" in dash.locator(".vd-header").inner_text()
    assert "Behov" in dash.locator(".vd-section-needs h2").inner_text()
    labels = drawn(dash, ".vd-section-needs .vd-chart").evaluate("d => d.data[0].y")
    assert "En checklista inför besöket" in labels
    assert "Vad avgiften täcker" in dash.locator(".vd-start").inner_text()
    shot(dash, "dashboard-sample-sv")
    choose(dash, "Språk", "English")
    wait_render(dash, 2)
    assert "What our users tell us" in dash.locator(".vd-header").inner_text()
    choose(dash, "Language", "Svenska")
    wait_render(dash, 3)


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_dashboard_browser_demo_speaks_in_themes(demo: Any, lang: str) -> None:
    """The demo study as ``make demo`` shows it: could a manager say what to fix first?"""
    open_dashboard(demo, f"?lang={lang}")
    header = demo.locator(".vd-header").inner_text()
    assert ("16 people interviewed" if lang == "en" else "16 intervjuade") in header
    start = demo.locator(".vd-start")
    items = start.locator("li")
    assert items.count() == 5
    for i in range(5):  # each a theme, its figures and one quote
        item = items.nth(i)
        assert item.locator("b").inner_text() and item.locator("q").count() == 1
        assert item.locator(".vd-tag").count() == 1
    for section in ("needs", "expectations", "information_gaps"):
        chart = drawn(demo, f".vd-section-{section} .vd-chart")
        assert len(chart.evaluate("d => d.data[0].y")) >= 4  # the themes, not the category
    sources = demo.locator(".vd-section-information_sources").inner_text()
    assert ("develop themes" if lang == "en" else "ta fram teman") in sources
    shot(demo, f"dashboard-demo-{lang}")
    choose(
        demo,
        "Source" if lang == "en" else "Källa",
        "Survey answers" if lang == "en" else "Enkätsvar",
    )
    wait_render(demo, 2)
    coded = demo.locator(".vd-header").inner_text()
    said = r"coded answers \(of [\d,]+ survey answers\)" if lang == "en" else r"kodade svar \(av "
    assert re.search(said, coded)
    assert demo.locator(".vd-start li").count() >= 3
    shot(demo, f"dashboard-demo-survey-{lang}")


def test_report_browser_bar_opens_its_quotes(page: Any, tmp_path: Path) -> None:
    """The report's charts are SVG without plotly.js; clicking a bar opens its quotes."""
    from workbench.dashboards import write_report

    project = build_sample_project(tmp_path / "study")
    out = write_report(project, tmp_path / "report.html")
    page.set_viewport_size(VIEWPORT)
    page.goto(out.as_uri())
    bar = page.locator("#interviews-information_gaps a.vd-bar").first
    target = bar.get_attribute("href")
    assert target and target.startswith("#interviews-q-information_gaps-")
    details = page.locator(f"details{target}")
    assert not details.evaluate("d => d.open")
    bar.click()
    page.wait_for_function("(d) => d.open", arg=details.element_handle(), timeout=5_000)
    assert details.locator(".vd-quote").count() >= 1
    page.screenshot(path=str(SCREENSHOTS / "dashboard-report-bar-opened.png"))


def test_report_browser_code_label_with_html_is_text_not_a_link(page: Any, tmp_path: Path) -> None:
    """A code label holding HTML (a phishing link) is shown as typed in every chart and never
    becomes a link or markup in the report."""
    from workbench.dashboards import write_report

    project = build_sample_project(tmp_path / "study")
    evil = '<a href="https://phish.example/">Click me</a><img src=x onerror=alert(1)>'
    with workbench.open(project) as p:
        p.rename_code("fq-accessibility", evil)  # a bar in the quality chart
    out = write_report(project, tmp_path / "report.html")
    page.goto(out.as_uri())
    page.wait_for_function("() => document.querySelectorAll('svg.vd-svg').length > 0")
    links = "() => document.querySelectorAll('[*|href*=\"phish\"]').length"  # SVG links too
    assert page.evaluate(links) == 0
    assert page.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0
    shown = page.evaluate(
        "() => [...document.querySelectorAll('svg text')].map(t => t.textContent).join(' ')"
    )
    assert "<a href=" in shown or "Click me</a>" in shown


def _plain(text: str) -> str:
    """``text`` as compared: no-break spaces (Swedish thousands) as spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_dashboard_browser_demo_estimate_layer(demo: Any, demo_study: Path, lang: str) -> None:
    """The demo as a manager reads the estimate: "how many of our users lack information
    about fees, and how sure are we?" — bars with whiskers, who was coded and who estimated,
    the model's quotes marked with their probability after people's, and the interviews
    beside the survey.  The expected figures are the dashboard's own frames, read here."""
    from workbench.dashboards import DashboardData, Filters, Layer
    from workbench.dashboards import _estimate as est
    from workbench.i18n import text

    with workbench.open(demo_study, read_only=True) as project:
        data = DashboardData(project)
        assert Layer.ESTIMATE in data.layers()  # make demo builds current predictions
        view = data.views(data.normalize(Filters(lang=lang, layer="estimate", source="survey")))
        survey = view.estimate
        assert survey is not None and survey.available
        themes = survey.categories["information_gaps"].themes
        top = themes.iloc[0]
        caption = est.caption(survey.counts, "survey", lang)
        beside = data.views(data.normalize(Filters(lang=lang, layer="estimate", by=est.BESIDE)))
        assert beside.estimate is not None
        legend = [name for name, _c in (est.group_styles(beside.estimate, lang) or {}).values()]
    layer_label, source_label = text("f_layer", lang), text("f_source", lang)
    open_dashboard(demo, f"?lang={lang}")
    layers = demo.locator(f'.vd-filters .widget-vbox:has(b:text-is("{layer_label}")) select')
    shown = layers.evaluate("s => [...s.options].map(o => o.text.replace(/\\s/g, ' '))")
    assert shown[-1] == text("layer_estimate", lang)  # after the human layers
    choose(demo, layer_label, text("layer_estimate", lang))
    wait_render(demo, 2)
    choose(demo, source_label, text("source_survey", lang))
    wait_render(demo, 3)
    header = _plain(demo.locator(".vd-header").inner_text())
    counts = survey.counts
    assert _plain(est.segments_text(counts.coded, "survey", lang)) in header
    assert _plain(est.number(counts.estimated, lang)) in header
    section = demo.locator(".vd-section-information_gaps")
    assert _plain(caption) in _plain(section.locator(".vd-caption").inner_text())
    # Bars with whiskers: the 95 % interval of each theme, drawn.
    chart = drawn(demo, ".vd-section-information_gaps .vd-chart")
    bars = chart.evaluate("d => d.data[0].customdata.map(c => c[0])")
    assert bars[-1] == top["code"]  # the largest on top
    plus = chart.evaluate("d => d.data[0].error_x.array")
    assert plus[-1] == pytest.approx(round(100 * (top["ci_high"] - top["estimate"]), 2))
    assert chart.locator("g.errorbar path").count() >= len(bars)
    labels = chart.evaluate("d => d.data[1].text")
    assert labels[-1].strip() == est.share_label(top, lang)
    headline = _plain(section.locator(".vd-headline").inner_text())
    assert headline.startswith("An estimated " if lang == "en" else "Uppskattningsvis ")
    shot(demo, f"dashboard-estimate-{lang}")
    # A bar's quotes: people's first, then the model's, each with its probability.
    click_bar(demo, "information_gaps", 0, str(top["code"]))
    badge = section.locator(".vd-model-badge").first
    badge.wait_for(timeout=30_000)
    word = "model" if lang == "en" else "modell"
    assert re.fullmatch(rf"{word}, \d+{'%' if lang == 'en' else ' %'}", _plain(badge.inner_text()))
    # Each part of the section (the bar's quotes, the section's own) lists people's quotes,
    # then the model's: never mixed.
    parts = section.locator(".widget-html").evaluate_all(
        """ws => ws.map(w => [...w.querySelectorAll('.vd-quote')]
            .map(q => q.classList.contains('vd-model'))).filter(p => p.length)"""
    )
    assert parts and all(p == sorted(p) for p in parts)
    assert any(True in p and False in p for p in parts)
    assert ("50%" if lang == "en" else "50 %") in _plain(
        section.locator(".vd-model-quotes h4").first.inner_text()
    )
    section.locator(".vd-model-quotes").first.scroll_into_view_if_needed()
    shot(demo, f"dashboard-estimate-quotes-{lang}")
    # Interviews beside the survey: each theme's interview share beside the survey's estimate.
    choose(demo, text("f_by", lang), text("est_by_beside", lang))
    wait_render(demo, 4)
    chart = drawn(demo, ".vd-section-information_gaps .vd-chart")
    names = chart.evaluate("d => d.data.filter(t => t.type === 'bar').map(t => t.name)")
    assert [_plain(n) for n in names] == [_plain(n) for n in legend[::-1]]  # legend reversed
    errors = chart.evaluate("d => d.data.filter(t => t.type === 'bar').map(t => !!t.error_x)")
    assert errors.count(True) == 2  # the interviews have an interval too (k of n people)
    shot(demo, f"dashboard-estimate-beside-{lang}")


def test_report_browser_demo_estimate(page: Any, demo_study: Path, tmp_path: Path) -> None:
    """The demo's report in the estimate layer: whiskers drawn in its SVG, captions, the
    model's quotes marked, and the interviews beside the survey in a section of its own."""
    from workbench.dashboards import write_report

    out = write_report(demo_study, tmp_path / "estimate.html", lang="en", layer="estimate")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_viewport_size(VIEWPORT)
    page.goto(out.as_uri())
    beside = page.locator("#beside")
    assert beside.count() == 1
    assert "Interviews beside the survey" in beside.inner_text()
    whiskers = page.locator('svg.vd-svg path[stroke-width="1.5"]')
    assert whiskers.count() >= 10
    caption = page.locator(".vd-caption").first.inner_text()
    assert re.search(
        r"Estimate: [\d,]+ (answers|passages) coded by people, [\d,]+ estimated", caption
    )
    assert page.locator(".vd-model-badge").count() >= 3
    assert re.fullmatch(
        r"model, \d+%", _plain(page.locator(".vd-model-badge").first.text_content() or "")
    )
    page.screenshot(path=str(SCREENSHOTS / "dashboard-estimate-report-en.png"))
    # The section (its heading and what follows it) as a reader scrolls to it.
    top = beside.evaluate("h => h.getBoundingClientRect().top + window.scrollY")
    page.set_viewport_size({"width": VIEWPORT["width"], "height": 2400})
    page.evaluate("(y) => window.scrollTo(0, y - 20)", top)
    page.screenshot(path=str(SCREENSHOTS / "dashboard-estimate-report-beside-en.png"))
    assert not errors, errors


def test_dashboard_browser_demo_hides_small_groups_and_speaks_swedish(demo: Any) -> None:
    """The demo's interviewees hold one-person roles (one communications officer, ...): no
    byline names them and the user group filter offers only roles several people hold.  A
    Swedish study opens in Swedish."""
    open_dashboard(demo)
    assert "Vad våra användare berättar" in demo.locator(".vd-header").inner_text()
    group = demo.locator('.vd-filters .widget-vbox:has(b:text-is("Användargrupp")) select')
    offered = group.evaluate("s => [...s.options].map(o => o.text)")
    assert offered == ["Alla", "ägare"]
    assert "färre än 3 personer" in demo.locator(".vd-coding").inner_text()
    bylines = " | ".join(demo.locator(".vd-who").all_inner_texts())
    for word in ("kommunikatör", "inspektör", "enhetschef", "handläggare", "communications"):
        assert word not in bylines
    shot(demo, "dashboard-demo-small-groups")
