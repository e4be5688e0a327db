"""Submitting the Service Request forms: create, check, expedite, and email eligibility.

Personal answers (name, identity, contact) are cleared from the conversation once used, and
never logged."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.directory_facts import directory, facts, language
from actions.form_slots import slots_of
from actions.handoff import handoff_buttons
from actions.latest_message import requester, today
from actions.stores import service_requests
from rasa_project.service_requests.eligibility import email_eligibility
from rasa_project.service_requests.routing import office_name
from rasa_project.service_requests.store import LOCK_SECONDS, NewServiceRequest
from rasa_project.wording import long_date

# What the Service Request forms ask for (domain/service_requests.yml), and what their
# validators set on the side.
FORM_SLOTS = slots_of("service_request_form", "check_request_form", "email_eligibility_form",
                      "expedite_form", also=("office_key", "sr_in_store"))
STATUS_WORDS = {"received": "received, waiting for the office", "in_progress": "being worked on",
                "responded": "answered", "relocated": "moved to another office", "closed": "closed"}
STATUS_WORDS_ES = {"received": "recibida, en espera de la oficina", "in_progress": "en trámite",
                   "responded": "respondida", "relocated": "trasladada a otra oficina",
                   "closed": "cerrada"}
KINDS = {"en": {"expedite": "expedite request", "case_inquiry": "case inquiry"},
         "es": {"expedite": "solicitud de trámite acelerado",
                "case_inquiry": "consulta sobre un caso"}}


# The grounds as stored (validation.CRITERIA, in English for the office) and as a Spanish
# speaker reads them back.
CRITERIA_ES = {
    "Severe financial loss to a company or person":
        "pérdida económica grave para una empresa o una persona",
    "Emergency or urgent humanitarian reasons": "emergencia o razones humanitarias urgentes",
    "Nonprofit furthering the cultural or social interests of the United States":
        "organización sin fines de lucro que promueve los intereses culturales o sociales de "
        "Estados Unidos",
    "U.S. government interests": "intereses del gobierno de Estados Unidos",
    "Clear USCIS error": "error evidente de USCIS",
}


def criterion_in(criterion: str, language_code: str) -> str:
    return CRITERIA_ES.get(criterion, criterion) if language_code == "es" else criterion


def office_in(tracker: Tracker, office_key: str) -> str:
    """The office's name in the conversation's language."""
    return office_name(directory(), office_key, language(tracker))


def status_note(tracker: Tracker, note: str | None) -> str:
    if not note:
        return ""
    spanish = language(tracker) == "es"
    said = " Respuesta de la oficina:" if spanish else " Response from the office:"
    return f"{said} {note}"


def clear_form_slots() -> list[dict[str, Any]]:
    return [SlotSet(slot, None) for slot in FORM_SLOTS]


def utter_not_verified(dispatcher: CollectingDispatcher, tracker: Tracker, locked: bool,
                       response: str = "utter_request_not_verified") -> None:
    """The same words whether the number is unknown or the answer wrong; after too many
    failures, that checks are paused."""
    if locked:
        dispatcher.utter_message(response="utter_request_locked", lock_minutes=LOCK_SECONDS // 60,
                                 **facts(tracker))
    else:
        dispatcher.utter_message(response=response, **facts(tracker))


def utter_next_steps(dispatcher: CollectingDispatcher, tracker: Tracker, reference: str,
                     office_key: str, requested_on: date) -> None:
    eligibility = email_eligibility(directory(), office_key, requested_on, requested_on)
    if eligibility.has_mailbox:
        dispatcher.utter_message(
            response="utter_service_request_next_steps_mailbox", reference=reference,
            office=office_in(tracker, office_key), center_email=eligibility.service_center_email,
            may_email_from=long_date(eligibility.may_email_from, language(tracker)))
    else:
        dispatcher.utter_message(
            response="utter_service_request_next_steps_contact_center", reference=reference,
            office=office_in(tracker, office_key), **facts(tracker))


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
        office = office_in(tracker, request.office_key)
        dispatcher.utter_message(response="utter_service_request_created",
                                 reference=request.reference, office=office)
        utter_next_steps(dispatcher, tracker, request.reference, request.office_key,
                         request.created_on)
        return clear_form_slots()


class ActionCreateExpediteRequest(Action):
    def name(self) -> str:
        return "action_create_expedite_request"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list[Any]:
        request = service_requests(tracker).create(new_request(tracker, "expedite"))
        dispatcher.utter_message(
            response="utter_expedite_created", reference=request.reference,
            criterion=criterion_in(request.expedite_criterion, language(tracker)),
            office=office_in(tracker, request.office_key),
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
            utter_not_verified(dispatcher, tracker, result.locked)
            return clear_form_slots()
        request = result.request
        said_in = language(tracker)
        status_words = STATUS_WORDS_ES if said_in == "es" else STATUS_WORDS
        dispatcher.utter_message(
            response="utter_request_status", reference=request.reference,
            kind=KINDS[said_in]["expedite" if request.kind == "expedite" else "case_inquiry"],
            created_on=long_date(request.created_on, said_in),
            office=office_in(tracker, request.office_key),
            status=status_words.get(request.status, request.status),
            note=status_note(tracker, request.response_note))
        if request.status not in ("responded", "closed"):
            utter_email_advice(dispatcher, tracker, request.office_key, request.created_on, None,
                               request.reference)
        return clear_form_slots()


def utter_email_advice(dispatcher: CollectingDispatcher, tracker: Tracker, office_key: str,
                       requested_on: date, emailed_on: date | None, reference: str | None) -> None:
    result = email_eligibility(directory(), office_key, requested_on, today(tracker), emailed_on)
    if not result.has_mailbox:
        dispatcher.utter_message(response="utter_email_no_mailbox",
                                 office=office_in(tracker, office_key),
                                 **facts(tracker))
        return
    rules = directory().email_rules
    said_in = language(tracker)
    common = dict(office=office_in(tracker, office_key), center_email=result.service_center_email,
                  requested_on=long_date(requested_on, said_in),
                  wait_days=rules["service_center_wait_days"],
                  reference_note=f" ({reference})" if reference else "")
    if emailed_on is None:
        response = "utter_email_eligible" if result.may_email_now else "utter_email_not_yet"
        dispatcher.utter_message(response=response,
                                 may_email_from=long_date(result.may_email_from, said_in),
                                 **common)
        return
    response = ("utter_email_headquarters_now" if result.may_email_headquarters_now
                else "utter_email_headquarters_later")
    dispatcher.utter_message(response=response, emailed_on=long_date(emailed_on, said_in),
                             hq_from=long_date(result.headquarters_from, said_in),
                             hq_wait_days=rules["headquarters_wait_days"], **facts(tracker))


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
