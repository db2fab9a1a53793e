"""Limits for the zip files users bring (.docx, .xlsx, .qdpx): no zip bombs, no odd members.

Python's :mod:`zipfile` never unpacks more than a member's declared size, so checking the
declared sizes before anything is read bounds the memory an import can take.
"""

from __future__ import annotations

import io
import zipfile

from workbench.errors import CorruptFile, ImportFailed

__all__ = ["MAX_MEMBERS", "MAX_RATIO", "MAX_TOTAL", "RATIO_FLOOR", "check_zip"]

#: What an archive may unpack to in all, the compression ratio allowed for any member larger
#: than ``RATIO_FLOOR``, and how many members it may have.
MAX_TOTAL = 500 * 1024 * 1024
MAX_RATIO = 200
RATIO_FLOOR = 1024 * 1024
MAX_MEMBERS = 100_000


def check_zip(
    data: bytes, name: str, what: str, error: type[ImportFailed] = CorruptFile
) -> zipfile.ZipFile:
    """Open ``data`` as a zip file (``what`` names it for messages: "a Word document") and
    refuse it, with ``error``, when it is not one, is encrypted or would unpack too much."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise error(f"{name}: not {what} (not a zip file)") from exc
    if len(members) > MAX_MEMBERS:
        raise error(f"{name}: {len(members)} parts, more than {what} has (refused)")
    total = 0
    for info in members:
        if info.flag_bits & 0x1:
            raise error(f"{name}: {what} that is encrypted or password-protected")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise error(
                f"{name}: part {info.filename!r} expands more than {MAX_RATIO}:1 "
                "(refused as a possible zip bomb)"
            )
        total += info.file_size
        if total > MAX_TOTAL:
            raise error(
                f"{name}: unpacks to more than {MAX_TOTAL // (1024 * 1024)} MB "
                "(refused as a possible zip bomb)"
            )
    return archive
