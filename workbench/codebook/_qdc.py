"""REFI-QDA Codebook Exchange (``.qdc``): export and a tolerant, safe import.

Export writes nested ``<Code>`` elements (hierarchy), ``name`` (the label in one language),
``color``, ``isCodable`` and a ``<Description>`` that holds everything else in a readable,
line-based form that this module reads back, so YAML -> QDC -> YAML is lossless::

    Definition (en): A step in the user's everyday process ...
    Use when (en): ...
    Example (sv): "Jag kollar appen varje morgon"
    Label (sv): Vardagsprocess
    Label (en): Everyday process
    Shortcut: e
    Id: everyday-process

A value that spans lines continues on lines indented by two spaces.  A description written
by another tool (no such lines) becomes the code's definition.

The codebook's own fields (id, version, title, description) travel in a processing
instruction, ``<?vardag {"codebook": {...}}?>``, the first child of ``<CodeBook>``: other tools
ignore it and never show it to their users (``origin`` is the plain line ``Vardag workbench``).

GUIDs are UUID5 values derived from the codebook id and the code id; a GUID that another tool
gave a code is kept in :attr:`Code.guid`.  A GUID that is not a UUID (hand-made files use
``guid="c001"``) would make the file invalid against ``Codebook.xsd``, so it is replaced by
:func:`conforming_guid`, a UUID5 of it: the same every time, so importing the same file twice
or re-importing an export finds the same code.  Parsing uses :mod:`defusedxml` only: DTDs,
entities and external references are refused with :class:`~workbench.errors.UnsafeXML`.
"""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree as ET

import defusedxml
import defusedxml.ElementTree as DET

from ..errors import CodebookError, UnsafeXML
from ._model import Code, Codebook, CodeSet, Example
from ._validate import COLOR_RE, ID_RE, tree_order, validate
from ._yaml import _lang_order

__all__ = [
    "NAMESPACE",
    "code_guid",
    "codebook_from_qdc",
    "codebook_to_qdc",
    "conforming_guid",
    "guid_to_id",
    "set_guid",
    "slugify",
]

NAMESPACE = "urn:QDA-XML:codebook:1.0"
#: The ``origin`` attribute of everything Vardag writes: a line other tools may show as is.
ORIGIN = "Vardag workbench"
#: Target of the processing instructions that carry what only Vardag reads.
PI_TARGET = "vardag"
_UUID_NS = uuid.uuid5(uuid.NAMESPACE_URL, "urn:vardag:codebook")
_FOREIGN_NS = uuid.uuid5(uuid.NAMESPACE_URL, "urn:vardag:foreign-guid")
#: ``GUIDType`` of the REFI-QDA schemas: a UUID, optionally in braces.
GUID_RE = re.compile(
    r"(\{)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?(1)\})"
)
_Q = "{" + NAMESPACE + "}"
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_FIELDS = {
    "Definition": "definition",
    "Use when": "use_when",
    "Do not use when": "do_not_use_when",
    "Label": "label",
}
_KEY_RE = re.compile(
    r"(Definition|Use when|Do not use when|Label|Example|Shortcut|Id)"
    r"(?: \(([A-Za-z][A-Za-z0-9_-]*)\))?:(?: (.*))?\Z"
)
_DEFAULT_COLOR = Code(id="x", label={"en": "x"}).color


def conforming_guid(guid: str) -> str:
    """``guid`` if it is a UUID as the REFI-QDA schemas require, else a UUID5 made from it.

    The UUID5 depends only on the old id (case and braces ignored), so the same hand-made id
    always becomes the same UUID.

    >>> conforming_guid("c001") == conforming_guid(" C001 ")
    True
    >>> conforming_guid("{0D62985D-B147-5D01-A9B5-CAE5DCD98342}")
    '{0D62985D-B147-5D01-A9B5-CAE5DCD98342}'
    """
    value = guid.strip()
    if GUID_RE.fullmatch(value):
        return value
    return str(uuid.uuid5(_FOREIGN_NS, value.strip("{}").lower())).upper()


