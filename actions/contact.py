from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import entity_texts, facts, latest_intent
from actions.military import utter_military_help_line

# Which response answers which intent; every one is filled from the contact directory.
RESPONSES = {
    "ask_contact_center": "utter_contact_center",
    "ask_tdd": "utter_tdd",
    "ask_premium_processing": "utter_premium_processing",
    "ask_hague_adoption": "utter_hague_adoption",
    "ask_infopass": "utter_infopass",
    "ask_international": "utter_international",
    "ask_outreach": "utter_outreach",
    "ask_mailing_address": "utter_mailing_address",
    "ask_email_service_center": "utter_email_service_center",
    "ask_fax": "utter_fax",
    "complaint": "utter_complaint",
    "request_human": "utter_request_human",
}


class ActionAnswerContact(Action):
    """Answers a contact question from the directory.

    A customer who mentions the military (however they put it) is also given the Military Help
    Line, which is theirs whatever else they asked.
    """

    def name(self) -> str:
        return "action_answer_contact"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list[Any]:
        response = RESPONSES.get(latest_intent(tracker) or "", "utter_contact_center")
        dispatcher.utter_message(response=response, **facts())
        if entity_texts(tracker, "military") and response != "utter_request_human":
            utter_military_help_line(dispatcher, tracker)
        return []
