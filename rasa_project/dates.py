"""Dates as customers type them ("last Tuesday", "3/14", "two weeks ago"; in Spanish "el martes
pasado", "el 10 de noviembre", "hace tres semanas"), never in the future.

The conversation's language decides how a numeric date reads: 10/11/2026 is October 11 in an
English conversation and 10 de noviembre in a Spanish one, as Spanish speakers write it
(docs/spanish.md). Identity answers (rasa_project.identity) are read the English way whatever the
language, so that the same birth date typed twice always compares equal."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import dateparser

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DIAS = ("lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo")
# dateparser reads neither "last Tuesday" nor "el martes pasado"; it reads everything else we need.
LAST_WEEKDAY = re.compile(
    r"^\s*(?:(?:last|past|this past|on)\s+(?P<en>" + "|".join(WEEKDAYS) + r")"
    r"|(?:el\s+)?(?:pasado\s+)?(?P<es>" + "|".join(DIAS) + r")(?:\s+pasado)?)\s*$", re.I)
MAX_LENGTH = 60
# How each language writes a numeric date, and which language dateparser tries first.
DATE_ORDER = {"en": "MDY", "es": "DMY"}
# dateparser's Spanish knows "hace 3 semanas" but not "hace tres semanas", nor a leading article.
SPANISH_NUMBERS = {"un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
                   "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12,
                   "quince": 15, "veinte": 20}
SPANISH_WORDS = re.compile(
    r"\b(?:hace|unos|unas|en|dentro de)\s+(" + "|".join(SPANISH_NUMBERS) + r")\b", re.I)
# A Spanish future dateparser misreads as past ("en 3 dias" as three days ago): said in English,
# so that it is read, and refused, as a future.
UNITS = {"dia": "days", "dias": "days", "semana": "weeks", "semanas": "weeks", "mes": "months",
         "meses": "months"}
IN_SOME_TIME = re.compile(r"^\s*(?:en|dentro de)\s+(\d+)\s+(" + "|".join(UNITS) + r")\s*$")
LEADING_ARTICLE = re.compile(r"^\s*(?:el|del|desde el|en)\s+(?=\d)", re.I)


@dataclass(frozen=True)
class DateAnswer:
    value: date | None
    problem: str | None = None  # "unreadable" or "future"


def parse_past_date(text: str, today: date, language: str = "en") -> DateAnswer:
    """The date meant by `text` in a conversation in `language` ("en" or "es"), relative to
    `today`; dates after today are refused."""
    text = (text or "").strip()
    if not text or len(text) > MAX_LENGTH:
        return DateAnswer(None, "unreadable")
    if language == "es":
        text = _spanish_for_dateparser(text)
    value = _last_weekday(text, today) or _dateparser(text, today, language)
    if value is None:
        return DateAnswer(None, "unreadable")
    if value > today:
        return DateAnswer(value, "future")
    return DateAnswer(value)


def _unaccented(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _spanish_for_dateparser(text: str) -> str:
    text = _unaccented(text).lower()
    text = SPANISH_WORDS.sub(
        lambda m: m.group(0).replace(m.group(1), str(SPANISH_NUMBERS[m.group(1)])), text)
    text = text.replace("antier", "anteayer")
    text = IN_SOME_TIME.sub(lambda m: f"in {m.group(1)} {UNITS[m.group(2)]}", text)
    return LEADING_ARTICLE.sub("", text) if not LAST_WEEKDAY.match(text) else text


def _last_weekday(text: str, today: date) -> date | None:
    match = LAST_WEEKDAY.match(_unaccented(text))
    if not match:
        return None
    english, spanish = match.group("en"), match.group("es")
    wanted = WEEKDAYS.index(english.lower()) if english else DIAS.index(spanish.lower())
    back = (today.weekday() - wanted) % 7 or 7
    return today - timedelta(days=back)


def _dateparser(text: str, today: date, language: str = "en") -> date | None:
    base = datetime.combine(today, datetime.min.time()).replace(hour=12)
    order = DATE_ORDER.get(language, "MDY")
    parsed = dateparser.parse(
        text,
        languages=["es", "en"] if language == "es" else ["en", "es"],
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "DATE_ORDER": order,
                  "STRICT_PARSING": False, "RETURN_AS_TIMEZONE_AWARE": False},
    )
    return parsed.date() if parsed else None


_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_MES = (r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|sep?tiembre|octubre|noviembre"
        r"|diciembre)")
_NUMBER = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|a|an)"
_NUMERO = r"(?:\d{1,2}|" + "|".join(SPANISH_NUMBERS) + r")"
_DIA = "|".join(DIAS)
# Only what is plainly a date: "may I email" must not read as the month of May.
DATE_IN_TEXT = re.compile(
    rf"\b(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}(?:/\d{2,4})?"
    rf"|{_NUMBER}\s+(?:days?|weeks?|months?)\s+ago|yesterday"
    r"|last\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    # Spanish: "10 de noviembre (de 2026)", "hace tres semanas", "ayer", "el martes pasado".
    rf"|\d{{1,2}}\s+de\s+{_MES}(?:\s+(?:de|del)\s+\d{{4}})?"
    rf"|hace\s+{_NUMERO}\s+(?:dias|semanas|mes|meses)|ayer|anteayer|antier"
    rf"|(?:{_DIA})\s+pasado|pasado\s+(?:{_DIA}))\b", re.I)


def find_past_date(text: str, today: date, language: str = "en") -> date | None:
    """The first date written in a longer message ("I called on March 2, can I email?",
    "llamé el 2 de marzo"), if it reads as a date on or before today."""
    for match in DATE_IN_TEXT.finditer(_unaccented(text or "")[:1000]):
        answer = parse_past_date(match.group(0), today, language)
        if answer.value is not None and answer.problem is None:
            return answer.value
    return None
