"""Field offices, appointment slots and countries of residence: plain logic, clock injected."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from rasa_project.countries import find_country
from rasa_project.directory import load_directory
from rasa_project.infopass.offices import default_offices, nearest_office, place_for_zip
from rasa_project.infopass.slots import describe_slot, free_slots, slot_starts
from rasa_project.international import answer_for

STATES = {"AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
          "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
          "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT",
          "VA", "WA", "WV", "WI", "WY", "DC", "PR"}


def test_every_state_dc_and_puerto_rico_is_served():
    served = set().union(*(office.serves for office in default_offices().values()))
    assert STATES <= served


@pytest.mark.parametrize("zip_code, office", [
    ("60601", "Chicago Field Office"), ("94110", "San Francisco Field Office"),
    ("10001", "New York City Field Office"), ("33130", "Miami Field Office"),
    ("77002", "Houston Field Office"), ("98101", "Seattle Field Office"),
    ("02115", "Boston Field Office"), ("80203", "Denver Field Office"),
    ("82001", "Denver Field Office"),  # Wyoming has no office of its own
    ("20529", "Washington Field Office"), ("00901", "San Juan Field Office"),
    ("96815", "Honolulu Field Office"), ("99501", "Anchorage Field Office"),
    ("85701", "Tucson Field Office"), ("89501", "Reno Field Office"),
])
def test_nearest_office_for_zip_codes_in_many_states(zip_code, office):
    assert nearest_office(place_for_zip(zip_code)).name == office


@pytest.mark.parametrize("typed", ["00000", "1234", "abcde", "123456", "", "99999"])
def test_invalid_zip_codes(typed):
    assert place_for_zip(typed) is None


def chicago():
    return default_offices()["chicago"]


def test_slots_skip_weekends_holidays_and_the_past():
    # Wednesday 2026-11-25, 10:00 Chicago; Thursday is Thanksgiving.
    now = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("America/Chicago"))
    starts = list(slot_starts(chicago(), now, days_ahead=6))
    days = sorted({s.date().isoformat() for s in starts})
    assert days == ["2026-11-25", "2026-11-27", "2026-11-30", "2026-12-01"]
    assert min(starts) == datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("America/Chicago"))
    late = datetime(2026, 11, 25, 13, 30, tzinfo=ZoneInfo("America/Chicago"))
    assert min(slot_starts(chicago(), late)).date().isoformat() == "2026-11-27"
    assert all(s.weekday() < 5 for s in starts)


def test_full_slots_are_skipped():
    now = datetime(2026, 11, 30, 7, 0, tzinfo=ZoneInfo("America/Chicago"))
    first = next(slot_starts(chicago(), now))
    offered = free_slots(chicago(), now, lambda s: 2 if s == first else 0, limit=2)
    assert first not in offered and len(offered) == 2


def test_time_zones_on_both_sides_of_a_daylight_saving_change():
    before = datetime(2026, 10, 30, 12, 0, tzinfo=timezone.utc)  # Friday before clocks go back
    after = datetime(2026, 11, 2, 12, 0, tzinfo=timezone.utc)  # Monday after
    friday = next(slot_starts(chicago(), before))
    monday = next(slot_starts(chicago(), after))
    assert friday.tzname() == "CDT" and monday.tzname() == "CST"
    # Same wall-clock opening, different UTC instants: 8:00 CDT is 13:00 UTC, 8:00 CST 14:00.
    assert next(slot_starts(chicago(), datetime(2026, 11, 2, 6, tzinfo=timezone.utc))).astimezone(
        timezone.utc).hour == 14
    assert describe_slot(monday).endswith("CST")
    la = default_offices()["los_angeles"]
    assert next(slot_starts(la, after)).tzname() == "PST"


@pytest.mark.parametrize("typed, code, kind, offices", [
    ("I live in Kenya", "KE", "office", ("Nairobi",)),
    ("estoy en México", "MX", "office", ("Mexico City",)),
    ("we live in Canada", "CA", "canada", ("Mexico City",)),
    ("living in India", "IN", "office", ("New Delhi",)),
    ("i am in china", "CN", "office", ("Beijing", "Guangzhou")),
    ("Türkiye", "TR", "office", ("Ankara",)),
    ("from the UK", "GB", "no_office", ()),
    ("Cote d'Ivoire", "CI", "no_office", ()),
    ("Korea", "KR", "no_office", ()),
    ("Guatamala", "GT", "office", ("Guatemala City",)),
    ("the phillipines", "PH", "no_office", ()),
    ("I live in Puerto Rico", "PR", "domestic", ()),
    ("new mexico", "US", "domestic", ()),
])
def test_countries_and_their_offices(typed, code, kind, offices):
    country = find_country(typed)
    assert country is not None and country.code == code
    answer = answer_for(load_directory(), country)
    assert (answer.kind, answer.office_cities) == (kind, offices)


@pytest.mark.parametrize("typed", ["Narnia", "Atlantis", "I live in Georgia", "hello", "help us"])
def test_unknown_or_ambiguous_places_are_not_guessed(typed):
    assert find_country(typed) is None
