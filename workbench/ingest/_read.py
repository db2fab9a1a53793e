"""``read``: pick the reader by extension, then pseudonymise, assemble and segment."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import EmptyFile, ImportFailed, UnsupportedFormat
from workbench.ingest._captions import read_captions
from workbench.ingest._decode import decode_text
from workbench.ingest._docx import read_docx
from workbench.ingest._labels import clean_body, is_generic, is_interviewer_code, person, unique
from workbench.ingest._language import detect_language
from workbench.ingest._model import Role, Transcript, Turn
from workbench.ingest._plain import parse_labelled_text
from workbench.ingest._pseudonym import Pseudonymiser
from workbench.ingest._segment import Unit, assemble
from workbench.ingest._table import Row, TableColumns, read_csv, read_xlsx

__all__ = ["FORMATS", "detect_roles", "read", "register_speakers"]

#: The extensions :func:`read` understands, without the dot.
FORMATS = ("txt", "md", "docx", "vtt", "srt", "csv", "xlsx")
_UNITS = ("turn", "paragraph", "sentence")


def _words(text: str) -> int:
    return text.count(" ") + text.count("\n") + 1


def detect_roles(turns: Sequence[Turn], interviewers: Collection[str] = ()) -> dict[str, Role]:
    """Map each speaker label to ``"interviewer"`` or ``"interviewee"``.

    Role labels (I, Q, Int, Intervjuare, Moderator, ...) and names in ``interviewers`` are
    interviewers.  Failing those, of exactly two speakers the interviewer is the one whose
    turns end in "?" most often (tie: the one with fewer words), unless the other one is a
    respondent code such as R or IP1.
    """
    speakers = unique(t.speaker for t in turns if t.speaker)
    wanted = {" ".join(n.split()).casefold() for n in interviewers}
    chosen = {s for s in speakers if is_interviewer_code(s) or s.casefold() in wanted}
    if not chosen and len(speakers) == 2:
        codes = [s for s in speakers if is_generic(s)]
        if len(codes) == 1:
            chosen = {s for s in speakers if s not in codes}
        else:
            questions = Counter(t.speaker for t in turns if t.text.rstrip().endswith("?"))
            words: Counter[str | None] = Counter()
            for t in turns:
                words[t.speaker] += _words(t.text)
            chosen = {max(speakers, key=lambda s: (questions[s], -words[s]))}
    return {s: ("interviewer" if s in chosen else "interviewee") for s in speakers}


def _transcript(
    turns: list[Turn],
    *,
    name: str,
    fmt: str,
    checksum: str,
    unit: Unit,
    language: str | None,
    pseudonymiser: Pseudonymiser | None,
    interviewers: Collection[str],
) -> Transcript:
    turns = [
        Turn(person(t.speaker), t.text, t.start_time, t.end_time) if t.speaker else t for t in turns
    ]
    roles = detect_roles(turns, interviewers)
    words: Counter[str] = Counter()
    for t in turns:
        if t.speaker and roles[t.speaker] == "interviewee":
            words[t.speaker] += _words(t.text)
    participant = words.most_common(1)[0][0] if words else None
    stored_name = name
    if pseudonymiser is not None:
        names = {s: pseudonymiser.speaker(s, r, checksum[:12]) for s, r in roles.items()}
        speaking = set(names.values())
        # after the speakers: "intervju-goran-ahlstrom.docx" names the interviewee
        stored_name = pseudonymiser.file_name(name)
        turns = [
            Turn(
                names[t.speaker] if t.speaker else None,
                pseudonymiser.text(t.text, speaking),
                t.start_time,
                t.end_time,
            )
            for t in turns
        ]
        roles = {names[s]: r for s, r in roles.items()}
        participant = names[participant] if participant else None
        # readers return clean text; replacements may leave a turn empty or padded
        turns = [Turn(t.speaker, clean_body(t.text), t.start_time, t.end_time) for t in turns]
    cleaned = [t for t in turns if t.text]
    if not cleaned:
        raise EmptyFile(f"{name}: the file holds no text")
    language = language or detect_language(" ".join(t.text for t in cleaned[:200]))
    turn_roles: list[Role] = [roles[t.speaker] if t.speaker else "interviewee" for t in cleaned]
    # Text before the first speaker label (a title, a header) is kept but not coded.
    preamble = 0
    if any(t.speaker for t in cleaned):
        while cleaned[preamble].speaker is None:
            preamble += 1
    text, segments = assemble(cleaned, turn_roles, unit, language, preamble)
    return Transcript(stored_name, fmt, checksum, text, segments, language, participant)


def _table_transcripts(
    rows: list[Row],
    *,
    name: str,
    fmt: str,
    unit: Unit,
    language: str | None,
    pseudonymiser: Pseudonymiser | None,
) -> list[Transcript]:
    # Respondent ids may be e-mail addresses or names: each becomes a participant pseudonym
    # first, so that a respondent's own name in the answer becomes theirs.
    respondents = [
        pseudonymiser.participant_pseudonym(r.id) if pseudonymiser is not None else r.id
        for r in rows
    ]
    texts = [
        clean_body(pseudonymiser.text(r.text, {who}) if pseudonymiser is not None else r.text)
        for r, who in zip(rows, respondents, strict=True)
    ]
    stored_name = pseudonymiser.file_name(name) if pseudonymiser is not None else name
    # Answers in one table may be in different languages; a short one without clues takes the
    # table's.
    table_language = language or detect_language(" ".join(texts[:200]))
    result: list[Transcript] = []
    for row, respondent, text in zip(rows, respondents, texts, strict=True):
        if not text:
            continue
        row_language = language or detect_language(text, default=table_language)
        body, segments = assemble([Turn(None, text)], ["interviewee"], unit, row_language)
        # A phone number in a "contact" column is pseudonymised like the text.
        attributes = row.attributes
        if pseudonymiser is not None:
            attributes = {k: pseudonymiser.text(v, {respondent}) for k, v in row.attributes.items()}
        # Each answer is its own document, "answers.csv#2" (the sheet's row, header = 1), with
        # a checksum of its content: importing a longer version of the table adds only the
        # new rows.
        content = json.dumps([name, row.number, row.id, text, row.attributes], sort_keys=True)
        result.append(
            Transcript(
                f"{stored_name}#{row.number}",
                fmt,
                hashlib.sha256(content.encode()).hexdigest(),
                body,
                segments,
                row_language,
                participant=respondent,
                attributes=attributes,
                row=row.number,
            )
        )
    if not result:
        raise EmptyFile(f"{name}: no row has text")
    return result


@dataclass(frozen=True)
class _Parsed:
    """A file read and parsed, before pseudonymisation: its turns, or a table's rows."""

    name: str
    fmt: str
    checksum: str
    turns: list[Turn] | None
    rows: list[Row] | None
    notes: tuple[str, ...]


