"""What an exchange did: counts, and every item it changed or could not carry over."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ExchangeReport:
    """The outcome of :func:`~workbench.exchange.import_qdpx` or ``export_qdpx``.

    ``adjusted`` lists items carried over with a change (positions converted, a coding
    clipped to the segments it spans, a document renamed); ``not_carried`` lists items the
    workbench could not represent (PDF, picture, audio and video sources, selections out of
    range, references to unknown codes, ...).  Nothing is dropped without a line here.
    """

    file: str
    documents: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already in the project (same text)
    participants: int = 0
    codes_added: list[str] = field(default_factory=list)
    codings: int = 0  # written (new) codings
    codings_read: int = 0  # codings in the file that mapped onto segments
    memos: int = 0
    adjusted: list[str] = field(default_factory=list)
    not_carried: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report as lines for the command line."""
        out = [
            f"{self.file}: {len(self.documents)} document(s) imported, "
            f"{len(self.skipped)} already present, {self.participants} participant(s), "
            f"{len(self.codes_added)} new code(s), {self.codings} new coding(s) "
            f"(of {self.codings_read} read), {self.memos} memo(s)"
        ]
        out.extend(f"skipped {name}: already in the project (same text)" for name in self.skipped)
        out.extend(f"adjusted: {line}" for line in self.adjusted)
        out.extend(f"not carried over: {line}" for line in self.not_carried)
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())
