"""The dashboard without a browser: filters, drill-down, languages, errors, report, CLI."""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import workbench
from workbench.cli import _dashboard as _cli_dashboard
from workbench.cli import main
from workbench.dashboards import (
    Dashboard,
    DashboardData,
    Filters,
    build_sample_project,
    dashboard,
    load,
    options_from_query,
    render_report,
    show,
)
from workbench.dashboards._chart import Chart, PlotlyLoader
from workbench.errors import UnknownItem
from workbench.i18n import STRINGS, text
from workbench.resources import DASHBOARD, resource_path

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_project(tmp_path_factory.mktemp("dash") / "study")


@pytest.fixture
def board(study: Path) -> Iterator[Dashboard]:
    b = dashboard(study)
    yield b
    assert b.data.project is not None
    b.data.project.close()


def chart_labels(chart: Chart) -> list[str]:
    return [str(y).replace("<br>", " ") for y in chart.figure["data"][0]["y"]]


def test_dashboard_overview_counts_participants(board: Dashboard) -> None:
    data = board.overview_fig.figure["data"][0]
    assert data["x"] == [2, 4, 3, 4]  # sources, gaps, expectations, needs (needs on top)
    assert "6 people interviewed · 6 interviews" in board.header.value
    assert "Communication: 3 of 6 participants" in board.start.value


def test_dashboard_needs_themes_and_headline(board: Dashboard) -> None:
    fig = board.section_figs["needs"][0]
    assert chart_labels(fig)[-1] == "Communication"  # largest bar on top
    assert fig.figure["data"][0]["x"][-1] == 2
    assert "4 of 6 participants" in board.section_html["needs"]["head"].value


def test_dashboard_quality_diverging_bars(board: Dashboard) -> None:
    negative, positive = board.quality_fig.figure["data"]
    comm = [c for c in negative["customdata"] if c[0] == "fq-communication"][0]
    index = negative["customdata"].index(comm)
    assert negative["x"][index] == -3 and positive["x"][index] == 0
    groups = set(negative["y"][0])
    assert groups == {"Outcome (what)", "Process (how)", "Image"}


def test_dashboard_filter_changes_every_view(board: Dashboard) -> None:
    board.set_filters(user_type="internal")
    assert board.filters.user_type == "internal"
    assert "2 people interviewed" in board.header.value
    assert "1 of 2 participants" in board.section_html["needs"]["head"].value
    # no internal user mentions an information source: that chart gives way to a hint
    assert 'data-render="2" data-charts="5"' in board.ready.value
    board.set_filters(user_type="")
    assert "6 people interviewed" in board.header.value


def test_dashboard_filter_states_are_cached(board: Dashboard) -> None:
    board.set_filters(user_type="external")
    first = board.data.views(board.filters)
    board.set_filters(user_type="")
    board.set_filters(user_type="external")
    assert board.data.views(board.filters) is first


def test_dashboard_any_attribute_filter(board: Dashboard) -> None:
    board.set_filters(attribute="district")
    assert [v for _, v in board._controls["value"].options] == ["", "Centrum", "Hamnen"]
    board.set_filters(value="Hamnen")
    assert board.filters.criteria()["district"] == "Hamnen"
    assert "2 people interviewed" in board.header.value


def test_dashboard_empty_selection_is_a_friendly_message(board: Dashboard) -> None:
    board.set_filters(user_type="internal", group="owner")
    assert "No interviews match these filters" in board.status.value
    assert board.sections.layout.display == "none"
    board.set_filters(group="")
    assert board.status.value == "" and board.sections.layout.display is None


def test_dashboard_drill_down_shows_quotes_with_pseudonyms(board: Dashboard) -> None:
    html = board.drill("quality", ["fq-communication", "negative", 3])
    assert "3 quote(s): Communication × Negative" in html
    assert "P01 · restaurant · Centrum · owner · external" in html
    assert board.quality_drill.value == html
    needs = board.drill("needs", ["fq-communication", "", ""])
    assert "2 quote(s): Needs × Communication" in needs
    grouped = board.drill("overview", ["bp-needs", "user_type", "internal"])
    assert "1 quote(s)" in grouped and "P06" in grouped


def test_dashboard_click_message_opens_quotes(board: Dashboard) -> None:
    board.quality_fig._message(
        board.quality_fig, {"event": "click", "customdata": ["pq-image", "positive", 1]}, []
    )
    assert "Kommunens rykte" in board.quality_drill.value


def test_dashboard_compare_groups_splits_bars(board: Dashboard) -> None:
    board.set_filters(by="user_type")
    traces = board.overview_fig.figure["data"]
    assert [t["name"] for t in traces] == ["external", "internal"]
    assert board.section_figs["needs"][0].figure["layout"]["barmode"] == "group"


