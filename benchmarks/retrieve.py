"""Benchmark: retrieval on a study with 100,000 codings (SQLite, the built-in codebook).

    .venv/bin/python benchmarks/retrieve.py                     # 100,000 codings
    .venv/bin/python benchmarks/retrieve.py --codings 20000     # quicker

Generates a project (two coders; about 4.5 codings per segment: one or two topics and a
valence; 100 segments per interview, each interview with user type, role and district) through
``Store.import_transcripts`` and ``Store.bulk_add_codings``, then measures in one process, warm,
the median of ``--repeats`` runs of:

* ``p.query(code)`` for one code, for an ``and`` expression, and for one code with an attribute
  filter (full quotes, labels and 80 characters of context), each beside its baseline: the
  same rows taken from ``p.codings()`` with pandas (participants merged for the attribute, the
  segments with both codes found with a groupby), with the ratio query / baseline and a check
  that both find the same codings;
* ``p.matrix(columns="user_type")`` and ``p.cooccurrence()``;
* ``p.search(word)`` over every interviewee segment, and a regex.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

import workbench
from workbench.codebook import builtin_codebook
from workbench.ingest._model import Segment, Transcript

WORDS = (
    "vi brukar öppna klockan sju och leveransen kommer från grossisten men inspektören ringde "
    "innan besöket och avgiften var högre än jag trodde kontrollerna tar tid varje vecka "
    "personalen byts ofta så vi måste lära upp nya hela tiden det är svårt att veta vilka "
    "regler som gäller telefonen är upptagen e-posten besvaras efter en månad"
).split()
TOPICS = [
    "bp-needs",
    "bp-expectations",
    "bp-information-gaps",
    "bp-information-sources",
    "pq-technical",
    "fq-attitudes",
    "fq-behaviour",
    "fq-accessibility",
    "fq-punctuality",
    "fq-communication",
    "fq-trust",
    "pq-image",
    "ep-what",
    "ep-how",
]
ROLES = ["owner", "staff", "manager", "inspector", "administrator"]
DISTRICTS = ["Centrum", "Hamnen", "Västerby", "Norra Åsby", "Landsbygd"]


def build(folder: Path, codings: int, seed: int = 7) -> Path:
    """A study with ``codings`` codings by anna and erik (about five on each segment)."""
    rng = random.Random(seed)
    project = workbench.init(folder, codebook=builtin_codebook())
    wanted = max(codings * 2 // 9, 20)  # a few segments too many; the codings are cut at the end
    per_doc = 100
    transcripts, attributes = [], []
    for d in range(max(wanted // per_doc, 2)):
        who = f"Person {d}"
        parts: list[str] = []
        segments: list[Segment] = []
        offset = 0
        for _ in range(per_doc):
            text = " ".join(rng.choices(WORDS, k=rng.randint(12, 50))).capitalize() + "."
            start = offset + len(who) + 2
            segments.append(Segment(who, "interviewee", text, start, start + len(text)))
            parts.append(f"{who}: {text}")
            offset = start + len(text) + 2
        name = f"intervju-{d:04d}.txt"
        transcripts.append(
            Transcript(name, "txt", f"b{d}", "\n\n".join(parts), segments, "sv", participant=who)
        )
        role = rng.choice(ROLES)
        external = role not in ("inspector", "administrator")
        attributes.append(
            (
                d + 2,
                name,
                {
                    "role": role,
                    "user_type": "external" if external else "internal",
                    "district": rng.choice(DISTRICTS),
                },
            )
        )
    project.store.import_transcripts(
        transcripts,
        user="bench",
        participant_pseudonym=lambda label, known: f"P{len(known) + 1:03d}",
        attributes=attributes,
    )
    rows: list[dict[str, Any]] = []
    frame = project.segments(role="interviewee")
    for sid, start, end in zip(frame["segment"], frame["start"], frame["end"], strict=True):
        codes = {
            rng.choice(TOPICS),
            rng.choice(TOPICS),
            rng.choice(["val-positive", "val-negative"]),
        }
        for coder in ("anna", "erik"):
            for code in sorted(codes):
                if coder == "erik" and rng.random() < 0.3:
                    continue
                rows.append(
                    {
                        "segment_id": int(sid),
                        "code_id": code,
                        "coder": coder,
                        "start": int(start),
                        "end": int(end),
                        "origin": "human",
                    }
                )
    project.store.bulk_add_codings(rows[:codings], user="bench")
    project.close()
    return folder


def timed(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """The median seconds of ``repeats`` runs (after one warm-up) and the last result."""
    result = fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:9.1f} ms"


def keys(frame: pd.DataFrame) -> set[tuple[int, str, str, int, int]]:
    return {
        (int(s), c, k, int(a), int(b))
        for s, c, k, a, b in zip(
            frame["segment"],
            frame["code"],
            frame["coder"],
            frame["start"],
            frame["end"],
            strict=True,
        )
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codings", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=None, help="reuse or keep the project here")
    args = parser.parse_args()

    folder = args.dir or Path(tempfile.mkdtemp()) / "retrieve-study"
    if not (folder / "project.json").exists():
        start = time.perf_counter()
        build(folder, args.codings)
        print(f"built the study in {time.perf_counter() - start:.1f} s")
    project = workbench.open(folder, read_only=True)
    total = len(project.codings())
    segments = len(project.segments(role="interviewee"))
    print(
        f"{total:,} codings on {segments:,} segments, {len(project.documents):,} documents, "
        f"median of {args.repeats} warm runs\n"
    )

    def baseline_one() -> pd.DataFrame:
        codings = project.codings()
        return codings[codings["code"] == "bp-needs"]

    def baseline_and() -> pd.DataFrame:
        codings = project.codings()
        has = (
            codings.assign(a=codings["code"] == "bp-needs", b=codings["code"] == "val-negative")
            .groupby("segment")[["a", "b"]]
            .transform("any")
        )
        return codings[has["a"] & has["b"] & codings["code"].isin(["bp-needs", "val-negative"])]

    def baseline_attribute() -> pd.DataFrame:
        codings = project.codings().merge(
            project.participants[["participant", "user_type"]], on="participant"
        )
        return codings[(codings["code"] == "bp-needs") & (codings["user_type"] == "internal")]

    cases = [
        ("one code", lambda: project.query("bp-needs"), baseline_one),
        (
            "and",
            lambda: project.query("bp-needs and val-negative"),
            baseline_and,
        ),
        (
            "attribute",
            lambda: project.query("bp-needs", user_type="internal"),
            baseline_attribute,
        ),
    ]
    print(f"{'query':<34}{'p.query':>12}{'p.codings()+pandas':>21}{'ratio':>8}   rows")
    for name, query, baseline in cases:
        took, found = timed(query, args.repeats)
        base, expected = timed(baseline, args.repeats)
        same = keys(found) == keys(expected)
        print(
            f"{name:<34}{ms(took):>12}{ms(base):>21}{took / base:>8.2f}   "
            f"{len(found):,} (same codings as the baseline: {same})"
        )
        if not same:
            raise SystemExit(f"{name}: the query and the baseline disagree")

    print()
    for name, run in (
        ("matrix(columns='user_type')", lambda: project.matrix(columns="user_type")),
        ("cooccurrence()", lambda: project.cooccurrence()),
        ("search('telefonen')", lambda: project.search("telefonen")),
        ("search(r'regl\\w*', regex=True)", lambda: project.search(r"regl\w*", regex=True)),
    ):
        took, result = timed(run, args.repeats)
        print(f"{name:<34}{ms(took):>12}   {len(result):,} rows")
    project.close()


if __name__ == "__main__":
    main()
