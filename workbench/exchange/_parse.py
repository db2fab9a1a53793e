"""Read ``project.qde`` into plain records, tolerating what real tools write.

Elements are matched by local name, so a file in no namespace or an old namespace still
reads.  Parts the workbench has no place for are counted into :attr:`Parsed.other`, so the
import can say what it did not carry over.  Nothing here touches a project.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree as ET

from workbench.codebook import pi_payload
from workbench.errors import ExchangeError
from workbench.exchange._common import is_own, local, norm_guid

SOURCE_KINDS = {
    "TextSource": "text",
    "PDFSource": "PDF",
    "PictureSource": "picture",
    "AudioSource": "audio",
    "VideoSource": "video",
}


@dataclass
class RawCoding:
    code: str  # normalised GUID of the code
    user: str | None
    created: str | None
    notes: list[str] = field(default_factory=list)


@dataclass
class RawSelection:
    guid: str
    start: int
    end: int
    user: str | None
    created: str | None
    codings: list[RawCoding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    description: str | None = None


@dataclass
class RawSource:
    guid: str
    name: str
    kind: str
    path: str | None = None
    content: str | None = None
    selections: list[RawSelection] = field(default_factory=list)
    codings: list[RawCoding] = field(default_factory=list)  # the whole source coded
    notes: list[str] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)  # variable GUID -> value
    vardag: dict[str, Any] | None = None  # what a Vardag export carries for this source


@dataclass
class RawCase:
    guid: str
    name: str | None
    sources: list[str] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)


@dataclass
class RawNote:
    guid: str
    name: str
    user: str | None
    created: str | None
    content: str | None
    path: str | None


@dataclass
class Parsed:
    name: str
    origin: str
    users: dict[str, str]  # GUID -> name
    codebook: ET.Element | None
    code_notes: dict[str, list[str]]  # code GUID -> note GUIDs
    variables: dict[str, str]  # GUID -> name
    cases: list[RawCase]
    sources: list[RawSource]
    notes: dict[str, RawNote]
    sets: list[ET.Element]
    project_notes: list[str]
    other: list[str] = field(default_factory=list)  # parts the workbench has no place for

    @property
    def own(self) -> bool:
        """Whether Vardag wrote the file (its texts are kept verbatim, its ids trusted)."""
        return is_own(self.origin)


def children(el: ET.Element, name: str) -> Iterator[ET.Element]:
    """Direct children called ``name`` in any namespace."""
    return (c for c in el if local(c.tag) == name)


def child(el: ET.Element, name: str) -> ET.Element | None:
    return next(children(el, name), None)


def _text(el: ET.Element | None) -> str | None:
    return None if el is None else (el.text or "")


def _int(el: ET.Element, attr: str, where: str) -> int:
    value = el.get(attr)
    try:
        return int((value or "").strip())
    except ValueError as exc:
        raise ExchangeError(f"{where}: {attr} {value!r} is not a whole number") from exc


def _refs(el: ET.Element, name: str) -> list[str]:
    return [norm_guid(r.get("targetGUID") or r.get("guid")) for r in children(el, name)]


def _codings(el: ET.Element) -> list[RawCoding]:
    found = []
    for coding in children(el, "Coding"):
        ref = child(coding, "CodeRef")
        found.append(
            RawCoding(
                code=norm_guid(None if ref is None else ref.get("targetGUID") or ref.get("guid")),
                user=norm_guid(coding.get("creatingUser")) or None,
                created=coding.get("creationDateTime"),
                notes=_refs(coding, "NoteRef"),
            )
        )
    return found


def _values(el: ET.Element) -> dict[str, str]:
    values: dict[str, str] = {}
    for vv in children(el, "VariableValue"):
        ref = child(vv, "VariableRef")
        value = next((c.text or "" for c in vv if local(c.tag).endswith("Value")), None)
        if ref is not None and value is not None:
            values[norm_guid(ref.get("targetGUID") or ref.get("guid"))] = value
    return values


#: Attributes the workbench has no place for, by element: said once per kind, with a count.
_UNKEPT: dict[str, list[tuple[tuple[str, ...], str]]] = {
    "Project": [
        (
            ("creationDateTime", "modifiedDateTime", "creatingUserGUID", "modifyingUserGUID"),
            "date(s) and user(s) of the project itself: this project records its own",
        )
    ],
    "TextSource": [
        (
            ("creationDateTime", "modifiedDateTime", "creatingUser", "modifyingUser"),
            "source date(s) and user(s): documents record who imported them and when",
        )
    ],
    "PlainTextSelection": [
        (
            ("modifiedDateTime", "modifyingUser"),
            "selection change(s) (modifiedDateTime, modifyingUser): codings keep who made them "
            "and when",
        )
    ],
    "Note": [
        (("creationDateTime", "modifiedDateTime"), "note date(s): memos are dated by this import"),
        (("modifyingUser",), "note editor(s): a memo belongs to the user who created it"),
    ],
}
_DESCRIBED = {
    "Project": "project",
    "TextSource": "source",
    "Case": "case",
    "Variable": "variable",
    "Note": "note",
}


def _unkept(root: ET.Element) -> list[str]:
    """One line per kind of attribute or description the workbench cannot keep."""
    counts: Counter[str] = Counter()
    for el in root.iter():
        name = local(el.tag)
        for attrs, what in _UNKEPT.get(name, []):
            counts[what] += sum(1 for a in attrs if (el.get(a) or "").strip())
        if name in _DESCRIBED and (_text(child(el, "Description")) or "").strip():
            counts[f"{_DESCRIBED[name]} description(s): the workbench has no place for them"] += 1
    return [f"{n} {what}" for what, n in counts.items() if n]


def parse_project(root: ET.Element, source: str) -> Parsed:
    """The records of a ``<Project>`` element; a malformed required part raises
    :class:`~workbench.errors.ExchangeError` naming ``source`` and the element."""
    if local(root.tag) != "Project":
        raise ExchangeError(
            f"{source}: project.qde: the root element is {local(root.tag)!r}, expected Project"
        )
    users: dict[str, str] = {}
    users_el = child(root, "Users")
    for user in [] if users_el is None else children(users_el, "User"):
        guid = norm_guid(user.get("guid"))
        users[guid] = user.get("name") or user.get("id") or f"user-{guid[:8]}"

    code_notes: dict[str, list[str]] = {}
    codebook = child(root, "CodeBook")
    if codebook is not None:
        for code in codebook.iter():
            if local(code.tag) == "Code":
                refs = _refs(code, "NoteRef")
                if refs:
                    code_notes[norm_guid(code.get("guid"))] = refs

    variables: dict[str, str] = {}
    vars_el = child(root, "Variables")
    for var in [] if vars_el is None else children(vars_el, "Variable"):
        guid = norm_guid(var.get("guid"))
        variables[guid] = var.get("name") or f"variable-{guid[:8]}"

    other: list[str] = []
    for part, item in (("Links", "Link"), ("Graphs", "Graph")):
        el = child(root, part)
        if el is not None:
            count = sum(1 for _ in children(el, item))
            other.append(f"{count} {item.lower()}(s) in <{part}>")
    cases: list[RawCase] = []
    cases_el = child(root, "Cases")
    for case in [] if cases_el is None else children(cases_el, "Case"):
        case_name = (case.get("name") or "").strip() or None
        for ref_kind in ("CodeRef", "SelectionRef"):
            n_refs = sum(1 for _ in children(case, ref_kind))
            if n_refs:
                other.append(f"case {case_name or case.get('guid')}: {n_refs} {ref_kind}(s)")
        srcs = _refs(case, "SourceRef") + _refs(case, "MemberSource")
        cases.append(RawCase(norm_guid(case.get("guid")), case_name, srcs, _values(case)))

    sources: list[RawSource] = []
    sources_el = child(root, "Sources")
    for src in [] if sources_el is None else list(sources_el):
        kind = SOURCE_KINDS.get(local(src.tag))
        if kind is None:
            continue
        guid = norm_guid(src.get("guid"))
        name = (src.get("name") or "").strip() or f"source-{guid[:8]}"
        where = f"{source}: source {name!r}"
        raw = RawSource(
            guid=guid,
            name=name,
            kind=kind,
            path=src.get("plainTextPath") or src.get("path"),
            content=_text(child(src, "PlainTextContent")),
            codings=_codings(src),
            notes=_refs(src, "NoteRef"),
            variables=_values(src),
            vardag=pi_payload(src),
        )
        for sel in children(src, "PlainTextSelection"):
            sel_where = f"{where}: selection {sel.get('guid')}"
            raw.selections.append(
                RawSelection(
                    guid=norm_guid(sel.get("guid")),
                    start=_int(sel, "startPosition", sel_where),
                    end=_int(sel, "endPosition", sel_where),
                    user=norm_guid(sel.get("creatingUser")) or None,
                    created=sel.get("creationDateTime"),
                    codings=_codings(sel),
                    notes=_refs(sel, "NoteRef"),
                    description=_text(child(sel, "Description")),
                )
            )
        if kind != "text":  # count what a PDF/picture/audio/video source holds, for the report
            raw.selections = [
                RawSelection(norm_guid(s.get("guid")), 0, 0, None, None, _codings(s), [])
                for s in src.iter()
                if local(s.tag).endswith("Selection")
            ]
        sources.append(raw)

    notes: dict[str, RawNote] = {}
    notes_el = child(root, "Notes")
    for note in [] if notes_el is None else children(notes_el, "Note"):
        guid = norm_guid(note.get("guid"))
        notes[guid] = RawNote(
            guid=guid,
            name=(note.get("name") or "").strip(),
            user=norm_guid(note.get("creatingUser")) or None,
            created=note.get("creationDateTime"),
            content=_text(child(note, "PlainTextContent")),
            path=note.get("plainTextPath"),
        )
    sets_el = child(root, "Sets")
    other.extend(_unkept(root))
    return Parsed(
        name=(root.get("name") or "").strip(),
        origin=root.get("origin") or "",
        users=users,
        codebook=codebook,
        code_notes=code_notes,
        variables=variables,
        cases=cases,
        sources=sources,
        notes=notes,
        sets=[] if sets_el is None else list(children(sets_el, "Set")),
        project_notes=_refs(root, "NoteRef"),
        other=other,
    )
