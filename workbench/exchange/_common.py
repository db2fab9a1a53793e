"""Names shared by export and import: the namespace, GUIDs and the origin line."""

from __future__ import annotations

import uuid

NAMESPACE = "urn:QDA-XML:project:1.0"
CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:1.0"
#: ``origin`` of a Vardag export starts with this (then the codebook's metadata as JSON).
ORIGIN = "Vardag workbench"
_UUID_NS = uuid.uuid5(uuid.NAMESPACE_URL, "urn:vardag:project")


def item_guid(project_key: str, kind: str, *ident: object) -> str:
    """A stable GUID for an item of a project: the same project and ids give the same GUID."""
    name = "/".join([project_key, kind, *(str(i) for i in ident)])
    return str(uuid.uuid5(_UUID_NS, name)).upper()


def norm_guid(guid: str | None) -> str:
    """A GUID as a lookup key: lowercase, without braces or spaces."""
    return (guid or "").strip().strip("{}").lower()


def local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rsplit("}", 1)[-1]
