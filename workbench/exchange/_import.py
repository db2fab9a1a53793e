"""Import a REFI-QDA Project Exchange file (``.qdpx``) into a new or existing project.

Everything is read, checked and planned before the project is touched; then the codebook,
the documents (one transaction), the codings (one transaction) and the memos are written.

A file Vardag wrote (its ``origin``) is taken as it is: texts and memos verbatim, positions as
code points of that text, the segments it carries, case names as the pseudonyms they are, and
codings described as accepted suggestions keep that origin -- so export -> import is the
identity.  Another tool's text sources lose their BOM and get ``"\\n"`` line endings, are cut
into turns (when the text reads as a labelled transcript whose text is unchanged) or
paragraphs, and their positions are converted to code points of that text.  Whatever cannot be
carried over is listed in the report.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from workbench import ingest
from workbench.codebook import Codebook
from workbench.errors import ExchangeError, WorkbenchError
from workbench.exchange._codes import merge_codebook, read_codebook
from workbench.exchange._common import DESCRIBED, stamp
from workbench.exchange._export import NAME_KEY
from workbench.exchange._parse import Parsed, RawCoding, RawSelection, RawSource, parse_project
from workbench.exchange._positions import PositionMap, detect_mode, normalise_newlines
from workbench.exchange._report import ExchangeReport
from workbench.exchange._safety import Archive, parse_xml, read_archive
from workbench.ingest import Segment, Transcript
from workbench.project import Project, init, open_project, resolve_coder
from workbench.store import Origin

_PSEUDONYM = re.compile(r"P\d{2,}")


_ROLES = ("interviewer", "interviewee")


@dataclass
class _Doc:
    name: str
    text: str
    spans: list[tuple[int, int]]  # segment spans, by position
    transcript: Transcript | None = None  # None: already in the project
    interviewer: set[int] = field(default_factory=set)  # positions of interviewer turns


@dataclass
class _Plan:
    codebook: Codebook | None = None  # the project's new codebook (None: unchanged)
    docs: list[_Doc] = field(default_factory=list)
    # document, segment position, code, coder, start, end, time, origin
    codings: list[tuple[str, int, str, str, int, int, str | None, Origin]] = field(
        default_factory=list
    )
    memos: dict[tuple[str, Any, str], list[str]] = field(default_factory=dict)


def _decode(data: bytes, *, verbatim: bool = False) -> str | None:
    """UTF-8 text without its BOM; ``verbatim`` (a Vardag export): exactly as written."""
    try:
        return data.decode("utf-8") if verbatim else data.decode("utf-8-sig").lstrip("\ufeff")
    except UnicodeDecodeError:
        return None


def _carried_segments(payload: dict[str, Any] | None, text: str) -> list[Segment] | None:
    """The segments a Vardag export carries for ``text`` (see ``_export._source_pi``), or
    None when there are none or they do not fit the text (in order, inside it)."""
    rows = (payload or {}).get("segments")
    if not isinstance(rows, list):
        return None
    found: list[Segment] = []
    cursor = 0

    def is_time(value: Any) -> bool:
        return value is None or (isinstance(value, int | float) and not isinstance(value, bool))

    for row in rows:
        if not isinstance(row, list) or len(row) not in (6, 7):
            return None
        a, b, role, speaker, t0, t1 = row[:6]
        if not (isinstance(a, int) and isinstance(b, int) and cursor <= a <= b <= len(text)):
            return None
        if role not in _ROLES or not (speaker is None or isinstance(speaker, str)):
            return None
        if not (is_time(t0) and is_time(t1)) or (len(row) == 7 and not isinstance(row[6], str)):
            return None
        found.append(
            Segment(
                speaker=speaker,
                role=role,
                text=row[6] if len(row) == 7 else text[a:b],
                start=a,
                end=b,
                start_time=None if t0 is None else float(t0),
                end_time=None if t1 is None else float(t1),
            )
        )
        cursor = b
    return found


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    pattern = r"(?:[^\n]|\n(?!\s*\n))+" if "\n\n" in text else r"[^\n]+"
    spans = []
    for m in re.finditer(pattern, text):
        piece = m.group()
        stripped = piece.strip()
        if stripped:
            start = m.start() + piece.index(stripped[0])
            spans.append((start, start + len(stripped)))
    return spans


def _segments(text: str, name: str) -> tuple[list[Segment], str]:
    """Turns when the text reads as a labelled transcript (each turn found in order in
    ``text``), else paragraphs; offsets always point into ``text`` unchanged."""
    with tempfile.TemporaryDirectory(prefix="vardag-qdpx-") as tmp:
        file = Path(tmp) / "source.txt"
        file.write_text(text, encoding="utf-8")
        try:
            found = ingest.read(file)
        except WorkbenchError:
            found = []
    if len(found) == 1 and any(seg.speaker for seg in found[0].segments):
        if found[0].text == text:
            return found[0].segments, found[0].language
        # the reader joins turns with blank lines: find each segment in the original text
        located: list[Segment] = []
        cursor = 0
        for seg in found[0].segments:
            at = text.find(seg.text, cursor)
            skipped = text[cursor:at].strip()
            if at < 0 or skipped not in ("", f"{seg.speaker}:"):
                break
            located.append(replace(seg, start=at, end=at + len(seg.text)))
            cursor = at + len(seg.text)
        else:
            return located, found[0].language
    segs = [Segment(None, "interviewee", text[a:b], a, b) for a, b in _paragraph_spans(text)]
    return segs, ingest.detect_language(text)


def _pseudonym(label: str, known: set[str]) -> str:
    """A new participant's pseudonym: ``label`` when it already is one, else the next Pnn."""
    if _PSEUDONYM.fullmatch(label) and label not in known:
        return label
    n = 1
    while f"P{n:02d}" in known:
        n += 1
    return f"P{n:02d}"


