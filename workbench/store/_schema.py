"""Tables of a project database (SQLAlchemy 2 Core), with named constraints.

The schema is versioned: :data:`SCHEMA_VERSION` is the version these tables describe and
``workbench.store._migrations`` brings older databases up to it.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

SCHEMA_VERSION = 3


class AuditAction(StrEnum):
    """What an audit row records.  ``CODING_ADD``, ``CODING_REMOVE`` and ``MEMO_SET`` can be
    undone; ``UNDO`` and ``REDO`` mark that they were."""

    IMPORT = "import"
    ATTRIBUTES = "attributes"
    CODEBOOK_VERSION = "codebook.version"
    CODING_ADD = "coding.add"
    CODING_REMOVE = "coding.remove"
    CODINGS_IMPORT = "codings.import"
    CODINGS_RECODE = "codings.recode"
    CODINGS_SETTLE = "codings.settle"
    MEMO_SET = "memo.set"
    SUGGESTIONS_QUEUE = "suggestions.queue"
    SUGGESTION_ACCEPTED = "suggestions.accepted"
    SUGGESTION_REJECTED = "suggestions.rejected"
    MERGE = "merge"
    REDACT = "redact"
    UNDO = "undo"
    REDO = "redo"

    @property
    def is_coding(self) -> bool:
        """Whether the action adds or removes one coding."""
        return self in (AuditAction.CODING_ADD, AuditAction.CODING_REMOVE)


class Origin(StrEnum):
    """Where a coding came from: a person's own decision, a suggestion a person accepted, or a
    theme (a group of quotes proposed by clustering) a person adopted as a code."""

    HUMAN = "human"
    SUGGESTION = "suggestion"
    THEME = "theme"


class QueuePurpose(StrEnum):
    """Why an item is in the review queue: a confident suggestion to accept or reject, or a
    prediction drawn at random to measure the model's precision."""

    REVIEW = "review"
    VALIDATION = "validation"


def _one_of(column: str, values: type[StrEnum]) -> str:
    """A CHECK expression: ``column`` holds one of the enum's values."""
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

participants = Table(
    "participants",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("pseudonym", String(64), nullable=False, unique=True),
    # The speaker label as it appears in the stored text (a pseudonym when pseudonymised).
    Column("label", String(200), nullable=False, unique=True),
    Column("attributes", Text, nullable=False, default="{}"),
)

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(500), nullable=False),
    Column("checksum", String(64), nullable=False, unique=True),
    Column("format", String(16), nullable=False),
    Column("language", String(8), nullable=False),
    Column("participant_id", ForeignKey("participants.id"), nullable=True),
    Column("attributes", Text, nullable=False, default="{}"),
    Column("text", Text, nullable=False),
    Column("imported_at", String(32), nullable=False),
    Column("imported_by", String(200), nullable=False),
)

