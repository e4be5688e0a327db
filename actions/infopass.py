"""InfoPass appointments: schedule, cancel and reschedule at the local field office (chapter B.1).

Booking happens when the customer picks a time, in one atomic step; a time that filled up in the
meantime is answered with the next free times. A customer who lives abroad is switched to the
office for their country instead.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.abroad import ambiguity, ambiguous_place_in, country_in, utter_abroad
from actions.answers import answer_redirect
from actions.directory_facts import facts, language
from actions.form_slots import slots_of
from actions.forms import CustomerFormValidation, Slots
from actions.latest_message import entity_texts, latest_intent, now, requester, today
from actions.service_requests import utter_not_verified as utter_request_not_verified
from actions.stores import bookings
from rasa_project.countries import find_country
from rasa_project.identity import normalise_identity
from rasa_project.infopass.bookings import Booking, normalise_code
from rasa_project.infopass.offices import (
    FieldOffice,
    default_offices,
    nearest_office,
    place_for_zip,
)
from rasa_project.infopass.requests import form_for, wants_to_move
from rasa_project.infopass.slots import describe_slot, free_slots, slot_starts

ABROAD = "abroad"
VERIFIED_CODE_SLOT = "verified_booking_code"  # domain/in_person.yml
# What the appointment forms ask for (domain/in_person.yml); validate_zip_code sets the office,
# the reschedule form's identity check the verified code.
APPOINTMENT_SLOTS = slots_of("appointment_form", "cancel_appointment_form",
                             "reschedule_appointment_form",
                             also=("field_office", VERIFIED_CODE_SLOT))


def office_label(office: FieldOffice, tracker: Tracker) -> str:
    """'Chicago Field Office', or in Spanish 'oficina local de Chicago'."""
    if language(tracker) != "es":
        return office.name
    return "oficina local de " + office.name.removesuffix(" Field Office")


def office_of(tracker: Tracker) -> FieldOffice | None:
    return default_offices().get(tracker.get_slot("field_office") or "")


def offered_slots(tracker: Tracker, office: FieldOffice) -> list[datetime]:
    store = bookings(tracker)
    return free_slots(office, now(tracker), lambda start: store.taken(office, start))


def chosen_slot(value: str, office: FieldOffice, tracker: Tracker) -> datetime | None:
    """The time the customer picked (button payloads are ISO times), if it is a real slot of the
    office: on its hours, not on a weekend or holiday, not in the past."""
    try:
        picked = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if picked.tzinfo is None:
        return None
    for start in slot_starts(office, now(tracker)):
        if start == picked:
            return start
        if start > picked:
            break
    return None


def appointment_form_for(text: str) -> str:
    """The booking form, or the form that moves the customer's booked appointment."""
    return "reschedule_appointment_form" if wants_to_move(text) else "appointment_form"


class ActionStartAppointment(Action):
    """A request to make, cancel or move an appointment starts its form; a request for a new one
    that asks to move the one the customer has starts the move (the confirmation code, not a ZIP
    code); an embassy's visa appointment is the Department of State's."""

    def name(self) -> str:
        return "action_start_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list[Any]:
        form = form_for(latest_intent(tracker) or "", tracker.latest_message.get("text") or "")
        if form is None:
            return answer_redirect(dispatcher, tracker, "redirect_visa")
        return [FollowupAction(form)]


class ActionAskZipCode(Action):
    """The ZIP code question; when the customer named a place in several countries ("I'm in
    Vancouver"), it names them and asks which, never guessing the United States."""

    def name(self) -> str:
        return "action_ask_zip_code"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list[Any]:
        place = ambiguous_place_in(tracker, tracker.get_slot("requested_slot") == "zip_code")
        country = country_in(tracker) if place is None else None
        if place is not None:
            dispatcher.utter_message(response="utter_ambiguous_place_zip",
                                     **ambiguity(place, language(tracker)))
        elif country is not None and country.domestic:
            # "I live in Houston": not asked whether they live abroad.
            dispatcher.utter_message(response="utter_ask_zip_code_domestic")
        else:
            dispatcher.utter_message(response="utter_ask_zip_code")
        return []


