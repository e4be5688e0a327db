"""The one-question form for a customer abroad: which country do you live in?"""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.abroad import country_in
from actions.forms import CustomerFormValidation, Slots
from rasa_project.countries import find_country
from rasa_project.places import place_in


class ValidateAbroadForm(CustomerFormValidation):
    """Which country the customer lives in; an unknown place gets a question back, not a guess."""

    def name(self) -> str:
        return "validate_abroad_form"

    async def extract_country_of_residence(self, dispatcher, tracker: Tracker, domain) -> Slots:
        if tracker.get_slot("requested_slot") is None:  # the question itself may name it
            found = country_in(tracker)
            if found:
                return {"country_of_residence": found.name}
        return {}

    def validate_country_of_residence(self, value, dispatcher, tracker, domain) -> Slots:
        text = str(value or "")
        found = find_country(text, whole_message=True)
        place = place_in(text, whole_message=True) if found is None else None
        if place is not None and place.country_code is None:
            # "Manchester": England or New Hampshire? The question again, naming the countries
            # (action_ask_country_of_residence), rather than a guess.
            return {"country_of_residence": None}
        if found is None:
            return self.refuse(dispatcher, tracker, "country_of_residence",
                               "utter_unknown_country", value=text[:40])
        return {"country_of_residence": found.name}  # canonical: it resolves to itself
