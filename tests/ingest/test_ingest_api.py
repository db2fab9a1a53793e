from __future__ import annotations

import codecs

import workbench.ingest as ingest
from workbench.ingest import Pseudonymiser, read

from .conftest import FIXTURES


def test_ingest_all_lists_public_names() -> None:
    public = {n for n in dir(ingest) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(ingest, n)).__name__ == "module"}
    assert set(ingest.__all__) == public - modules - {"annotations"}


def test_read_utf16_vtt(write) -> None:
    text = (FIXTURES / "teams.vtt").read_text(encoding="utf-8")
    [doc] = read(write("u.vtt", codecs.BOM_UTF16_LE + text.encode("utf-16-le")))
    assert [s.speaker for s in doc.segments] == ["Maria Holm", "Olle Berg", "Maria Holm"]


def test_read_interviewers_argument_sets_role(write) -> None:
    text = "Eva: Berätta.\nAnna: Ja.\nBo: Nej.\nEva: Och?\n"
    [doc] = read(write("r.txt", text), interviewers=["Eva"])
    assert {(s.speaker, s.role) for s in doc.segments} == {
        ("Eva", "interviewer"),
        ("Anna", "interviewee"),
        ("Bo", "interviewee"),
    }


def test_read_same_pseudonymiser_across_files_keeps_numbers() -> None:
    p = Pseudonymiser()
    [a] = read(FIXTURES / "otter.txt", pseudonymiser=p)
    [b] = read(FIXTURES / "zoom.vtt", pseudonymiser=p)
    [c] = read(FIXTURES / "otter.txt", pseudonymiser=p)
    assert (a.participant, b.participant, c.participant) == ("P01", "P02", "P01")
    assert p.participant_pseudonym("Sam Lee") == "P01"
    assert {s.speaker for s in b.segments} == {"I2", "P02"}


def test_read_role_codes_are_different_participants_per_file(write) -> None:
    p = Pseudonymiser()
    [a] = read(write("a.txt", "I: Hej?\nR: Hej."), pseudonymiser=p)
    [b] = read(write("b.txt", "I: Hallå?\nR: Hallå där."), pseudonymiser=p)
    assert (a.participant, b.participant) == ("P01", "P02")
    assert a.text == "Interviewer: Hej?\n\nP01: Hej."