segments = Table(
    "segments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("speaker", String(200), nullable=True),
    Column("role", String(16), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("start_time", Float, nullable=True),
    Column("end_time", Float, nullable=True),
    Column("text", Text, nullable=False),
    UniqueConstraint("document_id", "position", name="uq_segments_document_position"),
    CheckConstraint("role IN ('interviewer', 'interviewee')", name="role"),
    CheckConstraint('"start" <= "end"', name="offsets"),
)

codebook_versions = Table(
    "codebook_versions",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("created_at", String(32), nullable=False),
    Column("author", String(200), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("content", Text, nullable=False),  # canonical YAML
)

codes = Table(
    "codes",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("parent_id", String(100), nullable=True),
    Column("position", Integer, nullable=False),
    Column("label_en", String(300), nullable=False),
    Column("label_sv", String(300), nullable=False),
    Column("color", String(16), nullable=False),
    Column("shortcut", String(32), nullable=True),
    Column("codable", Boolean, nullable=False, default=True),
    # Codes removed from the codebook stay here (inactive) while audit rows refer to them.
    Column("active", Boolean, nullable=False, default=True),
)

codings = Table(
    "codings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("segment_id", ForeignKey("segments.id", ondelete="CASCADE"), nullable=False),
    Column("code_id", ForeignKey("codes.id"), nullable=False),
    Column("coder", String(200), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("origin", String(16), nullable=False, default="human"),
    Column("created_at", String(32), nullable=False),
    UniqueConstraint("segment_id", "code_id", "coder", "start", "end", name="uq_codings_decision"),
    CheckConstraint(_one_of("origin", Origin), name="origin"),
    CheckConstraint('"start" < "end"', name="span"),
    Index("ix_codings_coder_segment", "coder", "segment_id"),
    Index("ix_codings_code", "code_id"),
)

memos = Table(
    "memos",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("target", String(200), nullable=False),
    Column("coder", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("updated_at", String(32), nullable=False),
    UniqueConstraint("kind", "target", "coder", name="uq_memos_target"),
    CheckConstraint("kind IN ('segment', 'document', 'code', 'project')", name="kind"),
)

# Append-only log of every change.  ``undone_by`` points at the audit row of the undo that
# reverted this action (cleared again by a redo).
audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", String(32), nullable=False),
    Column("coder", String(200), nullable=False),
    Column("action", String(32), nullable=False),
    Column("payload", Text, nullable=False),
    Column("undoable", Boolean, nullable=False, default=False),
    Column("undone_by", Integer, nullable=True),
    Index("ix_audit_coder", "coder", "id"),
)

Index("ix_segments_document", segments.c.document_id, segments.c.position)

# Version 2: fitted suggestion models (plain arrays + JSON via skops, never pickles) tied to the
# codebook they were fitted for, and the review queue that batch suggestions fill.
models = Table(
    "models",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("codebook_hash", String(64), nullable=False),
    Column("format", String(16), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("fitted_at", String(32), nullable=False),
    Column("info", Text, nullable=False, default="{}"),
)

suggestion_queue = Table(
    "suggestion_queue",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("segment_id", ForeignKey("segments.id", ondelete="CASCADE"), nullable=False),
    Column("code_id", ForeignKey("codes.id"), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("reason", Text, nullable=False, default=""),
    Column("status", String(16), nullable=False, default="open"),
    Column("created_at", String(32), nullable=False),
    # Version 3: why the item was queued, and for a validation draw the number of predictions
    # it stands for (the inverse of its chance of being drawn), who decided and when.
    Column("purpose", String(16), nullable=False, server_default=QueuePurpose.REVIEW.value),
    Column("weight", Float, nullable=True),
    Column("reviewer", String(200), nullable=True),
    Column("reviewed_at", String(32), nullable=True),
    UniqueConstraint("segment_id", "code_id", name="uq_suggestion_queue_item"),
    CheckConstraint("status IN ('open', 'accepted', 'rejected')", name="status"),
    CheckConstraint(_one_of("purpose", QueuePurpose), name="purpose"),
)

# Version 3: the model's calibrated probability of each code for each segment no person has
# coded, tied to the model (its fit time) and codebook it came from.  Never codings: replaced
# whole when the model is refitted.
predictions = Table(
    "predictions",
    metadata,
    Column("segment_id", ForeignKey("segments.id", ondelete="CASCADE"), primary_key=True),
    Column("code_id", ForeignKey("codes.id"), primary_key=True),
    Column("probability", Float, nullable=False),
    Column("model_fitted_at", String(32), nullable=False),
    Column("codebook_hash", String(64), nullable=False),
    CheckConstraint("probability >= 0 AND probability <= 1", name="probability"),
    Index("ix_predictions_code", "code_id"),
)

# Version 3: sentence-embedding vectors by model and text hash, so a refit embeds each text once.
embeddings = Table(
    "embeddings",
    metadata,
    Column("model", String(200), primary_key=True),
    Column("text_hash", String(64), primary_key=True),
    Column("vector", LargeBinary, nullable=False),
)