def _kept_pseudonym(label: str, known: set[str]) -> str:
    """In a Vardag export a case's name is the participant's pseudonym: keep it if free."""
    return label if label not in known else _pseudonym(label, known)


class _Planner:
    def __init__(
        self,
        archive: Archive,
        parsed: Parsed,
        project: Project | None,
        coder: str,
        report: ExchangeReport,
    ) -> None:
        self.archive = archive
        self.parsed = parsed
        self.project = project
        self.coder = coder
        self.report = report
        self.plan = _Plan()
        self.code_ids: dict[str, str] = {}  # normalised GUID -> project code id
        self.codable: set[str] = set()

    def user(self, *guids: str | None) -> str:
        for guid in guids:
            if guid:
                return self.parsed.users.get(guid) or f"user-{guid[:8]}"
        return self.coder

    # -- codebook ----------------------------------------------------------------------------
    def codebook(self) -> None:
        coded = {
            c.code
            for s in self.parsed.sources
            for c in [*s.codings, *(c for sel in s.selections for c in sel.codings)]
        }
        read = read_codebook(self.parsed, self.archive.name, coded, self.report)
        if self.project is None:
            if read is not None:
                self.plan.codebook = read[0]
                self.code_ids = read[1]
                self.report.codes_added = [c.name() for c in read[0].codes]
            book = self.plan.codebook
        else:
            existing = self.project.codebook
            book = existing
            if read is not None:
                book, mapping = merge_codebook(existing, read[0], self.archive.name, self.report)
                self.code_ids = {g: mapping[i] for g, i in read[1].items()}
                if book is not existing:
                    self.plan.codebook = book
        self.codable = {c.id for c in book.codes if c.codable} if book is not None else set()

    # -- documents ---------------------------------------------------------------------------
    def _key(self, name: str, digest: str) -> str:
        """What makes two documents the same: in a Vardag export the name and the text (two
        survey answers may both read "Good"), from other tools the text alone."""
        return f"{name}\x00{digest}" if self.parsed.own else digest

    def documents(self) -> dict[str, _Doc]:
        existing_names: set[str] = set()
        by_hash: dict[str, tuple[str, int]] = {}  # _key of a stored document -> document
        checksums: set[str] = set()  # of the files documents were read from
        if self.project is not None:
            docs = self.project.documents
            for doc_id, name, checksum in zip(
                docs["document_id"], docs["document"], docs["checksum"], strict=True
            ):
                existing_names.add(str(name))
                text = self.project.store.document_text(int(doc_id))
                digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
                by_hash[self._key(str(name), digest)] = (str(name), int(doc_id))
                checksums.add(str(checksum))
        cases = self._cases()
        used = set(existing_names)
        planned: dict[str, _Doc] = {}
        result: dict[str, _Doc] = {}
        for src in self.parsed.sources:
            where = f"{src.kind} source {src.name!r}"
            if src.kind != "text":
                n_sel = len(src.selections)
                n_cod = len(src.codings) + sum(len(s.codings) for s in src.selections)
                self.report.not_carried.append(
                    f"{where} ({n_sel} selection(s), {n_cod} coding(s)): only text sources "
                    "are imported"
                )
                continue
            raw = src.content
            if raw is None and src.path:
                data = self.archive.find(src.path)
                if data is None:
                    self.report.not_carried.append(f"{where}: {src.path} is not in the archive")
                    continue
                raw = _decode(data, verbatim=self.parsed.own)
                if raw is None:
                    self.report.not_carried.append(f"{where}: {src.path} is not UTF-8 text")
                    continue
            if raw is None:
                self.report.not_carried.append(f"{where}: no plain text (rich text only)")
                continue
            if not self.parsed.own:
                raw = raw.lstrip("\ufeff")
            text = raw if self.parsed.own else normalise_newlines(raw)
            if not text.strip():
                self.report.not_carried.append(f"{where}: the text is empty")
                continue
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
            key = self._key(src.name, digest)
            if key in planned:
                doc = planned[key]
                self.report.adjusted.append(
                    f"{where}: the same text as {doc.name!r}; its codings and notes go there"
                )
            elif key in by_hash:
                name, doc_id = by_hash[key]
                assert self.project is not None
                segs = self.project.segments(document=name).sort_values("position")
                spans = [(int(a), int(b)) for a, b in zip(segs["start"], segs["end"], strict=True)]
                asked = {i for i, role in enumerate(segs["role"]) if role == "interviewer"}
                doc = _Doc(name, text, spans, interviewer=asked)
                self.report.skipped.append(name)
            else:
                name = src.name
                if name in used:
                    n = 2
                    while f"{name} ({n})" in used:
                        n += 1
                    self.report.adjusted.append(
                        f"{where}: a different document has this name; imported as {name} ({n})"
                    )
                    name = f"{name} ({n})"
                segments, language = self._segments(src, text, name)
                label, attrs = cases.get(src.guid, (None, {}))
                attrs = dict(attrs)
                for var, value in src.variables.items():
                    key = self.parsed.variables.get(var, f"variable-{var[:8]}")
                    if label is None:
                        self.report.not_carried.append(
                            f"{where}: variable {key!r}: the document has no case to hold it"
                        )
                    else:
                        attrs.setdefault(key, value)
                if self.parsed.own:  # unique per document, never the original file's hash
                    named = f"{name}\x00{text}".encode("utf-8", "surrogatepass")
                    checksum = "qdpx-" + hashlib.sha256(named).hexdigest()
                    carried = (src.vardag or {}).get("format")
                    fmt = carried if isinstance(carried, str) and carried else "qdpx"
                else:
                    # a file with these very bytes was imported before, its text differs
                    checksum = f"qdpx-{digest}" if digest in checksums else digest
                    fmt = "qdpx"
                checksums.add(checksum)
                transcript = Transcript(
                    name=name,
                    format=fmt,
                    checksum=checksum,
                    text=text,
                    segments=segments,
                    language=language,
                    participant=label,
                    attributes=attrs,
                )
                doc = _Doc(
                    name,
                    text,
                    [(s.start, s.end) for s in segments],
                    transcript,
                    {i for i, s in enumerate(segments) if s.role == "interviewer"},
                )
                planned[key] = doc
                self.plan.docs.append(doc)
                self.report.documents.append(name)
            used.add(doc.name)
            result[src.guid] = doc
            self._selections(src, raw, doc)
        return result

    def _segments(self, src: RawSource, text: str, name: str) -> tuple[list[Segment], str]:
        """The segments a Vardag export carries (its language too), else cut from the text."""
        carried = _carried_segments(src.vardag, text) if self.parsed.own else None
        if carried is not None:
            language = (src.vardag or {}).get("language")
            if not isinstance(language, str) or not language:
                language = ingest.detect_language(text)
            return carried, language
        if self.parsed.own and src.vardag is not None:
            self.report.adjusted.append(
                f"source {src.name!r}: its segments do not fit its text; cut again"
            )
        return _segments(text, name)

    def _cases(self) -> dict[str, tuple[str, dict[str, str]]]:
        text_sources = {s.guid for s in self.parsed.sources if s.kind == "text"}
        owner: dict[str, tuple[str, dict[str, str]]] = {}
        for case in self.parsed.cases:
            label = case.name
            if label is None:
                label = f"case-{case.guid[:8]}"
                self.report.adjusted.append(f"case {case.guid} has no name: called {label}")
            attrs = {
                self.parsed.variables.get(g, f"variable-{g[:8]}"): v
                for g, v in case.variables.items()
            }
            mine = [s for s in case.sources if s in text_sources]
            if not mine:
                self.report.not_carried.append(
                    f"case {label!r}: no text document to attach the participant to"
                )
            for src in mine:
                if src in owner:
                    self.report.adjusted.append(
                        f"case {label!r}: source {src} already belongs to case "
                        f"{owner[src][0]!r}; kept there"
                    )
                else:
                    owner[src] = (label, attrs)
        return owner

    # -- selections -> codings and memo anchors ---------------------------------------------
    def _selections(self, src: RawSource, raw: str, doc: _Doc) -> None:
        where = f"source {src.name!r}"
        mode = detect_mode(raw, [s.end for s in src.selections], self.parsed.origin)
        convert = PositionMap(raw, mode)
        length = len(doc.text)
        changed = mode == "crlf-one" and "\r\n" in raw and bool(src.selections)
        items: list[tuple[RawSelection, int, int]] = []
        for sel in src.selections:
            start, end = convert(sel.start), convert(sel.end)
            changed = changed or (start, end) != (sel.start, sel.end)
            if not 0 <= start < end <= length:
                self.report.not_carried.append(
                    f"{where}: selection {sel.guid} ({sel.start}-{sel.end}) is outside the "
                    f"text (length {length})"
                )
                continue
            items.append((sel, start, end))
        if changed:
            how = {
                "utf16": "UTF-16 code units",
                "crlf-one": "code points with CRLF as one",
                "codepoints": "code points with CRLF as two",
            }[mode]
            self.report.adjusted.append(f"{where}: positions read as {how}")
        if src.codings:
            items.append((RawSelection(src.guid, 0, length, None, None, src.codings), 0, length))
        for sel, start, end in items:
            quote = doc.text[start:end][:40]
            label = f"{where}: selection {quote!r}"
            if not sel.codings and not sel.notes:
                self.report.not_carried.append(f"{label} ({start}-{end}) has no coding and no note")
                continue
            overlap = [
                (i, max(start, a), min(end, b))
                for i, (a, b) in enumerate(doc.spans)
                if a < end and start < b
            ]
            if not overlap:
                self.report.not_carried.append(f"{label} lies outside every segment")
                continue
            if len(overlap) > 1 and sel.codings:
                self.report.adjusted.append(
                    f"{label} spans {len(overlap)} segments: coded on each, clipped to it"
                )
            for coding in sel.codings:
                self._coding(coding, sel, doc, overlap, label)
            if sel.description and sel.description.strip() not in ("", *DESCRIBED.values()):
                self.described += 1
            notes = sel.notes + [n for c in sel.codings for n in c.notes]
            if len(overlap) > 1 and notes:
                self.report.adjusted.append(
                    f"{label} spans {len(overlap)} segments: its note is a memo on the first"
                )
            for note in notes:
                self._memo(note, "segment", (doc.name, overlap[0][0]))

    def _coding(
        self,
        coding: RawCoding,
        sel: RawSelection,
        doc: _Doc,
        overlap: list[tuple[int, int, int]],
        label: str,
    ) -> None:
        code = self.code_ids.get(coding.code)
        if code is None:
            self.report.not_carried.append(f"{label}: coding with unknown code {coding.code}")
            return
        if code not in self.codable:
            self.report.not_carried.append(f"{label}: code {code!r} is a category in the project")
            return
        coder = self.user(coding.user, sel.user)
        when = stamp(coding.created) or stamp(sel.created)
        for value in (coding.created, sel.created):
            if value and value.strip() and stamp(value) is None:
                self.report.not_carried.append(
                    f"{label}: time {value!r} is no date-time; dated by this import"
                )
                break
        if when is None:
            self.undated += 1
        described = (sel.description or "").strip()
        origin = next((o for o, text in DESCRIBED.items() if text == described), Origin.HUMAN)
        for position, a, b in overlap:
            self.plan.codings.append((doc.name, position, code, coder, a, b, when, origin))
            self.asked += position in doc.interviewer

    # -- notes -> memos ----------------------------------------------------------------------
    def _memo(self, note_guid: str, kind: str, target: Any) -> None:
        note = self.parsed.notes.get(note_guid)
        if note is None:
            self.report.not_carried.append(f"note reference {note_guid}: no such note")
            return
        self._referenced.add(note_guid)
        text = note.content
        if text is None and note.path:
            data = self.archive.find(note.path)
            text = None if data is None else _decode(data, verbatim=self.parsed.own)
        if text is None:
            self.report.not_carried.append(f"note {note.name or note.guid}: no text")
            return
        coder = self.user(note.user)
        if not self.parsed.own:
            text = normalise_newlines(text)
        self.plan.memos.setdefault((kind, target, coder), []).append(text)

    def notes(self) -> None:
        for code_guid, refs in self.parsed.code_notes.items():
            code = self.code_ids.get(code_guid)
            for ref in refs:
                if code is None:
                    self.report.not_carried.append(f"note {ref} on unknown code {code_guid}")
                else:
                    self._memo(ref, "code", code)
        for ref in self.parsed.project_notes:
            self._memo(ref, "project", "project")
        for guid, note in self.parsed.notes.items():
            if guid not in self._referenced:
                self.report.adjusted.append(
                    f"note {note.name or guid} is not attached to anything: kept as a project memo"
                )
                self._memo(guid, "project", "project")

    def run(self) -> _Plan:
        self._referenced: set[str] = set()
        self.described = 0  # selection descriptions (other than the suggestion marker)
        self.undated = 0  # codings without a time in the file
        self.asked = 0  # codings on interviewer turns
        self.report.not_carried.extend(self.parsed.other)
        self.codebook()
        docs = self.documents()
        for src in self.parsed.sources:
            if src.guid in docs:
                for ref in src.notes:
                    self._memo(ref, "document", docs[src.guid].name)
        self.notes()
        if self.described:
            self.report.not_carried.append(
                f"{self.described} selection description(s): the workbench has no place for them"
            )
        if self.asked:
            self.report.adjusted.append(
                f"{self.asked} coding(s) lie on interviewer turns: kept as the file codes them "
                "(the workbench offers only interviewee turns for coding)"
            )
        if self.undated:
            self.report.adjusted.append(
                f"{self.undated} coding(s) carry no time in the file: dated by this import"
            )
        return self.plan


