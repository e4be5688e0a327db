"""The Service Request form validators, run as rasa-sdk runs them: a real Tracker with the slot
just extracted, a CollectingDispatcher, and the exact events returned."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.service_request_forms import (
    ValidateCheckRequestForm,
    ValidateEmailEligibilityForm,
    ValidateExpediteForm,
    ValidateServiceRequestForm,
)
from tests.unit.rendering import domain, render

NOW = {"now": "2026-11-29T10:00:00-06:00"}


@pytest.fixture(autouse=True)
def allow_clock(monkeypatch):
    monkeypatch.setenv("ASSISTANT_ALLOW_CLOCK_OVERRIDE", "1")


def form_tracker(form: str, slot: str, value: str, intent: str = "out_of_scope",
                 confidence: float = 0.9, slots: dict | None = None) -> Tracker:
    latest = {"text": value, "intent": {"name": intent, "confidence": confidence},
              "entities": [], "metadata": NOW}
    events = [
        {"event": "active_loop", "name": form},
        {"event": "slot", "name": "requested_slot", "value": slot},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": value, "parse_data": latest, "metadata": NOW},
        {"event": "slot", "name": slot, "value": value},
    ]
    all_slots = {"requested_slot": slot, slot: value, **(slots or {})}
    return Tracker("u1", all_slots, latest, events, False, None, {"name": form}, "action_listen")


async def validate(action, tracker: Tracker):
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, domain().as_dict())
    return events, dispatcher.messages


async def test_receipt_is_normalised_and_routed():
    events, messages = await validate(ValidateServiceRequestForm(), form_tracker(
        "service_request_form", "receipt_number", "eac 21 900 12345"))
    assert events == [SlotSet("receipt_number", "EAC2190012345"), SlotSet("office_key", "vermont")]
    assert messages == []


async def test_malformed_receipt_is_refused_with_its_reason():
    events, messages = await validate(ValidateServiceRequestForm(), form_tracker(
        "service_request_form", "receipt_number", "12345"))
    assert events == [SlotSet("receipt_number", None)]
    assert [m["response"] for m in messages] == ["utter_invalid_receipt_format"]
    assert "does not look like a receipt number" in await render(messages[0])


async def test_unknown_prefix_names_the_letters():
    events, messages = await validate(ValidateExpediteForm(), form_tracker(
        "expedite_form", "receipt_number", "abc2190012345"))
    assert events == [SlotSet("receipt_number", None)]
    assert '"ABC"' in await render(messages[0])


async def test_a_question_in_the_middle_of_a_form_is_answered_and_the_slot_stays_empty():
    events, messages = await validate(ValidateServiceRequestForm(), form_tracker(
        "service_request_form", "receipt_number", "what is the fax number", intent="ask_fax"))
    assert events == [SlotSet("receipt_number", None)]
    assert [m["response"] for m in messages] == ["utter_fax"]


async def test_a_future_birth_date_is_refused_politely():
    events, messages = await validate(ValidateServiceRequestForm(), form_tracker(
        "service_request_form", "identity_answer", "12/12/2030"))
    assert events == [SlotSet("identity_answer", None)]
    assert "December 12, 2030 is in the future" in await render(messages[0])


async def test_identity_is_kept_normalised():
    events, _ = await validate(ValidateServiceRequestForm(), form_tracker(
        "service_request_form", "identity_answer", "20529-1234"))
    assert events == [SlotSet("identity_answer", "zip:20529")]


async def test_reference_patterns_are_refused_before_any_lookup():
    for pattern in ("*", "SR2600000?", "[a-z]*"):
        events, messages = await validate(ValidateCheckRequestForm(), form_tracker(
            "check_request_form", "sr_reference", pattern))
        assert events == [SlotSet("sr_reference", None)]
        assert [m["response"] for m in messages] == ["utter_invalid_reference"]


async def test_email_form_keeps_an_outside_reference_and_asks_for_the_dates():
    action = ValidateEmailEligibilityForm()
    events, _ = await validate(action, form_tracker(
        "email_eligibility_form", "sr_reference", "14-7733-9921"))
    # The form then asks for what an outside reference needs: the receipt number.
    assert events == [SlotSet("sr_reference", "14-7733-9921"), SlotSet("sr_in_store", False),
                      SlotSet("requested_slot", "receipt_number")]
    tracker = form_tracker("email_eligibility_form", "sr_reference", "14-7733-9921",
                           slots={"sr_in_store": False})
    assert await action.required_slots([], None, tracker, {}) == [
        "sr_reference", "receipt_number", "sr_date", "emailed_date"]
    ours = form_tracker("email_eligibility_form", "sr_reference", "SR26000001")
    assert await action.required_slots([], None, ours, {}) == [
        "sr_reference", "identity_answer", "receipt_number", "sr_date", "emailed_date"]


async def test_email_form_dates():
    action = ValidateEmailEligibilityForm()
    known = {"sr_reference": "none", "sr_in_store": False, "receipt_number": "EAC2190012345"}
    events, _ = await validate(action, form_tracker("email_eligibility_form", "sr_date",
                                                    "last Tuesday", slots=known))
    assert events == [SlotSet("sr_date", "2026-11-24"), SlotSet("requested_slot", "emailed_date")]
    events, messages = await validate(action, form_tracker("email_eligibility_form", "sr_date",
                                                           "tomorrow", slots=known))
    assert events == [SlotSet("sr_date", None), SlotSet("requested_slot", "sr_date")]
    assert "in the future" in await render(messages[0])
    events, _ = await validate(
        action,
        form_tracker(
            "email_eligibility_form",
            "emailed_date",
            "not yet",
            slots={**known, "sr_date": "2026-11-24"},
        ),
    )
    assert events == [SlotSet("emailed_date", "no"), SlotSet("requested_slot", None)]


async def test_free_text_and_expedite_criterion():
    events, messages = await validate(ValidateServiceRequestForm(), form_tracker(
        "service_request_form", "problem", "x" * 500))
    assert events == [SlotSet("problem", None)]
    assert "at most 300 characters" in await render(messages[0])
    events, _ = await validate(ValidateExpediteForm(), form_tracker(
        "expedite_form", "expedite_criterion", "clear USCIS error", intent="complaint"))
    assert events == [SlotSet("expedite_criterion", "Clear USCIS error")]


async def test_a_spanish_ground_is_understood_and_a_language_request_is_asked_again():
    events, _ = await validate(ValidateExpediteForm(), form_tracker(
        "expedite_form", "expedite_criterion", "pérdida económica, me quedo sin trabajo"))
    assert events == [SlotSet("expedite_criterion",
                              "Severe financial loss to a company or person")]
    # "en español por favor" would pass as a name: it is no answer, the form asks again.
    events, messages = await validate(ValidateServiceRequestForm(), form_tracker(
        "service_request_form", "customer_name", "en español por favor"))
    assert events == [SlotSet("customer_name", None)]
    assert messages == []
