"""The one facade notebooks use: ``workbench.open("study/")`` returns a :class:`Project`.

A project is a folder holding ``project.json`` (which database, never a password) and, by
default, the SQLite database ``project.sqlite``.  The pseudonymisation key, when there is one,
lives in ``private/`` beside it and never in the database.
"""

from __future__ import annotations

import copy
import csv
import fcntl
import functools
import getpass
import glob
import itertools
import json
import multiprocessing
import os
import re
import shutil
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from tqdm.auto import tqdm

from workbench import agreement, ingest
from workbench import codebook as cb
from workbench.errors import (
    AttributesError,
    ImportFailed,
    ProjectError,
    UnknownItem,
    WorkbenchError,
)
from workbench.project import _codebook as ops
from workbench.project._memos import memos_frame
from workbench.project._redaction import leftover_frame, leftover_note
from workbench.store import (
    ImportReport,
    Origin,
    Store,
    compact,
    postgres_engine,
    public_url,
    split_schema,
    sqlite_engine,
)
from workbench.store import redact as store_redact

if TYPE_CHECKING:
    from workbench.codebook import Codebook

POINTER = "project.json"
SQLITE_NAME = "project.sqlite"
KEY_PATH = Path("private") / "pseudonym-key.json"
KEY_ID = "pseudonym_key_id"  # the meta entry naming the key file that belongs to the database
EXCLUDED_CODERS_KEY = "excluded_coders"  # the meta entry: coders the dashboards leave out


def resolve_coder(coder: str | None = None) -> str:
    """The coder's name: the argument, ``WORKBENCH_CODER``, ``JUPYTERHUB_USER``, or the login."""
    for name in (coder, os.environ.get("WORKBENCH_CODER"), os.environ.get("JUPYTERHUB_USER")):
        if name and name.strip():
            return name.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "coder"


