"""Dates, times and opening hours as a customer reads them, in English or Spanish.

English keeps the U.S. forms ("Tuesday, December 1, 9:30 AM CST"); Spanish uses babel's CLDR
data ("martes, 1 de diciembre de 2026, 9:30 a. m. CST"), so no month or day name is typed here.
"""

from __future__ import annotations

from datetime import date, datetime, time

from babel.dates import format_date, format_datetime, format_time

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ZONE_NAMES = {
    "en": {"America/Chicago": "Central time", "America/New_York": "Eastern time",
           "America/Denver": "Mountain time", "America/Los_Angeles": "Pacific time"},
    "es": {"America/Chicago": "hora del Centro", "America/New_York": "hora del Este",
           "America/Denver": "hora de la Montaña", "America/Los_Angeles": "hora del Pacífico"},
}
# The federal holidays' names as USCIS's Spanish pages give them (`holidays` has no Spanish for
# the U.S.); a name missing here is shown in English rather than not at all.
HOLIDAYS_ES = {
    "New Year's Day": "el Día de Año Nuevo",
    "Martin Luther King Jr. Day": "el Día de Martin Luther King Jr.",
    "Inauguration Day": "el Día de la Investidura Presidencial",
    "Washington's Birthday": "el Día de los Presidentes",
    "Memorial Day": "el Día de los Caídos",
    "Juneteenth National Independence Day": "el Día Nacional de la Independencia de Juneteenth",
    "Independence Day": "el Día de la Independencia",
    "Labor Day": "el Día del Trabajo",
    "Columbus Day": "el Día de la Raza (Columbus Day)",
    "Veterans Day": "el Día de los Veteranos",
    "Thanksgiving Day": "el Día de Acción de Gracias",
    "Christmas Day": "Navidad",
}
OBSERVED = " (observed)"


def spanish(language: str | None) -> bool:
    return language == "es"


def long_date(day: date, language: str = "en") -> str:
    """'November 2, 2026' / '2 de noviembre de 2026'."""
    if spanish(language):
        return format_date(day, "d 'de' MMMM 'de' y", locale="es")
    return f"{day:%B} {day.day}, {day.year}"


def clock(moment: datetime | time, language: str = "en", zone: bool = True) -> str:
    """'4:30 PM CST' / '4:30 p. m. CST' in the moment's own zone."""
    if spanish(language):
        # babel puts narrow no-break spaces in "p. m."; customers and tests type plain ones.
        text = " ".join(format_time(moment, "h:mm a", locale="es").split())
    else:
        text = f"{moment.strftime('%I').lstrip('0')}:{moment:%M %p}"
    return f"{text} {moment.tzname()}" if zone and isinstance(moment, datetime) else text


def day_and_time(moment: datetime, language: str = "en") -> str:
    """When a line opens next: 'Monday, November 30 at 8:00 AM CST' /
    'el lunes 30 de noviembre a las 8:00 a. m. CST'."""
    if spanish(language):
        day = format_datetime(moment, "EEEE d 'de' MMMM", locale="es")
        hour = "a la" if moment.hour % 12 == 1 else "a las"
        return f"el {day} {hour} {clock(moment, language)}"
    return f"{moment:%A, %B} {moment.day} at {clock(moment, language)}"


def date_and_time(moment: datetime, language: str = "en") -> str:
    """An appointment: 'Tuesday, December 1, 9:30 AM CST' /
    'martes, 1 de diciembre de 2026, 9:30 a. m. CST'."""
    if spanish(language):
        day = format_datetime(moment, "EEEE, d 'de' MMMM 'de' y", locale="es")
        return f"{day}, {clock(moment, language)}"
    return f"{moment:%A, %B} {moment.day}, {clock(moment, language)}"


def day_span(days: list[int], language: str = "en") -> str:
    """'Monday to Friday' / 'de lunes a viernes' for weekday numbers (Monday is 0)."""
    names = [_day_name(day, language) for day in sorted(days)]
    contiguous = sorted(days) == list(range(min(days), max(days) + 1))
    if contiguous and len(names) > 1:
        return f"de {names[0]} a {names[-1]}" if spanish(language) else f"{names[0]} to {names[-1]}"
    joiner = ", "
    return joiner.join(names)


def zone_name(timezone: str, language: str = "en") -> str:
    """U.S. zones read better as 'Central time' than as an IANA name."""
    fallback = f"hora de {timezone}" if spanish(language) else f"{timezone} time"
    return ZONE_NAMES["es" if spanish(language) else "en"].get(timezone, fallback)


def holiday_name(name: str, language: str = "en") -> str:
    if not spanish(language):
        return name
    observed = name.endswith(OBSERVED)
    base = name.removesuffix(OBSERVED)
    spanish_name = HOLIDAYS_ES.get(base, base)
    return f"{spanish_name} (día feriado observado)" if observed else spanish_name


def _day_name(day: int, language: str) -> str:
    if spanish(language):
        # 2024-01-01 was a Monday: babel names the weekday from a real date.
        return format_date(date(2024, 1, 1 + day), "EEEE", locale="es")
    return DAY_NAMES[day]
