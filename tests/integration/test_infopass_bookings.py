"""InfoPass bookings against a real Redis: the last place goes to exactly one customer."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest
import redis

from rasa_project.infopass.bookings import BookingStore, normalise_code
from rasa_project.infopass.offices import default_offices
from rasa_project.infopass.slots import free_slots

NOW = datetime(2026, 11, 30, 14, 0, tzinfo=timezone.utc)  # Monday 8:00 in Chicago


@pytest.fixture()
def store(redis_url) -> BookingStore:
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    client.flushdb()
    return BookingStore(client, clock=lambda: NOW)


def test_50_concurrent_customers_for_the_last_place_make_exactly_one_booking(redis_url, store):
    office = default_offices()["chicago"]
    slot = free_slots(office, NOW, lambda start: store.taken(office, start), limit=1)[0]
    assert (
        store.book(office, slot, "interview question", "Early Bird", "zip:60601").outcome
        == "booked"
    )
    assert store.taken(office, slot) == office.places_per_slot - 1

    def attempt(n: int) -> str:
        own = BookingStore.from_url(redis_url, clock=lambda: NOW)
        return own.book(office, slot, "case status", f"Customer {n}", "zip:60601").outcome

    with ThreadPoolExecutor(max_workers=25) as pool:
        outcomes = list(pool.map(attempt, range(50)))
    assert outcomes.count("booked") == 1 and outcomes.count("full") == 49
    assert store.taken(office, slot) == office.places_per_slot


def test_the_loser_is_offered_the_next_slots_and_cancelling_frees_the_place(store):
    office = default_offices()["chicago"]
    slot = free_slots(office, NOW, lambda start: store.taken(office, start), limit=1)[0]
    codes = [store.book(office, slot, "x", f"C {n}", "zip:60601").code
             for n in range(office.places_per_slot)]
    assert store.book(office, slot, "x", "Late", "zip:60601").outcome == "full"
    offered = free_slots(office, NOW, lambda start: store.taken(office, start), limit=3)
    assert slot not in offered and len(offered) == 3
    booking, _ = store.verify(codes[0], "zip:60601")
    assert store.cancel(booking, office)
    assert store.book(office, slot, "x", "Late", "zip:60601").outcome == "booked"
    assert not store.cancel(booking, office)  # twice frees nothing


def test_one_future_appointment_per_office_per_customer(store):
    office = default_offices()["houston"]
    first, second = free_slots(office, NOW, lambda s: store.taken(office, s), limit=2)
    booked = store.book(office, first, "x", "Ana Perez", "dob:1990-05-01")
    again = store.book(office, second, "x", "ana  perez", "dob:1990-05-01")
    # Name and identity answer are no proof: the existing booking's code is not handed out.
    assert again.outcome == "has_booking" and again.code == "" and booked.code
    other_office = default_offices()["dallas"]
    slot = free_slots(other_office, NOW, lambda s: store.taken(other_office, s), limit=1)[0]
    assert store.book(other_office, slot, "x", "Ana Perez", "dob:1990-05-01").outcome == "booked"


def test_reschedule_moves_the_place_and_keeps_the_code(store):
    office = default_offices()["miami"]
    first, second = free_slots(office, NOW, lambda s: store.taken(office, s), limit=2)
    code = store.book(office, first, "x", "Li Wei", "zip:33130").code
    booking, _ = store.verify(code, "zip:33130")
    assert store.move(booking, office, second) == "moved"
    moved = store.get(code)
    assert moved.starts_at == second and store.taken(office, first) == 0
    assert store.taken(office, second) == 1


def test_a_wrong_pair_reveals_nothing_and_patterns_touch_no_key(store):
    office = default_offices()["boston"]
    slot = free_slots(office, NOW, lambda s: store.taken(office, s), limit=1)[0]
    code = store.book(office, slot, "x", "Jean Dupont", "zip:02203").code
    assert store.verify(code, "zip:99999") == (None, False)
    assert store.verify("IP22222222", "zip:02203") == (None, False)
    before = sorted(store.redis.keys("*"))
    for pattern in ("*", "IP*", "IP2222222?", "[a-z]*"):
        assert normalise_code(pattern) is None
        assert store.verify(pattern, "zip:02203") == (None, False)
    assert sorted(store.redis.keys("*")) == before


def test_reschedule_moves_only_the_booking_the_identity_answer_opens(store):
    """Issue 12, item 3: code and answer are checked together at the moment of the move."""
    office = default_offices()["miami"]
    first, second, third = free_slots(office, NOW, lambda s: store.taken(office, s), limit=3)
    victim = store.book(office, first, "x", "Victim Person", "dob:1970-01-02").code
    own = store.book(office, second, "x", "Attacker Person", "zip:33130").code
    assert store.reschedule(victim, "zip:33130", office, third) == "not_verified"
    assert store.get(victim).starts_at == first and store.taken(office, third) == 0
    other_office = default_offices()["boston"]  # a verified code moves only at its own office
    assert store.reschedule(own, "zip:33130", other_office, third) == "not_verified"
    assert store.reschedule(own, "zip:33130", office, third) == "moved"
    assert store.get(own).starts_at == third
