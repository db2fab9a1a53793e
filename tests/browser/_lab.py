"""Helpers for browser tests: Chromium settings, a JupyterLab handle, notebooks, screenshots."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "screenshots"


def need_browser() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("WORKBENCH_REQUIRE_BROWSER"):
        pytest.fail(f"WORKBENCH_REQUIRE_BROWSER is set but {CHROMIUM} is missing")
    pytest.skip(f"{CHROMIUM} is not installed")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Lab:
    """A running JupyterLab: its URL, token, served folder and log file."""

    url: str
    token: str
    root: Path
    log: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    def lab_url(self, path: str) -> str:
        """``path`` in a fresh JupyterLab workspace (no tabs restored from other tests)."""
        workspace = f"t{os.urandom(6).hex()}"
        return f"{self.url}/lab/workspaces/{workspace}/tree/{path}?reset&token={self.token}"

    def api(self, path: str) -> Any:
        request = urllib.request.Request(
            f"{self.url}{path}", headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.load(response)


class ConsoleErrors(list[str]):
    """Console errors and uncaught exceptions a page produced."""


def screenshot(page: Any, name: str, **options: Any) -> Path:
    """Save a screenshot as ``screenshots/<name>.png`` (the folder is git-ignored)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), **options)
    return path


def run_notebook(page: Any, lab: Lab, path: str, *, timeout: float = 45_000) -> None:
    """Open ``path`` (relative to ``lab.root``) in JupyterLab, wait for its kernel, run all."""
    page.goto(lab.lab_url(path))
    current = "window.jupyterapp?.shell?.currentWidget"
    page.wait_for_function(
        f"""(path) => {current}?.context?.path === path
            && {current}?.sessionContext?.session?.kernel?.status === 'idle'""",
        arg=path,
        timeout=timeout,
    )
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")


def notebook(*cells: str | list[str]) -> str:
    """A notebook of code ``cells`` (each its source: a string or a list of lines), as JSON."""
    return json.dumps(
        {
            "cells": [
                {
                    "cell_type": "code",
                    "execution_count": None,
                    "id": f"c{i}",
                    "metadata": {},
                    "outputs": [],
                    "source": source,
                }
                for i, source in enumerate(cells)
            ],
            "metadata": {
                "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
            },
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


def write_notebook(path: Path, *cells: str | list[str]) -> None:
    """Write a notebook of code ``cells`` to ``path``."""
    path.write_text(notebook(*cells), encoding="utf-8")


def run_tagger(page: Any, lab: Lab, path: str, *, timeout: float = 45_000) -> None:
    """Run the notebook ``path`` and wait for the tagger it shows to draw its text."""
    run_notebook(page, lab, path)
    page.wait_for_selector(".vt-root .vt-text", timeout=timeout)
