"""Stopping a form half way: nothing is sent, and every answer it collected is cleared, so that no
personal answer stays in the conversation (the tracker store redacts cleared values)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.form_slots import slots_of
from actions.infopass import APPOINTMENT_SLOTS
from actions.service_requests import FORM_SLOTS

# Every form's slots (the abroad form's too), what validators set on the side, the open question.
FORM_SLOTS_ALL = slots_of(also=(*FORM_SLOTS, *APPOINTMENT_SLOTS, "requested_slot"))


class ActionStopForm(Action):
    def name(self) -> str:
        return "action_stop_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list[Any]:
        dispatcher.utter_message(response="utter_stopped_form")
        return [
            SlotSet(slot, None) for slot in FORM_SLOTS_ALL if tracker.get_slot(slot) is not None
        ]
