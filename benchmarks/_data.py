"""Data the benchmarks measure on: the public SemEval-2014 file when it is here, and for smoke
runs a small real data set that ships with the workbench (the demo survey's coded answers)."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from workbench.resources import DEMO, resource_path

ROOT = Path(__file__).resolve().parents[1]
_SEMEVAL = Path("benchmarks") / "semeval2014-restaurants" / "train.csv"


def semeval() -> Path | None:
    """SemEval-2014 restaurants ``train.csv`` in ``../shared`` beside the repository, if present."""
    for base in (ROOT.parent / "shared", Path("/work/shared")):
        if (base / _SEMEVAL).is_file():
            return base / _SEMEVAL
    return None


def demo_coded(out: Path) -> Path:
    """Write the demo survey's answers that anna coded as a ``text,codes`` CSV (codes joined by
    ``;``; an answer she left uncoded has none) and return its path."""
    demo = resource_path(*DEMO)
    with (demo / "survey.csv").open(encoding="utf-8", newline="") as f:
        answers = {row_number: row["answer"] for row_number, row in enumerate(csv.DictReader(f), 2)}
    codes: dict[int, set[str]] = defaultdict(set)
    with (demo / "codings" / "survey-anna.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            codes[int(row["document"].rsplit("#", 1)[1])].add(row["code"])
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["text", "codes"])
        for number in sorted(codes):
            if answers.get(number, "").strip():
                writer.writerow([answers[number], ";".join(sorted(codes[number]))])
    return out
