"""The USCIS office abroad for a country of residence (chapter B.1, C.2; brief's eleven offices).

Only the country each office sits in is known here: which other countries an office serves is not
published in our sources, so a country without an office is sent to the nearest U.S. embassy or
consulate and to the International Immigration Offices page, never to a guessed office.
"""

from __future__ import annotations

from dataclasses import dataclass

from rasa_project.countries import Country
from rasa_project.directory import Directory
from rasa_project.directory.loader import worded


@dataclass(frozen=True)
class AbroadAnswer:
    kind: str  # "domestic", "office", "canada" or "no_office"
    country: Country
    office_cities: tuple[str, ...] = ()


def answer_for(directory: Directory, country: Country, language: str = "en") -> AbroadAnswer:
    if country.domestic:
        return AbroadAnswer("domestic", country)
    international = directory.raw["international"]
    if country.code == "CA":
        return AbroadAnswer("canada", country, (worded(international, "canada_office", language),))
    cities = tuple(worded(office, "city", language) for office in international["offices"]
                   if office["country_code"] == country.code)
    return AbroadAnswer("office" if cities else "no_office", country, cities)


def join_cities(cities: tuple[str, ...], language: str = "en") -> str:
    if len(cities) <= 1:
        return "".join(cities)
    return ", ".join(cities[:-1]) + (" y " if language == "es" else " and ") + cities[-1]
