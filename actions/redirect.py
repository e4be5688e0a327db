from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import directory, entity_texts, facts, latest_intent
from rasa_project.agencies import redirects

INTENT_PREFIX = "redirect_"


class ActionRedirectAgency(Action):
    """Sends an inquiry outside USCIS jurisdiction to the agency that owns it.

    The intent names the main agency (redirect_passport -> the directory's `passport` entry); any
    other agency the message also names is answered in the same turn, so nobody asks twice.
    """

    def name(self) -> str:
        return "action_redirect_agency"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list[Any]:
        intent = latest_intent(tracker) or ""
        primary = intent.removeprefix(INTENT_PREFIX) if intent.startswith(INTENT_PREFIX) else None
        if primary not in directory().agencies:
            primary = None
        found = redirects(directory(), primary, entity_texts(tracker, "agency"))
        if not found:
            dispatcher.utter_message(response="utter_suggest_contact_center", **facts())
        for redirect in found:
            dispatcher.utter_message(
                response="utter_redirect_agency",
                topic=redirect.topic,
                agency=redirect.agency,
                agency_contact=redirect.contact,
            )
        return []