def init(path: str | Path, *, db: str | None = None, codebook: Codebook | None = None) -> Project:
    """Create a project folder (SQLite by default, or the PostgreSQL URL ``db``).

    The built-in Grönroos codebook becomes version 1 unless another codebook is given.  A
    failure leaves nothing behind: no folder that was not there, no half-made database.
    """
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise ProjectError(f"{folder}: is a file; give a folder for the project")
    if (folder / POINTER).exists():
        raise ProjectError(f"{folder}: there is already a project here")
    pointer: dict[str, Any] = {"format": "vardag-project", "format_version": 1}
    if db is None or db.startswith("sqlite"):
        pointer["database"] = "sqlite"
        pointer["file"] = SQLITE_NAME
    elif db.startswith("postgresql"):
        plain, schema = split_schema(db)
        pointer["database"] = public_url(plain)
        pointer["schema"] = schema
    else:
        raise ProjectError(f"{db}: use a postgresql+psycopg:// URL or leave --db out for SQLite")
    made = [p for p in (folder, *folder.parents) if not p.exists()]
    project: Project | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        project = Project(folder, pointer, coder=None, read_only=False, url=db)
        if project.sqlite_file is None and project.store.schema_version():
            where = f"schema {pointer['schema']}" if pointer["schema"] else "this database"
            raise ProjectError(
                f"{pointer['database']}: {where} holds a project already; give another schema "
                "for a new one (?schema=NAME at the end of the URL)"
            )
        project.store.create_or_migrate(sqlite_file=project.sqlite_file)
        if project.sqlite_file is not None:
            # The transcripts are personal data: the file (and the -wal and -shm files SQLite
            # makes with the same mode from now on) readable by its owner only, like the key.
            for file in folder.glob(SQLITE_NAME + "*"):
                file.chmod(0o600)
        book = codebook if codebook is not None else cb.builtin_codebook()
        project.store.save_codebook(
            book, book.to_yaml(), author=project.coder, note="initial codebook"
        )
        tmp = folder / (POINTER + ".tmp")
        tmp.write_text(json.dumps(pointer, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, folder / POINTER)
        (folder / ".gitignore").write_text(
            "private/\n*.sqlite-wal\n*.sqlite-shm\n", encoding="utf-8"
        )
    except BaseException as exc:
        if project is not None:
            project.close()
        if made:
            shutil.rmtree(made[-1], ignore_errors=True)
        elif pointer["database"] == "sqlite":
            for leftover in folder.glob(SQLITE_NAME + "*"):
                leftover.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ProjectError(
                f"{folder}: cannot create the project ({exc.strerror or exc})"
            ) from exc
        raise
    return project


def open_project(
    path: str | Path, *, coder: str | None = None, read_only: bool = False, url: str | None = None
) -> Project:
    """Open the project in folder ``path``.

    ``read_only`` opens SQLite with ``mode=ro`` and PostgreSQL with read-only transactions
    (dashboards).  ``url`` gives the PostgreSQL URL with credentials when the environment
    (``PGPASSWORD``, ``.pgpass``) does not.
    """
    folder = Path(path)
    pointer_file = folder / POINTER
    if not pointer_file.exists():
        raise ProjectError(f"{folder}: no project here (run `workbench init {folder}` first)")
    try:
        pointer = json.loads(pointer_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ProjectError(f"{pointer_file}: not a readable project file ({exc})") from exc
    project = Project(folder, pointer, coder=coder, read_only=read_only, url=url)
    if not read_only:
        project.store.create_or_migrate(sqlite_file=project.sqlite_file)
    return project


class Project:
    """A study: its documents, participants, segments, codebook and codings."""

    def __init__(
        self,
        folder: Path,
        pointer: dict[str, Any],
        *,
        coder: str | None,
        read_only: bool,
        url: str | None = None,
    ) -> None:
        self.path = folder
        self.coder = resolve_coder(coder)
        self.read_only = read_only
        self.sqlite_file: Path | None = None
        if pointer.get("database") == "sqlite":
            self.sqlite_file = folder / pointer.get("file", SQLITE_NAME)
            if read_only and not self.sqlite_file.exists():
                raise ProjectError(f"{self.sqlite_file}: the project database is missing")
            engine = sqlite_engine(self.sqlite_file, read_only=read_only)
        else:
            target, schema = split_schema(
                url or os.environ.get("WORKBENCH_DB_URL") or pointer["database"]
            )
            engine = postgres_engine(
                target, schema=schema or pointer.get("schema"), read_only=read_only
            )
        self.store = Store(engine, read_only=read_only)
        self._codebook: tuple[int, Codebook] | None = None
        self._memo_key: tuple[int, ingest.Pseudonymiser] | None = None  # (file time, key)

    def __repr__(self) -> str:
        return f"<Project {str(self.path)!r} coder={self.coder!r}>"

    def close(self) -> None:
        """Close the database connections."""
        self.store.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @contextmanager
    def atomic(self) -> Iterator[Project]:
        """Everything this project writes inside the block is ONE transaction: all or nothing.

        >>> with project.atomic():               # doctest: +SKIP
        ...     project.set_codebook(book)
        ...     project.import_codings("codings.csv")
        """
        outer = self.store
        with outer.transaction() as inner:
            self.store = inner
            try:
                yield self
            finally:
                self.store = outer

    # -- what is in it ------------------------------------------------------------------------
    @property
    def documents(self) -> pd.DataFrame:
        """One row per document: name, participant, language, format, segment counts."""
        return self.store.documents_frame()

    @property
    def participants(self) -> pd.DataFrame:
        """One row per participant: pseudonym and attributes."""
        return self.store.participants_frame()

    def segments(
        self,
        document: str | Sequence[str] | None = None,
        participant: str | Sequence[str] | None = None,
        *,
        role: str | None = None,
        speaker: str | None = None,
        contains: str | None = None,
        coded_by: str | None = None,
        uncoded_by: str | None = None,
    ) -> pd.DataFrame:
        """Every segment (interviewer turns included unless ``role`` says otherwise).

        Columns: segment, document, participant, speaker, role, text, start, end (character
        offsets into the document), start_time, end_time (seconds, where known), ...
        """
        return self.store.segments_frame(
            document=document,
            participant=participant,
            role=role,
            speaker=speaker,
            contains=contains,
            coded_by=coded_by,
            uncoded_by=uncoded_by,
        )

    def codings(
        self,
        coder: str | Sequence[str] | None = None,
        *,
        code: str | Sequence[str] | None = None,
        segment: int | Sequence[int] | None = None,
    ) -> pd.DataFrame:
        """One row per coding: segment, document, participant, code, coder, origin, start,
        end, quote (the coded text), created_at."""
        return self.store.codings_frame(coder=coder, code=code, segment=segment)

    def status(self) -> dict[str, Any]:
        """Counts a researcher checks first: documents, participants, segments, coded share."""
        counts = self.store.coded_counts()
        docs = self.documents
        version = self.store.codebook_content()
        return {
            "documents": len(docs),
            "participants": len(self.participants),
            "segments": int(docs["segments"].sum()) if len(docs) else 0,
            "codable_segments": counts["segments"],
            "coded_segments": counts["coded"],
            "coded_share": counts["coded"] / counts["segments"] if counts["segments"] else 0.0,
            "coders": self.store.coders(),
            "codebook_version": version[0] if version else None,
        }

    @property
    def excluded_coders(self) -> list[str]:
        """Coders left out of the dashboards' and reports' coding layers (test or sandbox
        coders): a project setting, empty until :meth:`exclude_coders` sets it."""
        raw = self.store.get_meta(EXCLUDED_CODERS_KEY)
        try:
            names = json.loads(raw) if raw else []
        except ValueError:
            names = []
        return [str(n) for n in names] if isinstance(names, list) else []

    def exclude_coders(self, coders: Sequence[str]) -> None:
        """Leave ``coders`` out of the dashboards' and reports' layers from now on (``[]``:
        nobody); their codings stay in the project.  A name that is not a coder of the
        project (a typo) is refused."""
        names = sorted({str(c).strip() for c in coders if str(c).strip()})
        known = [c for c in self.store.coders() if c != "consensus"]
        unknown = [n for n in names if n not in known]
        if unknown:
            raise UnknownItem(
                f"{self.path}: no coder {', '.join(map(repr, unknown))} to exclude "
                f"(coders: {', '.join(known) or 'none yet'})"
            )
        self.store.set_meta(EXCLUDED_CODERS_KEY, json.dumps(names))

    # -- codebook -------------------------------------------------------------------------------
    @property
    def codebook(self) -> Codebook:
        """The project's current codebook."""
        content = self.store.codebook_content()
        if content is None:
            raise ProjectError(f"{self.path}: the project has no codebook")
        if self._codebook is None or self._codebook[0] != content[0]:
            self._codebook = (content[0], cb.Codebook.from_yaml(content[1], source="project"))
        return self._codebook[1]

    @property
    def codebook_version(self) -> int:
        content = self.store.codebook_content()
        return content[0] if content else 0

    def set_codebook(self, codebook: Codebook, *, note: str = "") -> int:
        """Make ``codebook`` the project's current codebook (a new version); audited, and
        undone by :meth:`undo` like a coding."""
        return self.store.save_codebook(
            codebook,
            codebook.to_yaml(),
            author=self.coder,
            note=note or "codebook updated",
            undoable=True,
        )

    def rename_code(self, code_id: str, label: str | Mapping[str, str], lang: str = "en") -> int:
        """Rename a code (a new codebook version; codings keep their code)."""
        return ops.rename(self, code_id, label, lang)

    def move_code(self, code_id: str, new_parent: str | None, *, index: int | None = None) -> int:
        """Move a code under another parent (None: top level)."""
        return ops.move(self, code_id, new_parent, index=index)

    def edit_code(self, code_id: str, **fields: Any) -> int:
        """Change a code's texts, colour or shortcut."""
        return ops.edit(self, code_id, **fields)

    def add_code(self, code: Any, *, index: int | None = None) -> int:
        """Add a code to the codebook."""
        return ops.add(self, code, index=index)

    def new_code(
        self, label: str, parent: str | None = None, *, lang: str = "en", coder: str | None = None
    ) -> str:
        """Make a code while coding (its label in both languages, the parent's colour) and
        return its id; undoable like a coding (see :meth:`undo`).  ``coder``: who made it in
        the codebook's history and the audit (a tagger's coder; default: the project's)."""
        if coder is None or coder == self.coder:
            return ops.new_code(self, label, parent, lang=lang)
        acting = copy.copy(self)  # the same database and codebook, acting as ``coder``
        acting.coder = coder
        return ops.new_code(acting, label, parent, lang=lang)

    def remove_code(self, code_id: str, *, lift_children: bool = False) -> int:
        """Remove an unused code (a code with codings must be merged instead)."""
        return ops.remove(self, code_id, lift_children=lift_children)

    def merge_codes(self, source_ids: Sequence[str] | str, target_id: str) -> int:
        """Merge codes into ``target_id``, moving every coding; returns how many moved."""
        return ops.merge(self, source_ids, target_id)

    def split_code(
        self, code_id: str, new_codes: Sequence[Any], assign: Any, *, as_children: bool = False
    ) -> dict[str, int]:
        """Split a code; ``assign`` says which new code each existing coding goes to."""
        return ops.split(self, code_id, new_codes, assign, as_children=as_children)

    def adopt_codebook(self, path: str | Path) -> Any:
        """Adopt a newer shared codebook file; returns what changed (a ``CodebookDiff``)."""
        return ops.adopt(self, path)

    def coding_counts(self) -> dict[str, int]:
        """Number of coded segments per code id (any coder)."""
        return ops.coding_counts(self)

    def codebook_history(self) -> pd.DataFrame:
        """Every codebook version: version, created_at, author, note."""
        return self.store.codebook_versions_frame()

    def codebook_editor(self, lang: str | None = None) -> Any:
        """A widget to edit the codebook: tree with counts, add, rename, move, merge, edit
        (``lang``: default the study's language, as the tagger's)."""
        from workbench.widgets import CodebookEditor

        return CodebookEditor(self, lang)

    # -- import ---------------------------------------------------------------------------------
    def import_files(
        self,
        paths: Sequence[str | Path],
        *,
        attributes: str | Path | None = None,
        segment: str = "turn",
        language: str | None = None,
        pseudonymise: bool | None = None,
        names: str | Path | None = None,
        key: str | Path | None = None,
        interviewers: Sequence[str] = (),
        table: ingest.TableColumns | None = None,
        progress: bool = True,
    ) -> ImportReport:
        """Import transcripts (and join participant attributes): all of them or none.

        ``pseudonymise`` defaults to what the project's earlier imports did (on once a key exists,
        or when ``names`` are given).  With it, the key file (default
        ``private/pseudonym-key.json``) is read
        after every other import has finished, and written (to disk, durably) before this one
        commits: pseudonyms are never handed out twice, and no data is stored without its key.
        Attribute values and respondent ids are pseudonymised like the text.
        """
        files = expand_paths(paths)
        notes: list[str] = []
        if pseudonymise is None:
            # Like the project's earlier imports (a forgotten flag must not store names).
            pseudonymise = names is not None or self.store.get_meta(KEY_ID) is not None
            if pseudonymise and names is None:
                notes.append("pseudonymised like the project's earlier imports")
        elif names is not None and not pseudonymise:
            raise ImportFailed("--names lists names to pseudonymise: leave out --no-pseudonymise")
        rows = read_attributes(Path(attributes)) if attributes is not None else []
        extra = read_names(Path(names)) if names is not None else []
        key_file = Path(key) if key is not None else self.path / KEY_PATH
        source = str(attributes) if attributes is not None else ""
        with self.store.transaction() as tx, _key_lock(key_file if pseudonymise else None):
            tx.lock_imports()
            pseudonymiser = self._key(tx, key_file, notes) if pseudonymise else None
            if pseudonymiser is not None:
                # Speakers first: a person talked about before their own interview is theirs.
                ingest.register_speakers(
                    files, pseudonymiser, interviewers=tuple(interviewers), table=table
                )
                pseudonymiser.add_names(extra)
            read = functools.partial(
                ingest.read,
                segment=segment,  # type: ignore[arg-type]
                language=language,
                pseudonymiser=pseudonymiser,
                interviewers=tuple(interviewers),
                table=table,
            )

            turns: list[tuple[str, int, str]] = []  # for the leftover names

            def transcripts() -> Iterator[ingest.Transcript]:
                bar = tqdm(total=len(files), unit="file", disable=not progress or len(files) < 2)
                with bar:
                    for documents in _read_all(read, files, parallel=pseudonymiser is None):
                        bar.update()
                        notes.extend(documents[0].notes)
                        turns.extend(
                            (doc.name, position, segment.text)
                            for doc in documents
                            for position, segment in enumerate(doc.segments, 1)
                        )
                        yield from documents

            report = tx.import_transcripts(
                transcripts(), user=self.coder, participant_pseudonym=_next_pseudonym
            )
            if rows:
                if pseudonymiser is not None:
                    rows = [_hidden_row(row, pseudonymiser) for row in rows]
                    # The audit names the file, not the folders on the way (which may be named
                    # after people), and the file name pseudonymised.
                    source = pseudonymiser.file_name(Path(source).name)
                tx.join_attributes(rows, source=source, user=self.coder)
            if pseudonymiser is not None:
                try:
                    pseudonymiser.save(key_file)
                except OSError as exc:
                    raise ProjectError(
                        f"{key_file}: the pseudonym key cannot be written "
                        f"({exc.strerror or exc}); nothing was imported"
                    ) from exc
                tx.set_meta(KEY_ID, pseudonymiser.key_id)
        if pseudonymiser is not None:
            note = leftover_note(leftover_frame(turns), str(self.path))
            if note is not None:
                notes.append(note)
        report.notes = notes
        return report

    def leftover_names(self) -> pd.DataFrame:
        """Capitalised words left in the stored text that may be names nobody listed: words,
        count, documents (how many), document and segment of the first, context.  For the
        researcher's eyes; redact the real names with :meth:`redact`."""
        segments = self.segments()
        return leftover_frame(
            zip(segments["document"], segments["segment"], segments["text"], strict=True)
        )

    def redact(self, names: str | Path | Sequence[str], *, key: str | Path | None = None) -> Any:
        """Replace names found after import (a names file or a list) everywhere the project
        holds text, keeping every coding on its words; one audited transaction, the key file
        written before it commits.  Returns what changed (counts)."""
        extra = read_names(Path(names)) if isinstance(names, str | Path) else list(names)
        if not extra:
            raise ImportFailed(f"{names}: no names to redact")
        if self.store.get_meta(KEY_ID) is None:
            raise ProjectError(
                f"{self.path}: the project was imported without pseudonymisation, so its speakers "
                "keep their names; import the files again into a new project with --pseudonymise"
            )
        key_file = Path(key) if key is not None else self.path / KEY_PATH
        with self.store.transaction() as tx, _key_lock(key_file):
            tx.lock_imports()
            pseudonymiser = self._key(tx, key_file, [])
            pseudonymiser.add_names(extra)
            report = store_redact(
                tx, pseudonymiser.replace, pseudonymiser.file_name, user=self.coder
            )
            try:
                pseudonymiser.save(key_file)
            except OSError as exc:
                raise ProjectError(
                    f"{key_file}: the pseudonym key cannot be written "
                    f"({exc.strerror or exc}); nothing was redacted"
                ) from exc
        report.compacted = compact(self.store.engine)
        if self.sqlite_file is not None:
            report.copies = sorted(
                str(p) for p in self.path.glob(SQLITE_NAME.split(".")[0] + ".v*.bak")
            )
        return report

    def _key(self, store: Store, key_file: Path, notes: list[str]) -> ingest.Pseudonymiser:
        """The project's pseudonym key, read now (under the import lock) and checked against
        the database: the same key, and every pseudonym in use reserved."""
        expected = store.get_meta(KEY_ID)
        if key_file.exists() and not key_file.is_file():
            raise ProjectError(f"{key_file}: not a file; the pseudonym key is a JSON file")
        if key_file.exists():
            key = ingest.Pseudonymiser.load(key_file)
            if expected is not None and key.key_id != expected:
                raise ProjectError(
                    f"{key_file}: this pseudonym key belongs to another project (key {key.key_id}, "
                    f"the project's is {expected}); give the project's own key with --key"
                )
        elif expected is not None:
            raise ProjectError(
                f"{key_file}: the project's pseudonym key is missing; restore it from a backup or "
                "give it with --key (without it, people already imported would get new pseudonyms)"
            )
        else:
            key = ingest.Pseudonymiser()
        labels = store.participant_labels()
        key.reserve(labels.values())
        known = set(key.people[ingest.Kind.PARTICIPANT].values())
        lost = sorted(p for label, p in labels.items() if label == p and p not in known)
        if lost:
            notes.append(
                f"{key_file}: the key has no entry for {', '.join(lost[:10])}"
                f"{' …' if len(lost) > 10 else ''}: they keep their pseudonyms, but if they are "
                "interviewed again they cannot be recognised"
            )
        return key

    def import_codings(self, path: str | Path) -> int:
        """Import codings from a CSV (``document,turn,code,coder,span``; see
        ``corpora/demo/README.md``); returns how many were new.  All rows or none."""
        file = Path(path)
        key_file = self.path / KEY_PATH
        # Spans are quoted from the source files: pseudonymise them like the transcripts.
        key = ingest.Pseudonymiser.load(key_file) if key_file.exists() else None
        hide = key.text if key is not None else str
        hide_name = key.file_name if key is not None else str
        segs = self.segments()
        by_turn = {
            (doc, pos + 1): row
            for doc, pos, row in zip(
                segs["document"], segs["position"], segs.itertuples(index=False), strict=True
            )
        }
        codable = {c.id for c in self.codebook.codes if c.codable}
        rows: list[dict[str, Any]] = []
        for line, record in _csv_rows(file, ("document", "turn", "code", "coder")):
            where = f"{file.name}: line {line}"
            try:
                turn = int(record["turn"])
            except ValueError as exc:
                raise ImportFailed(f"{where}: turn {record['turn']!r} is not a number") from exc
            seg = by_turn.get((hide_name(record["document"]), turn))
            if seg is None:
                raise UnknownItem(
                    f"{where}: document {record['document']!r} has no turn {turn} in the project"
                )
            if seg.role == "interviewer":
                raise ImportFailed(f"{where}: turn {turn} is the interviewer's (context, not data)")
            if not record["coder"].strip():
                raise ImportFailed(f"{where}: the coder cell is empty")
            if record["code"].strip() not in codable:
                raise UnknownItem(f"{where}: code {record['code'].strip()!r} is not a codable code")
            origin = (record.get("origin") or Origin.HUMAN).strip() or Origin.HUMAN
            if origin not in set(Origin):
                choices = ", ".join(o.value for o in Origin)
                raise ImportFailed(f"{where}: origin {origin!r} is not one of {choices}")
            start, end = seg.start, seg.end
            span = hide((record.get("span") or "").strip())
            if span:
                found = ingest.locate(span, seg.text)
                if found is None:
                    raise ImportFailed(f"{where}: span {span[:40]!r} is not in turn {turn}")
                start, end = seg.start + found[0], seg.start + found[1]
            rows.append(
                {
                    "segment_id": int(seg.segment),
                    "code_id": record["code"].strip(),
                    "coder": record["coder"].strip(),
                    "start": int(start),
                    "end": int(end),
                    "origin": origin,
                }
            )
        try:
            return self.store.bulk_add_codings(rows, user=self.coder)
        except UnknownItem as exc:
            raise UnknownItem(f"{file.name}: {exc}") from exc

    # -- coding ---------------------------------------------------------------------------------
    def code(
        self,
        segment: int,
        code: str,
        *,
        coder: str | None = None,
        start: int | None = None,
        end: int | None = None,
        origin: str = Origin.HUMAN,
        interviewer: bool = False,
    ) -> bool:
        """Code a segment, or the span ``start``-``end`` (document offsets) of it; committed and
        audited at once.  False if that coding already existed.  An interviewer's turn is
        context and refused, unless ``interviewer`` says the study codes interviewers too."""
        return self.store.add_coding(
            segment,
            code,
            self.coder if coder is None else coder,
            start=start,
            end=end,
            origin=origin,
            interviewer=interviewer,
        )

    def uncode(
        self,
        segment: int,
        code: str,
        *,
        coder: str | None = None,
        start: int | None = None,
        end: int | None = None,
    ) -> bool:
        """Remove a coding; committed and audited at once."""
        who = self.coder if coder is None else coder
        return self.store.remove_coding(segment, code, who, start=start, end=end)

    def memos(self) -> pd.DataFrame:
        """Every memo: kind (segment, document, code, project), target (its id), on (what it
        is about, readable), author, text, updated_at; newest first."""
        return memos_frame(self)

    def memo(
        self, kind: str, target: str | int, text: str | None = None, *, coder: str | None = None
    ) -> str:
        """Read (``text`` None) or write a memo on a segment, document (its id or name), code
        or the project.  In a pseudonymised project the memo is pseudonymised with the key
        when the key is on this machine: a name written in it is stored as its pseudonym."""
        who = self.coder if coder is None else coder
        if kind == "document" and isinstance(target, str) and not target.strip().isdigit():
            docs = self.documents
            named = docs.loc[docs["document"] == target, "document_id"]
            if len(named):
                target = int(named.iloc[0])
        if text is not None:
            self.store.set_memo(kind, target, who, self._pseudonymised(text))
        return self.store.memo(kind, target, who)

    def _pseudonymised(self, text: str) -> str:
        """``text`` with the names the project's key knows replaced (as it is without a key)."""
        key_file = self.path / KEY_PATH
        if not text or self.store.get_meta(KEY_ID) is None or not key_file.is_file():
            return text
        stamp = key_file.stat().st_mtime_ns
        if self._memo_key is None or self._memo_key[0] != stamp:
            self._memo_key = (stamp, ingest.Pseudonymiser.load(key_file))
        return self._memo_key[1].text(text)

    # -- agreement ------------------------------------------------------------------------------
    def agreement(
        self,
        coders: Sequence[str] | str | None = None,
        *,
        codes: Sequence[str] | str | None = None,
        level: str = "segment",
        bootstrap: int = 1000,
    ) -> Any:
        """Intercoder agreement (percent, Cohen's and Fleiss' kappa, Krippendorff's alpha) on
        the interviewee segments, without codings adopted from a theme; see
        :func:`workbench.agreement.agreement`."""
        if codes is not None:
            wanted = codes.split(",") if isinstance(codes, str) else list(codes)
            unknown = [c.strip() for c in wanted if c.strip() not in self.codebook]
            if unknown:
                raise UnknownItem(f"unknown code(s) {', '.join(map(repr, unknown))}")
        return agreement.agreement(
            self._independent_codings(),
            coders=coders,
            codes=codes,
            segments=self.segments(role="interviewee"),
            level=level,
            bootstrap=bootstrap,
        )

    def disagreements(self, coders: Sequence[str] | str | None = None) -> pd.DataFrame:
        """One row per segment where the coders' codes differ (see ``workbench.agreement``)."""
        return agreement.disagreements(
            self._independent_codings(),
            coders=coders,
            segments=self.segments(role="interviewee"),
        )

    def _independent_codings(self) -> pd.DataFrame:
        """The codings agreement is measured on: not those adopted from a theme, which one
        researcher applied to quotes others had coded (they are no independent judgement)."""
        codings = self.codings()
        return codings[codings["origin"] != Origin.THEME].reset_index(drop=True)

    def settle(
        self,
        segment: int,
        decided: Sequence[str | tuple[str, int, int]],
        *,
        layer: str = "consensus",
        note: str = "",
    ) -> None:
        """Record the settled codes of a segment in the ``consensus`` layer (audited).

        ``decided`` holds code ids (whole segment) or ``(code, start, end)`` spans.
        """
        rows = [
            (item, None, None) if isinstance(item, str) else (item[0], item[1], item[2])
            for item in decided
        ]
        self.store.settle(segment, rows, layer=layer, user=self.coder, note=note)

    def adjudicate(self, coders: Sequence[str] | str | None = None, lang: str = "en") -> Any:
        """A widget that walks through each disagreement and records the settled coding."""
        from workbench.widgets import Adjudicator

        return Adjudicator(self, coders if isinstance(coders, str | None) else list(coders), lang)

    def undo(self, coder: str | None = None) -> dict[str, Any] | None:
        """Undo the coder's latest coding or memo change (works across kernel restarts)."""
        return self.store.undo(coder or self.coder)

    def redo(self, coder: str | None = None) -> dict[str, Any] | None:
        """Redo what :meth:`undo` reverted, unless the coder has acted since."""
        return self.store.redo(coder or self.coder)

    def suggester(self, *, refit: bool = True) -> Any:
        """The project's fitted :class:`~workbench.suggest.CodeSuggester` (stored in the
        database; refitted when the codebook changed) or, with nothing coded yet, one that
        suggests from the codebook's own texts."""
        from workbench.project import _suggestions
        from workbench.suggest import CodeSuggester

        model = _suggestions.load(self, refit=refit) if self.codings().shape[0] else None
        return model or CodeSuggester(codebook=self.codebook).fit([], [])

    def suggestion_quality(self, folds: int = 5) -> dict[str, Any]:
        """How far suggestions can be trusted: per-code precision, recall and F1 cross-validated
        on this project's own codings, and a learning curve (the dict
        ``workbench suggest report`` prints)."""
        from workbench.project import _suggestions

        return _suggestions.report(self, folds=folds)

    # -- the machine layer: predictions, prevalence, validation -----------------------------
    def predict(self) -> int:
        """Fit the suggester, calibrate it and store each learned code's probability for every
        codable segment nobody has coded (never codings; replaced by the next call); returns
        the number of segments predicted.  See :mod:`workbench.project._predictions`."""
        from workbench.project import _suggestions

        return _suggestions.predict(self)

    def queue_suggestions(self, min_confidence: float = 0.8) -> int:
        """Predict (as :meth:`predict`) and fill the review queue with the predictions of at
        least ``min_confidence``; the queue belongs to the project, whoever accepts reviews.
        Returns the number queued (``workbench suggest apply`` does the same)."""
        from workbench.project import _suggestions

        return _suggestions.apply(self, min_confidence)

    def predictions(
        self,
        code: str | Sequence[str] | None = None,
        min_probability: float = 0.0,
        *,
        lang: str = "en",
    ) -> pd.DataFrame:
        """The model's stored predictions for segments nobody has coded: segment, document,
        participant, code, label, probability, text, model_fitted_at.  Refused (one line) when
        there are none or the codebook changed since they were made."""
        from workbench.project import _predictions

        return _predictions.predictions(self, code, min_probability, lang=lang)

    def prevalence(
        self,
        *,
        level: str = "participant",
        by: str | None = None,
        source: str | None = None,
        lang: str = "en",
        n_boot: int = 1000,
        seed: int = 0,
    ) -> pd.DataFrame:
        """How common each code is, people's codings and the model's predictions together,
        corrected for the model's errors, with 95 % bootstrap intervals: ``[by,] code, label,
        estimate, ci_low, ci_high, classify_and_count, n_human, n_estimated, method, note,
        source`` (``"interviews"`` or ``"survey"``, never mixed).  ``level`` is
        ``"participant"`` or ``"segment"``; ``by`` a participant attribute.  See
        :func:`workbench.project._predictions.prevalence`."""
        from workbench.project import _predictions

        return _predictions.prevalence(
            self, level=level, by=by, source=source, lang=lang, n_boot=n_boot, seed=seed
        )

    def validate(self, sample: int = 50, seed: int = 0) -> int:
        """Draw a stratified random sample of ``sample`` predictions (by code and probability
        band) into the review queue; accepting or rejecting them measures the model's
        precision and corrects the estimates.  Returns the number drawn."""
        from workbench.project import _predictions

        return _predictions.validate(self, sample=sample, seed=seed)

    def precision(self, *, lang: str = "en") -> pd.DataFrame:
        """Per-code precision of the suggestions from the decided validation items, with 95 %
        Wilson intervals: code, label, n, accepted, precision, ci_low, ci_high."""
        from workbench.project import _predictions

        return _predictions.precision(self, lang=lang)

    def tagger(self, coder: str | None = None, **options: Any) -> Any:
        """The coding widget for this project (see :class:`workbench.widgets.Tagger`).

        Suggestions come from :meth:`suggester` and keep learning while you code, unless
        ``suggest`` is given (``suggest=None`` turns them off).
        """
        from workbench.project._suggestions import LiveSuggestions
        from workbench.widgets import Tagger

        if "suggest" not in options:
            options["suggest"] = LiveSuggestions(self, self.suggester())
        return Tagger(self, coder=coder, **options)

    # -- the researcher's workspace: read, retrieve, search, memos ---------------------------
    def query(
        self,
        code: str | Sequence[str] | None = None,
        *,
        coder: str | Sequence[str] | None = None,
        document: str | Sequence[str] | None = None,
        text: str | None = None,
        lang: str | None = None,
        context: int = 80,
        **attributes: str | Sequence[str],
    ) -> pd.DataFrame:
        """Every coding that matches, one row each, with its full quote and a little context.

        ``code`` is a code id, a list of ids (any of them) or an expression over codes on the
        same segment: ``"bp-needs and (fq-trust or fq-behaviour) and not val-positive"``.
        ``attributes`` filter participants (``user_type="external"``).  Columns: code, label,
        coder, origin, participant, document, segment, start, end, quote, before, after.
        """
        from workbench.project import _workspace

        return _workspace.query(
            self,
            code,
            coder=coder,
            document=document,
            text=text,
            lang=lang,
            context=context,
            attributes=attributes,
        )

    def matrix(
        self,
        rows: str = "code",
        columns: str = "coder",
        value: str = "participants",
        *,
        code: str | Sequence[str] | None = None,
        coder: str | Sequence[str] | None = None,
        lang: str | None = None,
    ) -> pd.DataFrame:
        """A code × group table: how many ``participants`` (or ``segments``) per code and
        value of ``columns`` (an attribute, ``"coder"`` or ``"document"``), code labels as rows."""
        from workbench.project import _workspace

        return _workspace.matrix(self, rows, columns, value, code=code, coder=coder, lang=lang)

    def cooccurrence(
        self,
        *,
        code: str | Sequence[str] | None = None,
        coder: str | Sequence[str] | None = None,
        value: str = "segments",
        lang: str | None = None,
    ) -> pd.DataFrame:
        """Code × code: how many segments (or participants) carry both codes, labels as names."""
        from workbench.project import _workspace

        return _workspace.cooccurrence(self, code=code, coder=coder, value=value, lang=lang)

    def search(
        self,
        text: str,
        *,
        whole_word: bool = True,
        regex: bool = False,
        document: str | Sequence[str] | None = None,
        role: str | None = "interviewee",
    ) -> pd.DataFrame:
        """Where ``text`` occurs: one row per hit (document, segment, participant, start, end
        as document offsets, snippet).  Case does not matter; accents do (ä is not a)."""
        from workbench.project import _workspace

        return _workspace.search(
            self, text, whole_word=whole_word, regex=regex, document=document, role=role
        )

    def document_view(
        self, document: str | int, *, coder: str | Sequence[str] | None = None, **options: Any
    ) -> Any:
        """The whole transcript, turn by turn, with its codings as stripes in the margin."""
        from workbench.widgets import DocumentView

        return DocumentView(self, document, coder=coder, **options)

    def query_view(self, **options: Any) -> Any:
        """A widget over :meth:`query`: pick codes, groups and coders, read and export quotes."""
        from workbench.widgets import QueryView

        return QueryView(self, **options)

    def matrix_view(self, **options: Any) -> Any:
        """A widget over :meth:`matrix` and :meth:`cooccurrence`: a click on a cell lists its
        quotes."""
        from workbench.widgets import MatrixView

        return MatrixView(self, **options)

    def memo_browser(self, lang: str | None = None, **options: Any) -> Any:
        """A widget over :meth:`memos`: every memo with kind, what it is on, author and time,
        filters, today's project journal entry; a segment memo opens in the tagger (``lang``:
        default the study's language, as the tagger's)."""
        from workbench.widgets import MemoBrowser

        return MemoBrowser(self, lang, **options)

    # -- emergent themes ------------------------------------------------------------------------
    def themes(
        self,
        code: str,
        *,
        coder: str | None = None,
        k: int | None = None,
        seed: int = 0,
        source: str | None = None,
    ) -> pd.DataFrame:
        """Candidate themes among the quotes coded with ``code`` or a code below it (by
        ``coder``, or every coder's own and accepted codings): one row per candidate, largest
        first, with a suggested ``label`` from the quotes, distinctive ``terms``, its
        ``segments`` and ``participants`` (and their counts) and the 3 most ``typical`` quotes.

        ``k`` themes, or estimated when None; the same seed gives the same frame.  The rest of
        the study teaches which words belong together; see
        :func:`workbench.analysis.propose_themes` for the columns.  ``existing`` and
        ``n_existing`` name the code below ``code`` that already holds most of a candidate's
        quotes and how many.  ``source``: ``"interviews"`` or ``"survey"`` only (None: both).
        """
        from workbench.project import _themes

        return _themes.themes(self, code, coder=coder, k=k, seed=seed, source=source)

    def theme_view(self, code: str, *, coder: str | None = None, lang: str = "en") -> Any:
        """A widget over :meth:`themes`: read each candidate, rename, merge, move or drop
        quotes, find them again with another number, and adopt one as a child code of
        ``code`` (undoable).  ``coder``: whose quotes, and who adopts (default: every coder's
        quotes, adopted by the project's coder)."""
        from workbench.widgets import ThemeView

        return ThemeView(self, code, coder=coder, lang=lang)

    def adopt_theme(
        self,
        code: str,
        label: str,
        segments: Sequence[int],
        *,
        definition: str = "",
        coder: str | None = None,
        lang: str = "en",
        other_label: str = "",
    ) -> str:
        """Make a theme a child code of ``code`` and code its quotes (``segments``) with it,
        marked as coming from a theme (origin ``theme``) and by ``coder`` (default: the
        project's coder), in one audited transaction; returns the new code's id.
        :meth:`undo` takes code and codings back together.  ``label`` is in ``lang``,
        ``other_label`` (optional) in the other language; a label any code already has is
        refused."""
        from workbench.project import _themes

        return _themes.adopt_theme(
            self,
            code,
            label,
            segments,
            definition=definition,
            coder=coder,
            lang=lang,
            other_label=other_label,
        )


_PARALLEL_FROM = 32  # files; below this, starting worker processes costs more than it saves


def _read_all(
    read: Callable[[Path], list[ingest.Transcript]], files: Sequence[Path], *, parallel: bool
) -> Iterator[list[ingest.Transcript]]:
    """Each file's transcripts, in order.  Many files are read by worker processes (one per
    core) while the caller stores the previous ones; at most a few files are in flight, so
    memory stays flat.  Pseudonymisation needs one shared key, so it reads in order here.
    Workers are forked, which is only safe in a process without other threads (the command
    line); elsewhere (a Jupyter kernel) files are read in this process."""
    workers = os.cpu_count() or 1
    single_threaded = threading.active_count() == 1
    if not parallel or not single_threaded or workers < 2 or len(files) < _PARALLEL_FROM:
        yield from map(read, files)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: deque[Future[list[ingest.Transcript]]] = deque()
        queue = iter(files)
        for file in itertools.islice(queue, 4 * workers):
            pending.append(pool.submit(read, file))
        while pending:
            result = pending.popleft().result()
            nxt = next(queue, None)
            if nxt is not None:
                pending.append(pool.submit(read, nxt))
            yield result


def _next_pseudonym(label: str, known: set[str]) -> str:
    if re.fullmatch(r"P\d{2,}", label) and label not in known:
        return label
    n = 1
    while f"P{n:02d}" in known:
        n += 1
    return f"P{n:02d}"


@contextmanager
def _key_lock(key_file: Path | None) -> Iterator[None]:
    """An exclusive lock on the key file's folder for the length of an import, also between
    projects that share one key file (``--key``); nothing when there is no key."""
    if key_file is None:
        yield
        return
    try:
        key_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle = open(key_file.parent / ".pseudonym-key.lock", "a+b")  # noqa: SIM115
    except OSError as exc:
        raise ProjectError(
            f"{key_file.parent}: cannot use this folder for the pseudonym key "
            f"({exc.strerror or exc}); nothing was imported"
        ) from exc
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _hidden_row(
    row: tuple[int, str, dict[str, str]], key: ingest.Pseudonymiser
) -> tuple[int, str, dict[str, str]]:
    """An attributes row as stored: values pseudonymised, a participant named by their pseudonym
    and a file name as the pseudonymised document is called."""
    line, name, values = row
    joined_on = key.participant(name) or key.file_name(name)
    return line, joined_on, {k: key.text(v) for k, v in values.items()}


def expand_paths(paths: Sequence[str | Path]) -> list[Path]:
    """Files named on the command line; patterns are expanded when the shell did not."""
    files: list[Path] = []
    for raw in paths:
        text = str(raw)
        if not Path(text).exists() and any(ch in text for ch in "*?["):
            matched = sorted(glob.glob(text, recursive=True))
            if not matched:
                raise ImportFailed(f"{text}: no files match")
            files.extend(Path(m) for m in matched)
        elif Path(text).is_dir():
            raise ImportFailed(f"{text}: is a folder; name the files (e.g. {text}/*.docx)")
        elif not Path(text).exists():
            raise ImportFailed(f"{text}: no such file")
        else:
            files.append(Path(text))
    return files


def _read_text(file: Path, what: str, error: type[WorkbenchError]) -> str:
    """A small text file (CSV, names) in any encoding the transcripts may have."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise error(f"{file.name}: cannot read the {what} ({exc.strerror or exc})") from exc
    try:
        return ingest.decode_text(data, file.name).text
    except ImportFailed as exc:
        raise error(str(exc)) from exc


def _csv_rows(
    file: Path, required: Sequence[str], error: type[WorkbenchError] = ImportFailed
) -> Iterator[tuple[int, dict[str, str]]]:
    lines = _read_text(file, "CSV file", error).splitlines()
    try:
        reader = csv.DictReader(lines)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise error(f"{file.name}: line 1: not a CSV header ({exc})") from exc
    if missing:
        raise error(f"{file.name}: line 1: missing column(s) {', '.join(missing)}")
    try:
        for line, record in enumerate(reader, start=2):
            yield line, {k: (v or "") for k, v in record.items() if k is not None}
    except csv.Error as exc:
        raise error(f"{file.name}: line {reader.line_num}: not valid CSV ({exc})") from exc


def read_attributes(file: Path) -> list[tuple[int, str, dict[str, str]]]:
    """``(line, key, attributes)`` rows of a participants CSV keyed by ``file``/``document`` or
    ``participant``; a key given twice is refused (the second row would silently win)."""
    if not file.exists():
        raise AttributesError(f"{file}: no such file")
    header = next(csv.reader(_read_text(file, "attributes", AttributesError).splitlines()), [])
    key = next((c for c in ("file", "document", "participant", "id") if c in header), None)
    if key is None:
        raise AttributesError(
            f"{file.name}: line 1: needs a column 'file', 'document' or 'participant' to join on"
        )
    rows = []
    seen: dict[str, int] = {}
    for line, record in _csv_rows(file, (key,), AttributesError):
        name = record.pop(key).strip()
        if not name:
            raise AttributesError(f"{file.name}: line {line}: the {key!r} cell is empty")
        if name in seen:
            raise AttributesError(
                f"{file.name}: line {line}: {name!r} has a row already (line {seen[name]}); "
                "keep one row per participant"
            )
        seen[name] = line
        rows.append((line, name, {k: v.strip() for k, v in record.items() if v.strip()}))
    return rows


def read_names(file: Path) -> list[str]:
    """Names to pseudonymise, one per line (``#`` comments allowed), in any encoding."""
    if not file.exists():
        raise ImportFailed(f"{file}: no such names file")
    lines = _read_text(file, "names file", ImportFailed).splitlines()
    return [s for line in lines if (s := line.split("#", 1)[0].strip())]
