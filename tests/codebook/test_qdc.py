from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings

from workbench.codebook import (
    Codebook,
    code_guid,
    codebook_from_qdc,
    codebook_from_yaml,
    codebook_to_qdc,
    conforming_guid,
    guid_to_id,
    load_codebook,
    save_codebook,
    slugify,
)
from workbench.errors import CodebookError, UnsafeXML
from workbench.exchange import validate_qdc

from .codebook_strategies import SAMPLE_YAML, codebooks

#: Real exports: Taguette 1.5.2 (BSD-3-Clause) and a trimmed ATLAS.ti 23.4 file (see README).
FIXTURES = Path(__file__).parent / "fixtures"
HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'
NS = 'xmlns="urn:QDA-XML:codebook:1.0"'


def _sample() -> Codebook:
    return codebook_from_yaml(SAMPLE_YAML, "demo.yaml")


def test_to_qdc_validates_against_schema_and_keeps_hierarchy() -> None:
    xml = codebook_to_qdc(_sample())
    validate_qdc(xml)
    assert 'name="Everyday process"' in xml and 'isCodable="false"' in xml
    assert "<MemberCode guid=" in xml
    assert xml.index('name="Everyday process"') < xml.index('name="What"')


def test_to_qdc_names_in_chosen_language() -> None:
    assert 'name="Vardagsprocess"' in codebook_to_qdc(_sample(), lang="sv")


def test_to_qdc_never_writes_empty_sets() -> None:
    book = _sample()
    book = Codebook(id=book.id, title=book.title, codes=book.codes)
    xml = codebook_to_qdc(book)
    validate_qdc(xml)
    assert "Sets" not in xml


def test_qdc_roundtrip_sample_is_unchanged() -> None:
    book = _sample()
    again = codebook_from_qdc(codebook_to_qdc(book), "demo.qdc")
    assert again == book
    assert again.to_yaml() == SAMPLE_YAML


@settings(max_examples=40, deadline=None)
@given(codebooks(xml_safe=True))
def test_qdc_roundtrip_any_codebook(book: Codebook) -> None:
    xml = codebook_to_qdc(book)
    validate_qdc(xml)
    assert codebook_from_qdc(xml.encode("utf-8"), "x.qdc") == book


def test_code_guid_is_stable_uuid5() -> None:
    book = _sample()
    guid = code_guid("demo", "ep-what")
    assert guid == code_guid("demo", book.get("ep-what")) and len(guid) == 36
    assert guid != code_guid("other", "ep-what")
    assert guid_to_id(book)[guid.lower()] == "ep-what"


def test_from_qdc_reads_taguette_export() -> None:
    book = load_codebook(FIXTURES / "taguette-1.5.2.qdc")
    assert [c.id for c in book] == ["interesting", "places", "people"]
    assert book.get("places").parent == "interesting"
    assert book.get("places").label == {"en": "places"}
    assert book.sets == ()
    assert guid_to_id(book)["55bb6892-6f30-5129-8cb8-557a1b12137b"] == "places"
    # the foreign GUIDs survive a re-export
    assert "55BB6892-6F30-5129-8CB8-557A1B12137B" in codebook_to_qdc(book)


def test_from_qdc_reads_atlasti_export() -> None:
    book = load_codebook(FIXTURES / "atlasti-23.4.qdc")
    code = book.get("code1")
    assert code.color == "#46AA00" and code.definition == {"en": "description"}
    (group,) = book.sets
    assert group.name == "code group 1" and group.members == ("code1",)
    assert group.description == "kategorie 1"
    assert group.guid == "ECA18D76-2B8B-4F26-BC1D-19ECA19FB3F0"
    assert 'guid="ECA18D76-2B8B-4F26-BC1D-19ECA19FB3F0"' in codebook_to_qdc(book)
    assert codebook_from_yaml(book.to_yaml()) == book
    validate_qdc(codebook_to_qdc(book))


def _qdc(codes: str, sets: str = "", root_attrs: str = NS) -> str:
    return f"{HEAD}<CodeBook {root_attrs}><Codes>{codes}</Codes>{sets}</CodeBook>"


G1 = "11111111-1111-1111-1111-111111111111"
G2 = "{22222222-2222-2222-2222-222222222222}"
G3 = "33333333-3333-3333-3333-333333333333"


