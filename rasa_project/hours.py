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

from rasa_project.wording import clock, day_and_time, day_span, spanish, zone_name

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


def describe_time(moment: datetime, language: str = "en") -> str:
    """'Monday, November 30 at 8:00 AM CST' in the moment's own zone (rasa_project.wording)."""
    return day_and_time(moment, language)


def describe_clock(moment: datetime, language: str = "en") -> str:
    """'4:30 PM CST' in the moment's own zone."""
    return clock(moment, language)


def describe_hours(entry: Mapping[str, Any], language: str = "en") -> str:
    """'Monday to Friday, 8:00 AM to 4:30 PM Central time, except federal holidays' /
    'de lunes a viernes, de 8:00 a. m. a 4:30 p. m., hora del Centro, excepto los días feriados
    federales'."""
    days = [WEEKDAY_KEYS.index(day) for day in entry["days"]]
    opens, closes = time.fromisoformat(entry["opens"]), time.fromisoformat(entry["closes"])
    zone = zone_name(entry["timezone"], language)
    closed_on_holidays = entry.get("closed_on_federal_holidays", True)
    if spanish(language):
        text = (f"{day_span(days, language)}, de {clock(opens, language)} a "
                f"{clock(closes, language)}, {zone}")
        return text + (", excepto los días feriados federales" if closed_on_holidays else "")
    text = f"{day_span(days)}, {clock(opens)} to {clock(closes)} {zone}"
    return text + (", except federal holidays" if closed_on_holidays else "")
