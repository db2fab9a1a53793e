"""The ``<CodeBook>`` part of a project file, read with the codebook layer's ``.qdc`` reader,
and merged into a project's existing codebook.

A code or set GUID that is not a UUID (``guid="c001"``) is replaced by
:func:`~workbench.codebook.conforming_guid` -- a UUID5 of it, the same on every import -- and the
report says so; references to it (``CodeRef``, ``MemberCode``) are mapped the same way.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from xml.etree import ElementTree as ET

from workbench.codebook import (
    Code,
    Codebook,
    code_guid,
    codebook_from_qdc,
    conforming_guid,
    guid_to_id,
    slugify,
    validate,
)
from workbench.errors import CodebookError, ExchangeError
from workbench.exchange._common import CODEBOOK_NAMESPACE, ORIGIN, local, norm_guid
from workbench.exchange._parse import Parsed, children
from workbench.exchange._report import ExchangeReport

_C = "{" + CODEBOOK_NAMESPACE + "}"


def read_codebook(
    parsed: Parsed, source: str, coded: set[str], report: ExchangeReport
) -> tuple[Codebook, dict[str, str]] | None:
    """The file's codebook and a map from (normalised) code GUID to code id, or None.

    Codes the file codes with become codable even when marked ``isCodable="false"``.
    Project-level ``<Sets>`` of codes become code sets; sets of sources or notes are reported.
    """
    if parsed.codebook is None:
        return None
    tree = copy.deepcopy(parsed.codebook)
    for el in tree.iter():
        if el.tag is ET.PI:  # <?vardag ...?>: the codebook's own fields, read by the reader
            continue
        el.tag = _C + local(el.tag)
        if el.tag == _C + "Code":
            _note_guid(el, "code", report)
            guid = norm_guid(el.get("guid"))
            if guid in coded and (el.get("isCodable") or "").strip().lower() in ("false", "0"):
                el.set("isCodable", "true")
                report.adjusted.append(
                    f"code {el.get('name')!r} is marked not codable but has codings: made codable"
                )
    if parsed.origin.startswith(ORIGIN + " {"):
        tree.set("origin", parsed.origin)
    known = {norm_guid(el.get("guid")) for el in tree.iter(_C + "Code")}
    if parsed.sets:
        sets = ET.SubElement(tree, _C + "Sets")
        for raw in parsed.sets:
            name = raw.get("name") or "set"
            kept = ET.SubElement(sets, _C + "Set", {"name": name})
            if (raw.get("guid") or "").strip():
                kept.set("guid", str(raw.get("guid")))
                _note_guid(kept, "set", report)
            for el in raw:
                kind = local(el.tag)
                ref = el.get("targetGUID") or el.get("guid") or ""
                if kind == "Description":
                    ET.SubElement(kept, _C + "Description").text = el.text or ""
                elif kind == "MemberCode" and norm_guid(ref) in known:
                    ET.SubElement(kept, _C + "MemberCode", {"guid": ref})
                elif kind in ("MemberCode", "MemberSource", "MemberNote"):
                    what = {"MemberCode": "unknown code", "MemberSource": "source"}.get(
                        kind, "note"
                    )
                    report.not_carried.append(f"set {name!r}: member {what} {ref}")
            if not any(local(c.tag) == "MemberCode" for c in kept):
                sets.remove(kept)
        if not len(sets):
            tree.remove(sets)
    if next(children(tree, "Codes"), None) is None or not any(True for _ in tree.iter(_C + "Code")):
        report.not_carried.append("the codebook: it has no codes")
        return None
    try:
        book = codebook_from_qdc(ET.tostring(tree, encoding="unicode"), source=source)
    except CodebookError as exc:
        raise ExchangeError(f"{source}: CodeBook: {exc}") from exc
    return book, guid_to_id(book)


def _note_guid(el: ET.Element, kind: str, report: ExchangeReport) -> None:
    """Say so when ``el``'s GUID is not a UUID and will be written as its UUID5."""
    guid = (el.get("guid") or "").strip()
    if guid and conforming_guid(guid) != guid:
        report.adjusted.append(
            f"{kind} {el.get('name')!r}: GUID {guid!r} is not a UUID; written as "
            f"{conforming_guid(guid)} (derived from it, the same on every import)"
        )


def _tree_order(codes: list[Code]) -> tuple[Code, ...]:
    kids: dict[str | None, list[Code]] = {}
    for code in codes:
        kids.setdefault(code.parent, []).append(code)
    out: list[Code] = []

    def walk(parent: str | None) -> None:
        for code in kids.get(parent, []):
            out.append(code)
            walk(code.id)

    walk(None)
    return tuple(out)


def merge_codebook(
    existing: Codebook, incoming: Codebook, source: str, report: ExchangeReport
) -> tuple[Codebook, dict[str, str]]:
    """``existing`` plus the incoming codes it lacks, and a map incoming id -> project id.

    A code matches by GUID, then id, then label (any language, case-insensitive).
    """
    by_guid = {norm_guid(code_guid(existing.id, c)): c.id for c in existing.codes}
    ids = {c.id for c in existing.codes}
    by_label = {v.casefold(): c.id for c in existing.codes for v in c.label.values()}
    mapping: dict[str, str] = {}
    added: list[Code] = []
    taken = set(ids)
    for code in incoming.codes:
        match = (
            by_guid.get(norm_guid(code_guid(incoming.id, code)))
            or (code.id if code.id in ids else None)
            or next(
                (by_label[v.casefold()] for v in code.label.values() if v.casefold() in by_label),
                None,
            )
        )
        if match is not None:
            mapping[code.id] = match
            continue
        new_id = code.id if code.id not in taken else slugify(code.id, taken)
        taken.add(new_id)
        mapping[code.id] = new_id
        parent = mapping.get(code.parent) if code.parent else None
        added.append(replace(code, id=new_id, parent=parent, guid=code_guid(incoming.id, code)))
        report.codes_added.append(code.name())
    if not added:
        return existing, mapping
    book = replace(existing, codes=_tree_order([*existing.codes, *added]))
    try:
        validate(book, source=source)
    except CodebookError as exc:
        raise ExchangeError(f"{source}: CodeBook: {exc}") from exc
    return book, mapping
