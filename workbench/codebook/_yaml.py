"""The canonical YAML form of a codebook: read with line numbers, write deterministically.

The writer emits a fixed key order, one code per block separated by a blank line, scalars
quoted only where YAML needs it (double quotes), and no line wrapping, so that ``git diff``
between two versions shows exactly the codes and fields that changed, and
``to_yaml(from_yaml(text)) == text`` for a file in canonical form.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from typing import Any

import yaml

from ..errors import CodebookError
from ._model import LANGUAGES, Code, Codebook, CodeSet, Example
from ._validate import TEXT_FIELDS, locate, tree_order, validate

__all__ = ["codebook_from_yaml", "codebook_to_yaml", "codes_from_yaml"]

_CODE_KEYS = (
    "id",
    "parent",
    "codable",
    "label",
    "definition",
    "use_when",
    "do_not_use_when",
    "examples",
    "color",
    "shortcut",
    "guid",
)
_TOP_KEYS = ("id", "version", "title", "description", "codes", "sets")
_SET_KEYS = ("id", "name", "description", "members", "guid")


# --------------------------------------------------------------------------- reading


class _Reader:
    """Turns composed YAML nodes into a :class:`Codebook`, remembering line numbers."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._constructor = yaml.constructor.SafeConstructor()

    def error(
        self, node: yaml.Node | None, problem: str, code_id: str | None = None
    ) -> CodebookError:
        line = node.start_mark.line + 1 if node is not None else None
        return CodebookError(locate(self.source, line, code_id, problem))

    def mapping(
        self, node: yaml.Node, what: str, allowed: Iterable[str], code_id: str | None = None
    ) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            raise self.error(node, f"{what} must be a mapping", code_id)
        allowed = tuple(allowed)
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.value not in allowed:
                name = key.value if isinstance(key, yaml.ScalarNode) else "?"
                raise self.error(
                    key,
                    f"unknown key {name!r} in {what} (expected one of: {', '.join(allowed)})",
                    code_id,
                )
            if key.value in out:
                raise self.error(key, f"key {key.value!r} appears twice", code_id)
            out[key.value] = (key, value)
        return out

    def scalar(self, node: yaml.Node, what: str, code_id: str | None = None) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise self.error(node, f"{what} must be a single value", code_id)
        try:
            return self._constructor.construct_object(node)
        except (yaml.YAMLError, ValueError) as exc:
            raise self.error(node, f"{what} is not a valid value", code_id) from exc

    def string(
        self, node: yaml.Node, what: str, code_id: str | None = None, optional: bool = False
    ) -> str | None:
        value = self.scalar(node, what, code_id)
        if value is None and optional:
            return None
        if value is None:
            raise self.error(node, f"{what} must be text", code_id)
        if not isinstance(value, str):
            # an unquoted 1, yes or 2014-05-14 is meant as text: keep it as written
            assert isinstance(node, yaml.ScalarNode)
            return str(node.value)
        return value

    def texts(self, node: yaml.Node, what: str, code_id: str | None = None) -> dict[str, str]:
        if (
            isinstance(node, yaml.ScalarNode)
            and node.value in ("", "null", "~")
            and node.tag.endswith(":null")
        ):
            return {}
        if not isinstance(node, yaml.MappingNode):
            raise self.error(
                node, f"{what} must map languages to texts, like {{sv: ..., en: ...}}", code_id
            )
        out: dict[str, str] = {}
        for key, value in node.value:
            lang = self.string(key, f"a language in {what}", code_id)
            assert lang is not None
            if lang in out:
                raise self.error(key, f"language {lang!r} appears twice in {what}", code_id)
            text = self.string(value, f"{what} ({lang})", code_id)
            assert text is not None
            out[lang] = text
        return out

    def read(self, root: yaml.Node) -> tuple[Codebook, list[dict[str, int]]]:
        top = self.mapping(root, "the codebook", _TOP_KEYS)
        for key in ("id", "title", "codes"):
            if key not in top:
                raise self.error(root, f"the codebook has no {key!r}")
        cb_id = self.string(top["id"][1], "the codebook id")
        assert cb_id is not None
        version: Any = 1
        if "version" in top:
            version = self.scalar(top["version"][1], "version")
            if not isinstance(version, int) or isinstance(version, bool) or version < 1:
                raise self.error(top["version"][1], "version must be a whole number >= 1")
        title = self.texts(top["title"][1], "title")
        description = (
            self.texts(top["description"][1], "description") if "description" in top else {}
        )
        codes_node = top["codes"][1]
        if not isinstance(codes_node, yaml.SequenceNode):
            raise self.error(codes_node, "codes must be a list")
        codes: list[Code] = []
        lines: list[dict[str, int]] = []
        for item in codes_node.value:
            code, code_lines = self.code(item)
            codes.append(code)
            lines.append(code_lines)
        sets: list[CodeSet] = []
        if "sets" in top:
            sets_node = top["sets"][1]
            if not (
                isinstance(sets_node, yaml.SequenceNode)
                or (isinstance(sets_node, yaml.ScalarNode) and sets_node.tag.endswith(":null"))
            ):
                raise self.error(sets_node, "sets must be a list")
            for item in getattr(sets_node, "value", None) or []:
                sets.append(self.code_set(item))
        book = Codebook(
            id=cb_id,
            title=title,
            codes=tuple(codes),
            description=description,
            version=version,
            sets=tuple(sets),
        )
        return book, lines

    def code(self, node: yaml.Node) -> tuple[Code, dict[str, int]]:
        fields = self.mapping(node, "a code", _CODE_KEYS)
        if "id" not in fields:
            raise self.error(node, "a code has no 'id'")
        code_id = self.string(fields["id"][1], "the id")
        assert code_id is not None
        if "label" not in fields:
            raise self.error(node, "the label is missing", code_id)
        lines = {"": node.start_mark.line + 1}
        lines.update({k: kn.start_mark.line + 1 for k, (kn, _) in fields.items()})
        kwargs: dict[str, Any] = {"id": code_id}
        for name in TEXT_FIELDS:
            if name in fields:
                kwargs[name] = self.texts(fields[name][1], name, code_id)
        if "parent" in fields:
            kwargs["parent"] = self.string(fields["parent"][1], "parent", code_id, optional=True)
        if "codable" in fields:
            codable = self.scalar(fields["codable"][1], "codable", code_id)
            if not isinstance(codable, bool):
                raise self.error(fields["codable"][1], "codable must be true or false", code_id)
            kwargs["codable"] = codable
        for name in ("color", "shortcut", "guid"):
            if name in fields:
                value = self.string(fields[name][1], name, code_id, optional=name != "color")
                if value is not None:
                    kwargs[name] = value
        if "examples" in fields:
            kwargs["examples"] = self.examples(fields["examples"][1], code_id)
        return Code(**kwargs), lines

    def examples(self, node: yaml.Node, code_id: str) -> tuple[Example, ...]:
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
            return ()
        if not isinstance(node, yaml.SequenceNode):
            raise self.error(node, "examples must be a list of {lang: ..., text: ...}", code_id)
        out = []
        for item in node.value:
            fields = self.mapping(item, "an example", ("lang", "text"), code_id)
            if "lang" not in fields or "text" not in fields:
                raise self.error(item, "an example needs 'lang' and 'text'", code_id)
            lang = self.string(fields["lang"][1], "the example's lang", code_id)
            text = self.string(fields["text"][1], "the example's text", code_id)
            assert lang is not None and text is not None
            out.append(Example(lang=lang, text=text))
        return tuple(out)

    def code_set(self, node: yaml.Node) -> CodeSet:
        fields = self.mapping(node, "a set", _SET_KEYS)
        for key in ("id", "name"):
            if key not in fields:
                raise self.error(node, f"a set has no {key!r}")
        set_id = self.string(fields["id"][1], "the set id")
        name = self.string(fields["name"][1], "the set name")
        description = ""
        if "description" in fields:
            description = (
                self.string(fields["description"][1], "the set description", optional=True) or ""
            )
        members: list[str] = []
        if "members" in fields:
            mnode = fields["members"][1]
            if not isinstance(mnode, yaml.SequenceNode):
                raise self.error(mnode, f"members of set {set_id!r} must be a list")
            for m in mnode.value:
                member = self.string(m, f"a member of set {set_id!r}")
                assert member is not None
                members.append(member)
        guid = (
            self.string(fields["guid"][1], "the set guid", optional=True)
            if "guid" in fields
            else None
        )
        assert set_id is not None and name is not None
        return CodeSet(
            id=set_id, name=name, description=description, members=tuple(members), guid=guid
        )