def _write(project: Project, plan: _Plan, report: ExchangeReport, coder: str, *, own: bool) -> None:
    if plan.codebook is not None and project.codebook != plan.codebook:
        project.set_codebook(plan.codebook, note=f"codes imported from {report.file}")
    new = [d.transcript for d in plan.docs if d.transcript is not None]
    if new:
        name_of = _kept_pseudonym if own else _pseudonym
        result = project.store.import_transcripts(new, user=coder, participant_pseudonym=name_of)
        if result.changed or len(result.imported) != len(new):  # planned against this state
            raise ExchangeError(f"{report.file}: the project changed during the import")
        report.participants = len({t.participant for t in new if t.participant})
    segs = project.segments()
    seg_id = {
        (str(d), int(p)): int(s)
        for d, p, s in zip(segs["document"], segs["position"], segs["segment"], strict=True)
    }
    docs = project.documents
    doc_id = {str(n): int(i) for n, i in zip(docs["document"], docs["document_id"], strict=True)}
    rows = [
        {
            "segment_id": seg_id[(doc, position)],
            "code_id": code,
            "coder": who,
            "start": a,
            "end": b,
            "origin": origin,
            "created_at": when,
        }
        for doc, position, code, who, a, b, when, origin in plan.codings
    ]
    report.codings_read = len(rows)
    if rows:
        report.codings = project.store.bulk_add_codings(rows, user=coder)
    for (kind, target, who), texts in plan.memos.items():
        if kind == "segment":
            ident = str(seg_id[target])
        elif kind == "document":
            ident = str(doc_id[target])
        else:
            ident = str(target)
        incoming = "\n\n".join(texts)
        mine = project.store.memo(kind, ident, who)
        if incoming in mine:
            continue
        if mine:
            report.adjusted.append(
                f"memo by {who} on {kind} {target}: the project had another text; both kept"
            )
            incoming = f"{mine}\n\n--- from {report.file} ---\n{incoming}"
        project.store.set_memo(kind, ident, who, incoming)
        report.memos += 1


