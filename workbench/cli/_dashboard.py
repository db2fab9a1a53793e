"""``workbench dashboard`` (Voilà app) and ``workbench report`` (one self-contained HTML file)."""

from __future__ import annotations

import argparse
import ipaddress
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path
from typing import IO, Any

from workbench.errors import WorkbenchError
from workbench.project import open_project
from workbench.resources import DASHBOARD, resource_path

TOKEN_ENV = "WORKBENCH_DASHBOARD_TOKEN"
CULL_AFTER = 600  # seconds a viewer's kernel may sit idle
EXCLUDE_HELP = (
    "test or sandbox coders to leave out of every coding layer, comma-separated (saved in the "
    "project; an empty string includes everyone again)"
)


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or name to listen on) is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def voila_command(
    notebook: Path,
    *,
    port: int,
    host: str = "127.0.0.1",
    python: str | None = None,
    token: bool = True,
    allow_hosts: Sequence[str] = (),
) -> list[str]:
    """The Voilà command line: code hidden, sources stripped, no tracebacks, no browser.

    With ``token`` every request needs the token Voilà reads from ``JUPYTER_TOKEN`` (set by
    :func:`voila_env`; never on the command line, where other users see it).  On a loopback
    address a request whose ``Host`` is not this machine (DNS rebinding) or one of
    ``allow_hosts`` (the names a reverse proxy forwards) is refused.
    """
    # Voilà's page asks for its kernel to be shut down when it closes, without an XSRF field:
    # allowed (the kernel id is the page's own), and kernels of pages that never said goodbye
    # are culled after a while, so reloads cannot pile up kernels.
    from jupyter_server import DEFAULT_STATIC_FILES_PATH

    settings: dict[str, Any] = {
        "allow_remote_access": not is_loopback(host),
        "disable_check_xsrf": True,
        # Jupyter Server's login and logout pages link its static files; Voilà does not set
        # where they are, so /logout answered 500.
        "static_path": DEFAULT_STATIC_FILES_PATH,
    }
    if is_loopback(host):
        settings["local_hostnames"] = ["localhost", *allow_hosts]
    return [
        python or sys.executable,
        "-m",
        "voila",
        str(notebook),
        f"--port={port}",
        f"--Voila.ip={host}",
        f"--Voila.auto_token={token}",
        f"--Voila.tornado_settings={settings!r}",
        "--no-browser",
        f"--MappingKernelManager.cull_idle_timeout={CULL_AFTER}",
        "--MappingKernelManager.cull_interval=60",
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


def templates() -> Path:
    """The folder holding ``voila/templates/vardag``, the lab template minus its CDN stylesheet
    and with plotly.js (looked up when needed: importing the
    dashboards package loads plotly and the widgets, which other commands never need)."""
    return Path(str(files("workbench.dashboards").joinpath("jupyter")))


def prepare_templates(folder: Path) -> Path:
    """Copy the ``vardag`` Voilà template (with its plotly.js) into ``folder``; returns the
    folder to put on ``JUPYTER_PATH``."""
    target = folder / "voila" / "templates" / "vardag"
    shutil.copytree(templates() / "voila" / "templates" / "vardag", target, dirs_exist_ok=True)
    return folder


def voila_env(
    project: Path,
    lang: str | None = None,
    template_path: Path | None = None,
    token: str | None = None,
) -> dict[str, str]:
    """The environment for Voilà and its kernels: which study, the interface language, where
    the ``vardag`` template (with plotly.js) is, and the token viewers must give."""
    env = {k: v for k, v in os.environ.items() if k != TOKEN_ENV}
    if token:
        env["JUPYTER_TOKEN"] = token
    env["WORKBENCH_PROJECT"] = str(project.resolve())
    env["WORKBENCH_DASHBOARD_PLOTLY"] = "page"
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(template_path or templates()), os.environ.get("JUPYTER_PATH", "")) if p
    )
    if lang:
        env["WORKBENCH_DASHBOARD_LANG"] = lang
    return env


def _check_project(path: str) -> Path:
    folder = Path(path)
    with open_project(folder, read_only=True):
        pass
    return folder


def _exclude_coders(folder: str, names: str | None) -> None:
    """Save ``--exclude-coders`` (comma-separated; empty: nobody) as the project's setting."""
    if names is None:
        return
    with open_project(Path(folder)) as project:
        project.exclude_coders([n for n in names.split(",") if n.strip()])
        left_out = project.excluded_coders
    shown = ", ".join(left_out) if left_out else "nobody"
    print(f"coders left out of the dashboard and report: {shown} (saved in the project)")


