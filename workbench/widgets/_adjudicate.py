"""The adjudication widget: walk through every disagreement and settle it in a consensus layer.

For each segment where the coders differ it shows the text, each coder's codes in the codes'
colours, the definitions of the disputed codes, and buttons: take one coder's codes, both
(the union), neither, or edit the selection by hand.  Each decision is written at once through
:meth:`Project.settle` (coder ``consensus``, audited); rerun the agreement report afterwards.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import pandas as pd

from workbench.i18n import text

if TYPE_CHECKING:
    from workbench.project._project import Project

CONSENSUS = "consensus"


class Adjudicator(w.VBox):
    """Settle the disagreements between ``coders`` one segment at a time."""

    def __init__(self, project: Project, coders: list[str] | str | None = None, lang: str = "en"):
        self.project = project
        self.lang = lang
        self.book = project.codebook
        self.rows: pd.DataFrame = project.disagreements(coders)
        self.coders = [c[len("codes_") :] for c in self.rows.columns if c.startswith("codes_")]
        self.index = 0
        self.t = lambda key, **values: text(key, lang, **values)
        self.header = w.HTML()
        self.body = w.HTML(layout=w.Layout(max_width="78ch"))
        self.definitions = w.HTML()
        self.choice = w.SelectMultiple(
            options=[(c.name(lang), c.id) for c in self.book.codes if c.codable],
            rows=8,
            description=self.t("adj.settled"),
            layout=w.Layout(width="420px"),
        )
        take = [self._button(self.t("adj.take", coder=c), self._take(c)) for c in self.coders]
        buttons = w.HBox(
            [
                *take,
                self._button(self.t("adj.both"), self._both),
                self._button(self.t("adj.neither"), self._neither),
                self._button(self.t("adj.save_edit"), self._save_edit, style="primary"),
            ]
        )
        nav = w.HBox(
            [
                self._button(self.t("adj.previous"), self._prev),
                self._button(self.t("adj.next"), self._next),
            ]
        )
        self.status = w.HTML()
        super().__init__(
            [self.header, self.body, self.definitions, buttons, self.choice, nav, self.status],
            layout=w.Layout(padding="8px"),
        )
        self._show()

    @staticmethod
    def _button(text: str, handler: Any, style: str = "") -> w.Button:
        button = w.Button(description=text, button_style=style, layout=w.Layout(width="auto"))
        button.on_click(lambda _b: handler())
        return button

    # -- what is shown ------------------------------------------------------------------------
    def _chip(self, code_id: str) -> str:
        code = self.book.get(code_id) if code_id in self.book else None
        color = code.color if code else "#888888"
        name = html.escape(code.name(self.lang) if code else code_id)
        return (
            f'<span style="background:{color};color:#fff;border-radius:10px;padding:1px 8px;'
            f'margin:2px;display:inline-block">{name}</span>'
        )

    def _show(self) -> None:
        total = len(self.rows)
        settled = set(self.project.codings(coder=CONSENSUS)["segment"])
        done = sum(int(s) in settled for s in self.rows["segment"]) if total else 0
        if not total:
            self.header.value = f"<h3>{html.escape(self.t('adj.none'))}</h3>"
            self.body.value = self.definitions.value = ""
            return
        row = self.rows.iloc[self.index]
        segment = self.project.store.segment(int(row["segment"]))
        self.header.value = (
            f"<h3>{html.escape(self.t('adj.heading', n=self.index + 1, total=total))}"
            f" · {html.escape(str(row['document']))}"
            f" · {html.escape(str(segment['participant'] or ''))}</h3>"
            f"<p>{html.escape(self.t('adj.progress', done=done, total=total))}</p>"
        )
        lines = []
        for coder in self.coders:
            codes = row[f"codes_{coder}"]
            chips = (
                "".join(self._chip(c) for c in codes)
                if codes is not None
                else f"<i>{html.escape(self.t('adj.not_seen'))}</i>"
            )
            lines.append(f"<div><b>{html.escape(coder)}</b>: {chips}</div>")
        self.body.value = (
            f'<blockquote style="font-size:16px;line-height:1.6">'
            f"{html.escape(segment['text'])}</blockquote>" + "".join(lines)
        )
        defs = []
        for code_id in row["only_some"]:
            if code_id in self.book:
                code = self.book.get(code_id)
                defs.append(
                    f"<li>{self._chip(code_id)} {html.escape(code.definition.get(self.lang, ''))}"
                    f"<br><small><b>{html.escape(self.t('adj.use_when'))}</b> "
                    f"{html.escape(code.use_when.get(self.lang, ''))}"
                    f" <b>{html.escape(self.t('adj.not_when'))}</b> "
                    f"{html.escape(code.do_not_use_when.get(self.lang, ''))}"
                    "</small></li>"
                )
        self.definitions.value = f"<ul>{''.join(defs)}</ul>" if defs else ""
        current = self.project.codings(coder=CONSENSUS, segment=int(row["segment"]))
        self.choice.value = tuple(sorted(set(current["code"])))

    # -- decisions ----------------------------------------------------------------------------
    def _segment(self) -> int:
        return int(self.rows.iloc[self.index]["segment"])

    def _decide(self, decided: list[Any], note: str) -> None:
        self.project.settle(self._segment(), decided, note=note)
        saved = html.escape(self.t("adj.saved", note=note))
        self.status.value = f"<span style='color:#2E7D32'>{saved}</span>"
        self._next()

    def _spans_of(self, coder: str) -> list[tuple[str, int, int]]:
        frame = self.project.codings(coder=coder, segment=self._segment())
        return [(r.code, int(r.start), int(r.end)) for r in frame.itertuples()]

    def _take(self, coder: str) -> Any:
        return lambda: self._decide(list(self._spans_of(coder)), self.t("adj.took", coder=coder))

    def _both(self) -> None:
        spans = {s for coder in self.coders for s in self._spans_of(coder)}
        self._decide(sorted(spans), self.t("adj.took_both"))

    def _neither(self) -> None:
        self._decide([], self.t("adj.no_code"))

    def _save_edit(self) -> None:
        self._decide(list(self.choice.value), self.t("adj.by_hand"))

    def _next(self) -> None:
        if len(self.rows):
            self.index = min(self.index + 1, len(self.rows) - 1)
        self._show()

    def _prev(self) -> None:
        self.index = max(self.index - 1, 0)
        self._show()
