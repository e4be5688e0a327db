"""Submitting the Service Request forms: create, check, expedite, and email eligibility.

Personal answers (name, identity, contact) are cleared from the conversation once used, and
never logged."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.directory_facts import directory, facts
from actions.form_slots import slots_of
from actions.handoff import handoff_buttons
from actions.latest_message import requester, today
from actions.stores import service_requests
from rasa_project.service_requests.eligibility import email_eligibility
from rasa_project.service_requests.routing import office_name
from rasa_project.service_requests.store import LOCK_SECONDS, NewServiceRequest

# What the Service Request forms ask for (domain/service_requests.yml), and what their
# validators set on the side.
FORM_SLOTS = slots_of("service_request_form", "check_request_form", "email_eligibility_form",
                      "expedite_form", also=("office_key", "sr_in_store"))
STATUS_WORDS = {"received": "received, waiting for the office", "in_progress": "being worked on",
                "responded": "answered", "relocated": "moved to another office", "closed": "closed"}


def long_date(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def clear_form_slots() -> list[dict[str, Any]]:
    return [SlotSet(slot, None) for slot in FORM_SLOTS]


def utter_not_verified(dispatcher: CollectingDispatcher, locked: bool,
                       response: str = "utter_request_not_verified") -> None:
    """The same words whether the number is unknown or the answer wrong; after too many
    failures, that checks are paused."""
    if locked:
        dispatcher.utter_message(response="utter_request_locked", lock_minutes=LOCK_SECONDS // 60,
                                 **facts())
    else:
        dispatcher.utter_message(response=response, **facts())


def utter_next_steps(dispatcher: CollectingDispatcher, reference: str, office_key: str,
                     requested_on: date) -> None:
    eligibility = email_eligibility(directory(), office_key, requested_on, requested_on)
    if eligibility.has_mailbox:
        dispatcher.utter_message(
            response="utter_service_request_next_steps_mailbox", reference=reference,
            office=eligibility.office_name, center_email=eligibility.service_center_email,
            may_email_from=long_date(eligibility.may_email_from))
    else:
        dispatcher.utter_message(
            response="utter_service_request_next_steps_contact_center", reference=reference,
            office=eligibility.office_name, **facts())


def new_request(tracker: Tracker, kind: str) -> NewServiceRequest:
    slot = tracker.get_slot
    receipt = slot("receipt_number") or ""
    return NewServiceRequest(
        kind=kind,
        office_key=slot("office_key") or "",
        problem=slot("problem") or slot("expedite_reason") or "",
        customer_name=slot("customer_name") or "",
        identity=slot("identity_answer") or "",
        contact=slot("contact_info") or "",
        receipt_number=receipt if receipt != slot("office_key") else "",
        form_type=slot("form_type") or "",
        expedite_criterion=slot("expedite_criterion") or "",
    )


class ActionCreateServiceRequest(Action):
    def name(self) -> str:
        return "action_create_service_request"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list[Any]:
        request = service_requests(tracker).create(new_request(tracker, "case_inquiry"))
        office = office_name(directory(), request.office_key)
        dispatcher.utter_message(response="utter_service_request_created",
                                 reference=request.reference, office=office)
        utter_next_steps(dispatcher, request.reference, request.office_key, request.created_on)
        return clear_form_slots()


class ActionCreateExpediteRequest(Action):
    def name(self) -> str:
        return "action_create_expedite_request"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list[Any]:
        request = service_requests(tracker).create(new_request(tracker, "expedite"))
        dispatcher.utter_message(
            response="utter_expedite_created", reference=request.reference,
            criterion=request.expedite_criterion,
            office=office_name(directory(), request.office_key),
            buttons=handoff_buttons(tracker))  # an expedite needs special handling: a person
        return clear_form_slots()


class ActionCheckServiceRequest(Action):
    """Shows a request only after the identity answer matches; otherwise nothing at all."""

    def name(self) -> str:
        return "action_check_service_request"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list[Any]:
        result = service_requests(tracker).lookup(tracker.get_slot("sr_reference") or "",
                                                  tracker.get_slot("identity_answer"),
                                                  requester(tracker))
        if result.request is None:
            utter_not_verified(dispatcher, result.locked)
            return clear_form_slots()
        request = result.request
        note = (
            f" Response from the office: {request.response_note}" if request.response_note else ""
        )
        dispatcher.utter_message(
            response="utter_request_status", reference=request.reference,
            kind="expedite request" if request.kind == "expedite" else "case inquiry",
            created_on=long_date(request.created_on),
            office=office_name(directory(), request.office_key),
            status=STATUS_WORDS.get(request.status, request.status), note=note)
        if request.status not in ("responded", "closed"):
            utter_email_advice(dispatcher, tracker, request.office_key, request.created_on, None,
                               request.reference)
        return clear_form_slots()


def utter_email_advice(dispatcher: CollectingDispatcher, tracker: Tracker, office_key: str,
                       requested_on: date, emailed_on: date | None, reference: str | None) -> None:
    result = email_eligibility(directory(), office_key, requested_on, today(tracker), emailed_on)
    if not result.has_mailbox:
        dispatcher.utter_message(response="utter_email_no_mailbox", office=result.office_name,
                                 **facts())
        return
    rules = directory().email_rules
    common = dict(office=result.office_name, center_email=result.service_center_email,
                  requested_on=long_date(requested_on),
                  wait_days=rules["service_center_wait_days"],
                  reference_note=f" ({reference})" if reference else "")
    if emailed_on is None:
        response = "utter_email_eligible" if result.may_email_now else "utter_email_not_yet"
        dispatcher.utter_message(response=response, may_email_from=long_date(result.may_email_from),
                                 **common)
        return
    response = ("utter_email_headquarters_now" if result.may_email_headquarters_now
                else "utter_email_headquarters_later")
    dispatcher.utter_message(response=response, emailed_on=long_date(emailed_on),
                             hq_from=long_date(result.headquarters_from),
                             hq_wait_days=rules["headquarters_wait_days"], **facts())


class ActionEmailEligibility(Action):
    def name(self) -> str:
        return "action_email_eligibility"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list[Any]:
        slot = tracker.get_slot
        emailed = slot("emailed_date")
        reference = slot("sr_reference")
        utter_email_advice(
            dispatcher, tracker, slot("office_key") or "",
            date.fromisoformat(slot("sr_date")),
            date.fromisoformat(emailed) if emailed and emailed != "no" else None,
            reference if reference and reference != "none" else None)
        return clear_form_slots()