def code_guid(codebook_id: str, code: Code | str) -> str:
    """The GUID of a code in REFI-QDA files: its kept foreign GUID, else a stable UUID5."""
    if isinstance(code, Code):
        if code.guid:
            return conforming_guid(code.guid)
        code = code.id
    return str(uuid.uuid5(_UUID_NS, f"{codebook_id}/{code}")).upper()


def set_guid(codebook_id: str, set_id: str) -> str:
    """The stable GUID of a code set."""
    return str(uuid.uuid5(_UUID_NS, f"{codebook_id}/set/{set_id}")).upper()


def _norm_guid(guid: str) -> str:
    return conforming_guid(guid).strip("{}").lower()


def guid_to_id(codebook: Codebook) -> dict[str, str]:
    """Map every code's GUID (lowercase, no braces) to its id, for reading REFI-QDA projects."""
    return {_norm_guid(code_guid(codebook.id, c)): c.id for c in codebook.codes}


_FOLD = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "ß": "ss",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "TH",
        "œ": "oe",
        "Œ": "OE",
    }
)


def slugify(name: str, taken: Iterable[str] = ()) -> str:
    """A valid code id from a name: ASCII-folded, lowercase, hyphens; unique among ``taken``."""
    folded = unicodedata.normalize("NFKD", name.translate(_FOLD))
    ascii_name = folded.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-") or "code"
    used = set(taken)
    candidate, n = slug, 2
    while candidate in used:
        candidate = f"{slug}-{n}"
        n += 1
    return candidate


# --------------------------------------------------------------------------- export


def _line(key: str, value: str) -> str:
    return f"{key}: {value}".replace("\n", "\n  ")


def _describe(code: Code) -> str:
    lines: list[str] = []
    for key, name in list(_FIELDS.items())[:3]:
        texts = getattr(code, name)
        lines.extend(_line(f"{key} ({lang})", texts[lang]) for lang in _lang_order(texts))
    lines.extend(_line(f"Example ({ex.lang})", ex.text) for ex in code.examples)
    lines.extend(_line(f"Label ({lang})", code.label[lang]) for lang in _lang_order(code.label))
    if code.shortcut is not None:
        lines.append(f"Shortcut: {code.shortcut}")
    lines.append(f"Id: {code.id}")
    return "\n".join(lines)


def _check_xml_text(codebook: Codebook, where: str, text: str) -> str:
    bad = _XML_ILLEGAL.search(text)
    if bad:
        raise CodebookError(
            f"{codebook.id}: {where}: character U+{ord(bad.group()):04X} cannot be written to XML"
        )
    return text


def codebook_to_qdc(codebook: Codebook, *, lang: str = "en") -> str:
    """The REFI-QDA Codebook Exchange XML of ``codebook`` (valid against ``Codebook.xsd``).

    ``lang`` chooses the language of the ``name`` attribute (falling back to the other).
    """
    meta: dict[str, Any] = {"id": codebook.id, "version": codebook.version, "title": codebook.title}
    if codebook.description:
        meta["description"] = codebook.description
    root = ET.Element("CodeBook", {"xmlns": NAMESPACE, "origin": ORIGIN})
    root.append(ET.PI(PI_TARGET, _check_xml_text(codebook, "title", _pi_data({"codebook": meta}))))
    codes_el = ET.SubElement(root, "Codes")
    elements: dict[str | None, ET.Element] = {None: codes_el}
    for code in codebook.codes:
        where = f"code {code.id!r}"
        el = ET.SubElement(
            elements.get(code.parent, codes_el),
            "Code",
            {
                "guid": code_guid(codebook.id, code),
                "name": _check_xml_text(codebook, where, code.name(lang)),
                "isCodable": "true" if code.codable else "false",
                "color": code.color,
            },
        )
        ET.SubElement(el, "Description").text = _check_xml_text(codebook, where, _describe(code))
        elements[code.id] = el
    if codebook.sets:  # the schema forbids an empty <Sets/>
        sets_el = ET.SubElement(root, "Sets")
        for s in codebook.sets:
            set_el = ET.SubElement(
                sets_el,
                "Set",
                {
                    "guid": conforming_guid(s.guid) if s.guid else set_guid(codebook.id, s.id),
                    "name": _check_xml_text(codebook, f"set {s.id!r}", s.name),
                },
            )
            text = f"{s.description}\n\nId: {s.id}" if s.description else f"Id: {s.id}"
            ET.SubElement(set_el, "Description").text = _check_xml_text(
                codebook, f"set {s.id!r}", text
            )
            for member in s.members:
                guid = code_guid(codebook.id, codebook.get(member))
                ET.SubElement(set_el, "MemberCode", {"guid": guid})
    ET.indent(root, space="  ")
    # plain tags plus an xmlns attribute: ElementTree cannot write a default namespace when
    # attributes are unqualified
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"


