"""``workbench merge A B -o OUT``: merge copies of a project that were coded apart.

Documents are matched by checksum, codings kept per coder, memos kept (both texts when they
differ), and the codebooks merged three-way from the last version both copies share.  Every
conflict is reported; nothing is dropped silently; merging the same copy again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workbench import codebook as cb
from workbench._project import init, open_project
from workbench.errors import CodebookError
from workbench.store._absorb import absorb


@dataclass
class MergeReport:
    """What a merge did, and every conflict it met."""

    documents: int = 0
    codings: int = 0
    memos: int = 0
    conflicts: list[str] = field(default_factory=list)


def _history(project_dir: Path) -> list[str]:
    with open_project(project_dir, read_only=True) as project:
        frame = project.store.codebook_versions_frame()
        return [
            content[1]
            for v in frame["version"]
            if (content := project.store.codebook_content(int(v))) is not None
        ]


def merged_codebook(a: Path, b: Path) -> tuple[cb.Codebook, list[str]]:
    """The three-way merge of the two projects' current codebooks and its conflicts."""
    ours_history, theirs_history = _history(a), _history(b)
    shared = [text for text in ours_history if text in theirs_history]
    ours = cb.Codebook.from_yaml(ours_history[-1], source=f"{a}")
    theirs = cb.Codebook.from_yaml(theirs_history[-1], source=f"{b}")
    if ours.id != theirs.id:
        raise CodebookError(
            f"{a} and {b} use unrelated codebooks ({ours.id!r} and {theirs.id!r}); "
            "they cannot be merged"
        )
    base = cb.Codebook.from_yaml(shared[-1], source="base") if shared else ours
    result = cb.merge(base, ours, theirs)
    return result.codebook, [str(c) for c in result.conflicts]


def merge_projects(sources: list[Path], out: Path, *, user: str | None = None) -> MergeReport:
    """Merge ``sources`` (SQLite or PostgreSQL project folders) into ``out``.

    ``out`` may be new or one of the sources; codings the target already has are kept once.
    """
    report = MergeReport()
    book, conflicts = merged_codebook(sources[0], sources[-1])
    for other in sources[1:-1]:
        more_book, more = merged_codebook(sources[0], other)
        conflicts += more
        book = cb.merge(book, book, more_book).codebook
    report.conflicts += [f"codebook: {c}" for c in conflicts]
    target = (
        open_project(out, coder=user)
        if (out / "project.json").exists()
        else init(out, codebook=book)
    )
    with target:
        if target.codebook.to_yaml() != book.to_yaml():
            target.set_codebook(book, note=f"merged from {', '.join(map(str, sources))}")
        for source_dir in sources:
            if source_dir.resolve() == out.resolve():
                continue
            with open_project(source_dir, read_only=True) as source:
                done = absorb(
                    target.store, source.store, user=target.coder, source_name=str(source_dir)
                )
            report.documents += done.documents_added
            report.codings += done.codings_added
            report.memos += done.memos_added
            report.conflicts += done.conflicts
    return report
