"""Random coder sessions for the concurrency and crash tests and benchmark.

A coder process performs random actions (toggle a code, toggle a span, write a memo, undo)
through the project facade and logs each one's *effect* after the store returned.  Replaying
every process's log must give exactly the codings and memos in the database.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

Key = tuple[int, str, str, int, int]  # segment, code, coder, start, end


def run_coder(
    project_dir: str,
    coder: str,
    actions: int,
    seed: int,
    codes: list[str],
    segments: list[tuple[int, int, int]],
    log: Any = None,
) -> None:
    """Perform ``actions`` random actions as ``coder``; write one JSON line per effect to
    ``log`` (default stdout), flushed after the database committed it."""
    from workbench.project import open_project

    out = log or sys.stdout
    rng = random.Random(seed)
    project = open_project(project_dir, coder=coder)
    try:
        for i in range(actions):
            effect: dict[str, Any]
            kind = rng.choices(["toggle", "span", "memo", "undo"], weights=[5, 2, 1, 1])[0]
            seg, s0, e0 = rng.choice(segments)
            code = rng.choice(codes)
            if kind in ("toggle", "span"):
                s, e = s0, e0
                if kind == "span" and e0 - s0 > 2:
                    s = rng.randint(s0, e0 - 2)
                    e = rng.randint(s + 1, e0)
                if project.code(seg, code, start=s, end=e):
                    effect = {"op": "add", "key": [seg, code, coder, s, e]}
                else:
                    project.uncode(seg, code, start=s, end=e)
                    effect = {"op": "remove", "key": [seg, code, coder, s, e]}
            elif kind == "memo":
                text = f"memo {i} by {coder}"
                project.memo("segment", seg, text)
                effect = {"op": "memo", "target": str(seg), "coder": coder, "text": text}
            else:
                undone = project.undo()
                effect = {"op": "undo", "coder": coder, "undone": undone}
            out.write(json.dumps(effect) + "\n")
            out.flush()
    finally:
        project.close()


def replay(lines: Iterable[str]) -> tuple[set[Key], dict[tuple[str, str], str]]:
    """The codings and memos that a sequence of logged effects leaves behind."""
    codings: set[Key] = set()
    memos: dict[tuple[str, str], str] = {}
    for line in lines:
        if not line.strip():
            continue
        effect = json.loads(line)
        op = effect["op"]
        if op in ("add", "remove"):
            key = tuple(effect["key"])
            (codings.add if op == "add" else codings.discard)(key)  # type: ignore[arg-type]
        elif op == "memo":
            memos[(effect["target"], effect["coder"])] = effect["text"]
        elif op == "undo" and effect["undone"]:
            u = effect["undone"]
            if u["action"] == "memo.set":
                memos[(u["target"], effect["coder"])] = u["old"]
            else:
                key = (u["segment_id"], u["code_id"], u["coder"], u["start"], u["end"])
                if u["action"] == "coding.add":
                    codings.discard(key)
                else:
                    codings.add(key)
    return codings, {k: v for k, v in memos.items() if v}


def database_state(project_dir: str) -> tuple[set[Key], dict[tuple[str, str], str]]:
    """The codings and segment memos in the project, in :func:`replay`'s shape."""
    from workbench.project import open_project

    with open_project(project_dir, read_only=True) as project:
        frame = project.codings()
        memos = project.store.memos_frame()
    codings = {
        (int(r.segment), str(r.code), str(r.coder), int(r.start), int(r.end))
        for r in frame.itertuples()
    }
    return codings, {
        (str(r.target), str(r.coder)): str(r.text)
        for r in memos.itertuples()
        if r.kind == "segment"
    }


def main() -> None:
    """``python tests/_stress.py PROJECT CODER ACTIONS SEED SPEC.json``"""
    project_dir, coder, actions, seed, spec = sys.argv[1:6]
    data = json.loads(Path(spec).read_text())
    run_coder(
        project_dir,
        coder,
        int(actions),
        int(seed),
        data["codes"],
        [tuple(s) for s in data["segments"]],
    )


if __name__ == "__main__":
    main()
