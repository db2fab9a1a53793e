"""The codebook editor: the project's code tree with counts, and a form to change a code.

Each row of the tree is a button in the code's colour showing its label and how many
segments carry it; select one to edit its labels (sv/en), definitions, when to use it, colour
and shortcut, or to add a child, rename, move, merge it into another code or remove it.  Every
action goes through the project's codebook methods (a new codebook version, audited, no
coding lost) and the tree refreshes; a refused action shows one line, never a traceback.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from workbench.codebook import Code, slugify
from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.project._project import Project

TOP = "(top level)"


def _text_color(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (``#rrggbb``)."""
    try:
        r, g, b = (int(background[i : i + 2], 16) for i in (1, 3, 5))
    except ValueError:
        return "#000000"
    return "#000000" if (0.299 * r + 0.587 * g + 0.114 * b) > 150 else "#ffffff"


class CodebookEditor(w.HBox):
    """Edit the codebook of ``project``; each change is a new, audited codebook version."""

    def __init__(self, project: Project, lang: str = "en") -> None:
        self.project = project
        self.lang = lang
        self.selected: str | None = None
        self.rows: dict[str, w.Button] = {}
        self.tree = w.VBox(layout=w.Layout(width="340px", overflow="auto", max_height="560px"))
        self.heading = w.HTML()
        wide = w.Layout(width="420px")
        self.label_sv = w.Text(description="Label sv", layout=wide)
        self.label_en = w.Text(description="Label en", layout=wide)
        self.definition_sv = w.Textarea(description="Definition sv", layout=wide)
        self.definition_en = w.Textarea(description="Definition en", layout=wide)
        self.use_when_sv = w.Textarea(description="Use when sv", layout=wide)
        self.use_when_en = w.Textarea(description="Use when en", layout=wide)
        self.not_when_sv = w.Textarea(description="Not when sv", layout=wide)
        self.not_when_en = w.Textarea(description="Not when en", layout=wide)
        self.color = w.ColorPicker(description="Colour", concise=False)
        self.shortcut = w.Text(description="Shortcut", layout=w.Layout(width="220px"))
        self.save_button = self._button("Save", self._save, style="primary")
        self.rename_button = self._button("Rename", self._rename)
        self.remove_button = self._button("Remove", self._remove, style="danger")
        self.child_id = w.Text(description="New id", placeholder="(from the label)")
        self.child_label = w.Text(description="New label")
        self.add_button = self._button("Add child code", self._add)
        self.parent = w.Dropdown(description="Move under")
        self.move_button = self._button("Move", self._move)
        self.merge_target = w.Dropdown(description="Merge into")
        self.merge_button = self._button("Merge", self._merge, style="warning")
        self.status = w.HTML()
        for area in (
            self.definition_sv,
            self.definition_en,
            self.use_when_sv,
            self.use_when_en,
            self.not_when_sv,
            self.not_when_en,
        ):
            area.layout.height = "56px"
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
                w.HTML("<b>Add a code under this one</b>"),
                w.HBox([self.child_id, self.child_label, self.add_button]),
                self.status,
            ],
            layout=w.Layout(padding="0 0 0 12px"),
        )
        super().__init__([self.tree, self.form], layout=w.Layout(padding="8px"))
        self.refresh()

    @staticmethod
    def _button(text: str, handler: Callable[[], Any], style: str = "") -> w.Button:
        button = w.Button(description=text, button_style=style, layout=w.Layout(width="auto"))
        button.on_click(lambda _b: handler())
        return button

    # -- what is shown ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the codebook and the counts, redraw the tree and the form."""
        book = self.project.codebook
        counts = self.project.coding_counts()
        self.rows = {}
        for code in book.codes:
            count = counts.get(code.id, 0)
            group = "" if code.codable else " (group)"
            row = w.Button(
                description=f"{code.name(self.lang)}{group} · {count}",
                tooltip=code.id,
                layout=w.Layout(
                    width="auto", margin=f"1px 0 1px {18 * book.depth(code.id)}px", height="28px"
                ),
            )
            row.style.button_color = code.color
            row.style.text_color = _text_color(code.color)
            row.on_click(lambda _b, cid=code.id: self.select(cid))
            self.rows[code.id] = row
        self.tree.children = list(self.rows.values())
        if self.selected not in book:
            self.selected = book.codes[0].id if book.codes else None
        self._fill()

    def select(self, code_id: str) -> None:
        """Show ``code_id`` in the form."""
        self.selected = code_id
        self._fill()

    def _fill(self) -> None:
        book = self.project.codebook
        for cid, row in self.rows.items():
            row.style.font_weight = "bold" if cid == self.selected else "normal"
        if self.selected is None:
            self.heading.value = "<h3>The codebook is empty</h3>"
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
        self.parent.options = [(TOP, "")] + [
            (c.name(self.lang), c.id) for c in book.codes if c.id not in inside
        ]
        self.parent.value = code.parent or ""
        targets = [(c.name(self.lang), c.id) for c in book.codes if c.codable and c.id != code.id]
        self.merge_target.options = targets
        self.merge_target.value = targets[0][1] if targets else None

    def _say(self, text: str, ok: bool = True) -> None:
        color = "#2E7D32" if ok else "#C62828"
        self.status.value = f"<span style='color:{color}'>{html.escape(text)}</span>"

    def _run(self, action: Callable[[], str]) -> None:
        """Run one change; show its outcome (or the error) as one line and refresh."""
        try:
            message = action()
        except WorkbenchError as exc:
            self._say(str(exc), ok=False)
            return
        except Exception as exc:  # never a traceback in the notebook
            self._say(f"could not do that: {type(exc).__name__}: {exc}", ok=False)
            return
        self.refresh()
        self._say(message)

    # -- actions ------------------------------------------------------------------------------
    def _need(self) -> str:
        if self.selected is None:
            raise WorkbenchError("select a code first")
        return self.selected

    @staticmethod
    def _texts(sv: str, en: str) -> dict[str, str]:
        return {k: v.strip() for k, v in (("sv", sv), ("en", en)) if v.strip()}

    def _labels(self) -> dict[str, str]:
        labels = self._texts(self.label_sv.value, self.label_en.value)
        if not labels:
            raise WorkbenchError("a code needs a label (sv or en)")
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
            return f"saved {code_id} (codebook version {version})"

        self._run(action)

    def _rename(self) -> None:
        def action() -> str:
            code_id = self._need()
            version = self.project.rename_code(code_id, self._labels())
            return f"renamed {code_id} (codebook version {version})"

        self._run(action)

    def _add(self) -> None:
        def action() -> str:
            parent = self._need()
            label = self.child_label.value.strip()
            if not label:
                raise WorkbenchError("give the new code a label")
            new_id = self.child_id.value.strip() or slugify(label)
            color = self.project.codebook.get(parent).color
            self.project.add_code(
                Code(id=new_id, label={"en": label, "sv": label}, parent=parent, color=color),
            )
            self.selected = new_id
            self.child_id.value = self.child_label.value = ""
            return f"added {new_id} under {parent}"

        self._run(action)

    def _move(self) -> None:
        def action() -> str:
            code_id = self._need()
            parent = self.parent.value or None
            self.project.move_code(code_id, parent)
            return f"moved {code_id} under {parent or TOP}"

        self._run(action)

    def _merge(self) -> None:
        def action() -> str:
            code_id = self._need()
            target = self.merge_target.value
            if not target:
                raise WorkbenchError("choose a code to merge into")
            moved = self.project.merge_codes([code_id], target)
            self.selected = target
            return f"merged {code_id} into {target} ({moved} coding(s) moved)"

        self._run(action)

    def _remove(self) -> None:
        def action() -> str:
            code_id = self._need()
            self.project.remove_code(code_id)
            self.selected = None
            return f"removed {code_id}"

        self._run(action)
