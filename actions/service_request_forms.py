"""The four Service Request forms: each only names itself; the email-eligibility form also picks
which slots it needs from what the customer already said."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.forms import CustomerFormValidation, Slots
from actions.latest_message import requester, today
from actions.service_requests import utter_not_verified
from actions.stores import service_requests
from rasa_project.dates import parse_past_date
from rasa_project.service_requests.routing import says_no_receipt
from rasa_project.service_requests.store import normalise_reference
from rasa_project.text import says_no


class ValidateServiceRequestForm(CustomerFormValidation):
    def name(self) -> str:
        return "validate_service_request_form"


class ValidateExpediteForm(CustomerFormValidation):
    def name(self) -> str:
        return "validate_expedite_form"


class ValidateCheckRequestForm(CustomerFormValidation):
    def name(self) -> str:
        return "validate_check_request_form"

    def validate_sr_reference(self, value, dispatcher, tracker, domain) -> Slots:
        reference = normalise_reference(str(value or ""))
        if reference is None:
            return self.refuse(dispatcher, tracker, "sr_reference", "utter_invalid_reference")
        return {"sr_reference": reference}


class ValidateEmailEligibilityForm(CustomerFormValidation):
    """A reference made here is looked up (after the identity check) for its office and date;
    any other reference, or none, needs the receipt number and the date of the call instead."""

    def name(self) -> str:
        return "validate_email_eligibility_form"

    async def required_slots(self, domain_slots: list[str], dispatcher, tracker: Tracker,
                             domain) -> list[str]:
        needed = ["sr_reference"]
        ours = normalise_reference(tracker.get_slot("sr_reference") or "") is not None
        found = tracker.get_slot("sr_in_store")
        if ours and found is None:
            needed.append("identity_answer")
        if not found:
            needed += ["receipt_number", "sr_date"]
        return needed + ["emailed_date"]

    def validate_sr_reference(self, value, dispatcher, tracker, domain) -> Slots:
        text = " ".join(str(value or "").split())
        reference = normalise_reference(text)
        if reference:
            return {"sr_reference": reference}
        if says_no_receipt(text):
            return {"sr_reference": "none", "sr_in_store": False}
        # A Contact Center reference from outside this store: keep it to quote back, but the
        # office and dates must come from the customer.
        if 4 <= len(text) <= 25 and text.replace("-", "").isalnum():
            return {"sr_reference": text.upper(), "sr_in_store": False}
        return self.refuse(dispatcher, tracker, "sr_reference", "utter_invalid_reference")

    def validate_identity_answer(self, value, dispatcher, tracker, domain) -> Slots:
        checked = super().validate_identity_answer(value, dispatcher, tracker, domain)
        if not checked.get("identity_answer"):
            return checked
        result = service_requests(tracker).lookup(tracker.get_slot("sr_reference"),
                                                  checked["identity_answer"], requester(tracker))
        if result.request is None:
            utter_not_verified(dispatcher, tracker, result.locked)
            dispatcher.utter_message(response="utter_email_dates_instead")
            return {"identity_answer": None, "sr_in_store": False}
        request = result.request
        return {"identity_answer": None, "sr_in_store": True, "office_key": request.office_key,
                "sr_date": request.created_on.isoformat(), "receipt_number": request.receipt_number}

    def validate_sr_date(self, value, dispatcher, tracker, domain) -> Slots:
        text = str(value or "")
        refused = self.refuse_date(dispatcher, tracker, "sr_date", text)
        if refused is not None:
            return refused
        language = tracker.get_slot("language") or "en"
        return {"sr_date": parse_past_date(text, today(tracker), language).value.isoformat()}

    def validate_emailed_date(self, value, dispatcher, tracker, domain) -> Slots:
        text = " ".join(str(value or "").lower().split())
        if says_no(text):
            return {"emailed_date": "no"}
        refused = self.refuse_date(dispatcher, tracker, "emailed_date", text)
        if refused is not None:
            return refused
        language = tracker.get_slot("language") or "en"
        return {"emailed_date": parse_past_date(text, today(tracker), language).value.isoformat()}
