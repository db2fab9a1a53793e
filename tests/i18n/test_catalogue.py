"""The interface catalogue: every string in both languages, with the same blanks to fill."""

from __future__ import annotations

import string

import pytest

from workbench.i18n import LANGS, STRINGS, text


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_catalogue_every_key_in_both_languages() -> None:
    english, swedish = set(STRINGS["en"]), set(STRINGS["sv"])
    assert sorted(english - swedish) == [], "missing in Swedish"
    assert sorted(swedish - english) == [], "missing in English"


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_same_blanks_in_every_language(lang: str) -> None:
    differing = [
        key
        for key, template in STRINGS[lang].items()
        if key in STRINGS["en"] and _fields(template) != _fields(STRINGS["en"][key])
    ]
    assert differing == []


def test_catalogue_text_fills_blanks_and_falls_back_to_english() -> None:
    assert text("adj.heading", "sv", n=2, total=5) == "Oenighet 2 av 5"
    assert text("adj.heading", "fi", n=2, total=5) == "Disagreement 2 of 5"
    assert text("no.such.key") == "no.such.key"
