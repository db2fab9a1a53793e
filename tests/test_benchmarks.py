"""Every benchmark runs at a tiny size (a smoke run), so none of them can rot unnoticed.

The figures they print are measured with their default sizes; see each script's docstring.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
from _data import demo_coded  # noqa: E402  (the benchmarks' own helper)

# (script, arguments, a line the script prints); {data} is a small text,codes CSV.
SMOKE = [
    ("agreement.py", ["--segments", "400", "--codes", "4"], "alpha"),
    ("concurrency.py", ["--coders", "2", "--actions", "15"], "equals the replay"),
    ("ingest.py", ["--files", "6", "--words", "300"], "words per second"),
    ("tagger.py", ["--segments", "600", "--steps", "10"], "p95"),
    ("exchange.py", [], "copy equals original: True"),
    ("retrieve.py", ["--codings", "2000", "--repeats", "1"], "same codings as the baseline: True"),
    (
        "prevalence.py",
        [
            "--data",
            "{data}",
            "--folds",
            "2",
            "--repeats",
            "1",
            "--inner-folds",
            "2",
            "--n-boot",
            "10",
        ],
        "MAE",
    ),
    (
        "themes.py",
        ["--data", "{data}", "--quick", "--no-embeddings", "--only", "full"],
        "ARI",
    ),
    ("themes.py", ["--quick", "--no-embeddings", "--only", "demo"], "ARI"),
]
# Needs the optional sentence-embedding model (installed by .ci/run).
EMBEDDINGS = [
    (
        "suggest.py",
        ["--embeddings", "--data", "{data}", "--fine-tune-epochs", "1"],
        "with/without embeddings",
    )
]
BROWSER = [("dashboard.py", ["--codings", "3000", "--loads", "1", "--changes", "1"], "filter")]
BROWSER += [("document_view.py", ["--turns", "40", "--codings", "120"], "again")]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_coded(tmp_path_factory.mktemp("bench") / "coded.csv")


def _run(script: str, args: list[str], data: Path, tmp_path: Path) -> str:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *(a.format(data=data) for a in args)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, f"{script}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.mark.slow
@pytest.mark.parametrize(("script", "args", "printed"), SMOKE, ids=[s[0] for s in SMOKE])
def test_benchmark_smoke_run(
    script: str, args: list[str], printed: str, data: Path, tmp_path: Path
) -> None:
    assert printed in _run(script, args, data, tmp_path)


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize(("script", "args", "printed"), BROWSER, ids=[s[0] for s in BROWSER])
def test_benchmark_smoke_run_in_a_browser(
    script: str, args: list[str], printed: str, data: Path, tmp_path: Path
) -> None:
    from browser._lab import need_browser

    need_browser()
    assert printed in _run(script, args, data, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize(("script", "args", "printed"), EMBEDDINGS, ids=[s[0] for s in EMBEDDINGS])
def test_benchmark_smoke_run_with_embeddings(
    script: str, args: list[str], printed: str, data: Path, tmp_path: Path
) -> None:
    from workbench.suggest._embed import resolve_embeddings

    if resolve_embeddings("auto") is None and not os.environ.get("WORKBENCH_REQUIRE_EMBEDDINGS"):
        pytest.skip("no sentence-embedding model installed")
    assert printed in _run(script, args, data, tmp_path)


def test_benchmark_every_script_has_a_smoke_run() -> None:
    scripts = {p.name for p in BENCHMARKS.glob("*.py") if not p.name.startswith("_")}
    covered = {s[0] for s in SMOKE + BROWSER + EMBEDDINGS}
    assert scripts == covered, f"scripts without a smoke run: {sorted(scripts - covered)}"
