from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.abroad import ambiguous_place_in
from actions.answers import ABROAD_SENSITIVE, CONTACT_RESPONSES as RESPONSES, answer_contact
from actions.infopass import appointment_form_for
from actions.latest_message import latest_intent

__all__ = ["RESPONSES", "ActionAnswerContact"]

# "can I book an infopass", "I want infopass": asking for an appointment, not about InfoPass.
WANTS_BOOKING = re.compile(
    r"\b(?:book\w*|schedul\w*|make|set\s+up|get|want|need|like|reserve|arrange"
    r"|quier\w*|necesit\w*|hacer|sacar|program\w*|reserv\w*|agend\w*|pedir)\b", re.I)


class ActionAnswerContact(Action):
    """Answers a contact question (the Contact Center, TDD, Premium Processing, ...) from the
    directory, adding the Military Help Line when the customer mentions the military."""

    def name(self) -> str:
        return "action_answer_contact"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list[Any]:
        intent = latest_intent(tracker) or ""
        text = tracker.latest_message.get("text") or ""
        if intent == "ask_infopass" and WANTS_BOOKING.search(text):
            # The assistant books it itself (or moves the one the customer has).
            return [FollowupAction(appointment_form_for(text))]
        if intent in ABROAD_SENSITIVE and ambiguous_place_in(tracker):
            # "I live in Manchester": which one decides the answer, so ask (the abroad form).
            return [FollowupAction("abroad_form")]
        return answer_contact(dispatcher, tracker, intent)
