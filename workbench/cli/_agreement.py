"""``workbench agreement``: intercoder agreement on a reliability CSV or on a project.

Two forms::

    workbench agreement --table reliability.csv [--level nominal|ordinal|interval|ratio]
    workbench agreement study/ --coders anna,erik [--codes a,b] [--level segment|span]

Both take ``--json`` and ``--bootstrap N`` (default 1000; 0 for no intervals) and ``--seed``.
The CSV's first line is a header; its first column holds unit ids when the header is empty
or one of ``unit, units, unit_id, id, item, subject, segment`` (any case), and every other
column is a coder.  Empty cells and ``.``, ``*``, ``NA`` are missing.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.agreement import agreement, read_reliability_csv, reliability_table
from workbench.errors import AgreementError
from workbench.project import open_project

__all__ = ["load_project_codings", "register"]

TABLE_LEVELS = ("nominal", "ordinal", "interval", "ratio")
PROJECT_LEVELS = ("segment", "span")


def load_project_codings(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The project's codings and its interviewee segments (``segment, document, start, end``)."""
    project = open_project(path)
    try:
        codings = project.codings()
        segments = project.segments()
    finally:
        close = getattr(project, "close", None)
        if callable(close):
            close()
    if "role" in segments.columns and (segments["role"] == "interviewee").any():
        segments = segments[segments["role"] == "interviewee"]
    return codings, segments


def _split(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [part.strip() for part in text.split(",") if part.strip()]


def _cmd_agreement(args: argparse.Namespace) -> int:
    if (args.table is None) == (args.project is None):
        raise AgreementError("give either a project folder or --table reliability.csv")
    if args.bootstrap < 0:
        raise AgreementError(f"--bootstrap must be >= 0, got {args.bootstrap}")
    if args.table is not None:
        level = args.level or "nominal"
        if level not in TABLE_LEVELS:
            raise AgreementError(
                f"--level {level} is for projects; a table takes {', '.join(TABLE_LEVELS)}"
            )
        if args.coders or args.codes:
            raise AgreementError("--coders and --codes are for projects, not for --table")
        frame = read_reliability_csv(args.table, level)
        try:
            report = reliability_table(frame, level, bootstrap=args.bootstrap, seed=args.seed)
        except AgreementError as exc:
            raise AgreementError(f"{Path(args.table).name}: {exc}") from exc
    else:
        level = args.level or "segment"
        if level not in PROJECT_LEVELS:
            raise AgreementError(
                f"--level {level} is for tables; a project takes {', '.join(PROJECT_LEVELS)}"
            )
        codings, segments = load_project_codings(args.project)
        report = agreement(
            codings,
            segments=segments,
            coders=_split(args.coders),
            codes=_split(args.codes),
            level=level,
            bootstrap=args.bootstrap,
            seed=args.seed,
        )
    if args.json:
        data: dict[str, Any] = report.to_dict()
        if args.table is not None:
            data.pop("per_code")
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(report.to_text())
    return 0


def register(subparsers: Any) -> None:
    """Add the ``agreement`` command to the main parser's subparsers."""
    p = subparsers.add_parser(
        "agreement",
        help="intercoder agreement (alpha, kappas) on a project or a reliability CSV",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("project", nargs="?", help="project folder (or use --table)")
    p.add_argument("--table", help="reliability CSV: rows are units, columns are coders")
    p.add_argument(
        "--level",
        choices=[*TABLE_LEVELS, *PROJECT_LEVELS],
        help="table: nominal (default), ordinal, interval, ratio; project: segment (default), span",
    )
    p.add_argument("--coders", help="project: comma-separated coders (default: all)")
    p.add_argument("--codes", help="project: comma-separated codes (default: all coded)")
    p.add_argument("--bootstrap", type=int, default=1000, help="resamples for 95%% intervals")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_agreement)