def _parse(path: Path, table: TableColumns | None) -> _Parsed:
    name = path.name
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise UnsupportedFormat(
            f"{name}: {('.' + fmt) if fmt else 'files without an extension'} "
            f"cannot be read (use {', '.join('.' + f for f in FORMATS)})"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(f"{name}: cannot be read ({exc.strerror or exc})") from exc
    checksum = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise EmptyFile(f"{name}: the file is empty")
    notes: tuple[str, ...] = ()
    if fmt in ("csv", "xlsx"):
        rows = read_xlsx(data, name, table) if fmt == "xlsx" else None
        if rows is None:
            decoded = decode_text(data, name)
            rows, notes = read_csv(decoded.text, name, table), decoded.notes
        return _Parsed(name, fmt, checksum, None, rows, notes)
    if fmt == "docx":
        turns = read_docx(data, name)
    else:
        decoded = decode_text(data, name)
        notes = decoded.notes
        if fmt in ("vtt", "srt"):
            turns = read_captions(decoded.text, name, "vtt" if fmt == "vtt" else "srt")
        else:
            turns = parse_labelled_text(decoded.text, name)
    return _Parsed(name, fmt, checksum, turns, None, notes)


def register_speakers(
    paths: Sequence[str | Path],
    pseudonymiser: Pseudonymiser,
    *,
    interviewers: Collection[str] = (),
    table: TableColumns | None = None,
) -> None:
    """Give every speaker and respondent of ``paths`` their pseudonym before any text is
    pseudonymised, in the order :func:`read` would.

    A person talked about in the first file of an import and interviewed in a later one is
    then known as a speaker when the first file's text is pseudonymised: their name there
    becomes their one pseudonym instead of surviving (or becoming a second one).  Files that
    cannot be read are skipped here; :func:`read` reports them.
    """
    for path in paths:
        try:
            parsed = _parse(Path(path), table)
        except ImportFailed:
            continue
        if parsed.rows is not None:
            for row in parsed.rows:
                pseudonymiser.participant_pseudonym(row.id)
            continue
        turns = [Turn(person(t.speaker), t.text) if t.speaker else t for t in parsed.turns or ()]
        for speaker, role in detect_roles(turns, interviewers).items():
            pseudonymiser.speaker(speaker, role, parsed.checksum[:12])


def read(
    path: str | Path,
    *,
    segment: Unit = "turn",
    language: str | None = None,
    pseudonymiser: Pseudonymiser | None = None,
    interviewers: Collection[str] = (),
    table: TableColumns | None = None,
) -> list[Transcript]:
    """Read a transcript, caption file or answer table into :class:`Transcript` objects.

    Parameters
    ----------
    path
        A ``.txt``, ``.md``, ``.docx``, ``.vtt``, ``.srt``, ``.csv`` or ``.xlsx`` file.
    segment
        The coding unit: a speaker ``"turn"``, a ``"paragraph"`` or a ``"sentence"``.
    language
        ``"sv"`` or ``"en"``; detected when not given.
    pseudonymiser
        Applied to speaker labels and texts before the document text is built, so segment
        offsets point into the pseudonymised text.
    interviewers
        Speaker names to treat as interviewers besides the usual labels (I, Q, Intervjuare...).
    table
        For ``.csv``/``.xlsx``: which columns hold the id, the answer and attributes.

    Returns
    -------
    list of Transcript
        One per document, or one per table row with text.

    Raises
    ------
    ImportFailed
        Or its subclasses UnsupportedFormat, EmptyFile, CorruptFile, BadTimestamp; the
        message names the file and, where known, the line or cue.
    """
    if segment not in _UNITS:
        raise ValueError(f"segment must be one of {_UNITS}, not {segment!r}")
    parsed = _parse(Path(path), table)
    if parsed.rows is not None:
        documents = _table_transcripts(
            parsed.rows,
            name=parsed.name,
            fmt=parsed.fmt,
            unit=segment,
            language=language,
            pseudonymiser=pseudonymiser,
        )
    else:
        documents = [
            _transcript(
                parsed.turns or [],
                name=parsed.name,
                fmt=parsed.fmt,
                checksum=parsed.checksum,
                unit=segment,
                language=language,
                pseudonymiser=pseudonymiser,
                interviewers=interviewers,
            )
        ]
    documents[0].notes = parsed.notes
    return documents
