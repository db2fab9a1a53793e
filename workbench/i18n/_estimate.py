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
    },
}
