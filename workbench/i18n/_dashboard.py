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
        "layer_consensus": "Consensus",
        "layer_coder": "Coder {name}",
        "layer_estimate": "Estimate (model + coders)",
        "overview": "Overview",
        "overview_lead": "How many participants raised each topic.",
        "start": "Where to start",
        "start_lead": (
            "The parts of the service most participants experienced negatively — a place to "
            "start improving:"
        ),
        "start_item": "{label}: {n} of {total} participants had a negative experience",
        "start_none": "No negative experiences were recorded for this selection.",
        "start_none_untied": (
            "{n} of {total} participants had a negative experience, but none of those passages "
            "is coded with a quality aspect (such as communication or accessibility) or a theme "
            "yet, so they cannot be ranked here: read them under Quotes."
        ),
        "needs": "Needs",
        "needs_lead": "What users need from the service, and the themes they connect it to.",
        "expectations": "Expectations",
        "expectations_lead": "What users expect, and the themes they connect it to.",
        "information_gaps": "Information gaps",
        "information_sources": "Information sources",
        "gaps": "Information gaps and sources",
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
        "quote_for": "{n} quote: {what}",
        "quotes_for": "{n} quotes: {what}",
        "quotes_none": "No quotes for this selection.",
        "people_of_survey": "{n} of {total} respondents",
        "people_survey": "respondents",
        "dash_raised_needs_survey": "{n} of {total} respondents raised a need",
        "dash_raised_expectations_survey": "{n} of {total} respondents expressed an expectation",
        "dash_raised_information_gaps_survey": "{n} of {total} respondents lacked some information",
        "dash_raised_information_sources_survey": (
            "{n} of {total} respondents named a source of information"
        ),
        "dash_start_theme_survey": "{n} of {total} respondents raised it in a negative experience",
        "start_item_survey": "{label}: {n} of {total} respondents had a negative experience",
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
        # -- sources, layers and themes (issue 18); new keys start with dash_ --
        "f_source": "Source",
        "source_interviews": "Interviews",
        "source_survey": "Survey answers",
        "f_language_survey": "Answer language",
        "dash_subtitle_survey": (
            "{participants} coded answers (of {answers} survey answers) · {study}"
        ),
        "dash_guide_survey": (
            "This page summarises what the people who answered our survey said about our "
            "service, counted in the answers the research team has coded. Bars count "
            "<b>people</b> (how many answers raised something). <b>Click any bar</b> to read "
            "the answers behind it. Use the filters to look at one group at a time. All names "
            "are pseudonyms."
        ),
        "dash_guide_sources": (
            " Interviews and survey answers are shown separately: choose the <b>source</b> above."
        ),
        "dash_layer_note_consensus": (
            "Whose coding: the consensus of {names} — what they settled where they disagreed, "
            "elsewhere the codes most of a document's coders applied."
        ),
        "dash_layer_note_all": "Whose coding: every coder's codings together ({names}).",
        "dash_layer_note_coder": "Whose coding: {names} only.",
        "dash_layer_note_origins": "Includes {what}",
        "dash_origin_theme": (
            "themes the researchers adopted from suggested groupings of quotes (counted as "
            "their own coding)."
        ),
        "dash_origin_suggestion": "code suggestions the coders accepted.",
        "dash_layer_note_excluded": "Left out (test coders): {names}.",
        "dash_small_groups": (
            "To protect who said what, groups of fewer than {n} people are not named, offered "
            "as filters or compared on their own (they count under “other”, or not at all)."
        ),
        "dash_raised_needs": "{n} of {total} participants raised a need",
        "dash_raised_expectations": "{n} of {total} participants expressed an expectation",
        "dash_raised_information_gaps": "{n} of {total} participants lacked some information",
        "dash_raised_information_sources": (
            "{n} of {total} participants named a source of information"
        ),
        "dash_themed_of": "{n} of them raised one of the themes below (click a bar for quotes).",
        "dash_unthemed": "{n} said something not yet in a theme.",
        "dash_themed_none": (
            "None of them raised one of the themes: read what they said in the quotes below."
        ),
        "dash_themes_develop": (
            "No themes have been developed here yet, so the bars show the other codes applied "
            "to the same passages. The research team can develop themes in the workbench."
        ),
        "dash_kind_needs": "need",
        "dash_kind_expectations": "expectation",
        "dash_kind_information_gaps": "information gap",
        "dash_kind_information_sources": "information source",
        "dash_start_lead_themes": (
            "What people raised where the service let them down — the themes most participants "
            "connected to a negative experience:"
        ),
        "dash_start_theme": "{n} of {total} participants raised it in a negative experience",
        "dash_start_raised": "{n} raised it in all",
        "dash_start_about": "mostly about {dims}",
        "dash_start_lead_no_negative_theme": (
            "No theme has been coded together with a negative experience in this selection. "
            "The parts of the service most participants experienced negatively:"
        ),
        "dash_start_lead_no_themes": (
            "Themes (what users need, expect or lack) have not been developed yet. Until then, "
            "the parts of the service most participants experienced negatively:"
        ),
        "dash_start_lead_by": (
            "The themes each group connected to a negative experience most often "
            "(n: the group's participants in this selection):"
        ),
        "dash_start_none_group": "No theme was raised in a negative experience in this group.",
        "dash_quality_themes": "What the negative experiences are about",
        "dash_dimension": "Part of the service",
        "dash_negative_about": "Themes raised in the same passages (people)",
        "dash_n_people": "{n} people",
        "information_sources_lead": (
            "Where users look for information: the sources they name, and the codes applied "
            "to the same passages."
        ),
        "information_gaps_lead": "What users know least about, and the themes it falls into.",
        "dash_n_person": "1 person",
        "dash_count_interviews": "{participants} people interviewed",
        "dash_count_survey": "{participants} coded answers of {answers}",
        "dash_about": "About: {what}",
        "dash_no_theme_passage": "{n} negative passage without a theme",
        "dash_no_theme_passages": "{n} negative passages without a theme",
        "dash_show_table": "show the table ({n} participants)",
        "dash_hide_table": "hide the table",
        "dash_everyday_table": "Each participant's everyday process",
        "dash_guide_report": (
            "This report summarises what the people in the study said about our service. Bars "
            "count <b>people</b> (how many participants raised something), not how often it "
            "was said. <b>Click a bar</b>, or a line marked ▸, to open the quotes behind it. "
            "The report shows everyone in the study; the live dashboard can narrow it down to "
            "one group. All names are pseudonyms (P01, P02, ...)."
        ),
        "dash_report_part": "{source}",
        "dash_report_contents": "In this report",
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
        "layer_consensus": "Samförstånd",
        "layer_coder": "Kodare {name}",
        "layer_estimate": "Skattning (modell + kodare)",
        "overview": "Översikt",
        "overview_lead": "Hur många deltagare som tog upp varje ämne.",
        "start": "Var börja",
        "start_lead": (
            "De delar av servicen som flest deltagare upplevde negativt — ett ställe att "
            "börja förbättra:"
        ),
        "start_item": "{label}: {n} av {total} deltagare hade en negativ upplevelse",
        "start_none": "Inga negativa upplevelser har kodats i detta urval.",
        "start_none_untied": (
            "{n} av {total} deltagare hade en negativ upplevelse, men inget av de textavsnitten "
            "är ännu kodat med en kvalitetsaspekt (som kommunikation eller tillgänglighet) eller "
            "ett tema, så de kan inte rangordnas här: läs dem under Citat."
        ),
        "needs": "Behov",
        "needs_lead": "Vad användarna behöver av servicen, och vilka teman de kopplar det till.",
        "expectations": "Förväntningar",
        "expectations_lead": "Vad användarna förväntar sig, och vilka teman de kopplar det till.",
        "information_gaps": "Kunskapsluckor",
        "information_sources": "Informationskällor",
        "gaps": "Kunskapsluckor och informationskällor",
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
        "quote_for": "{n} citat: {what}",
        "quotes_for": "{n} citat: {what}",
        "quotes_none": "Inga citat i detta urval.",
        "people_of_survey": "{n} av {total} svarande",
        "people_survey": "svarande",
        "dash_raised_needs_survey": "{n} av {total} svarande tog upp ett behov",
        "dash_raised_expectations_survey": "{n} av {total} svarande uttryckte en förväntan",
        "dash_raised_information_gaps_survey": "{n} av {total} svarande saknade någon information",
        "dash_raised_information_sources_survey": (
            "{n} av {total} svarande nämnde en informationskälla"
        ),
        "dash_start_theme_survey": "{n} av {total} svarande tog upp det i en negativ upplevelse",
        "start_item_survey": "{label}: {n} av {total} svarande hade en negativ upplevelse",
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
        # -- källor, lager och teman (ärende 18); nya nycklar börjar med dash_ --
        "f_source": "Källa",
        "source_interviews": "Intervjuer",
        "source_survey": "Enkätsvar",
        "f_language_survey": "Svarens språk",
        "dash_subtitle_survey": "{participants} kodade svar (av {answers} enkätsvar) · {study}",
        "dash_guide_survey": (
            "Sidan sammanfattar vad de som svarade på vår enkät sa om vår service, räknat i de "
            "svar som forskargruppen har kodat. Staplarna räknar <b>personer</b> (hur många "
            "svar som tog upp något). <b>Klicka på en stapel</b> för att läsa svaren bakom den. "
            "Använd filtren för att titta på en grupp i taget. Alla namn är pseudonymer."
        ),
        "dash_guide_sources": (
            " Intervjuer och enkätsvar visas var för sig: välj <b>källa</b> ovan."
        ),
        "dash_layer_note_consensus": (
            "Vems kodning: {names} i samförstånd — det de enades om där de var oense, "
            "annars de koder som de flesta av ett dokuments kodare satte."
        ),
        "dash_layer_note_all": "Vems kodning: alla kodares kodningar tillsammans ({names}).",
        "dash_layer_note_coder": "Vems kodning: bara {names}.",
        "dash_layer_note_origins": "Här ingår också {what}",
        "dash_origin_theme": (
            "teman som forskarna antagit från föreslagna grupper av citat (räknas som deras "
            "egen kodning)."
        ),
        "dash_origin_suggestion": "kodförslag som kodarna godtagit.",
        "dash_layer_note_excluded": "Utelämnade (testkodare): {names}.",
        "dash_small_groups": (
            "För att ingen ska kunna pekas ut nämns grupper med färre än {n} personer inte, "
            "erbjuds inte som filter och jämförs inte för sig (de räknas som ”övriga” eller "
            "inte alls)."
        ),
        "dash_raised_needs": "{n} av {total} deltagare tog upp ett behov",
        "dash_raised_expectations": "{n} av {total} deltagare uttryckte en förväntan",
        "dash_raised_information_gaps": "{n} av {total} deltagare saknade någon information",
        "dash_raised_information_sources": "{n} av {total} deltagare nämnde en informationskälla",
        "dash_themed_of": (
            "{n} av dem tog upp något av temana nedan (klicka på en stapel för citat)."
        ),
        "dash_unthemed": "{n} sa något som ännu inte ingår i ett tema.",
        "dash_themed_none": (
            "Ingen av dem tog upp något av temana: läs vad de sa i citaten nedan."
        ),
        "dash_themes_develop": (
            "Här har inga teman tagits fram ännu, så staplarna visar de andra koder som satts "
            "på samma textavsnitt. Forskargruppen kan ta fram teman i arbetsverktyget."
        ),
        "dash_kind_needs": "behov",
        "dash_kind_expectations": "förväntan",
        "dash_kind_information_gaps": "kunskapslucka",
        "dash_kind_information_sources": "informationskälla",
        "dash_start_lead_themes": (
            "Det deltagarna tog upp där servicen svek dem — de teman som flest deltagare "
            "kopplade till en negativ upplevelse:"
        ),
        "dash_start_theme": "{n} av {total} deltagare tog upp det i en negativ upplevelse",
        "dash_start_raised": "{n} tog upp det totalt",
        "dash_start_about": "mest om {dims}",
        "dash_start_lead_no_negative_theme": (
            "Inget tema har kodats tillsammans med en negativ upplevelse i detta urval. "
            "De delar av servicen som flest deltagare upplevde negativt:"
        ),
        "dash_start_lead_no_themes": (
            "Teman (vad användarna behöver, förväntar sig eller saknar) har inte tagits fram "
            "ännu. Till dess: de delar av servicen som flest deltagare upplevde negativt:"
        ),
        "dash_start_lead_by": (
            "De teman som varje grupp oftast kopplade till en negativ upplevelse "
            "(n: gruppens deltagare i detta urval):"
        ),
        "dash_start_none_group": "Inget tema togs upp i en negativ upplevelse i denna grupp.",
        "dash_quality_themes": "Vad de negativa upplevelserna handlar om",
        "dash_dimension": "Del av servicen",
        "dash_negative_about": "Teman i samma textavsnitt (personer)",
        "dash_n_people": "{n} personer",
        "information_sources_lead": (
            "Var användarna söker information: de källor de nämner, och de koder som satts på "
            "samma textavsnitt."
        ),
        "information_gaps_lead": "Vad användarna vet minst om, och vilka teman det gäller.",
        "dash_n_person": "1 person",
        "dash_count_interviews": "{participants} intervjuade",
        "dash_count_survey": "{participants} kodade svar av {answers}",
        "dash_about": "Handlar om: {what}",
        "dash_no_theme_passage": "{n} negativt textavsnitt utan tema",
        "dash_no_theme_passages": "{n} negativa textavsnitt utan tema",
        "dash_show_table": "visa tabellen ({n} deltagare)",
        "dash_hide_table": "dölj tabellen",
        "dash_everyday_table": "Varje deltagares vardagsprocess",
        "dash_guide_report": (
            "Rapporten sammanfattar vad studiens deltagare sa om vår service. Staplarna räknar "
            "<b>personer</b> (hur många deltagare som tog upp något), inte hur ofta det sades. "
            "<b>Klicka på en stapel</b>, eller en rad markerad med ▸, för att öppna citaten "
            "bakom den. Rapporten visar alla i studien; den levande instrumentpanelen kan "
            "avgränsa till en grupp. Alla namn är pseudonymer (P01, P02, ...)."
        ),
        "dash_report_part": "{source}",
        "dash_report_contents": "I rapporten",
    },
}
