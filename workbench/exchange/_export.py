"""Write a project as a REFI-QDA Project Exchange file (``.qdpx``).

The archive holds ``project.qde`` (valid against ``Project.xsd``) and ``sources/<GUID>.txt``,
the documents' texts as stored (pseudonymised), UTF-8 without a BOM, ``"\\n"`` line endings.
``startPosition``/``endPosition`` count Unicode code points of that text (tools that count
UTF-16 code units, such as NVivo, see different numbers after an emoji; ATLAS.ti's CRLF rule
makes no difference because the texts have no CR).  GUIDs are UUID5 values derived from the
project folder's name and item ids, so exporting the same project twice gives the same file.
"""

from __future__ import annotations

import math
import os
import re
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

from workbench.codebook import code_guid, codebook_to_qdc
from workbench.errors import CodebookError, ExchangeError
from workbench.exchange._common import CODEBOOK_NAMESPACE, NAMESPACE, ORIGIN, item_guid
from workbench.exchange._report import ExchangeReport

if TYPE_CHECKING:
    from workbench._project import Project

# plain tags plus an xmlns attribute on the root: ElementTree cannot write a default namespace
# when attributes are unqualified
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _el(
    parent: ET.Element | None, tag: str, attrs: dict[str, str | None] | None = None
) -> ET.Element:
    clean = {k: v for k, v in (attrs or {}).items() if v is not None}
    if parent is None:
        return ET.Element(tag, clean)
    return ET.SubElement(parent, tag, clean)


