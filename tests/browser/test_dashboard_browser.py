"""The stakeholder dashboard as a viewer uses it: ``workbench dashboard`` (Voilà) on the sample
study, opened in Chromium; sections, filters, drill-down, language; no console errors and no
request leaves localhost.  Screenshots go to ``screenshots/dashboard-*.png``."""

from __future__ import annotations

import contextlib
import os
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

from ._lab import SCREENSHOTS, free_port, need_browser

pytestmark = pytest.mark.browser
TOKEN = "browser-test-token"
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


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard of the sample study, served by Voilà on a free local port."""
    need_browser()
    base = tmp_path_factory.mktemp("voila")
    project = build_sample_project(base / "study")
    port = free_port()
    log = (base / "voila.log").open("wb")
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
                    raise RuntimeError((base / "voila.log").read_text(errors="replace")) from None
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


@pytest.fixture
def dash(browser: Any, server: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A tab on the dashboard that fails the test on console errors and outside requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
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


def shot(page: Any, name: str) -> Path:
    """A screenshot of the whole dashboard (Voilà scrolls inside the page, so the viewport is
    made as tall as the content first)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    height = page.evaluate("() => document.querySelector('.vd-root')?.scrollHeight || 1000")
    page.set_viewport_size({"width": 1280, "height": int(height) + 120})
    # plotly redraws its charts for the new window size a moment later: wait for that redraw
    page.wait_for_timeout(300)
    page.wait_for_function(
        """() => [...document.querySelectorAll('.vd-chart')].every(c => c.offsetParent === null
            || (c._fullLayout && Math.abs(c._fullLayout.width - c.clientWidth) < 2))"""
    )
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1280, "height": 1000})
    return path


def open_dashboard(page: Any, query: str = "") -> None:
    """The dashboard with the URL options ``query`` ("?lang=sv"), after the viewer's token."""
    page.goto(page.server + query.replace("?", "&", 1), timeout=60_000)
    wait_render(page, 1)


def wait_render(page: Any, n: int) -> None:
    """Wait until render ``n`` is on the page and every chart has drawn it."""
    page.wait_for_selector(f'.vd-ready[data-render="{n}"]', state="attached", timeout=60_000)
    page.wait_for_function(
        """(n) => {
            const charts = [...document.querySelectorAll('.vd-chart')];
            return charts.length >= 6 && charts.every(c => c.dataset.version === String(n)
                || c.offsetParent === null);
        }""",
        arg=n,
        timeout=30_000,
    )


def choose(page: Any, label: str, option: str) -> None:
    """Pick the option shown as ``option`` in the filter titled ``label``."""
    page.locator(f'.vd-filters .widget-vbox:has(b:text-is("{label}")) select').select_option(
        label=option
    )


def click_bar(page: Any, section: str, trace: int, code: str) -> None:
    """Click the bar of ``code`` in trace ``trace`` of the first chart in ``section``."""
    chart = page.locator(f".vd-section-{section} .vd-chart").first
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
    open_dashboard(dash)
    header = dash.locator(".vd-header").inner_text()
    assert "What our users tell us" in header and "6 people interviewed" in header
    for title in (
        "Overview",
        "Needs",
        "Expectations",
        "Information gaps and sources",
        "Perceived quality",
        "Everyday processes",
        "Quotes",
    ):
        assert dash.locator(f".vd-section h2:text-is('{title}')").count() == 1
    overview = dash.locator(".vd-section-overview .vd-chart").first
    assert overview.evaluate("d => d.data[0].x") == [2, 4, 3, 4]
    assert "4 of 6 participants" in dash.locator(".vd-section-needs .vd-headline").inner_text()
    start = dash.locator(".vd-start").inner_text()
    assert "Communication: 3 of 6 participants had a negative experience" in start
    quality = dash.locator(".vd-section-quality .vd-chart").first
    assert sorted(quality.evaluate("d => d.data[0].x")) == [-3, -2, -1, -1, -1, 0, 0, 0, 0, 0]
    assert "P03" in dash.locator(".vd-section-everyday table").inner_text()
    page_text = dash.locator("body").inner_text()
    assert "from workbench" not in page_text and "show()" not in page_text  # no code
    assert "Traceback" not in page_text
    shot(dash, "dashboard-overview-en")


def test_dashboard_browser_filters_change_figures(dash: Any) -> None:
    open_dashboard(dash)
    choose(dash, "User type", "internal")
    wait_render(dash, 2)
    assert "2 people interviewed" in dash.locator(".vd-header").inner_text()
    assert "1 of 2 participants" in dash.locator(".vd-section-needs .vd-headline").inner_text()
    choose(dash, "Compare groups", "Role")
    wait_render(dash, 3)
    names = dash.locator(".vd-section-overview .vd-chart").first.evaluate(
        "d => d.data.map(t => t.name)"
    )
    assert names == ["administrator", "inspector"]
    shot(dash, "dashboard-filtered-internal-by-role")
    choose(dash, "Compare groups", "No comparison")
    choose(dash, "User type", "All")
    choose(dash, "Whose coding", "Coder erik")
    wait_render(dash, 6)
    assert "3 people interviewed" in dash.locator(".vd-header").inner_text()


def test_dashboard_browser_click_bar_shows_quotes(dash: Any) -> None:
    open_dashboard(dash)
    click_bar(dash, "quality", 0, "fq-communication")
    drill = dash.locator(".vd-section-quality .vd-quotes")
    drill.wait_for(timeout=15_000)
    text = drill.inner_text()
    assert "3 quote(s): Communication × Negative" in text
    assert "P05 · food truck · Hamnen · owner · external" in text
    click_bar(dash, "needs", 0, "fq-communication")
    needs = dash.locator(".vd-section-needs .vd-quotes h4").first
    needs.wait_for(timeout=15_000)
    assert needs.inner_text() == "2 quote(s): Needs × Communication"
    dash.locator(".vd-section-quotes select").select_option(label="Trust (1)")
    dash.locator(".vd-section-quotes .vd-quotes").wait_for(timeout=15_000)
    assert "I expect the same answer" in dash.locator(".vd-section-quotes").inner_text()
    shot(dash, "dashboard-drill-down")


def test_dashboard_browser_swedish(dash: Any) -> None:
    open_dashboard(dash, "?lang=sv")
    assert "Vad våra användare berättar" in dash.locator(".vd-header").inner_text()
    assert "Behov" in dash.locator(".vd-section-needs h2").inner_text()
    labels = dash.locator(".vd-section-needs .vd-chart").first.evaluate("d => d.data[0].y")
    assert "Kommunikation" in labels
    choose(dash, "Språk", "English")
    wait_render(dash, 2)
    assert "What our users tell us" in dash.locator(".vd-header").inner_text()
    choose(dash, "Language", "Svenska")
    wait_render(dash, 3)
    shot(dash, "dashboard-overview-sv")


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
    page.wait_for_function("() => document.querySelectorAll('.main-svg').length > 0")
    page.wait_for_timeout(500)
    links = "() => document.querySelectorAll('[*|href*=\"phish\"]').length"  # SVG links too
    assert page.evaluate(links) == 0
    assert page.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0
    shown = page.evaluate(
        "() => [...document.querySelectorAll('svg text')].map(t => t.textContent).join(' ')"
    )
    assert "<a href=" in shown or "Click me</a>" in shown