def test_from_qdc_slash_paths_accents_and_member_target_guid() -> None:
    xml = _qdc(
        f'<Code guid="{G1}" name="Förväntningar" isCodable="false"/>'
        f'<Code guid="{G2}" name="Förväntningar/Ärlig återkoppling" isCodable="true" color="#abc"/>'
        f'<Code guid="{G3}" name="Ja/Nej"/>',
        f'<Sets><Set guid="{G1}" name="Mina"><MemberCode targetGUID="{G2[1:-1]}"/></Set></Sets>',
    )
    book = codebook_from_qdc(xml, "team.qdc", lang="sv")
    assert book.id == "team"
    child = book.get("arlig-aterkoppling")
    assert child.parent == "forvantningar" and child.label == {"sv": "Ärlig återkoppling"}
    assert child.color == "#AABBCC"
    assert book.get("forvantningar").codable is False
    assert book.get("ja-nej").parent is None  # "Ja" is no code: the slash is part of the name
    assert book.get("ja-nej").codable is True and book.get("ja-nej").color == "#888888"
    assert book.sets[0].members == ("arlig-aterkoppling",)


def test_from_qdc_backslash_creates_missing_categories_and_unique_ids() -> None:
    xml = _qdc(
        f'<Code guid="{G1}" name="Kvalitet\\Teknisk" isCodable="true"/>'
        f'<Code guid="{G3}" name="Teknisk" isCodable="true"/>',
        "<Sets/>",
    )
    book = codebook_from_qdc(xml, "x.qdc")
    assert book.get("kvalitet").codable is False
    assert book.get("teknisk").parent == "kvalitet"
    assert book.get("teknisk-2").parent is None


def test_from_qdc_accepts_schema_location() -> None:
    attrs = (
        NS + ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="urn:QDA-XML:codebook:1.0 Codebook.xsd" origin="NVivo"'
    )
    book = codebook_from_qdc(_qdc(f'<Code guid="{G1}" name="a" isCodable="true"/>', "", attrs))
    assert book.ids() == ["a"]


BOMB = f"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="{G1}" name="&lol3;" isCodable="true"/></Codes></CodeBook>
"""

EXTERNAL = f"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="{G1}" name="&xxe;" isCodable="true"/></Codes></CodeBook>
"""


@pytest.mark.parametrize("xml", [BOMB, EXTERNAL])
def test_from_qdc_refuses_entities_and_dtds(xml: str) -> None:
    with pytest.raises(UnsafeXML) as info:
        codebook_from_qdc(xml, "evil.qdc")
    assert str(info.value).startswith("evil.qdc: refused") and "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"PK\x03\x04 not xml at all", "not well-formed XML"),
        ("<CodeBook><Codes/></CodeBook>", "not a REFI-QDA codebook"),
        ('<Project xmlns="urn:QDA-XML:project:1.0"/>', "not a REFI-QDA codebook"),
        (f"<CodeBook {NS}/>", "has no <Codes>"),
        (_qdc('<Code name="x" isCodable="true"/>'), "code 'x': no guid"),
        (_qdc(f'<Code guid="{G1}" name="x"/><Code guid="{{{G1}}}" name="y"/>'), "used twice"),
        (
            _qdc(
                f'<Code guid="{G1}" name="x"/>',
                f'<Sets><Set guid="{G3}" name="s"><MemberCode guid="{G3}"/></Set></Sets>',
            ),
            "set 's': member",
        ),
    ],
)
def test_from_qdc_bad_file_is_one_line_codebook_error(data: str | bytes, fragment: str) -> None:
    with pytest.raises(CodebookError) as info:
        codebook_from_qdc(data, "bad.qdc")
    message = str(info.value)
    assert message.startswith("bad.qdc: ") and fragment in message and "\n" not in message


def test_save_qdc_refuses_xml_illegal_characters_and_writes_nothing(tmp_path: Path) -> None:
    book = _sample()
    code = book.get("ep-what")
    bad = Codebook(
        id=book.id,
        title=book.title,
        codes=tuple(
            c if c.id != code.id else type(c)(**{**c.__dict__, "label": {"en": "bell\x07"}})
            for c in book.codes
        ),
    )
    with pytest.raises(CodebookError, match="U\\+0007"):
        save_codebook(bad, tmp_path / "out.qdc")
    assert list(tmp_path.iterdir()) == []


