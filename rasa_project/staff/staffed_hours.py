"""When agents take chats: STAFF_HOURS ("mon-fri 08:00-20:00", or "always") in STAFF_TIMEZONE
(default America/New_York), closed on federal holidays (rasa_project/hours.py)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime

from rasa_project.hours import WEEKDAY_KEYS, OpeningHours
from rasa_project.wording import day_span, spanish, zone_name

DEFAULT_HOURS = "mon-fri 08:00-20:00"  # the Contact Center's live agents' hours, Eastern time
DEFAULT_TIMEZONE = "America/New_York"
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _spec(env: Mapping[str, str]) -> str:
    return (env.get("STAFF_HOURS") or DEFAULT_HOURS).strip().lower()


def opening_hours(env: Mapping[str, str] = os.environ) -> OpeningHours | None:
    """The staffed hours; None means always staffed."""
    spec = _spec(env)
    if spec == "always":
        return None
    days, times = spec.split()
    first, _, last = days.partition("-")
    start, end = WEEKDAY_KEYS.index(first), WEEKDAY_KEYS.index(last or first)
    opens, closes = times.split("-")
    return OpeningHours.from_directory({
        "timezone": env.get("STAFF_TIMEZONE") or DEFAULT_TIMEZONE,
        "days": list(WEEKDAY_KEYS[start:end + 1]), "opens": opens, "closes": closes})


def staffed(now: datetime, env: Mapping[str, str] = os.environ) -> bool:
    hours = opening_hours(env)
    return hours is None or hours.status(now).is_open


def describe(env: Mapping[str, str] = os.environ, language: str = "en") -> str:
    hours = opening_hours(env)
    if hours is None:
        return "a cualquier hora" if spanish(language) else "at any time"
    days = sorted(hours.days)
    first, last = DAY_NAMES[days[0]], DAY_NAMES[days[-1]]
    if spanish(language):
        return (f"{day_span(days, language)}, de {hours.opens:%H:%M} a {hours.closes:%H:%M} "
                f"({zone_name(hours.tz.key, language)}), excepto los días feriados federales")
    span = first if len(days) == 1 else f"{first} to {last}"
    return (f"{span}, {hours.opens:%H:%M} to {hours.closes:%H:%M} ({hours.tz.key} time), "
            "except federal holidays")
