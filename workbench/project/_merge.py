"""``workbench merge A B -o OUT``: merge copies of a project that were coded apart.

Documents are matched by checksum, codings kept per coder, memos kept (both texts when they
differ), and the codebooks merged three-way from the last version both copies share.

Participants are matched by who they are, never by number alone: a participant whose
document both copies hold is the same person; otherwise the copies' pseudonym keys (each
folder's ``private/pseudonym-key.json``) tell whether two pseudonyms name one person.  When
nothing proves it, two participants with the same pseudonym are kept apart (the newcomer gets
the next free pseudonym, in the text too) and a conflict says so.  The keys are merged into
the output's key the same way, written before the merge commits.  Every conflict is reported;
nothing is dropped silently; merging the same copy again changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from workbench import codebook as cb
from workbench import ingest
from workbench.errors import CodebookError, ProjectError
from workbench.project._project import KEY_ID, KEY_PATH, Project, init, open_project
from workbench.store import Store
from workbench.store._absorb import People, absorb

_PSEUDONYM = re.compile(r"P\d{2,}")
_NAMED = re.compile(r"\[Person \d+\]|\bI\d+\b")


@dataclass
class MergeReport:
    """What a merge did, every conflict it met, and what happened to the keys."""

    documents: int = 0
    codings: int = 0
    memos: int = 0
    conflicts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


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


def _key(folder: Path) -> ingest.Pseudonymiser | None:
    file = folder / KEY_PATH
    return ingest.Pseudonymiser.load(file) if file.exists() else None


def plan_people(
    target: Store,
    target_key: ingest.Pseudonymiser | None,
    source: Store,
    source_key: ingest.Pseudonymiser | None,
    source_name: str,
) -> tuple[People, list[str]]:
    """Who the source's participants are in the target, the renames that follow, and the
    conflicts where identity could not be proven.  ``target_key`` (when given) learns every
    person the source brings, under the placeholder they will have."""
    theirs, mine = source.participant_documents(), target.participant_documents()
    by_checksum = {c: pid for pid, (_, _, checks) in mine.items() for c in checks}
    by_label = {label: pid for pid, (_, label, _) in mine.items()}
    taken = {label for _, label, _ in mine.values()} | {p for p, _, _ in mine.values()}
    if target_key is not None:
        taken |= set(target_key.people[ingest.Kind.PARTICIPANT].values())
    real_of = (
        {p: real for real, p in source_key.people[ingest.Kind.PARTICIPANT].items()}
        if source_key is not None
        else {}
    )
    plan, conflicts = People(), []

    def same(spid: int, label: str, tpid: int) -> None:
        plan.same[spid] = tpid
        if mine[tpid][1] != label:
            plan.renames[label] = mine[tpid][1]

    def fresh() -> str:
        n = 1
        while f"P{n:02d}" in taken:
            n += 1
        return f"P{n:02d}"

    # Target pseudonyms whose person the target's key names: only those can be told apart.
    keyed = set(target_key.people[ingest.Kind.PARTICIPANT].values()) if target_key else set()
    for spid, (_, label, checks) in sorted(theirs.items()):
        shared = {by_checksum[c] for c in checks if c in by_checksum}
        real = real_of.get(label)
        known = target_key.participant(real) if target_key is not None and real else None
        if len(shared) == 1:
            same(spid, label, shared.pop())
        elif known is not None and known in by_label:
            same(spid, label, by_label[known])
        elif not _PSEUDONYM.fullmatch(label):  # not pseudonymised: the label is the name
            if label in by_label:
                same(spid, label, by_label[label])
            else:
                plan.labels[spid] = label
                taken.add(label)
        else:
            new = known or (label if label not in taken else fresh())
            if new != label and known is None and (real is None or label not in keyed):
                conflicts.append(
                    f"participant {label} of {source_name} is not known to be anyone here "
                    f"(no shared document, no key entry to compare), but {label} is taken: "
                    f"kept apart as {new}"
                )
            plan.labels[spid] = new
            taken.add(new)
            if new != label:
                plan.renames[label] = new
        final = plan.labels.get(spid) or mine[plan.same[spid]][1]
        if target_key is not None and real is not None and target_key.participant(real) is None:
            target_key.adopt(ingest.Kind.PARTICIPANT, real, final)
    if source_key is not None and target_key is not None:
        for kind in (ingest.Kind.INTERVIEWER, ingest.Kind.PERSON):
            for real, placeholder in source_key.people[kind].items():
                found = target_key.lookup(kind, real)
                if found is None:
                    used = set(target_key.people[kind].values())
                    found = target_key.adopt(
                        kind, real, placeholder if placeholder not in used else None
                    )
                if found != placeholder:
                    plan.renames[placeholder] = found
    else:
        shared_names = _unchecked_placeholders(target, source)
        if shared_names:
            conflicts.append(
                f"{source_name} brings documents naming {', '.join(shared_names)}, which the "
                "project's documents name too; without both keys nobody can tell whether they "
                "are the same people"
            )
    return plan, conflicts


def _unchecked_placeholders(target: Store, source: Store) -> list[str]:
    """Interviewer and listed-person placeholders that the source's new documents and the
    target's documents both use (they may stand for different people)."""

    def used(store: Store, skip: set[str]) -> set[str]:
        docs = store.documents_frame()
        found: set[str] = set()
        for doc_id, checksum in zip(docs["document_id"], docs["checksum"], strict=True):
            if checksum not in skip:
                found |= set(_NAMED.findall(store.document_text(int(doc_id))))
        return found

    mine = set(target.documents_frame()["checksum"])
    return sorted(used(source, mine) & used(target, set()))


def _absorb(target: Project, source_dir: Path, report: MergeReport) -> None:
    """Absorb one copy: people planned, data copied and the merged key written, all before one
    commit (a failed key write leaves the target as it was)."""
    target_key, source_key = _key(target.path), _key(source_dir)
    if target_key is None and source_key is not None:
        target_key = ingest.Pseudonymiser(key_id=source_key.key_id)
    with open_project(source_dir, read_only=True) as source, target.store.transaction() as tx:
        plan, conflicts = plan_people(tx, target_key, source.store, source_key, str(source_dir))
        done = absorb(tx, source.store, user=target.coder, source_name=str(source_dir), people=plan)
        if target_key is not None:
            try:
                target_key.save(target.path / KEY_PATH)
            except OSError as exc:
                raise ProjectError(
                    f"{target.path / KEY_PATH}: the merged pseudonym key cannot be written "
                    f"({exc.strerror or exc}); nothing was merged from {source_dir}"
                ) from exc
            tx.set_meta(KEY_ID, target_key.key_id)
    report.documents += done.documents_added
    report.codings += done.codings_added
    report.memos += done.memos_added
    report.conflicts += conflicts + done.conflicts
    if source_key is not None:
        report.notes.append(
            f"key: {source_dir}'s pseudonym key merged into {target.path / KEY_PATH}"
        )
    elif done.documents_added:
        report.notes.append(
            f"key: {source_dir} has no pseudonym key; its participants were matched by shared "
            "documents only, and names of interviewers or listed persons in its new documents "
            "could not be compared"
        )


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
            if source_dir.resolve() != out.resolve():
                _absorb(target, source_dir, report)
    return report
