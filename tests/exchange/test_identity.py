"""Property tests (issue 16): our own round trip is the identity, whatever the text holds.

export -> import gives back every text, segment, quote, code, coder, coding time, "suggested"
marker, memo and participant; export -> import -> export gives back the same ``project.qde``
byte for byte apart from the memo dates (the store dates a memo when it is written) and the
same source files.  Texts hold a BOM or not, CRLF / CR / LF, characters outside the BMP (ZWJ
sequences, skin tones), combining accents; memos and values hold carriage returns too.
Every file written is checked against the shipped REFI-QDA schema.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import workbench
from workbench.exchange import export_qdpx, import_qdpx, validate_qdpx
from workbench.ingest import Segment, Transcript
from workbench.project._project import Project
from workbench.store import Origin

from .conftest import BOOK

PIECES = [
    "a",
    "Ő",
    "é",
    "e\u0301",  # e + combining acute: never composed
    "\u0338",  # a combining mark on its own
    " ",
    "\t",
    "\r\n",
    "\r",
    "\n",
    "\n\n",
    "😀",
    "👍🏽",
    "🤦\u200d♀️",
    "\U0001d11e",  # musical G clef, outside the BMP
    "\ufeff",  # a zero-width no-break space inside the text
    "P01: ",
    ">",
    "&",
]
CODERS = ["anna", "Zsófi Kovács", "o'Neil & <co>", "bo\tek"]
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _text(draw: st.DrawFn) -> str:
    return "".join(draw(st.lists(st.sampled_from(PIECES), max_size=25)))


@st.composite
def documents(draw: st.DrawFn, index: int, text: str | None = None) -> Transcript:
    """A document as the store may hold it: any text (or ``text``: two survey answers may
    both read "Good"), cut into segments (some gaps)."""
    if text is None:
        bom = "\ufeff" if draw(st.booleans()) else ""
        text = f"{bom}D{index} {_text(draw)}"
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=6))) | {0, len(text)})
    segments = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if draw(st.integers(0, 4)) == 0:  # a gap: text outside every segment
            continue
        clock = draw(st.one_of(st.none(), st.floats(0, 5000, allow_nan=False)))
        segments.append(
            Segment(
                speaker=draw(st.sampled_from([None, "P01", "Interviewer", "Éva 😀"])),
                role=draw(st.sampled_from(["interviewee", "interviewer"])),
                text=text[a:b],
                start=a,
                end=b,
                start_time=clock,
                end_time=None if clock is None else clock + 1.5,
            )
        )
    participant = draw(st.sampled_from([None, f"P0{index + 1}", "P01"]))
    attributes = draw(
        st.dictionaries(
            st.sampled_from(["ålder", "stad", "note"]),
            st.text(alphabet="ab Å\r\n😀", min_size=1, max_size=8),
        )
    )
    return Transcript(
        name=f"doc {index} ⟨{draw(st.sampled_from(['a', 'Å', '😀']))}⟩.txt",
        format=draw(st.sampled_from(["txt", "docx", "csv"])),
        checksum=f"{hashlib.sha256(text.encode()).hexdigest()}#{index}",
        text=text,
        segments=segments,
        language=draw(st.sampled_from(["sv", "en", "hu"])),
        participant=participant,
        attributes=attributes if participant else {},
    )


@st.composite
def studies(draw: st.DrawFn) -> dict[str, Any]:
    docs = [draw(documents(0))]
    if draw(st.booleans()):
        same = draw(st.booleans())
        docs.append(draw(documents(1, docs[0].text if same else None)))
    codable = [c.id for c in BOOK.codes if c.codable]
    n_segments = sum(len(d.segments) for d in docs)
    codings = draw(
        st.lists(
            st.tuples(
                st.integers(0, max(n_segments - 1, 0)),
                st.sampled_from(codable),
                st.sampled_from(CODERS),
                st.floats(0, 1),
                st.floats(0, 1),
                st.sampled_from(list(Origin)),
                st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1)),
            ),
            max_size=8 if n_segments else 0,
        )
    )
    memos = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["segment", "document", "code", "project"]),
                st.integers(0, 20),
                st.sampled_from(CODERS),
                st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map("".join),
            ),
            max_size=5,
        )
    )
    return {"docs": docs, "codings": codings, "memos": memos}


def build(folder: Path, study: dict[str, Any]) -> Project:
    project = workbench.init(folder, codebook=BOOK)
    project.store.import_transcripts(
        study["docs"], user="lead", participant_pseudonym=lambda label, known: label
    )
    segs = project.segments().sort_values(["document", "position"])
    rows = list(segs.itertuples())
    codings = []
    for index, code, coder, x, y, origin, when in study["codings"]:
        seg = rows[index % len(rows)]
        a, b = int(seg.start), int(seg.end)
        if a == b:
            continue
        start = a + int(x * (b - a - 1))
        end = start + 1 + int(y * (b - start - 1))
        # as a coder's own work comes in: any turn (a study may code its interviewers), any time
        codings.append(
            {
                "segment_id": int(seg.segment),
                "code_id": code,
                "coder": coder,
                "start": start,
                "end": end,
                "origin": origin,
                "created_at": when.replace(tzinfo=UTC).isoformat(timespec="milliseconds"),
            }
        )
    if codings:
        project.store.bulk_add_codings(codings, user="lead")
    docs = project.documents
    for kind, index, coder, text in study["memos"]:
        if kind == "segment" and rows:
            target: str | int = int(rows[index % len(rows)].segment)
        elif kind == "document":
            target = int(docs["document_id"].iloc[index % len(docs)])
        elif kind == "code":
            target = BOOK.codes[index % len(BOOK.codes)].id
        else:
            target = "project"
        project.memo(
            "project" if kind == "segment" and not rows else kind, target, text, coder=coder
        )
    return project


def snapshot(project: Project) -> dict[str, Any]:
    """Everything the round trip must keep, by natural keys (never database ids)."""
    docs = project.documents
    names = {int(i): str(n) for i, n in zip(docs["document_id"], docs["document"], strict=True)}
    segs = project.segments()
    where = {
        int(s): (str(d), int(p))
        for s, d, p in zip(segs["segment"], segs["document"], segs["position"], strict=True)
    }
    memos = set()
    for m in project.store.memos_frame().itertuples():
        target: object = m.target
        if m.kind == "segment":
            target = where[int(m.target)]
        elif m.kind == "document":
            target = names[int(m.target)]
        memos.add((m.kind, target, m.coder, m.text))
    people = project.participants.drop(columns="participant_id")
    return {
        "texts": {n: project.store.document_text(i) for i, n in names.items()},
        "languages": dict(zip(docs["document"], docs["language"], strict=True)),
        "formats": dict(zip(docs["document"], docs["format"], strict=True)),
        "owners": dict(zip(docs["document"], docs["participant"], strict=True)),
        "segments": sorted(
            tuple(None if pd.isna(v) else v for v in row)
            for row in segs[
                ["document", "position", "start", "end", "role", "speaker", "text"]
                + ["start_time", "end_time"]
            ].itertuples(index=False)
        ),
        "codings": sorted(
            project.codings()[
                ["document", "code", "coder", "origin", "start", "end", "quote", "created_at"]
            ].itertuples(index=False)
        ),
        "memos": memos,
        "people": sorted(
            str(sorted((k, v) for k, v in row.items() if pd.notna(v)))
            for row in people.to_dict("records")
        ),
        "codebook": project.codebook,
    }


def qdpx_parts(path: Path) -> tuple[str, dict[str, bytes]]:
    """``project.qde`` without memo dates, and the other members' bytes."""
    with zipfile.ZipFile(path) as zf:
        qde = zf.read("project.qde").decode("utf-8")
        others = {n: zf.read(n) for n in zf.namelist() if n != "project.qde"}
    return re.sub(r' modifiedDateTime="[^"]*"', "", qde), others


