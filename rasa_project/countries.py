"""Which country a customer lives in, from what they typed: "I live in Kenya", "estoy en México",
"from the UK", "Cote d'Ivoire", "Korea", "Guatamala", "I live in Monterrey". pycountry's names
plus the names people really use (ALIASES); close misspellings are accepted; then cities and regions
(rasa_project.places); anything else, or a place several countries share, is None, never a
guess."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from rasa_project.places import place_in
from rasa_project.text import plain

# U.S. states are not countries; customers there and in the territories are domestic.
DOMESTIC = {"US", "PR", "GU", "VI", "AS", "MP", "UM"}
ALIASES = {
    "usa": "US", "us": "US", "u.s.": "US", "u.s.a.": "US", "america": "US", "united states": "US",
    "the states": "US", "eeuu": "US", "puerto rico": "PR", "guam": "GU",
    "uk": "GB", "u.k.": "GB", "britain": "GB", "great britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB", "united kingdom": "GB",
    "korea": "KR", "south korea": "KR", "corea": "KR", "north korea": "KP",
    "turkey": "TR", "turkiye": "TR", "ivory coast": "CI", "cote d'ivoire": "CI",
    "russia": "RU", "vietnam": "VN", "iran": "IR", "syria": "SY", "laos": "LA", "bolivia": "BO",
    "venezuela": "VE", "tanzania": "TZ", "moldova": "MD", "czech republic": "CZ", "czechia": "CZ",
    "holland": "NL", "the netherlands": "NL", "burma": "MM", "drc": "CD", "dr congo": "CD",
    "democratic republic of the congo": "CD", "republic of the congo": "CG", "taiwan": "TW",
    "palestine": "PS", "uae": "AE", "emirates": "AE", "dubai": "AE", "saudi": "SA",
    "the philippines": "PH", "micronesia": "FM", "vatican": "VA", "cape verde": "CV",
    "swaziland": "SZ", "east timor": "TL", "macedonia": "MK", "brunei": "BN", "kosovo": "XK",
    # Spanish names CLDR does not give (its Spanish names come from spanish_names()).
    "inglaterra": "GB",
}
NAMES_OVERRIDE = {
    "KR": "South Korea",
    "KP": "North Korea",
    "GB": "the United Kingdom",
    "US": "the United States",
    "RU": "Russia",
    "IR": "Iran",
    "SY": "Syria",
    "VN": "Vietnam",
    "TW": "Taiwan",
    "BO": "Bolivia",
    "VE": "Venezuela",
    "TZ": "Tanzania",
    "CD": "the Democratic Republic of the Congo",
    "XK": "Kosovo",
    "NL": "the Netherlands",
    "PH": "the Philippines",
    "AE": "the United Arab Emirates",
}
# "I live outside the United States" names the U.S. only to say the customer is not there.
NOT_HERE = re.compile(
    r"\b(?:outside|out of|not in|fuera de|afuera de|no (?:estoy|vivo|estamos|vivimos) en)"
    r"\s+(?:of\s+)?(?:the\s+|los\s+)?"
    r"(?:united states|u\.?s\.?a?\.?|america|estados unidos|eeuu|country)\b", re.I)
# "We moved from Texas to Canada": where they came from is not where they live.
MOVED_FROM = re.compile(
    r"\b((?:moved|relocated|moving|relocating|came|migrated|transferred)\s+)from\s+[^,.;!?]{1,40}?"
    r"\s+(?=to\b)", re.I)
FUZZY_CUTOFF = 0.84
# Country names in Spanish come from CLDR (babel), not from a list of our own.
SPANISH = "es"
# CLDR Spanish names that are far more often a given name or a place in a Spanish-speaking
# country than the territory ("Maria Guadalupe", Granada in Spain, San Martín in Argentina).
SPANISH_NAMES_NOT_COUNTRIES = frozenset(
    {"guadalupe", "mauricio", "granada", "san martin", "santa elena", "santa lucia"})
MIN_FUZZY_LENGTH = 5


@dataclass(frozen=True)
class Country:
    code: str
    name: str

    @property
    def domestic(self) -> bool:
        return self.code in DOMESTIC


@lru_cache(maxsize=1)
def spanish_names() -> dict[str, str]:
    """Country names as written in Spanish ("Alemania", "Reino Unido", "México"), mapped to
    their ISO code: CLDR's territory names without their qualifier ("Myanmar (Birmania)")."""
    return {written: code for code, written in _cldr_spanish().items()
            if plain(written) not in SPANISH_NAMES_NOT_COUNTRIES}


