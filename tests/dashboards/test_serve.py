"""``workbench dashboard`` as an attacker meets it: a token, and no answer to a foreign Host."""

from __future__ import annotations

import ast
import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import workbench
from workbench.cli import _dashboard as _cli_dashboard
from workbench.cli import main


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(port: int, path: str, host: str | None = None) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    headers = {"Host": host} if host else {}
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    status, location = response.status, response.getheader("Location") or ""
    response.read()
    conn.close()
    return status, location


def _body(port: int, path: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path)
    body = conn.getresponse().read().decode()
    conn.close()
    return body


def _post(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    conn.request("POST", path)
    status = conn.getresponse().status
    conn.close()
    return status


@contextlib.contextmanager
def _serving(
    project: Path, port: int, *extra: str, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "workbench",
            "dashboard",
            str(project),
            f"--port={port}",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                _get(port, "/voila/static/voila.js")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(process.stdout.read() if process.stdout else "") from None
                time.sleep(0.3)
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("serve") / "study"
    workbench.init(folder).close()
    return folder


def test_dashboard_needs_its_token_and_refuses_a_foreign_host(study: Path) -> None:
    port = _free_port()
    with _serving(study, port, env={"WORKBENCH_DASHBOARD_TOKEN": "s3cret-token"}) as server:
        assert _get(port, "/")[0] == 302 and "/login" in _get(port, "/")[1]
        assert _get(port, "/?token=wrong")[0] == 302
        assert _get(port, "/?token=s3cret-token")[0] == 200
        # DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own Host
        assert _get(port, "/?token=s3cret-token", host="evil.example")[0] == 403
        assert _get(port, "/api/kernels?token=s3cret-token", host=f"evil.example:{port}")[0] == 403
        assert _get(port, "/?token=s3cret-token", host=f"localhost:{port}")[0] == 200
        # the login and logout pages answer (they linked static files Voilà had no path for)
        assert _get(port, "/logout")[0] == 200 and _get(port, "/login")[0] == 200
        # the page's own "shut my kernel down" on closing works, so reloads pile up nothing
        page = _body(port, "/?token=s3cret-token")
        kernel = re.search(r'"kernelId": *"([^"]+)"', page).group(1)  # type: ignore[union-attr]
        assert _post(port, f"/voila/api/shutdown/{kernel}?token=s3cret-token") == 204
        assert _post(port, f"/voila/api/shutdown/{kernel}") == 403  # not without the token
        server.send_signal(signal.SIGTERM)
        output = server.communicate(timeout=20)[0]
    # a token from the environment is not printed
    assert "s3cret-token" not in output
    assert "WORKBENCH_DASHBOARD_TOKEN" in output


def test_dashboard_prints_a_random_token_and_allows_a_proxy_host(study: Path) -> None:
    port = _free_port()
    env = {"WORKBENCH_DASHBOARD_TOKEN": ""}
    with _serving(study, port, "--allow-host", "dash.example.org", env=env) as server:
        server.send_signal(signal.SIGTERM)
        output = server.communicate(timeout=20)[0]
    line = next(line for line in output.splitlines() if line.startswith("dashboard for"))
    token = line.split("?token=")[1].split()[0]
    assert len(token) >= 24
    with _serving(
        study, port, "--allow-host", "dash.example.org", env={"WORKBENCH_DASHBOARD_TOKEN": token}
    ):
        assert _get(port, f"/?token={token}", host="dash.example.org")[0] == 200
        assert _get(port, f"/?token={token}", host="other.example.org")[0] == 403


def test_dashboard_off_loopback_needs_a_token_and_warns(
    study: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["dashboard", str(study), "--host", "0.0.0.0", "--no-token"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "a token is required" in err
    assert main(["dashboard", str(study), "--no-token", "--allow-host", "d.example.org"]) == 2
    assert "a proxy makes the dashboard public" in capsys.readouterr().err
    command = _cli_dashboard.voila_command(Path("n.ipynb"), port=1, host="0.0.0.0")
    assert "--Voila.auto_token=True" in command
    settings = _tornado_settings(command)
    assert settings["allow_remote_access"] is True and settings["disable_check_xsrf"] is True
    assert "local_hostnames" not in settings
    local_command = _cli_dashboard.voila_command(Path("n.ipynb"), port=1, allow_hosts=["x.org"])
    assert not any("token=" in part.lower() and "auto" not in part for part in local_command)
    local = _tornado_settings(local_command)
    assert local["allow_remote_access"] is False
    assert local["local_hostnames"] == ["localhost", "x.org"]
    assert Path(local["static_path"], "style").is_dir()  # /login and /logout find their files


def _tornado_settings(command: list[str]) -> dict[str, Any]:
    [option] = [part for part in command if part.startswith("--Voila.tornado_settings=")]
    settings: dict[str, Any] = ast.literal_eval(option.split("=", 1)[1])
    return settings