def _pi_data(payload: dict[str, Any]) -> str:
    """The text of a ``<?vardag ...?>`` processing instruction carrying ``payload``.

    JSON on one line; ``>`` is written as ``\\u003e`` so the text never holds ``?>``.
    """
    return json.dumps(payload, ensure_ascii=False).replace(">", "\\u003e")


def pi_payload(el: ET.Element) -> dict[str, Any] | None:
    """What the first ``<?vardag ...?>`` child of ``el`` carries (None: none, or unreadable).

    ``el`` must come from a parser that keeps processing instructions (:func:`_parse_safely`).
    """
    for child in el:
        if child.tag is not ET.PI or not child.text:
            continue
        target, _, data = child.text.partition(" ")
        if target != PI_TARGET:
            continue
        try:
            loaded = json.loads(data)
        except ValueError:
            return None
        return loaded if isinstance(loaded, dict) else None
    return None


# --------------------------------------------------------------------------- import


@dataclass
class _Raw:
    guid: str
    name: str
    codable: bool
    color: str | None
    description: str
    parent: _Raw | None = None
    info: dict[str, Any] = field(default_factory=dict)
    id: str = ""


def _parse_description(text: str) -> dict[str, Any] | None:
    """The fields of a description in this module's form, or ``None`` for free text."""
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and lines[-1] == "":
        lines.pop()
    if not lines or not _KEY_RE.match(lines[0]):
        return None
    entries: list[list[Any]] = []
    for line in lines:
        m = _KEY_RE.match(line)
        if m and not line.startswith(" "):
            entries.append([m.group(1), m.group(2), m.group(3) or ""])
        elif line.startswith("  ") or line == "":
            entries[-1][2] += "\n" + line[2:]
        else:
            return None
    info: dict[str, Any] = {"examples": []}
    for key, lang, value in entries:
        if key == "Example":
            info["examples"].append(Example(lang=lang or "en", text=value))
        elif key in ("Shortcut", "Id"):
            info[key.lower()] = value
        else:
            info.setdefault(_FIELDS[key], {})[lang or ""] = value
    return info


def _color(value: str | None) -> str:
    if value is None:
        return _DEFAULT_COLOR
    value = value.strip()
    if COLOR_RE.match(value):
        return value
    if re.fullmatch(r"#[0-9A-Fa-f]{3}", value):
        return "#" + "".join(ch * 2 for ch in value[1:]).upper()
    return _DEFAULT_COLOR


def _bool(value: str | None) -> bool:
    return (value or "true").strip().lower() not in ("false", "0", "no")


def _parse_safely(data: str | bytes) -> ET.Element:
    """Parse XML with :mod:`defusedxml` (no DTDs, entities or external references), keeping
    processing instructions; raises what the parser raises."""
    parser = DET.DefusedXMLParser(
        target=ET.TreeBuilder(insert_pis=True),
        forbid_dtd=True,
        forbid_entities=True,
        forbid_external=True,
    )
    parser.feed(data)
    return parser.close()  # type: ignore[no-any-return]


def _parse_xml(data: str | bytes, source: str) -> ET.Element:
    try:
        return _parse_safely(data)
    except defusedxml.DefusedXmlException as exc:
        kind = type(exc).__name__.replace("Forbidden", "").lower()
        raise UnsafeXML(
            f"{source}: refused: the file uses an XML {kind} declaration (DTDs, entities and "
            "external references are not allowed)"
        ) from exc
    except ET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        where = f"line {line}: " if line else ""
        raise CodebookError(f"{source}: {where}not well-formed XML: {exc.msg}") from exc
    except (ValueError, UnicodeError) as exc:
        raise CodebookError(f"{source}: not XML: {exc}") from exc


