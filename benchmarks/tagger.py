"""Benchmark: the tagger on a project of 100,000 segments and 60 codes (SQLite).

Run: ``.venv/bin/python benchmarks/tagger.py [--segments N] [--steps K] [--precoded F]
[--dir PATH]``.

Generates a project (250 documents; every fourth turn is the interviewer's, so three quarters
of the segments are codable; a 60-code codebook of 10 groups with 5 codes each, 50 shortcuts;
the coder has already coded the first half, so "open" finds the first uncoded segment in the
middle) through ``Store.import_transcripts``, ``Store.save_codebook`` and
``Store.bulk_add_codings``, then measures on the Python side, without a browser:

* constructing the widget (``Tagger(project)``), cold and warm;
* p50/p95 of moving to the next segment, of toggling a code (whole segment and a span,
  each committed and audited) and of "next uncoded";
* the size of the segment payload sent to the browser;
* peak Python memory (tracemalloc) and the process's maximum resident set size;

and, as the baseline in the same run, loading every segment with ``p.segments()`` (a plain
pandas frame), with ratios.  Aim: open <= 2 s, next/toggle <= 50 ms at p95.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import workbench
from workbench.codebook import Code, Codebook
from workbench.ingest._model import Segment, Transcript
from workbench.store import Store, sqlite_engine
from workbench.widgets import Tagger

WORDS = [
    "vi",
    "behöver",
    "veta",
    "när",
    "bussen",
    "går",
    "och",
    "appen",
    "säger",
    "aldrig",
    "varför",
    "personalen",
    "är",
    "snäll",
    "men",
    "informationen",
    "kommer",
    "för",
    "sent",
    "the",
    "staff",
    "never",
    "told",
    "us",
    "what",
    "happens",
    "next",
    "kaffe",
    "väntetid",
    "kvalitet",
    "förtroende",
    "tillit",
    "behov",
    "förväntan",
]


def codebook() -> Codebook:
    """Ten groups of five codes: 60 codes, 50 codable with shortcuts."""
    keys = [*"abcdefghijklmnopqrstuvwxyz0123456789", *(f"shift+{c}" for c in "abcdefghijklmn")]
    codes: list[Code] = []
    for g in range(10):
        codes.append(
            Code(id=f"g{g}", label={"en": f"Group {g}", "sv": f"Grupp {g}"}, codable=False)
        )
        for c in range(5):
            n = g * 5 + c
            codes.append(
                Code(
                    id=f"c{n:02d}",
                    label={"en": f"Code {n}", "sv": f"Kod {n}"},
                    parent=f"g{g}",
                    definition={"en": f"Definition of code {n}."},
                    color=f"#{(n * 2654435761) % 0xFFFFFF:06x}",
                    shortcut=keys[n],
                )
            )
    return Codebook(id="bench", title={"en": "Bench"}, codes=tuple(codes))


def transcripts(n_segments: int, n_docs: int, seed: int = 0) -> Iterator[Transcript]:
    rng = random.Random(seed)
    per_doc = n_segments // n_docs
    for d in range(n_docs):
        parts: list[str] = []
        segments: list[Segment] = []
        offset = 0
        who = f"Person{d}"
        for i in range(per_doc):
            role = "interviewer" if i % 4 == 0 else "interviewee"
            speaker = "Interviewer" if role == "interviewer" else who
            words = " ".join(rng.choices(WORDS, k=rng.randint(8, 60)))
            start = offset + len(speaker) + 2
            segments.append(
                Segment(speaker, role, words, start, start + len(words), 20.0 * i, 20.0 * i + 18)
            )
            parts.append(f"{speaker}: {words}")
            offset = start + len(words) + 2
        text = "\n\n".join(parts)
        yield Transcript(
            name=f"interview-{d:04d}.txt",
            format="txt",
            checksum=hashlib.sha256(text.encode()).hexdigest(),
            text=text,
            segments=segments,
            language="sv",
            participant=who,
            attributes={"district": f"d{d % 7}"},
        )


def build(folder: Path, n_segments: int, precoded: float) -> Path:
    book = codebook()
    project = workbench.init(folder, codebook=book)
    project.close()
    store = Store(sqlite_engine(folder / "project.sqlite"))
    store.import_transcripts(
        transcripts(n_segments, max(1, n_segments // 400)),
        user="bench",
        participant_pseudonym=lambda label, known: f"P{len(known) + 1:03d}",
    )
    # The coder has already coded the first ``precoded`` share of the codable segments.
    frame = store.segments_frame(role="interviewee")
    done = frame.iloc[: int(len(frame) * precoded)]
    codes = [c.id for c in book.codes if c.codable]
    store.bulk_add_codings(
        [
            {
                "segment_id": int(r.segment),
                "code_id": codes[i % len(codes)],
                "coder": "bench",
                "start": int(r.start),
                "end": int(r.end),
                "origin": "human",
            }
            for i, r in enumerate(done.itertuples(index=False))
        ],
        user="bench",
    )
    store.close()
    return folder


def timed(fn: Callable[[], object], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument(
        "--precoded", type=float, default=0.5, help="share of segments the coder already coded"
    )
    parser.add_argument("--dir", type=Path, default=None, help="reuse or keep the project here")
    args = parser.parse_args()

    folder = args.dir or Path(tempfile.mkdtemp()) / "bench-study"
    if not (folder / "project.json").exists():
        t = time.perf_counter()
        build(folder, args.segments, args.precoded)
        print(
            f"built {args.segments:,} segments, 60 codes, {args.precoded:.0%} of the codable "
            f"ones already coded, in {time.perf_counter() - t:.1f} s"
        )
    project = workbench.open(folder, coder="bench")
    print(f"project: {folder}")

    t = time.perf_counter()
    tagger = Tagger(project, coder="bench")
    open_cold = time.perf_counter() - t
    open_warm = min(timed(lambda: Tagger(project, coder="bench"), 3))
    codable = len(tagger.segment_ids)

    # Timings first, without tracemalloc (it slows Python down several times).
    nexts = timed(tagger.session.next, args.steps)
    rng = random.Random(1)
    codes = [c["id"] for c in tagger.codebook["codes"] if c["codable"]]

    def toggle_whole() -> None:
        tagger.session.toggle(rng.choice(codes))

    def toggle_span() -> None:
        length = len(tagger.segment["text"])
        start = rng.randrange(0, max(1, length - 10))
        tagger.session.toggle(rng.choice(codes), start, min(length, start + 8))

    toggles = []
    for i in range(args.steps):
        t = time.perf_counter()
        (toggle_whole if i % 2 else toggle_span)()
        toggles.append(time.perf_counter() - t)
        if i % 3 == 2:
            tagger.session.next()
    tagger.session.go(0)
    uncoded = timed(tagger.session.next_uncoded, 50)
    undo = timed(tagger.session.undo, 50)
    payload = len(json.dumps(tagger.segment, ensure_ascii=False).encode())

    t = time.perf_counter()
    frame = project.segments()
    baseline = time.perf_counter() - t
    rows = len(frame)
    del frame

    # Memory: a second tagger opened and driven for 50 steps, against the baseline load.
    tracemalloc.start()
    second = Tagger(project, coder="bench")
    open_peak = tracemalloc.get_traced_memory()[1]
    for _ in range(25):
        second.session.next()
        second.session.toggle(rng.choice(codes))
    ops_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    tracemalloc.start()
    frame = project.segments()
    base_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    del frame
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"segments {rows:,} (codable {codable:,}), codes {len(tagger.codebook['codes'])}")
    print(f"open tagger (cold)          {ms(open_cold)}   aim <= 2000 ms")
    print(f"open tagger (warm, best/3)  {ms(open_warm)}")
    print(f"next segment   p50 {ms(statistics.median(nexts))}  p95 {ms(pct(nexts, 0.95))}")
    print(f"toggle code    p50 {ms(statistics.median(toggles))}  p95 {ms(pct(toggles, 0.95))}")
    print(f"next uncoded   p50 {ms(statistics.median(uncoded))}  p95 {ms(pct(uncoded, 0.95))}")
    print(f"undo           p50 {ms(statistics.median(undo))}  p95 {ms(pct(undo, 0.95))}")
    print(f"segment payload sent to the browser: {payload:,} bytes")
    print(
        f"peak traced memory: open {open_peak / 2**20:.1f} MiB, open + 50 steps "
        f"{ops_peak / 2**20:.1f} MiB; max RSS {maxrss:.0f} MiB"
    )
    print(
        f"baseline p.segments() of all {rows:,}: {ms(baseline)}, peak {base_peak / 2**20:.1f} MiB"
    )
    print(
        f"ratios: open/baseline {open_cold / baseline:.2f}, "
        f"open memory/baseline memory {open_peak / base_peak:.2f}, "
        f"next p95/baseline {pct(nexts, 0.95) / baseline:.4f}"
    )
    project.close()


if __name__ == "__main__":
    main()
