"""The catalogue: every part's strings merged, and the functions that read them."""

from __future__ import annotations

from workbench.i18n import _dashboard, _document, _estimate, _retrieve, _themes, _widgets

LANGS = ("sv", "en")


def _merged(*parts: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """One table per language from each part's tables (a key may be defined once)."""
    merged: dict[str, dict[str, str]] = {lang: {} for lang in LANGS}
    for part in parts:
        for lang in LANGS:
            clash = merged[lang].keys() & part.get(lang, {}).keys()
            if clash:
                raise AssertionError(f"interface strings defined twice: {sorted(clash)}")
            merged[lang].update(part.get(lang, {}))
    return merged


#: Every interface string by language: the dashboard's, the widgets', the retrieval views', the
#: theme views' and the model estimates'.
STRINGS = _merged(
    _dashboard.STRINGS,
    _widgets.STRINGS,
    _document.STRINGS,
    _retrieve.STRINGS,
    _themes.STRINGS,
    _estimate.STRINGS,
)


#: Readable names of participant attributes (the demo study's and the usual ones); any other
#: is shown with its underscores as spaces (``attribute_name``).
ATTRIBUTES: dict[str, dict[str, str]] = {
    "en": {
        "role": "Role",
        "business_type": "Type of business",
        "size": "Size",
        "district": "District",
        "user_type": "User type",
        "language": "Language",
        "answered_on": "Answered on",
        "respondent": "Respondent",
        "region": "Region",
        "age": "Age",
        "gender": "Gender",
    },
    "sv": {
        "role": "Roll",
        "business_type": "Verksamhet",
        "size": "Storlek",
        "district": "Område",
        "user_type": "Användartyp",
        "language": "Språk",
        "answered_on": "Besvarad",
        "respondent": "Svarande",
        "region": "Region",
        "age": "Ålder",
        "gender": "Kön",
    },
}

#: Readable attribute values (the demo study's roles, businesses and sizes); any other value is
#: shown as it is stored.
VALUES: dict[str, dict[str, str]] = {
    "en": {"external": "external", "internal": "internal", "sv": "Swedish", "en": "English"},
    "sv": {
        "external": "extern",
        "internal": "intern",
        "sv": "svenska",
        "en": "engelska",
        # the group that small groups are folded into (dashboards)
        "other": "övriga",
        # roles
        "administrator": "handläggare",
        "communications officer": "kommunikatör",
        "inspector": "inspektör",
        "manager": "chef",
        "owner": "ägare",
        "staff": "personal",
        "unit manager": "enhetschef",
        # types of business
        "bakery": "bageri",
        "café": "kafé",
        "care home kitchen": "äldreboendekök",
        "caterer": "catering",
        "farm shop": "gårdsbutik",
        "food truck": "matbil",
        "grocery shop": "livsmedelsbutik",
        "market stall": "torgstånd",
        "municipality": "kommun",
        "new business": "nystartad verksamhet",
        "pizzeria/kiosk": "pizzeria/kiosk",
        "restaurant": "restaurang",
        "school kitchen": "skolkök",
        # sizes
        "large": "stor",
        "medium": "mellanstor",
        "micro": "mikro",
        "small": "liten",
    },
}


def text(key: str, lang: str = "en", **values: object) -> str:
    """The interface string ``key`` in ``lang`` (English when missing), formatted."""
    table = STRINGS.get(lang, STRINGS["en"])
    template = table.get(key) or STRINGS["en"].get(key) or key
    return template.format(**values) if values else template


def attribute_name(name: str, lang: str = "en") -> str:
    """A readable name for a participant attribute."""
    known = ATTRIBUTES.get(lang, ATTRIBUTES["en"]).get(name)
    return known or name.replace("_", " ").capitalize()


def value_name(value: object, lang: str = "en") -> str:
    """A readable attribute value (a few common ones translated)."""
    return VALUES.get(lang, VALUES["en"]).get(str(value), str(value))
