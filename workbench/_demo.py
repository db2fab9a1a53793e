"""``workbench demo``: build the demo study and serve JupyterLab (the tagger) and Voilà.

The demo study ships with the package (``corpora/demo/`` in the repository; see its README):
interviews, a survey, participants.csv, the names to pseudonymise, the themes the coders
developed and two coders' codings.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from workbench import _suggestions, ingest
from workbench import codebook as cb
from workbench._project import init
from workbench.errors import ProjectError
from workbench.resources import DEMO, NOTEBOOKS, resource_path

INTERVIEWERS = ("Karin Lund", "Sara Nyström")
SURVEY_COLUMNS = ingest.TableColumns(
    id="respondent",
    text="answer",
    attributes=("language", "business_type", "size", "district", "user_type", "answered_on"),
)


def build_demo(folder: Path, *, progress: bool = True) -> None:
    """Create the demo project in ``folder`` (replacing an earlier demo build there)."""
    demo = resource_path(*DEMO)
    if (folder / "project.json").exists():
        shutil.rmtree(folder)
    project = init(folder)
    try:
        book = project.codebook
        for themes in (demo / "themes.yaml", demo / "themes-survey.yaml"):
            for code in cb.codes_from_yaml(themes.read_text(encoding="utf-8"), themes.name):
                book = cb.add_code(book, code)
        project.set_codebook(book, note="themes the demo's coders developed")
        interviews = sorted((demo / "interviews").iterdir())
        report = project.import_files(
            interviews,
            attributes=demo / "participants.csv",
            pseudonymise=True,
            names=demo / "names.txt",
            interviewers=INTERVIEWERS,
            progress=progress,
        )
        print(
            f"imported {len(report.imported)} interviews ({report.segments} segments, "
            f"{report.words} words), pseudonymised"
        )
        survey = project.import_files(
            [demo / "survey.csv"],
            pseudonymise=True,
            names=demo / "survey-names.txt",
            table=SURVEY_COLUMNS,
            progress=progress,
        )
        print(f"imported {len(survey.imported)} survey answers, pseudonymised")
        for file in sorted((demo / "codings").glob("*.csv")):
            added = project.import_codings(file)
            print(f"codings {file.name}: {added}")
        model = _suggestions.fit(project)
        learned = sum(1 for v in model.status_.values() if v == "ok")
        print(f"fitted the code suggester ({learned} codes learned from the codings)")
        status = project.status()
        print(
            f"{status['participants']} participants, {status['codable_segments']} segments to "
            f"code, {status['coded_share']:.0%} coded by {', '.join(status['coders'])}"
        )
    finally:
        project.close()


def _free_port(preferred: int) -> int:
    for port in [preferred, *range(preferred + 1, preferred + 50)]:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise ProjectError(f"no free port near {preferred}")


def run_demo(folder: Path, *, serve: bool = True, port: int = 8888) -> int:
    """Build the demo project; unless ``serve`` is False, start JupyterLab and Voilà.

    JupyterLab opens in the project folder, which gets its own copy of the tutorial notebooks
    (``notebooks/``): edit them freely, the shipped ones stay as they are.
    """
    build_demo(folder)
    if not serve:
        return 0
    shutil.copytree(resource_path(*NOTEBOOKS), folder / "notebooks", dirs_exist_ok=True)
    bin_dir = Path(sys.executable).parent
    lab_token, viewer_token = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    env = {**os.environ, "WORKBENCH_PROJECT": str(folder.resolve())}
    lab_port = _free_port(port)
    voila_port = _free_port(lab_port + 100)
    tutorial = "lab/tree/notebooks/02-code.ipynb"
    procs = [
        subprocess.Popen(
            [
                str(bin_dir / "jupyter"),
                "lab",
                "--no-browser",
                f"--port={lab_port}",
                f"--ServerApp.root_dir={folder.resolve()}",
                f"--ServerApp.default_url=/{tutorial}",
                *(["--allow-root"] if os.geteuid() == 0 else []),
            ],
            env={**env, "JUPYTER_TOKEN": lab_token},  # a token on the command line is public
        ),
        subprocess.Popen(
            [str(bin_dir / "workbench"), "dashboard", str(folder), f"--port={voila_port}"],
            env={**env, "WORKBENCH_DASHBOARD_TOKEN": viewer_token},
            stdout=subprocess.DEVNULL,
        ),
    ]
    links = [
        f"JupyterLab (tagger): http://localhost:{lab_port}/{tutorial}?token={lab_token}",
        f"Dashboard (Voilà):   http://localhost:{voila_port}/?token={viewer_token}",
    ]
    time.sleep(3)
    print("\n" + "\n".join(links) + "\n\nPress Ctrl-C to stop.", flush=True)
    try:
        while all(p.poll() is None for p in procs):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=20)
    return 0
