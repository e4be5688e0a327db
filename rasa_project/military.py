"""The Military Help Line answer: open now or not, until when, and the after-hours email."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rasa_project.directory import Directory
from rasa_project.hours import OpeningHours, describe_clock, describe_time
from rasa_project.wording import holiday_name, spanish

LINE = "military_help_line"


@dataclass(frozen=True)
class MilitaryAnswer:
    response: str  # the domain response that words it
    variables: dict[str, str]


def military_answer(directory: Directory, now: datetime, language: str = "en") -> MilitaryAnswer:
    hours = OpeningHours.from_directory(directory.hours(LINE))
    status = hours.status(now)
    if status.is_open:
        return MilitaryAnswer("utter_military_open",
                              {"closes_at": describe_clock(status.closes_at, language)})
    reason = ""
    if status.holiday:
        holiday = holiday_name(status.holiday, language)
        reason = f" por {holiday}" if spanish(language) else f" for {holiday}"
    next_opening = (describe_time(status.next_opening, language) if status.next_opening
                    else "pronto" if spanish(language) else "soon")
    return MilitaryAnswer(
        "utter_military_closed", {"closed_reason": reason, "next_opening": next_opening}
    )
