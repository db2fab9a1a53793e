"""The tagger widget: the :class:`~workbench.widgets.tagger.CodingSession` in the browser.

The widget only syncs the session's state to the front end (``tagger.js``) and passes the
front end's messages (``{"type": "toggle", "code": ...}``) to :meth:`CodingSession.handle`.
The last tagger made for a project is the one the other views open turns in (see
:func:`workbench.widgets._shared.tagger_for`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import anywidget
import traitlets

from workbench.widgets._shared import connect, esm, remember_tagger
from workbench.widgets.tagger._session import LANGS, CodingSession, Suggest

if TYPE_CHECKING:
    from workbench.project._project import Project


class Tagger(anywidget.AnyWidget):  # type: ignore[misc]
    """Code a project's interviewee segments: codes by click or key, spans, memos, undo.

    The parameters are :class:`CodingSession`'s; ``tagger.session`` is the session.

    Examples
    --------
    >>> p = workbench.open("study/")              # doctest: +SKIP
    >>> p.tagger(coder="anna")                    # doctest: +SKIP
    """

    _esm = esm("common.js", "tagger/tagger.js")
    _css = esm("common.css", "tagger/tagger.css")

    coder = traitlets.Unicode("").tag(sync=True)
    lang = traitlets.Unicode("en").tag(sync=True)
    codebook = traitlets.Dict().tag(sync=True)
    keymap = traitlets.Dict().tag(sync=True)
    segment = traitlets.Dict().tag(sync=True)
    progress = traitlets.Dict().tag(sync=True)
    suggestions: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)
    status = traitlets.Dict().tag(sync=True)
    filters = traitlets.Dict().tag(sync=True)
    filter_options = traitlets.Dict().tag(sync=True)
    compare = traitlets.Bool(False).tag(sync=True)
    review = traitlets.Bool(False).tag(sync=True)
    strings = traitlets.Dict().tag(sync=True)
    hits = traitlets.Dict().tag(sync=True)
    study = traitlets.Unicode("").tag(sync=True)
    #: Counts the times a view asked to bring the tagger into sight (:meth:`reveal`).
    reveal_seq = traitlets.Int(0).tag(sync=True)

    def __init__(
        self,
        project: Project,
        *,
        coder: str | None = None,
        suggest: Suggest | None = None,
        lang: str | None = None,
        blind: bool = True,
        start: int | None = None,
    ) -> None:
        super().__init__()
        self.session = CodingSession(
            project, coder=coder, suggest=suggest, lang=lang, blind=blind, start=start
        )
        connect(self.session, self, self.handle)
        remember_tagger(project, self)

    def reveal(self) -> None:
        """Scroll the tagger into sight in the browser (a view opened a turn in it)."""
        self.reveal_seq += 1

    @traitlets.validate("lang")
    def _valid_lang(self, proposal: Any) -> str:
        if proposal["value"] not in LANGS:
            raise traitlets.TraitError(f"lang must be 'sv' or 'en', not {proposal['value']!r}")
        return str(proposal["value"])

    def handle(self, message: dict[str, Any]) -> None:
        """Act on one front-end message (see :meth:`CodingSession.handle`)."""
        self.session.handle(message)

    @property
    def segment_id(self) -> int | None:
        """The id of the segment on screen (None when the list is empty)."""
        return self.session.segment_id

    @property
    def segment_ids(self) -> list[int]:
        """The ordered ids the tagger moves through (after filters)."""
        return self.session.segment_ids
