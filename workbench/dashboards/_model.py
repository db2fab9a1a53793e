"""What a dashboard shows, computed from a project without drawing: filters in, views out.

The project is read once per coder layer; a language switch only relabels codes, and the
views of each filter state are cached, so going back to an earlier state costs nothing and a
change only recomputes the views of the new state.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pandas as pd

from workbench import analysis as a
from workbench.dashboards._figures import NEGATIVE, POSITIVE

if TYPE_CHECKING:
    from workbench.codebook import Codebook
    from workbench.project._project import Project

#: Attributes offered as the "user group" and "user type" filters, when the study has them.
GROUP_ATTRIBUTE = "role"
TYPE_ATTRIBUTE = "user_type"


@dataclass(frozen=True)
class Filters:
    """One filter state.  Empty strings mean "all"."""

    lang: str = "en"
    layer: str = "all"
    group: str = ""
    user_type: str = ""
    attribute: str = ""
    value: str = ""
    language: str = ""
    by: str = ""

    def view_key(self) -> Filters:
        """The state whose views these filters show: an attribute without a value filters
        nothing, so it shares the views of no attribute."""
        return self if self.value else replace(self, attribute="")

    def criteria(self) -> dict[str, str | None]:
        """Column conditions for :func:`workbench.analysis.filter_codings`."""
        out: dict[str, str | None] = {
            GROUP_ATTRIBUTE: self.group or None,
            TYPE_ATTRIBUTE: self.user_type or None,
            "language": self.language or None,
        }
        if self.attribute and self.value:
            out[self.attribute] = self.value
        return out


@dataclass
class Views:
    """Everything one filter state shows."""

    codings: pd.DataFrame
    participants: int
    documents: int
    summary: dict[str, dict[str, Any]]
    quality: pd.DataFrame
    priorities: pd.DataFrame
    pairs: pd.DataFrame
    everyday: pd.DataFrame
    people: pd.DataFrame = field(repr=False)
    #: Computes :attr:`quality_by` (only on demand: the live dashboard does not show it).
    quality_by_of: Callable[[], pd.DataFrame | None] = field(repr=False, default=lambda: None)

    @cached_property
    def quality_by(self) -> pd.DataFrame | None:
        """Perceived quality per value of the compared attribute (``None`` without one)."""
        return self.quality_by_of()


class DashboardData:
    """A project's codings loaded once, and the cached views of each filter state.

    Parameters
    ----------
    project
        An open project; only read (open it with ``read_only=True``).
    codings
        Optional: codings already enriched (``workbench.analysis.codings_frame``), for tests
        and benchmarks; the ``"all"`` layer.
    """

    def __init__(
        self,
        project: Project | None,
        *,
        codebook: Codebook | None = None,
        codings: pd.DataFrame | None = None,
        title: str = "",
    ) -> None:
        self.project = project
        if codebook is None:
            if project is None:
                raise ValueError("give a project or a codebook")
            codebook = project.codebook
        self.codebook = codebook
        self.title = title or (project.path.name if project is not None else "")
        self._layers: dict[str, pd.DataFrame] = {}
        if codings is not None:
            self._layers["all"] = _plain_strings(codings)
        # Taken before anything is read: a change while reading shows as stale later.
        self.read_as = self.fingerprint()
        self._labelled: dict[tuple[str, str], pd.DataFrame] = {}
        self._stop_warm = threading.Event()
        self._views: dict[Filters, Views] = {}
        self.coders: list[str] = (
            project.store.coders()
            if project is not None
            else sorted(codings["coder"].unique())
            if codings is not None
            else []
        )

    # -- freshness ------------------------------------------------------------------------
    def fingerprint(self) -> tuple[Any, ...] | None:
        """What changes whenever the project does: the last row of its audit log (every write
        appends one) and the count and last id of its codings (``None`` without a project)."""
        if self.project is None:
            return None
        return self.project.store.change_stamp()

    def stale(self) -> bool:
        """Whether the project changed since this data was read (a cheap query)."""
        return self.project is not None and self.fingerprint() != self.read_as

    # -- data -----------------------------------------------------------------------------
    def layer(self, layer: str) -> pd.DataFrame:
        """The enriched codings of a coder layer (read once)."""
        if layer not in self._layers:
            if "all" in self._layers:
                base = self._layers["all"]
                self._layers[layer] = a.select_layer(base, layer)
            else:
                assert self.project is not None
                self._layers[layer] = _plain_strings(a.codings_frame(self.project, layer))
        return self._layers[layer]

    def labelled(self, layer: str, lang: str) -> pd.DataFrame:
        """The codings of ``layer`` with code labels in ``lang``."""
        key = (layer, lang)
        if key not in self._labelled:
            self._labelled[key] = a.relabel(self.layer(layer), self.codebook, lang=lang)
        return self._labelled[key]

    def attributes(self) -> list[str]:
        """Participant attributes to filter or compare by."""
        return a.attribute_columns(self.layer("all"))

    def values(self, column: str) -> list[str]:
        """The values a column takes in the study, sorted."""
        frame = self.layer("all")
        if column not in frame:
            return []
        return sorted(str(v) for v in frame[column].dropna().unique())

    def valence_colors(self) -> tuple[str, str]:
        """The codebook's colours for negative and positive experiences."""
        book = self.codebook
        negative = book.get("val-negative").color if "val-negative" in book else NEGATIVE
        positive = book.get("val-positive").color if "val-positive" in book else POSITIVE
        return negative, positive

    def layers(self) -> list[str]:
        """``all``, ``consensus`` (with two coders or more), then each coder."""
        return ["all", *(["consensus"] if len(self.coders) > 1 else []), *self.coders]

    # -- views ----------------------------------------------------------------------------
    def views(self, filters: Filters) -> Views:
        """The views of one filter state (cached)."""
        key = filters.view_key()
        if key not in self._views:
            self._views[key] = self._compute(key)
        return self._views[key]

    def _compute(self, f: Filters) -> Views:
        if f.by:
            # Comparing groups changes only the summary: the rest is the state without it.
            base = self.views(replace(f, by=""))
            codings = base.codings
            return replace(
                base,
                summary=a.summary(codings, by=f.by),
                quality_by_of=lambda: a.perceived_quality(
                    codings, self.codebook, by=f.by, lang=f.lang
                ),
            )
        codings = a.filter_codings(self.labelled(f.layer, f.lang), **f.criteria())
        quality = a.perceived_quality(codings, self.codebook, lang=f.lang)
        attrs = a.attribute_columns(codings)
        people = (
            codings[["participant", *attrs]]
            .drop_duplicates("participant")
            .set_index("participant")
            .sort_index()
        )
        return Views(
            codings=codings,
            participants=int(codings["participant"].nunique()),
            documents=int(codings["document"].nunique()),
            summary=a.summary(codings),
            quality=quality,
            priorities=a.priorities(quality),
            pairs=a.gaps_and_sources(codings),
            everyday=a.everyday_processes(codings),
            people=people,
        )

    def neighbours(self, filters: Filters) -> list[Filters]:
        """The filter states one change away from ``filters`` that a viewer picks first: each
        user group, user type and interview language."""
        states = []
        for field_, column in (
            ("user_type", TYPE_ATTRIBUTE),
            ("group", GROUP_ATTRIBUTE),
            ("language", "language"),
        ):
            for value in self.values(column):
                states.append(replace(filters, **{field_: value}))
        return states

    def warm(self, filters: Filters, *, budget: float = 20.0) -> int:
        """Compute (and cache) the views of :meth:`neighbours` for up to ``budget`` seconds or
        until :meth:`stop_warming`; returns how many states were computed."""
        deadline = time.monotonic() + budget
        done = 0
        for state in self.neighbours(filters):
            if time.monotonic() > deadline or self._stop_warm.is_set():
                break
            if state.view_key() not in self._views:
                self.views(state)
                done += 1
        return done

    def warm_in_background(self, filters: Filters, *, budget: float = 20.0) -> threading.Thread:
        """:meth:`warm` in a daemon thread, so the kernel is ready for a viewer at once (the
        thread stops when one arrives: :meth:`stop_warming`).  It runs at normal priority: a
        low-priority thread holding the GIL would stall the viewer's own thread."""
        thread = threading.Thread(
            target=self.warm, args=(filters,), kwargs={"budget": budget}, daemon=True
        )
        thread.start()
        return thread

    def stop_warming(self) -> None:
        """Stop :meth:`warm` after the state it is computing (a viewer has arrived)."""
        self._stop_warm.set()

    def quotes(self, filters: Filters, **query: Any) -> pd.DataFrame:
        """The quotes behind a number in the view of ``filters``
        (see :func:`workbench.analysis.quotes`)."""
        return a.quotes(self.views(filters).codings, **query)


def _plain_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as plain Python objects: pandas' string dtype compares several times more
    slowly, and the views compare codes and attributes many times per filter state."""
    text = [c for c in frame.columns if pd.api.types.is_string_dtype(frame[c].dtype)]
    return frame.astype(dict.fromkeys(text, object)) if text else frame
