"""Opening hours of a phone line: open now?, next opening, computed in the line's own time zone.

Federal holidays come from the `holidays` package (with observed days), never a hand-kept list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Far enough to cross any run of weekend plus holidays (e.g. Christmas on a Monday).
SEARCH_DAYS = 14


@dataclass(frozen=True)
class LineStatus:
    is_open: bool
    closes_at: datetime | None  # today's closing time, when open
    next_opening: datetime | None  # when closed: the next time the line opens
    holiday: str | None  # today's federal holiday, if any


@dataclass(frozen=True)
class OpeningHours:
    tz: ZoneInfo
    days: frozenset[int]
    opens: time
    closes: time
    closed_on_federal_holidays: bool

    @classmethod
    def from_directory(cls, entry: Mapping[str, Any]) -> OpeningHours:
        return cls(
            tz=ZoneInfo(entry["timezone"]),
            days=frozenset(WEEKDAY_KEYS.index(day) for day in entry["days"]),
            opens=time.fromisoformat(entry["opens"]),
            closes=time.fromisoformat(entry["closes"]),
            closed_on_federal_holidays=bool(entry.get("closed_on_federal_holidays", True)),
        )

    def holiday_on(self, day: date) -> str | None:
        if not self.closed_on_federal_holidays:
            return None
        return federal_holiday(day)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.days and self.holiday_on(day) is None

    def status(self, now: datetime) -> LineStatus:
        """Status at `now` (any aware datetime; naive ones are taken as UTC)."""
        if now.tzinfo is None:
            now = now.replace(tzinfo=timezone.utc)
        local = now.astimezone(self.tz)
        today = local.date()
        holiday = self.holiday_on(today)
        if self.is_working_day(today):
            opens = datetime.combine(today, self.opens, self.tz)
            closes = datetime.combine(today, self.closes, self.tz)
            if opens <= local < closes:
                return LineStatus(True, closes, None, None)
            if local < opens:
                return LineStatus(False, None, opens, None)
        return LineStatus(False, None, self._next_opening_after(today), holiday)

    def _next_opening_after(self, day: date) -> datetime | None:
        for offset in range(1, SEARCH_DAYS + 1):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                return datetime.combine(candidate, self.opens, self.tz)
        return None


def federal_holiday(day: date) -> str | None:
    """The name of the U.S. federal holiday (observed) on `day`, or None."""
    return _federal_holidays(day.year).get(day)


@lru_cache(maxsize=8)
def _federal_holidays(year: int) -> holidays.HolidayBase:
    # The US calendar's default category is the federal (public) holidays, observed days included.
    return holidays.country_holidays("US", years=[year, year + 1])


def describe_time(moment: datetime) -> str:
    """'Monday, November 30 at 8:00 AM CST' in the moment's own zone."""
    return f"{moment:%A, %B} {moment.day} at {describe_clock(moment)}"


def describe_clock(moment: datetime) -> str:
    """'4:30 PM CST' in the moment's own zone."""
    hour = moment.strftime("%I").lstrip("0")
    return f"{hour}:{moment:%M %p} {moment.tzname()}"


DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def describe_hours(entry: Mapping[str, Any]) -> str:
    """'Monday to Friday, 8:00 AM to 4:30 PM Central time, except federal holidays'."""
    days = sorted(WEEKDAY_KEYS.index(day) for day in entry["days"])
    contiguous = days == list(range(days[0], days[-1] + 1))
    if contiguous and len(days) > 1:
        day_text = f"{DAY_NAMES[days[0]]} to {DAY_NAMES[days[-1]]}"
    else:
        day_text = ", ".join(DAY_NAMES[day] for day in days)
    text = f"{day_text}, {_clock(entry['opens'])} to {_clock(entry['closes'])} {_zone_name(entry)}"
    if entry.get("closed_on_federal_holidays", True):
        text += ", except federal holidays"
    return text


def _clock(hh_mm: str) -> str:
    moment = time.fromisoformat(hh_mm)
    return f"{moment.strftime('%I').lstrip('0')}:{moment:%M %p}"


def _zone_name(entry: Mapping[str, Any]) -> str:
    # US zones read better as "Central time" than as an IANA name.
    names = {
        "America/Chicago": "Central time",
        "America/New_York": "Eastern time",
        "America/Denver": "Mountain time",
        "America/Los_Angeles": "Pacific time",
    }
    return names.get(entry["timezone"], f"{entry['timezone']} time")