class ActionAskAppointmentSlot(Action):
    """Offers the next free times as buttons, in the office's own time zone."""

    def name(self) -> str:
        return "action_ask_appointment_slot"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list[Any]:
        office = office_of(tracker)
        if office is None:
            return []
        slots = offered_slots(tracker, office)
        if not slots:
            dispatcher.utter_message(response="utter_no_slots",
                                     office=office_label(office, tracker), **facts(tracker))
            return []
        dispatcher.utter_message(
            response="utter_offer_times", office=office_label(office, tracker),
            buttons=[{"title": describe_slot(s, language(tracker)), "payload": s.isoformat()}
                     for s in slots])
        return []


class AppointmentValidation(CustomerFormValidation, ABC):
    """Shared by scheduling and rescheduling: picking a time books it."""

    @abstractmethod
    def book_or_move(self, dispatcher, tracker: Tracker, office: FieldOffice,
                     start: datetime) -> Slots:
        """Book (or move to) `start` atomically; the slots to set."""

    def validate_appointment_slot(self, value, dispatcher, tracker: Tracker, domain) -> Slots:
        office = office_of(tracker)
        start = chosen_slot(str(value or ""), office, tracker) if office else None
        if start is None:
            return self.refuse(dispatcher, tracker, "appointment_slot", "utter_invalid_slot_choice")
        return self.book_or_move(dispatcher, tracker, office, start)


class ValidateAppointmentForm(AppointmentValidation):
    def name(self) -> str:
        return "validate_appointment_form"

    async def required_slots(self, domain_slots, dispatcher, tracker: Tracker, domain) -> list[str]:
        if tracker.get_slot("zip_code") == ABROAD:
            return ["zip_code"]
        return list(domain_slots)

    async def extract_zip_code(self, dispatcher, tracker: Tracker, domain) -> Slots:
        """A ZIP code or a country in the request itself ("appointment in 60601")."""
        if tracker.get_slot("requested_slot") is not None or tracker.get_slot("zip_code"):
            return {}
        country = country_in(tracker)
        if country and not country.domestic:
            return {"zip_code": country.name}
        typed = entity_texts(tracker, "zip_code")  # the NLU's zip_code regex
        return {"zip_code": typed[0]} if typed else {}

    def validate_zip_code(self, value, dispatcher, tracker: Tracker, domain) -> Slots:
        text = str(value or "").strip()
        place = place_for_zip(text)
        if place is None:
            country = find_country(text, whole_message=True)
            if country and not country.domestic:
                utter_abroad(dispatcher, country, tracker)
                return {"zip_code": ABROAD}
            return self.refuse(
                dispatcher, tracker, "zip_code", "utter_invalid_zip", value=text[:20]
            )
        office = nearest_office(place)
        dispatcher.utter_message(response="utter_field_office_found",
                                 office=office_label(office, tracker),
                                 city=office.city, state=office.state)
        found = {"zip_code": place.zip_code, "field_office": office.key}
        if not tracker.get_slot("identity_answer"):
            # The identity question asks for a ZIP code or a birth date: the ZIP just given
            # answers it, so it is not asked again (the confirmation says to keep it).
            found["identity_answer"] = normalise_identity(place.zip_code, today(tracker))
        return found

    def validate_visit_purpose(self, value, dispatcher, tracker, domain) -> Slots:
        return self._free_text("visit_purpose", value, dispatcher, tracker)

    def book_or_move(self, dispatcher, tracker: Tracker, office: FieldOffice,
                     start: datetime) -> Slots:
        result = bookings(tracker).book(office, start, tracker.get_slot("visit_purpose") or "",
                                        tracker.get_slot("customer_name") or "",
                                        tracker.get_slot("identity_answer") or "")
        if result.outcome == "full":
            dispatcher.utter_message(response="utter_slot_just_taken")
            return {"appointment_slot": None}
        return {"appointment_slot": result.outcome, "booking_code": result.code}


class ValidateCancelAppointmentForm(CustomerFormValidation):
    def name(self) -> str:
        return "validate_cancel_appointment_form"

    def validate_booking_code(self, value, dispatcher, tracker, domain) -> Slots:
        code = normalise_code(str(value or ""))
        if code is None:
            return self.refuse(dispatcher, tracker, "booking_code", "utter_invalid_booking_code")
        return {"booking_code": code}


