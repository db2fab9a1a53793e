"""Write the small real files in ``fixtures/`` (run again after changing them).

.venv/bin/python tests/ingest/make_fixtures.py
"""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl

HERE = Path(__file__).parent / "fixtures"


def _docx_prefix(path: Path) -> None:
    d = docx.Document()
    d.add_heading("Intervju 4, kafé", level=1)
    d.add_paragraph("[00:00:05] Intervjuare: Hur ser en vanlig dag ut?")
    d.add_paragraph("[00:00:09] Sofia: Jag börjar klockan fem. Degen ska jäsa.")
    d.add_paragraph("Sedan kommer leveranserna, t.ex. mjölet.")
    d.add_paragraph("[00:00:30] Intervjuare: Vad är svårast?")
    d.add_paragraph("[00:00:33] Sofia: Reglerna. Ingen förklarar dem.")
    d.save(path)


def _docx_bold(path: Path) -> None:
    d = docx.Document()
    for speaker, text in [
        ("Interviewer:", "How did the inspection go?"),
        ("Kwame:", "It went fine, but nobody told me what they wanted."),
        ("Interviewer:", "What would have helped?"),
        ("Kwame:", "A checklist. Just a simple checklist."),
    ]:
        p = d.add_paragraph()
        p.add_run(speaker).bold = True
        p.add_run(" " + text)
    d.add_paragraph("He laughs and continues about the paperwork.")
    d.save(path)


def _docx_table(path: Path, with_time: bool) -> None:
    d = docx.Document()
    d.add_paragraph("Transcript exported by a service")
    rows = [
        ("00:00:01", "Speaker 1", "Can you tell me about your shop?"),
        ("00:00:06", "Speaker 2", "We sell groceries. Mostly local produce."),
        ("00:00:15", "Speaker 1", "And the rules for labelling?"),
        ("00:00:19", "Speaker 2", "Confusing, to be honest."),
    ]
    table = d.add_table(rows=0, cols=3 if with_time else 2)
    header = ("Time", "Speaker", "Text") if with_time else ("Speaker", "Text")
    for cell, value in zip(table.add_row().cells, header, strict=True):
        cell.text = value
    for time, speaker, text in rows:
        cells = table.add_row().cells
        values = (time, speaker, text) if with_time else (speaker, text)
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    d.save(path)


TEAMS_VTT = """WEBVTT

1
00:00:01.000 --> 00:00:04.200
<v Maria Holm>Hej Olle, hör du mig?</v>

2
00:00:04.500 --> 00:00:08.000
<v.loud Olle Berg>Ja, jag hör dig bra.</v>

3
00:00:08.100 --> 00:00:12.900
<v Olle Berg>Vi har haft restaurangen i tolv år.</v>

4
00:00:13.000 --> 00:00:16.000
<v Maria Holm>Hur gick kontrollen?</v>
"""

ZOOM_VTT = """WEBVTT

1
00:00:01.000 --> 00:00:03.000
Lena Ek: Welcome, thanks for joining.

2
00:00:03.500 --> 00:00:07.000
Tom Reed: Happy to help.

3
00:00:07.000 --> 00:00:10.000
Lena Ek: What does a normal day look like?

4
00:00:10.500 --> 00:00:15.000
Tom Reed: I open at six and bake until nine.
"""

SRT = """1
00:00:01,000 --> 00:00:03,000
So the inspector came

2
00:00:03,200 --> 00:00:05,000
on a Tuesday morning.

3
00:00:05,500 --> 00:00:08,000
Nobody had told us anything.
"""

INTERVIEW_TXT = """Intervju 2, Kafé Linden

[00:00:02] I: Okej, nu spelar den in. Kan du berätta vem du är?
[00:00:13] R: Ja, jag heter Sofia och driver ett kafé.
Vi bakar allt själva.

Det är mycket jobb.
[00:00:35] I: Hur ser en vanlig dag ut?
[00:00:40] R: Jag börjar klockan fem.
"""

OTTER_TXT = """Anna Berg  0:02
So tell me about the kitchen.

Sam Lee  0:07
It is small but it works. We passed the inspection last year.

Anna Berg  0:15
What did the inspector ask for?

Sam Lee  0:19
Temperature logs, mostly.
"""

CSV = """id;answer;region
r1;Jag vet inte vilka regler som gäller.;Norr
r2;;Syd
r3;Inspektören var trevlig men otydlig.;Syd
"""


def main() -> None:
    HERE.mkdir(exist_ok=True)
    _docx_prefix(HERE / "prefix.docx")
    _docx_bold(HERE / "bold.docx")
    _docx_table(HERE / "table2.docx", with_time=False)
    _docx_table(HERE / "table3.docx", with_time=True)
    (HERE / "teams.vtt").write_text(TEAMS_VTT, encoding="utf-8")
    (HERE / "zoom.vtt").write_text(ZOOM_VTT, encoding="utf-8")
    (HERE / "captions.srt").write_text(SRT, encoding="utf-8")
    (HERE / "interview.txt").write_text(INTERVIEW_TXT, encoding="utf-8")
    (HERE / "otter.txt").write_text(OTTER_TXT, encoding="utf-8")
    (HERE / "answers.csv").write_text(CSV, encoding="utf-8")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Respondent", "Svar", "Kommun"])
    sheet.append([101, "Det tar för lång tid att få svar.", "Lund"])
    sheet.append([102, None, "Malmö"])
    sheet.append([103, "Bra bemötande, dålig information.", "Ystad"])
    book.save(HERE / "answers.xlsx")


if __name__ == "__main__":
    main()
