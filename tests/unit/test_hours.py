"""Military Help Line hours: Monday to Friday 8:00-16:30 Central, federal holidays off."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from rasa_project.directory import load_directory
from rasa_project.hours import OpeningHours, describe_hours
from rasa_project.military import military_answer

CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture(scope="module")
def hours() -> OpeningHours:
    return OpeningHours.from_directory(load_directory().hours("military_help_line"))


def central(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CHICAGO)


def test_open_at_16_29_and_closed_at_16_31(hours):
    assert hours.status(central("2026-12-01T16:29")).is_open
    closed = hours.status(central("2026-12-01T16:31"))
    assert not closed.is_open
    assert closed.next_opening == central("2026-12-02T08:00")


def test_opening_and_closing_edges(hours):
    assert not hours.status(central("2026-12-01T07:59")).is_open
    assert hours.status(central("2026-12-01T08:00")).is_open
    assert not hours.status(central("2026-12-01T16:30")).is_open
    early = hours.status(central("2026-12-01T06:00"))
    assert early.next_opening == central("2026-12-01T08:00")


def test_friday_evening_opens_monday(hours):
    status = hours.status(central("2026-12-04T18:00"))
    assert not status.is_open and status.next_opening == central("2026-12-07T08:00")


@pytest.mark.parametrize(
    "moment, holiday, next_opening",
    [
        ("2026-11-26T10:00", "Thanksgiving", "2026-11-27T08:00"),
        ("2026-12-25T10:00", "Christmas", "2026-12-28T08:00"),
        # July 4th 2026 is a Saturday: the federal holiday is observed on Friday July 3rd.
        ("2026-07-03T10:00", "Independence Day", "2026-07-06T08:00"),
        ("2027-01-18T09:00", "Martin Luther King", "2027-01-19T08:00"),
        ("2026-06-19T09:00", "Juneteenth", "2026-06-22T08:00"),
    ],
)
def test_closed_on_federal_holidays(hours, moment, holiday, next_opening):
    status = hours.status(central(moment))
    assert not status.is_open
    assert holiday in status.holiday
    assert status.next_opening == central(next_opening)


def test_new_years_eve_skips_the_holiday(hours):
    status = hours.status(central("2026-12-31T17:00"))
    assert status.next_opening == central("2027-01-04T08:00")  # Jan 1 holiday, then weekend


def test_daylight_saving_start_and_end_days(hours):
    # 2026-03-08 clocks go forward (CST -> CDT); Monday 8:00 CDT is 13:00 UTC.
    assert not hours.status(datetime(2026, 3, 9, 12, 59, tzinfo=timezone.utc)).is_open
    assert hours.status(datetime(2026, 3, 9, 13, 0, tzinfo=timezone.utc)).is_open
    saturday = hours.status(datetime(2026, 3, 7, 12, 0, tzinfo=timezone.utc))
    assert saturday.next_opening.astimezone(timezone.utc) == datetime(
        2026, 3, 9, 13, 0, tzinfo=timezone.utc
    )
    # 2026-11-01 clocks go back (CDT -> CST); Monday 8:00 CST is 14:00 UTC.
    assert not hours.status(datetime(2026, 11, 2, 13, 59, tzinfo=timezone.utc)).is_open
    assert hours.status(datetime(2026, 11, 2, 14, 0, tzinfo=timezone.utc)).is_open
    # Friday before the change, 16:29 CDT is 21:29 UTC.
    assert hours.status(datetime(2026, 10, 30, 21, 29, tzinfo=timezone.utc)).is_open
    assert not hours.status(datetime(2026, 10, 30, 21, 31, tzinfo=timezone.utc)).is_open


def test_other_zones_are_converted(hours):
    # 9:00 in Los Angeles is 11:00 in Chicago.
    assert hours.status(datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("America/Los_Angeles"))).is_open
    # 17:00 in New York is 16:00 in Chicago: still open.
    assert hours.status(datetime(2026, 12, 1, 17, 0, tzinfo=ZoneInfo("America/New_York"))).is_open


def test_hours_are_described_from_the_directory():
    text = describe_hours(load_directory().hours("military_help_line"))
    assert text == "Monday to Friday, 8:00 AM to 4:30 PM Central time, except federal holidays"


def test_military_answer_open_and_closed():
    directory = load_directory()
    open_answer = military_answer(directory, central("2026-12-01T10:00"))
    assert open_answer.response == "utter_military_open"
    assert open_answer.variables == {"closes_at": "4:30 PM CST"}
    closed = military_answer(directory, central("2026-11-26T10:00"))
    assert closed.response == "utter_military_closed"
    assert closed.variables == {
        "closed_reason": " for Thanksgiving Day",
        "next_opening": "Friday, November 27 at 8:00 AM CST",
    }
    summer = military_answer(directory, central("2026-07-10T17:00"))
    assert summer.variables["next_opening"] == "Monday, July 13 at 8:00 AM CDT"
