"""Browser fixtures: a real JupyterLab on a free port and Debian's Chromium driven by Playwright.

Reusable by every browser test (tagger, dashboards): ``lab`` serves a temporary root folder,
``page`` is a fresh tab that fails the test on any console error or uncaught page error, and
``run_notebook`` opens a notebook in JupyterLab and runs all its cells.

The tests skip when ``/usr/bin/chromium`` is missing, unless ``WORKBENCH_REQUIRE_BROWSER`` is set
(then they fail).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ._lab import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, ConsoleErrors, Lab, free_port, need_browser


@pytest.fixture(scope="session")
def lab_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for the server and its kernels: every Jupyter folder in a temp dir.

    Tests that need more variables (``WORKBENCH_PROJECT``, ...) set them here before ``lab``
    starts (the fixture is session-scoped, like the server).
    """
    need_browser()
    base = tmp_path_factory.mktemp("jupyter")
    config = base / "config"
    (config / "labconfig").mkdir(parents=True)
    # No news pop-up and no update check: nothing that needs the network or covers the page.
    (config / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}})
    )
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
        "JUPYTER_DATA_DIR": str(base / "data"),
        "IPYTHONDIR": str(base / "ipython"),
        "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces"),
        "JUPYTERLAB_SETTINGS_DIR": str(base / "settings"),
        "PYTHONUNBUFFERED": "1",
        "WORKBENCH_CODER": "anna",
    }
    env.pop("JUPYTERHUB_USER", None)
    return env


@pytest.fixture(scope="session")
def lab(lab_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """A JupyterLab server serving a fresh temporary folder (``lab.root``)."""
    root = tmp_path_factory.mktemp("lab-root")
    port = free_port()
    token = secrets.token_hex(16)
    log = root.parent / f"jupyter-{port}.log"
    jupyter = Path(sys.executable).with_name("jupyter")
    command = [
        str(jupyter),
        "lab",
        "--no-browser",
        f"--port={port}",
        "--ip=127.0.0.1",
        f"--IdentityProvider.token={token}",
        "--allow-root",
        "--LabApp.extension_manager=readonly",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.port_retries=0",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        f"--LabApp.workspaces_dir={lab_env['JUPYTERLAB_WORKSPACES_DIR']}",
        f"--LabApp.user_settings_dir={lab_env['JUPYTERLAB_SETTINGS_DIR']}",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=root,
            env=lab_env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Lab(f"http://127.0.0.1:{port}", token, root, log, process)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"JupyterLab exited: {log.read_text(errors='replace')[-2000:]}")
            try:
                server.api("/api/status")
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start within 60 s")
                time.sleep(0.3)
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless."""
    need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh tab (1440x1000) that fails the test on any console error or page error.

    A screenshot of the last state is kept in ``screenshots/<test name>-last.png``.
    """
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    tab = context.new_page()
    errors = ConsoleErrors()
    tab.on(
        "console",
        lambda msg: (
            errors.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None
        ),
    )
    tab.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    tab.console_errors = errors
    try:
        yield tab
    finally:
        SCREENSHOTS.mkdir(exist_ok=True)
        with contextlib.suppress(Exception):  # the page may be gone after a failure
            tab.screenshot(path=str(SCREENSHOTS / f"{request.node.name}-last.png"), full_page=True)
        context.close()
    assert not errors, "browser console errors:\n" + "\n".join(errors)