def test_dashboard_group_keeps_its_colour_in_every_chart(board: Dashboard) -> None:
    board.set_filters(user_type="internal", by="role")
    colors: dict[str, set[str]] = {}
    for chart in [board.overview_fig, *(fig for fig, _ in board.section_figs.values())]:
        for trace in chart.figure["data"]:
            colors.setdefault(trace["name"], set()).add(trace["marker"]["color"])
    # expectations has inspectors only: still the inspectors' colour of the overview
    assert set(colors) == {"administrator", "inspector"}
    assert all(len(c) == 1 for c in colors.values())
    assert colors["administrator"] != colors["inspector"]


def test_dashboard_nobody_mentions_sources_is_a_hint_not_an_empty_chart(
    board: Dashboard,
) -> None:
    board.set_filters(user_type="internal", by="role")
    _fig, box, empty = board.gap_figs["information_sources"]
    assert box.layout.display == "none"
    assert "Nobody in this selection raised this." in empty.value
    board.set_filters(user_type="")
    assert box.layout.display is None and empty.value == ""


def test_dashboard_swedish_interface_and_labels(board: Dashboard) -> None:
    board.set_filters(lang="sv")
    assert "Vad våra användare berättar" in board.header.value
    assert "Kommunikation" in chart_labels(board.section_figs["needs"][0])
    assert "Behov × Kommunikation" in board.drill("needs", ["fq-communication", "", ""])


def test_dashboard_coder_layers_offered(board: Dashboard) -> None:
    assert [v for _, v in board._controls["layer"].options] == [
        "all",
        "consensus",
        "anna",
        "erik",
    ]
    board.set_filters(layer="erik")
    assert "3 people interviewed" in board.header.value


def test_dashboard_topic_quotes(board: Dashboard) -> None:
    values = [v for _, v in board.topic.options]
    assert values[0] == "" and "fq-trust" in values and "ep" not in values
    board.topic.value = "fq-trust"
    assert "I expect the same answer" in board.topic_quotes.value


def test_dashboard_never_shows_pseudonym_key_or_code(board: Dashboard) -> None:
    html = " ".join(x.value for x in (board.header, board.start, board.everyday, board.gap_pairs))
    assert "Person 01" not in html and "Traceback" not in html


def test_dashboard_opens_project_read_only(board: Dashboard) -> None:
    assert board.data.project is not None and board.data.project.read_only


def test_dashboard_has_one_plotly_loader(board: Dashboard) -> None:
    loaders = [c for c in board.widget.children if isinstance(c, PlotlyLoader)]
    assert len(loaders) == 1
    assert "window.Plotly = Plotly" in loaders[0]._esm
    assert "cdn" not in str(Chart._esm).lower()


def test_options_from_query_keeps_known_keys() -> None:
    assert options_from_query("lang=sv&by=role&evil=1&layer=anna") == {
        "lang": "sv",
        "by": "role",
        "layer": "anna",
    }
    assert options_from_query(None) == {}


def test_dashboard_unknown_options_fall_back(study: Path) -> None:
    b = dashboard(study, lang="xx", layer="nobody", user_type="martian")
    assert (b.filters.lang, b.filters.layer, b.filters.user_type) == ("en", "all", "")


def test_show_without_project_is_a_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("WORKBENCH_PROJECT", raising=False)
    assert show(query="lang=sv") is None
    out = capsys.readouterr().out
    assert "HTML" in out


def test_show_with_missing_project_is_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[object] = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    assert show(path=str(tmp_path / "nothing")) is None
    html = shown[0].data  # type: ignore[attr-defined]
    assert "could not be shown" in html and "no project here" in html


def test_strings_have_both_languages() -> None:
    assert set(STRINGS["en"]) == set(STRINGS["sv"])
    assert text("people_of", "sv", n=1, total=2) == "1 av 2 deltagare"


def test_report_is_self_contained(study: Path) -> None:
    with workbench.open(study, read_only=True) as project:
        html = render_report(DashboardData(project), Filters(lang="en"))
    assert html.count("window.Plotly = Plotly") == 1
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=\"http", html)
    assert html.count('class="plotly-graph-div"') == 6
    assert "<details><summary>Communication: Negative — Quotes (3)</summary>" in html
    assert "Nobody told me which rules apply" in html


def test_report_cli_writes_one_file(study: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert main(["report", str(study), "-o", str(out), "--lang", "sv"]) == 0
    html = out.read_text(encoding="utf-8")
    assert '<html lang="sv">' in html and "Upplevd kvalitet" in html


def test_report_cli_unknown_layer_is_one_line(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["report", str(study), "-o", str(tmp_path / "r.html"), "--layer", "bob"])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert "no coder layer 'bob'" in err and "\n" not in err


def test_write_report_unknown_layer_raises(study: Path, tmp_path: Path) -> None:
    from workbench.dashboards import write_report

    with pytest.raises(UnknownItem):
        write_report(study, tmp_path / "r.html", layer="bob")


def test_register_adds_dashboard_options() -> None:
    parser = argparse.ArgumentParser()
    _cli_dashboard.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["dashboard", "study", "--port", "9000", "--lang", "sv"])
    assert (args.port, args.host, args.lang) == (9000, "127.0.0.1", "sv")
    args = parser.parse_args(["report", "study", "-o", "r.html", "--layer", "consensus"])
    assert (args.output, args.layer, args.lang) == ("r.html", "consensus", "en")


