"""The layer "Estimate (model + coders)" without a browser, on a hand-made study whose
predictions are written through the store: the bars, whiskers, captions and notes have exact
numbers, worked out below."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from html import unescape
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import workbench
from workbench.codebook import rename_code
from workbench.dashboards import (
    BESIDE,
    Dashboard,
    DashboardData,
    EstimateCounts,
    Filters,
    Layer,
    build_sample_project,
    estimate_figure,
    render_report,
    write_report,
)
from workbench.dashboards import _estimate as est
from workbench.dashboards._svg import svg_figure
from workbench.errors import UnknownItem
from workbench.ingest._model import Segment, Transcript
from workbench.project import _predictions, _suggestions
from workbench.suggest import Calibration, wilson_interval

GAPS, FEES = "bp-information-gaps", "gap-fees"
NEEDS, CHECKLIST = "bp-needs", "need-checklist"
CODES = [GAPS, FEES, NEEDS, CHECKLIST]
FITTED = "2026-03-01T00:00:00.000+00:00"

# The sample study (six interviews, every turn coded by people; three survey answers, coded)
# and 40 more survey answers, R01..R40, one each.  People coded R01..R20; the model predicts
# R21..R40.  User type: external for odd numbers (R01, R03, ...), internal for even.
#
# Fees (and the information-gaps category, coded with them): R01..R06 have it among the coded,
# R21..R30 among the predicted.  The model scores an answer with it 0.9; one without it 0.7
# (external) or 0.1 (internal; of the sample's answers, R3 0.7 and R4 0.1): tpr 0.9, fpr 0.4
# on the coded answers without fees.
#   Coded, with the sample's three answers: 23 answers, 7 with fees (the sample's R2 too).
#   Predicted: mean (10 * 0.9 + 5 * 0.7 + 5 * 0.1) / 20 = 0.65.
# Checklist (and needs): R07..R10 coded with it; the model scores everyone 0.2, so it cannot
# tell the code apart (tpr - fpr = 0): the share among the coded answers stands in.
N, CODED = 40, 20


def _fees(i: int) -> bool:
    return 1 <= i <= 6 or 21 <= i <= 30


def _checklist(i: int) -> bool:
    return 7 <= i <= 10


def _external(i: int) -> bool:
    return i % 2 == 1


def _fee_score(i: int) -> float:
    if _fees(i):
        return 0.9
    return 0.7 if _external(i) else 0.1


def _text(i: int) -> str:
    if i > N:  # (the answers that say nothing: ``build(nothing=...)``)
        return "Vet inte."
    if _fees(i):
        return f"Answer {i}: nobody told me what the fee is for."
    if _checklist(i):
        return f"Answer {i}: a checklist before the visit would help."
    return f"Answer {i}: it went fine."


def build(folder: Path, nothing: int = 0) -> Path:
    """The sample study plus the 40 answers, coded and predicted as described above (and
    ``nothing`` more answers reading "Vet inte.", uncoded, that the model scores 0.9 for fees
    and their information gap)."""
    build_sample_project(folder)
    with workbench.open(folder) as project:
        docs = [
            Transcript(
                name=f"more.csv#{i + 1}",
                format="csv",
                checksum=f"more-{i}",
                text=_text(i),
                segments=[Segment(f"R{i:02d}", "interviewee", _text(i), 0, len(_text(i)))],
                language="en",
                participant=f"R{i:02d}",
            )
            for i in range(1, N + nothing + 1)
        ]
        attributes = [
            (i + 1, f"more.csv#{i + 1}", {"user_type": "external" if _external(i) else "internal"})
            for i in range(1, N + nothing + 1)
        ]
        project.store.import_transcripts(
            docs,
            user="t",
            participant_pseudonym=lambda label, known: label,
            attributes=attributes,
        )
        segments = project.segments(role="interviewee")
        ids = dict(zip(segments["document"], segments["segment"], strict=True))
        mine = {i: int(ids[f"more.csv#{i + 1}"]) for i in range(1, N + nothing + 1)}
        for i in range(1, CODED + 1):
            codes = [GAPS, FEES] if _fees(i) else [NEEDS, CHECKLIST] if _checklist(i) else []
            for code in codes or ["pq-technical"]:
                project.code(mine[i], code, coder="anna")
        # Calibration: every coded survey answer (the sample's three and R01..R20).
        labels = _suggestions.coded_labels(project)
        survey = [int(s) for s in segments.loc[segments["document"].str.contains("csv"), "segment"]]
        coded = [s for s in survey if s in labels]
        number = {seg: i for i, seg in mine.items()}

        def scores(segment: int) -> list[float]:
            i = number.get(segment)
            if i is None:  # the sample's answers: R2 has fees (0.9), R3 0.7, R4 0.1
                fee = FEES in labels[segment]
                fees = 0.9 if fee else 0.7 if CHECKLIST in labels[segment] else 0.1
                return [fees, fees, 0.2, 0.2]
            if i > N:
                return [0.9, 0.9, 0.2, 0.2]
            return [_fee_score(i), _fee_score(i), 0.2, 0.2]

        calibration = Calibration.from_codes(
            coded, CODES, np.array([scores(s) for s in coded]), [labels[s] for s in coded]
        )
        later = [mine[i] for i in range(CODED + 1, N + nothing + 1)]
        proba = pd.DataFrame([scores(s) for s in later], index=later, columns=CODES)
        _suggestions.store_predictions(project, proba, calibration, fitted_at=FITTED)
    return folder


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("estimate") / "study")


@pytest.fixture(scope="module")
def data(study: Path) -> Iterator[DashboardData]:
    with workbench.open(study, read_only=True) as project:
        yield DashboardData(project)


SURVEY = Filters(layer="estimate", source="survey")


def _row(frame: pd.DataFrame, code: str, group: str = "") -> pd.Series:
    rows = frame[(frame["code"] == code) & (frame["group"] == group)]
    assert len(rows) == 1, (code, group, frame)
    return rows.iloc[0]


def test_estimate_layer_listed_after_the_human_layers_when_predictions_are_current(
    data: DashboardData,
) -> None:
    assert data.estimate_reason == ""
    assert data.layers() == ["consensus", "all", "anna", "erik", "estimate"]
    assert data.estimate_hint("en") == ""


def test_estimate_layer_absent_without_or_with_stale_predictions_and_says_how(
    tmp_path: Path,
) -> None:
    folder = build_sample_project(tmp_path / "none")
    with workbench.open(folder, read_only=True) as project:
        data = DashboardData(project)
        assert "estimate" not in data.layers()
        assert data.estimate_hint("en") == (
            "The view “Estimate (model + coders)” appears once the research team has run the "
            "model: workbench suggest apply none"
        )
        assert "workbench suggest apply none" in data.estimate_hint("sv")
    stale = build(tmp_path / "stale")
    with workbench.open(stale) as project:
        project.set_codebook(rename_code(project.codebook, FEES, "Fees"))
    with workbench.open(stale, read_only=True) as project:
        data = DashboardData(project)
        assert "estimate" not in data.layers()
        assert "out of date" in data.estimate_hint("en")
        assert data.normalize(Filters(layer="estimate")).layer == "consensus"
        board = Dashboard(data, Filters(layer="estimate"))
        assert "workbench suggest apply stale" in board.header.value
        assert [v for _, v in board._controls["layer"].options][-1] == "erik"


def test_estimate_bars_are_the_prevalence_with_intervals(data: DashboardData) -> None:
    view = data.views(SURVEY).estimate
    assert view is not None and view.available
    # 43 answers: 23 coded by people, the 20 predicted estimated.
    assert view.counts == EstimateCounts(people=43, coded=23, estimated=20)
    gaps = view.categories["information_gaps"]
    fees = _row(gaps.themes, FEES)
    # PACC on the 20 predicted: (0.65 - 0.4) / (0.9 - 0.4) = 0.5, i.e. 10 of 20; with the
    # 7 coded: (7 + 10) / 43.
    assert fees["estimate"] == pytest.approx(17 / 43)
    assert fees["method"] == "pacc"
    assert (fees["n_human"], fees["n_estimated"]) == (23, 20)
    assert fees["ci_low"] < fees["estimate"] < fees["ci_high"]
    assert _row(gaps.total, GAPS)["estimate"] == pytest.approx(17 / 43)
    # The themes the model never learned are named, not drawn.
    assert gaps.missing == ("gap-rules",)
    prevalence = data.project.prevalence(source="survey")  # type: ignore[union-attr]
    same = prevalence.set_index("code").loc[FEES]
    assert (fees["ci_low"], fees["ci_high"]) == (same["ci_low"], same["ci_high"])
    # The checklist: the model cannot tell it apart; the coded share 5 / 23 (R07..R10 and
    # the sample's R3) stands in for the rest: (5 + 20 * 5 / 23) / 43 = 5 / 23.
    checklist = _row(view.categories["needs"].themes, CHECKLIST)
    assert checklist["method"] == "coded"
    assert checklist["estimate"] == pytest.approx(5 / 23)
    assert view.fallback() == [NEEDS, CHECKLIST]


def test_estimate_figure_draws_whiskers_labels_and_hatches(data: DashboardData) -> None:
    view = data.views(SURVEY).estimate
    assert view is not None
    fees = _row(view.categories["information_gaps"].themes, FEES)
    figure = est.chart(view.categories["information_gaps"].themes, view, "en")
    bars, labels = figure["data"]  # type: ignore[misc]
    assert bars["type"] == "bar" and labels["type"] == "scatter"
    assert bars["x"] == [round(100 * 17 / 43, 2)]  # 39.53
    assert bars["error_x"]["array"] == [round(100 * (fees["ci_high"] - fees["estimate"]), 2)]
    assert bars["error_x"]["arrayminus"] == [round(100 * (fees["estimate"] - fees["ci_low"]), 2)]
    label = f"40% ({est.interval(fees['ci_low'], fees['ci_high'])})"
    assert bars["text"] == [label] and labels["text"] == [f"  {label}"]
    assert labels["x"] == [round(100 * fees["ci_high"], 2)]  # after the whisker
    assert bars["customdata"][0][0] == FEES
    hover = bars["customdata"][0][3]
    assert "Estimate: 40% (95 % interval" in hover
    assert "Known from people's codings: 23 · estimated by the model: 20" in hover
    assert "Corrected for the model's mistakes on what people coded." in hover
    needs = est.chart(view.categories["needs"].themes, view, "en")
    assert needs["data"][0]["marker"]["pattern"]["shape"] == ["/"]  # type: ignore[index]
    assert "could not tell this theme apart" in needs["data"][0]["customdata"][0][3]  # type: ignore[index]


def test_estimate_dashboard_headline_caption_notes_and_quotes(study: Path) -> None:
    with workbench.open(study, read_only=True) as project:
        board = Dashboard(DashboardData(project), Filters(layer="estimate", source="survey"))
        assert board.filters.layer == Layer.ESTIMATE
        assert "43 survey respondents · 23 answers coded by people, 20 estimated by the model" in (
            board.header.value
        )
        assert "how many of <b>all</b> 43 survey respondents raised each theme" in (
            board.header.value
        )
        parts = board.section_html["information_gaps"]
        assert "An estimated 40% (" in parts["head"].value
        assert "of 43 survey respondents lacked some information" in parts["head"].value
        assert "Estimate: 23 answers coded by people, 20 estimated by the model" in (
            parts["caption"].value
        )
        assert "Not estimated (too few coded examples for the model to learn): “Which rules" in (
            parts["caption"].value
        )
        needs = board.section_html["needs"]["caption"].value
        assert "Hatched bars: the model could not tell “A checklist before the visit”" in needs
        assert "Knowing the fee in advance" in needs  # not estimated
        # Where to start counts people's codings only, and says so.
        assert "This list counts people&#x27;s codings only (23 answers coded by people)" in (
            board.start.value
        )
        assert "People&#x27;s codings only" in board.notes["quality"].value
        # A bar's quotes: people's first, then the model's, each marked with its probability.
        html = board.drill("information_gaps", [FEES, "", ""])
        people = html.index("7 quotes: Information gaps × What the fee covers — coded by")
        model = html.index("15 of the model&#x27;s suggestions")
        assert people < model
        assert "probability 50% or more" in html
        assert html.count('class="vd-quote vd-model"') == 15
        assert html.index("model, 90%") < html.index("model, 70%")
        mine = html[model:]
        assert "Answer 21: nobody told me" in mine and "Answer 1: nobody" not in mine
        assert "Answer 21: nobody told me" not in html[:model]
        # The section's own quotes: people's, then three of the model's.
        quotes = parts["quotes"].value
        assert quotes.index("In their own words") < quotes.index("vd-model-quotes")
        assert quotes.count('class="vd-quote vd-model"') == 3


def test_estimate_filter_maps_to_by_and_comparison_draws_each_group(data: DashboardData) -> None:
    external = data.views(replace_filters(SURVEY, user_type="external")).estimate
    assert external is not None and external.available
    # External answers (odd numbers): coded R01..R19 (3 with fees) and the sample's three (R2
    # has fees); predicted R21..R39: five with fees at 0.9, five without at 0.7: mean 0.8,
    # PACC (0.8 - 0.4) / 0.5 = 0.8 of 10 = 8; (3 + 1 + 8) / 23.
    fees = _row(external.categories["information_gaps"].themes, FEES)
    assert fees["estimate"] == pytest.approx(12 / 23)
    assert external.counts == EstimateCounts(people=23, coded=13, estimated=10)
    compared = data.views(replace_filters(SURVEY, by="user_type")).estimate
    assert compared is not None
    assert compared.groups == {
        "external": EstimateCounts(23, 13, 10),
        "internal": EstimateCounts(20, 10, 10),
    }
    themes = compared.categories["information_gaps"].themes
    assert _row(themes, FEES, "external")["estimate"] == pytest.approx(12 / 23)
    # Internal: coded 3 of 10 with fees; predicted mean (5 * 0.9 + 5 * 0.1) / 10 = 0.5,
    # PACC 0.2 of 10 = 2; (3 + 2) / 20.
    assert _row(themes, FEES, "internal")["estimate"] == pytest.approx(5 / 20)
    figure = est.chart(themes, compared, "en")
    names = [t["name"] for t in figure["data"] if t["type"] == "bar"]  # type: ignore[index]
    assert names == ["internal (n=20)", "external (n=23)"]  # the legend reads reversed
    assert figure["layout"]["barmode"] == "group"  # type: ignore[index]
    assert all("error_x" in t for t in figure["data"] if t["type"] == "bar")  # type: ignore[union-attr]


def test_estimate_filters_it_cannot_combine_say_why(data: DashboardData) -> None:
    both = replace_filters(SURVEY, user_type="external", language="en")
    view = data.views(both).estimate
    assert view is not None and not view.available and view.why_not == "est_one_at_a_time"
    board = Dashboard(data, both)
    assert "takes one filter or one comparison at a time" in board.status.value
    compare = replace_filters(SURVEY, language="en", by="user_type")
    assert data.views(compare).estimate.why_not == "est_one_at_a_time"  # type: ignore[union-attr]
    same = data.views(replace_filters(SURVEY, user_type="external", by="user_type")).estimate
    assert same is not None and same.available and list(same.groups) == []


def test_estimate_interviews_beside_the_survey(data: DashboardData) -> None:
    f = Filters(layer="estimate", source="interviews", by=BESIDE)
    assert data.normalize(f).by == BESIDE
    assert data.normalize(Filters(layer="all", by=BESIDE)).by == ""  # only with the estimate
    view = data.views(f).estimate
    assert view is not None and view.by == BESIDE
    assert list(view.groups) == ["interviews", "survey"]
    assert view.groups["interviews"].people == 6
    themes = view.categories["information_gaps"].themes
    # Interviews: people's codings, P01 and P06 raised what the fee covers (2 of 6), with
    # the Wilson interval for 2 of 6 people; the survey: the estimate with its interval.
    told = _row(themes, FEES, "interviews")
    assert (told["estimate"], told["method"]) == (pytest.approx(2 / 6), "people")
    assert (told["ci_low"], told["ci_high"]) == pytest.approx(wilson_interval(2, 6))
    assert est.share_label(told) == "33% (10–70%)"
    assert _row(themes, FEES, "survey")["estimate"] == pytest.approx(17 / 43)
    # The themes the interviews raised most come first (fees and rules, 2 each: then the
    # survey's larger), each theme's rows in the groups' order.
    assert list(zip(themes["code"], themes["group"], strict=True))[:3] == [
        (FEES, "interviews"),
        (FEES, "survey"),
        ("gap-rules", "interviews"),
    ]
    figure = est.chart(themes, view, "en")
    bars = [t for t in figure["data"] if t["type"] == "bar"]  # type: ignore[union-attr]
    assert [b["name"] for b in bars] == [
        "Survey: estimate (n=43)",
        "Interviews: people's codings (n=6)",
    ]
    assert "error_x" in bars[0] and "error_x" in bars[1]  # the interviews too: 2 of 6
    board = Dashboard(data, Filters(layer="estimate", by=BESIDE))
    assert "6 people interviewed beside 43 survey respondents" in board.header.value
    assert ("Interviews beside the survey", BESIDE) in board._controls["by"].options
    html = board.drill("information_gaps", [FEES, BESIDE, "survey"])
    assert "Answer 1: nobody" in html and "model, 90%" in html
    told_quotes = board.drill("information_gaps", [FEES, BESIDE, "interviews"])
    assert "vd-model" not in told_quotes and "Businesses need to know what the fee" in told_quotes


def test_estimate_swedish(data: DashboardData) -> None:
    board = Dashboard(data, Filters(lang="sv", layer="estimate", source="survey"))
    assert "43 svarande i enkäten · 23 svar kodade av människor, 20 skattade av modellen" in (
        board.header.value
    )
    head = board.section_html["information_gaps"]["head"].value
    assert head.startswith('<p class="vd-headline">Uppskattningsvis 40\u00a0% (18–57\u00a0%)')
    assert "Skattning (modell + kodare)" in [label for label, _ in board._controls["layer"].options]
    html = board.drill("information_gaps", [FEES, "", ""])
    assert "modell, 90\u00a0%" in html and "kodade av människor" in html


def test_estimate_report_draws_whiskers_and_puts_the_sources_side_by_side(
    data: DashboardData, study: Path, tmp_path: Path
) -> None:
    html = render_report(data, Filters(layer="estimate"))
    assert "43 survey respondents — Estimate: 23 answers coded by people, 20 estimated" in html
    assert 'id="beside"' in html and "Interviews beside the survey" in html
    assert 'fill="url(#vd-hatch)"' in html  # the checklist
    assert 'stroke-width="1.5"' in html  # whiskers
    assert "model, 90%" in html
    # A survey bar beside the interviews links to its quotes in the survey's part.
    assert 'href="#survey-q-information_gaps-gap-fees"' in html
    assert 'id="survey-q-information_gaps-gap-fees"' in html
    out = write_report(study, tmp_path / "r.html", layer="estimate")
    assert "Estimate (model + coders)" in out.read_text(encoding="utf-8")
    plain = render_report(data, Filters())
    assert 'class="vd-quote vd-model"' not in plain  # never mixed silently
    assert 'id="beside"' not in plain


def test_estimate_report_refuses_the_layer_without_predictions(tmp_path: Path) -> None:
    folder = build_sample_project(tmp_path / "s")
    with pytest.raises(UnknownItem, match="no estimate layer: .*workbench suggest apply"):
        write_report(folder, tmp_path / "r.html", layer="estimate")


def test_estimate_svg_whisker_spans_the_interval() -> None:
    frame = pd.DataFrame(
        [
            {
                "group": "",
                "code": "a",
                "label": "A",
                "color": "#123456",
                "order": 0,
                "estimate": 0.2,
                "ci_low": 0.1,
                "ci_high": 0.4,
                "n_human": 5,
                "n_estimated": 5,
                "method": "pacc",
                "text": "20% (10–40%)",
                "hover": "",
            }
        ]
    )
    figure = estimate_figure(frame)
    assert figure["layout"]["xaxis"]["range"] == [0, pytest.approx(40 * 1.35 + 2)]
    svg = svg_figure(figure)
    # The axis runs 0..56 over the plot's width: the whisker from 10 to 40.
    left = float(re.search(r'<rect x="([\d.]+)"', svg).group(1))  # type: ignore[union-attr]
    path = re.search(r'<path d="M([\d.]+),[\d.]+H([\d.]+)', svg)
    assert path is not None
    w0, w1 = float(path.group(1)), float(path.group(2))
    scale = (w1 - w0) / 30
    assert w0 == pytest.approx(left + 10 * scale, abs=0.2)
    assert "20% (10–40%)" in svg


def replace_filters(f: Filters, **changes: str) -> Filters:
    return replace(f, **changes)


def _visible(html: str) -> str:
    """What a reader sees of ``html``: no style, script, tags or attributes."""
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def _shown(board: Dashboard) -> str:
    """Every text of the dashboard's widgets (HTML, labels, options), shown or folded."""
    out: list[str] = []

    def walk(widget: object) -> None:
        options = getattr(widget, "options", None)
        names = ("description", "tooltip") if options is not None else ("value", "description")
        for name in names:  # a dropdown's value is no text it shows
            value = getattr(widget, name, None)
            if isinstance(value, str):
                out.append(value)
        out.extend(str(label) for label, *_ in options or ())
        for child in getattr(widget, "children", ()):
            walk(child)

    walk(board.widget)
    return " ".join(out)


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_estimate_every_string_the_dashboards_ask_for_is_in_the_catalogue(
    data: DashboardData, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """The app and the report, in every layer and both languages: each key asked for is in
    the catalogue in both languages, and no raw key (``information_gaps_lead``) is shown."""
    from workbench.dashboards import _app, _figures, _html, _model, _report
    from workbench.i18n import STRINGS, text

    asked: set[str] = set()

    def spy(key: str, lang: str = "en", **values: object) -> str:
        asked.add(key)
        return text(key, lang, **values)

    for module in (_app, est, _figures, _html, _model, _report):
        monkeypatch.setattr(module, "text", spy)
    shown = []
    states = [
        Filters(lang=lang),
        Filters(lang=lang, layer="all", by="user_type"),
        Filters(lang=lang, layer="anna", source="survey"),
        replace(SURVEY, lang=lang),
        replace(SURVEY, lang=lang, by="user_type"),
        replace(SURVEY, lang=lang, user_type="external", language="en"),
        Filters(lang=lang, layer="estimate", by=BESIDE),
    ]
    for f in states:
        board = Dashboard(data, f)
        for section, code in (("information_gaps", FEES), ("needs", CHECKLIST)):
            shown.append(board.drill(section, [code, "", ""]))
        shown.append(_shown(board))
    for layer in ("consensus", "estimate"):
        shown.append(render_report(data, Filters(lang=lang, layer=layer)))
    missing = sorted(k for k in asked if k not in STRINGS["en"] or k not in STRINGS["sv"])
    assert missing == []
    keys = set(STRINGS["en"]) | asked
    raw = {w for page in shown for w in re.findall(r"\b[a-z]+_[a-z_]+\b", _visible(page))}
    assert raw & keys == set()
    assert raw == set(), raw  # nothing that looks like a key at all


def test_estimate_labels_say_an_uncertain_share_apart_from_a_sure_one() -> None:
    def label(share: float, low: float, high: float) -> str:
        return est.share_label({"estimate": share, "ci_low": low, "ci_high": high})

    assert label(17 / 43, 0.25, 0.55) == "40% (25–55%)"
    # Whole percents would say "2% (0–2%)": one decimal where they would hide the interval.
    assert label(0.016, 0.0, 0.024) == "1.6% (0–2.4%)"
    assert label(0.004, 0.0, 0.01) == "0.4% (0–1%)"
    swedish = {"estimate": 0.016, "ci_low": 0.0, "ci_high": 0.024}
    # The Swedish decimal mark and percent sign (a no-break space before it).
    assert est.share_label(swedish, "sv") == "1,6\u00a0% (0–2,4\u00a0%)"
    assert label(1.0, 1.0, 1.0) == "100%"  # everyone known: no interval
    assert label(0.5, float("nan"), float("nan")) == "50%"  # people's codings


def test_estimate_legend_names_groups_with_plain_squares(data: DashboardData) -> None:
    """A hatched first bar must not make the legend say a whole group is hatched."""
    view = data.views(Filters(layer="estimate", by=BESIDE)).estimate
    assert view is not None
    figure = est.chart(view.categories["needs"].themes, view, "en")
    traces = figure["data"]  # type: ignore[assignment]
    bars = [t for t in traces if t["type"] == "bar"]  # type: ignore[index]
    keys = [t for t in traces if t.get("showlegend")]  # type: ignore[union-attr]
    assert all(not b["showlegend"] for b in bars)
    assert [k["name"] for k in keys] == [b["name"] for b in bars]
    assert all("pattern" not in k["marker"] for k in keys)
    survey = next(b for b in bars if b["name"].startswith("Survey"))
    assert "/" in survey["marker"]["pattern"]["shape"]  # the checklist, hatched in its bar
    assert [k["legendgroup"] for k in keys] == [b["legendgroup"] for b in bars]


def test_estimate_report_cli_layer(study: Path, tmp_path: Path) -> None:
    from workbench.cli import main

    out = tmp_path / "estimate.html"
    assert main(["report", str(study), "-o", str(out), "--layer", "estimate", "--lang", "sv"]) == 0
    html = out.read_text(encoding="utf-8")
    assert "Skattning (modell + kodare)" in html and "modell, 90\u00a0%" in html


def test_estimate_beside_says_zero_for_a_theme_no_interviewee_raised() -> None:
    def row(group: str, code: str, share: float, method: str) -> dict[str, object]:
        low, high = (share - 0.01, share + 0.02) if method == "pacc" else (np.nan, np.nan)
        return dict(
            zip(
                est.COLUMNS,
                [group, code, code, "#000", 0, share, low, high, 16, 0, method],
                strict=True,
            )
        )

    told = pd.DataFrame([row("interviews", "a", 0.5, "people")], columns=est.COLUMNS)
    total = pd.DataFrame([row("interviews", "cat", 0.9, "people")], columns=est.COLUMNS)
    survey = est.EstimateCategory(
        name="needs",
        code="cat",
        total=pd.DataFrame([row("survey", "cat", 0.2, "pacc")], columns=est.COLUMNS),
        themes=pd.DataFrame(
            [row("survey", "a", 0.1, "pacc"), row("survey", "b", 0.05, "pacc")],
            columns=est.COLUMNS,
        ),
    )
    themes = est.beside({"needs": (told, total)}, {"needs": survey}, ["interviews", "survey"])[
        "needs"
    ].themes
    assert list(zip(themes["code"], themes["group"], themes["estimate"], strict=True)) == [
        ("a", "interviews", 0.5),
        ("a", "survey", 0.1),
        ("b", "interviews", 0.0),  # nobody interviewed raised it: 0 %, not a blank
        ("b", "survey", 0.05),
    ]
    assert _row(themes, "b", "interviews")["method"] == "people"


def test_estimate_people_codings_count_as_in_the_best_human_layer(data: DashboardData) -> None:
    # anna and erik disagree on some interview turns: the union of their codings says more
    # than their consensus.  The estimate layer shows people's codings as the consensus does.
    union = data.views(Filters(layer="all", source="interviews"))
    best = data.views(Filters(layer="consensus", source="interviews"))
    shown = data.views(Filters(layer="estimate", source="interviews"))
    assert data.people_layer == "consensus"
    assert len(union.codings) != len(best.codings)
    assert shown.codings.equals(best.codings)
    for name, entry in best.categories.items():
        assert shown.categories[name].participants == entry.participants
        assert shown.categories[name].themes.equals(entry.themes)
    assert shown.priorities == best.priorities
    note = data.layer_note("estimate", "en")
    assert note.startswith(data.layer_note("consensus", "en"))
    assert "model's estimate" in note


def test_estimate_language_filter_means_the_answers_language_in_every_layer(
    tmp_path: Path,
) -> None:
    # R01..R10 say they filled in the Swedish form (a participant attribute "language"), but
    # every answer is written in English (the document's language).  The language filter is
    # the answers' language in every layer, and "of N" follows it.
    folder = build(tmp_path / "study")
    with workbench.open(folder) as project:
        people = project.participants.set_index("participant")["participant_id"]
        project.store.set_participant_attributes(
            {int(people[f"R{i:02d}"]): {"language": "sv"} for i in range(1, 11)}, user="t"
        )
    with workbench.open(folder, read_only=True) as project:
        data = DashboardData(project, min_group=1)
        english = Filters(layer="consensus", source="survey", language="en")
        views = data.views(english)
        estimate = data.views(replace(english, layer="estimate")).estimate
        assert estimate is not None and estimate.available
        # The 40 answers and two of the sample's three (its first is in Swedish); coded: the
        # sample's two and R01..R20, in both layers alike.
        docs, people_ = data.selection_size(english)
        assert (docs, people_) == (42, 42)
        assert estimate.counts.people == people_
        assert estimate.counts.coded == views.participants == 22
        board = Dashboard(data, english)
        assert f"(of {docs} survey answers)" in board.header.value
        assert data.selection_size(replace(english, language="")) == data.source_size("survey")


def test_estimate_beside_and_a_filter_keep_the_newer_choice_and_say_so(
    data: DashboardData,
) -> None:
    both = Filters(layer="estimate", source="survey", user_type="external", by=BESIDE)
    assert data.normalize(both).by == ""  # never an estimate half side by side
    board = Dashboard(data, Filters(layer="estimate", source="survey"))
    board.set_filters(user_type="external")
    board.set_filters(by=BESIDE)  # side by side chosen last: the filter goes
    assert board.filters.by == BESIDE and board.filters.user_type == ""
    assert board._controls["user_type"].value == ""
    assert "the filters were set back to “All”" in board.status.value
    assert "6 people interviewed beside 43 survey respondents" in board.header.value
    board.set_filters(user_type="internal")  # a filter chosen last: no comparison
    assert board.filters.by == "" and board.filters.user_type == "internal"
    assert board._controls["by"].value == ""
    assert "set back to “No comparison”" in board.status.value
    assert "Estimate" in board.header.value or "estimate" in board.header.value


def test_estimate_answers_that_say_nothing_are_neither_quotes_nor_estimated(
    tmp_path: Path, data: DashboardData
) -> None:
    # Two more answers read only "Vet inte." and the model gives them 0.9 for fees (as the
    # demo's model gave six of them 68 %): they are no quotes, not estimated, not counted.
    folder = build(tmp_path / "study", nothing=2)
    with workbench.open(folder, read_only=True) as project:
        more = DashboardData(project)
        view = more.views(SURVEY).estimate
        base = data.views(SURVEY).estimate
        assert view is not None and base is not None
        assert view.counts == replace(base.counts, said_nothing=2)
        fees = _row(view.categories["information_gaps"].themes, FEES)
        assert fees["estimate"] == pytest.approx(
            _row(base.categories["information_gaps"].themes, FEES)["estimate"]
        )
        quotes = more.model_quotes(SURVEY, FEES)
        assert len(quotes) == len(data.model_quotes(SURVEY, FEES))
        assert not quotes["quote"].str.contains("Vet inte").any()
        assert "2 that say nothing" in est.caption(view.counts, "survey", "en")
        frame = _predictions.prevalence(project, source="survey", codes=[FEES], n_boot=0)
        assert int(frame["n_estimated"].iloc[0]) == 20


def test_estimate_percents_round_half_up() -> None:
    # 2 of 16 and 10 of 16 are 12.5 % and 62.5 %: people round those up.
    assert est.percent(2 / 16) == "13%" and est.percent(10 / 16) == "63%"
    assert est.percent(2 / 16, "sv") == "13\u00a0%"
    assert est.half_up(0.125 * 100) == "13" and est.half_up(2.45, 1) == "2.5"
