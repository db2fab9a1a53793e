"""The query view driven from Python through the messages the browser sends: picks, filters,
quotes in context, the tagger below, CSV and Word exports, and its interface strings."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pandas as pd
import pytest

from workbench.i18n import STRINGS
from workbench.project._project import Project
from workbench.widgets import QueryView
from workbench.widgets import _query_view as qv

WIDGETS = Path(qv.__file__).parent


def coded(study: Project) -> dict[str, int]:
    """anna: Kaffe needs (span "smörgås"), trust-turn trust, bus-turn gap, Å-turn needs and
    gap; erik: Kaffe needs, trust-turn trust, app-turn gap.  P01 is small, P02 has no size."""
    seg = {r.text.split()[0]: (int(r.segment), int(r.start)) for r in study.segments().itertuples()}
    kaffe, at = seg["Kaffe"]
    span = at + len("Kaffe 👩‍🍳 och e\u0301n ")
    study.code(kaffe, "needs", coder="anna", start=span, end=span + len("smörgås"))
    study.code(seg["I"][0], "trust", coder="anna")
    study.code(seg["Nobody"][0], "gap", coder="anna")
    study.code(seg["Å"][0], "needs", coder="anna")
    study.code(seg["Å"][0], "gap", coder="anna")
    study.code(kaffe, "needs", coder="erik")
    study.code(seg["I"][0], "trust", coder="erik")
    study.code(seg["The"][0], "gap", coder="erik")
    people = study.participants.set_index("participant")["participant_id"]
    study.store.set_participant_attributes({int(people["P01"]): {"size": "small"}}, user="t")
    return {k: v[0] for k, v in seg.items()}


@pytest.fixture
def view(study: Project) -> QueryView:
    coded(study)
    return QueryView(study, lang="en")


def cards(view: QueryView) -> list[tuple[str, str, str, tuple[str, ...]]]:
    return [
        (c["participant"], c["code"], c["quote"], tuple(c["coders"]))
        for c in view.panel.results["rows"]
    ]


def test_query_view_opens_with_options_and_no_quotes(view: QueryView) -> None:
    panel = view.panel
    assert panel.results == {"rows": [], "active": False, "total": 0}
    codes = panel.options["codes"]
    assert [(c["id"], c["depth"], c["count"]) for c in codes] == [
        ("process", 0, 0),
        ("needs", 1, 2),  # coded segments
        ("trust", 1, 1),
        ("gap", 0, 3),
    ]
    assert panel.options["coders"] == ["anna", "erik"]
    assert panel.options["attributes"] == [
        {"name": "region", "label": "Region", "values": [{"value": "north", "label": "north"}]},
        {"name": "size", "label": "Size", "values": [{"value": "small", "label": "small"}]},
    ]
    assert panel.strings["open"] == "Open in tagger" and panel.lang == "en"


def test_query_view_one_code_lists_each_span_once_with_its_coders(view: QueryView) -> None:
    view.handle({"type": "code", "code": "needs", "pick": "include"})
    assert view.panel.selection["expression"] == "needs"
    assert cards(view) == [
        ("P01", "needs", "smörgås", ("anna",)),
        ("P01", "needs", "Kaffe 👩‍🍳 och e\u0301n smörgås, tack.", ("erik",)),
        ("P02", "needs", "Å ä ö: waiting is the worst part.", ("anna",)),
    ]
    first = view.panel.results["rows"][0]
    assert first["before"].endswith("Anna: Kaffe 👩‍🍳 och e\u0301n ")
    assert first["after"].startswith(", tack.")
    assert (view.panel.results["participants"], view.panel.results["documents"]) == (2, 2)


def test_query_view_any_all_and_not(view: QueryView) -> None:
    for code in ("needs", "gap"):
        view.handle({"type": "code", "code": code, "pick": "include"})
    assert view.session.expression == "needs or gap"
    assert view.panel.results["total"] == 6  # three needs spans, three gap codings
    view.handle({"type": "mode", "mode": "all"})
    assert view.session.expression == "needs and gap"
    assert cards(view) == [  # only the Å turn carries both
        ("P02", "gap", "Å ä ö: waiting is the worst part.", ("anna",)),
        ("P02", "needs", "Å ä ö: waiting is the worst part.", ("anna",)),
    ]
    view.handle({"type": "mode", "mode": "any"})
    view.handle({"type": "code", "code": "trust", "pick": "exclude"})
    view.handle({"type": "code", "code": "needs", "pick": "off"})
    assert view.session.expression == "gap and not trust"
    view.handle({"type": "code", "code": "needs", "pick": "include"})
    assert view.session.expression == "(gap or needs) and not trust"
    view.handle({"type": "code", "code": "process", "pick": "include"})  # a group: its codes
    view.handle({"type": "code", "code": "trust", "pick": "off"})
    view.handle({"type": "code", "code": "gap", "pick": "off"})
    view.handle({"type": "code", "code": "needs", "pick": "off"})
    assert [c[1] for c in cards(view)] == ["needs", "needs", "trust", "needs"]


def test_query_view_typed_expression_and_its_errors(view: QueryView) -> None:
    view.handle({"type": "expression", "expression": "needs & !gap"})
    assert view.panel.selection["typed"] is True and len(cards(view)) == 2
    view.handle({"type": "expression", "expression": "needs and tust"})
    assert view.panel.status["state"] == "error"
    assert view.panel.status["text"] == (
        "Cannot show these quotes: “tust” is not a code here: did you mean trust?"
    )
    assert view.panel.results["rows"] == []
    view.handle({"type": "code", "code": "trust", "pick": "include"})  # picks take over again
    assert view.panel.selection["typed"] is False and view.panel.status["state"] == "ok"
    assert cards(view) == [("P01", "trust", "I trust the staff 😀 completely.", ("anna", "erik"))]


def test_query_view_coders_groups_and_text(view: QueryView) -> None:
    view.handle({"type": "coder", "coder": "erik", "on": True})
    assert [c[1] for c in cards(view)] == ["needs", "trust", "gap"]  # everything erik coded
    view.handle({"type": "code", "code": "gap", "pick": "include"})
    assert cards(view) == [("P02", "gap", "The app never says why.", ("erik",))]
    view.handle({"type": "coder", "coder": "erik", "on": False})
    view.handle({"type": "group", "attribute": "size", "value": "small", "on": True})
    assert cards(view) == [("P01", "gap", "Nobody told me when the bus leaves.", ("anna",))]
    view.handle({"type": "group", "attribute": "size", "value": "small", "on": False})
    view.handle({"type": "text", "text": "WAITING"})
    assert cards(view) == [("P02", "gap", "Å ä ö: waiting is the worst part.", ("anna",))]
    view.handle({"type": "clear"})
    assert view.panel.results["active"] is False and view.panel.selection["text"] == ""


def test_query_view_shows_more_a_page_at_a_time(
    view: QueryView, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(qv, "PAGE", 2)
    view.handle({"type": "code", "code": "gap", "pick": "include"})
    assert len(view.panel.results["rows"]) == 2 and view.panel.results["total"] == 3
    view.handle({"type": "more"})
    assert len(view.panel.results["rows"]) == 3


def test_query_view_exports_csv_with_every_coding(view: QueryView, tmp_path: Path) -> None:
    view.handle({"type": "code", "code": "needs", "pick": "include"})
    target = tmp_path / "needs"
    view.handle({"type": "export", "format": "csv", "path": str(target)})
    written = tmp_path / "needs.csv"
    assert written.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads the BOM as UTF-8
    back = pd.read_csv(written, encoding="utf-8-sig", keep_default_na=False)
    assert back["quote"].tolist() == [
        "smörgås",
        "Kaffe 👩‍🍳 och e\u0301n smörgås, tack.",
        "Å ä ö: waiting is the worst part.",
    ]
    assert back.columns.tolist()[:3] == ["code", "label", "coder"]
    assert view.panel.status == {
        "state": "ok",
        "text": f"Wrote 3 codings, one per row, to {written}",
        "seq": view.panel.status["seq"],
        "where": "export",  # said next to the export buttons
    }


def test_query_view_exports_a_word_appendix(view: QueryView, tmp_path: Path) -> None:
    view.handle({"type": "code", "code": "gap", "pick": "include"})
    view.handle({"type": "code", "code": "needs", "pick": "include"})
    view.handle({"type": "set_ignored"})  # unknown messages change nothing
    view.handle({"type": "export", "format": "docx", "path": str(tmp_path / "appendix.csv")})
    document = docx.Document(str(tmp_path / "appendix.docx"))  # the suffix follows the format
    lines = [(p.style.name, p.text) for p in document.paragraphs]
    headings = [text for style, text in lines if style.startswith("Heading")]
    assert headings == ["Appendix: quotes", "Needs (3)", "Information gap (3)"]  # codebook order
    assert ("Normal", "Codes: Information gap or Needs") in lines  # labels, not ids
    quotes = [text for style, text in lines if style == "Quote"]
    assert quotes[0] == "smörgås" and len(quotes) == 6
    assert ("Normal", "— P01, a.txt · coded by anna") in lines
    assert view.panel.status["text"].startswith("Wrote 6 quotes to ")


def test_query_view_bad_path_is_one_line_on_the_status(view: QueryView, tmp_path: Path) -> None:
    view.handle({"type": "code", "code": "gap", "pick": "include"})
    view.handle({"type": "export", "format": "csv", "path": str(tmp_path / "no" / "q.csv")})
    assert view.panel.status["state"] == "error"
    assert view.panel.status["text"] == (
        f"Cannot write {tmp_path / 'no' / 'q.csv'}: the folder {tmp_path / 'no'} does not exist"
    )
    folder = tmp_path / "folder.csv"
    folder.mkdir()  # a folder of that name is not overwritten either
    view.handle({"type": "export", "format": "csv", "path": str(folder)})
    assert view.panel.status["text"].endswith(f"to {tmp_path / 'folder (2).csv'}")
    view.handle({"type": "clear"})
    view.handle({"type": "export", "format": "csv", "path": str(tmp_path / "x.csv")})
    assert view.panel.status["text"] == "Nothing to export: no quotes match this selection."
    assert not (tmp_path / "x.csv").exists()


def test_query_view_opens_the_quote_in_a_tagger_below(view: QueryView, study: Project) -> None:
    view.handle({"type": "code", "code": "gap", "pick": "include"})
    target = view.panel.results["rows"][2]["segment"]  # the app turn
    view.handle({"type": "open", "segment": target})
    tagger = view.tagger
    assert view.tagger_box.children == (tagger,)
    assert tagger.segment_id == target and tagger.segment["text"] == "The app never says why."
    assert view.panel.status["text"] == "Opened in the tagger."
    first = view.panel.results["rows"][0]["segment"]
    view.handle({"type": "open", "segment": first})
    assert view.tagger is tagger and tagger.segment_id == first  # one tagger, moved


def test_query_view_switches_language(view: QueryView) -> None:
    view.handle({"type": "code", "code": "needs", "pick": "include"})
    view.handle({"type": "lang", "lang": "sv"})
    assert view.panel.lang == "sv" and view.panel.strings["open"] == "Öppna i taggaren"
    assert {c["label"] for c in view.panel.results["rows"]} == {"Behov"}
    assert view.panel.options["codes"][1]["label"] == "Behov"


def test_query_view_export_path_suffixes() -> None:
    assert qv.export_path("quotes", qv.Format.CSV) == Path("quotes.csv")
    assert qv.export_path("a.b/quotes.DOCX", qv.Format.DOCX) == Path("a.b/quotes.DOCX")
    assert qv.export_path("quotes.docx", qv.Format.CSV) == Path("quotes.csv")
    assert qv.export_path("v1.2", qv.Format.DOCX) == Path("v1.2.docx")
    assert qv.export_path("  ", qv.Format.CSV) == Path("quotes.csv")


def test_query_view_every_string_the_browser_asks_for_exists_in_both_languages() -> None:
    used: set[str] = set()
    for name in ("retrieve_common.js", "query_view.js", "matrix_view.js"):
        source = (WIDGETS / name).read_text(encoding="utf-8")
        used |= set(re.findall(r"\bt\(\s*\"([a-z_]+)\"", source))
        if "t(`mode_${mode}`)" in source:  # the two modes' labels
            used |= {"mode_any", "mode_all"}
    assert used, "no t(...) calls found"
    for lang in ("en", "sv"):
        keys = {k[len("retrieve_") :] for k in STRINGS[lang] if k.startswith("retrieve_")}
        assert used <= keys, (lang, sorted(used - keys))
    en = {k for k in STRINGS["en"] if k.startswith("retrieve_")}
    sv = {k for k in STRINGS["sv"] if k.startswith("retrieve_")}
    assert en == sv


def test_query_view_export_never_overwrites(view: QueryView, tmp_path: Path) -> None:
    view.handle({"type": "code", "code": "trust", "pick": "include"})
    (tmp_path / "citat.csv").write_text("earlier work", encoding="utf-8")
    (tmp_path / "citat (2).csv").write_text("more earlier work", encoding="utf-8")
    view.handle({"type": "export", "format": "csv", "path": str(tmp_path / "citat")})
    assert (tmp_path / "citat.csv").read_text(encoding="utf-8") == "earlier work"
    assert (tmp_path / "citat (2).csv").read_text(encoding="utf-8") == "more earlier work"
    written = tmp_path / "citat (3).csv"
    assert len(pd.read_csv(written, encoding="utf-8-sig")) == 2
    assert view.panel.status["text"] == f"Wrote 2 codings, one per row, to {written}"
    view.handle({"type": "export", "format": "csv", "path": str(tmp_path / "citat")})
    assert (tmp_path / "citat (4).csv").exists()


def test_query_view_word_appendix_is_a4_with_author_and_swedish_selection(
    study: Project, tmp_path: Path
) -> None:
    coded(study)
    view = QueryView(study, lang="sv")
    view.handle({"type": "expression", "expression": "behov and not trust"})  # a label works
    assert view.panel.status["state"] == "ok" and view.session.frame is not None
    view.handle({"type": "export", "format": "docx", "path": str(tmp_path / "bilaga")})
    document = docx.Document(str(tmp_path / "bilaga.docx"))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert document.core_properties.author == study.coder
    assert document.core_properties.title == document.paragraphs[0].text
    lines = [p.text for p in document.paragraphs]
    assert "Koder: Behov och inte Tillit" in lines
    assert view.panel.status["text"].startswith("Skrev ")


def test_query_view_example_runs_and_errors_in_swedish(study: Project) -> None:
    coded(study)
    view = QueryView(study, lang="sv")
    hint = view.panel.strings["expression_hint"]
    example = hint.split("t.ex. ")[1]
    view.handle({"type": "expression", "expression": example})
    assert view.panel.status["state"] == "ok", view.panel.status
    view.handle({"type": "expression", "expression": "needs and positive"})
    assert view.panel.status["text"] == (
        "Kan inte visa citaten: ”positive” är ingen kod här: skriv en kods id, t.ex. " + example
    )