def _cmd_dashboard(args: argparse.Namespace) -> int:
    folder = _check_project(args.project)
    _exclude_coders(args.project, args.exclude_coders)
    notebook = resource_path(*DASHBOARD)
    local = is_loopback(args.host)
    if args.no_token and not local:
        raise WorkbenchError(
            f"--no-token: {args.host} can be reached from other machines; a token is required"
        )
    if args.no_token and args.allow_host:
        raise WorkbenchError(
            "--no-token with --allow-host: a proxy makes the dashboard public; keep the token"
        )
    token = None if args.no_token else os.environ.get(TOKEN_ENV) or secrets.token_urlsafe(24)
    command = voila_command(
        notebook,
        port=args.port,
        host=args.host,
        token=token is not None,
        allow_hosts=args.allow_host,
    )
    shown = (
        "localhost"
        if local
        else (socket.getfqdn() if args.host in ("0.0.0.0", "::") else args.host)
    )
    query = f"?token={token}" if token and not os.environ.get(TOKEN_ENV) else ""
    print(f"dashboard for {folder} at http://{shown}:{args.port}/{query} (Ctrl-C stops it)")
    if token and os.environ.get(TOKEN_ENV):
        print(f"viewers give the token in {TOKEN_ENV} (on the login page or as ?token=...)")
    if not local:
        print(
            "warning: the dashboard is open to the network over plain HTTP; anyone who has the "
            "link can read the study. Serve it behind TLS (see docs/privacy.md).",
            file=sys.stderr,
        )
    with tempfile.TemporaryDirectory(prefix="vardag-voila-") as tmp:
        templates = prepare_templates(Path(tmp))
        env = voila_env(folder, args.lang, templates, token=token)
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        threading.Thread(target=_relay_scrubbed, args=(process.stdout,), daemon=True).start()
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


_TOKEN_IN_URL = re.compile(r"([?&]token=)[^&\s]+")


def _relay_scrubbed(stream: IO[str] | None) -> None:
    """Copy Voilà's log to stderr with every token in a logged URL hidden (a log is kept,
    forwarded and read by others; the token is a password)."""
    for line in stream or ():
        sys.stderr.write(_TOKEN_IN_URL.sub(r"\1[hidden]", line))
        sys.stderr.flush()


def _cmd_report(args: argparse.Namespace) -> int:
    from workbench.dashboards import write_report

    _check_project(args.project)
    _exclude_coders(args.project, args.exclude_coders)
    out = write_report(
        args.project,
        args.output,
        lang=args.lang or "",
        layer=args.layer or "",
        source=args.source or "",
    )
    print(f"wrote {out}")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``dashboard`` and ``report`` to the ``workbench`` command line."""
    p = subparsers.add_parser("dashboard", help="serve the stakeholder dashboard (Voilà)")
    p.add_argument("project")
    p.add_argument("--port", type=int, default=8866)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: local)")
    p.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a host name a reverse proxy forwards to this local dashboard (repeatable)",
    )
    p.add_argument(
        "--no-token",
        action="store_true",
        help=f"no token (loopback only); default: {TOKEN_ENV} or a random token, printed",
    )
    p.add_argument(
        "--lang",
        choices=["sv", "en"],
        help="interface language (default: the language most of the study's documents are in)",
    )
    p.add_argument("--exclude-coders", metavar="NAMES", help=EXCLUDE_HELP)
    p.set_defaults(func=_cmd_dashboard)

    p = subparsers.add_parser("report", help="write the dashboard as one self-contained HTML file")
    p.add_argument("project")
    p.add_argument("-o", "--output", required=True, help="the HTML file to write")
    p.add_argument(
        "--lang",
        choices=["sv", "en"],
        help="the report's language (default: the language most of the study's documents are in)",
    )
    p.add_argument(
        "--layer",
        help="whose codings: consensus, all, a coder's name, or estimate (the model's estimate "
        "for everybody beside people's codings, once `workbench suggest apply` has run; "
        "default: the consensus where there is one, else all coders)",
    )
    p.add_argument(
        "--source",
        choices=["interviews", "survey"],
        help="only the interviews or only the survey answers (default: each in a part of its own)",
    )
    p.add_argument("--exclude-coders", metavar="NAMES", help=EXCLUDE_HELP)
    p.set_defaults(func=_cmd_report)
