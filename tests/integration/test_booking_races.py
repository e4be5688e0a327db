"""InfoPass races a customer meets between seeing the free times and picking one, through the
form validators and actions with a real Redis: the time filled up, the time is no longer
offered, the appointment was cancelled meanwhile. What the customer reads, and what is stored."""

from __future__ import annotations

from datetime import datetime

import pytest
import redis
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.infopass import (
    ActionAskAppointmentSlot,
    ActionConfirmReschedule,
    ValidateAppointmentForm,
    ValidateRescheduleAppointmentForm,
)
from rasa_project.infopass.bookings import BookingStore
from rasa_project.infopass.offices import default_offices
from tests.unit.rendering import render, run

MONDAY_8 = "2026-11-30T08:00:00-07:00"  # Denver
NINE, TEN = "2026-11-30T09:00:00-07:00", "2026-11-30T10:00:00-07:00"
DENVER = default_offices()["denver"]
ANA = {"field_office": "denver", "visit_purpose": "case question", "customer_name": "Ana Perez",
       "identity_answer": "zip:80202", "zip_code": "80202"}

pytestmark = pytest.mark.usefixtures("actions_on_redis")


def tracker(slots: dict, now: str = MONDAY_8, form: str = "appointment_form") -> Tracker:
    latest = {"text": "x", "intent": {"name": "inform", "confidence": 0.9}, "entities": [],
              "metadata": {"now": now}}
    events = [{"event": "user", "text": "x", "parse_data": latest, "metadata": {"now": now}}]
    return Tracker("u1", {"requested_slot": "appointment_slot", **slots}, latest, events, False,
                   None, {"name": form}, "action_listen")


@pytest.fixture()
def store(redis_url) -> BookingStore:
    redis.Redis.from_url(redis_url).flushdb()
    return BookingStore.from_url(redis_url, clock=lambda: datetime.fromisoformat(MONDAY_8))


def fill(store: BookingStore, start: str) -> None:
    """Other customers take every place at `start`."""
    for n in range(DENVER.places_per_slot - store.taken(DENVER, datetime.fromisoformat(start))):
        assert store.book(DENVER, datetime.fromisoformat(start), "other", f"Other {n}",
                          "zip:80202").outcome == "booked"


async def validate(form, value: str, slots: dict, now: str = MONDAY_8) -> tuple[dict, list[str]]:
    dispatcher = CollectingDispatcher()
    result = form.validate_appointment_slot(value, dispatcher, tracker(slots, now), {})
    return result, [await render(m) for m in dispatcher.messages]


async def offered(slots: dict) -> list[str]:
    messages, _ = await run(ActionAskAppointmentSlot(), tracker(slots))
    return [b["payload"] for b in messages[0]["buttons"]]


async def test_a_time_taken_meanwhile_gets_the_just_taken_reply_and_the_next_times(store):
    assert TEN in await offered(ANA)  # what the customer saw
    fill(store, TEN)  # ...then others took the last places
    result, said = await validate(ValidateAppointmentForm(), TEN, ANA)
    assert result == {"appointment_slot": None}
    assert said == ["Sorry, someone just took the last place at that time. "
                    "Here are the next free times."]
    times = await offered(ANA)
    assert TEN not in times and len(times) == 4
    assert store.taken(DENVER, datetime.fromisoformat(TEN)) == DENVER.places_per_slot


async def booked_at_nine(store: BookingStore) -> str:
    code = store.book(DENVER, datetime.fromisoformat(NINE), "case question", "Ana Perez",
                      "zip:80202").code
    return code


async def test_rescheduling_into_a_time_that_filled_keeps_the_old_appointment(store):
    code = await booked_at_nine(store)
    fill(store, TEN)
    slots = {**ANA, "booking_code": code}
    result, said = await validate(ValidateRescheduleAppointmentForm(), TEN, slots)
    assert result == {"appointment_slot": None}
    assert said[0].startswith("Sorry, someone just took the last place")
    assert store.get(code).starts_at == datetime.fromisoformat(NINE)
    assert store.taken(DENVER, datetime.fromisoformat(NINE)) == 1  # still holds its place


async def test_rescheduling_into_a_time_no_longer_offered_is_refused(store):
    """The customer picked from buttons shown earlier; by the time of the pick, the time is
    inside the next two hours (no longer bookable)."""
    code = await booked_at_nine(store)
    slots = {**ANA, "booking_code": code}
    result, said = await validate(ValidateRescheduleAppointmentForm(), TEN, slots,
                                  now="2026-11-30T08:30:00-07:00")
    assert result == {"appointment_slot": None}
    assert said == ["Please choose one of the times on the buttons."]
    assert store.get(code).starts_at == datetime.fromisoformat(NINE)
    assert store.taken(DENVER, datetime.fromisoformat(TEN)) == 0


async def test_rescheduling_an_appointment_cancelled_meanwhile_moves_nothing(store):
    code = await booked_at_nine(store)
    assert store.cancel(store.get(code), DENVER)  # e.g. from another conversation
    slots = {**ANA, "booking_code": code}
    result, said = await validate(ValidateRescheduleAppointmentForm(), TEN, slots)
    assert result == {"appointment_slot": "gone"} and said == []
    messages, _ = await run(ActionConfirmReschedule(), tracker({**slots, **result}))
    assert "couldn't verify" in await render(messages[0])
    assert store.get(code).status == "cancelled"
    assert store.taken(DENVER, datetime.fromisoformat(TEN)) == 0
