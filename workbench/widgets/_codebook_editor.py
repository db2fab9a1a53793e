"""The codebook editor: the project's code tree with counts, and a form to change a code.

Each row of the tree is a button showing the code's label, how many segments carry it and how
many codings it has (the merge question counts the same way),
edged in the code's colour and indented by its depth; long labels wrap, so none is cut.  Select
one to edit its labels (sv/en), definitions, when to use it, colour and shortcut, or to add a
child, rename, move, merge it into another code or remove it.  Every action goes through the
project's codebook methods (a new codebook version, audited, no coding lost) and the tree
refreshes; a refused action shows one line, never a traceback.  Every string of the editor is
in the catalogue (``workbench.i18n``): ``lang="sv"`` shows it in Swedish, and so do the refusals
it meets most (a label taken, removing a code with codings), checked here before the project's
English error could be shown.

A merge and a removal are not one stray click: nothing is preselected as the merge target, and
each asks first, naming both codes and how many codings move.  A merge, removal or rename
offers Undo (the project layer moves merged codings back) as long as it is the latest change.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from workbench.codebook import Code, slugify
from workbench.errors import InvalidCode, WorkbenchError
from workbench.i18n import LANGS, text
from workbench.project._workspace import default_lang
from workbench.store import AuditAction
from workbench.widgets._shared import codebook_changed, counted, listen_to_codebook

if TYPE_CHECKING:
    from workbench.project._project import Project

#: Background of the selected row and of the others.
SELECTED = "#e3ebf3"
UNSELECTED = "#ffffff"
#: Pixels of indentation per level of the tree.
INDENT = 18
#: The tree's rows read as easily as the tagger's code list (13.5 px, wrapped, never cut):
#: ipywidgets draws buttons one line high with an ellipsis, and a column of them in a box of
#: limited height shrinks each row (to 10 px with the built-in codebook) unless told not to.
STYLE = """<style>
.wb-cb-tree { gap: 3px; padding: 2px 8px 2px 2px; }
.wb-cb-tree > .wb-cb-row { flex: 0 0 auto; }
.jupyter-widgets.jupyter-button.wb-cb-row {
  height: auto; min-height: 30px; padding: 5px 10px; line-height: 1.35; font-size: 13.5px;
  white-space: normal; overflow: visible; text-overflow: clip; text-align: left;
  overflow-wrap: anywhere; color: #1f2328; border: 1px solid #e4e1da; border-radius: 6px;
  box-shadow: none;
}
.jupyter-widgets.jupyter-button.wb-cb-row.wb-cb-group { font-weight: 600; }
.jupyter-widgets.jupyter-button.wb-cb-row.wb-cb-selected { outline: 2px solid #2f5d8a; }
.wb-cb-form .widget-label { white-space: normal; }
</style>"""


class CodebookEditor(w.HBox):  # type: ignore[misc]
    """Edit the codebook of ``project``; each change is a new, audited codebook version.

    Parameters
    ----------
    project
        The open :class:`~workbench.project.Project`.
    lang
        Language of the code labels in the tree and of the editor itself (``"sv"`` or
        ``"en"``); default: the study's, as the tagger's.

    Examples
    --------
    >>> p = workbench.open("study/")          # doctest: +SKIP
    >>> p.codebook_editor(lang="sv")          # doctest: +SKIP
    """

    def __init__(self, project: Project, lang: str | None = None) -> None:
        lang = lang or default_lang(project)
        if lang not in LANGS:
            raise InvalidCode(f"codebook editor: language {lang!r} is not 'sv' or 'en'")
        self.project = project
        self.lang = lang
        self.selected: str | None = None
        self.rows: dict[str, w.Button] = {}
        self.tree = w.VBox(
            layout=w.Layout(
                width="380px",
                min_width="260px",
                max_height="min(680px, calc(100vh - 190px))",
                overflow="hidden auto",  # across: never; down: in its own panel
                flex="0 1 380px",
            )
        )
        self.tree.add_class("wb-cb-tree")
        self.heading = w.HTML()
        style = {"description_width": "150px"}
        t = self._t

        def field(kind: type[w.Text] | type[w.Textarea], key: str) -> Any:
            # One layout each: a layout shared by text fields and areas gives all one height.
            height = "64px" if kind is w.Textarea else None
            layout = w.Layout(width="100%", max_width="640px", height=height)
            return kind(description=t(key), layout=layout, style=style)

        self.label_sv = field(w.Text, "label_sv")
        self.label_en = field(w.Text, "label_en")
        self.definition_sv = field(w.Textarea, "definition_sv")
        self.definition_en = field(w.Textarea, "definition_en")
        self.use_when_sv = field(w.Textarea, "use_when_sv")
        self.use_when_en = field(w.Textarea, "use_when_en")
        self.not_when_sv = field(w.Textarea, "not_when_sv")
        self.not_when_en = field(w.Textarea, "not_when_en")
        self.color = w.ColorPicker(description=t("colour"), concise=False, style=style)
        self.shortcut = w.Text(
            description=t("shortcut"), layout=w.Layout(width="300px"), style=style
        )
        self.save_button = self._button(t("save"), self._save, style="primary")
        self.rename_button = self._button(t("rename"), self._rename)
        self.remove_button = self._button(t("remove"), self._remove, style="danger")
        self.child_id = w.Text(
            description=t("new_id"),
            placeholder=t("new_id_placeholder"),
            style=style,
            layout=w.Layout(width="100%", max_width="460px"),
        )
        self.child_label = w.Text(
            description=t("new_label"),
            style=style,
            layout=w.Layout(width="100%", max_width="460px"),
        )
        self.add_button = self._button(t("add"), self._add)
        picker = {"flex": "1 1 auto", "width": "auto", "max_width": "540px"}
        self.parent = w.Dropdown(
            description=t("move_under"), style=style, layout=w.Layout(**picker)
        )
        self.move_button = self._button(t("move"), self._move)
        self.merge_target = w.Dropdown(
            description=t("merge_into"), style=style, layout=w.Layout(**picker)
        )
        self.merge_button = self._button(t("merge"), self._merge, style="warning")
        # The question before a merge or removal, and Undo after one (hidden until needed).
        self.question = w.HTML(layout=w.Layout(flex="1 1 320px", max_width="560px"))
        self.confirm_button = self._button("", self._confirm, style="danger")
        self.cancel_button = self._button(t("cancel"), self._cancel)
        for button in (self.confirm_button, self.cancel_button):
            button.layout.flex = "0 0 auto"  # never squeezed to "Ja, sl…"
        self.confirm_box = w.HBox(
            [self.question, self.confirm_button, self.cancel_button],
            layout=w.Layout(display="none", align_items="center", flex_flow="row wrap"),
        )
        self.undo_button = self._button(t("undo"), self._undo)
        self.undo_button.layout.display = "none"
        self._pending: Callable[[], str] | None = None
        self._undoable: int | None = None  # the codebook version Undo takes back
        self.status = w.HTML()
        self.form = w.VBox(
            [
                self.heading,
                self.label_sv,
                self.label_en,
                self.definition_sv,
                self.definition_en,
                self.use_when_sv,
                self.use_when_en,
                self.not_when_sv,
                self.not_when_en,
                self.color,
                self.shortcut,
                w.HBox([self.save_button, self.rename_button, self.remove_button]),
                w.HBox([self.parent, self.move_button]),
                w.HBox([self.merge_target, self.merge_button]),
                self.confirm_box,  # right under the buttons that ask
                w.HTML(f"<b>{html.escape(t('add_heading'))}</b>"),
                self.child_label,
                self.child_id,
                w.HBox([self.add_button], layout=w.Layout(padding="0 0 0 156px")),
                w.HBox([self.status, self.undo_button], layout=w.Layout(align_items="center")),
            ],
            layout=w.Layout(padding="0 14px 0 16px", flex="1 1 auto", min_width="0"),
        )
        self.form.add_class("wb-cb-form")
        super().__init__(
            [w.HTML(STYLE, layout=w.Layout(display="none")), self.tree, self.form],
            layout=w.Layout(padding="8px", width="100%"),
        )
        self.add_class("wb-codebook-editor")
        self.refresh()
        # A code made in the tagger (New code, In vivo) shows here at once, and a change
        # made here reaches the open taggers before their next write.
        listen_to_codebook(project, self)

    def _t(self, key: str, **values: object) -> str:
        """The editor's string ``key`` in its language."""
        return text(f"cb.{key}", self.lang, **values)

    @staticmethod
    def _button(label: str, handler: Callable[[], Any], style: str = "") -> w.Button:
        button = w.Button(description=label, button_style=style, layout=w.Layout(width="auto"))
        button.on_click(lambda _b: handler())
        return button

    # -- what is shown ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the codebook and the counts, redraw the tree and the form."""
        book = self.project.codebook
        segments, codings = self._counts()
        self.rows = {}
        for code in book.codes:
            count = segments.get(code.id, 0)
            group = "" if code.codable else f" ({self._t('group')})"
            said = self._counted(count, codings.get(code.id, 0))
            row = w.Button(
                description=f"{code.name(self.lang)}{group} · {said}",
                tooltip=f"{code.id} · {said}",
                layout=w.Layout(
                    width="auto",
                    height="auto",
                    margin=f"0 0 0 {INDENT * book.depth(code.id)}px",
                    border_left=f"5px solid {code.color}",
                ),
            )
            row.add_class("wb-cb-row")
            if not code.codable:
                row.add_class("wb-cb-group")
            row.on_click(lambda _b, cid=code.id: self.select(cid))
            self.rows[code.id] = row
        self.tree.children = list(self.rows.values())
        if self.selected not in book:
            self.selected = book.codes[0].id if book.codes else None
        self._fill()

    def codebook_changed(self) -> None:
        """Another widget of this kernel (the tagger) made a new codebook version."""
        self.refresh()

    def _counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Per code: the segments that carry it, and its codings (a segment coded by two
        coders, or on two spans, is one segment and two codings)."""
        frame = self.project.codings()
        if frame.empty:
            return {}, {}
        by_code = frame.groupby("code")
        segments = {str(k): int(v) for k, v in by_code["segment"].nunique().items()}
        return segments, {str(k): int(v) for k, v in by_code.size().items()}

    def _counted(self, segments: int, codings: int) -> str:
        """ "2 segments, 3 codings" (what a row and the merge question count); "0 codings"."""
        if not codings:
            return self._n("n_codings", 0)
        return self._t(
            "counts",
            segments=self._n("n_segments", segments),
            codings=self._n("n_codings", codings),
        )

    def select(self, code_id: str) -> None:
        """Show ``code_id`` in the form."""
        self.selected = code_id
        self._fill()

    def _fill(self) -> None:
        book = self.project.codebook
        for cid, row in self.rows.items():
            chosen = cid == self.selected
            row.style.button_color = SELECTED if chosen else UNSELECTED
            row.style.font_weight = "bold" if chosen else ""
            if chosen:
                row.add_class("wb-cb-selected")
            else:
                row.remove_class("wb-cb-selected")
        if self.selected is None:
            self.heading.value = f"<h3>{html.escape(self._t('empty'))}</h3>"
            return
        code = book.get(self.selected)
        path = " › ".join(html.escape(p) for p in book.path(code.id, self.lang))
        self.heading.value = f"<h3>{path} <small>&lt;{html.escape(code.id)}&gt;</small></h3>"
        self.label_sv.value = code.label.get("sv", "")
        self.label_en.value = code.label.get("en", "")
        self.definition_sv.value = code.definition.get("sv", "")
        self.definition_en.value = code.definition.get("en", "")
        self.use_when_sv.value = code.use_when.get("sv", "")
        self.use_when_en.value = code.use_when.get("en", "")
        self.not_when_sv.value = code.do_not_use_when.get("sv", "")
        self.not_when_en.value = code.do_not_use_when.get("en", "")
        self.color.value = code.color
        self.shortcut.value = code.shortcut or ""
        inside = {code.id, *book.descendants(code.id)}
        self.parent.options = [(self._t("top"), "")] + [
            (c.name(self.lang), c.id) for c in book.codes if c.id not in inside
        ]
        self.parent.value = code.parent or ""
        targets = [(c.name(self.lang), c.id) for c in book.codes if c.codable and c.id != code.id]
        # No target chosen until the researcher chooses one: a stray click merges nothing.
        self.merge_target.options = [(self._t("choose"), ""), *targets]
        self.merge_target.value = ""

    def _say(self, message: str, ok: bool = True) -> None:
        color = "#2E7D32" if ok else "#C62828"
        self.status.value = f"<span style='color:{color}'>{html.escape(message)}</span>"

    def _run(self, action: Callable[[], str], *, undoable: bool = False) -> None:
        """Run one change; show its outcome (or the error) as one line and refresh.  An
        ``undoable`` change (merge, removal, rename) offers Undo next to its line."""
        self._ask(None)
        self._offer_undo(None)
        before = self.project.codebook_version
        try:
            message = action()
        except WorkbenchError as exc:
            self._say(str(exc), ok=False)
            return
        except Exception as exc:  # never a traceback in the notebook
            self._say(self._t("failed", error=f"{type(exc).__name__}: {exc}"), ok=False)
            return
        self.refresh()
        self._say(message)
        version = self.project.codebook_version
        if version != before:
            codebook_changed(self.project, source=self)
        if undoable and version != before:
            self._offer_undo(version)

    # -- asking first, and taking back --------------------------------------------------------
    def _ask(
        self, question: str | None, go: str = "", action: Callable[[], str] | None = None
    ) -> None:
        """Show ``question`` with a button ``go`` that runs ``action`` (None: hide it)."""
        self._pending = action
        if question is None:
            self.confirm_box.layout.display = "none"
            return
        self.question.value = f"<b>{html.escape(question)}</b>"
        self.confirm_button.description = go
        self.confirm_box.layout.display = "flex"

    def _confirm(self) -> None:
        action = self._pending
        if action is not None:
            self._run(action, undoable=True)

    def _cancel(self) -> None:
        self._ask(None)
        self._say(self._t("cancelled"))

    def _offer_undo(self, version: int | None) -> None:
        self._undoable = version
        self.undo_button.layout.display = "none" if version is None else "inline-flex"

    def _undo(self) -> None:
        """Take back the change just made, if it is still the coder's latest (never a later
        coding or memo in its place)."""
        version = self._undoable
        self._offer_undo(None)
        if version is None:
            return
        now = self.project.codebook_version
        if now != version:
            self._say(self._t("undo_changed", version=now), ok=False)
            return
        try:
            done = self.project.undo()
        except WorkbenchError as exc:
            self._say(str(exc), ok=False)
            return
        if done is None or done.get("action") != AuditAction.CODEBOOK_VERSION:
            if done is not None:
                self.project.redo()  # that was a later change of the coder's: put it back
            self._say(self._t("undo_other"), ok=False)
            return
        self.refresh()
        codebook_changed(self.project, source=self)
        self._say(self._t("undone", version=version))

    def _name(self, code_id: str | None) -> str:
        """A code's label in the editor's language (the top level when None)."""
        if not code_id:
            return self._t("top")
        book = self.project.codebook
        return book.get(code_id).name(self.lang) if code_id in book else code_id

    # -- actions ------------------------------------------------------------------------------
    def _need(self) -> str:
        if self.selected is None:
            raise WorkbenchError(self._t("select_first"))
        return self.selected

    @staticmethod
    def _texts(sv: str, en: str) -> dict[str, str]:
        return {k: v.strip() for k, v in (("sv", sv), ("en", en)) if v.strip()}

    def _labels(self) -> dict[str, str]:
        labels = self._texts(self.label_sv.value, self.label_en.value)
        if not labels:
            raise WorkbenchError(self._t("needs_label"))
        return labels

    def _save(self) -> None:
        def action() -> str:
            code_id = self._need()
            version = self.project.edit_code(
                code_id,
                label=self._labels(),
                definition=self._texts(self.definition_sv.value, self.definition_en.value),
                use_when=self._texts(self.use_when_sv.value, self.use_when_en.value),
                do_not_use_when=self._texts(self.not_when_sv.value, self.not_when_en.value),
                color=self.color.value,
                shortcut=self.shortcut.value.strip() or None,
            )
            return self._t("saved", code=self._name(code_id), version=version)

        self._run(action)

    def _rename(self) -> None:
        def action() -> str:
            code_id = self._need()
            labels = self._labels()
            book = self.project.codebook
            self._label_free(labels, book.get(code_id).parent, but=code_id)
            version = self.project.rename_code(code_id, labels)
            return self._t("renamed", code=self._name(code_id), version=version)

        self._run(action, undoable=True)

    def _label_free(self, labels: dict[str, str], parent: str | None, but: str = "") -> None:
        """Refuse (in the editor's language) a label a sibling already has."""
        for code in self.project.codebook.codes:
            if code.parent != parent or code.id == but:
                continue
            for lang, label in labels.items():
                if code.name(lang).casefold() == " ".join(label.split()).casefold():
                    raise InvalidCode(
                        self._t("label_taken", label=label, parent=self._name(parent), id=code.id)
                    )

    def _add(self) -> None:
        def action() -> str:
            parent = self._need()
            label = self.child_label.value.strip()
            if not label:
                raise WorkbenchError(self._t("child_label"))
            self._label_free({"sv": label, "en": label}, parent)
            new_id = self.child_id.value.strip() or slugify(label)
            color = self.project.codebook.get(parent).color
            self.project.add_code(
                Code(id=new_id, label={"en": label, "sv": label}, parent=parent, color=color),
            )
            self.selected = new_id
            self.child_id.value = self.child_label.value = ""
            return self._t("added", code=label, parent=self._name(parent))

        self._run(action)

    def _move(self) -> None:
        def action() -> str:
            code_id = self._need()
            parent = self.parent.value or None
            self.project.move_code(code_id, parent)
            return self._t("moved", code=self._name(code_id), parent=self._name(parent))

        self._run(action)

    def _merge(self) -> None:
        """Ask first: both codes named, and how many codings move."""
        try:
            code_id = self._need()
            target = self.merge_target.value
            if not target:
                raise WorkbenchError(self._t("choose_target"))
        except WorkbenchError as exc:
            self._say(str(exc), ok=False)
            return
        name, into = self._name(code_id), self._name(target)
        moving = self.project.codings(code=code_id)
        counts = self._counted(int(moving["segment"].nunique()), len(moving))

        def action() -> str:
            moved = self.project.merge_codes([code_id], target)
            self.selected = target
            return self._n("merged", moved, code=name, target=into)

        question = self._t("confirm_merge", code=name, target=into, counts=counts)
        self._ask(question, self._t("confirm_merge_go"), action)

    def _remove(self) -> None:
        """Ask first; a code with codings is refused in the editor's words (merge it)."""
        try:
            code_id = self._need()
        except WorkbenchError as exc:
            self._say(str(exc), ok=False)
            return
        name = self._name(code_id)
        used = self.project.coding_counts().get(code_id, 0)
        if used:
            self._ask(None)
            self._say(self._n("remove_used", used, code=name), ok=False)
            return

        def action() -> str:
            self.project.remove_code(code_id)
            self.selected = None
            return self._t("removed", code=name)

        self._ask(self._t("confirm_remove", code=name), self._t("confirm_remove_go"), action)

    def _n(self, key: str, n: int, **values: object) -> str:
        """The editor's string ``key`` for the count ``n`` (singular for 1)."""
        return counted(f"cb.{key}", n, self.lang, **values)
