from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import CONTACT_RESPONSES as RESPONSES, answer_contact
from actions.latest_message import latest_intent

__all__ = ["RESPONSES", "ActionAnswerContact"]

# "can I book an infopass", "I want infopass": asking for an appointment, not about InfoPass.
WANTS_BOOKING = re.compile(
    r"\b(?:book\w*|schedul\w*|make|set\s+up|get|want|need|like|reserve|arrange)\b", re.I)


class ActionAnswerContact(Action):
    """Answers a contact question (the Contact Center, TDD, Premium Processing, ...) from the
    directory, adding the Military Help Line when the customer mentions the military."""

    def name(self) -> str:
        return "action_answer_contact"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list[Any]:
        intent = latest_intent(tracker) or ""
        if intent == "ask_infopass" and WANTS_BOOKING.search(
            tracker.latest_message.get("text") or ""
        ):
            return [FollowupAction("appointment_form")]  # the assistant books it itself
        answer_contact(dispatcher, tracker, intent)
        return []
