"""Appointment times: opening hours, minus weekends, federal holidays, the past, and full slots."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from rasa_project.hours import federal_holiday
from rasa_project.infopass.offices import FieldOffice
from rasa_project.wording import date_and_time

DAYS_AHEAD = 30
# A slot must start at least this long after "now": nobody can reach an office in no time.
LEAD_TIME = timedelta(hours=2)


def slot_starts(
    office: FieldOffice, now: datetime, days_ahead: int = DAYS_AHEAD
) -> Iterator[datetime]:
    """Every slot start after `now` (+ lead time), as aware datetimes in the office's zone."""
    local_now = now.astimezone(office.timezone)
    earliest = local_now + LEAD_TIME
    step = timedelta(minutes=office.slot_minutes)
    for offset in range(days_ahead + 1):
        day = local_now.date() + timedelta(days=offset)
        if day.weekday() not in office.days or federal_holiday(day):
            continue
        start = datetime.combine(day, office.opens, office.timezone)
        end = datetime.combine(day, office.closes, office.timezone)
        while start + step <= end:
            if start >= earliest:
                yield start
            start += step


def free_slots(office: FieldOffice, now: datetime, taken: Callable[[datetime], int],
               limit: int = 4) -> list[datetime]:
    """The next `limit` slots with a place left (`taken(slot)` says how many are booked)."""
    found: list[datetime] = []
    for start in slot_starts(office, now):
        if taken(start) < office.places_per_slot:
            found.append(start)
            if len(found) == limit:
                break
    return found


def describe_slot(start: datetime, language: str = "en") -> str:
    """'Tuesday, December 1, 9:30 AM CST' (or 'martes, 1 de diciembre de 2026, 9:30 a. m. CST')
    in the office's zone."""
    return date_and_time(start, language)
