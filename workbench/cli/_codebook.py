"""The ``workbench codebook`` command: show, validate, convert, diff and merge codebook files;
adopt a shared codebook into a project and export a project's codebook.

``register(subparsers)`` adds the command; each handler returns the exit status and raises
:class:`~workbench.errors.WorkbenchError` for bad input (the main CLI prints it as one line
and exits 2).  Nothing is written when an error occurs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from workbench.codebook import diff, load_codebook, merge, save_codebook
from workbench.codebook._io import _format
from workbench.errors import CodebookError
from workbench.project import open_project

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the ``codebook`` command to an argparse sub-parser collection."""
    parser = subparsers.add_parser("codebook", help="show, check, convert, diff, merge codebooks")
    sub = parser.add_subparsers(dest="codebook_command", required=True)

    def add(usage: str, func: Any, help: str) -> argparse.ArgumentParser:
        """Add the sub-command ``usage`` ("name positional ...") run by ``func``."""
        name, *positionals = usage.split()
        command: argparse.ArgumentParser = sub.add_parser(name, help=help)
        for positional in positionals:
            command.add_argument(positional)
        command.set_defaults(func=func)
        return command

    add("show file", _show, "print the code tree with labels and shortcuts").add_argument(
        "--lang", choices=("sv", "en"), default="en"
    )
    add("validate file", _validate, "check a codebook file").add_argument(
        "--strict", action="store_true", help="require labels in sv and en"
    )
    add("convert input output", _convert, "convert between .yaml, .qdc and .csv")
    add("diff a b", _diff, "show what changed (exit 1 when the files differ)")
    add(
        "merge base ours theirs", _merge, "three-way merge (exit 1 when there are conflicts)"
    ).add_argument("-o", "--output", required=True)
    add("adopt project file", _adopt, "make a codebook file the project's codebook; show changes")
    add("export project output", _export, "write the project's codebook to .yaml, .qdc or .csv")


def _show(args: argparse.Namespace) -> int:
    book = load_codebook(args.file)
    title = book.title.get(args.lang) or next(iter(book.title.values()), book.id)
    lines = [f"{title} ({book.id}, version {book.version}, {len(book)} codes)"]
    for code in book.codes:
        indent = "  " * book.depth(code.id)
        key = f"  [{code.shortcut}]" if code.shortcut else ""
        group = "  (category)" if not code.codable else ""
        lines.append(f"{indent}{code.name(args.lang)}  <{code.id}>{key}{group}")
    print("\n".join(lines), file=sys.stdout)
    return 0


def _validate(args: argparse.Namespace) -> int:
    book = load_codebook(args.file, languages=("sv", "en") if args.strict else None)
    print(f"{args.file}: ok ({len(book)} codes)")
    return 0


def _convert(args: argparse.Namespace) -> int:
    _format(Path(args.output))  # refuse an unknown format before reading
    book = load_codebook(args.input)
    save_codebook(book, args.output)
    print(f"{args.output}: wrote {len(book)} codes")
    return 0


def _diff(args: argparse.Namespace) -> int:
    changes = diff(load_codebook(args.a), load_codebook(args.b))
    print(str(changes))
    return 1 if changes else 0


def _merge(args: argparse.Namespace) -> int:
    books = [load_codebook(path) for path in (args.base, args.ours, args.theirs)]
    for path, book in zip((args.ours, args.theirs), books[1:], strict=True):
        if book.id != books[0].id:
            raise CodebookError(
                f"{Path(path).name}: cannot merge unrelated codebooks: its id {book.id!r} is "
                f"not the base's {books[0].id!r}"
            )
    result = merge(*books)
    save_codebook(result.codebook, args.output)
    for conflict in result.conflicts:
        print(f"conflict: {conflict}")
    if result.conflicts:
        print(f"{args.output}: written with {len(result.conflicts)} conflict(s), ours kept")
        return 1
    print(f"{args.output}: merged cleanly")
    return 0


def _adopt(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        changes = project.adopt_codebook(args.file)
        version = project.codebook_version
    print(str(changes))
    if changes:
        print(f"{args.project}: adopted {Path(args.file).name} as codebook version {version}")
    else:
        print(f"{args.project}: already uses this codebook (version {version})")
    return 0


def _export(args: argparse.Namespace) -> int:
    _format(Path(args.output))  # refuse an unknown format before opening the project
    with open_project(args.project, read_only=True) as project:
        book = project.codebook
    save_codebook(book, Path(args.output))
    print(f"{args.output}: wrote {len(book)} codes")
    return 0
