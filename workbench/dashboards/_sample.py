"""A small sample study with known numbers, for tests, screenshots and trying the dashboard.

Six participants of a municipality's food-safety inspection (four businesses, two staff),
interviewed in Swedish and English, coded by ``anna`` (everything) and ``erik`` (a few
segments, for the consensus layer); themes under needs, expectations and information gaps
(one with a sub-theme, information sources without any); and three survey answers (table
rows), one praising one thing and criticising another in spans.  The expected figures are
spelled out in the tests.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from workbench.codebook import Code, Codebook
from workbench.ingest._model import Segment, Transcript
from workbench.project import init


def _code(
    id: str, en: str, sv: str, parent: str | None = None, color: str = "#888888", **kw: Any
) -> Code:
    return Code(id=id, label={"en": en, "sv": sv}, parent=parent, color=color, **kw)


#: A compact version of the built-in Grönroos codebook (the same ids), so the sample does not
#: depend on the built-in file's wording or colours.
SAMPLE_CODEBOOK = Codebook(
    id="sample",
    title={"en": "Service perspective (sample)", "sv": "Tjänsteperspektiv (exempel)"},
    codes=(
        _code("ep", "Everyday process", "Vardagsprocess", color="#4C78A8", codable=False),
        _code("ep-what", "What they do", "Vad de gör", "ep", "#4C78A8"),
        _code("ep-how", "How they do it", "Hur de gör det", "ep", "#5B8DBE"),
        _code("ep-why", "Why that way", "Varför så", "ep", "#6FA0CF"),
        _code("ep-goal", "What they want to achieve", "Vad de vill uppnå", "ep", "#82B2DD"),
        _code("ep-solutions", "Solutions sought", "Lösningar de söker", "ep", "#9CC4E8"),
        _code("bp", "Behaviour process", "Beteendeprocess", color="#F58518", codable=False),
        _code("bp-needs", "Needs", "Behov", "bp", "#F58518"),
        _code("bp-expectations", "Expectations", "Förväntningar", "bp", "#E45756"),
        _code("bp-information-gaps", "Information gaps", "Kunskapsluckor", "bp", "#B279A2"),
        _code(
            "bp-information-sources", "Information sources", "Informationskällor", "bp", "#9D755D"
        ),
        _code("pq", "Perceived quality", "Upplevd kvalitet", color="#54A24B", codable=False),
        _code(
            "pq-technical", "Technical quality (what)", "Teknisk kvalitet (vad)", "pq", "#2E7D32"
        ),
        _code(
            "pq-functional",
            "Functional quality (how)",
            "Funktionell kvalitet (hur)",
            "pq",
            "#54A24B",
            codable=False,
        ),
        _code("fq-attitudes", "Attitudes", "Attityder", "pq-functional", "#54A24B"),
        _code("fq-behaviour", "Behaviour", "Beteende", "pq-functional", "#5FAE55"),
        _code("fq-accessibility", "Accessibility", "Tillgänglighet", "pq-functional", "#6BB960"),
        _code("fq-punctuality", "Punctuality", "Punktlighet", "pq-functional", "#77C36B"),
        _code("fq-communication", "Communication", "Kommunikation", "pq-functional", "#83CC77"),
        _code("fq-servicescape", "Servicescape", "Servicemiljö", "pq-functional", "#8FD483"),
        _code("fq-trust", "Trust", "Förtroende", "pq-functional", "#9BDB90"),
        _code(
            "fq-recovery", "Handling problems", "Hantering av problem", "pq-functional", "#A8E19D"
        ),
        _code("pq-image", "Image", "Image", "pq", "#72B7B2"),
        _code("val", "Valence", "Värdering", color="#BAB0AC", codable=False),
        _code("val-positive", "Positive", "Positiv", "val", "#1B9E77"),
        _code("val-negative", "Negative", "Negativ", "val", "#D95F02"),
        _code("user", "User type", "Användartyp", color="#BAB0AC", codable=False),
        _code("user-external", "External user", "Extern användare", "user", "#BAB0AC"),
        _code("user-internal", "Internal user", "Intern användare", "user", "#9E9E9E"),
        # themes the (imaginary) researchers developed under three of the categories
        _code(
            "need-checklist",
            "A checklist before the visit",
            "En checklista inför besöket",
            "bp-needs",
            "#F8A04A",
        ),
        _code(
            "need-fee-upfront",
            "Knowing the fee in advance",
            "Veta avgiften i förväg",
            "bp-needs",
            "#FBC08A",
        ),
        _code("exp-quick", "A quick answer", "Snabbt besked", "bp-expectations", "#EC8C8D"),
        _code(
            "gap-fees",
            "What the fee covers",
            "Vad avgiften täcker",
            "bp-information-gaps",
            "#C79BBF",
        ),
        _code(
            "gap-rules",
            "Which rules apply",
            "Vilka regler som gäller",
            "bp-information-gaps",
            "#8E5A84",
        ),
        _code(
            "gap-rules-mobile",
            "Rules for mobile units",
            "Regler för mobila verksamheter",
            "gap-rules",
            "#A76F9C",
        ),
    ),
)

#: (document, language, attributes, turns); each turn: (text, anna's codes, erik's codes).
SAMPLE: list[tuple[str, str, dict[str, str], list[tuple[str, list[str], list[str]]]]] = [
    (
        "p01-restaurang.txt",
        "sv",
        {
            "role": "owner",
            "business_type": "restaurant",
            "user_type": "external",
            "district": "Centrum",
        },
        [
            (
                "Vi driver en liten restaurang med lunchservering, och egenkontrollen gör vi på "
                "kvällarna när köket är stängt.",
                ["ep-what", "ep-how"],
                ["ep-what"],
            ),
            (
                "Vi behöver veta i förväg vad inspektören kommer att titta på, annars hinner vi "
                "inte förbereda oss.",
                ["bp-needs", "fq-communication", "need-checklist"],
                ["bp-needs", "fq-communication", "need-checklist"],
            ),
            (
                "Inspektören var vänlig och förklarade varför temperaturen i kylen var viktig.",
                ["fq-attitudes", "val-positive"],
                ["fq-attitudes", "val-positive"],
            ),
            (
                "Jag visste inte att avgiften skulle komma som en separat faktura, ingen hade sagt "
                "något.",
                ["bp-information-gaps", "fq-communication", "val-negative", "gap-fees"],
                ["bp-information-gaps", "val-negative", "gap-fees"],
            ),
        ],
    ),
    (
        "p02-kafe.txt",
        "sv",
        {"role": "owner", "business_type": "café", "user_type": "external", "district": "Hamnen"},
        [
            (
                "Vi förväntar oss att få besked om resultatet inom en vecka, inte efter en månad.",
                ["bp-expectations", "fq-punctuality", "val-negative", "exp-quick"],
                [],
            ),
            (
                "Det är svårt att nå någon på kommunen, telefontiden är bara en timme om dagen.",
                ["fq-accessibility", "val-negative", "bp-needs"],
                [],
            ),
            (
                "Jag letar mest på Livsmedelsverkets webbplats när jag undrar något.",
                ["bp-information-sources"],
                [],
            ),
            (
                "Jag förstod inte vad den nya märkningsregeln innebar för våra bakverk.",
                ["bp-information-gaps", "gap-rules"],
                [],
            ),
        ],
    ),
    (
        "p03-grocery.txt",
        "en",
        {
            "role": "staff",
            "business_type": "grocery shop",
            "user_type": "external",
            "district": "Centrum",
        },
        [
            (
                "I restock the chilled counters every morning and log the temperatures on paper.",
                ["ep-what", "ep-how"],
                [],
            ),
            (
                "We log it because the inspector asked us to, so we can show it went well.",
                ["ep-why", "ep-goal"],
                [],
            ),
            (
                "The inspection report itself was clear and the advice actually helped us fix the "
                "fridge.",
                ["pq-technical", "val-positive"],
                ["pq-technical"],
            ),
            (
                "What we need is a simple checklist we can keep by the counter.",
                ["bp-needs", "ep-solutions", "need-checklist"],
                [],
            ),
        ],
    ),
    (
        "p04-inspektor.txt",
        "sv",
        {
            "role": "inspector",
            "business_type": "municipality",
            "user_type": "internal",
            "district": "Centrum",
        },
        [
            (
                "Vi försöker alltid komma i tid, men när vi blir försenade hör vi sällan av oss.",
                ["fq-punctuality", "fq-communication", "val-negative"],
                [],
            ),
            (
                "Företagarna förväntar sig att vi ska ge konkreta råd, inte bara peka på fel.",
                ["bp-expectations", "fq-behaviour"],
                [],
            ),
            (
                "Kommunens rykte är att vi är stränga men rättvisa.",
                ["pq-image", "val-positive"],
                [],
            ),
        ],
    ),
    (
        "p05-food-truck.txt",
        "en",
        {
            "role": "owner",
            "business_type": "food truck",
            "user_type": "external",
            "district": "Hamnen",
        },
        [
            (
                "Nobody told me which rules apply to a food truck that moves between districts.",
                [
                    "bp-information-gaps",
                    "fq-communication",
                    "val-negative",
                    "gap-rules-mobile",
                ],
                ["bp-information-gaps", "gap-rules-mobile"],
            ),
            (
                "I asked other truck owners in a Facebook group and called the help line.",
                ["bp-information-sources", "fq-accessibility", "val-positive"],
                [],
            ),
            (
                "I expect the same answer whichever inspector I talk to.",
                ["bp-expectations", "fq-trust"],
                [],
            ),
            (
                "When the inspector found a problem with the water tank she helped me sort it out "
                "the same day.",
                ["fq-recovery", "val-positive"],
                [],
            ),
        ],
    ),
    (
        "p06-administrator.txt",
        "en",
        {
            "role": "administrator",
            "business_type": "municipality",
            "user_type": "internal",
            "district": "Centrum",
        },
        [
            (
                "Our e-service for registering a business crashes on phones, which gives a poor "
                "impression.",
                ["fq-servicescape", "val-negative", "pq-image"],
                [],
            ),
            (
                "Businesses need to know what the fee covers before they are invoiced.",
                ["bp-needs", "bp-information-gaps", "fq-communication", "gap-fees"],
                [],
            ),
        ],
    ),
]


#: Codings adopted from a theme the clustering proposed (origin ``theme``): (document, turn,
#: code, coder).
ADOPTED = [("p06-administrator.txt", 2, "need-fee-upfront", "anna")]

#: Survey answers (one table row each): (row, language, attributes, text, anna's codings as
#: (code, span text or "" for the whole answer)).
SURVEY: list[tuple[int, str, dict[str, str], str, list[tuple[str, str]]]] = [
    (
        2,
        "sv",
        {"business_type": "restaurant", "user_type": "external"},
        "Inspektören var trevlig. Men fakturan kom utan någon förklaring av avgiften.",
        [
            ("fq-attitudes", "Inspektören var trevlig."),
            ("val-positive", "Inspektören var trevlig."),
            ("bp-information-gaps", "Men fakturan kom utan någon förklaring av avgiften."),
            ("gap-fees", "Men fakturan kom utan någon förklaring av avgiften."),
            ("pq-technical", "Men fakturan kom utan någon förklaring av avgiften."),
            ("val-negative", "Men fakturan kom utan någon förklaring av avgiften."),
        ],
    ),
    (
        3,
        "en",
        {"business_type": "café", "user_type": "external"},
        "I need a checklist before the visit.",
        [("bp-needs", ""), ("need-checklist", "")],
    ),
    (
        4,
        "en",
        {"business_type": "café", "user_type": "external"},
        "Good.",
        [("pq-technical", ""), ("val-positive", "")],
    ),
]
SURVEY_FILE = "survey.csv"


#: The themes' codes (the codebook's children of the categories that researchers developed).
THEME_CODES = frozenset(
    ("need-checklist", "need-fee-upfront", "exp-quick", "gap-fees", "gap-rules", "gap-rules-mobile")
)


def sample_transcripts(*, survey: bool = True) -> list[Transcript]:
    """The sample interviews as transcripts (interviewee turns only), and the survey answers."""
    out = []
    for name, lang, _attrs, turns in SAMPLE:
        who = f"Person {name[1:3]}"
        parts: list[str] = []
        segments: list[Segment] = []
        offset = 0
        for text, _anna, _erik in turns:
            prefix = f"{who}: "
            start = offset + len(prefix)
            segments.append(Segment(who, "interviewee", text, start, start + len(text)))
            parts.append(prefix + text)
            offset += len(prefix) + len(text) + 2
        out.append(
            Transcript(
                name=name,
                format="txt",
                checksum=f"sample-{name}",
                text="\n\n".join(parts),
                segments=segments,
                language=lang,
                participant=who,
            )
        )
    for row, lang, _attrs, answer, _codes in SURVEY if survey else ():
        out.append(
            Transcript(
                name=f"{SURVEY_FILE}#{row}",
                format="csv",
                checksum=f"sample-survey-{row}",
                text=answer,
                segments=[Segment(f"R{row}", "interviewee", answer, 0, len(answer))],
                language=lang,
                participant=f"R{row}",
            )
        )
    return out


def build_sample_project(
    path: str | Path, codebook: Codebook | None = None, *, themes_and_survey: bool = True
) -> Path:
    """Create the sample study in folder ``path`` (which must not hold a project yet).

    ``themes_and_survey=False`` leaves out the themes, the adopted coding and the survey: the
    interviews coded with the Grönroos categories alone (the analysis tests' hand-counted study).
    """
    if codebook is None:
        codebook = SAMPLE_CODEBOOK
        if not themes_and_survey:
            kept = tuple(c for c in codebook.codes if c.id not in THEME_CODES)
            codebook = dataclasses.replace(codebook, codes=kept)
    dropped = frozenset() if themes_and_survey else THEME_CODES
    survey = SURVEY if themes_and_survey else []
    project = init(path, codebook=codebook)
    try:
        project.store.import_transcripts(
            sample_transcripts(survey=themes_and_survey),
            user="sample",
            participant_pseudonym=lambda label, known: f"P{len(known) + 1:02d}",
            attributes=[(i + 2, name, attrs) for i, (name, _l, attrs, _t) in enumerate(SAMPLE)]
            + [(row, f"{SURVEY_FILE}#{row}", attrs) for row, _l, attrs, _a, _c in survey],
        )
        segs = project.segments(role="interviewee")
        adopted = {
            (doc, turn - 1, code, coder)
            for doc, turn, code, coder in ADOPTED
            if code not in dropped
        }
        for name, _lang, _attrs, turns in SAMPLE:
            ids = segs.loc[segs["document"] == name, "segment"].tolist()
            for segment_id, (_text, anna, erik) in zip(ids, turns, strict=True):
                for coder, codes in (("anna", anna), ("erik", erik)):
                    for code in codes:
                        if code not in dropped:
                            project.code(int(segment_id), code, coder=coder)
            for doc, index, code, coder in adopted:
                if doc == name:
                    project.code(int(ids[index]), code, coder=coder, origin="theme")
        for row, _lang, _attrs, answer, spans in survey:
            seg = segs[segs["document"] == f"{SURVEY_FILE}#{row}"].iloc[0]
            for code, span in spans:
                start = answer.index(span) if span else 0
                end = start + len(span) if span else len(answer)
                base = int(seg["start"])
                project.code(
                    int(seg["segment"]), code, coder="anna", start=base + start, end=base + end
                )
    finally:
        project.close()
    return Path(path)
