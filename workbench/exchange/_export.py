"""Write a project as a REFI-QDA Project Exchange file (``.qdpx``).

The archive holds ``project.qde`` (valid against ``Project.xsd``) and ``sources/<GUID>.txt``:
each document's text exactly as stored (pseudonymised), UTF-8 without a BOM.
``startPosition``/``endPosition`` count Unicode code points of that text (tools that count
UTF-16 code units, such as NVivo, see different numbers after an emoji).  Importing the file
again keeps every text as it is, so the round trip is the identity on texts, quotes, codes,
coders, coding times, memos and the "suggested" marker.

GUIDs are UUID5 values of the project's name and each item's natural key (document name,
coder, participant pseudonym, code id, ...), never of database ids: the same project exports
the same file, and so does a project imported from that file (it keeps the name in its
``meta`` table, see :data:`NAME_KEY`).  A document's segments travel in a ``<?vardag ...?>``
processing instruction that other tools ignore.
"""

from __future__ import annotations

import math
import os
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

from workbench.codebook import code_guid, codebook_to_qdc
from workbench.errors import CodebookError, ExchangeError
from workbench.exchange._common import (
    CODEBOOK_NAMESPACE,
    DESCRIBED,
    NAMESPACE,
    ORIGIN,
    item_guid,
    pi,
    serialise,
    stamp,
    xml_illegal,
    xml_safe,
)
from workbench.exchange._report import ExchangeReport
from workbench.store import Origin

if TYPE_CHECKING:
    from workbench.project._project import Project

#: ``meta`` key of a project imported from a ``.qdpx``: the file's project name, which its
#: GUIDs derive from, so that exporting the copy gives back the same file.
NAME_KEY = "qdpx_project_name"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _el(
    parent: ET.Element | None, tag: str, attrs: dict[str, str | None] | None = None
) -> ET.Element:
    # plain tags plus an xmlns attribute on the root: ElementTree cannot write a default
    # namespace when attributes are unqualified
    clean = {k: v for k, v in (attrs or {}).items() if v is not None}
    if parent is None:
        return ET.Element(tag, clean)
    return ET.SubElement(parent, tag, clean)


def _clean(value: Any) -> Any:
    """None for a missing value (``None`` or pandas' NaN), else ``value``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _xml_text(text: str, where: str) -> str:
    bad = xml_illegal(text)
    if bad is not None:
        raise ExchangeError(f"{where}: character U+{ord(bad):04X} cannot be written to XML")
    return text


def _name(text: str) -> str:
    """A selection's display name: its first 80 characters, XML-safe."""
    return xml_safe(text[:80])


def project_name(project: Project) -> str:
    """The name a project exports under (and its GUIDs derive from): the name of the
    ``.qdpx`` project it was imported from, else its folder's name."""
    return project.store.get_meta(NAME_KEY) or project.path.resolve().name


def _codebook_element(project: Project) -> tuple[ET.Element, dict[str, ET.Element], ET.Element]:
    """The project's codebook as a ``<CodeBook>`` in the project namespace (its own fields in
    a ``<?vardag ...?>`` inside), the ``<Code>`` elements by code id, and ``<Sets>``."""
    book = project.codebook
    try:
        qdc = codebook_to_qdc(book)
    except CodebookError as exc:
        raise ExchangeError(f"{project.path.name}: codebook: {exc}") from exc
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_pis=True))
    parser.feed(qdc)  # our own output, not untrusted input
    root = parser.close()
    by_id: dict[str, ET.Element] = {}
    guids = {code_guid(book.id, c): c.id for c in book.codes}
    for el in root.iter():
        if el.tag is ET.PI:
            continue
        el.tag = el.tag.replace("{" + CODEBOOK_NAMESPACE + "}", "")
        if el.tag == "Code":
            by_id[guids[el.get("guid", "")]] = el
        if el.tag == "MemberCode":  # the project schema points with targetGUID
            el.set("targetGUID", el.attrib.pop("guid"))
        el.tail = None
        if el.tag != "Description":
            el.text = None
    cb_el = _el(None, "CodeBook")
    cb_el.extend(c for c in root if c.tag is ET.PI or c.tag == "Codes")
    sets = root.find("Sets")
    return cb_el, by_id, sets if sets is not None else _el(None, "Sets")


def _source_pi(text: str, language: Any, fmt: Any, segs: list[dict[str, Any]]) -> ET.Element[Any]:
    """``<?vardag {"language": ..., "format": ..., "segments": [[start, end, role, speaker,
    t0, t1], ...]}?>``; a segment whose text is not the document's slice carries its text as a
    seventh item.  (Never the checksum: it is a hash of the file before pseudonymisation.)"""
    rows: list[list[Any]] = []
    for seg in segs:
        a, b = int(seg["start"]), int(seg["end"])
        row = [
            a,
            b,
            str(seg["role"]),
            _clean(seg["speaker"]),
            _clean(seg["start_time"]),
            _clean(seg["end_time"]),
        ]
        if str(seg["text"]) != text[a:b]:
            row.append(str(seg["text"]))
        rows.append(row)
    return pi({"language": _clean(language), "format": _clean(fmt), "segments": rows})


