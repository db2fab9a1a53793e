"""Join turns into the document text and cut segments (turns, paragraphs or sentences)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Literal

from workbench.ingest._model import Role, Segment, Turn

__all__ = ["Unit", "assemble"]

Unit = Literal["turn", "paragraph", "sentence"]

# Abbreviations Punkt should never end a sentence at (lower case, without the final period).
_ABBREVIATIONS = {
    "sv": [
        "t.ex",
        "bl.a",
        "m.m",
        "o.s.v",
        "osv",
        "d.v.s",
        "dvs",
        "s.k",
        "p.g.a",
        "pga",
        "t.o.m",
        "fr.o.m",
        "ca",
        "kl",
        "nr",
        "jfr",
        "resp",
        "e.d",
        "m.fl",
        "f.d",
        "dr",
        "prof",
        "tel",
        "kap",
        "sid",
        "ang",
        "ev",
        "tf",
        "obs",
        "ff",
        "fig",
        "st",
    ],
    "en": [
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "e.g",
        "i.e",
        "etc",
        "vs",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "approx",
        "dept",
        "fig",
        "st",
        "mt",
        "a.m",
        "p.m",
        "u.s",
        "u.k",
    ],
}
_TRAIN_CHARS = 300_000
_NLTK_LANGUAGE = {"sv": "swedish", "en": "english"}


@functools.lru_cache(maxsize=4)
def _pretrained(language: str):  # type: ignore[no-untyped-def]
    """nltk's own Punkt model when its data is installed, else None."""
    from nltk.tokenize.punkt import PunktTokenizer

    try:
        return PunktTokenizer(_NLTK_LANGUAGE.get(language, "english"))
    except (LookupError, OSError, ValueError):
        return None


def _sentence_tokenizer(train_text: str, language: str):  # type: ignore[no-untyped-def]
    """Punkt from nltk data when present, else trained on the document itself."""
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    tokenizer = _pretrained(language)
    if tokenizer is None:
        # Punkt learns abbreviations and sentence starters well from a few thousand
        # sentences; training on the whole of a long document only costs time.
        tokenizer = PunktSentenceTokenizer(train_text[:_TRAIN_CHARS])
    else:  # copy the parameters: we add abbreviations
        copy = PunktSentenceTokenizer()
        params = copy._params
        params.abbrev_types.update(tokenizer._params.abbrev_types)
        params.collocations.update(tokenizer._params.collocations)
        params.sent_starters.update(tokenizer._params.sent_starters)
        params.ortho_context.update(tokenizer._params.ortho_context)
        tokenizer = copy
    abbreviations = tokenizer._params.abbrev_types
    abbreviations.update(_ABBREVIATIONS["sv"])
    abbreviations.update(_ABBREVIATIONS["en"])
    return tokenizer


def _paragraphs(text: str, offset: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for piece in text.split("\n\n"):
        stripped = piece.strip()
        if stripped:
            start = pos + piece.index(stripped[0])
            spans.append((offset + start, offset + start + len(stripped)))
        pos += len(piece) + 2
    return spans


def assemble(
    turns: Sequence[Turn], roles: Sequence[Role], unit: Unit, language: str, preamble: int = 0
) -> tuple[str, list[Segment]]:
    """Return the document text and its segments.

    Each turn is one paragraph ``"Speaker: text"`` (or ``text``), paragraphs joined by a
    blank line.  Segment offsets cover the segment's text only, never the speaker label.
    The first ``preamble`` turns (a title or header before the first speaker) stay in the
    text but are not segments.
    """
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for turn in turns:
        prefix = f"{turn.speaker}: " if turn.speaker else ""
        start = pos + len(prefix)
        spans.append((start, start + len(turn.text)))
        pieces.append(prefix + turn.text)
        pos += len(prefix) + len(turn.text) + 2
    text = "\n\n".join(pieces)

    tokenizer = None
    if unit == "sentence":
        tokenizer = _sentence_tokenizer("\n\n".join(t.text for t in turns), language)
    segments: list[Segment] = []
    for turn, role, (start, end) in list(zip(turns, roles, spans, strict=True))[preamble:]:
        if unit == "turn":
            parts = [(start, end)]
        else:
            parts = _paragraphs(turn.text, start)
            if tokenizer is not None:
                parts = [
                    (a + s, a + e)
                    for a, b in parts
                    for s, e in tokenizer.span_tokenize(text[a:b])
                    if text[a + s : a + e].strip()
                ]
        for a, b in parts:
            segments.append(
                Segment(turn.speaker, role, text[a:b], a, b, turn.start_time, turn.end_time)
            )
    return text, segments
