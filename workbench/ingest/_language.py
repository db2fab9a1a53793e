"""Swedish or English? A stop-word and å/ä/ö count, no model needed."""

from __future__ import annotations

import re

__all__ = ["detect_language"]

_SV = re.compile(
    r"\b(?:och|att|det|som|är|på|för|med|jag|inte|har|vi|till|av|om|så|men|var|kan|den|ett"
    r"|hon|han|mycket|också|när|eller|skulle|där|bara|från)\b",
    re.IGNORECASE,
)
_EN = re.compile(
    r"\b(?:the|and|to|of|that|is|it|you|for|was|with|we|have|not|but|they|this|on|are|be"
    r"|at|what|so|would|there|just|from|or|when|very|she|he)\b",
    re.IGNORECASE,
)
_SV_LETTERS = re.compile(r"[åäöÅÄÖ]")
_SAMPLE = 20_000


def detect_language(text: str) -> str:
    """Return ``"sv"`` or ``"en"`` for ``text`` (Swedish when undecided).

    Examples
    --------
    >>> detect_language("Jag tycker att det är bra."), detect_language("I think it is fine.")
    ('sv', 'en')
    """
    sample = text[:_SAMPLE]
    sv = len(_SV.findall(sample)) + 0.5 * len(_SV_LETTERS.findall(sample))
    en = len(_EN.findall(sample))
    return "en" if en > sv else "sv"
