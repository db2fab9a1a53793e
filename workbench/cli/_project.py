"""``workbench init``, ``import``, ``redact``, ``import-codings``, ``status``, ``merge`` and
``grant-readonly``: making a project and filling it."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from workbench.codebook import load_codebook
from workbench.errors import WorkbenchError
from workbench.ingest import TableColumns
from workbench.project import init, merge_projects, open_project

__all__ = ["register"]


def _cmd_init(args: argparse.Namespace) -> int:
    codebook = load_codebook(Path(args.codebook)) if args.codebook else None
    project = init(args.project, db=args.db, codebook=codebook)
    print(f"created project {args.project} (codebook version {project.codebook_version})")
    project.close()
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    table = None
    if args.id_column or args.text_column:
        if not (args.id_column and args.text_column):
            raise WorkbenchError("tables need both --id-column and --text-column")
        table = TableColumns(
            id=args.id_column, text=args.text_column, attributes=tuple(args.attribute_column)
        )
    with open_project(args.project) as project:
        report = project.import_files(
            args.files,
            attributes=args.attributes,
            segment=args.segment,
            language=args.language,
            pseudonymise=args.pseudonymise,
            names=args.names,
            key=args.key,
            interviewers=args.interviewer,
            table=table,
        )
    print(
        f"imported {len(report.imported)} document(s), {report.segments} segments, "
        f"{report.words} words"
    )
    _listed(report.skipped, "skipped {}: already imported (same content)")
    _listed(report.changed, "not imported {}: a different version of it is already in the project")
    for note in report.notes:
        print(f"warning: {note}", file=sys.stderr)
    return 0


def _listed(names: Sequence[str], line: str, most: int = 10) -> None:
    """One line per name, or the first few and how many more (a table has a document per row)."""
    for name in names[:most]:
        print(line.format(name))
    if len(names) > most:
        print(line.format(f"{len(names) - most} more"))


def _cmd_import_codings(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        for file in args.files:
            added = project.import_codings(file)
            print(f"{file}: {added} new coding(s)")
    return 0


def _cmd_status(args: argparse.Namespace) -> int:
    with open_project(args.project, read_only=True) as project:
        status = project.status()
    if args.json:
        print(json.dumps(status, indent=2))
        return 0
    print(f"project        {args.project}")
    print(f"documents      {status['documents']}")
    print(f"participants   {status['participants']}")
    print(f"segments       {status['segments']} ({status['codable_segments']} to code)")
    print(
        f"coded          {status['coded_segments']} segments "
        f"({status['coded_share']:.0%} of those to code)"
    )
    print(f"coders         {', '.join(status['coders']) or '-'}")
    print(f"codebook       version {status['codebook_version']}")
    return 0


def _cmd_merge(args: argparse.Namespace) -> int:
    report = merge_projects([Path(p) for p in args.projects], Path(args.output))
    print(
        f"merged into {args.output}: {report.documents} new document(s), {report.codings} new "
        f"coding(s), {report.memos} new memo(s)"
    )
    for note in report.notes:
        print(note)
    for conflict in report.conflicts:
        print(f"conflict: {conflict}")
    return 1 if report.conflicts else 0


def _cmd_redact(args: argparse.Namespace) -> int:
    if args.list:
        with open_project(args.project, read_only=True) as project:
            frame = project.leftover_names()
        if frame.empty:
            print("no capitalised words left that could be names")
            return 0
        print(f"{len(frame)} capitalised word(s) that may be names nobody listed:")
        for row in frame.itertuples():
            print(f"{row.words:30s} {row.count:5d}×  {row.document}: {row.context}")
        return 0
    if args.names is None:
        raise WorkbenchError("give --names FILE (the names to replace) or --list")
    with open_project(args.project) as project:
        report = project.redact(args.names, key=args.key)
    print(
        f"redacted: {report.documents} document(s), {report.segments} segment(s) changed or "
        f"moved, {report.codings} coding(s) moved, {report.memos} memo(s), "
        f"{report.attributes} attribute row(s)"
    )
    if not report.compacted:
        print(
            "warning: the project is open elsewhere, so the old text may remain in the "
            "database's unused space; close the other notebooks and dashboards and redact again",
            file=sys.stderr,
        )
    for copy in report.copies:
        print(
            f"warning: {copy} is an older copy of the database and still holds the old text; "
            "delete it",
            file=sys.stderr,
        )
    return 0


def _cmd_grant_readonly(args: argparse.Namespace) -> int:
    password = os.environ.get(args.password_env) if args.password_env else None
    if args.password_env and password is None:
        raise WorkbenchError(f"the environment variable {args.password_env} is not set")
    with open_project(args.project) as project:
        project.store.grant_read_only(args.role, password=password)
    print(f"role {args.role} can now read (and only read) {args.project}")
    return 0


def register(sub: Any) -> None:
    """Add the project commands to the ``workbench`` command line."""
    p = sub.add_parser("init", help="create a project folder")
    p.add_argument("project")
    p.add_argument("--db", help="postgresql+psycopg://user@host/db (default: a SQLite file)")
    p.add_argument("--codebook", help="codebook file (.yaml/.qdc/.csv); default: built-in")
    p.set_defaults(func=_cmd_init)

    p = sub.add_parser("import", help="import transcripts (.docx .txt .md .vtt .srt .csv .xlsx)")
    p.add_argument("project")
    p.add_argument("files", nargs="+")
    p.add_argument("--attributes", help="participants CSV keyed by file or participant")
    p.add_argument("--segment", choices=["turn", "paragraph", "sentence"], default="turn")
    p.add_argument("--language", choices=["sv", "en"])
    p.add_argument(
        "--pseudonymise",
        "--pseudonymize",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="replace names, e-mail, phone and personnummer (default: as the project's earlier "
        "imports; --no-pseudonymise stores names as they are)",
    )
    p.add_argument("--names", help="file with names to pseudonymise, one per line")
    p.add_argument("--key", help="pseudonym key file (default: PROJECT/private/pseudonym-key.json)")
    p.add_argument("--interviewer", action="append", default=[], help="an interviewer's name")
    p.add_argument("--id-column", help="tables: the respondent id column")
    p.add_argument("--text-column", help="tables: the answer text column")
    p.add_argument("--attribute-column", action="append", default=[], help="tables: attributes")
    p.set_defaults(func=_cmd_import)

    p = sub.add_parser("redact", help="replace names found after import, everywhere")
    p.add_argument("project")
    p.add_argument("--names", help="file with the names to replace, one per line")
    p.add_argument("--list", action="store_true", help="list words that may be names, in context")
    p.add_argument("--key", help="pseudonym key file (default: PROJECT/private/pseudonym-key.json)")
    p.set_defaults(func=_cmd_redact)

    p = sub.add_parser("import-codings", help="import codings (document,turn,code,coder,span)")
    p.add_argument("project")
    p.add_argument("files", nargs="+")
    p.set_defaults(func=_cmd_import_codings)

    p = sub.add_parser("status", help="documents, participants, segments, coded share")
    p.add_argument("project")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_status)

    p = sub.add_parser("grant-readonly", help="PostgreSQL: a login role that can only read")
    p.add_argument("project")
    p.add_argument("role")
    p.add_argument("--password-env", help="environment variable holding the role's password")
    p.set_defaults(func=_cmd_grant_readonly)

    p = sub.add_parser("merge", help="merge copies of a project coded apart")
    p.add_argument("projects", nargs="+", help="project folders")
    p.add_argument("-o", "--output", required=True, help="the merged project (new or existing)")
    p.set_defaults(func=_cmd_merge)
