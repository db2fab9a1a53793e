"""``workbench dashboard`` (Voilà app) and ``workbench report`` (one self-contained HTML file)."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from workbench.errors import ProjectError

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "dashboards" / "overview.ipynb"
#: Holds ``voila/templates/vardag``: the lab template minus its CDN stylesheet, with plotly.js.
TEMPLATES = Path(__file__).resolve().parent / "dashboards" / "jupyter"


def voila_command(
    notebook: Path, *, port: int, host: str = "127.0.0.1", python: str | None = None
) -> list[str]:
    """The Voilà command line: code hidden, sources stripped, no tracebacks, no browser."""
    return [
        python or sys.executable,
        "-m",
        "voila",
        str(notebook),
        f"--port={port}",
        f"--Voila.ip={host}",
        "--no-browser",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--template=vardag",
        # A kernel reads the study and computes its views before the viewer asks; the
        # notebook then waits for the request (its URL options) and only builds the widgets.
        "--preheat_kernel=True",
        "--pool_size=1",
        # Front-end extensions the page never uses: plotly's FigureWidget bundle (4.8 MB of
        # JavaScript; the charts use the template's plotly.js) and code highlighting.
        "--VoilaConfiguration.extension_denylist=['jupyterlab-plotly','jupyterlab_pygments']",
    ]


def prepare_templates(folder: Path) -> Path:
    """Copy the ``vardag`` Voilà template (with its plotly.js) into ``folder``; returns the
    folder to put on ``JUPYTER_PATH``."""
    target = folder / "voila" / "templates" / "vardag"
    shutil.copytree(TEMPLATES / "voila" / "templates" / "vardag", target, dirs_exist_ok=True)
    return folder


def voila_env(
    project: Path, lang: str | None = None, templates: Path = TEMPLATES
) -> dict[str, str]:
    """The environment for Voilà's kernels: which study, the interface language, and where the
    ``vardag`` template (with plotly.js) is."""
    env = dict(os.environ)
    env["WORKBENCH_PROJECT"] = str(project.resolve())
    env["WORKBENCH_DASHBOARD_PLOTLY"] = "page"
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(templates), os.environ.get("JUPYTER_PATH", "")) if p
    )
    if lang:
        env["WORKBENCH_DASHBOARD_LANG"] = lang
    return env


def _check_project(path: str) -> Path:
    from workbench._project import open_project

    folder = Path(path)
    with open_project(folder, read_only=True):
        pass
    return folder


def _cmd_dashboard(args: argparse.Namespace) -> int:
    folder = _check_project(args.project)
    if not NOTEBOOK.is_file():
        raise ProjectError(f"{NOTEBOOK}: the dashboard notebook is missing from this install")
    command = voila_command(NOTEBOOK, port=args.port, host=args.host)
    print(f"dashboard for {folder} at http://{args.host}:{args.port}/ (Ctrl-C stops it)")
    with tempfile.TemporaryDirectory(prefix="vardag-voila-") as tmp:
        templates = prepare_templates(Path(tmp))
        process = subprocess.Popen(command, env=voila_env(folder, args.lang, templates))
        # SIGTERM (a service manager, a test) stops Voilà too and removes the temporary files.
        previous = signal.signal(signal.SIGTERM, _exit)
        try:
            return process.wait()
        except (KeyboardInterrupt, SystemExit):
            return 0
        finally:
            signal.signal(signal.SIGTERM, previous)
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def _exit(*_: object) -> None:
    raise SystemExit(0)


def _cmd_report(args: argparse.Namespace) -> int:
    from workbench.dashboards import write_report

    _check_project(args.project)
    out = write_report(args.project, args.output, lang=args.lang or "en", layer=args.layer)
    print(f"wrote {out}")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``dashboard`` and ``report`` to the ``workbench`` command line."""
    p = subparsers.add_parser("dashboard", help="serve the stakeholder dashboard (Voilà)")
    p.add_argument("project")
    p.add_argument("--port", type=int, default=8866)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: local)")
    p.add_argument("--lang", choices=["sv", "en"], help="interface language (default: en)")
    p.set_defaults(func=_cmd_dashboard)

    p = subparsers.add_parser("report", help="write the dashboard as one self-contained HTML file")
    p.add_argument("project")
    p.add_argument("-o", "--output", required=True, help="the HTML file to write")
    p.add_argument("--lang", choices=["sv", "en"], default="en")
    p.add_argument("--layer", default="all", help="whose codings: all, consensus or a coder's name")
    p.set_defaults(func=_cmd_report)


def main(argv: list[str] | None = None) -> int:
    """Run ``dashboard`` or ``report`` alone (``python -m workbench._cli_dashboard``)."""
    from workbench.errors import WorkbenchError

    parser = argparse.ArgumentParser(prog="workbench")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except WorkbenchError as exc:
        print(f"workbench: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
