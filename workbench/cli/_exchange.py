"""The ``workbench export`` and ``workbench import-qdpx`` commands (REFI-QDA ``.qdpx``).

``register(subparsers)`` adds both; each handler returns the exit status and raises
:class:`~workbench.errors.WorkbenchError` (:class:`~workbench.errors.ExchangeError`) for bad
input, which the main CLI prints as one line.  The import prints every item it adjusted or
could not carry over.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from workbench.exchange import export_qdpx, import_qdpx
from workbench.project._project import open_project

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add ``export`` and ``import-qdpx`` to an argparse sub-parser collection."""
    p = subparsers.add_parser("export", help="export a project (REFI-QDA .qdpx)")
    p.add_argument("project", help="project folder")
    p.add_argument("--qdpx", required=True, metavar="OUT.qdpx", help="the file to write")
    p.set_defaults(func=_export)

    p = subparsers.add_parser(
        "import-qdpx", help="import a REFI-QDA project (.qdpx) into a new or existing project"
    )
    p.add_argument("file", metavar="IN.qdpx")
    p.add_argument("project", help="project folder (created when it holds no project)")
    p.add_argument("--coder", help="who imports (default: WORKBENCH_CODER or the login)")
    p.set_defaults(func=_import)


def _export(args: argparse.Namespace) -> int:
    with open_project(args.project, read_only=True) as project:
        report = export_qdpx(project, args.qdpx)
    print(
        f"wrote {args.qdpx}: {len(report.documents)} document(s), {report.participants} "
        f"participant(s), {report.codings} coding(s), {report.memos} memo(s)"
    )
    for line in report.not_carried:
        print(f"not exported: {line}", file=sys.stderr)
    return 0


def _import(args: argparse.Namespace) -> int:
    report = import_qdpx(args.file, args.project, coder=args.coder)
    for line in report.lines():
        print(line)
    return 0
