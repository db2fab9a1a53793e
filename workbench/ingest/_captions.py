"""WebVTT (Teams, Zoom) and SubRip caption files, read with webvtt-py."""

from __future__ import annotations

import html
import re
from typing import Literal

from workbench.errors import BadTimestamp, CorruptFile, ImportFailed
from workbench.ingest._labels import accepted_labels, split_prefix_label
from workbench.ingest._model import Turn

__all__ = ["read_captions"]

_BLOCKS = re.compile(r"\n(?:[ \t]*\n)+")
_TIMING = re.compile(r"^[ \t]*(\S*?)[ \t]*-->[ \t]*(\S*)", re.MULTILINE)
_VTT_TS = re.compile(r"(?:\d+:)?(\d{1,2}):(\d{1,2})\.\d{1,3}")
_SRT_TS = re.compile(r"\d+:(\d{1,2}):(\d{1,2})[,.]\d{1,3}")
# "[^<>]" (not ".") keeps these linear on lines full of unmatched "<".
_VOICE = re.compile(r"<v(?:\.[\w-]+)*[ \t]+([^<>\n]+?)[ \t]*>")
_TAGS = re.compile(r"<[^<>\n]*>|\{\\[^{}\n]*\}")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]*$")


def _check_timings(text: str, name: str, kind: Literal["vtt", "srt"]) -> None:
    """Raise :class:`BadTimestamp` naming the first cue whose timings cannot be read."""
    pattern = _VTT_TS if kind == "vtt" else _SRT_TS
    cue = 0
    for block in _BLOCKS.split(text):
        m = _TIMING.search(block)
        if m is None:
            continue
        cue += 1
        for value in m.groups():
            ts = pattern.fullmatch(value)
            if ts is None or int(ts.group(1)) > 59 or int(ts.group(2)) > 59:
                shown = value if value else "(missing)"
                raise BadTimestamp(f"{name}: cue {cue}: timestamp {shown!r} is not valid")


def _cue_text(lines: list[str]) -> tuple[str | None, str]:
    raw = " ".join(lines)
    voice = None
    if "<" in raw or "{" in raw:
        voice = _VOICE.search(raw)
        raw = _TAGS.sub("", raw)
    if "&" in raw:
        raw = html.unescape(raw)
    return (voice.group(1).strip() if voice else None), " ".join(raw.split())


def read_captions(text: str, name: str, kind: Literal["vtt", "srt"]) -> list[Turn]:
    """Read cues into turns.

    Speakers come from ``<v Name>`` voice tags (Teams) or a ``Name:`` prefix (Zoom).
    Consecutive cues of one speaker become one turn from the first cue's start to the last
    cue's end, and an unlabelled cue continues the speaker before it.  In a file without
    any speaker, cues are joined until a cue ends a sentence.
    """
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    text = text.lstrip()
    _check_timings(text, name, kind)
    try:
        captions = webvtt.WebVTT.from_buffer([text], format=kind).captions
    except MalformedFileError as exc:
        what = "a WebVTT file (no WEBVTT header)" if kind == "vtt" else "an SRT file"
        raise CorruptFile(f"{name}: not {what}") from exc
    except MalformedCaptionError as exc:
        raise BadTimestamp(f"{name}: {str(exc)[:120]}") from exc
    except (ValueError, IndexError, TypeError) as exc:
        raise ImportFailed(f"{name}: captions cannot be read ({str(exc)[:80]})") from exc

    cues: list[tuple[str | None, str, float, float]] = []
    for caption in captions:
        speaker, body = _cue_text(list(caption.lines))
        if not body:
            continue
        start = caption.start_time.in_milliseconds() / 1000
        end = caption.end_time.in_milliseconds() / 1000
        cues.append((speaker, body, start, end))

    if not any(speaker for speaker, *_ in cues):  # Zoom writes "Name: text" in the cue
        split = [split_prefix_label(body, f"{name}: cue") for _, body, _, _ in cues]
        accepted = accepted_labels([(label, False) for label, _, _ in split if label])
        cues = [
            (label, rest.strip(), start, end) if label in accepted else (None, body, start, end)
            for (label, rest, _), (_, body, start, end) in zip(split, cues, strict=True)
        ]

    turns: list[Turn] = []
    current: tuple[str | None, list[str], float, float] | None = None
    named = any(speaker for speaker, *_ in cues)
    for speaker, body, start, end in cues:
        if speaker is None and named and current is not None:
            speaker = current[0]  # an unlabelled cue continues the speaker before it
        if (
            current is not None
            and current[0] == speaker
            and (speaker is not None or not _SENTENCE_END.search(current[1][-1]))
        ):
            current[1].append(body)
            current = (speaker, current[1], current[2], end)
            continue
        if current is not None:
            turns.append(Turn(current[0], " ".join(current[1]), current[2], current[3]))
        current = (speaker, [body], start, end)
    if current is not None:
        turns.append(Turn(current[0], " ".join(current[1]), current[2], current[3]))
    return [t for t in turns if t.text]
