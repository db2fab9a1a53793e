"""Dashboard benchmark: a generated study with 100,000 codings (themes under needs, expectations
and information gaps included), served by ``workbench dashboard`` (Voilà) and opened in headless
Chromium.

    .venv/bin/python benchmarks/dashboard.py                    # 100,000 codings
    .venv/bin/python benchmarks/dashboard.py --codings 20000    # quicker

Prints, for the same project in the same run:

* baseline: reading the codings and computing every analysis frame in Python (no widgets, no
  browser), and recomputing them for one new filter state;
* the time from requesting the page to the dashboard fully rendered (every chart drawn);
* the time for a filter change to re-render (a new filter state, and one seen before);

and the ratios of the browser figures to their Python baselines.  Aims: page ≤ 1.5 × the
one-widget Voilà page (measured side by side, same server options), filter change ≤ 300 ms.

Then the layer "Estimate (model + coders)" on the demo study (``workbench demo --no-serve``,
its predictions included): ``Project.prevalence`` of the survey in Python, and in the browser
the time a change of the estimate layer takes to re-render, for a selection estimated the
first time (seconds: the bootstrap) and for one seen before (aim ≤ 300 ms: each (source,
``by``) is estimated once and cached).

    .venv/bin/python benchmarks/dashboard.py --only-estimate    # the estimate layer only
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from _browser import CHROMIUM, CHROMIUM_ARGS

import workbench
from workbench.dashboards import DashboardData, Filters
from workbench.ingest._model import Segment, Transcript

ROOT = Path(__file__).resolve().parents[1]
WORDS = [
    "we",
    "usually",
    "open",
    "at",
    "seven",
    "and",
    "the",
    "delivery",
    "comes",
    "from",
    "the",
    "wholesaler",
    "the",
    "inspector",
    "called",
    "before",
    "the",
    "visit",
    "but",
    "the",
    "fee",
    "was",
    "higher",
    "than",
    "I",
    "expected",
    "the",
    "checks",
    "take",
    "time",
    "every",
    "week",
    "staff",
    "change",
    "often",
    "so",
    "we",
    "have",
    "to",
    "train",
    "new",
    "people",
    "all",
    "the",
    "time",
    "it",
    "is",
    "hard",
    "to",
    "know",
    "the",
    "rules",
]
ROLES = ["owner", "staff", "manager", "inspector", "administrator"]
DISTRICTS = ["Centrum", "Hamnen", "Västerby", "Norra Åsby", "Landsbygd"]
SIZES = ["micro", "small", "medium", "large"]
#: Codes drawn for each segment: one behaviour/quality topic, maybe a valence and a theme.
TOPICS = [
    "bp-needs",
    "bp-expectations",
    "bp-information-gaps",
    "bp-information-sources",
    "pq-technical",
    "fq-attitudes",
    "fq-behaviour",
    "fq-accessibility",
    "fq-punctuality",
    "fq-communication",
    "fq-servicescape",
    "fq-trust",
    "fq-recovery",
    "pq-image",
    "ep-what",
    "ep-how",
    "ep-why",
    "ep-goal",
    "ep-solutions",
]


#: Themes developed under three categories: (parent, how many).
THEMES = [("bp-needs", 6), ("bp-expectations", 4), ("bp-information-gaps", 7)]


def themed_codebook() -> Any:
    """The built-in codebook with child codes (themes) under needs, expectations and gaps."""
    from workbench.codebook import Code, add_code, builtin_codebook

    book = builtin_codebook()
    for parent, n in THEMES:
        for i in range(n):
            label = f"{parent.split('-', 1)[1].replace('-', ' ')} theme {i + 1}"
            theme = Code(
                id=f"{parent}-t{i + 1}",
                label={"en": label.capitalize(), "sv": f"Tema {i + 1}"},
                parent=parent,
                color="#4C78A8",
            )
            book = add_code(book, theme)
    return book


def build(folder: Path, codings: int, seed: int = 1) -> Path:
    """A study with about ``codings`` codings by two coders (codings / 5 segments); most
    segments with a needs, expectations or gaps code carry one of its themes too."""
    rng = random.Random(seed)
    book = themed_codebook()
    themes = {parent: [f"{parent}-t{i + 1}" for i in range(n)] for parent, n in THEMES}
    project = workbench.init(folder, codebook=book)
    segments_wanted = max(codings // 5, 10)
    # At least three people in every role and user type: the dashboards never show a group
    # smaller than that (small-cell suppression), and the benchmark filters by them.
    documents = max(segments_wanted // 100, 3 * len(ROLES))
    transcripts, attributes = [], []
    for d in range(documents):
        who = f"Person {d}"
        parts, segs, offset = [], [], 0
        for _ in range(segments_wanted // documents):
            text = " ".join(rng.choices(WORDS, k=rng.randint(12, 60))).capitalize() + "."
            start = offset + len(who) + 2
            segs.append(Segment(who, "interviewee", text, start, start + len(text)))
            parts.append(f"{who}: {text}")
            offset += len(parts[-1]) + 2
        name = f"interview-{d:04d}.txt"
        transcripts.append(
            Transcript(
                name,
                "txt",
                f"bench-{d}",
                "\n\n".join(parts),
                segs,
                "sv" if d % 2 else "en",
                participant=who,
            )
        )
        role = ROLES[d % len(ROLES)]
        attributes.append(
            (
                d + 2,
                name,
                {
                    "role": role,
                    "user_type": "internal"
                    if role in ("inspector", "administrator")
                    else "external",
                    "district": rng.choice(DISTRICTS),
                    "size": rng.choice(SIZES),
                },
            )
        )
    project.store.import_transcripts(
        transcripts,
        user="bench",
        participant_pseudonym=lambda label, known: f"P{len(known) + 1:03d}",
        attributes=attributes,
    )
    seg = project.segments(role="interviewee")
    rows = []
    for sid, start, end in zip(seg["segment"], seg["start"], seg["end"], strict=True):
        codes = {rng.choice(TOPICS), rng.choice(TOPICS)}
        for parent, children in themes.items():
            if parent in codes and rng.random() < 0.7:
                codes.add(rng.choice(children))
        codes.add(rng.choice(["val-positive", "val-negative"]))
        for coder in ("anna", "erik"):
            for code in codes:
                if coder == "erik" and rng.random() < 0.3:
                    continue
                rows.append(
                    {
                        "segment_id": int(sid),
                        "code_id": code,
                        "coder": coder,
                        "start": int(start),
                        "end": int(end),
                        "origin": "human",
                    }
                )
    rows = rows[:codings]
    project.store.bulk_add_codings(rows, user="bench")
    project.close()
    return folder


def python_baseline(folder: Path) -> tuple[float, float, int]:
    """Seconds to read the codings and compute every frame, and to compute one new filter
    state; and the number of codings."""
    start = time.perf_counter()
    with workbench.open(folder, read_only=True) as project:
        data = DashboardData(project)
        data.views(Filters())
        full = time.perf_counter() - start
        n = len(data.layer("all"))
        start = time.perf_counter()
        data.views(Filters(user_type="external"))
        change = time.perf_counter() - start
    return full, change, n


def free_port() -> int:
    """A free local TCP port."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """A Voilà server (started like ``workbench dashboard``) for the length of a ``with``."""

    def __init__(
        self, command: list[str], env: dict[str, str] | None, log: Path, token: str = ""
    ) -> None:
        self.command, self.env, self.log, self.token = command, env, log, token
        self.port = free_port()

    def __enter__(self) -> str:
        self.out = open(self.log, "wb")  # noqa: SIM115
        command = [*self.command, f"--port={self.port}"]
        self.process = subprocess.Popen(
            command,
            stdout=self.out,
            stderr=subprocess.STDOUT,
            env=self.env,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{self.port}/"
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(url + "voila/static/voila.js", timeout=2).close()
                return url + (f"?token={self.token}" if self.token else "")
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"Voilà did not start; see {self.log}") from None
                time.sleep(0.5)

    def __exit__(self, *_: object) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)
        self.out.close()


def floor_times(tmp: Path, loads: int, warm: float) -> list[float]:
    """Page-to-rendered seconds of a Voilà page with ONE HTML widget, served with the same
    options (template, preheated kernel): what any Voilà dashboard costs on this machine."""
    import nbformat
    from playwright.sync_api import sync_playwright

    from workbench.cli._dashboard import prepare_templates, voila_command

    notebook = tmp / "floor.ipynb"
    cell = 'import ipywidgets as w\nw.HTML(\'<span class="vd-ready" data-render="1"></span>\')'
    book = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell)])
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(book, notebook)
    templates = prepare_templates(tmp / "floor-templates")
    env = {**os.environ, "JUPYTER_PATH": str(templates)}
    command = [
        c for c in voila_command(notebook, port=0, token=False) if not c.startswith("--port")
    ]
    times = []
    with Server(command, env, tmp / "floor.log") as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(loads):
            time.sleep(warm)
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            start = time.perf_counter()
            page.goto(url, timeout=120_000)
            page.wait_for_selector('.vd-ready[data-render="1"]', state="attached", timeout=120_000)
            times.append(time.perf_counter() - start)
            page.close()
        browser.close()
    return times


def browser_times(
    folder: Path, loads: int, changes: int, warm: float
) -> tuple[list[float], list[float], list[float]]:
    """Page-to-rendered seconds per load; filter-change seconds (new states; seen states)."""
    from playwright.sync_api import sync_playwright

    command = [sys.executable, "-m", "workbench", "dashboard", str(folder)]
    env = {**os.environ, "WORKBENCH_DASHBOARD_TOKEN": "benchmark"}
    pages: list[float] = []
    fresh: list[float] = []
    seen: list[float] = []
    server = Server(command, env, folder.parent / "voila.log", token="benchmark")
    with server as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for i in range(loads):
            time.sleep(warm)  # a viewer arrives after the preheated kernel is ready
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            start = time.perf_counter()
            page.goto(url, timeout=120_000)
            wait_render(page, 1)
            pages.append(time.perf_counter() - start)
            if i == loads - 1:
                # (filter, option, new state?) -- the preheated kernel has already computed
                # the user types, groups and languages; "Compare groups: District" is new, and
                # so is the first value of "Other attribute: Size" (choosing the attribute alone
                # filters nothing: untimed).
                steps = [
                    ("User type", "internal", False),
                    ("User type", "external", False),
                    ("Compare groups", "District", True),
                    ("Compare groups", "No comparison", False),
                    ("User type", "All", False),
                    ("Value", None, True),
                ]
                n = 1
                for label, option, new in steps[:changes]:
                    if option is None:  # "Other attribute: Size", then its first value
                        choose(page, "Other attribute", "Size")
                        n += 1
                        wait_render(page, n)
                        option = str(
                            filter_select(page, label).locator("option").nth(1).inner_text()
                        )
                    select = filter_select(page, label)
                    start = time.perf_counter()
                    select.select_option(label=option)
                    n += 1
                    wait_render(page, n)
                    (fresh if new else seen).append(time.perf_counter() - start)
            page.close()
        browser.close()
    return pages, fresh, seen


def filter_select(page: Any, label: str) -> Any:
    """The dropdown of the filter titled ``label``."""
    return page.locator(f'.vd-filters .widget-vbox:has(b:text-is("{label}")) select')


def choose(page: Any, label: str, option: str) -> None:
    filter_select(page, label).select_option(label=option)


#: Whether every chart shows render ``n``: drawn, hidden, or out of sight and waiting to be
#: drawn when scrolled to (the dashboard draws charts as they come into sight).
CHARTS_SHOW = """(n) => {
    const want = String(n);
    const inSight = (c) => {
        const r = c.getBoundingClientRect();
        return r.bottom > 0 && r.top < window.innerHeight;
    };
    return [...document.querySelectorAll('.vd-chart')].every((c) =>
        c.offsetParent === null || c.dataset.version === want
        || (c.dataset.pending === want && !inSight(c)));
}"""


def wait_render(page: object, n: int) -> None:
    """Wait until render ``n`` is fully on the page: its marker is there and every chart in
    sight shows render ``n`` (the others wait for a scroll: :data:`CHARTS_SHOW`)."""
    page.wait_for_selector(  # type: ignore[attr-defined]
        f'.vd-ready[data-render="{n}"]', state="attached", timeout=120_000
    )
    page.wait_for_function(  # type: ignore[attr-defined]
        CHARTS_SHOW, arg=n, timeout=60_000, polling="raf"
    )


def estimate_baseline(folder: Path) -> tuple[float, float]:
    """Seconds of ``Project.prevalence`` of the demo's survey (participant level, 1,000
    bootstrap replicates), and of the dashboard's estimate views of it (every category and
    theme), each computed afresh."""
    from workbench.project import _predictions

    with workbench.open(folder, read_only=True) as project:
        _predictions._CACHE.clear()
        start = time.perf_counter()
        project.prevalence(source="survey")
        prevalence = time.perf_counter() - start
        _predictions._CACHE.clear()
        data = DashboardData(project)
        start = time.perf_counter()
        data.views(data.normalize(Filters(layer="estimate", source="survey")))
        views = time.perf_counter() - start
    return prevalence, views


#: The estimate layer's steps: (filter, option, seen before in this page?).
ESTIMATE_STEPS = [
    ("Whose coding", "Estimate (model + coders)", False),
    ("Source", "Survey answers", False),
    ("Compare groups", "User type", False),
    ("Compare groups", "No comparison", True),
    ("Compare groups", "Interviews beside the survey", False),
    ("Compare groups", "User type", True),
    ("Compare groups", "Interviews beside the survey", True),
    ("Compare groups", "No comparison", True),
    ("Source", "Interviews", True),
    ("Source", "Survey answers", True),
]


def estimate_times(folder: Path, warm: float) -> tuple[list[float], list[float]]:
    """Seconds for each change of :data:`ESTIMATE_STEPS` to re-render the demo's dashboard:
    (selections estimated the first time, selections seen before)."""
    from playwright.sync_api import sync_playwright

    command = [sys.executable, "-m", "workbench", "dashboard", str(folder)]
    env = {**os.environ, "WORKBENCH_DASHBOARD_TOKEN": "benchmark"}
    fresh: list[float] = []
    seen: list[float] = []
    server = Server(command, env, folder.parent / "voila-estimate.log", token="benchmark")
    with server as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        time.sleep(warm)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        # The demo is a Swedish study (it opens in Swedish): the steps name English labels.
        page.goto(url + "&lang=en", timeout=120_000)
        wait_render(page, 1)
        n = 1
        for label, option, again in ESTIMATE_STEPS:
            select = filter_select(page, label)
            start = time.perf_counter()
            select.select_option(label=option)
            n += 1
            wait_render(page, n)
            (seen if again else fresh).append(time.perf_counter() - start)
        page.close()
        browser.close()
    return fresh, seen


def run_estimate(tmp: Path, warm: float) -> None:
    """Build the demo study and print the estimate layer's figures."""
    folder = tmp / "demo"
    start = time.perf_counter()
    built = subprocess.run(
        [sys.executable, "-m", "workbench", "demo", "--no-serve", str(folder)],
        capture_output=True,
        text=True,
    )
    if built.returncode:
        raise SystemExit(f"workbench demo failed:\n{built.stderr[-2000:]}")
    print(f"built the demo study in {time.perf_counter() - start:.1f} s")
    prevalence, views = estimate_baseline(folder)
    print(f"estimate: p.prevalence(source='survey')  {prevalence * 1000:>9.0f} ms")
    print(f"estimate: the survey's estimate views     {views * 1000:>9.0f} ms")
    fresh, seen = estimate_times(folder, warm)
    print(
        f"estimate layer, selection estimated the first time (median of {len(fresh)})  "
        f"{statistics.median(fresh) * 1000:.0f} ms   all: "
        + ", ".join(f"{t * 1000:.0f}" for t in fresh)
    )
    print(
        f"estimate layer, selection seen before (median of {len(seen)})  "
        f"{statistics.median(seen) * 1000:.0f} ms   max {max(seen) * 1000:.0f} ms   aim 300 ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codings", type=int, default=100_000)
    parser.add_argument("--loads", type=int, default=3, help="page loads to time")
    parser.add_argument("--changes", type=int, default=6, help="filter changes to time")
    parser.add_argument(
        "--warm", type=float, default=20, help="seconds to let Voilà preheat a kernel per load"
    )
    parser.add_argument(
        "--only-estimate", action="store_true", help="only the estimate layer on the demo"
    )
    args = parser.parse_args()
    if args.only_estimate:
        with tempfile.TemporaryDirectory(prefix="vardag-dash-bench-") as tmp:
            run_estimate(Path(tmp), args.warm)
        return
    with tempfile.TemporaryDirectory(prefix="vardag-dash-bench-") as tmp:
        folder = Path(tmp) / "study"
        start = time.perf_counter()
        build(folder, args.codings)
        print(f"generated study in {time.perf_counter() - start:.1f} s")
        full, change, n = python_baseline(folder)
        print(f"codings                               {n:>9,}")
        print(f"baseline: read + all frames (Python)  {full * 1000:>9.0f} ms")
        print(f"baseline: one new filter (Python)     {change * 1000:>9.0f} ms")
        floor = statistics.median(floor_times(Path(tmp), args.loads, args.warm))
        print(f"baseline: Voilà page, one widget      {floor * 1000:>9.0f} ms")
        pages, fresh, seen = browser_times(folder, args.loads, args.changes, args.warm)
        page_med = statistics.median(pages)
        print(
            f"page to fully rendered (median of {len(pages)})  {page_med * 1000:>7.0f} ms   "
            f"all: {', '.join(f'{p * 1000:.0f}' for p in pages)}\n"
            f"    ratio to the one-widget Voilà page {page_med / floor:.2f}x (aim 1.5x), "
            f"to the Python frames {page_med / full:.1f}x"
        )
        if fresh:
            f_med = statistics.median(fresh)
            print(
                f"filter change, new state (median of {len(fresh)})  {f_med * 1000:>9.0f} ms   "
                f"ratio to baseline {f_med / change:.1f}x   aim 300 ms"
            )
        if seen:
            s_med = statistics.median(seen)
            print(
                f"filter change, precomputed/cached state (median of {len(seen)})  "
                f"{s_med * 1000:.0f} ms   aim 300 ms"
            )
        run_estimate(Path(tmp), args.warm)


if __name__ == "__main__":
    main()
