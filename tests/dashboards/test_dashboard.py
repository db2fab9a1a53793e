"""The dashboard without a browser: filters, drill-down, languages, errors, report, CLI."""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import workbench
from workbench import analysis
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
    query_of,
    render_report,
    show,
)
from workbench.dashboards._app import OPTIONS
from workbench.dashboards._chart import Chart, PlotlyLoader, UrlState
from workbench.dashboards._model import MIN_GROUP, MIN_GROUP_KEY, OTHER, source_of_format
from workbench.errors import UnknownItem
from workbench.i18n import STRINGS, text
from workbench.ingest._model import Segment, Transcript
from workbench.resources import DASHBOARD, resource_path

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample study with small-cell suppression off: each of its six people holds a role
    of their own, and these tests count what the filters do (suppression: test_privacy)."""
    folder = build_sample_project(tmp_path_factory.mktemp("dash") / "study")
    with workbench.open(folder) as project:
        project.store.set_meta(MIN_GROUP_KEY, "1")
    return folder


@pytest.fixture
def board(study: Path) -> Iterator[Dashboard]:
    """The sample's dashboard on every coder's codings (the figures below count them)."""
    b = dashboard(study, layer="all")
    yield b
    assert b.data.project is not None
    b.data.project.close()


def chart_labels(chart: Chart) -> list[str]:
    return [str(y).replace("<br>", " ") for y in chart.figure["data"][0]["y"]]


def test_dashboard_overview_counts_participants(board: Dashboard) -> None:
    data = board.overview_fig.figure["data"][0]
    assert data["x"] == [2, 4, 3, 4]  # sources, gaps, expectations, needs (needs on top)
    assert data["text"] == ["2 (33%)", "4 (67%)", "3 (50%)", "4 (67%)"]
    assert "6 people interviewed · 6 interviews" in board.header.value


def test_dashboard_defaults_to_the_consensus_and_lists_each_layer_once(study: Path) -> None:
    b = dashboard(study)
    try:
        assert b.filters.layer == "consensus"
        assert [v for _, v in b._controls["layer"].options] == ["consensus", "all", "anna", "erik"]
        assert [label for label, _ in b._controls["layer"].options][:2] == [
            "Consensus",
            "All coders",
        ]
        assert "Whose coding: the consensus of anna, erik" in b.header.value
    finally:
        assert b.data.project is not None
        b.data.project.close()


def test_dashboard_settled_layer_is_the_consensus_not_a_coder(tmp_path: Path) -> None:
    study = build_sample_project(tmp_path / "study")
    with workbench.open(study, coder="anna") as project:
        segment = int(project.codings(code="exp-quick")["segment"].iloc[0])
        # adjudicated: the expectation was not about a quick answer after all
        project.settle(segment, ["bp-expectations", "fq-punctuality", "val-negative"])
    with workbench.open(study, read_only=True) as project:
        data = DashboardData(project)
        assert data.layers() == ["consensus", "all", "anna", "erik"]
        assert data.coders == ["anna", "erik"]
        consensus = data.layer("consensus")
        settled = consensus[consensus["segment"] == segment]
        assert set(settled["code"]) == {"bp-expectations", "fq-punctuality", "val-negative"}
        assert "exp-quick" not in set(consensus["code"])
        assert "exp-quick" in set(data.layer("all")["code"])
        assert "consensus" not in set(data.layer("all")["coder"])


def test_dashboard_needs_show_themes_with_people_and_share(board: Dashboard) -> None:
    fig = board.section_figs["needs"][0]
    assert chart_labels(fig) == ["Knowing the fee in advance", "A checklist before the visit"]
    trace = fig.figure["data"][0]
    assert trace["x"] == [1, 2] and trace["text"] == ["1 (17%)", "2 (33%)"]
    assert trace["customdata"][-1][:3] == ["need-checklist", "", ""]
    assert "2 of 6 participants" in trace["customdata"][-1][3]  # the hover
    head = board.section_html["needs"]["head"].value
    assert "4 of 6 participants raised a need" in head
    assert "3 of them raised one of the themes below" in head
    assert "1 said something not yet in a theme." in head


def test_dashboard_sub_theme_counts_for_its_theme(board: Dashboard) -> None:
    fig = board.section_figs["information_gaps"][0]
    assert chart_labels(fig) == ["Which rules apply", "What the fee covers"]
    assert fig.figure["data"][0]["x"] == [2, 2]  # P02 and P05 (rules for mobile units)
    html = board.drill("information_gaps", ["gap-rules", "", ""])
    assert "2 quotes: Information gaps × Which rules apply" in html
    assert "Nobody told me which rules apply to a food truck" in html


def test_dashboard_category_without_themes_keeps_its_view_and_hints(board: Dashboard) -> None:
    head = board.section_html["information_sources"]["head"].value
    assert "2 of 6 participants named a source of information" in head
    assert "The research team can develop themes in the workbench" in head
    fig = board.section_figs["information_sources"][0]
    assert "Accessibility" in chart_labels(fig)  # the codes applied with it, as before themes


def test_dashboard_where_to_start_ranks_themes_with_a_quote(board: Dashboard) -> None:
    start = board.start.value
    order = [start.index(x) for x in ("What the fee covers", "Which rules apply", "A quick answer")]
    assert order == sorted(order)
    assert "1 of 6 participants raised it in a negative experience · 2 raised it in all" in start
    assert "mostly about Communication" in start
    assert "Jag visste inte att avgiften skulle komma som en separat faktura" in start
    assert "A checklist before the visit" not in start  # raised, never negatively


def test_dashboard_quality_names_the_themes_of_negative_experiences(board: Dashboard) -> None:
    negative, positive = board.quality_fig.figure["data"]
    index = [c[0] for c in negative["customdata"]].index("fq-communication")
    assert negative["x"][index] == -3 and positive["x"][index] == 0
    about = negative["customdata"][index][3]
    assert "What the fee covers (1 person)" in about and "Which rules apply" in about
    table = board.quality_about.value
    assert "What the negative experiences are about" in table
    assert "Communication" in table and "1 negative passage without a theme" in table
    groups = set(negative["y"][0])
    assert groups == {"Outcome (what)", "Process (how)", "Image"}


def test_dashboard_filter_changes_every_view(board: Dashboard) -> None:
    board.set_filters(user_type="internal")
    assert board.filters.user_type == "internal"
    assert "2 people interviewed" in board.header.value
    assert "1 of 2 participants raised a need" in board.section_html["needs"]["head"].value
    # no internal user mentions an information source: that chart gives way to a hint; an
    # inspector's expectation is in no theme: the headline says so, no empty chart
    assert 'data-render="2" data-charts="4"' in board.ready.value
    expectations = board.section_html["expectations"]["head"].value
    assert "None of them raised one of the themes" in expectations
    sources = board.section_figs["information_sources"][1]
    assert sources.layout.display == "none"
    assert "Nobody in this selection" in board.section_html["information_sources"]["empty"].value
    board.set_filters(user_type="")
    assert "6 people interviewed" in board.header.value
    assert sources.layout.display is None


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
    assert "3 quotes: Communication × Negative" in html
    assert "P01 · Centrum · owner · external" in html  # business type left out: one is one person's
    assert "What the fee covers</span>" in html  # the theme a quote is about
    assert board.quality_drill.value == html
    needs = board.drill("needs", ["need-checklist", "", ""])
    assert "2 quotes: Needs × A checklist before the visit" in needs
    grouped = board.drill("overview", ["bp-needs", "user_type", "internal"])
    assert "1 quote:" in grouped and "P06" in grouped


def test_dashboard_click_message_opens_quotes(board: Dashboard) -> None:
    board.quality_fig._message(
        board.quality_fig, {"event": "click", "customdata": ["pq-image", "positive", 1]}, []
    )
    assert "Kommunens rykte" in board.quality_drill.value


def test_dashboard_compare_groups_shows_shares_of_each_group(board: Dashboard) -> None:
    board.set_filters(by="user_type")
    traces = board.overview_fig.figure["data"]
    # plotly draws a group's first trace at the bottom: reversed, the legend says why
    assert [t["name"] for t in traces] == ["internal (n=2)", "external (n=4)"]
    assert board.overview_fig.figure["layout"]["legend"]["traceorder"] == "reversed"
    internal, external = traces
    assert external["x"] == [50, 75, 50, 75]  # sources, gaps, expectations, needs
    assert external["text"] == ["50% (2)", "75% (3)", "50% (2)", "75% (3)"]
    assert internal["text"] == ["0% (0)", "50% (1)", "50% (1)", "50% (1)"]
    needs = board.section_figs["needs"][0].figure
    assert needs["layout"]["barmode"] == "group"
    # every chart shows every group, also one that raised none of its themes
    expectations = board.section_figs["expectations"][0].figure["data"]
    assert [t["name"] for t in expectations] == ["internal (n=2)", "external (n=4)"]
    assert expectations[0]["text"] == ["0% (0)"]
    assert all(len(t["text"]) == len(t["x"]) for t in needs["data"])  # a label on every bar


def test_dashboard_compare_groups_where_to_start_side_by_side(board: Dashboard) -> None:
    board.set_filters(by="user_type")
    start = board.start.value
    assert start.count('class="vd-col"') == 2
    assert "external (n=4)" in start and "internal (n=2)" in start
    external = start.split("internal (n=2)")[0]
    order = [external.index(x) for x in ("Which rules apply", "A quick answer", "What the fee")]
    assert order == sorted(order)
    assert "1 of 4 participants raised it in a negative experience" in external
    assert "No theme was raised in a negative experience in this group." in start


def test_dashboard_group_keeps_its_colour_in_every_chart(board: Dashboard) -> None:
    board.set_filters(user_type="internal", by="role")
    colors: dict[str, set[str]] = {}
    shown = [fig for fig, box in board.section_figs.values() if box.layout.display != "none"]
    for chart in [board.overview_fig, *shown]:
        for trace in chart.figure["data"]:
            colors.setdefault(trace["name"].split(" (n=")[0], set()).add(trace["marker"]["color"])
    assert set(colors) == {"administrator", "inspector"}
    assert all(len(c) == 1 for c in colors.values())
    assert colors["administrator"] != colors["inspector"]


def test_dashboard_survey_is_a_source_of_its_own(board: Dashboard) -> None:
    assert [v for _, v in board._controls["source"].options] == ["interviews", "survey"]
    board.set_filters(user_type="external")
    board.set_filters(source="survey")
    assert board.filters.user_type == ""  # another source starts from "all"
    assert "3 coded answers (of 3 survey answers)" in board.header.value
    assert "group" not in board._controls  # the survey has no roles
    labels = [b.children[0].value for b in board.filter_box.children]
    assert "<b>Answer language</b>" in labels
    assert "What the fee covers" in board.start.value
    assert "1 of 3 respondents raised it in a negative experience" in board.start.value
    negative, positive = board.quality_fig.figure["data"]
    index = [c[0] for c in negative["customdata"]].index("fq-attitudes")
    # praise and criticism in one answer: the attitudes were praised, not criticised
    assert (negative["x"][index], positive["x"][index]) == (0, 1)
    board.set_filters(source="interviews")
    assert "6 people interviewed" in board.header.value


def test_dashboard_nobody_mentions_sources_is_a_hint_not_an_empty_chart(
    board: Dashboard,
) -> None:
    board.set_filters(user_type="internal", by="role")
    _fig, box = board.section_figs["information_sources"]
    empty = board.section_html["information_sources"]["empty"]
    assert box.layout.display == "none"
    assert "Nobody in this selection raised this." in empty.value
    board.set_filters(user_type="")
    assert box.layout.display is None and empty.value == ""


def test_dashboard_swedish_interface_and_labels(board: Dashboard) -> None:
    board.set_filters(lang="sv")
    assert "Vad våra användare berättar" in board.header.value
    assert "En checklista inför besöket" in chart_labels(board.section_figs["needs"][0])
    assert "Behov × En checklista inför besöket" in board.drill("needs", ["need-checklist", "", ""])
    assert "Vad avgiften täcker" in board.start.value
    assert "4 av 6 deltagare tog upp ett behov" in board.section_html["needs"]["head"].value


def test_dashboard_coder_layers_offered(board: Dashboard) -> None:
    board.set_filters(layer="erik")
    assert "3 people interviewed" in board.header.value
    assert "Whose coding: erik only." in board.header.value


def test_dashboard_layer_note_says_when_adopted_themes_count(board: Dashboard) -> None:
    assert "themes the researchers adopted from suggested groupings" in board.header.value
    board.set_filters(layer="erik")
    assert "adopted" not in board.header.value


def test_dashboard_excluded_coders_are_in_no_layer(tmp_path: Path) -> None:
    study = build_sample_project(tmp_path / "study")
    with workbench.open(study) as project:
        project.exclude_coders(["erik"])
        assert project.excluded_coders == ["erik"]
        with pytest.raises(UnknownItem, match="no coder 'bob' to exclude"):
            project.exclude_coders(["bob"])
    with workbench.open(study, read_only=True) as project:
        data = DashboardData(project)
        assert data.layers() == ["all"] and data.default_layer == "all"
        assert set(data.layer("all")["coder"]) == {"anna"}
        assert "Left out (test coders): erik." in data.layer_note("all", "en")
    with workbench.open(study) as project:
        project.exclude_coders([])
    with workbench.open(study, read_only=True) as project:
        assert DashboardData(project).layers() == ["consensus", "all", "anna", "erik"]


def test_dashboard_cli_exclude_coders_is_saved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    study = build_sample_project(tmp_path / "study")
    out = tmp_path / "r.html"
    assert main(["report", str(study), "-o", str(out), "--exclude-coders", "erik"]) == 0
    assert "left out of the dashboard and report: erik (saved in the project)" in (
        capsys.readouterr().out
    )
    assert "Left out (test coders): erik." in out.read_text(encoding="utf-8")
    assert main(["report", str(study), "-o", str(out), "--exclude-coders", "nobody"]) == 2
    err = capsys.readouterr().err.strip()
    assert "no coder 'nobody' to exclude" in err and "\n" not in err


def test_dashboard_topic_quotes(board: Dashboard) -> None:
    values = [v for _, v in board.topic.options]
    assert values[0] == "" and "fq-trust" in values and "ep" not in values
    board.topic.value = "fq-trust"
    assert "I expect the same answer" in board.topic_quotes.value
    board.topic.value = "gap-rules"  # a theme: its sub-theme's quotes too
    assert "food truck" in board.topic_quotes.value


def test_dashboard_never_shows_pseudonym_key_or_code(board: Dashboard) -> None:
    board.everyday_fold.button.value = board.gap_fold.button.value = True
    folds = (board.everyday_fold.body, board.gap_fold.body)
    html = " ".join(x.value for x in (board.header, board.start, *folds))
    assert "P03" in html and "Person 01" not in html and "Traceback" not in html


def test_dashboard_long_tables_are_built_only_when_opened(board: Dashboard) -> None:
    fold = board.everyday_fold
    assert not fold.open and fold.body.value == ""
    assert (
        fold.button.description
        == "▸ Each participant's everyday process — show the table (2 participants)"
    )
    fold.button.value = True
    assert "I restock the chilled counters" in fold.body.value
    assert fold.button.description.startswith("▾ ") and "hide the table" in fold.button.description
    board.set_filters(user_type="internal")  # open: rebuilt for the new selection
    assert "I restock" not in fold.body.value
    fold.button.value = False
    board.set_filters(user_type="")
    assert fold.body.value == ""


def test_dashboard_opens_project_read_only(board: Dashboard) -> None:
    assert board.data.project is not None and board.data.project.read_only


def test_dashboard_has_one_plotly_loader(board: Dashboard) -> None:
    loaders = [c for c in board.widget.children if isinstance(c, PlotlyLoader)]
    assert len(loaders) == 1
    assert "window.Plotly = Plotly" in loaders[0]._esm
    assert "cdn" not in str(Chart._esm).lower()


def test_options_from_query_keeps_known_keys() -> None:
    assert options_from_query("lang=sv&by=role&evil=1&layer=anna&source=survey") == {
        "lang": "sv",
        "by": "role",
        "layer": "anna",
        "source": "survey",
    }
    assert options_from_query(None) == {}


def test_dashboard_unknown_options_fall_back(study: Path) -> None:
    b = dashboard(study, lang="xx", layer="nobody", user_type="martian", source="diary")
    assert (b.filters.lang, b.filters.layer, b.filters.user_type) == ("en", "consensus", "")
    assert b.filters.source == "interviews"


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


def test_report_is_self_contained_and_small(study: Path) -> None:
    with workbench.open(study, read_only=True) as project:
        html = render_report(DashboardData(project), Filters(lang="en", layer="all"))
    assert "Plotly" not in html and "plotly" not in html  # charts are inline SVG
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=\"http", html)
    # interviews: overview, needs, expectations, gaps, sources, quality; the survey answers
    # raise no expectation and no source: no chart for them
    assert html.count('<svg class="vd-svg"') == 6 + 4
    assert '<h2 class="vd-part" id="interviews">Interviews</h2>' in html
    assert '<h2 class="vd-part" id="survey">Survey answers</h2>' in html
    assert '<details id="interviews-q-fq-communication-negative">' in html
    assert "<summary>Communication: Negative — Quotes (3)</summary>" in html
    assert "Nobody told me which rules apply" in html
    assert len(html.encode("utf-8")) < 200_000


def test_report_bars_link_to_their_quotes(study: Path) -> None:
    with workbench.open(study, read_only=True) as project:
        html = render_report(DashboardData(project), Filters(layer="all", source="interviews"))
    targets = set(re.findall(r'<a href="#([^"]+)" class="vd-bar">', html))
    ids = set(re.findall(r'<details id="([^"]+)"', html))
    assert targets and targets <= ids  # every bar opens a list of quotes
    assert "q-information_gaps-gap-rules" in targets
    assert 'class="vd-part"' not in html  # one source: no parts


def test_report_says_what_a_reader_can_do(study: Path) -> None:
    with workbench.open(study, read_only=True) as project:
        html = render_report(DashboardData(project), Filters(layer="all"))
    assert "Click a bar" in html and "Use the filters" not in html
    assert "the live dashboard can narrow it down" in html
    assert "In their own words" in html  # representative quotes are open


def test_report_cli_unknown_layer_is_one_line(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["report", str(study), "-o", str(tmp_path / "r.html"), "--layer", "bob"])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert "no coder layer 'bob'" in err and "\n" not in err


def test_report_cli_one_source(study: Path, tmp_path: Path) -> None:
    out = tmp_path / "survey.html"
    assert main(["report", str(study), "-o", str(out), "--source", "survey"]) == 0
    html = out.read_text(encoding="utf-8")
    assert "3 coded answers (of 3 survey answers)" in html and 'class="vd-part"' not in html


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
    # No language given: the study's own (see test_dashboard_defaults_to_the_studys_language).
    assert (args.output, args.layer, args.lang) == ("r.html", "consensus", None)
    args = parser.parse_args(["report", "study", "-o", "r.html"])
    assert (args.layer, args.source, args.exclude_coders) == (None, None, None)


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
    assert board.filters.layer == "consensus"
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


def test_normalize_fills_the_best_layer_and_source(study: Path) -> None:
    with workbench.open(study, read_only=True) as project:
        data = DashboardData(project)
        assert data.sources() == ["interviews", "survey"]
        f = data.normalize(Filters(attribute="district"))
        assert (f.layer, f.source, f.attribute) == ("consensus", "interviews", "")
        assert data.views(Filters()) is data.views(f)


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
        for one in (Filters(user_type="internal"), Filters(group="owner"), Filters(language="sv")):
            assert data.normalize(one) in states
        assert data.warm(Filters()) == len(states) == 2 + 4 + 2  # the interviews' values
        assert data.warm(Filters()) == 0
        assert data.warm(Filters(lang="sv"), budget=0) <= 1


def test_dashboard_where_to_start_negative_experiences_without_quality_aspect(
    study: Path,
) -> None:
    """Negative experiences coded with neither a quality aspect nor a theme are not "no
    negative experiences": the text says they are there and not tied to an aspect yet."""
    with workbench.open(study, read_only=True) as project:
        frame = analysis.codings_frame(project)
        codebook = project.codebook
        formats = project.documents.set_index("document")["format"]
    frame = frame.assign(source=[str(source_of_format(f)) for f in frame["document"].map(formats)])
    # Only the valence codings and the categories (no quality dimension, no theme).
    kept = frame[frame["code"].isin(["val-negative", "val-positive", "bp-needs"])]
    data = DashboardData(None, codebook=codebook, codings=kept)
    views = data.views(data.normalize(Filters(layer="all")))
    negative = kept.loc[(kept["code"] == "val-negative") & (kept["source"] != "survey")]
    assert views.negative_participants == negative["participant"].nunique() > 0
    assert views.priorities == [] and views.dimension_priorities.empty
    board = Dashboard(data, Filters(layer="all"))
    n = views.negative_participants
    assert (
        f"{n} of {views.participants} participants had a negative experience, but none of "
        "those passages is coded with a quality aspect"
    ) in board.start.value
    assert "No negative experiences" not in board.start.value
    assert (
        "hade en negativ upplevelse, men inget" in Dashboard(data, Filters(lang="sv")).start.value
    )
    report = render_report(data, Filters(layer="all"))
    assert "had a negative experience, but none of those passages" in report
    # Without any negative coding it says so.
    calm = DashboardData(None, codebook=codebook, codings=kept[kept["code"] != "val-negative"])
    said = Dashboard(calm, Filters(layer="all")).start.value
    assert "No negative experiences were recorded for this selection." in said