def _text_of(el: ET.Element | None) -> str:
    return "" if el is None or el.text is None else el.text


def codebook_from_qdc(
    data: str | bytes,
    source: str = "codebook.qdc",
    *,
    lang: str = "en",
    codebook_id: str | None = None,
) -> Codebook:
    """Read a REFI-QDA codebook as NVivo, ATLAS.ti, MAXQDA, QualCoder or Taguette write it.

    Parameters
    ----------
    data
        The XML (bytes or text).
    source
        File name for messages; its stem names the codebook when the file does not.
    lang
        Language of names and free-text descriptions written by other tools.
    codebook_id
        Id for the codebook (default: from a Vardag export, else from ``source``).
    """
    root = _parse_xml(data, source)
    if root.tag != _Q + "CodeBook":
        raise CodebookError(
            f"{source}: not a REFI-QDA codebook: the root element is {root.tag!r}, expected "
            f"CodeBook in namespace {NAMESPACE}"
        )
    stem = re.sub(r"\.[A-Za-z]+\Z", "", source.replace("\\", "/").rsplit("/", 1)[-1])
    meta: dict[str, Any] = {}
    carried = (pi_payload(root) or {}).get("codebook")
    origin = root.get("origin") or ""
    if isinstance(carried, dict):
        meta = carried
    elif origin.startswith(ORIGIN + " {"):  # older exports: the metadata in the origin
        try:
            loaded = json.loads(origin[len(ORIGIN) + 1 :])
            meta = loaded if isinstance(loaded, dict) else {}
        except ValueError:
            meta = {}
    cb_id = codebook_id or meta.get("id") or slugify(stem)
    if not isinstance(cb_id, str) or not ID_RE.match(cb_id):
        cb_id = slugify(str(cb_id))

    codes_el = root.find(_Q + "Codes")
    if codes_el is None:
        raise CodebookError(f"{source}: the codebook has no <Codes>")
    raws: list[_Raw] = []
    seen_guids: set[str] = set()

    def walk(el: ET.Element, parent: _Raw | None) -> None:
        for code_el in el.findall(_Q + "Code"):
            name = code_el.get("name")
            guid = code_el.get("guid")
            if not name or not name.strip():
                raise CodebookError(f"{source}: a <Code> has no name (guid {guid})")
            if not guid:
                raise CodebookError(f"{source}: code {name!r}: no guid")
            if _norm_guid(guid) in seen_guids:
                raise CodebookError(f"{source}: code {name!r}: guid {guid} is used twice")
            seen_guids.add(_norm_guid(guid))
            raw = _Raw(
                guid=guid,
                name=name,
                codable=_bool(code_el.get("isCodable")),
                color=code_el.get("color"),
                description=_text_of(code_el.find(_Q + "Description")),
                parent=parent,
            )
            raws.append(raw)
            walk(code_el, raw)

    walk(codes_el, None)
    if not raws:
        raise CodebookError(f"{source}: the codebook has no codes")
    for raw in raws:
        info = _parse_description(raw.description)
        raw.info = info or {}
        if info is None and raw.description.strip():
            raw.info = {"definition": {lang: raw.description.strip()}, "examples": []}
    raws = _unflatten(raws, cb_id)

    # ids: first those a Vardag export recorded, then slugs of the labels
    taken: set[str] = set()
    for raw in raws:
        wanted = raw.info.get("id")
        if wanted and ID_RE.match(wanted) and wanted not in taken:
            raw.id = wanted
            taken.add(wanted)
    for raw in raws:
        if not raw.id:
            raw.id = slugify(raw.name, taken)
            taken.add(raw.id)

    codes: list[Code] = []
    by_guid: dict[str, str] = {}
    for raw in raws:
        info = raw.info
        label = {k or lang: v for k, v in info.get("label", {}).items()}
        if raw.name not in label.values():
            label[lang] = raw.name  # renamed in another tool, or a plain foreign code
        derived = code_guid(cb_id, raw.id)
        texts = {
            name: {k or lang: v for k, v in info.get(name, {}).items()}
            for name in ("definition", "use_when", "do_not_use_when")
        }
        shortcut = info.get("shortcut") or None
        codes.append(
            Code(
                id=raw.id,
                label=label,
                parent=raw.parent.id if raw.parent else None,
                examples=tuple(info.get("examples", ())),
                color=_color(raw.color),
                shortcut=shortcut,
                codable=raw.codable,
                guid=None
                if _norm_guid(raw.guid) == _norm_guid(derived)
                else conforming_guid(raw.guid),
                **texts,
            )
        )
        by_guid[_norm_guid(raw.guid)] = raw.id

    sets: list[CodeSet] = []
    sets_el = root.find(_Q + "Sets")
    set_ids: set[str] = set()
    for set_el in [] if sets_el is None else sets_el.findall(_Q + "Set"):
        name = set_el.get("name") or "set"
        text = _text_of(set_el.find(_Q + "Description"))
        m = re.fullmatch(r"(?:(.*)\n\n)?Id: ([a-z0-9][a-z0-9-]*)", text, re.S)
        if m and m.group(2) not in set_ids:
            description, set_id = m.group(1) or "", m.group(2)
        else:
            description, set_id = text.strip(), slugify(name, set_ids)
        set_ids.add(set_id)
        members: list[str] = []
        for member in set_el.findall(_Q + "MemberCode"):
            ref = member.get("guid") or member.get("targetGUID") or ""
            if _norm_guid(ref) not in by_guid:
                raise CodebookError(f"{source}: set {name!r}: member {ref!r} is not a code here")
            members.append(by_guid[_norm_guid(ref)])
        guid = (
            conforming_guid(set_el.get("guid") or "") if (set_el.get("guid") or "").strip() else ""
        )
        foreign = guid and _norm_guid(guid) != _norm_guid(set_guid(cb_id, set_id))
        sets.append(
            CodeSet(
                id=set_id,
                name=name,
                description=description,
                members=tuple(dict.fromkeys(members)),
                guid=guid if foreign else None,
            )
        )

    title = meta.get("title") if isinstance(meta.get("title"), dict) else {lang: stem}
    description = meta.get("description") if isinstance(meta.get("description"), dict) else {}
    version: int = meta["version"] if isinstance(meta.get("version"), int) else 1
    book = Codebook(
        id=cb_id,
        title=dict(title or {}),
        codes=tuple(codes),
        description=dict(description or {}),
        version=version,
        sets=tuple(sets),
    )
    validate(book, source=source)
    return Codebook(
        id=book.id,
        title=book.title,
        codes=tree_order(book.codes),
        description=book.description,
        version=book.version,
        sets=book.sets,
    )


