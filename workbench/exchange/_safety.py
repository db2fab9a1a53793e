"""Reading untrusted ``.qdpx`` files: zip limits, member paths and XML without entities."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET

import defusedxml
import defusedxml.ElementTree as DET

from workbench.errors import ExchangeError

#: Caps on what an import may unpack (zip bombs): total bytes, and the compression ratio of
#: any member larger than ``RATIO_FLOOR`` bytes.
MAX_TOTAL = 500 * 1024 * 1024
MAX_RATIO = 200
RATIO_FLOOR = 1024 * 1024
MAX_MEMBERS = 100_000
#: Members never read (the import carries text only); their sizes are still checked.
_SKIP = (
    ".pdf",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".bmp",
    ".tif",
    ".tiff",
    ".mp3",
    ".mp4",
    ".m4a",
    ".wav",
    ".mov",
    ".avi",
    ".docx",
    ".rtf",
    ".odt",
)
_CHUNK = 1 << 16
_DRIVE = re.compile(r"\A[A-Za-z]:")


@dataclass
class Archive:
    """The members of a checked ``.qdpx``: ``project.qde`` and every other file's bytes."""

    name: str
    qde: bytes
    files: dict[str, bytes]  # member path (forward slashes) -> content

    def find(self, reference: str) -> bytes | None:
        """The member a ``plainTextPath``/``path`` names (``internal://x.txt``, ``sources/x``).

        The folder may be ``sources`` or ``Sources``; a bare file name is looked up there.
        """
        ref = re.sub(r"\A[A-Za-z]+://", "", reference.replace("\\", "/")).lstrip("/")
        wanted = ref.casefold()
        base = wanted.rsplit("/", 1)[-1]
        by_fold = {path.casefold(): data for path, data in self.files.items()}
        for candidate in (wanted, f"sources/{wanted}", f"sources/{base}"):
            if candidate in by_fold:
                return by_fold[candidate]
        return None


def _check_member(source: str, info: zipfile.ZipInfo) -> str:
    name = info.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    if name.startswith("/") or _DRIVE.match(name) or ".." in parts:
        raise ExchangeError(f"{source}: member {info.filename!r} points outside the archive")
    if info.flag_bits & 0x1:
        raise ExchangeError(f"{source}: member {info.filename!r} is encrypted")
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise ExchangeError(
            f"{source}: member {info.filename!r} expands more than {MAX_RATIO}:1 "
            "(refused as a possible zip bomb)"
        )
    return name


def read_archive(path: str | Path) -> Archive:
    """Open and check a ``.qdpx``; every limit is checked before anything is unpacked."""
    file = Path(path)
    source = file.name
    try:
        zf = zipfile.ZipFile(file)
    except FileNotFoundError as exc:
        raise ExchangeError(f"{source}: no such file") from exc
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ExchangeError(f"{source}: not a REFI-QDA project (not a zip file)") from exc
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > MAX_MEMBERS:
            raise ExchangeError(f"{source}: more than {MAX_MEMBERS} files in the archive")
        names = [_check_member(source, i) for i in infos]
        declared = sum(i.file_size for i in infos)
        if declared > MAX_TOTAL:
            raise ExchangeError(
                f"{source}: unpacks to {declared // (1024 * 1024)} MB, more than the "
                f"{MAX_TOTAL // (1024 * 1024)} MB allowed"
            )
        qde_names = [n for n in names if "/" not in n and n.casefold().endswith(".qde")]
        if not qde_names:
            raise ExchangeError(f"{source}: no project.qde in the archive")
        qde_name = next((n for n in qde_names if n.casefold() == "project.qde"), qde_names[0])
        files: dict[str, bytes] = {}
        total = 0
        for info, name in zip(infos, names, strict=True):
            if name.casefold().endswith(_SKIP):
                continue
            chunks: list[bytes] = []
            size = 0
            try:
                with zf.open(info) as member:
                    while chunk := member.read(_CHUNK):
                        size += len(chunk)
                        total += len(chunk)
                        if size > info.file_size or total > MAX_TOTAL:
                            raise ExchangeError(
                                f"{source}: member {info.filename!r} unpacks to more than it "
                                "declares (refused as a possible zip bomb)"
                            )
                        chunks.append(chunk)
            except (
                zipfile.BadZipFile,
                OSError,
                EOFError,
                RuntimeError,
                ValueError,
                NotImplementedError,
            ) as exc:
                raise ExchangeError(
                    f"{source}: member {info.filename!r} is damaged ({exc})"
                ) from exc
            files[name] = b"".join(chunks)
    return Archive(source, files.pop(qde_name), files)


def parse_xml(data: bytes, source: str) -> ET.Element:
    """Parse XML refusing DTDs, entity declarations and external references.

    Processing instructions are kept (``<?vardag ...?>`` carries what only Vardag reads); their
    ``tag`` is :func:`xml.etree.ElementTree.PI`, which :func:`~workbench.exchange._common.local`
    names ``""``.
    """
    parser = DET.DefusedXMLParser(
        target=ET.TreeBuilder(insert_pis=True),
        forbid_dtd=True,
        forbid_entities=True,
        forbid_external=True,
    )
    try:
        parser.feed(data)
        return parser.close()  # type: ignore[no-any-return]
    except defusedxml.DefusedXmlException as exc:
        raise ExchangeError(
            f"{source}: refused: the XML declares a DTD, entities or external references"
        ) from exc
    except ET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        where = f"line {line}: " if line else ""
        raise ExchangeError(f"{source}: {where}not well-formed XML ({exc.msg})") from exc
    except (ValueError, UnicodeError) as exc:
        raise ExchangeError(f"{source}: not XML ({exc})") from exc