def test_dashboard_byline_shows_only_categorical_or_filter_attributes(tmp_path: Path) -> None:
    """A quote's byline never shows free text (an occupation written freely, a comment):
    only the filters' attributes and categorical ones (≤ 12 values, each held by two or more
    people)."""
    folder = build_sample_project(tmp_path / "study")
    with workbench.open(folder) as project:
        people = project.participants.set_index("participant")["participant_id"]
        project.store.set_participant_attributes(
            {
                int(pid): {
                    "occupation": f"chef at the harbour kiosk no. {i}",
                    "comment": "Call me on 070-123 45 6" + str(i),
                    "shift": "day" if i % 2 else "night",
                }
                for i, pid in enumerate(people, start=1)
            },
            user="t",
        )
    with workbench.open(folder, read_only=True) as project:
        data = DashboardData(project, min_group=1)  # (small groups: tested below)
        # role and user type: the filters'; district and shift: categorical; the business
        # type is not (one food truck), nor the free text.
        assert data.byline == ["district", "role", "shift", "user_type"]
        # Nor is free text a filter or a comparison: its list of values would quote it.
        assert data.attributes() == ["business_type", "district", "role", "shift", "user_type"]
        board = Dashboard(data, Filters(layer="all"))
        html = board.drill("quality", ["fq-communication", "negative", 3])
        bylines = re.findall(r'class="vd-who">([^<]*)', html)
        assert "P05 · Hamnen · owner · day · external " in bylines
        assert not any("food truck" in b for b in bylines)  # the business type: not shown
        pages = [board.start.value, *(p["quotes"].value for p in board.section_html.values())]
        pages.append(render_report(data, Filters(layer="all")))
        for page in pages:
            assert "harbour kiosk" not in page and "070-123" not in page
        assert "P05 · Hamnen · owner · day · external" in pages[-1]
        assert set(data.everyone.columns) == set(data.byline)


