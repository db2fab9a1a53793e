"""Concurrent coder processes and killed processes lose and duplicate nothing."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _helpers import import_interview
from _stress import database_state, replay

import workbench
from workbench.codebook._model import Code, Codebook

STRESS = Path(__file__).resolve().parents[1] / "_stress.py"  # a coder in its own process

BOOK = Codebook(
    id="t",
    title={"en": "Test", "sv": "Test"},
    codes=tuple(
        Code(id=f"c{i}", label={"en": f"Code {i}", "sv": f"Kod {i}"}, shortcut=str(i))
        for i in range(6)
    ),
)


def make_project(tmp_path: Path, db: str | None) -> tuple[Path, dict[str, list]]:  # type: ignore[type-arg]
    folder = tmp_path / "study"
    project = workbench.init(folder, db=db, codebook=BOOK)
    body = "Det här är ett svar om köer och väntetider. " * 3
    import_interview(
        project, [body] * 10, speakers=[f"P{i}" for i in range(10)], language="sv", participant="P0"
    )
    frame = project.segments()
    project.close()
    spec = {
        "codes": [c.id for c in BOOK.codes],
        "segments": [[int(r.segment), int(r.start), int(r.end)] for r in frame.itertuples()],
    }
    return folder, spec


def coder_cmd(folder: Path, spec_file: Path, coder: str, actions: int, seed: int) -> list[str]:
    return [
        sys.executable,
        str(STRESS),
        str(folder),
        coder,
        str(actions),
        str(seed),
        str(spec_file),
    ]


def env_for(db: str | None) -> dict[str, str]:
    env = dict(os.environ)
    if db:
        env["WORKBENCH_DB_URL"] = db.split("?")[0]
    return env


@pytest.mark.slow
def test_concurrency_coders_lose_and_duplicate_nothing(tmp_path: Path, db: str | None) -> None:
    folder, spec = make_project(tmp_path, db)
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(json.dumps(spec))
    procs = [
        subprocess.Popen(
            coder_cmd(folder, spec_file, f"coder{i}", 150, i),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env_for(db),
        )
        for i in range(4)
    ]
    logs = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "locked" not in err and "Serialization" not in err
        logs.append(out)
    expected_codings, expected_memos = replay("".join(logs).splitlines())
    if db:
        os.environ["WORKBENCH_DB_URL"] = db.split("?")[0]
    try:
        codings, memos = database_state(str(folder))
    finally:
        os.environ.pop("WORKBENCH_DB_URL", None)
    assert codings == expected_codings
    assert memos == expected_memos
    assert sum(len(log.splitlines()) for log in logs) == 4 * 150


@pytest.mark.slow
def test_crash_killed_coder_loses_nothing_reported(tmp_path: Path, db: str | None) -> None:
    folder, spec = make_project(tmp_path, db)
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(json.dumps(spec))
    rng = random.Random(7)
    log_lines: list[str] = []
    for round_ in range(4):
        proc = subprocess.Popen(
            coder_cmd(folder, spec_file, "anna", 100_000, round_),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env_for(db),
        )
        assert proc.stdout is not None
        first = proc.stdout.readline()  # the coder is up and has committed one action
        time.sleep(rng.uniform(0.1, 1.0))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        reported = [line for line in (first + out).splitlines() if line.endswith("}")]
        assert reported, "the coder reported no action before it was killed"
        log_lines.extend(reported)
        if db:
            os.environ["WORKBENCH_DB_URL"] = db.split("?")[0]
        try:
            codings, memos = database_state(str(folder))
            project = workbench.open(folder)
            assert project.store.integrity_ok()
            project.close()
        finally:
            os.environ.pop("WORKBENCH_DB_URL", None)
        expected_codings, expected_memos = replay(log_lines)
        # The action in flight at the kill may have committed without being reported: the
        # database equals the replay, or the replay plus exactly that one effect.
        diff = codings ^ expected_codings
        memo_diff = {
            k for k in memos.keys() | expected_memos.keys() if memos.get(k) != expected_memos.get(k)
        }
        assert len(diff) + len(memo_diff) <= 1, (diff, memo_diff)
        if diff or memo_diff:
            # Adopt the database's truth for the unreported action, as the next session would.
            log_lines = [*log_lines, *_effects_for(diff, codings, memo_diff, memos)]
        assert replay(log_lines) == (codings, memos)


def _effects_for(diff, codings, memo_diff, memos) -> list[str]:  # type: ignore[no-untyped-def]
    lines = []
    for key in diff:
        lines.append(json.dumps({"op": "add" if key in codings else "remove", "key": list(key)}))
    for target, coder in memo_diff:
        lines.append(
            json.dumps(
                {
                    "op": "memo",
                    "target": target,
                    "coder": coder,
                    "text": memos.get((target, coder), ""),
                }
            )
        )
    return lines
