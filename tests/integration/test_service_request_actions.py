"""The Service Request submit actions with a real Redis: exact events, what the customer reads."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.service_requests import (
    FORM_SLOTS,
    ActionCheckServiceRequest,
    ActionCreateExpediteRequest,
    ActionCreateServiceRequest,
    ActionEmailEligibility,
)
from rasa_project.service_requests.store import ServiceRequestStore
from tests.unit.rendering import render, run

CREATED_ON = {"now": "2026-11-10T10:00:00-06:00"}
LATER = {"now": "2026-11-29T10:00:00-06:00"}
CLEARED = [SlotSet(slot, None) for slot in FORM_SLOTS]


pytestmark = pytest.mark.usefixtures("actions_on_redis")


def submitted(slots: dict, metadata: dict) -> Tracker:
    latest = {"text": "x", "intent": {"name": "out_of_scope", "confidence": 1.0}, "entities": [],
              "metadata": metadata}
    events = [{"event": "user", "text": "x", "parse_data": latest, "metadata": metadata}]
    return Tracker("u1", slots, latest, events, False, None, {}, "action_listen")


CASE = {"receipt_number": "EAC2190012345", "office_key": "vermont", "form_type": "I-485",
        "problem": "card never arrived", "customer_name": "Maria Lopez",
        "identity_answer": "zip:20529", "contact_info": "maria@example.com"}


async def create_case(slots=CASE) -> str:
    messages, events = await run(ActionCreateServiceRequest(), submitted(slots, CREATED_ON))
    assert events == CLEARED
    text = await render(messages[0])
    return text.split("reference number is ")[1].split(".")[0]


async def test_create_routes_and_tells_what_happens_next(redis_url):
    messages, events = await run(ActionCreateServiceRequest(), submitted(CASE, CREATED_ON))
    assert events == CLEARED
    created, next_steps = [await render(m) for m in messages]
    assert "sent to the Vermont Service Center" in created
    assert "by November 26, 2026" in next_steps and "vsc.ncscfollowup@dhs.gov" in next_steps
    reference = created.split("reference number is ")[1].split(".")[0]
    stored = ServiceRequestStore.from_url(redis_url).get(reference)
    assert (stored.office_key, stored.receipt_number, stored.customer_name) == (
        "vermont", "EAC2190012345", "Maria Lopez")


async def test_check_with_the_right_and_the_wrong_identity():
    reference = await create_case()
    right = {"sr_reference": reference, "identity_answer": "zip:20529"}
    messages, events = await run(ActionCheckServiceRequest(), submitted(right, LATER))
    assert events == CLEARED
    status, advice = [await render(m) for m in messages]
    assert f"Service Request {reference} (case inquiry), made on November 10, 2026" in status
    assert "may email the Vermont Service Center now" in advice
    wrong = {"sr_reference": reference, "identity_answer": "zip:11111"}
    messages, events = await run(ActionCheckServiceRequest(), submitted(wrong, LATER))
    assert events == CLEARED
    [text] = [await render(m) for m in messages]
    assert "couldn't verify" in text and reference not in text and "Vermont" not in text


async def test_expedite_never_promises():
    slots = {**CASE, "receipt_number": "SRC2290012345", "office_key": "texas",
             "expedite_criterion": "Severe financial loss to a company or person",
             "expedite_reason": "job ends December 15", "problem": None}
    messages, events = await run(ActionCreateExpediteRequest(), submitted(slots, CREATED_ON))
    assert events == CLEARED
    [text] = [await render(m) for m in messages]
    assert "Texas Service Center" in text and "can't promise" in text


@pytest.mark.parametrize("office, receipt, emailed, expected", [
    ("california", "WAC2190054321", "no", "may email the California Service Center now"),
    ("texas", "SRC2290012345", "2026-11-19", "on December 11, 2026"),  # 21 full days after
    ("national_benefits_center", "MSC2190012345", "no", "no follow-up email box"),
])
async def test_email_eligibility(office, receipt, emailed, expected):
    slots = {"sr_reference": "none", "receipt_number": receipt, "office_key": office,
             "sr_date": "2026-11-02", "emailed_date": emailed}
    messages, events = await run(ActionEmailEligibility(), submitted(slots, LATER))
    assert events == CLEARED
    assert expected in await render(messages[0])
