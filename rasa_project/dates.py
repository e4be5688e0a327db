"""Dates as customers type them ("last Tuesday", "3/14", "two weeks ago"), never in the future."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import dateparser

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# dateparser does not read "last Tuesday"; it reads everything else we need.
LAST_WEEKDAY = re.compile(
    r"^\s*(?:last|past|this past|on)\s+(" + "|".join(WEEKDAYS) + r")\s*$", re.I
)
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


_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_NUMBER = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|a|an)"
# Only what is plainly a date: "may I email" must not read as the month of May.
DATE_IN_TEXT = re.compile(
    rf"\b(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}(?:/\d{2,4})?"
    rf"|{_NUMBER}\s+(?:days?|weeks?|months?)\s+ago|yesterday"
    r"|last\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b", re.I)


def find_past_date(text: str, today: date) -> date | None:
    """The first date written in a longer message ("I called on March 2, can I email?"), if it
    reads as a date on or before today."""
    for match in DATE_IN_TEXT.finditer((text or "")[:1000]):
        answer = parse_past_date(match.group(0), today)
        if answer.value is not None and answer.problem is None:
            return answer.value
    return None