def export_qdpx(project: Project, path: str | Path) -> ExchangeReport:
    """Write ``project`` to the ``.qdpx`` file ``path`` (replaced atomically).

    Users (the coders), the codebook (hierarchy, colours, bilingual texts in
    ``<Description>``; code sets as ``<Sets>``), text sources with their segments, codings as
    ``PlainTextSelection``/``Coding`` (with coder and time; accepted suggestions described as
    such), memos as ``<Notes>``, participants as ``<Cases>`` and their attributes as text
    ``<Variables>``.  What cannot be written is listed in the report's ``not_carried``.
    """
    out = Path(path)
    key = project_name(project)
    report = ExchangeReport(file=out.name)
    book = project.codebook
    docs = project.documents
    codings = project.codings()
    memos = project.store.memos_frame()
    people = project.participants
    segs = project.segments()

    coders = sorted(set(codings["coder"]) | set(memos["coder"]))
    user_guid = {c: item_guid(key, "user", c) for c in coders}
    doc_name = {int(d): str(n) for d, n in zip(docs["document_id"], docs["document"], strict=True)}
    doc_guid = {name: item_guid(key, "document", name) for name in doc_name.values()}

    root = _el(None, "Project", {"xmlns": NAMESPACE, "name": key, "origin": ORIGIN})
    if coders:
        users = _el(root, "Users")
        for coder in coders:
            _el(users, "User", {"guid": user_guid[coder], "name": _xml_text(coder, "coder")})
    cb_el, code_el, sets_el = _codebook_element(project)
    root.append(cb_el)

    # participants -> variables and cases
    attr_cols = sorted(c for c in people.columns if c not in ("participant_id", "participant"))
    if attr_cols:
        variables = _el(root, "Variables")
        for col in attr_cols:
            _el(
                variables,
                "Variable",
                {
                    "guid": item_guid(key, "variable", col),
                    "name": _xml_text(str(col), "participant attribute"),
                    "typeOfVariable": "Text",
                },
            )
    if len(people):
        cases = _el(root, "Cases")
        for row in people.to_dict("records"):
            pseudonym = str(row["participant"])
            case = _el(
                cases,
                "Case",
                {"guid": item_guid(key, "case", pseudonym), "name": pseudonym},
            )
            for col in attr_cols:
                value = _clean(row.get(col))
                if value is None:
                    continue
                vv = _el(case, "VariableValue")
                _el(vv, "VariableRef", {"targetGUID": item_guid(key, "variable", col)})
                _el(vv, "TextValue").text = _xml_text(str(value), f"participant {pseudonym}: {col}")
            for doc_id, owner in zip(docs["document_id"], docs["participant"], strict=True):
                if owner == pseudonym:
                    _el(case, "SourceRef", {"targetGUID": doc_guid[doc_name[int(doc_id)]]})

    # memos -> notes, remembered by where their NoteRef goes
    seg_rows: dict[int, dict[str, Any]] = {int(r["segment"]): r for r in segs.to_dict("records")}
    doc_segs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in sorted(seg_rows.values(), key=lambda r: (str(r["document"]), int(r["position"]))):
        doc_segs[str(row["document"])].append(row)
    notes: list[tuple[tuple[Any, ...], ET.Element]] = []
    doc_notes: dict[str, list[str]] = defaultdict(list)
    seg_notes: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    code_notes: dict[str, list[str]] = defaultdict(list)
    project_notes: list[str] = []
    for memo in memos.to_dict("records"):
        kind, target, coder = str(memo["kind"]), str(memo["target"]), str(memo["coder"])
        seg = seg_rows.get(int(target)) if target.isdigit() else None
        if kind == "segment" and seg is not None:
            doc, position = str(seg["document"]), int(seg["position"])
            order: tuple[Any, ...] = (0, doc, position, coder)
            name = f"Memo on {doc}, segment {position + 1}"
            guid = item_guid(key, "note", kind, doc, position, coder)
            seg_notes[(doc, int(seg["start"]), int(seg["end"]))].append(guid)
        elif kind == "document" and target.isdigit() and int(target) in doc_name:
            doc = doc_name[int(target)]
            order, name = (1, doc, 0, coder), f"Memo on {doc}"
            guid = item_guid(key, "note", kind, doc, coder)
            doc_notes[doc].append(guid)
        elif kind == "code" and target in code_el:
            order, name = (2, target, 0, coder), f"Memo on code {book.get(target).name()}"
            guid = item_guid(key, "note", kind, target, coder)
            code_notes[target].append(guid)
        elif kind == "project":
            order, name = (3, "", 0, coder), "Project memo"
            guid = item_guid(key, "note", kind, target, coder)
            project_notes.append(guid)
        else:
            report.not_carried.append(f"memo by {coder} on {kind} {target}: no such {kind}")
            continue
        note = _el(
            None,
            "Note",
            {
                "guid": guid,
                "name": _xml_text(name, "memo"),
                "creatingUser": user_guid[coder],
                "modifiedDateTime": stamp(_clean(memo.get("updated_at"))),
            },
        )
        _el(note, "PlainTextContent").text = _xml_text(str(memo["text"]), f"memo {name}")
        notes.append((order, note))
        report.memos += 1

    for code_id, guids in code_notes.items():
        el = code_el[code_id]
        at = 1 if el.find("Description") is not None else 0
        for i, guid in enumerate(sorted(guids)):
            el.insert(at + i, ET.Element("NoteRef", {"targetGUID": guid}))

    # sources with their selections
    texts: dict[str, bytes] = {}
    known = set(book.ids())
    for row in codings[~codings["code"].isin(known)].itertuples():
        report.not_carried.append(
            f"coding {row.code!r} by {row.coder} in {row.document}: the code is not in the codebook"
        )
    # (document) -> (start, end, coder, origin) -> [(code, time)]
    by_doc: dict[str, dict[tuple[int, int, str, Origin], list[tuple[str, str | None]]]] = (
        defaultdict(lambda: defaultdict(list))
    )
    for row in codings[codings["code"].isin(known)].itertuples():
        raw_time = _clean(row.created_at)
        when = stamp(raw_time)
        if raw_time is not None and when is None:
            report.not_carried.append(
                f"time of coding {row.code!r} by {row.coder} in {row.document}: "
                f"{raw_time!r} is no date-time"
            )
        origin = Origin(row.origin) if row.origin in DESCRIBED else Origin.HUMAN
        selection = (int(row.start), int(row.end), str(row.coder), origin)
        by_doc[str(row.document)][selection].append((str(row.code), when))
        report.codings += 1
    if len(docs):
        sources = _el(root, "Sources")
        for doc_id_raw, name_raw, language, fmt in zip(
            docs["document_id"], docs["document"], docs["language"], docs["format"], strict=True
        ):
            name = str(name_raw)
            guid = doc_guid[name]
            text = project.store.document_text(int(doc_id_raw))
            try:
                texts[f"sources/{guid}.txt"] = text.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise ExchangeError(
                    f"document {name!r}: character {exc.start} is a lone surrogate, which "
                    "UTF-8 cannot hold"
                ) from exc
            src = _el(
                sources,
                "TextSource",
                {
                    "guid": guid,
                    "name": _xml_text(name, "document"),
                    "plainTextPath": f"internal://{guid}.txt",
                },
            )
            src.append(_source_pi(text, language, fmt, doc_segs[name]))
            items: list[tuple[tuple[int, int, str, str], ET.Element]] = []
            for (start, end, coder, origin), coded_by in by_doc[name].items():
                extra = (str(origin),) if origin in DESCRIBED else ()
                stamps = sorted(s for _, s in coded_by if s)
                sel = _el(
                    None,
                    "PlainTextSelection",
                    {
                        "guid": item_guid(key, "selection", name, start, end, coder, *extra),
                        "name": _name(text[start:end]),
                        "startPosition": str(start),
                        "endPosition": str(end),
                        "creatingUser": user_guid[coder],
                        "creationDateTime": stamps[0] if stamps else None,
                    },
                )
                if origin in DESCRIBED:
                    _el(sel, "Description").text = DESCRIBED[origin]
                for code_id, when in sorted(coded_by, key=lambda c: c[0]):
                    coding = _el(
                        sel,
                        "Coding",
                        {
                            "guid": item_guid(
                                key, "coding", name, start, end, coder, code_id, *extra
                            ),
                            "creatingUser": user_guid[coder],
                            "creationDateTime": when,
                        },
                    )
                    _el(coding, "CodeRef", {"targetGUID": code_guid(book.id, book.get(code_id))})
                items.append(((start, end, coder, str(origin)), sel))
            for (doc, start, end), guids in seg_notes.items():
                if doc != name:
                    continue
                sel = _el(
                    None,
                    "PlainTextSelection",
                    {
                        "guid": item_guid(key, "memo-selection", name, start, end),
                        "name": _name(text[start:end]),
                        "startPosition": str(start),
                        "endPosition": str(end),
                    },
                )
                for note_guid in sorted(guids):
                    _el(sel, "NoteRef", {"targetGUID": note_guid})
                items.append(((start, end, "\uffff", ""), sel))
            for _, sel in sorted(items, key=lambda i: i[0]):
                src.append(sel)
            for note_guid in sorted(doc_notes[name]):
                _el(src, "NoteRef", {"targetGUID": note_guid})
            report.documents.append(name)
    if notes:
        notes_el = _el(root, "Notes")
        notes_el.extend(note for _, note in sorted(notes, key=lambda n: n[0]))
    if len(sets_el):  # never an empty <Sets/>
        root.append(sets_el)
    for guid in sorted(project_notes):
        _el(root, "NoteRef", {"targetGUID": guid})
    report.participants = len(people)

    qde = serialise(root)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for member, data in [("project.qde", qde), *sorted(texts.items())]:
                info = zipfile.ZipInfo(member, date_time=_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, data)
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExchangeError(f"{out}: cannot be written ({exc.strerror or exc})") from exc
    return report
