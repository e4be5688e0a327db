"""One base class for every form the customer fills (Service Requests, email eligibility, InfoPass
appointments, abroad): each slot is checked as it comes, a bad answer gets a clear reason, and a
question asked in the middle of a form is answered before the form asks again (the customer
changes topic and comes back without losing anything)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import answer_question, is_question
from actions.directory_facts import directory, language
from actions.latest_message import confidence, entity_texts, latest_intent, today
from actions.military import utter_military_help_line
from rasa_project.contact_details import (
    MAX_FREE_TEXT,
    clean_free_text,
    normalise_email_or_phone,
    normalise_form_type,
    normalise_name,
)
from rasa_project.dates import parse_past_date
from rasa_project.identity import normalise_identity
from rasa_project.language import requested_language
from rasa_project.receipts import ReceiptError
from rasa_project.service_requests.routing import route
from rasa_project.text import plain
from rasa_project.wording import long_date

QUESTION_CONFIDENCE = 0.6
CRITERIA = {
    "severe financial loss": "Severe financial loss to a company or person",
    "urgent humanitarian reasons": "Emergency or urgent humanitarian reasons",
    "nonprofit cultural or social interests":
        "Nonprofit furthering the cultural or social interests of the United States",
    "u.s. government interests": "U.S. government interests",
    "clear uscis error": "Clear USCIS error",
}
CRITERIA_WORDS = {
    "financial": "severe financial loss", "money": "severe financial loss",
    "job": "severe financial loss", "humanitarian": "urgent humanitarian reasons",
    "medical": "urgent humanitarian reasons", "emergency": "urgent humanitarian reasons",
    "nonprofit": "nonprofit cultural or social interests",
    "government": "u.s. government interests", "error": "clear uscis error",
    "mistake": "clear uscis error",
    # Spanish, accents removed (rasa_project.text.plain)
    "economic": "severe financial loss", "economica": "severe financial loss",
    "financiera": "severe financial loss", "dinero": "severe financial loss",
    "trabajo": "severe financial loss", "humanitari": "urgent humanitarian reasons",
    "medic": "urgent humanitarian reasons", "emergencia": "urgent humanitarian reasons",
    "sin fines de lucro": "nonprofit cultural or social interests",
    "gobierno": "u.s. government interests", "equivocacion": "clear uscis error",
}

Slots = dict[str, Any]


class CustomerFormValidation(FormValidationAction, ABC):
    """Shared validators; subclasses only name their form (and may narrow the slots)."""

    @abstractmethod
    def name(self) -> str:
        """validate_<form>; abstract, so that rasa-sdk registers only the subclasses."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list:
        requested = tracker.get_slot("requested_slot")
        if requested and requested_language(tracker.latest_message.get("text") or ""):
            # "en español por favor" is no answer: the form asks its question again, now in the
            # language asked for (rasa_extensions.language_policy set it before this turn).
            return [SlotSet(requested, None)]
        # A service member or family whose first message starts a form still gets the Military
        # Help Line, before the form's first question (it is theirs whatever else they asked).
        if tracker.get_slot("requested_slot") is None and entity_texts(tracker, "military"):
            utter_military_help_line(dispatcher, tracker)
        return await super().run(dispatcher, tracker, domain)

    # -- how a refusal is said ---------------------------------------------------------------------
    def refuse(self, dispatcher: CollectingDispatcher, tracker: Tracker, slot: str,
               response: str, **variables: Any) -> Slots:
        """The value is not valid. If the customer asked a question instead, answer it; either
        way the slot stays empty and the form asks for it again."""
        intent = latest_intent(tracker)
        if is_question(intent) and confidence(tracker) >= QUESTION_CONFIDENCE:
            # What the answer sets too (the feedback buttons are never offered in a form, but
            # a validator may run before Rasa marks the form active).
            answered = answer_question(dispatcher, tracker, intent)
            return {**{event["name"]: event["value"] for event in answered}, slot: None}
        dispatcher.utter_message(response=response, **variables)
        return {slot: None}

    def refuse_date(self, dispatcher, tracker, slot: str, value: str) -> Slots | None:
        """None when `value` is a date on or before today; else the refusal."""
        # The conversation's language decides how 10/11/2026 reads (rasa_project.dates).
        answer = parse_past_date(value, today(tracker), tracker.get_slot("language") or "en")
        if answer.problem == "future":
            return self.refuse(dispatcher, tracker, slot, "utter_future_date",
                               value_date=long_date(answer.value, language(tracker)))
        if answer.problem:
            return self.refuse(dispatcher, tracker, slot, "utter_invalid_date", value=value[:40])
        return None

    # -- shared slots ------------------------------------------------------------------------------
    def validate_receipt_number(self, value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain) -> Slots:
        text = str(value or "")
        try:
            found = route(directory(), text)
        except ReceiptError as error:
            if error.reason == "prefix":
                return self.refuse(dispatcher, tracker, "receipt_number",
                                   "utter_invalid_receipt_prefix", prefix=text.strip()[:3].upper())
            return self.refuse(dispatcher, tracker, "receipt_number",
                               "utter_invalid_receipt_format", value=text[:40])
        number = found.receipt.number if found.receipt else found.office_key
        return {"receipt_number": number, "office_key": found.office_key}

    def validate_form_type(self, value, dispatcher, tracker, domain) -> Slots:
        form_type = normalise_form_type(str(value or ""))
        if form_type is None:
            return self.refuse(dispatcher, tracker, "form_type", "utter_invalid_form_type")
        return {"form_type": form_type}

    def validate_problem(self, value, dispatcher, tracker, domain) -> Slots:
        return self._free_text("problem", value, dispatcher, tracker)

    def validate_expedite_reason(self, value, dispatcher, tracker, domain) -> Slots:
        return self._free_text("expedite_reason", value, dispatcher, tracker)

    def _free_text(self, slot: str, value, dispatcher, tracker) -> Slots:
        # Any description is welcome here, even one that sounds like a question.
        text = clean_free_text(str(value or ""))
        if text is None:
            dispatcher.utter_message(response="utter_invalid_text", limit=MAX_FREE_TEXT)
            return {slot: None}
        return {slot: text}

    def validate_customer_name(self, value, dispatcher, tracker, domain) -> Slots:
        name = normalise_name(str(value or ""))
        if name is None:
            return self.refuse(dispatcher, tracker, "customer_name", "utter_invalid_name")
        return {"customer_name": name}

    def validate_identity_answer(self, value, dispatcher, tracker, domain) -> Slots:
        text = str(value or "")
        identity = normalise_identity(text, today(tracker))
        if identity is not None:
            return {"identity_answer": identity}
        if parse_past_date(text, today(tracker)).problem == "future":
            return self.refuse_date(dispatcher, tracker, "identity_answer", text)
        return self.refuse(dispatcher, tracker, "identity_answer", "utter_invalid_identity")

    def validate_contact_info(self, value, dispatcher, tracker, domain) -> Slots:
        contact = normalise_email_or_phone(str(value or ""))
        if contact is None:
            return self.refuse(dispatcher, tracker, "contact_info", "utter_invalid_contact")
        return {"contact_info": contact}

    def validate_expedite_criterion(self, value, dispatcher, tracker, domain) -> Slots:
        text = str(value or "").strip().lower()
        key = text if text in CRITERIA else next(
            (criterion for word, criterion in CRITERIA_WORDS.items() if word in plain(text)), None)
        if key is None:
            return self.refuse(dispatcher, tracker, "expedite_criterion", "utter_invalid_criterion")
        return {"expedite_criterion": CRITERIA[key]}
