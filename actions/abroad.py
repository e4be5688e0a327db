"""Customers who live outside the United States: the office for their country (chapter B.1, C.2)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.directory_facts import directory, facts, language
from rasa_project.countries import Country, country_named, either_of, find_country, name_in
from rasa_project.international import answer_for, join_cities
from rasa_project.places import Place, place_in


def utter_abroad(dispatcher: CollectingDispatcher, country: Country, tracker: Tracker) -> None:
    said_in = language(tracker)
    answer = answer_for(directory(), country, said_in)
    response = {"office": "utter_abroad_office", "canada": "utter_abroad_canada",
                "no_office": "utter_abroad_no_office", "domestic": "utter_abroad_domestic"}
    dispatcher.utter_message(response=response[answer.kind], country=name_in(country, said_in),
                             cities=join_cities(answer.office_cities, said_in), **facts(tracker))
    if answer.kind == "domestic":
        dispatcher.utter_message(response="utter_offer_booking")


def country_in(tracker: Tracker) -> Country | None:
    """The country the latest message names. The whole text first, where the longest name wins
    ("New Mexico" is a state, not Mexico); then the spaCy entity."""
    found = find_country(tracker.latest_message.get("text") or "")
    if found:
        return found
    for item in tracker.latest_message.get("entities") or []:
        if item.get("entity") == "country" and isinstance(item.get("value"), str):
            found = find_country(item["value"])
            if found:
                return found
    return None


def ambiguous_place_in(tracker: Tracker, whole_message: bool = False) -> Place | None:
    """A place the latest message names that is in more than one country ("Manchester",
    "Vancouver") and that nothing else in the message settles: the customer is asked which."""
    text = tracker.latest_message.get("text") or ""
    if find_country(text, whole_message):
        return None
    place = place_in(text, whole_message)
    return place if place is not None and place.country_code is None else None


def ambiguity(place: Place, said_in: str = "en") -> dict[str, str]:
    """The variables of the question "which one?": the name and its countries, largest first,
    named in the conversation's language."""
    countries = [name_in(country_named(code), said_in) for code in place.candidates[:3]]
    return {"value": place.name.title(), "countries": either_of(countries, said_in)}


class ActionAskCountryOfResidence(Action):
    """Which country do you live in? Naming the countries when the customer named a place that
    is in several (never a guess)."""

    def name(self) -> str:
        return "action_ask_country_of_residence"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list[Any]:
        answering = tracker.get_slot("requested_slot") == "country_of_residence"
        place = ambiguous_place_in(tracker, whole_message=answering)
        if place is not None:
            dispatcher.utter_message(response="utter_ambiguous_place",
                                     **ambiguity(place, language(tracker)))
        else:
            dispatcher.utter_message(response="utter_ask_country_of_residence")
        return []


class ActionAnswerAbroad(Action):
    def name(self) -> str:
        return "action_answer_abroad"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list[Any]:
        country = find_country(tracker.get_slot("country_of_residence") or "")
        if country is None:  # not reachable through the form; say something useful anyway
            dispatcher.utter_message(response="utter_international", **facts(tracker))
        else:
            utter_abroad(dispatcher, country, tracker)
        return [SlotSet("country_of_residence", None)]
