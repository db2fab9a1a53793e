"""Capitalised words left in pseudonymised text that may be names nobody listed.

Pseudonymisation replaces the names it knows: speakers and the ``--names`` list.  A colleague,
a neighbour or an inspector mentioned in passing is replaced only when listed.  After an
import, these words are shown to the researcher to review (never stored in the database): a
run of two or more capitalised words anywhere ("Karin Lund"), or one capitalised word that does
not open a sentence ("we asked Karin") and is not written in lower case elsewhere in the same
text (so "Fee" in a heading is not reported when "fee" occurs too).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from workbench.ingest._pseudonym import PLACEHOLDER

# Capitalised words that are not names, in the interviews' two languages.
_NOT_NAMES = frozenset(
    """
    i i'm i've i'd i'll ok okay mr mrs ms dr sir madam
    monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    english swedish sweden swede swedes british european europe eu god internet christmas easter
    jul påsk midsommar
    """.split()
)
# Words that open sentences: dropped from the front of a run ("The Fee" is not a name).
_OPENERS = frozenset(
    """
    the a an and but so we he she they it its my our your their this that these those when
    then there here yes no well if what why how who och men så vi han hon de det den jag du
    när då där här ja nej nu om vad varför hur vem min vår er deras
    """.split()
)
_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?")
_OPENS_SENTENCE = frozenset('.!?:;…"“”«»()[]—–-•*#>')


@dataclass(frozen=True)
class LeftoverName:
    """A word (or run of words) that may be a name, and where it stands in the text."""

    text: str
    start: int
    end: int


def _capitalised(word: str) -> bool:
    """Initial capital, not an acronym ("Karin", "O'Brien"; not "EU", "SMS", "iPhone")."""
    return word[:1].isupper() and not word.isupper() and word.lower() not in _NOT_NAMES


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` is the first of a sentence, line or quotation."""
    before = text[:start].rstrip(" \t")
    return not before or before.endswith("\n") or before[-1] in _OPENS_SENTENCE


def leftover_names(text: str) -> Iterator[LeftoverName]:
    """Words in ``text`` that may be names the pseudonymiser did not know (see the module)."""
    masked = PLACEHOLDER.sub(lambda m: " " * len(m.group(0)), text)
    lower_words = {w.group(0) for w in _WORD.finditer(masked) if w.group(0).islower()}
    run: list[re.Match[str]] = []

    def finish() -> Iterator[LeftoverName]:
        if run and _opens_sentence(masked, run[0].start()):
            first = run[0].group(0).lower()
            if first in _OPENERS or first in lower_words:
                del run[0]
        if len(run) > 1 or (
            run
            and not _opens_sentence(masked, run[0].start())
            and run[0].group(0).lower() not in lower_words
        ):
            yield LeftoverName(text[run[0].start() : run[-1].end()], run[0].start(), run[-1].end())
        run.clear()

    for word in _WORD.finditer(masked):
        joined = run and masked[run[-1].end() : word.start()] == " "
        if not joined:
            yield from finish()
        if _capitalised(word.group(0)):
            run.append(word)
        else:
            yield from finish()
    yield from finish()
