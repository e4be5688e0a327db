"""InfoPass and abroad actions with a real Redis: exact events and what the customer reads."""

from __future__ import annotations

from datetime import datetime

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.abroad import ActionAnswerAbroad
from actions.infopass import (
    APPOINTMENT_SLOTS,
    ActionAskAppointmentSlot,
    ActionCancelAppointment,
    ActionConfirmAppointment,
    ActionConfirmReschedule,
    ValidateAppointmentForm,
    ValidateRescheduleAppointmentForm,
)
from rasa_project.infopass.offices import default_offices
from tests.unit.rendering import render, run

MONDAY = {"now": "2026-11-30T08:00:00-06:00"}
CLEARED = [SlotSet(slot, None) for slot in APPOINTMENT_SLOTS]


pytestmark = pytest.mark.usefixtures("actions_on_redis")


def tracker(slots: dict, text: str = "x", requested: str | None = None) -> Tracker:
    latest = {"text": text, "intent": {"name": "inform", "confidence": 0.9}, "entities": [],
              "metadata": MONDAY}
    events = [{"event": "user", "text": text, "parse_data": latest, "metadata": MONDAY}]
    return Tracker("u1", {"requested_slot": requested, **slots}, latest, events, False, None,
                   {"name": "appointment_form"} if requested else {}, "action_listen")


async def test_zip_finds_the_office_and_abroad_switches_path():
    form = ValidateAppointmentForm()
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    slots = form.validate_zip_code("60601", dispatcher, tracker({}), {})
    # The ZIP code also answers the identity question, which is then not asked again.
    assert slots == {"zip_code": "60601", "field_office": "chicago", "identity_answer": "zip:60601"}
    assert "Chicago Field Office in Chicago, IL" in await render(dispatcher.messages[0])
    dispatcher = CollectingDispatcher()
    assert form.validate_zip_code("Kenya", dispatcher, tracker({}), {}) == {"zip_code": "abroad"}
    assert "Nairobi" in await render(dispatcher.messages[0])


async def test_slots_are_offered_as_buttons_in_office_time():
    messages, events = await run(ActionAskAppointmentSlot(), tracker({"field_office": "chicago"}))
    assert events == []
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert titles[0] == "Monday, November 30, 10:00 AM CST" and len(titles) == 4
    assert messages[0]["buttons"][0]["payload"] == "2026-11-30T10:00:00-06:00"


async def test_booking_then_confirmation_then_a_wrong_pair_cannot_cancel():
    from rasa_sdk.executor import CollectingDispatcher

    slots = {"field_office": "denver", "visit_purpose": "case question",
             "customer_name": "Maria Lopez", "identity_answer": "zip:80202", "zip_code": "80202"}
    booked = ValidateAppointmentForm().validate_appointment_slot(
        "2026-11-30T09:00:00-07:00", CollectingDispatcher(), tracker(slots), {})
    assert booked["appointment_slot"] == "booked"
    code = booked["booking_code"]
    messages, events = await run(ActionConfirmAppointment(), tracker({**slots, **booked}))
    assert events == CLEARED
    text = await render(messages[0])
    assert code in text and "Denver Field Office, Denver, CO" in text
    assert "Monday, November 30, 9:00 AM MST" in text

    wrong = {"booking_code": code, "identity_answer": "zip:11111"}
    messages, events = await run(ActionCancelAppointment(), tracker(wrong))
    assert events == CLEARED
    assert "couldn't verify" in await render(messages[0])
    right = {"booking_code": code, "identity_answer": "zip:80202"}
    messages, _ = await run(ActionCancelAppointment(), tracker(right))
    assert "is cancelled" in await render(messages[0])


async def test_answer_abroad():
    messages, events = await run(ActionAnswerAbroad(),
                                 tracker({"country_of_residence": "Canada"}))
    assert events == [SlotSet("country_of_residence", None)]
    text = await render(messages[0])
    assert "USCIS.Canada@dhs.gov" in text and "Mexico City" in text