def _clean(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def _xml_text(text: str, where: str) -> str:
    bad = _XML_ILLEGAL.search(text)
    if bad:
        raise ExchangeError(f"{where}: character U+{ord(bad.group()):04X} cannot be written to XML")
    return text


def _name(text: str) -> str:
    """A selection's display name: its first 80 characters, XML-safe."""
    return _XML_ILLEGAL.sub(" ", text[:80])


def _codebook_element(project: Project) -> tuple[ET.Element, dict[str, ET.Element], str]:
    """The project's codebook as a ``<CodeBook>`` in the project namespace, the ``<Code>``
    elements by code id, and the origin line carrying the codebook's metadata."""
    book = project.codebook
    try:
        qdc = codebook_to_qdc(book)
    except CodebookError as exc:
        raise ExchangeError(f"{project.path.name}: codebook: {exc}") from exc
    root = ET.fromstring(qdc)  # our own output, not untrusted input
    origin = root.get("origin") or ORIGIN
    by_id: dict[str, ET.Element] = {}
    guids = {code_guid(book.id, c): c.id for c in book.codes}
    for el in root.iter():
        el.tag = el.tag.replace("{" + CODEBOOK_NAMESPACE + "}", "")
        if el.tag == "Code":
            by_id[guids[el.get("guid", "")]] = el
        el.tail = None
        if el.tag != "Description":
            el.text = None
    codes = root.find("Codes")
    assert codes is not None
    cb_el = _el(None, "CodeBook")
    cb_el.append(codes)
    return cb_el, by_id, origin


def export_qdpx(project: Project, path: str | Path) -> ExchangeReport:
    """Write ``project`` to the ``.qdpx`` file ``path`` (replaced atomically).

    Users (the coders), the codebook (hierarchy, colours, bilingual texts in
    ``<Description>``; code sets as ``<Sets>``), text sources, codings as
    ``PlainTextSelection``/``Coding``, memos as ``<Notes>``, participants as ``<Cases>`` and
    their attributes as text ``<Variables>``.
    """
    out = Path(path)
    key = project.path.resolve().name
    report = ExchangeReport(file=out.name)
    book = project.codebook
    docs = project.documents
    codings = project.codings()
    memos = project.store.memos_frame()
    people = project.participants
    segs = project.segments()

    coders = sorted(set(codings["coder"]) | set(memos["coder"]))
    user_guid = {c: item_guid(key, "user", c) for c in coders}
    doc_guid = {int(d): item_guid(key, "document", int(d)) for d in docs["document_id"]}
    doc_by_name = {
        str(n): int(d) for n, d in zip(docs["document"], docs["document_id"], strict=True)
    }

    root = _el(None, "Project", {"xmlns": NAMESPACE, "name": project.path.resolve().name})
    if coders:
        users = _el(root, "Users")
        for coder in coders:
            _el(users, "User", {"guid": user_guid[coder], "name": _xml_text(coder, "coder")})
    cb_el, code_el, origin = _codebook_element(project)
    root.set("origin", origin)
    root.append(cb_el)

    # participants -> variables and cases
    attr_cols = [c for c in people.columns if c not in ("participant_id", "participant")]
    if attr_cols:
        variables = _el(root, "Variables")
        for col in attr_cols:
            _el(
                variables,
                "Variable",
                {
                    "guid": item_guid(key, "variable", col),
                    "name": str(col),
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
                {"guid": item_guid(key, "case", row["participant_id"]), "name": pseudonym},
            )
            for col in attr_cols:
                value = _clean(row.get(col))
                if value is None:
                    continue
                vv = _el(case, "VariableValue")
                _el(vv, "VariableRef", {"targetGUID": item_guid(key, "variable", col)})
                _el(vv, "TextValue").text = _xml_text(value, f"participant {pseudonym}: {col}")
            for doc_id, owner in zip(docs["document_id"], docs["participant"], strict=True):
                if owner == pseudonym:
                    _el(case, "SourceRef", {"targetGUID": doc_guid[int(doc_id)]})

    # memos -> notes, remembered by where their NoteRef goes
    seg_doc = {
        int(s): (int(d), int(a), int(b))
        for s, d, a, b in zip(
            segs["segment"], segs["document_id"], segs["start"], segs["end"], strict=True
        )
    }
    notes: list[ET.Element] = []
    doc_notes: dict[int, list[str]] = defaultdict(list)
    seg_notes: dict[int, list[str]] = defaultdict(list)
    code_notes: dict[str, list[str]] = defaultdict(list)
    project_notes: list[str] = []
    for memo in memos.to_dict("records"):
        kind, target, coder = str(memo["kind"]), str(memo["target"]), str(memo["coder"])
        guid = item_guid(key, "note", kind, target, coder)
        if kind == "segment" and target.isdigit() and int(target) in seg_doc:
            seg_notes[int(target)].append(guid)
            name = f"Memo on segment {target}"
        elif kind == "document" and target.isdigit() and int(target) in doc_guid:
            doc_notes[int(target)].append(guid)
            name = f"Memo on document {target}"
        elif kind == "code" and target in code_el:
            code_notes[target].append(guid)
            name = f"Memo on code {target}"
        elif kind == "project":
            project_notes.append(guid)
            name = "Project memo"
        else:
            report.not_carried.append(f"memo by {coder} on {kind} {target}: no such {kind}")
            continue
        note = _el(None, "Note", {"guid": guid, "name": name, "creatingUser": user_guid[coder]})
        stamp = _clean(memo.get("updated_at"))
        if stamp:
            note.set("creationDateTime", stamp)
        _el(note, "PlainTextContent").text = _xml_text(str(memo["text"]), f"memo {name}")
        notes.append(note)
        report.memos += 1

    for code_id, guids in code_notes.items():
        el = code_el[code_id]
        at = 1 if el.find("Description") is not None else 0
        for i, guid in enumerate(guids):
            ref = ET.Element("NoteRef", {"targetGUID": guid})
            el.insert(at + i, ref)

    # sources with their selections
    texts: dict[str, bytes] = {}
    coded = codings[codings["code"].isin(book.ids())]
    for row in codings[~codings["code"].isin(book.ids())].itertuples():
        report.not_carried.append(
            f"coding {row.code!r} by {row.coder} in {row.document}: the code is not in the codebook"
        )
    by_doc: dict[int, dict[tuple[int, int, str], list[tuple[str, str | None]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for row in coded.itertuples():
        doc_id = doc_by_name[str(row.document)]
        by_doc[doc_id][(int(row.start), int(row.end), str(row.coder))].append(
            (str(row.code), _clean(row.created_at))
        )
        report.codings += 1
    memo_anchor: dict[int, dict[tuple[int, int], list[str]]] = defaultdict(dict)
    for seg_id, guids in seg_notes.items():
        doc_id, a, b = seg_doc[seg_id]
        memo_anchor[doc_id].setdefault((a, b), []).extend(guids)
    if len(docs):
        sources = _el(root, "Sources")
        for doc_id_raw, name in zip(docs["document_id"], docs["document"], strict=True):
            doc_id = int(doc_id_raw)
            guid = doc_guid[doc_id]
            text = project.store.document_text(doc_id)
            texts[f"sources/{guid}.txt"] = text.encode("utf-8")
            src = _el(
                sources,
                "TextSource",
                {
                    "guid": guid,
                    "name": _xml_text(str(name), "document"),
                    "plainTextPath": f"internal://{guid}.txt",
                },
            )
            items: list[tuple[int, int, str, ET.Element]] = []
            for (start, end, coder), coded_by in by_doc[doc_id].items():
                sel = ET.Element(
                    "PlainTextSelection",
                    {
                        "guid": item_guid(key, "selection", doc_id, start, end, coder),
                        "name": _name(text[start:end]),
                        "startPosition": str(start),
                        "endPosition": str(end),
                        "creatingUser": user_guid[coder],
                    },
                )
                stamps = sorted(s for _, s in coded_by if s)
                if stamps:
                    sel.set("creationDateTime", stamps[0])
                for code_id, stamp in sorted(coded_by, key=lambda c: c[0]):
                    coding = _el(
                        sel,
                        "Coding",
                        {
                            "guid": item_guid(key, "coding", doc_id, start, end, coder, code_id),
                            "creatingUser": user_guid[coder],
                            "creationDateTime": stamp,
                        },
                    )
                    _el(coding, "CodeRef", {"targetGUID": code_guid(book.id, book.get(code_id))})
                items.append((start, end, coder, sel))
            for (start, end), guids in memo_anchor[doc_id].items():
                sel = ET.Element(
                    "PlainTextSelection",
                    {
                        "guid": item_guid(key, "memo-selection", doc_id, start, end),
                        "name": _name(text[start:end]),
                        "startPosition": str(start),
                        "endPosition": str(end),
                    },
                )
                for note_guid in guids:
                    _el(sel, "NoteRef", {"targetGUID": note_guid})
                items.append((start, end, "\uffff", sel))
            for *_, sel in sorted(items, key=lambda i: i[:3]):
                src.append(sel)
            for note_guid in doc_notes[doc_id]:
                _el(src, "NoteRef", {"targetGUID": note_guid})
            report.documents.append(str(name))
    if notes:
        notes_el = _el(root, "Notes")
        notes_el.extend(notes)
    if book.sets:  # never an empty <Sets/>
        sets_el = _el(root, "Sets")
        for s in book.sets:
            set_el = _el(sets_el, "Set", {"guid": item_guid(key, "set", s.id), "name": s.name})
            _el(set_el, "Description").text = (
                f"{s.description}\n\nId: {s.id}" if s.description else f"Id: {s.id}"
            )
            for member in s.members:
                _el(set_el, "MemberCode", {"targetGUID": code_guid(book.id, book.get(member))})
    for guid in project_notes:
        _el(root, "NoteRef", {"targetGUID": guid})
    participants_n = len(people)
    report.participants = participants_n

    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    qde = ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")
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