# libyaml's parser (when PyYAML was built with it) is ~10x faster and keeps the same marks
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(text: str, source: str) -> yaml.Node:
    loader: Any = None
    try:
        loader = _LOADER(text)
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f"line {mark.line + 1}: " if mark is not None else ""
        problem = exc.problem or exc.context or "syntax error"
        raise CodebookError(f"{source}: {line}not valid YAML: {problem}") from exc
    except yaml.YAMLError as exc:
        detail = " ".join(str(exc).split())
        raise CodebookError(f"{source}: not valid YAML: {detail}") from exc
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        raise CodebookError(f"{source}: the file is empty")
    return node


def codebook_from_yaml(
    text: str, source: str = "codebook.yaml", *, languages: Iterable[str] | None = None
) -> Codebook:
    """Read and validate a codebook from its YAML text.

    Parameters
    ----------
    text
        The YAML document.
    source
        File name for messages.
    languages
        Languages every label must have (``("sv", "en")`` for the built-in codebook).

    Raises
    ------
    CodebookError
        Malformed YAML or a wrong structure; :class:`InvalidCode` for a bad code.  The
        message is one line naming ``source``, the line and the code.
    """
    root = _compose(text, source)
    book, lines = _Reader(source).read(root)
    validate(book, source=source, languages=languages, lines=lines)
    ordered = tree_order(book.codes)
    if ordered != book.codes:
        book = Codebook(
            id=book.id,
            title=book.title,
            codes=ordered,
            description=book.description,
            version=book.version,
            sets=book.sets,
        )
    return book


