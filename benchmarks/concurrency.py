"""Concurrency benchmark: N coder processes × M random actions on one project.

    .venv/bin/python benchmarks/concurrency.py                       # SQLite, 8 × 2,000
    WORKBENCH_TEST_PG=postgresql+psycopg://user:pw@host/db \\
        .venv/bin/python benchmarks/concurrency.py --db postgresql  # PostgreSQL (fresh schema)

Each process toggles codes, toggles spans, writes memos and undoes (through the Project
facade, one committed transaction each) and logs every effect.  Afterwards the database must
equal the replay of all logs.  Prints actions per second, beside a plain baseline: one
process doing the same number of actions alone.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

import workbench
from workbench.codebook._model import Code, Codebook
from workbench.ingest._model import Segment, Transcript

STRESS = Path(__file__).resolve().parents[1] / "tests" / "_stress.py"
sys.path.insert(0, str(STRESS.parent))
from _stress import database_state, replay  # noqa: E402  (the coders' harness of the tests)

BOOK = Codebook(
    id="bench",
    title={"en": "Bench", "sv": "Bench"},
    codes=tuple(Code(id=f"c{i}", label={"en": f"C{i}", "sv": f"K{i}"}) for i in range(20)),
)


def build(folder: Path, db: str | None) -> dict[str, list]:  # type: ignore[type-arg]
    project = workbench.init(folder, db=db, codebook=BOOK)
    body = "Vi ringde flera gånger men ingen svarade, och avgiften kom innan beslutet. " * 2
    text_ = "\n\n".join(f"P01: {body}" for _ in range(200))
    segs, pos = [], 0
    for _ in range(200):
        start = text_.index(body, pos)
        segs.append(Segment("P01", "interviewee", body, start, start + len(body)))
        pos = start + len(body)
    project.store.import_transcripts(
        [Transcript("a.txt", "txt", "bench", text_, segs, "sv", participant="P01")],
        user="bench",
        participant_pseudonym=lambda label, known: "P01",
    )
    frame = project.segments()
    project.close()
    return {
        "codes": [c.id for c in BOOK.codes],
        "segments": [[int(r.segment), int(r.start), int(r.end)] for r in frame.itertuples()],
    }


def run(
    folder: Path, spec: Path, coders: int, actions: int, env: dict[str, str]
) -> tuple[float, list[str]]:
    start = time.perf_counter()
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                str(STRESS),
                str(folder),
                f"coder{i}-{coders}",
                str(actions),
                str(i),
                str(spec),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for i in range(coders)
    ]
    logs = []
    for proc in procs:
        out, err = proc.communicate()
        if proc.returncode:
            raise SystemExit(f"a coder process failed:\n{err}")
        logs.append(out)
    return time.perf_counter() - start, logs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--coders", type=int, default=8)
    parser.add_argument("--actions", type=int, default=2000)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    env = dict(os.environ)
    db = None
    schema = None
    if args.db == "postgresql":
        url = os.environ["WORKBENCH_TEST_PG"]
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        with create_engine(url).begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        db = f"{url}?schema={schema}"
        env["WORKBENCH_DB_URL"] = url
        os.environ["WORKBENCH_DB_URL"] = url
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "study"
            spec = Path(tmp) / "spec.json"
            spec.write_text(json.dumps(build(folder, db)))
            alone, _ = run(folder, spec, 1, args.actions, env)
            elapsed, logs = run(folder, spec, args.coders, args.actions, env)
            codings, memos = database_state(str(folder))
    finally:
        if schema:
            with create_engine(os.environ["WORKBENCH_TEST_PG"]).begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    total = args.coders * args.actions
    expected_codings, expected_memos = replay("".join(logs).splitlines())
    # The baseline's coder ("coder0-1") is left out of the comparison.
    mine = {k for k in codings if not k[2].endswith("-1")}
    memos_mine = {k: v for k, v in memos.items() if not k[1].endswith("-1")}
    ok = mine == expected_codings and memos_mine == expected_memos
    print(f"database: {args.db}; {args.coders} coder processes x {args.actions} actions")
    print(f"concurrent: {total:,} actions in {elapsed:.1f} s = {total / elapsed:,.0f} actions/s")
    print(
        f"baseline (one process alone): {args.actions:,} actions in {alone:.1f} s = "
        f"{args.actions / alone:,.0f} actions/s; concurrent / alone = "
        f"{(total / elapsed) / (args.actions / alone):.2f}x"
    )
    print(
        f"database equals the replay of every process's log: {ok} "
        f"({len(mine):,} codings, {len(memos_mine):,} memos)"
    )
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
