"""The document view's strings: a whole transcript with its codings as stripes in the margin.

Every key starts with ``docview_``; ``{n}``, ``{shown}``, ``{total}``, ``{position}`` and
``{name}`` are filled in by the widget (in Python or in the browser).
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "docview_title": "Document",
        "docview_participant": "Participant",
        "docview_turns": "{n} turns",
        "docview_turns_one": "1 turn",
        "docview_codings": "{shown} of {total} codings shown",
        "docview_codings_all": "{n} codings",
        "docview_codings_one": "1 coding",
        "docview_layer": "Codings by",
        "docview_all_coders": "All coders",
        "docview_consensus": "Consensus",
        "docview_consensus_hint": (
            "The settled codes where a turn was adjudicated, elsewhere the codes most coders "
            "applied"
        ),
        "docview_code": "Code",
        "docview_all_codes": "All codes",
        "docview_refresh": "Refresh",
        "docview_refresh_hint": "Read the codings again (codes made elsewhere since)",
        "docview_hint": "Click a participant's turn to open it in the tagger",
        "docview_turn_hint": "Turn {position}: click to open it in the tagger",
        "docview_context_hint": "Turn {position}: the interviewer's (context, not coded)",
        "docview_interviewer": "Interviewer",
        "docview_speaker": "Participant",
        "docview_whole_turn": "whole turn",
        "docview_suggested": "suggested",
        "docview_lane_hint": "{name}: {n} codings here. Click to show only this code",
        "docview_lane_hint_on": "{name}: {n} codings here. Click to show every code again",
        "docview_lane_hint_one": "{name}: 1 coding here. Click to show only this code",
        "docview_lane_hint_on_one": "{name}: 1 coding here. Click to show every code again",
        "docview_no_turns": "This document has no turns.",
        "docview_no_codings": "No codings to show with these filters.",
        "docview_opened": "Opened turn {position} in the tagger",
        "docview_text_changed": "The transcript was changed (names redacted): read again",
        "docview_not_codable": "Turn {position} is the interviewer's: context, not coded",
        "docview_refreshed": "Codings read again: {n}",
        "docview_lanes": "Codes",
    },
    "sv": {
        "docview_title": "Dokument",
        "docview_participant": "Deltagare",
        "docview_turns": "{n} repliker",
        "docview_turns_one": "1 replik",
        "docview_codings": "{shown} av {total} kodningar visas",
        "docview_codings_all": "{n} kodningar",
        "docview_codings_one": "1 kodning",
        "docview_layer": "Kodningar av",
        "docview_all_coders": "Alla kodare",
        "docview_consensus": "Konsensus",
        "docview_consensus_hint": (
            "De avgjorda koderna där en replik har bedömts, annars de koder som flest kodare satte"
        ),
        "docview_code": "Kod",
        "docview_all_codes": "Alla koder",
        "docview_refresh": "Läs om",
        "docview_refresh_hint": "Läs kodningarna på nytt (koder som satts någon annanstans)",
        "docview_hint": "Klicka på en deltagares replik för att öppna den i kodverktyget",
        "docview_turn_hint": "Replik {position}: klicka för att öppna den i kodverktyget",
        "docview_context_hint": "Replik {position}: intervjuarens (sammanhang, kodas inte)",
        "docview_interviewer": "Intervjuare",
        "docview_speaker": "Deltagare",
        "docview_whole_turn": "hela repliken",
        "docview_suggested": "föreslagen",
        "docview_lane_hint": "{name}: {n} kodningar här. Klicka för att bara visa denna kod",
        "docview_lane_hint_on": "{name}: {n} kodningar här. Klicka för att visa alla koder igen",
        "docview_lane_hint_one": "{name}: 1 kodning här. Klicka för att bara visa denna kod",
        "docview_lane_hint_on_one": "{name}: 1 kodning här. Klicka för att visa alla koder igen",
        "docview_no_turns": "Dokumentet har inga repliker.",
        "docview_no_codings": "Inga kodningar att visa med dessa filter.",
        "docview_opened": "Öppnade replik {position} i kodverktyget",
        "docview_text_changed": "Utskriften har ändrats (namn maskerade): inläst igen",
        "docview_not_codable": "Replik {position} är intervjuarens: sammanhang, kodas inte",
        "docview_refreshed": "Kodningarna lästa på nytt: {n}",
        "docview_lanes": "Koder",
    },
}
