"""InfoPass and abroad actions with a real Redis: exact events and what the customer reads."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.abroad import ActionAnswerAbroad
from actions.infopass import (
    APPOINTMENT_SLOTS,
    ActionAskAppointmentSlot,
    ActionCancelAppointment,
    ActionConfirmAppointment,
    ValidateAppointmentForm,
)
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
