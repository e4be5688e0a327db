from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import CONTACT_RESPONSES as RESPONSES, answer_contact
from actions.common import latest_intent

__all__ = ["RESPONSES", "ActionAnswerContact"]


class ActionAnswerContact(Action):
    """Answers a contact question (the Contact Center, TDD, Premium Processing, ...) from the
    directory, adding the Military Help Line when the customer mentions the military."""

    def name(self) -> str:
        return "action_answer_contact"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list[Any]:
        answer_contact(dispatcher, tracker, latest_intent(tracker) or "")
        return []
