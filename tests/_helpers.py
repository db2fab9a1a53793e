"""Small hand-built studies shared by the test areas (``from _helpers import ...``)."""

from __future__ import annotations

import argparse
import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

import workbench
from workbench.ingest._model import Segment, Transcript
from workbench.project._project import Project

ROOT = Path(__file__).resolve().parents[1]
# Three texts per code, worded so that a suggester learns them from two coded examples.
SUGGEST_TEXTS = {
    "fq-accessibility": [
        "I called three times and nobody answered the phone.",
        "Nobody picks up the phone, you wait in the queue for ages.",
        "The phone line is only open one hour a day, impossible to reach them.",
    ],
    "bp-information-gaps": [
        "I had no idea how the fee was calculated.",
        "We did not know how to appeal the decision.",
        "Nobody told us which rules apply to a food truck.",
    ],
}


# A Swedish interview whose text names people the pseudonymiser does not catch (redaction).
NAMED_STORY = (
    "Intervjuare: Hej, berätta om kontrollen.\n\n"
    "Anna Berg: Inspektören Göran Ahlström kom i tisdags. Göran var trevlig men "
    "avgiften förstod jag inte.\n\n"
    "Intervjuare: Vem ringde du?\n\n"
    "Anna Berg: Jag ringde Göran två gånger, sen Maja.\n"
)


def named_project(folder: Path, *, coder: str, db: str | None = None) -> tuple[Project, Any]:
    """``NAMED_STORY`` imported pseudonymised into a new project in ``folder / "study"`` (the
    file in ``folder / "in"``): the project and the import's report."""
    (folder / "in").mkdir()
    (folder / "in" / "intervju.txt").write_text(NAMED_STORY, encoding="utf-8")
    project = workbench.init(folder / "study", db=db)
    project.coder = coder
    report = project.import_files([folder / "in" / "intervju.txt"], pseudonymise=True)
    return project, report


def run_suggest(argv: list[str]) -> int:
    """Run ``workbench suggest`` with ``argv`` (its subcommand first); its exit code."""
    from workbench.cli import _suggest as _cli_suggest

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    _cli_suggest.register(sub)
    args = parser.parse_args(argv)
    return int(args.func(args))


def pg_url() -> str | None:
    """The test server's URL, or None (a failure when ``WORKBENCH_REQUIRE_PG`` is set)."""
    url = os.environ.get("WORKBENCH_TEST_PG")
    if not url and os.environ.get("WORKBENCH_REQUIRE_PG"):
        pytest.fail("WORKBENCH_REQUIRE_PG is set but WORKBENCH_TEST_PG is not")
    return url


def numbered(label: str, known: set[str]) -> str:
    """Pseudonyms ``P01``, ``P02``, ... in the order participants first appear."""
    return f"P{len(known) + 1:02d}"


def transcript(
    name: str,
    turns: Sequence[tuple[str, str, str]],
    *,
    language: str,
    participant: str | None = None,
    checksum: str | None = None,
    attributes: dict[str, str] | None = None,
    times: Callable[[int], tuple[float, float]] | None = None,
) -> Transcript:
    """A transcript of ``(speaker, role, words)`` turns joined as ``Speaker: words`` paragraphs.

    ``checksum`` defaults to the text's SHA-256; ``times(i)`` gives turn ``i``'s start and end
    in seconds (none without it).
    """
    parts: list[str] = []
    segments: list[Segment] = []
    offset = 0
    for i, (who, role, words) in enumerate(turns):
        start = offset + len(who) + 2
        clock = times(i) if times else (None, None)
        segments.append(Segment(who, role, words, start, start + len(words), *clock))  # type: ignore[arg-type]
        parts.append(f"{who}: {words}")
        offset = start + len(words) + 2
    text = "\n\n".join(parts)
    return Transcript(
        name=name,
        format="txt",
        checksum=hashlib.sha256(text.encode()).hexdigest() if checksum is None else checksum,
        text=text,
        segments=segments,
        language=language,
        participant=participant,
        attributes=attributes or {},
    )


def import_interview(
    project: Project,
    texts: Sequence[str],
    *,
    speakers: Sequence[str] | None = None,
    checksum: str = "x",
    language: str = "en",
    participant: str = "P01",
    user: str = "t",
    **kwargs: Any,
) -> list[int]:
    """Import ``a.txt``: one interviewee turn per text (speaker ``P01`` unless ``speakers``).

    The participant is pseudonymised as ``P01``; ``kwargs`` go to ``import_transcripts``.
    Returns the segment ids in text order.
    """
    who = speakers or [participant] * len(texts)
    turns = [(s, "interviewee", t) for s, t in zip(who, texts, strict=True)]
    doc = transcript("a.txt", turns, language=language, participant=participant, checksum=checksum)
    project.store.import_transcripts(
        [doc], user=user, participant_pseudonym=lambda label, known: "P01", **kwargs
    )
    return [int(s) for s in project.segments()["segment"]]


def suggest_project(folder: Path) -> Project:
    """``SUGGEST_TEXTS`` and one uncodable text; anna coded the first two texts of each code."""
    project = workbench.init(folder)
    texts = [t for group in SUGGEST_TEXTS.values() for t in group] + ["We open at seven every day."]
    ids = import_interview(project, texts)
    for code, group in SUGGEST_TEXTS.items():
        for text in group[:2]:
            project.code(ids[texts.index(text)], code, coder="anna")
    return project


def node_module(widget: Any, folder: Path) -> str:
    """``widget``'s front-end module as the browser gets it (the shared helpers, then its own
    script) written to ``folder``: its URI, for Node to ``import`` its exported functions."""
    path = folder / f"{widget.__name__}.mjs"
    path.write_text(str(widget._esm), encoding="utf-8")
    return path.as_uri()