def import_qdpx(
    path: str | Path, project_dir: str | Path, *, coder: str | None = None
) -> ExchangeReport:
    """Import the ``.qdpx`` file ``path`` into the project in ``project_dir``.

    A folder without a project gets a new one whose codebook is the file's.  Documents
    already in the project (same text) are not imported again, so importing a file twice
    changes nothing.  Bad or unsafe input raises :class:`~workbench.errors.ExchangeError`
    before anything is written.

    Returns
    -------
    ExchangeReport
        What was imported, adjusted (positions converted, codings clipped) and not carried
        over (non-text sources, selections out of range or without codes, ...).
    """
    file = Path(path)
    archive = read_archive(file)
    root = parse_xml(archive.qde, f"{archive.name}: project.qde")
    parsed = parse_project(root, archive.name)
    report = ExchangeReport(file=archive.name)
    folder = Path(project_dir)
    if (folder / "project.json").exists():
        with open_project(folder, coder=coder) as project:
            plan = _Planner(archive, parsed, project, project.coder, report).run()
            with project.atomic():  # into an existing project: all of it or nothing
                _write(project, plan, report, project.coder, own=parsed.own)
        return report
    created = not folder.exists()
    if folder.exists() and any(folder.iterdir()):
        raise ExchangeError(f"{folder}: not empty and not a project; choose an empty folder")
    who = coder or _coder()
    plan = _Planner(archive, parsed, None, who, report).run()
    try:
        with init(folder, codebook=plan.codebook) as project:
            if parsed.name:  # exporting this copy gives back the same GUIDs (and name)
                project.store.set_meta(NAME_KEY, parsed.name)
            _write(project, plan, report, who, own=parsed.own)
    except BaseException:
        if created:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            for child in folder.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        raise
    return report


def _coder() -> str:
    return resolve_coder(None)