def codes_from_yaml(text: str, source: str = "codes.yaml") -> tuple[Code, ...]:
    """Read a file that holds only ``codes:`` (blocks as in a codebook), e.g. a study's themes.

    Add them with :func:`~workbench.codebook.add_code`, which checks each against the codebook.

    Raises
    ------
    CodebookError
        Malformed YAML, another top-level key, or a malformed code (file, line and code named).
    """
    root = _compose(text, source)
    reader = _Reader(source)
    top = reader.mapping(root, "the file", ("codes",))
    if "codes" not in top or not isinstance(top["codes"][1], yaml.SequenceNode):
        raise reader.error(root, "the file needs a list 'codes'")
    return tuple(reader.code(item)[0] for item in top["codes"][1].value)


# --------------------------------------------------------------------------- writing

_EMITTER = yaml.emitter.Emitter(io.StringIO(), allow_unicode=True)
_RESOLVER = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"


def _printable(ch: str) -> bool:
    o = ord(ch)
    return (
        0x20 <= o <= 0x7E
        or 0xA0 <= o <= 0xD7FF
        or (0xE000 <= o <= 0xFFFD and o != 0xFEFF)
        or 0x10000 <= o <= 0x10FFFF
    )


def _quote(text: str) -> str:
    out = ['"']
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif _printable(ch):
            out.append(ch)
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02X}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(f"\\U{ord(ch):08X}")
    out.append('"')
    return "".join(out)


def _scalar(value: object, flow: bool = False) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if text and text == text.strip() and all(_printable(ch) for ch in text):
        analysis = _EMITTER.analyze_scalar(text)
        plain = analysis.allow_flow_plain if flow else analysis.allow_block_plain
        if (
            plain
            and not analysis.multiline
            and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG
        ):
            return text
    return _quote(text)


def _lang_order(texts: Mapping[str, str]) -> list[str]:
    return [lang for lang in LANGUAGES if lang in texts] + sorted(
        lang for lang in texts if lang not in LANGUAGES
    )


def _texts(texts: Mapping[str, str]) -> str:
    items = ", ".join(
        f"{_scalar(lang, True)}: {_scalar(texts[lang], True)}" for lang in _lang_order(texts)
    )
    return "{" + items + "}"


def _code_block(code: Code) -> list[str]:
    lines = [
        f"  - id: {_scalar(code.id)}",
        f"    parent: {_scalar(code.parent)}",
    ]
    if not code.codable:  # codable is the default; only categories say so
        lines.append("    codable: false")
    lines.append(f"    label: {_texts(code.label)}")
    for name in TEXT_FIELDS[1:]:
        texts = getattr(code, name)
        if texts:
            lines.append(f"    {name}: {_texts(texts)}")
    if code.examples:
        lines.append("    examples:")
        for ex in code.examples:
            lines.append(
                f"      - {{lang: {_scalar(ex.lang, True)}, text: {_scalar(ex.text, True)}}}"
            )
    lines.append(f"    color: {_scalar(code.color)}")
    if code.shortcut is not None:
        lines.append(f"    shortcut: {_scalar(code.shortcut)}")
    if code.guid is not None:
        lines.append(f"    guid: {_scalar(code.guid)}")
    return lines


def codebook_to_yaml(codebook: Codebook) -> str:
    """The canonical YAML text of ``codebook`` (deterministic, diff-friendly)."""
    out = [
        f"id: {_scalar(codebook.id)}",
        f"version: {_scalar(codebook.version)}",
        f"title: {_texts(codebook.title)}",
    ]
    if codebook.description:
        out.append(f"description: {_texts(codebook.description)}")
    out.append("codes:")
    for i, code in enumerate(codebook.codes):
        if i:
            out.append("")
        out.extend(_code_block(code))
    if codebook.sets:
        out.append("")
        out.append("sets:")
        for s in codebook.sets:
            parts = [f"id: {_scalar(s.id, True)}", f"name: {_scalar(s.name, True)}"]
            if s.description:
                parts.append(f"description: {_scalar(s.description, True)}")
            members = ", ".join(_scalar(m, True) for m in s.members)
            parts.append(f"members: [{members}]")
            if s.guid is not None:
                parts.append(f"guid: {_scalar(s.guid, True)}")
            out.append("  - {" + ", ".join(parts) + "}")
    return "\n".join(out) + "\n"
