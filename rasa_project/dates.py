"""Dates as customers type them ("last Tuesday", "3/14", "two weeks ago"), never in the future."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import dateparser

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# dateparser does not read "last Tuesday"; it reads everything else we need.
LAST_WEEKDAY = re.compile(r"^\s*(?:last|past|this past|on)\s+(" + "|".join(WEEKDAYS) + r")\s*$", re.I)
MAX_LENGTH = 60


@dataclass(frozen=True)
class DateAnswer:
    value: date | None
    problem: str | None = None  # "unreadable" or "future"


def parse_past_date(text: str, today: date) -> DateAnswer:
    """The date meant by `text`, relative to `today`; dates after today are refused."""
    text = (text or "").strip()
    if not text or len(text) > MAX_LENGTH:
        return DateAnswer(None, "unreadable")
    value = _last_weekday(text, today) or _dateparser(text, today)
    if value is None:
        return DateAnswer(None, "unreadable")
    if value > today:
        return DateAnswer(value, "future")
    return DateAnswer(value)


def _last_weekday(text: str, today: date) -> date | None:
    match = LAST_WEEKDAY.match(text)
    if not match:
        return None
    wanted = WEEKDAYS.index(match.group(1).lower())
    back = (today.weekday() - wanted) % 7 or 7
    return today - timedelta(days=back)


def _dateparser(text: str, today: date) -> date | None:
    base = datetime.combine(today, datetime.min.time()).replace(hour=12)
    parsed = dateparser.parse(
        text,
        languages=["en", "es"],
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "DATE_ORDER": "MDY",
                  "STRICT_PARSING": False, "RETURN_AS_TIMEZONE_AWARE": False},
    )
    return parsed.date() if parsed else None
