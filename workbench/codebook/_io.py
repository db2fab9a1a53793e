"""Reading and writing codebook files by extension, and the built-in Grönroos codebook."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..errors import CodebookError
from ..resources import BUILTIN_CODEBOOK, resource_path
from ._csv import codebook_from_csv, codebook_to_csv
from ._model import Codebook
from ._qdc import codebook_from_qdc, codebook_to_qdc
from ._validate import validate
from ._yaml import codebook_from_yaml, codebook_to_yaml

__all__ = ["FORMATS", "builtin_codebook", "builtin_path", "load_codebook", "save_codebook"]

FORMATS = (".yaml", ".yml", ".qdc", ".csv")


def _format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise CodebookError(
            f"{path.name}: unknown codebook format {suffix or '(none)'!r}; use "
            + ", ".join(FORMATS)
        )
    return ".yaml" if suffix == ".yml" else suffix


def load_codebook(
    path: str | os.PathLike[str], *, languages: Iterable[str] | None = None
) -> Codebook:
    """Read and validate a codebook; the format comes from the extension.

    Parameters
    ----------
    path
        A ``.yaml``/``.yml``, ``.qdc`` (REFI-QDA) or ``.csv`` file.
    languages
        Languages every label must have, e.g. ``("sv", "en")``.
    """
    p = Path(path)
    fmt = _format(p)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise CodebookError(f"{p.name}: cannot read: {exc.strerror or exc}") from exc
    if fmt == ".qdc":
        book = codebook_from_qdc(data, source=p.name)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CodebookError(f"{p.name}: not UTF-8 text (byte {exc.start})") from exc
        if fmt == ".csv":
            book = codebook_from_csv(text, source=p.name)
        else:
            return codebook_from_yaml(text, source=p.name, languages=languages)
    if languages is not None:
        validate(book, source=p.name, languages=languages)
    return book


def dumps(codebook: Codebook, fmt: str) -> str:
    """The text of ``codebook`` in format ``fmt`` (``".yaml"``, ``".qdc"``, ``".csv"``)."""
    if fmt == ".qdc":
        return codebook_to_qdc(codebook)
    if fmt == ".csv":
        return codebook_to_csv(codebook)
    return codebook_to_yaml(codebook)


def save_codebook(codebook: Codebook, path: str | os.PathLike[str]) -> None:
    """Write ``codebook`` in the format of ``path``'s extension, atomically.

    The text is written to a temporary file beside ``path`` and renamed over it, so a
    reader never sees half a file and nothing is written when the export fails.
    """
    p = Path(path)
    text = dumps(codebook, _format(p))
    encoding = "utf-8-sig" if p.suffix.lower() == ".csv" else "utf-8"  # Excel needs the BOM
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    except OSError as exc:
        raise CodebookError(f"{p.name}: cannot write: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            fh.write(text)
        os.replace(tmp, p)
    except (OSError, UnicodeError) as exc:
        Path(tmp).unlink(missing_ok=True)
        raise CodebookError(f"{p.name}: cannot write: {exc}") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def builtin_path() -> Path:
    """Where the built-in codebook lives (``codebooks/gronroos.yaml``, shipped with the package)."""
    return resource_path(*BUILTIN_CODEBOOK)


def builtin_codebook() -> Codebook:
    """The built-in bilingual codebook after Grönroos's service perspective."""
    return load_codebook(builtin_path(), languages=("sv", "en"))
