"""A small anywidget that draws a plotly figure with the page's own copy of plotly.js.

plotly's ``FigureWidget`` would do, but it loads nbformat and a JSON-schema stack into the
kernel (seconds on a busy machine) and sends its 5 MB bundle once per chart.  Here one
:class:`PlotlyLoader` puts the installed package's ``plotly.min.js`` into the page once (no
CDN, no network), and each :class:`Chart` is a few hundred bytes of JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import anywidget
import plotly
import traitlets

_HERE = Path(__file__).parent


@cache
def plotly_js() -> str:
    """The installed plotly package's plotly.min.js (it sets ``window.Plotly``)."""
    return (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(
        encoding="utf-8"
    )


class PlotlyLoader(anywidget.AnyWidget):  # type: ignore[misc]
    """Invisible; evaluating its module defines ``window.Plotly`` for every :class:`Chart`."""

    _esm = traitlets.Unicode().tag(sync=True)

    @traitlets.default("_esm")
    def _default_esm(self) -> str:
        return plotly_js() + "\nexport default { render() {} };\n"


class Chart(anywidget.AnyWidget):  # type: ignore[misc]
    """One chart: ``figure`` is plotly JSON; ``on_click(fn)`` gets each bar's customdata."""

    _esm = _HERE / "_chart.js"
    figure = traitlets.Dict().tag(sync=True)
    version = traitlets.Int(0).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._click: Callable[[list[Any]], None] | None = None
        self.on_msg(self._message)

    def show(self, fig: dict[str, Any], version: int | None = None) -> None:
        """Draw ``fig`` (plotly JSON; the front end redraws when ``version`` changes)."""
        with self.hold_sync():  # one message: the figure and its version together
            self.figure = fig
            self.version = self.version + 1 if version is None else version

    def on_click(self, handler: Callable[[list[Any]], None]) -> None:
        """Call ``handler(customdata)`` when a viewer clicks a bar."""
        self._click = handler

    def _message(self, _widget: Any, content: dict[str, Any], _buffers: Any) -> None:
        if content.get("event") == "click" and self._click is not None:
            data = content.get("customdata")
            self._click(list(data) if isinstance(data, list) else [data])


class UrlState(anywidget.AnyWidget):  # type: ignore[misc]
    """Invisible; writes ``query`` (the filter state, URL-encoded) into the page's URL with
    ``history.replaceState``, setting or removing only ``options`` (a token stays), so a reload
    or a shared link reopens the same view (the dashboard reads it back: ``QUERY_STRING``)."""

    _esm = _HERE / "_url.js"
    query = traitlets.Unicode("").tag(sync=True)
    options = traitlets.List(traitlets.Unicode()).tag(sync=True)