def _unflatten(raws: list[_Raw], cb_id: str) -> list[_Raw]:
    """Turn top-level names like ``Parent\\Child`` (Taguette) or ``Parent/Child`` into a tree.

    A backslash always separates levels (missing levels become categories); a slash only
    when the part before it names an existing code, so a code called "Yes/No" stays one code.
    """

    def full(raw: _Raw) -> str:
        return raw.name if raw.parent is None else full(raw.parent) + "\\" + raw.name

    by_path = {full(r): r for r in raws}
    out: list[_Raw] = []
    for raw in raws:
        # a code this module wrote keeps its name as it is (it records its own id)
        if raw.parent is None and not raw.info.get("id") and ("\\" in raw.name or "/" in raw.name):
            sep = "\\" if "\\" in raw.name else "/"
            parts = [p.strip() for p in raw.name.split(sep)]
            if sep == "/" and "\\".join(parts[:-1]) not in by_path:
                out.append(raw)
                continue
            parent: _Raw | None = None
            for depth in range(1, len(parts)):
                path = "\\".join(parts[:depth])
                if path not in by_path:
                    guid = str(uuid.uuid5(_UUID_NS, f"{cb_id}/path/{path}")).upper()
                    by_path[path] = _Raw(
                        guid=guid,
                        name=parts[depth - 1],
                        codable=False,
                        color=None,
                        description="",
                        parent=parent,
                    )
                    out.append(by_path[path])
                parent = by_path[path]
            raw.name = parts[-1]
            raw.parent = parent
            by_path["\\".join(parts)] = raw
        out.append(raw)
    return out