def test_slugify_folds_nordic_letters_and_keeps_ids_unique() -> None:
    assert slugify("Åsikter om Ærlighet & Øl") == "asikter-om-aerlighet-ol"
    assert slugify("Vad?", taken={"vad"}) == "vad-2"
    assert slugify("!!!") == "code"


def test_from_qdc_nested_foreign_codes_keep_hierarchy_and_free_description() -> None:
    xml = _qdc(
        f'<Code guid="{G1}" name="Kvalitet" isCodable="false">'
        "<Description>Upplevd kvalitet.\nTvå rader.</Description>"
        f'<Code guid="{G3}" name="Teknisk kvalitet" isCodable="true" color="#123456"/>'
        "</Code>"
    )
    book = codebook_from_qdc(xml, "maxqda.qdc", lang="sv")
    assert book.get("kvalitet").definition == {"sv": "Upplevd kvalitet.\nTvå rader."}
    assert book.get("teknisk-kvalitet").parent == "kvalitet"
    assert book.get("kvalitet").guid == G1 and book.get("teknisk-kvalitet").guid == G3


def test_conforming_guid_keeps_uuids_and_derives_one_from_other_ids() -> None:
    assert conforming_guid(G1) == G1 and conforming_guid(f" {G2} ") == G2
    made = conforming_guid("c001")
    assert made != "c001" and re.fullmatch(r"[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}", made)
    assert conforming_guid("C001") == conforming_guid("{c001}") == made
    assert conforming_guid("c002") != made


HAND_MADE = _qdc(
    '<Code guid="c001" name="Väntan" isCodable="true">'
    '<Code guid="c002" name="Kö" isCodable="true"/></Code>',
    '<Sets><Set guid="s1" name="Kärna"><MemberCode guid="c002"/></Set></Sets>',
)


def test_from_qdc_non_uuid_guids_become_stable_uuids_and_the_export_validates() -> None:
    book = codebook_from_qdc(HAND_MADE, "hand.qdc", lang="sv")
    assert book.get("ko").guid == conforming_guid("c002") and book.get("ko").parent == "vantan"
    assert book.sets[0].guid == conforming_guid("s1") and book.sets[0].members == ("ko",)
    xml = codebook_to_qdc(book)
    validate_qdc(xml, "hand.qdc")  # c001 would break GUIDType
    assert 'guid="c00' not in xml and 'guid="s1"' not in xml
    # the same file always maps to the same UUIDs, and our export reads back unchanged
    assert codebook_from_qdc(HAND_MADE, "hand.qdc", lang="sv") == book
    again = codebook_from_qdc(xml, "hand.qdc")
    assert again == book and codebook_to_qdc(again) == xml
    assert guid_to_id(book)[conforming_guid("c001").lower()] == "vantan"


def test_to_qdc_origin_is_a_plain_line_and_metadata_a_processing_instruction() -> None:
    book = _sample()
    xml = codebook_to_qdc(book)
    assert 'origin="Vardag workbench"' in xml and "{&quot;" not in xml
    assert '<?vardag {"codebook": {"id": "demo"' in xml
    assert codebook_from_qdc(xml, "other-name.qdc") == book  # id and title from the PI


def test_from_qdc_reads_the_older_json_origin() -> None:
    origin = "Vardag workbench {&quot;id&quot;: &quot;old&quot;, &quot;version&quot;: 3}"
    xml = _qdc(f'<Code guid="{G1}" name="a" isCodable="true"/>', "", f'{NS} origin="{origin}"')
    book = codebook_from_qdc(xml, "x.qdc")
    assert (book.id, book.version) == ("old", 3)


def test_to_qdc_pi_never_holds_the_end_of_a_processing_instruction() -> None:
    book = _sample()
    book = Codebook(id=book.id, title={"en": "What?> now"}, codes=book.codes)
    xml = codebook_to_qdc(book)
    validate_qdc(xml)
    assert codebook_from_qdc(xml, "x.qdc").title == {"en": "What?> now"}