def test_dashboard_categorical_attribute_rule() -> None:
    from workbench.dashboards._model import categorical, filterable

    assert categorical(pd.Series(["a", "a", "b", "b", None]))
    assert not categorical(pd.Series(["a", "a", "b"]))  # b is one person's
    assert not categorical(pd.Series([str(i // 2) for i in range(26)]))  # 13 values
    assert categorical(pd.Series([str(i // 2) for i in range(24)]))  # 12 values, two each
    assert not categorical(pd.Series([None, None], dtype=object))
    assert filterable(pd.Series(["a", "a", "b"])) and not filterable(pd.Series(["a", "b"]))
    assert not filterable(pd.Series([str(i // 2) for i in range(42)]))  # 21 values


def test_dashboard_small_groups_are_never_shown_or_offered(tmp_path: Path) -> None:
    """Small-cell suppression: the sample's staff member, inspector and administrator each
    hold their role alone (and two interviewees are internal, two live in Hamnen), so no
    byline, filter, comparison or report names those values; the three owners do."""
    folder = build_sample_project(tmp_path / "study")
    with workbench.open(folder, read_only=True) as project:
        data = DashboardData(project)
        assert data.min_group == MIN_GROUP == 3
        interviews = "interviews"
        assert data.rare("role", interviews) == {"staff", "inspector", "administrator"}
        assert data.values("role", interviews) == ["owner"]
        assert data.values("user_type", interviews) == ["external"]
        # The survey counts its own people: its three respondents are all external.
        assert data.values("user_type", "survey") == ["external"]
        # A rare value asked for (a link, an old URL) filters nothing.
        assert data.normalize(Filters(layer="all", group="staff")).group == ""
        assert data.normalize(Filters(layer="all", group="owner")).group == "owner"
        views = data.views(Filters(layer="all", source=interviews))
        assert views.people.loc["P03", "role"] is None  # the staff member
        assert views.people.loc["P01", "role"] == "owner"
        assert views.people.loc["P04", "user_type"] is None  # internal: two people
        assert set(data.everyone.loc[["P03", "P04", "P06"], "role"].dropna()) == set()
        # Compared by role: the three single roles folded into one group of three.
        compared = data.views(Filters(layer="all", source=interviews, by="role"))
        assert compared.groups == {"owner": 3, OTHER: 3}
        # By user type the two internal people alone would be a group: left out.
        by_type = data.views(Filters(layer="all", source=interviews, by="user_type"))
        assert by_type.groups == {"external": 4}
        board = Dashboard(data, Filters(layer="all"))
        assert [v for _, v in board._controls["group"].options] == ["", "owner"]
        html = board.drill("quality", ["fq-communication", "negative", 3])
        report = render_report(data, Filters(layer="all", source=interviews))
        for page in (html, report):
            bylines = " | ".join(re.findall(r'class="vd-who">([^<]*)', page))
            assert bylines
            for word in ("staff", "inspector", "administrator", "internal", "Hamnen"):
                assert word not in bylines
        assert "groups of fewer than 3 people are not named" in board.header.value
        assert "groups of fewer than 3 people are not named" in report


def test_dashboard_keeps_its_state_in_the_url(board: Dashboard) -> None:
    """Each render writes the filters into the URL widget (history.replaceState in the
    page); read back, the query opens the same state."""
    url = board.url
    assert isinstance(url, UrlState) and url in board.widget.children
    assert "token" not in url.options and set(url.options) == set(OPTIONS)
    board.set_filters(lang="sv")
    board.set_filters(user_type="external")
    assert options_from_query(url.query) == {
        "lang": "sv",
        "layer": "all",
        "source": "interviews",
        "user_type": "external",
    }
    again = Filters(**options_from_query(url.query))
    assert board.data.normalize(again) == board.data.normalize(board.filters)
    assert query_of(Filters(lang="en", by="role")) == "lang=en&by=role"


def test_dashboard_defaults_to_the_studys_language(tmp_path: Path) -> None:
    """Most of a study's documents in Swedish: the dashboard and report speak Swedish unless
    the URL, the command or the viewer says otherwise."""
    folder = build_sample_project(tmp_path / "study")
    with workbench.open(folder, read_only=True) as project:
        data = DashboardData(project)
        # The sample: four documents in Swedish, five in English.
        assert data.study_language == "en"
        languages = project.documents["language"]
    assert (languages == "sv").sum() == 4 and (languages == "en").sum() == 5
    with workbench.open(folder) as project:
        said = "Ingen sa vad avgiften var till för."
        project.store.import_transcripts(
            [
                Transcript(
                    name=f"extra-{i}.txt",
                    format="txt",
                    checksum=f"extra-{i}",
                    text=said,
                    segments=[Segment(f"X{i}", "interviewee", said, 0, len(said))],
                    language="sv",
                    participant=f"X{i}",
                )
                for i in (1, 2)
            ],
            user="t",
            participant_pseudonym=lambda label, known: label,
        )
    with workbench.open(folder, read_only=True) as project:
        assert DashboardData(project).study_language == "sv"
    from workbench.dashboards import write_report

    out = write_report(folder, tmp_path / "report.html")
    assert '<html lang="sv">' in out.read_text(encoding="utf-8")
    assert '<html lang="en">' in write_report(folder, tmp_path / "en.html", lang="en").read_text(
        encoding="utf-8"
    )
