"""USCIS field offices and the one nearest to a ZIP code.

Coordinates come from the `zipcodes` package (it ships its data, nothing is downloaded): each
office is placed at its own ZIP code, a customer at theirs, and the nearest office among those
that serve the customer's state wins.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import time
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
import zipcodes

from rasa_project.text import zip_code

OFFICES_PATH = Path(__file__).with_name("field_offices.yml")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class OfficeDataError(ValueError):
    pass


@dataclass(frozen=True)
class FieldOffice:
    key: str
    name: str
    city: str
    state: str
    timezone: ZoneInfo
    days: frozenset[int]
    opens: time
    closes: time
    slot_minutes: int
    places_per_slot: int
    serves: frozenset[str]
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Place:
    zip_code: str
    state: str
    city: str
    latitude: float
    longitude: float


def _coordinates(zip_code: str) -> dict | None:
    try:
        found = zipcodes.matching(zip_code)
    except (TypeError, ValueError):
        return None
    return found[0] if found else None


def load_offices(path: Path = OFFICES_PATH) -> dict[str, FieldOffice]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    defaults = data["defaults"]
    offices: dict[str, FieldOffice] = {}
    for entry in data["offices"]:
        settings = {**defaults, **entry}
        where = f"field office {entry.get('key')!r}"
        place = _coordinates(str(settings["zip"]))
        if place is None:
            raise OfficeDataError(f"{where}: unknown ZIP code {settings['zip']}")
        try:
            office = FieldOffice(
                key=settings["key"], name=settings["name"], city=settings["city"],
                state=settings["state"], timezone=ZoneInfo(settings["timezone"]),
                days=frozenset(WEEKDAYS.index(day) for day in settings["days"]),
                opens=time.fromisoformat(str(settings["opens"])),
                closes=time.fromisoformat(str(settings["closes"])),
                slot_minutes=int(settings["slot_minutes"]),
                places_per_slot=int(settings["places_per_slot"]),
                serves=frozenset(settings["serves"]),
                latitude=float(place["lat"]), longitude=float(place["long"]),
            )
        except (KeyError, ValueError, TypeError) as error:
            raise OfficeDataError(f"{where}: {error}") from error
        if office.opens >= office.closes or office.slot_minutes <= 0 or office.places_per_slot <= 0:
            raise OfficeDataError(f"{where}: hours or slot settings make no slots")
        if office.key in offices:
            raise OfficeDataError(f"{where}: listed twice")
        offices[office.key] = office
    return offices


@lru_cache(maxsize=1)
def default_offices() -> dict[str, FieldOffice]:
    return load_offices()


def place_for_zip(text: str) -> Place | None:
    """The place of a U.S. ZIP code (states, DC and the territories), or None."""
    typed = zip_code(text)
    found = _coordinates(typed) if typed else None
    if found is None or not found.get("lat"):
        return None
    return Place(typed, found["state"], found["city"], float(found["lat"]),
                 float(found["long"]))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (lat1, lon1, lat2, lon2))
    a = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def nearest_office(place: Place, offices: dict[str, FieldOffice] | None = None) -> FieldOffice:
    offices = offices or default_offices()
    serving = [o for o in offices.values() if place.state in o.serves] or list(offices.values())
    return min(serving, key=lambda o: distance_km(place.latitude, place.longitude,
                                                  o.latitude, o.longitude))
