"""``workbench demo``: build the demo study and serve JupyterLab (the tagger) and Voilà.

The demo study ships with the package (``corpora/demo/`` in the repository; see its README):
interviews, a survey, participants.csv, the names to pseudonymise, the themes the coders
developed and two coders' codings.  The build ends with the model's predictions for the
segments nobody coded (``p.predict()``), without sentence embeddings unless the machine has
them configured: the build takes about 18 s on two busy shared cores, 9 s of it the final fit
and the five calibration fits.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from workbench import codebook as cb
from workbench import ingest
from workbench.project import _suggestions
from workbench.project._project import init
from workbench.resources import DEMO, resource_path

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
        # The model's predictions for every uncoded segment (the survey's 1,700 answers
        # nobody coded), so the dashboards can show estimates beside the human codings.
        predicted = _suggestions.predict(project)
        learned = project.store.predictions_frame(text=False)["code"].nunique()
        print(
            f"fitted the code suggester and predicted {learned} codes for {predicted} "
            "segments nobody coded (estimates, never codings)"
        )
        status = project.status()
        print(
            f"{status['participants']} participants, {status['codable_segments']} segments to "
            f"code, {status['coded_share']:.0%} coded by {', '.join(status['coders'])}"
        )
    finally:
        project.close()
