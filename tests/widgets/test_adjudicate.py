"""Adjudication: disagreements are listed and settled into the audited consensus layer."""

from __future__ import annotations

from pathlib import Path

from _helpers import import_interview

import workbench
from workbench.codebook._model import Code, Codebook

BOOK = Codebook(
    id="t",
    title={"en": "T", "sv": "T"},
    codes=(
        Code(id="needs", label={"en": "Needs", "sv": "Behov"}, shortcut="b"),
        Code(id="expect", label={"en": "Expectations", "sv": "Förväntningar"}, shortcut="e"),
        Code(id="trust", label={"en": "Trust", "sv": "Tillit"}, shortcut="t"),
    ),
)


def project(tmp_path: Path) -> workbench.Project:
    p = workbench.init(tmp_path / "s", codebook=BOOK)
    ids = import_interview(p, ["We need clear rules.", "They should call first.", "I trust her."])
    for coder, codes in {
        "anna": ["needs", "expect", "trust"],
        "erik": ["needs", "needs", "trust"],
    }.items():
        for sid, code in zip(ids, codes, strict=True):
            p.code(sid, code, coder=coder)
    return p


def test_adjudicate_take_one_coder_writes_consensus(tmp_path: Path) -> None:
    p = project(tmp_path)
    widget = p.adjudicate(["anna", "erik"])
    assert len(widget.rows) == 1  # only the second segment differs
    assert "Expectations" in widget.body.value and "Needs" in widget.body.value
    widget._take("erik")()
    consensus = p.codings(coder="consensus")
    assert consensus["code"].tolist() == ["needs"]
    audit = p.store.audit_frame()
    assert audit["action"].iloc[-1] == "codings.settle"
    widget.choice.value = ("expect", "needs")
    widget._save_edit()
    assert sorted(p.codings(coder="consensus")["code"]) == ["expect", "needs"]
    widget._neither()
    assert p.codings(coder="consensus").empty
    report = p.agreement(["anna", "erik"], bootstrap=0)
    assert report.overall["percent_agreement"]["value"] < 1


def test_adjudicate_in_swedish_shows_no_english(tmp_path: Path) -> None:
    from workbench.i18n import STRINGS

    p = project(tmp_path)
    widget = p.adjudicate(["anna", "erik"], lang="sv")
    buttons = [
        b.description for box in widget.children if hasattr(box, "children") for b in box.children
    ]
    shown = " ".join([*buttons, widget.choice.description, widget.header.value, widget.body.value])
    assert "Ta annas" in shown and "Föregående" in shown and "Oenighet 1 av 1" in shown
    assert "Förväntningar" in widget.body.value
    english = {v for k, v in STRINGS["en"].items() if k.startswith("adj.")}
    assert not [s for s in english if s.split("{")[0].strip() and s.split("{")[0] in shown]
    widget._neither()
    assert "Sparat: ingen kod" in widget.status.value