class ValidateRescheduleAppointmentForm(AppointmentValidation, ValidateCancelAppointmentForm):
    def name(self) -> str:
        return "validate_reschedule_appointment_form"

    def validate_booking_code(self, value, dispatcher, tracker: Tracker, domain) -> Slots:
        # A code is taken from any message (an entity), but once one is verified it stays: a
        # customer cannot verify their own code and then move another one. The verified code is
        # a slot: the form may have begun before the latest turns the action server is sent.
        verified = tracker.get_slot(VERIFIED_CODE_SLOT)
        if verified and tracker.get_slot("identity_answer"):
            return {"booking_code": verified}
        return super().validate_booking_code(value, dispatcher, tracker, domain)

    def validate_identity_answer(self, value, dispatcher, tracker: Tracker, domain) -> Slots:
        checked = super().validate_identity_answer(value, dispatcher, tracker, domain)
        if not checked.get("identity_answer"):
            return checked
        booking, locked = bookings(tracker).verify(tracker.get_slot("booking_code") or "",
                                                   checked["identity_answer"], requester(tracker))
        if booking is None or booking.status != "booked":
            utter_not_verified(dispatcher, tracker, locked)
            return {"identity_answer": None, "booking_code": None, VERIFIED_CODE_SLOT: None}
        return {"identity_answer": checked["identity_answer"], "field_office": booking.office_key,
                VERIFIED_CODE_SLOT: booking.code}

    def book_or_move(self, dispatcher, tracker: Tracker, office: FieldOffice,
                     start: datetime) -> Slots:
        # Code and answer are checked again, together, by the store at the moment of the move.
        outcome = bookings(tracker).reschedule(tracker.get_slot("booking_code") or "",
                                               tracker.get_slot("identity_answer"), office, start,
                                               requester(tracker))
        if outcome == "full":
            dispatcher.utter_message(response="utter_slot_just_taken")
            return {"appointment_slot": None}
        return {"appointment_slot": outcome}


def utter_not_verified(dispatcher: CollectingDispatcher, tracker: Tracker, locked: bool) -> None:
    utter_request_not_verified(dispatcher, tracker, locked, "utter_appointment_not_verified")


def clear() -> list[dict[str, Any]]:
    return [SlotSet(slot, None) for slot in APPOINTMENT_SLOTS]


def booking_details(booking: Booking, tracker: Tracker) -> dict[str, str]:
    office = default_offices()[booking.office_key]
    when = describe_slot(booking.starts_at.astimezone(office.timezone), language(tracker))
    return {"code": booking.code, "office": office_label(office, tracker), "city": office.city,
            "state": office.state, "when": when}


class ActionConfirmAppointment(Action):
    def name(self) -> str:
        return "action_confirm_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list[Any]:
        if tracker.get_slot("zip_code") == ABROAD:
            return clear()  # the customer abroad already has the answer for their country
        office = office_of(tracker)
        if tracker.get_slot("appointment_slot") == "has_booking" and office is not None:
            # Name and ZIP or birth date are no proof: say that a booking exists, never its code
            # or time; the customer moves it with the code they hold.
            dispatcher.utter_message(response="utter_appointment_exists",
                                     office=office_label(office, tracker))
            return clear()
        booking = bookings(tracker).get(tracker.get_slot("booking_code") or "")
        if booking is not None:
            dispatcher.utter_message(response="utter_appointment_booked",
                                     **booking_details(booking, tracker))
        return clear()


class ActionCancelAppointment(Action):
    """Cancels only with the right code and identity pair; a wrong pair reveals nothing."""

    def name(self) -> str:
        return "action_cancel_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list[Any]:
        store = bookings(tracker)
        booking, locked = store.verify(tracker.get_slot("booking_code") or "",
                                       tracker.get_slot("identity_answer"), requester(tracker))
        office = default_offices().get(booking.office_key) if booking else None
        if booking is None or office is None or not store.cancel(booking, office):
            utter_not_verified(dispatcher, tracker, locked)
            return clear()
        dispatcher.utter_message(response="utter_appointment_cancelled",
                                 **booking_details(booking, tracker))
        return clear()


class ActionConfirmReschedule(Action):
    def name(self) -> str:
        return "action_confirm_reschedule"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list[Any]:
        booking = bookings(tracker).get(tracker.get_slot("booking_code") or "")
        if booking is None or tracker.get_slot("appointment_slot") != "moved":
            utter_not_verified(dispatcher, tracker, False)
            return clear()
        dispatcher.utter_message(response="utter_appointment_moved",
                                 **booking_details(booking, tracker))
        return clear()
