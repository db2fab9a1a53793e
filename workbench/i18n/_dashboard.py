"""The stakeholder dashboard's and report's strings."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "What our users tell us",
        "subtitle": "{participants} people interviewed · {documents} interviews · {study}",
        "guide": (
            "This page summarises what the people we interviewed said about our service. "
            "Bars count <b>people</b> (how many participants raised something), not how often "
            "it was said. <b>Click any bar</b> to read the quotes behind it. Use the filters to "
            "look at one group at a time. All names are pseudonyms (P01, P02, ...)."
        ),
        "filters": "Filters",
        "f_group": "User group",
        "f_user_type": "User type",
        "f_attribute": "Other attribute",
        "f_value": "Value",
        "f_language": "Interview language",
        "f_layer": "Whose coding",
        "f_by": "Compare groups",
        "f_lang": "Language",
        "all": "All",
        "none": "No comparison",
        "layer_all": "All coders",
        "layer_consensus": "Coders agree",
        "layer_coder": "Coder {name}",
        "overview": "Overview",
        "overview_lead": "How many participants raised each topic.",
        "start": "Where to start",
        "start_lead": (
            "The parts of the service most participants experienced negatively — a place to "
            "start improving:"
        ),
        "start_item": "{label}: {n} of {total} participants had a negative experience",
        "start_none": "No negative experiences were recorded for this selection.",
        "needs": "Needs",
        "needs_lead": "What users need from the service, and the themes they connect it to.",
        "expectations": "Expectations",
        "expectations_lead": "What users expect, and the themes they connect it to.",
        "information_gaps": "Information gaps",
        "information_sources": "Information sources",
        "gaps": "Information gaps and sources",
        "gaps_lead": (
            "What users know least about, and where the same people look for information."
        ),
        "gap_pairs": "Who lacks information, and where they look",
        "no_source": "No information source mentioned",
        "quality": "Perceived quality",
        "quality_lead": (
            "Grönroos's model: users judge <b>what</b> they get (technical quality) and "
            "<b>how</b> it is delivered (functional quality), both seen through the "
            "organisation's <b>image</b>. Bars to the right are positive experiences, to the "
            "left negative ones (counted in passages)."
        ),
        "technical": "Outcome (what)",
        "functional": "Process (how)",
        "image": "Image",
        "choose": "Choose a topic …",
        "positive": "Positive",
        "negative": "Negative",
        "everyday": "Everyday processes",
        "everyday_lead": (
            "What users do, how and why, what they want to achieve and what solutions they "
            "look for — the everyday processes our service should support."
        ),
        "ep-what": "What",
        "ep-how": "How",
        "ep-why": "Why",
        "ep-goal": "Goal",
        "ep-solutions": "Solutions sought",
        "participant": "Participant",
        "quotes": "Quotes",
        "quotes_lead": "Choose a topic to read every quote about it.",
        "quotes_topic": "Topic",
        "quotes_pick": "Click a bar above to see the quotes behind it.",
        "quotes_for": "{n} quote(s): {what}",
        "quotes_none": "No quotes for this selection.",
        "people_of": "{n} of {total} participants",
        "people": "participants",
        "passages": "passages",
        "themes_none": "No themes were coded together with this topic in this selection.",
        "nobody": "Nobody in this selection raised this.",
        "representative": "In their own words",
        "empty": "No interviews match these filters. Choose “All” in a filter to widen the view.",
        "error": ("The dashboard could not be shown: {message}. Please tell the research team."),
        "no_project": "no study was given (WORKBENCH_PROJECT is not set)",
        "report_generated": "Report generated {date}",
        "show_quotes": "Quotes ({n})",
        "more": "more",
        "more_rows": (
            "The first {shown} of {n} participants are shown; narrow the filters or use the "
            "Quotes section to read the rest."
        ),
    },
    "sv": {
        "title": "Vad våra användare berättar",
        "subtitle": "{participants} intervjuade · {documents} intervjuer · {study}",
        "guide": (
            "Sidan sammanfattar vad de intervjuade sa om vår service. Staplarna räknar "
            "<b>personer</b> (hur många deltagare som tog upp något), inte hur ofta det sades. "
            "<b>Klicka på en stapel</b> för att läsa citaten bakom den. Använd filtren för att "
            "titta på en grupp i taget. Alla namn är pseudonymer (P01, P02, ...)."
        ),
        "filters": "Filter",
        "f_group": "Användargrupp",
        "f_user_type": "Användartyp",
        "f_attribute": "Annan egenskap",
        "f_value": "Värde",
        "f_language": "Intervjuspråk",
        "f_layer": "Vems kodning",
        "f_by": "Jämför grupper",
        "f_lang": "Språk",
        "all": "Alla",
        "none": "Ingen jämförelse",
        "layer_all": "Alla kodare",
        "layer_consensus": "Kodarna är överens",
        "layer_coder": "Kodare {name}",
        "overview": "Översikt",
        "overview_lead": "Hur många deltagare som tog upp varje ämne.",
        "start": "Var börja",
        "start_lead": (
            "De delar av servicen som flest deltagare upplevde negativt — ett ställe att "
            "börja förbättra:"
        ),
        "start_item": "{label}: {n} av {total} deltagare hade en negativ upplevelse",
        "start_none": "Inga negativa upplevelser har kodats i detta urval.",
        "needs": "Behov",
        "needs_lead": "Vad användarna behöver av servicen, och vilka teman de kopplar det till.",
        "expectations": "Förväntningar",
        "expectations_lead": "Vad användarna förväntar sig, och vilka teman de kopplar det till.",
        "information_gaps": "Kunskapsluckor",
        "information_sources": "Informationskällor",
        "gaps": "Kunskapsluckor och informationskällor",
        "gaps_lead": "Vad användarna vet minst om, och var samma personer söker information.",
        "gap_pairs": "Vem saknar information, och var söker de",
        "no_source": "Ingen informationskälla nämnd",
        "quality": "Upplevd kvalitet",
        "quality_lead": (
            "Grönroos modell: användarna bedömer <b>vad</b> de får (teknisk kvalitet) och "
            "<b>hur</b> det levereras (funktionell kvalitet), båda sedda genom organisationens "
            "<b>image</b>. Staplar åt höger är positiva upplevelser, åt vänster negativa "
            "(räknat i textavsnitt)."
        ),
        "technical": "Resultat (vad)",
        "functional": "Process (hur)",
        "image": "Image",
        "choose": "Välj ett ämne …",
        "positive": "Positiv",
        "negative": "Negativ",
        "everyday": "Vardagsprocesser",
        "everyday_lead": (
            "Vad användarna gör, hur och varför, vad de vill uppnå och vilka lösningar de söker "
            "— de vardagsprocesser vår service ska stödja."
        ),
        "ep-what": "Vad",
        "ep-how": "Hur",
        "ep-why": "Varför",
        "ep-goal": "Mål",
        "ep-solutions": "Lösningar de söker",
        "participant": "Deltagare",
        "quotes": "Citat",
        "quotes_lead": "Välj ett ämne för att läsa alla citat om det.",
        "quotes_topic": "Ämne",
        "quotes_pick": "Klicka på en stapel ovan för att se citaten bakom den.",
        "quotes_for": "{n} citat: {what}",
        "quotes_none": "Inga citat i detta urval.",
        "people_of": "{n} av {total} deltagare",
        "people": "deltagare",
        "passages": "textavsnitt",
        "themes_none": "Inga teman har kodats tillsammans med detta ämne i detta urval.",
        "nobody": "Ingen i detta urval tog upp detta.",
        "representative": "Med deras egna ord",
        "empty": "Inga intervjuer matchar filtren. Välj ”Alla” i ett filter för att vidga urvalet.",
        "error": "Instrumentpanelen kunde inte visas: {message}. Kontakta forskargruppen.",
        "no_project": "ingen studie angavs (WORKBENCH_PROJECT saknas)",
        "report_generated": "Rapporten skapades {date}",
        "show_quotes": "Citat ({n})",
        "more": "fler",
        "more_rows": (
            "De första {shown} av {n} deltagare visas; smalna av filtren eller läs resten "
            "under Citat."
        ),
    },
}
