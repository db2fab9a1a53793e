"""Code suggestions: a scikit-learn estimator that learns from codings and suggests codes,
and prevalence estimates (how common each code is across a corpus) that correct its errors.

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

from ._evaluate import (
    cross_validate,
    evaluate,
    learning_curve,
    out_of_fold,
    read_coded_csv,
    report,
    scores,
)
from ._model import NOT_ENOUGH_DATA, OK, PRIOR_ONLY, CodeSuggester, Suggestion
from ._prevalence import (
    DEFAULT_METHOD,
    DEFAULT_POPULATION,
    Calibration,
    Method,
    Population,
    Prevalence,
    estimate_prevalence,
    quantify,
    sample_precision,
    validation_sample,
    wilson_interval,
)
from ._prior import codebook_hash
from ._text import tokenize

__all__ = [
    "DEFAULT_METHOD",
    "DEFAULT_POPULATION",
    "NOT_ENOUGH_DATA",
    "OK",
    "PRIOR_ONLY",
    "Calibration",
    "CodeSuggester",
    "Method",
    "Population",
    "Prevalence",
    "Suggestion",
    "codebook_hash",
    "cross_validate",
    "estimate_prevalence",
    "evaluate",
    "learning_curve",
    "out_of_fold",
    "quantify",
    "read_coded_csv",
    "report",
    "sample_precision",
    "scores",
    "tokenize",
    "validation_sample",
    "wilson_interval",
]
