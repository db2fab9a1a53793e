"""The workbench's one error tree.

Every error a user can cause is a :class:`WorkbenchError`; the CLI prints its message as one
line on stderr and exits with status 2.  Anything else is a bug and keeps its traceback.

::

    WorkbenchError
    ├── ImportFailed (ValueError)          a transcript or table could not be read
    │   ├── UnsupportedFormat
    │   ├── EmptyFile
    │   ├── CorruptFile
    │   └── BadTimestamp
    ├── AttributesError (ValueError)       participants.csv names unknown participants, ...
    ├── CodebookError (ValueError)         a codebook file or edit is invalid
    │   ├── InvalidCode
    │   ├── UnsafeXML
    │   └── MergeConflict
    ├── ProjectError                       no project here, schema too new, ...
    │   ├── UnknownItem (KeyError)         unknown document, segment, code or coder
    │   └── ConcurrencyError               the database stayed busy; retry later
    ├── SuggestError (ValueError)          not enough data, bad evaluation CSV, ...
    ├── AgreementError (ValueError)        one coder only, no overlap, unknown coder
    ├── AnalysisError (ValueError)         a question the codings cannot answer as asked
    │   └── InvalidQuery                   a bad search pattern, matrix axis or count
    └── ExchangeError (ValueError)         a REFI-QDA project could not be read or written

Messages name the file and, where known, the line, cue or item: ``"interview.vtt: cue 12:
timestamp '00:01:xx' is not valid"``.
"""

from __future__ import annotations

__all__ = [
    "AgreementError",
    "AnalysisError",
    "AttributesError",
    "BadTimestamp",
    "CodebookError",
    "ConcurrencyError",
    "CorruptFile",
    "EmptyFile",
    "ExchangeError",
    "ImportFailed",
    "InvalidCode",
    "InvalidQuery",
    "MergeConflict",
    "ProjectError",
    "SuggestError",
    "UnknownItem",
    "UnsafeXML",
    "UnsupportedFormat",
    "WorkbenchError",
]


class WorkbenchError(Exception):
    """Root of every error a user's input can cause."""


class ImportFailed(WorkbenchError, ValueError):
    """A transcript, caption file or table could not be imported."""


class UnsupportedFormat(ImportFailed):
    """The file's extension or content is not a format the workbench reads."""


class EmptyFile(ImportFailed):
    """The file holds no text."""


class CorruptFile(ImportFailed):
    """The file is damaged, encrypted, or not what its extension says."""


class BadTimestamp(ImportFailed):
    """A caption cue or a transcript line has a timestamp that cannot be read."""


class AttributesError(WorkbenchError, ValueError):
    """An attributes table is malformed or names unknown participants."""


class CodebookError(WorkbenchError, ValueError):
    """A codebook file or a codebook edit is invalid."""


class InvalidCode(CodebookError):
    """A code is missing, duplicated or malformed."""


class UnsafeXML(CodebookError):
    """An XML file uses entities, DTDs or external references, which are refused."""


class MergeConflict(CodebookError):
    """A merge could not be completed without a person's decision."""


class ProjectError(WorkbenchError):
    """The project folder or database cannot be used as asked."""


class UnknownItem(ProjectError, KeyError):
    """A document, segment, code, participant or coder that the project does not have."""

    def __str__(self) -> str:  # KeyError quotes its message; a user should not see quotes.
        return str(self.args[0]) if self.args else ""


class ConcurrencyError(ProjectError):
    """The database stayed busy or kept conflicting after several retries."""


class SuggestError(WorkbenchError, ValueError):
    """Suggestions cannot be trained or evaluated on the data given."""


class AgreementError(WorkbenchError, ValueError):
    """Agreement cannot be computed on the codings given."""


class AnalysisError(WorkbenchError, ValueError):
    """A question the codings cannot answer as asked (themes of too few quotes, a bad k, ...)."""


class InvalidQuery(AnalysisError):
    """A retrieval request that cannot be answered: a bad search pattern, matrix axis or count."""


class ExchangeError(WorkbenchError, ValueError):
    """A REFI-QDA project file could not be read or written."""
