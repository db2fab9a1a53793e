"""``workbench demo``: build the demo study, then serve JupyterLab (the tagger) and Voilà."""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from workbench import project
from workbench.errors import ProjectError
from workbench.resources import NOTEBOOKS, resource_path

__all__ = ["register", "run_demo"]


def register(sub: Any) -> None:
    """Add ``demo`` to the ``workbench`` command line."""
    p = sub.add_parser("demo", help="build the demo study and open JupyterLab and Voilà")
    p.add_argument("folder", nargs="?", default="demo-study")
    p.add_argument("--no-serve", action="store_true", help="only build the project")
    p.add_argument("--port", type=int, default=8888)
    p.set_defaults(func=_cmd_demo)


def _cmd_demo(args: argparse.Namespace) -> int:
    return run_demo(Path(args.folder), serve=not args.no_serve, port=args.port)


def _free_port(preferred: int) -> int:
    for port in [preferred, *range(preferred + 1, preferred + 50)]:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise ProjectError(f"no free port near {preferred}")


def run_demo(folder: Path, *, serve: bool = True, port: int = 8888) -> int:
    """Build the demo project; unless ``serve`` is False, start JupyterLab and Voilà.

    JupyterLab opens in the project folder, which gets its own copy of the tutorial notebooks
    (``notebooks/``): edit them freely, the shipped ones stay as they are.
    """
    project.build_demo(folder)
    if not serve:
        return 0
    shutil.copytree(resource_path(*NOTEBOOKS), folder / "notebooks", dirs_exist_ok=True)
    bin_dir = Path(sys.executable).parent
    lab_token, viewer_token = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    env = {**os.environ, "WORKBENCH_PROJECT": str(folder.resolve())}
    lab_port = _free_port(port)
    voila_port = _free_port(lab_port + 100)
    tutorial = "lab/tree/notebooks/02-code.ipynb"
    procs = [
        subprocess.Popen(
            [
                str(bin_dir / "jupyter"),
                "lab",
                "--no-browser",
                f"--port={lab_port}",
                f"--ServerApp.root_dir={folder.resolve()}",
                f"--ServerApp.default_url=/{tutorial}",
                *(["--allow-root"] if os.geteuid() == 0 else []),
            ],
            env={**env, "JUPYTER_TOKEN": lab_token},  # a token on the command line is public
        ),
        subprocess.Popen(
            [str(bin_dir / "workbench"), "dashboard", str(folder), f"--port={voila_port}"],
            env={**env, "WORKBENCH_DASHBOARD_TOKEN": viewer_token},
            stdout=subprocess.DEVNULL,
        ),
    ]
    links = [
        f"JupyterLab (tagger): http://localhost:{lab_port}/{tutorial}?token={lab_token}",
        f"Dashboard (Voilà):   http://localhost:{voila_port}/?token={viewer_token}",
    ]
    time.sleep(3)
    print("\n" + "\n".join(links) + "\n\nPress Ctrl-C to stop.", flush=True)
    try:
        while all(p.poll() is None for p in procs):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=20)
    return 0
