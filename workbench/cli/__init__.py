"""The ``workbench`` command line (also ``python -m workbench``).

A :class:`~workbench.errors.WorkbenchError` becomes one line on stderr and exit status 2;
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from workbench.cli import _agreement, _codebook, _dashboard, _demo, _exchange, _project, _suggest
from workbench.errors import WorkbenchError

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand (one module per command group)."""
    parser = argparse.ArgumentParser(
        prog="workbench", description="Vardag: qualitative research workbench"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (_project, _demo, _codebook, _suggest, _agreement, _exchange, _dashboard):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except WorkbenchError as exc:
        print(f"workbench: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("workbench: interrupted; nothing was half-written", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `workbench status | head`: the reader has all it wanted
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - no flush error at exit
        return 0


if __name__ == "__main__":
    sys.exit(main())