@lru_cache(maxsize=1)
def _cldr_spanish() -> dict[str, str]:
    """ISO code -> CLDR's Spanish name, without its qualifier, for every country pycountry knows."""
    from babel import Locale

    known = {country.alpha_2 for country in pycountry.countries}
    return {code: name.split("(")[0].strip() for code, name in Locale(SPANISH).territories.items()
            if code in known}


@lru_cache(maxsize=1)
def names() -> dict[str, str]:
    """Every known way to write a country (plain), mapped to its ISO code."""
    table: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(country, attribute, None)
            if value:
                table[plain(value)] = country.alpha_2
                table[plain(value.split(",")[0])] = country.alpha_2
    # A U.S. state is domestic: "New Mexico" must not read as Mexico.
    table.update({plain(name): code for name, code in spanish_names().items()})
    for state in pycountry.subdivisions.get(country_code="US"):
        table[plain(state.name)] = "US"
    table.update({plain(alias): code for alias, code in ALIASES.items()})
    for ambiguous in ("korea", "congo", "georgia"):
        table.pop(ambiguous, None)
    table["korea"] = "KR"  # people writing just "Korea" to USCIS nearly always mean South Korea
    table.pop("us", None)  # "us" is a pronoun far more often than a country
    return table


def country_named(code: str) -> Country:
    country = pycountry.countries.get(alpha_2=code)
    name = NAMES_OVERRIDE.get(code) or (getattr(country, "common_name", None) or country.name
                                        if country else code)
    return Country(code, name)


def name_in(country: Country, language: str = "en") -> str:
    """The country's name in `language`: CLDR's Spanish name (babel) for "es" ("Corea del Sur",
    "Argelia"; pycountry's own Spanish translations read "Corea, República de", "Algeria")."""
    if language != SPANISH:
        return country.name
    return _cldr_spanish().get(country.code, country.name)


def either_of(names: list[str], language: str = "en") -> str:
    """"A, B or C" / "A, B o C": which one, in the customer's language."""
    if language == SPANISH:
        from babel.lists import format_list

        return format_list(names, style="or", locale=SPANISH)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


@lru_cache(maxsize=4096)
def find_country(text: str, whole_message: bool = False) -> Country | None:
    """The country a message names, longest name first; close misspellings of one word or two;
    then a city or region (rasa_project.places; `whole_message` when the text answers "which
    country do you live in?", so that a bare city name counts)."""
    if len(text or "") > 1000:
        return None
    text = MOVED_FROM.sub(r"\1", NOT_HERE.sub(" ", text or ""))
    words = plain(text).split()
    if not words:
        return None
    table = names()
    for size in range(7, 0, -1):
        for start in range(len(words) - size + 1):
            phrase = " ".join(words[start:start + size])
            if phrase in table:
                return country_named(table[phrase])
    if len(text) <= 60 and " " not in text.strip() and text.strip().upper() == "US":
        return None
    return _by_place(text, whole_message) or _fuzzy(words, table)


def _by_place(text: str, whole_message: bool = False) -> Country | None:
    place = place_in(text, whole_message)
    return country_named(place.country_code) if place and place.country_code else None


@lru_cache(maxsize=1)
def _fuzzy_keys() -> dict[str, list[str]]:
    """Names long enough to misspell, by first letter: a misspelling seldom changes the first
    letter, and comparing against a few dozen names instead of all keeps this off the hot path."""
    by_letter: dict[str, list[str]] = {}
    for key in names():
        if len(key) >= MIN_FUZZY_LENGTH:
            by_letter.setdefault(key[0], []).append(key)
    return by_letter


def _fuzzy(words: list[str], table: dict[str, str]) -> Country | None:
    for size in (2, 1):
        for start in range(len(words) - size + 1):
            phrase = " ".join(words[start:start + size])
            # "Guadalupe" is a name, not a misspelled Guadeloupe.
            if len(phrase) < MIN_FUZZY_LENGTH or phrase in SPANISH_NAMES_NOT_COUNTRIES:
                continue
            candidates = [key for key in _fuzzy_keys().get(phrase[0], [])
                          if abs(len(key) - len(phrase)) <= 3]
            match = difflib.get_close_matches(phrase, candidates, n=1, cutoff=FUZZY_CUTOFF)
            if match:
                return country_named(table[match[0]])
    return None
