"""Ingest benchmark: generate a corpus of transcripts and import it into a SQLite project.

    .venv/bin/python benchmarks/ingest.py                 # 1,000 files, about 8 million words
    .venv/bin/python benchmarks/ingest.py --files 100     # quicker

Prints words and segments per second, peak memory (RSS) at a quarter of the files and at all
of them (flat memory means the two are close), and a plain baseline in the same process:
reading the same files as bytes and inserting each whole text into one SQLite table.
"""

from __future__ import annotations

import argparse
import random
import resource
import sqlite3
import tempfile
import time
from pathlib import Path

import psutil
from docx import Document

import workbench

WORDS_SV = (
    "vi brukar öppna klockan sju och då kommer leveransen från grossisten inspektören ringde "
    "innan besöket men avgiften var högre än jag trodde egenkontrollen tar tid varje vecka "
    "personalen byts ofta så vi måste utbilda nya hela tiden det är svårt att veta vad som gäller"
).split()
WORDS_EN = (
    "we usually open at seven and the delivery comes from the wholesaler the inspector called "
    "before the visit but the fee was higher than I expected the checks take time every week "
    "staff change often so we have to train new people all the time it is hard to know the rules"
).split()


def _turns(rng: random.Random, words: list[str], target: int) -> list[tuple[str, str]]:
    turns = []
    total = 0
    while total < target:
        who = "Intervjuare" if len(turns) % 2 == 0 else "Sofia"
        n = rng.randint(8, 30) if who == "Intervjuare" else rng.randint(40, 160)
        text = " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."
        if who == "Intervjuare":
            text = text[:-1] + "?"
        turns.append((who, text))
        total += n
    return turns


def _stamp(seconds: float, sep: str = ".") -> str:
    h, rem = divmod(int(seconds), 3600)
    m, s = divmod(rem, 60)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{int(seconds % 1 * 1000):03d}"


def generate(folder: Path, files: int, words_per_file: int, seed: int = 0) -> list[Path]:
    """Write ``files`` transcripts in .txt, .vtt, .srt and .docx (one in twenty is Word)."""
    rng = random.Random(seed)
    paths = []
    for i in range(files):
        words = WORDS_SV if i % 2 else WORDS_EN
        turns = _turns(rng, words, words_per_file)
        kind = "docx" if i % 20 == 0 else ("txt", "vtt", "srt")[i % 3]
        path = folder / f"interview-{i:04d}.{kind}"
        if kind == "txt":
            lines = [f"[{_stamp(t * 20)[:8]}] {who}: {text}" for t, (who, text) in enumerate(turns)]
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        elif kind == "vtt":
            cues = [
                f"{_stamp(t * 20)} --> {_stamp(t * 20 + 19)}\n<v {who}>{text}</v>\n"
                for t, (who, text) in enumerate(turns)
            ]
            path.write_text("WEBVTT\n\n" + "\n".join(cues), encoding="utf-8")
        elif kind == "srt":
            cues = [
                f"{t + 1}\n{_stamp(t * 20, ',')} --> {_stamp(t * 20 + 19, ',')}\n{who}: {text}\n"
                for t, (who, text) in enumerate(turns)
            ]
            path.write_text("\n".join(cues), encoding="utf-8")
        else:
            doc = Document()
            for who, text in turns:
                para = doc.add_paragraph()
                para.add_run(who).bold = True
                para.add_run(f": {text}")
            doc.save(str(path))
        paths.append(path)
    return paths


def baseline(paths: list[Path], db: Path) -> float:
    """Seconds to read every file as bytes and insert it whole into one SQLite table."""
    start = time.perf_counter()
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE raw (name TEXT, body BLOB)")
    with conn:
        conn.executemany("INSERT INTO raw VALUES (?, ?)", ((p.name, p.read_bytes()) for p in paths))
    conn.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--words", type=int, default=8000, help="words per file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        corpus = root / "corpus"
        corpus.mkdir()
        t0 = time.perf_counter()
        paths = generate(corpus, args.files, args.words)
        print(f"generated {len(paths)} files in {time.perf_counter() - t0:.1f} s")
        base = baseline(paths, root / "baseline.sqlite")

        project = workbench.init(root / "study")
        process = psutil.Process()
        quarter = max(1, len(paths) // 4)
        start = time.perf_counter()
        first = project.import_files(paths[:quarter], progress=False)
        rss_quarter = process.memory_info().rss
        rest = project.import_files(paths[quarter:], progress=False)
        elapsed = time.perf_counter() - start
        rss_all = process.memory_info().rss
        words = first.words + rest.words
        segments = first.segments + rest.segments
        project.close()
        size = (root / "study" / "project.sqlite").stat().st_size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"imported {len(paths)} files: {words:,} words, {segments:,} segments in {elapsed:.1f} s")
    print(f"words per second:    {words / elapsed:,.0f}")
    print(f"segments per second: {segments / elapsed:,.0f}")
    print(
        f"memory (RSS) after {quarter} files: {rss_quarter / 2**20:.0f} MiB; after all "
        f"{len(paths)}: {rss_all / 2**20:.0f} MiB; peak {peak:.0f} MiB"
    )
    print(f"database size: {size / 2**20:.0f} MiB")
    print(
        f"baseline (read bytes + one INSERT per file): {base:.1f} s; "
        f"import / baseline = {elapsed / base:.1f}x"
    )


if __name__ == "__main__":
    main()