async def test_booking_again_with_name_and_zip_does_not_reveal_the_appointment():
    """Issue 12, item 2: whoever knows a name and ZIP must not learn the code or time."""
    from rasa_sdk.executor import CollectingDispatcher

    slots = {"field_office": "seattle", "visit_purpose": "case question",
             "customer_name": "Victim Person", "identity_answer": "zip:98101", "zip_code": "98101"}
    victim = ValidateAppointmentForm().validate_appointment_slot(
        "2026-11-30T10:00:00-08:00", CollectingDispatcher(), tracker(slots), {})
    again = ValidateAppointmentForm().validate_appointment_slot(
        "2026-11-30T11:00:00-08:00", CollectingDispatcher(), tracker(slots), {})
    assert again == {"appointment_slot": "has_booking", "booking_code": ""}
    messages, events = await run(ActionConfirmAppointment(), tracker({**slots, **again}))
    text = await render(messages[0])
    assert "You already have an appointment at the Seattle Field Office" in text
    assert victim["booking_code"] not in text and "10:00" not in text and "IP" not in text
    assert events == CLEARED


def reschedule_tracker(slots: dict, text: str, requested: str) -> Tracker:
    """The reschedule form after the customer verified their own code in an earlier turn: the
    verified code is in its slot, and no earlier turn is among the events (the form began before
    the latest turns the action server is sent)."""
    latest = {"text": text, "intent": {"name": "inform", "confidence": 0.9}, "entities": [],
              "metadata": MONDAY}
    events = [{"event": "user", "text": text, "parse_data": latest, "metadata": MONDAY}]
    return Tracker("attacker", {"requested_slot": requested, **slots}, latest, events, False,
                   None, {"name": "reschedule_appointment_form"}, "action_listen")


async def test_reschedule_cannot_move_someone_elses_appointment():
    """Issue 12, item 3: verify your own code, then type another at the time step."""
    from rasa_sdk.executor import CollectingDispatcher

    from actions.stores import bookings

    def book(name: str, identity: str, when: str) -> str:
        slots = {"field_office": "atlanta", "visit_purpose": "x", "customer_name": name,
                 "identity_answer": identity, "zip_code": "30303"}
        return ValidateAppointmentForm().validate_appointment_slot(
            when, CollectingDispatcher(), tracker(slots), {})["booking_code"]

    victim = book("Victim Person", "dob:1970-01-02", "2026-11-30T12:00:00-05:00")
    own = book("Attacker Person", "zip:30303", "2026-11-30T12:30:00-05:00")
    form = ValidateRescheduleAppointmentForm()
    # The identity check keeps the code it opened in a slot; a failed one keeps nothing.
    assert form.validate_identity_answer(
        "30303", CollectingDispatcher(),
        reschedule_tracker({"booking_code": victim}, "30303", "identity_answer"), {}) == {
        "identity_answer": None, "booking_code": None, "verified_booking_code": None}
    assert form.validate_identity_answer(
        "30303", CollectingDispatcher(),
        reschedule_tracker({"booking_code": own}, "30303", "identity_answer"), {}) == {
        "identity_answer": "zip:30303", "field_office": "atlanta", "verified_booking_code": own}
    verified = {"verified_booking_code": own, "identity_answer": "zip:30303",
                "field_office": "atlanta"}
    # The code typed later, at the time question, does not replace the verified one ...
    swapped = form.validate_booking_code(
        victim, CollectingDispatcher(),
        reschedule_tracker({**verified, "booking_code": victim}, victim, "appointment_slot"), {})
    assert swapped == {"booking_code": own}
    # ... and if the slot held it anyway, the store refuses the move at the moment of the change.
    moved = form.book_or_move(
        CollectingDispatcher(),
        reschedule_tracker({**verified, "booking_code": victim}, "x", "appointment_slot"),
        default_offices()["atlanta"], datetime.fromisoformat("2026-11-30T13:00:00-05:00"))
    assert moved == {"appointment_slot": "not_verified"}
    store = bookings(tracker({}))
    assert store.get(victim).starts_at == datetime.fromisoformat("2026-11-30T12:00:00-05:00")
    messages, _ = await run(ActionConfirmReschedule(),
                            tracker({"booking_code": victim, "appointment_slot": "not_verified"}))
    assert "couldn't verify" in await render(messages[0])
