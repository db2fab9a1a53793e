"""Bad input of every kind must raise a WorkbenchError and nothing else."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.errors import WorkbenchError
from workbench.ingest import TableColumns, read

from .conftest import FIXTURES

_SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_SOURCES = {
    "docx": ["prefix.docx", "bold.docx", "table3.docx"],
    "vtt": ["teams.vtt", "zoom.vtt"],
    "srt": ["captions.srt"],
    "txt": ["interview.txt", "otter.txt"],
    "csv": ["answers.csv"],
    "xlsx": ["answers.xlsx"],
}
_TABLES = {
    "answers.csv": TableColumns("id", "answer", ("region",)),
    "answers.xlsx": TableColumns("Respondent", "Svar", ("Kommun",)),
}


def _read_only_workbench_errors(name: str, data: bytes, table: TableColumns | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        for unit in ("turn", "sentence"):
            try:
                docs = read(path, segment=unit, table=table)  # type: ignore[arg-type]
            except WorkbenchError as exc:
                message = str(exc)
                assert message.startswith(name + ":"), message
                assert "\n" not in message
                return
            for doc in docs:
                for s in doc.segments:
                    assert doc.text[s.start : s.end] == s.text


@st.composite
def _mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    fmt = draw(st.sampled_from(sorted(_SOURCES)))
    source = draw(st.sampled_from(_SOURCES[fmt]))
    data = bytearray((FIXTURES / source).read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "truncate", "insert", "delete"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if op == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "truncate":
            del data[at:]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        else:
            del data[at : at + draw(st.integers(1, 64))]
    return source, bytes(data)


@_SETTINGS
@given(_mutated())
def test_read_mutated_files_raise_only_workbench_errors(case: tuple[str, bytes]) -> None:
    source, data = case
    _read_only_workbench_errors(source, data, _TABLES.get(source))


@_SETTINGS
@given(
    st.sampled_from(["a.txt", "a.md", "a.docx", "a.vtt", "a.srt", "a.csv", "a.xlsx"]),
    st.binary(max_size=400),
)
def test_read_random_bytes_raise_only_workbench_errors(name: str, data: bytes) -> None:
    _read_only_workbench_errors(name, data, TableColumns("id", "text"))


@_SETTINGS
@given(st.sampled_from(["a.txt", "a.vtt", "a.srt", "a.csv"]), st.text(max_size=300))
def test_read_random_text_raise_only_workbench_errors(name: str, text: str) -> None:
    prefix = {"a.vtt": "WEBVTT\n\n", "a.srt": "1\n00:00:01,000 --> 00:00:02,000\n"}.get(name, "")
    _read_only_workbench_errors(name, (prefix + text).encode("utf-8"), TableColumns("id", "text"))


# Bytes that never start a UTF-8 sequence (continuation bytes, and bytes UTF-8 never uses), so
# two strays side by side cannot happen to form a valid UTF-8 character.
_STRAYS = [
    b
    for b in [*range(0x80, 0xC0), *range(0xF5, 0x100)]
    if bytes([b]).decode("cp1252", "replace") != "\ufffd"
]


@_SETTINGS
@given(
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff\r\x85"),
        min_size=1,
        max_size=200,
    ).filter(lambda t: any(ord(c) >= 0x80 for c in t) and "Ã" not in t and "Â" not in t),
    st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(_STRAYS)), max_size=5),
)
def test_decode_stray_bytes_never_turn_utf8_text_into_mojibake(
    text: str, strays: list[tuple[int, int]]
) -> None:
    """A UTF-8 text with stray Windows-1252 bytes between its characters decodes to exactly that
    text with each stray read as its Windows-1252 character, and each stray is reported."""
    from workbench.ingest._decode import decode_text, normalise

    chars = list(text)
    expected = list(text)
    for at, byte in sorted(strays, reverse=True):
        where = at % (len(chars) + 1)
        chars.insert(where, bytes([byte]))  # type: ignore[arg-type]
        expected.insert(where, bytes([byte]).decode("cp1252"))
    data = b"".join(c if isinstance(c, bytes) else c.encode() for c in chars)  # type: ignore[misc]
    if not data.strip():
        return
    try:
        decoded = decode_text(data, "f.txt")
    except WorkbenchError as exc:
        assert str(exc).startswith("f.txt: ") and "\n" not in str(exc)
        return
    if len(strays) <= sum(1 for c in text if ord(c) >= 0x80):  # read as UTF-8 with strays
        assert decoded.text == normalise("".join(expected)).lstrip("\ufeff")
        reported = sum(1 for n in decoded.notes if "is not UTF-8" in n)
        assert reported == min(len(strays), 5) or (len(strays) > 5 and reported == 4)
