"""What the workspace's widgets share within one kernel.

A researcher keeps one tagger open and reads, retrieves and browses memos around it; the other
views must act on *that* tagger, not make a second one under another coder.  So the last
:class:`~workbench.widgets.Tagger` made for a project is remembered here (weakly: a closed or
forgotten tagger is not kept alive) and :func:`tagger_for` hands it to a view that opens a
turn.  Memo browsers register too, so a memo written in the tagger shows in them at once, and
codebook editors, so a code made in the tagger shows in their tree at once.

The transcripts can be rewritten under an open widget (``workbench redact`` replaces names and
shifts offsets); the store counts those rewrites in ``meta["text_version"]``.  A widget reads
:func:`text_version` when it loads and :func:`check_text` before it writes: a changed version
means its texts, offsets and memos are stale, so it reloads and the write is refused with
:class:`TextChanged`.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.errors import ConcurrencyError
from workbench.i18n import STRINGS, text
from workbench.store import TEXT_VERSION

if TYPE_CHECKING:
    from workbench.project._project import Project

#: The catalogue's suffix of a string's singular form (``"docview_codings_all_one"``).
ONE = "_one"

_HERE = Path(__file__).parent

_taggers: dict[str, weakref.ref[Any]] = {}
_memo_listeners: dict[str, weakref.WeakSet[Any]] = {}
_codebook_listeners: dict[str, weakref.WeakSet[Any]] = {}


class TextChanged(ConcurrencyError):
    """The transcripts were rewritten (names redacted) since a widget read them; it has
    reloaded, and the write that found out was not made."""


def counted(key: str, n: int, lang: str, **values: object) -> str:
    """The string ``key`` for the count ``n``: its singular form (``key + "_one"``) when
    ``n`` is 1 and the catalogue has one ("1 kodning", not "1 kodningar")."""
    one = key + ONE
    return text(one if n == 1 and one in STRINGS["en"] else key, lang, n=n, **values)


def project_key(project: Project) -> str:
    """The project's identity within this kernel: its folder (two ``open`` calls on one
    folder are one project)."""
    return str(Path(project.path).resolve())


def esm(*names: str) -> str:
    """A widget's front-end module or stylesheet: the named files of this folder (shared
    helpers first, then the widget's own; ``"tagger/tagger.js"``), one after the other."""
    return "\n".join((_HERE / name).read_text(encoding="utf-8") for name in names)


def connect(session: Any, panel: Any, handle: Callable[[dict[str, Any]], None]) -> None:
    """Show ``session.state()`` on the anywidget ``panel`` now and after every change, and
    pass the panel's front-end messages (dicts) to ``handle``."""

    def sync(state: dict[str, Any]) -> None:
        with panel.hold_sync():
            for name, value in state.items():
                setattr(panel, name, value)

    def on_msg(_widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict):
            handle(content)

    sync(session.state())
    session.on_change = sync
    panel.on_msg(on_msg)


# -- the researcher's tagger ----------------------------------------------------------------------
def remember_tagger(project: Project, tagger: Any) -> None:
    """Make ``tagger`` the project's tagger in this kernel (the last one made wins)."""
    _taggers[project_key(project)] = weakref.ref(tagger)


def live_tagger(project: Project) -> Any | None:
    """The tagger last made for ``project`` in this kernel, if it is still open."""
    ref = _taggers.get(project_key(project))
    tagger = ref() if ref is not None else None
    if tagger is None or getattr(tagger, "comm", None) is None:  # closed: ``close()`` drops it
        return None
    return tagger


def default_coder(project: Project) -> str:
    """Who a view writes and codes as unless told: the coder of the researcher's open tagger
    in this kernel (the researcher codes as ``lena`` on a computer logged in as ``root``),
    else the project's coder."""
    found = live_tagger(project)
    coder = getattr(getattr(found, "session", None), "coder", "") if found is not None else ""
    return str(coder) if coder else project.coder


def tagger_for(project: Project, *, coder: str, lang: str, given: Any = None) -> tuple[Any, bool]:
    """The tagger a view opens a turn in, and whether it was made just now.

    ``given`` (the view's own, passed by the researcher) first, else the tagger the
    researcher has open for this project, else a new one with the view's coder and language
    (the view shows a new one itself; an existing one is wherever the researcher put it).
    """
    if given is not None:
        return given, False
    found = live_tagger(project)
    if found is not None:
        return found, False
    return project.tagger(coder=coder, lang=lang), True


def show_tagger(box: Any, tagger: Any, made: bool) -> None:
    """Bring the tagger a view opened a turn in (see :func:`tagger_for`) into sight: one made
    just now is shown in the view's ``box``; the researcher's own stays where it is and is
    scrolled to."""
    if made:
        box.children = [tagger]
    elif tagger not in box.children:
        box.children = []  # the researcher's tagger is shown where it is
        tagger.reveal()


# -- memo browsers ----------------------------------------------------------------------------
def listen_to_memos(project: Project, listener: Any) -> None:
    """Call ``listener.memos_changed()`` whenever a widget writes a memo of ``project``."""
    _memo_listeners.setdefault(project_key(project), weakref.WeakSet()).add(listener)


def memos_changed(project: Project, *, source: object = None) -> None:
    """Tell every memo browser of ``project`` (except ``source``) that a memo changed."""
    for listener in list(_memo_listeners.get(project_key(project), ())):
        if listener is not source:
            listener.memos_changed()


# -- codebook editors ---------------------------------------------------------------------------
def listen_to_codebook(project: Project, listener: Any) -> None:
    """Call ``listener.codebook_changed()`` whenever a widget (the tagger's *New code*, *In
    vivo*) makes a new codebook version of ``project``."""
    _codebook_listeners.setdefault(project_key(project), weakref.WeakSet()).add(listener)


def codebook_changed(project: Project, *, source: object = None) -> None:
    """Tell every codebook editor of ``project`` (except ``source``) that the codebook changed."""
    for listener in list(_codebook_listeners.get(project_key(project), ())):
        if listener is not source:
            listener.codebook_changed()


# -- rewritten transcripts -----------------------------------------------------------------------
def text_version(project: Project) -> str:
    """How many times the project's transcripts were rewritten after import (one cheap read)."""
    return project.store.get_meta(TEXT_VERSION) or "0"


class TextWatch:
    """The text version a view read its texts (quotes, turns, attribute values, memos) at.

    Every path that shows something again asks :meth:`changed` first (one cheap read): after
    a redaction the view must read its texts again, not show what it held.
    """

    def __init__(self, project: Project) -> None:
        self.project = project
        self.seen = text_version(project)

    def changed(self) -> bool:
        """Whether the transcripts were rewritten since the last look (then it is seen)."""
        now = text_version(self.project)
        if now == self.seen:
            return False
        self.seen = now
        return True


def check_text(project: Project, seen: str, reload: Callable[[], None], message: str) -> str:
    """Before a write: the text version, unchanged since ``seen``; else ``reload()`` runs and
    :class:`TextChanged` (saying ``message``) refuses the write."""
    now = text_version(project)
    if now != seen:
        reload()
        raise TextChanged(message)
    return now