def test_voila_command_hides_code_and_stays_local(tmp_path: Path) -> None:
    cmd = _cli_dashboard.voila_command(resource_path(*DASHBOARD), port=9000)
    assert "--strip_sources=True" in cmd and "--show_tracebacks=False" in cmd
    assert "--Voila.ip=127.0.0.1" in cmd and "--template=vardag" in cmd
    assert "--preheat_kernel=True" in cmd
    env = _cli_dashboard.voila_env(tmp_path, "sv")
    assert env["WORKBENCH_PROJECT"] == str(tmp_path.resolve())
    assert env["WORKBENCH_DASHBOARD_LANG"] == "sv"
    template = _cli_dashboard.templates() / "voila" / "templates" / "vardag" / "index.html.j2"
    assert "cdn" not in template.read_text(encoding="utf-8").split("-#}", 1)[1].lower()


def test_dashboard_cli_missing_project_fails_fast(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["dashboard", str(tmp_path)]) == 2
    assert "no project here" in capsys.readouterr().err


def test_notebook_is_thin_and_stripped() -> None:
    nb = json.loads(resource_path(*DASHBOARD).read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    assert all(c["cell_type"] == "code" for c in nb["cells"])  # nothing for Voilà to show
    body = "".join("".join(c["source"]) for c in code)
    assert "show(data)" in body and "for " not in body and "if " not in body


def test_prepare_templates_carries_local_plotly(tmp_path: Path) -> None:
    import plotly

    folder = _cli_dashboard.prepare_templates(tmp_path)
    static = folder / "voila" / "templates" / "vardag" / "static" / "plotly-basic.min.js"
    bundle = static.read_text(encoding="utf-8")
    assert "window.Plotly = Plotly" in bundle[-200:]
    full = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    version = full.read_text(encoding="utf-8")[:200].split(" v", 1)[1].split()[0]
    assert f"plotly.js (basic - minified) v{version}" in bundle[:200]  # same plotly.js
    index = (static.parent.parent / "index.html.j2").read_text(encoding="utf-8")
    assert 'include_url("static/plotly-basic.min.js")' in index


def test_load_reads_ahead_and_show_uses_it(study: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_PROJECT", str(study))
    monkeypatch.setenv("WORKBENCH_DASHBOARD_PLOTLY", "page")
    monkeypatch.setattr("IPython.display.display", lambda obj: None)
    data = load()
    assert isinstance(data, DashboardData) and len(data._views) == 1
    board = show(data, query="lang=sv&user_type=internal")
    assert board is not None and board.filters.user_type == "internal"
    assert not any(isinstance(c, PlotlyLoader) for c in board.widget.children)
    assert "Vad våra användare berättar" in board.header.value


def test_show_rereads_a_project_changed_since_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    study = build_sample_project(tmp_path / "study")
    monkeypatch.setenv("WORKBENCH_DASHBOARD_PLOTLY", "page")
    monkeypatch.setattr("IPython.display.display", lambda obj: None)
    data = load(str(study))  # as a preheated kernel reads ahead of the request
    assert isinstance(data, DashboardData) and not data.stale()
    before = len(data.layer("all"))
    with workbench.open(study) as project:
        segments = project.segments(role="interviewee")["segment"]
        assert any(project.store.add_coding(int(s), "fq-trust", "anna") for s in segments)
    assert data.stale()
    board = show(data)
    assert board is not None and board.data is not data and not board.data.stale()
    assert len(board.data.layer("all")) == before + 1
    assert board.data.project is not None
    board.data.project.close()


def test_warm_in_background_caches_neighbours_and_stops(board: Dashboard) -> None:
    data = board.data
    states = [s for s in data.neighbours(board.filters) if s not in data._views]
    data.warm_in_background(board.filters, budget=60).join(timeout=60)
    assert states and all(s in data._views for s in states)
    data.stop_warming()
    assert data.warm(Filters(layer="erik"), budget=60) == 0


def test_notebook_runs_headless(study: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import nbclient
    import nbformat

    monkeypatch.setenv("WORKBENCH_PROJECT", str(study))
    monkeypatch.setenv("QUERY_STRING", "lang=sv")
    book = nbformat.read(resource_path(*DASHBOARD), as_version=4)
    nbclient.NotebookClient(book, timeout=120, kernel_name="python3").execute()
    outputs = [o for c in book.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] in ("error", "stream")]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)


def test_warm_computes_neighbouring_states(study: Path) -> None:
    with workbench.open(study, read_only=True) as project:
        data = DashboardData(project)
        states = data.neighbours(Filters())
        assert Filters(user_type="internal") in states and Filters(group="owner") in states
        assert Filters(language="sv") in states
        assert data.warm(Filters()) == len(states) == 2 + 4 + 2
        assert data.warm(Filters()) == 0
        assert data.warm(Filters(lang="sv"), budget=0) <= 1
