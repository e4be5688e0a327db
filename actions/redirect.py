from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import answer_redirect
from actions.latest_message import latest_intent


class ActionRedirectAgency(Action):
    """Sends an inquiry outside USCIS jurisdiction to the agency that owns it (chapter A.2).

    The intent names the main agency (redirect_passport -> the directory's `passport` entry); any
    other agency the message also names is answered in the same turn, so nobody asks twice.
    """

    def name(self) -> str:
        return "action_redirect_agency"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list[Any]:
        return answer_redirect(dispatcher, tracker, latest_intent(tracker) or "")
