"""Code suggestions: a scikit-learn estimator that learns from codings and suggests codes.

Pure (scikit-learn, numpy, nltk): no SQL and no widgets.  The store feeds it texts and
codings; the tagger shows its :class:`Suggestion` objects.

>>> from workbench.suggest import CodeSuggester
>>> s = CodeSuggester(language="en", inner_cv=2).fit(
...     ["long queue", "queue again", "rude staff", "staff was rude"],
...     [["wait"], ["wait"], ["staff"], ["staff"]])
>>> [x.code for x in s.suggest("a queue", k=2)]
['wait', 'staff']
"""

from __future__ import annotations

from ._evaluate import cross_validate, evaluate, learning_curve, read_coded_csv, report, scores
from ._model import NOT_ENOUGH_DATA, OK, PRIOR_ONLY, CodeSuggester, Suggestion
from ._prior import codebook_hash
from ._text import detect_language, tokenize

__all__ = [
    "NOT_ENOUGH_DATA",
    "OK",
    "PRIOR_ONLY",
    "CodeSuggester",
    "Suggestion",
    "codebook_hash",
    "cross_validate",
    "detect_language",
    "evaluate",
    "learning_curve",
    "read_coded_csv",
    "report",
    "scores",
    "tokenize",
]
