from __future__ import annotations

import pytest

from workbench.codebook._model import Code, Codebook, Example

TEXTS = [
    "Jag ringde och fick vänta i kö i en timme",
    "Väntetiden i telefonkön var alldeles för lång",
    "Kön var hemsk, jag ringde tre gånger innan någon svarade",
    "Vi väntade i kön hela förmiddagen",
    "Personalen var otrevlig och stressad",
    "Handläggaren var vänlig och hjälpsam",
    "Personalen lyssnade inte på mig",
    "Bemötandet från personalen var bra",
    "Jag förstod inte brevet från myndigheten",
    "Informationen på webben var otydlig",
    "Ingen berättade vad som skulle hända sedan",
    "Brevet förklarade ingenting om beslutet",
]
CODES = [["wait"]] * 4 + [["staff"]] * 4 + [["info"]] * 4


def _codebook() -> Codebook:
    return Codebook(
        id="test",
        title={"en": "Test codebook"},
        codes=(
            Code(id="root", label={"en": "Service", "sv": "Service"}, codable=False),
            Code(
                id="wait",
                label={"sv": "Väntetid", "en": "Waiting time"},
                parent="root",
                definition={
                    "sv": "Att vänta i kö, i telefonkön eller på besked",
                    "en": "Waiting in a queue, on the phone or for a decision",
                },
                examples=(Example("sv", "Jag fick vänta i kön i en timme"),),
            ),
            Code(
                id="staff",
                label={"sv": "Personalens bemötande", "en": "Staff behaviour"},
                parent="root",
                definition={
                    "sv": "Hur personalen bemöter kunden: vänlig, otrevlig, lyssnar",
                    "en": "How staff treat the customer: friendly, rude, listening",
                },
            ),
            Code(
                id="info",
                label={"sv": "Information", "en": "Information"},
                parent="root",
                use_when={
                    "sv": "Brev, webbsidor eller besked som är otydliga eller saknas",
                    "en": "Letters, web pages or messages that are unclear or missing",
                },
            ),
        ),
    )


@pytest.fixture
def codebook() -> Codebook:
    return _codebook()


@pytest.fixture
def texts() -> list[str]:
    return list(TEXTS)


@pytest.fixture
def codes() -> list[list[str]]:
    return [list(c) for c in CODES]