def round_trip(study: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with build(root / "study", study) as original:
            before = snapshot(original)
            export_qdpx(original, root / "first.qdpx")
        validate_qdpx(root / "first.qdpx")
        report = import_qdpx(root / "first.qdpx", root / "copy", coder="importer")
        with workbench.open(root / "copy") as copy:
            assert snapshot(copy) == before
            export_qdpx(copy, root / "second.qdpx")
        validate_qdpx(root / "second.qdpx")
        assert qdpx_parts(root / "second.qdpx") == qdpx_parts(root / "first.qdpx")
        dated = [f"{len(before['memos'])} note date(s): memos are dated by this import"]
        assert report.not_carried == (dated if before["memos"] else [])
        assert not any("positions" in line or "cut again" in line for line in report.adjusted)


@SETTINGS
@given(studies())
def test_qdpx_round_trip_is_the_identity_for_any_text(study: dict[str, Any]) -> None:
    round_trip(study)


def test_qdpx_round_trip_carriage_returns_bom_and_suggestions() -> None:
    """One hand-picked case of the property, for a readable failure."""
    text = "\ufeffI: Hur?\r\nP01: Kön 😀 var\rlång, e\u0301n 🤦\u200d♀️ timme.\n"
    seg = Segment("P01", "interviewee", text[10:], 10, len(text), 1.0, 2.5)
    doc = Transcript("a.txt", "txt", "x", text, [seg], "sv", "P01", {"stad": "Åbo\r\n"})
    study = {
        "docs": [doc],
        "codings": [
            (0, "queue", "anna", 0.0, 0.99, Origin.SUGGESTION, datetime(2024, 5, 1, 12)),
            (0, "app", "bo\tek", 0.3, 0.2, Origin.HUMAN, datetime(1999, 12, 31, 23, 59, 59)),
        ],
        "memos": [("segment", 0, "anna", "Rad ett\r\nrad två\r"), ("project", 0, "bo\tek", "😀")],
    }
    round_trip(study)


def _units(text: str, index: int, tool: str) -> int:
    """Offset ``index`` (code points) as ``tool`` counts it: NVivo in UTF-16 code units."""
    return len(text[:index].encode("utf-16-le")) // 2 if tool.startswith("NVivo") else index


@st.composite
def foreign_files(draw: st.DrawFn) -> tuple[dict[str, bytes], str, list[tuple[int, int, int]]]:
    """The members of a one-source ``.qdpx`` as NVivo (UTF-16) or QualCoder (code points)
    write it (BOM or not, any line ends), its text, and its selections ``(start, end, code)``
    in code points of that text: most inside one turn, some anywhere."""
    tool = draw(st.sampled_from(["NVivo 14.23.0 (Windows)", "QualCoder 3.5"]))
    inline = [p for p in PIECES if "\r" not in p and "\n" not in p and p != "P01: "]
    text, turns = "", []
    for _ in range(draw(st.integers(1, 4))):
        speaker = draw(st.sampled_from(["Éva", "Kérdező"]))
        words = "x" + "".join(draw(st.lists(st.sampled_from(inline), max_size=12))) + "y"
        turns.append((len(text) + len(speaker) + 2, len(words)))
        text += f"{speaker}: {words}" + draw(st.sampled_from(["\r\n", "\n", "\r\n\r\n", "\r"]))
    spans = []
    for _ in range(draw(st.integers(0, 6))):
        at, size = draw(st.sampled_from(turns))
        a = at + draw(st.integers(0, size - 1))
        spans.append((a, draw(st.integers(a + 1, at + size)), draw(st.integers(0, 1))))
    for a, b, c in draw(
        st.lists(
            st.tuples(st.integers(0, len(text)), st.integers(0, len(text)), st.integers(0, 1)),
            max_size=2,
        )
    ):
        if a < b:
            spans.append((a, b, c))
    g = "00000000-0000-4000-8000-0000000000"
    sels = "".join(
        f'<PlainTextSelection guid="{g}{10 + i}" startPosition="{_units(text, a, tool)}" '
        f'endPosition="{_units(text, b, tool)}" creatingUser="{g}01">'
        f'<Coding guid="{g}{30 + i}" creationDateTime="2024-0{1 + i % 9}-02T10:00:00+02:00">'
        f'<CodeRef targetGUID="{g}0{2 + c}"/></Coding></PlainTextSelection>'
        for i, (a, b, c) in enumerate(spans)
    )
    qde = (
        f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" '
        f'name="Ügyfél" origin="{tool}"><Users><User guid="{g}01" name="Zsófi"/></Users>'
        f'<CodeBook><Codes><Code guid="{g}02" name="Sor" isCodable="true"/>'
        f'<Code guid="{g}03" name="App" isCodable="true"/></Codes></CodeBook>'
        f'<Sources><TextSource guid="{g}99" name="Éva" plainTextPath="internal://{g}99.txt">'
        f"{sels}</TextSource></Sources></Project>"
    )
    bom = "\ufeff" if draw(st.booleans()) else ""
    members = {"project.qde": qde.encode(), f"Sources/{g}99.txt": (bom + text).encode()}
    return members, text, spans


@SETTINGS
@given(foreign_files())
def test_foreign_import_then_our_round_trip_keeps_every_quote(
    file: tuple[dict[str, bytes], str, list[tuple[int, int, int]]],
) -> None:
    members, text, spans = file
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with zipfile.ZipFile(root / "tool.qdpx", "w") as zf:
            for name, data in members.items():
                zf.writestr(name, data)
        import_qdpx(root / "tool.qdpx", root / "first", coder="me")
        with workbench.open(root / "first") as first:
            before = snapshot(first)
            bounds = list(zip(first.segments()["start"], first.segments()["end"], strict=True))
            export_qdpx(first, root / "first.qdpx")
        # the tool's selection is the quote wherever it lies in one segment (and splits no CRLF)
        quotes = {(c[1], c[6]) for c in before["codings"]}
        codes = {0: "sor", 1: "app"}
        for a, b, c in spans:
            if any(text[i - 1 : i + 1] == "\r\n" for i in (a, b)):
                continue
            na = len(text[:a].replace("\r\n", "\n"))
            nb = len(text[:b].replace("\r\n", "\n"))
            if any(s <= na and nb <= e for s, e in bounds):
                expected = text[a:b].replace("\r\n", "\n").replace("\r", "\n")
                assert (codes[c], expected) in quotes
        validate_qdpx(root / "first.qdpx")
        import_qdpx(root / "first.qdpx", root / "second", coder="me")
        with workbench.open(root / "second") as second:
            assert snapshot(second) == before
            export_qdpx(second, root / "second.qdpx")
        assert qdpx_parts(root / "second.qdpx") == qdpx_parts(root / "first.qdpx")
