"""Print the figures of issue 16 (REFI-QDA round trip); run from the repository root:

    .venv/bin/python benchmarks/exchange.py [PROJECT_FOLDER]

1. The NVivo fixture (two sources with BOM and CRLF, Hungarian with emoji outside the BMP):
   how many quotes equal NVivo's selection after the import, and after our own
   export -> import.
2. A project (default: the demo study, built in a temporary folder): export -> import ->
   export with times and sizes, whether the copy equals the original (texts, segments,
   quotes, codes, coders, times, "suggested" marker, memos, participants, codebook), whether
   the second ``project.qde`` equals the first apart from memo dates, and schema validation.

Not collected by pytest (no ``test_`` prefix); the same checks run small in test_identity.py.
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

import workbench  # noqa: E402
from workbench.exchange import export_qdpx, import_qdpx, validate_qdpx  # noqa: E402

FIXTURE = ROOT / "tests" / "exchange" / "fixtures" / "nvivo"


def nvivo_selections() -> list[tuple[str, str]]:
    """(source, quote) of every NVivo selection: UTF-16 offsets, then CRLF -> LF."""
    root = ET.parse(FIXTURE / "project.qde").getroot()
    ns = {"q": "urn:QDA-XML:project:1.0"}
    found = []
    for src in root.iterfind(".//q:TextSource", ns):
        data = (FIXTURE / "Sources" / f"{src.get('guid')}.txt").read_bytes()
        units = data.decode("utf-8").removeprefix("\ufeff").encode("utf-16-le")
        for sel in src.iterfind("q:PlainTextSelection", ns):
            a, b = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
            quote = units[2 * a : 2 * b].decode("utf-16-le").replace("\r\n", "\n")
            found.append((str(src.get("name")), quote))
    return sorted(found)


def quotes(folder: Path) -> list[tuple[str, str]]:
    with workbench.open(folder) as project:
        return sorted(zip(project.codings()["document"], project.codings()["quote"], strict=True))


def nvivo_figures(tmp: Path) -> None:
    archive = tmp / "nvivo.qdpx"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in sorted(FIXTURE.rglob("*")):
            if file.is_file():
                zf.write(file, file.relative_to(FIXTURE).as_posix())
    expected = nvivo_selections()
    import_qdpx(archive, tmp / "n1", coder="me")
    first = quotes(tmp / "n1")
    with workbench.open(tmp / "n1") as project:
        export_qdpx(project, tmp / "n1.qdpx")
    import_qdpx(tmp / "n1.qdpx", tmp / "n2", coder="me")
    second = quotes(tmp / "n2")
    same_first = sum(q in expected for q in first)
    same_second = sum(q in expected for q in second)
    print(f"NVivo fixture: {len(expected)} selections")
    print(f"  import:                  {same_first}/{len(expected)} quotes equal NVivo's")
    print(f"  export -> import again:  {same_second}/{len(expected)} quotes equal NVivo's")


def project_figures(folder: Path, tmp: Path) -> None:
    from exchange.test_identity import qdpx_parts, snapshot

    with workbench.open(folder) as project:
        before = snapshot(project)
        started = time.perf_counter()
        export_qdpx(project, tmp / "first.qdpx")
        t_export = time.perf_counter() - started
    started = time.perf_counter()
    validate_qdpx(tmp / "first.qdpx")
    t_validate = time.perf_counter() - started
    started = time.perf_counter()
    report = import_qdpx(tmp / "first.qdpx", tmp / "copy", coder="importer")
    t_import = time.perf_counter() - started
    with workbench.open(tmp / "copy") as copy:
        after = snapshot(copy)
        export_qdpx(copy, tmp / "second.qdpx")
    validate_qdpx(tmp / "second.qdpx")
    size = (tmp / "first.qdpx").stat().st_size
    print(
        f"project {folder.name}: {len(before['texts'])} documents, {len(before['segments'])} "
        f"segments, {len(before['codings'])} codings "
        f"({sum(c[3] == 'suggestion' for c in before['codings'])} accepted suggestions), "
        f"{len(before['memos'])} memos, {len(before['people'])} participants"
    )
    print(
        f"  export {t_export:.2f} s ({size / 1024:.0f} KiB), validate {t_validate:.2f} s, "
        f"import {t_import:.2f} s"
    )
    differing = [key for key in before if before[key] != after[key]]
    print(
        f"  copy equals original: {not differing}"
        + (f" (differs: {differing})" if differing else "")
    )
    print(
        "  second project.qde equals the first apart from memo dates: "
        f"{qdpx_parts(tmp / 'second.qdpx') == qdpx_parts(tmp / 'first.qdpx')}"
    )
    print("  both files valid against Project.xsd: True")
    print(f"  import report: not carried over = {report.not_carried}")


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        nvivo_figures(tmp)
        if len(sys.argv) > 1:
            folder = Path(sys.argv[1])
        else:
            from workbench.project._demo import build_demo

            folder = tmp / "demo"
            with contextlib.redirect_stdout(io.StringIO()):
                build_demo(folder, progress=False)
            with workbench.open(folder) as demo:  # memos and an accepted suggestion as well
                segs = demo.segments(role="interviewee")
                for i, seg in enumerate(segs.head(40).itertuples()):
                    demo.memo("segment", int(seg.segment), f"Memo {i}\r\nrad två 😀", coder="anna")
                first = int(segs["segment"].iloc[0])
                had = set(demo.codings(segment=first)["code"])
                code = next(c.id for c in demo.codebook.codes if c.codable and c.id not in had)
                demo.code(first, code, coder="erik", origin="suggestion")
        project_figures(folder, tmp)


if __name__ == "__main__":
    main()
