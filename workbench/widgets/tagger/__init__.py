"""The tagger: code a study segment by segment, from the keyboard.

:class:`CodingSession` is the state and the rules (pure Python, tested without a browser);
:class:`Tagger` shows it in JupyterLab (``tagger.js`` and ``tagger.css``).
"""

from __future__ import annotations

from workbench.widgets.tagger._session import CodingSession, Suggest
from workbench.widgets.tagger._widget import Tagger

__all__ = ["CodingSession", "Suggest", "Tagger"]
