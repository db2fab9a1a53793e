"""Hypothesis strategies and small sample codebooks shared by the codebook tests."""

from __future__ import annotations

from hypothesis import strategies as st

from workbench.codebook import Code, Codebook, CodeSet, Example

SAMPLE_YAML = """\
id: demo
version: 3
title: {sv: Demokodbok, en: Demo codebook}
description: {sv: "En liten kodbok: för tester.", en: A small codebook for tests.}
codes:
  - id: everyday-process
    parent: null
    codable: false
    label: {sv: Vardagsprocess, en: Everyday process}
    definition: {sv: Det användaren gör i vardagen., en: "What the user does, day to day."}
    color: "#2E7D32"
    shortcut: e

  - id: ep-what
    parent: everyday-process
    label: {sv: Vad, en: What}
    definition: {sv: "Vad som görs.\\nAndra raden.", en: What is done.}
    use_when: {sv: När en aktivitet nämns., en: When an activity is named.}
    do_not_use_when: {sv: Inte för känslor; se 'upplevelse'., en: Not for feelings.}
    examples:
      - {lang: sv, text: "\\"Jag kollar appen varje morgon\\""}
      - {lang: en, text: I check the app every morning}
    color: "#66BB6A"
    shortcut: w

  - id: ep-when
    parent: everyday-process
    label: {sv: När, en: When}
    color: "#A5D6A7"
    shortcut: shift+w

  - id: functional-quality
    parent: null
    label: {sv: Funktionell kvalitet, en: Functional quality}
    color: "#1565C0"
    shortcut: "1"

sets:
  - {id: process, name: Process codes, description: Everything about the process., members: [ep-what, ep-when]}
"""


def ids() -> st.SearchStrategy[str]:
    return st.from_regex(r"[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,4})?", fullmatch=True)


def texts(xml_safe: bool = False, min_size: int = 0) -> st.SearchStrategy[str]:
    """Any text YAML can hold; with ``xml_safe`` only what XML 1.0 can (and no CR)."""
    if xml_safe:
        alphabet = st.characters(
            exclude_categories=["Cs"],
            exclude_characters="\r\ufffe\uffff",
            min_codepoint=0x09,
        ).filter(lambda ch: ch in "\t\n" or ord(ch) >= 0x20)
    else:
        alphabet = st.characters(exclude_categories=["Cs"])
    return st.text(alphabet, min_size=min_size, max_size=30)


def text_dicts(xml_safe: bool = False, need: bool = False) -> st.SearchStrategy[dict[str, str]]:
    value = (
        texts(xml_safe, min_size=1).filter(lambda s: s.strip() != "") if need else texts(xml_safe)
    )
    langs = st.sampled_from(["sv", "en", "de"])
    return st.dictionaries(langs, value, min_size=1 if need else 0, max_size=3)


@st.composite
def codebooks(draw: st.DrawFn, xml_safe: bool = False, max_codes: int = 6) -> Codebook:
    code_ids = draw(st.lists(ids(), min_size=1, max_size=max_codes, unique=True))
    shortcuts = draw(st.permutations(list("abcdefghij") + ["shift+x", "1"]))
    codes = []
    for i, cid in enumerate(code_ids):
        parent = draw(st.sampled_from([None, *code_ids[:i]]))
        examples = draw(
            st.lists(
                st.builds(
                    Example,
                    lang=st.sampled_from(["sv", "en"]),
                    text=texts(xml_safe, 1).filter(lambda s: s != ""),
                ),
                max_size=2,
            )
        )
        codes.append(
            Code(
                id=cid,
                label=draw(text_dicts(xml_safe, need=True)),
                parent=parent,
                definition=draw(text_dicts(xml_safe)),
                use_when=draw(text_dicts(xml_safe)),
                do_not_use_when=draw(text_dicts(xml_safe)),
                examples=tuple(examples),
                color=draw(st.from_regex(r"#[0-9A-F]{6}", fullmatch=True)),
                shortcut=draw(st.sampled_from([None, shortcuts[i]])),
                codable=draw(st.booleans()),
            )
        )
    from workbench.codebook._validate import tree_order

    sets = []
    if draw(st.booleans()):
        members = draw(st.lists(st.sampled_from(code_ids), unique=True, max_size=3))
        sets.append(
            CodeSet(
                id="s1",
                name=draw(texts(xml_safe, 1).filter(lambda s: s.strip() != "")),
                description=draw(texts(xml_safe)),
                members=tuple(members),
            )
        )
    return Codebook(
        id=draw(ids()),
        title=draw(text_dicts(xml_safe, need=True)),
        codes=tree_order(codes),
        description=draw(text_dicts(xml_safe)),
        version=draw(st.integers(1, 20)),
        sets=tuple(sets),
    )
