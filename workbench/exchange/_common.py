"""Names shared by export and import: namespaces, the origin line, GUIDs, times, the XML form.

What only Vardag reads (a document's segments, a codebook's own fields) travels in
``<?vardag {...}?>`` processing instructions: valid against the schemas, ignored by other tools
and never shown to their users.  Attributes other tools do show (``origin``, ``name``,
``Description``) hold plain readable text.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree as ET

from workbench.codebook import PI_TARGET, conforming_guid
from workbench.store import Origin

NAMESPACE = "urn:QDA-XML:project:1.0"
CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:1.0"
#: ``origin`` of a Vardag export: a plain line other tools may show as "made with".
ORIGIN = "Vardag workbench"
#: A selection's ``Description`` when its codings did not come from the coder's own decision
#: alone: suggested by the code suggester and accepted (:attr:`~workbench.store.Origin.SUGGESTION`)
#: or coded by adopting a theme the theme finder proposed (:attr:`~workbench.store.Origin.THEME`).
#: Readable in every tool, read back here.
DESCRIBED: dict[Origin, str] = {
    Origin.SUGGESTION: "Suggested by Vardag's code suggester and accepted by the coder.",
    Origin.THEME: "Coded by adopting a theme Vardag's theme finder proposed.",
}
#: The store's timestamp form (UTC, milliseconds) -- also a valid ``xsd:dateTime``.
_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00")
_UUID_NS = uuid.uuid5(uuid.NAMESPACE_URL, "urn:vardag:project")
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CR = "\x01"  # stands for a carriage return while serialising (XML-illegal, so never content)


def is_own(origin: str) -> bool:
    """Whether a file's ``origin`` says Vardag wrote it (also the JSON-laden older form)."""
    return origin == ORIGIN or origin.startswith(ORIGIN + " ")


def item_guid(project_key: str, kind: str, *ident: object) -> str:
    """A stable GUID for an item of a project: the same project and ids give the same GUID."""
    name = "/".join([project_key, kind, *(str(i) for i in ident)])
    return str(uuid.uuid5(_UUID_NS, name)).upper()


def norm_guid(guid: str | None) -> str:
    """A GUID as a lookup key: conforming (see :func:`~workbench.codebook.conforming_guid`),
    lowercase, without braces; ``""`` for none."""
    if guid is None or not guid.strip():
        return ""
    return conforming_guid(guid).strip("{}").lower()


def local(tag: object) -> str:
    """An element's name without its namespace; ``""`` for a processing instruction."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def stamp(value: str | None) -> str | None:
    """``value`` (an ``xsd:dateTime``) in the store's form, UTC with milliseconds; None when
    it is empty or no date-time.  A value already in that form is returned unchanged."""
    if not value or not value.strip():
        return None
    text = value.strip()
    if _STAMP.fullmatch(text):
        return text
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="milliseconds")


def xml_illegal(text: str) -> str | None:
    """The first character of ``text`` that XML 1.0 cannot hold, or None."""
    bad = _XML_ILLEGAL.search(text)
    return bad.group() if bad else None


def xml_safe(text: str) -> str:
    """``text`` with every character XML cannot hold replaced by a space (for display names)."""
    return _XML_ILLEGAL.sub(" ", text)


def pi(payload: dict[str, Any]) -> ET.Element[Any]:
    """A ``<?vardag ...?>`` processing instruction carrying ``payload`` as one line of JSON.

    Non-ASCII is escaped, so the text is plain ASCII whatever the payload holds, and ``>`` is
    written ``\\u003e`` so it never holds ``?>``.
    """
    return ET.PI(PI_TARGET, json.dumps(payload).replace(">", "\\u003e"))


def serialise(root: ET.Element) -> bytes:
    """``root`` as an indented UTF-8 XML document, carriage returns in text kept.

    An XML parser turns a literal CR (or CRLF) in text into LF, so a memo or value holding one
    would come back changed; CRs in element text are written as ``&#13;`` (ElementTree already
    does so in attributes).  Callers have checked that no text holds an XML-illegal character.
    """
    for el in root.iter():
        if el.text and "\r" in el.text and el.tag is not ET.PI:
            el.text = el.text.replace("\r", _CR)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode").replace(_CR, "&#13;")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")
