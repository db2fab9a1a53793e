"""Interface strings of the model's estimates (predictions, prevalence, validation), in
Swedish and English.

Every key starts with ``est_``.  The ``est_note_*`` keys are the notes of a prevalence row
(``p.prevalence(lang=...)`` writes them in the language asked for); ``est_why_*`` are the
reasons they give.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "est_layer": "Estimate (model + coders)",
        "est_layer_hint": (
            "People's codings where they exist, the model's corrected estimate elsewhere, "
            "with 95 % intervals"
        ),
        "est_source_interviews": "Interviews",
        "est_source_survey": "Survey",
        "est_estimate": "Estimate",
        "est_interval": "95 % interval",
        "est_classify_and_count": "Suggestions counted",
        "est_n_human": "Coded by people",
        "est_n_estimated": "Estimated by the model",
        "est_counts": "{human} coded by people, {estimated} estimated by the model",
        "est_prediction": "The model's suggestion ({probability:.0%}), not a coding",
        "est_precision": "Precision of the suggestions",
        "est_method_human": "people's codings only",
        "est_method_pacc": "corrected for the model's errors (PACC)",
        "est_method_acc": "corrected for the model's errors (ACC)",
        "est_method_pcc": "the model's mean probability",
        "est_method_cc": "the model's suggestions counted",
        "est_method_emq": "re-calibrated prior (EMQ)",
        "est_method_coded": "the share among the coded segments",
        "est_note_human": "every {what} is coded by people",
        "est_note_fallback": "{method} undefined: {why}; uncorrected {used}",
        "est_note_coded": "{method} undefined: {why}; the share among the coded items instead",
        "est_note_coded_group": (
            "{method} undefined: {why}; the share among the group's own coded items instead"
        ),
        "est_note_participants": (
            "{method} undefined for participants ({why}): segment probabilities combined as "
            "if independent; the interval spans any dependence"
        ),
        "est_note_all_sources": "calibrated on all sources' coded segments ({source}: only {n})",
        "est_what_segment": "segment",
        "est_what_participant": "participant",
        "est_why_no_items": "no calibration items",
        "est_why_no_positive": "no calibration item has the code",
        "est_why_all_positive": "every calibration item has the code",
        "est_why_no_separation": "the model does not separate the code (tpr - fpr = {gap})",
        "est_why_no_participants": "no fully coded participants",
        "est_why_no_participant_positive": "no fully coded participant has the code",
        "est_why_all_participants_positive": "every fully coded participant has the code",
        # -- the dashboards' layer "Estimate (model + coders)" (issue 19, parts 4-5) --
        "est_layer_note": (
            "{people} Beside people's codings, counted as in that view, the model's estimate "
            "for everybody, corrected for the mistakes it makes on what people coded."
        ),
        "est_unavailable_none": (
            "The view “Estimate (model + coders)” appears once the research team has run the "
            "model: workbench suggest apply {study}"
        ),
        "est_unavailable_stale": (
            "The model's estimate is out of date (the study changed since it was made); the "
            "research team can renew it: workbench suggest apply {study}"
        ),
        "est_guide": (
            "<b>Estimate (model + coders):</b> how many of <b>all</b> {people} raised each "
            "theme. People coded {coded}; for the other {estimated} the model estimated it, "
            "corrected for the mistakes it makes on what people coded. A <b>bar</b> is the best "
            "estimate and its <b>whisker</b> the 95 % interval: the true share is very likely "
            "inside it, and a long whisker means we are not sure. <b>Click a bar</b> for quotes: "
            "people's first, then the model's suggestions, each marked as the model's."
        ),
        "est_guide_beside": (
            "<b>Interviews beside the survey:</b> each theme among the {interviews} (people's "
            "codings) beside all {survey} (the model's estimate); each bar with its 95 % "
            "interval. The interviews are a small sample chosen on purpose, each person asked "
            "at length; the survey is a large one answering one open question, so a theme is "
            "named far less often there and every survey bar is shorter. Compare the order of "
            "the themes, not the lengths of the bars: a theme near the top of both matters to "
            "many. <b>Click a bar</b> for its quotes."
        ),
        "est_people_survey": "{n} survey respondents",
        "est_people_interviews": "{n} people interviewed",
        "est_n_answers": "{n} answers",
        "est_n_answer": "1 answer",
        "est_n_passages": "{n} passages",
        "est_n_passage": "1 passage",
        "est_unit_answers": "answers",
        "est_unit_passages": "passages",
        "est_subtitle_survey": (
            "{people} · {coded} coded by people, {estimated} estimated by the model · {study}"
        ),
        "est_subtitle_beside": "{interviews} beside {survey} · {study}",
        "est_caption": "Estimate: {coded} coded by people, {estimated} estimated by the model",
        "est_caption_nothing": (
            "; {n} that say nothing (“Vet inte”, “-”) are not estimated and not counted"
        ),
        "est_caption_beside": (
            "Interviews: {interviews} coded by people. Survey: {coded} coded by people, "
            "{estimated} estimated by the model"
        ),
        "est_overview_lead": "An estimate of how many of all the people raised each topic.",
        "est_whisker": (
            "Bar: the best estimate. Whisker: the 95 % interval — the true share is very "
            "likely within it; the longer it is, the less sure we are."
        ),
        "est_raised_needs": "An estimated {share} of {people} raised a need",
        "est_raised_expectations": ("An estimated {share} of {people} expressed an expectation"),
        "est_raised_information_gaps": ("An estimated {share} of {people} lacked some information"),
        "est_raised_information_sources": (
            "An estimated {share} of {people} named a source of information"
        ),
        "est_fallback": (
            "Hatched bars: the model could not tell {labels} apart from the rest, so the share "
            "among the coded {unit} stands in; that assumes the coded {unit} are like the others."
        ),
        "est_missing": "Not estimated (too few coded examples for the model to learn): {labels}.",
        "est_calibrated_all": (
            "The model's mistakes were measured on every coded passage of the study (this "
            "source has only {n} coded)."
        ),
        "est_start_people": (
            "This list counts people's codings only ({coded} coded by people): the model "
            "estimates how common a theme is, not whether it came with a negative experience."
        ),
        "est_people_only": (
            "People's codings only ({coded} coded by people): the model estimates how common "
            "the themes above are, not this."
        ),
        "est_one_at_a_time": (
            "The model's estimate takes one filter or one comparison at a time: choose “All” "
            "in the other filters, or “No comparison”, to see it. Below: people's codings only."
        ),
        "est_beside_filters": (
            "Interviews and the survey are compared for everyone in each: choose “All” in the "
            "filters to compare them."
        ),
        "est_by_beside": "Interviews beside the survey",
        "est_beside_cleared": (
            "Interviews beside the survey compare everyone in each: the filters were set "
            "back to “All”."
        ),
        "est_beside_off": (
            "Interviews beside the survey compare everyone in each, so they are not compared "
            "for this filter: “Compare groups” was set back to “No comparison”."
        ),
        "est_beside_interviews": "Interviews: people's codings (n={n})",
        "est_beside_survey": "Survey: estimate (n={n})",
        "est_hover": (
            "{label}{group}<br>Estimate: {share} (95 % interval {interval})<br>Known from "
            "people's codings: {human} · estimated by the model: {estimated}<br>{how}"
        ),
        "est_hover_people": "{label}{group}<br>{n} of {total} ({share}): people's codings",
        "est_how_human": "Everyone here was coded by people: no estimate needed.",
        "est_how_pacc": "Corrected for the model's mistakes on what people coded.",
        "est_how_acc": "Corrected for the model's mistakes on what people coded.",
        "est_how_coded": (
            "The model could not tell this theme apart: the share among the coded {unit} stands in."
        ),
        "est_how_pcc": (
            "Too few fully coded people to correct for the model's mistakes: its probabilities "
            "are combined, and the interval is widened."
        ),
        "est_how_cc": "The model's suggestions counted, not corrected.",
        "est_how_emq": "The model's probabilities re-calibrated (EMQ).",
        "est_quotes_people": "coded by people",
        "est_quotes_model": (
            "The model's suggestions — not coded by people (probability {threshold} or more)"
        ),
        "est_quotes_model_for": (
            "{n} of the model's suggestions: {what} — not coded by people (probability "
            "{threshold} or more)"
        ),
        "est_quotes_model_none": "The model suggests nothing more here (probability {threshold} or more).",
        "est_badge": "model, {probability}",
        "est_badge_title": "Not coded by people: the model's suggestion, with its probability",
        "est_quotes_lead": (
            "People's quotes first, then the model's suggestions, each marked with the model's "
            "probability."
        ),
        "est_computing": (
            "Computing the model's estimate … (the first time for a selection takes a few seconds)"
        ),
        "est_report_part": "Estimate (model + coders): {source}",
        "est_summary_model": "the model's suggestions ({n})",
    },
    "sv": {
        "est_layer": "Skattning (modell + kodare)",
        "est_layer_hint": (
            "Människors kodningar där de finns, annars modellens korrigerade skattning, "
            "med 95 %-intervall"
        ),
        "est_source_interviews": "Intervjuer",
        "est_source_survey": "Enkät",
        "est_estimate": "Skattning",
        "est_interval": "95 %-intervall",
        "est_classify_and_count": "Förslag räknade",
        "est_n_human": "Kodade av människor",
        "est_n_estimated": "Skattade av modellen",
        "est_counts": "{human} kodade av människor, {estimated} skattade av modellen",
        "est_prediction": "Modellens förslag ({probability:.0%}), ingen kodning",
        "est_precision": "Förslagens precision",
        "est_method_human": "bara människors kodningar",
        "est_method_pacc": "korrigerad för modellens fel (PACC)",
        "est_method_acc": "korrigerad för modellens fel (ACC)",
        "est_method_pcc": "modellens medelsannolikhet",
        "est_method_cc": "modellens förslag räknade",
        "est_method_emq": "omkalibrerad förekomst (EMQ)",
        "est_method_coded": "andelen bland de kodade segmenten",
        "est_note_human": "alla {what} är kodade av människor",
        "est_note_fallback": "{method} går inte att använda: {why}; okorrigerad {used}",
        "est_note_coded": (
            "{method} går inte att använda: {why}; i stället andelen bland de kodade"
        ),
        "est_note_coded_group": (
            "{method} går inte att använda: {why}; i stället andelen bland gruppens egna kodade"
        ),
        "est_note_participants": (
            "{method} går inte att använda för deltagare ({why}): segmentens sannolikheter "
            "kombinerade som om de vore oberoende; intervallet täcker alla beroenden"
        ),
        "est_note_all_sources": "kalibrerad på alla källors kodade segment ({source}: bara {n})",
        "est_what_segment": "segment",
        "est_what_participant": "deltagare",
        "est_why_no_items": "inga kalibreringsexempel",
        "est_why_no_positive": "inget kalibreringsexempel har koden",
        "est_why_all_positive": "alla kalibreringsexempel har koden",
        "est_why_no_separation": "modellen skiljer inte ut koden (tpr - fpr = {gap})",
        "est_why_no_participants": "inga helt kodade deltagare",
        "est_why_no_participant_positive": "ingen helt kodad deltagare har koden",
        "est_why_all_participants_positive": "alla helt kodade deltagare har koden",
        # -- instrumentpanelernas lager "Skattning (modell + kodare)" (ärende 19, del 4-5) --
        "est_layer_note": (
            "{people} Bredvid människors kodningar, räknade som i den vyn, modellens skattning "
            "för alla, korrigerad för de misstag den gör på det som människor har kodat."
        ),
        "est_unavailable_none": (
            "Vyn ”Skattning (modell + kodare)” visas när forskargruppen har kört modellen: "
            "workbench suggest apply {study}"
        ),
        "est_unavailable_stale": (
            "Modellens skattning är inaktuell (studien har ändrats sedan den gjordes); "
            "forskargruppen kan förnya den: workbench suggest apply {study}"
        ),
        "est_guide": (
            "<b>Skattning (modell + kodare):</b> hur många av <b>alla</b> {people} som tog upp "
            "varje tema. Människor kodade {coded}; för de övriga {estimated} skattade modellen "
            "det, korrigerat för de misstag den gör på det som människor har kodat. En "
            "<b>stapel</b> är den bästa skattningen och dess <b>morrhår</b> 95 %-intervallet: "
            "den sanna andelen ligger med stor sannolikhet inom det, och ett långt morrhår betyder "
            "att vi inte är säkra. <b>Klicka på en stapel</b> för citat: människors först, sedan "
            "modellens förslag, vart och ett märkt som modellens."
        ),
        "est_guide_beside": (
            "<b>Intervjuer bredvid enkäten:</b> varje tema bland {interviews} (människors "
            "kodningar) bredvid alla {survey} (modellens skattning); varje stapel med sitt "
            "95 %-intervall. Intervjuerna är ett litet urval valt med avsikt, där var och en "
            "fick berätta utförligt; enkäten är ett stort urval som svarade på en öppen fråga, "
            "så ett tema nämns mycket mer sällan där och varje enkätstapel är kortare. Jämför "
            "temanas ordning, inte staplarnas längd: ett tema högt upp i båda berör många. "
            "<b>Klicka på en stapel</b> för dess citat."
        ),
        "est_people_survey": "{n} svarande i enkäten",
        "est_people_interviews": "{n} intervjuade",
        "est_n_answers": "{n} svar",
        "est_n_answer": "1 svar",
        "est_n_passages": "{n} textavsnitt",
        "est_n_passage": "1 textavsnitt",
        "est_unit_answers": "svaren",
        "est_unit_passages": "textavsnitten",
        "est_subtitle_survey": (
            "{people} · {coded} kodade av människor, {estimated} skattade av modellen · {study}"
        ),
        "est_subtitle_beside": "{interviews} bredvid {survey} · {study}",
        "est_caption": ("Skattning: {coded} kodade av människor, {estimated} skattade av modellen"),
        "est_caption_nothing": (
            "; {n} som inte säger något (”Vet inte”, ”-”) skattas inte och räknas inte"
        ),
        "est_caption_beside": (
            "Intervjuer: {interviews} kodade av människor. Enkät: {coded} kodade av människor, "
            "{estimated} skattade av modellen"
        ),
        "est_overview_lead": "En skattning av hur många av alla som tog upp varje ämne.",
        "est_whisker": (
            "Stapel: den bästa skattningen. Morrhår: 95 %-intervallet — den sanna andelen "
            "ligger med stor sannolikhet inom det; ju längre det är, desto osäkrare är vi."
        ),
        "est_raised_needs": "Uppskattningsvis {share} av {people} tog upp ett behov",
        "est_raised_expectations": ("Uppskattningsvis {share} av {people} uttryckte en förväntan"),
        "est_raised_information_gaps": (
            "Uppskattningsvis {share} av {people} saknade någon information"
        ),
        "est_raised_information_sources": (
            "Uppskattningsvis {share} av {people} nämnde en informationskälla"
        ),
        "est_fallback": (
            "Randiga staplar: modellen kunde inte skilja ut {labels} från resten, så andelen "
            "bland de kodade {unit} används i stället; det förutsätter att de kodade {unit} "
            "liknar de andra."
        ),
        "est_missing": (
            "Inte skattade (för få kodade exempel för att modellen ska lära sig dem): {labels}."
        ),
        "est_calibrated_all": (
            "Modellens misstag mättes på alla kodade textavsnitt i studien (den här källan har "
            "bara {n} kodade)."
        ),
        "est_start_people": (
            "Listan räknar bara människors kodningar ({coded} kodade av människor): modellen "
            "skattar hur vanligt ett tema är, inte om det hörde ihop med en negativ upplevelse."
        ),
        "est_people_only": (
            "Bara människors kodningar ({coded} kodade av människor): modellen skattar hur "
            "vanliga temana ovan är, inte detta."
        ),
        "est_one_at_a_time": (
            "Modellens skattning tar ett filter eller en jämförelse i taget: välj ”Alla” i de "
            "andra filtren, eller ”Ingen jämförelse”, för att se den. Nedan: bara människors "
            "kodningar."
        ),
        "est_beside_filters": (
            "Intervjuer och enkät jämförs för alla i vardera: välj ”Alla” i filtren för att "
            "jämföra dem."
        ),
        "est_by_beside": "Intervjuer bredvid enkäten",
        "est_beside_cleared": (
            "Intervjuer bredvid enkäten jämför alla i vardera: filtren har återställts till ”Alla”."
        ),
        "est_beside_off": (
            "Intervjuer bredvid enkäten jämför alla i vardera och jämförs därför inte för det "
            "här filtret: ”Jämför grupper” har återställts till ”Ingen jämförelse”."
        ),
        "est_beside_interviews": "Intervjuer: människors kodningar (n={n})",
        "est_beside_survey": "Enkät: skattning (n={n})",
        "est_hover": (
            "{label}{group}<br>Skattning: {share} (95 %-intervall {interval})<br>Kända från "
            "människors kodningar: {human} · skattade av modellen: {estimated}<br>{how}"
        ),
        "est_hover_people": "{label}{group}<br>{n} av {total} ({share}): människors kodningar",
        "est_how_human": "Alla här är kodade av människor: ingen skattning behövs.",
        "est_how_pacc": "Korrigerad för modellens misstag på det som människor har kodat.",
        "est_how_acc": "Korrigerad för modellens misstag på det som människor har kodat.",
        "est_how_coded": (
            "Modellen kunde inte skilja ut temat: andelen bland de kodade {unit} används i stället."
        ),
        "est_how_pcc": (
            "För få helt kodade personer för att korrigera för modellens misstag: dess "
            "sannolikheter kombineras, och intervallet vidgas."
        ),
        "est_how_cc": "Modellens förslag räknade, inte korrigerade.",
        "est_how_emq": "Modellens sannolikheter omkalibrerade (EMQ).",
        "est_quotes_people": "kodade av människor",
        "est_quotes_model": (
            "Modellens förslag — inte kodade av människor (sannolikhet {threshold} eller mer)"
        ),
        "est_quotes_model_for": (
            "{n} av modellens förslag: {what} — inte kodade av människor (sannolikhet "
            "{threshold} eller mer)"
        ),
        "est_quotes_model_none": (
            "Modellen föreslår inget mer här (sannolikhet {threshold} eller mer)."
        ),
        "est_badge": "modell, {probability}",
        "est_badge_title": "Inte kodat av människor: modellens förslag, med dess sannolikhet",
        "est_quotes_lead": (
            "Människors citat först, sedan modellens förslag, vart och ett märkt med modellens "
            "sannolikhet."
        ),
        "est_computing": (
            "Modellens skattning beräknas … (första gången för ett urval tar det några sekunder)"
        ),
        "est_report_part": "Skattning (modell + kodare): {source}",
        "est_summary_model": "modellens förslag ({n})",
    },
}
