"""First Contact Resolution: an answer that should resolve the inquiry carries two buttons, once
per session and never inside a form, asking whether it did; the answer is recorded per topic
and language (rasa_project/staff/feedback.py). "No" is offered a person (actions/handoff.py).
The buttons ride on the answer itself, so the answer stays the latest message; the action that
sends them sets the `feedback_offered` slot (domain/feedback.yml), which is what "once" reads."""

from __future__ import annotations

import logging
from typing import Any

import redis
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.directory_facts import language
from actions.handoff import offer_handoff
from actions.latest_message import today
from actions.recent_turns import latest_intents
from actions.stores import redis_client
from rasa_project.staff.feedback import FeedbackStore

logger = logging.getLogger(__name__)
FEEDBACK_INTENTS = {"feedback_resolved", "feedback_not_resolved"}
OFFERED_SLOT = "feedback_offered"
BUTTONS = [{"title": "This resolved my question", "payload": "/feedback_resolved"},
           {"title": "This did not resolve it", "payload": "/feedback_not_resolved"}]
TITLES_ES = {"/feedback_resolved": "Esto resolvió mi pregunta",
             "/feedback_not_resolved": "Esto no lo resolvió"}


def resolution_buttons(tracker: Tracker) -> list[dict]:
    """The two buttons, unless inside a form or already offered in this session. The action
    that sends them returns `offered()` with its events."""
    if tracker.active_loop.get("name") or tracker.get_slot(OFFERED_SLOT):
        return []
    if language(tracker) == "es":
        return [{**button, "title": TITLES_ES[button["payload"]]} for button in BUTTONS]
    return [dict(button) for button in BUTTONS]


def offered() -> list[dict[str, Any]]:
    return [SlotSet(OFFERED_SLOT, True)]


def answered_topic(tracker: Tracker) -> str | None:
    """The question the feedback is about: the latest topic before it among the customer's
    latest messages (the buttons ride on the answer, so this is the question they answered,
    unless the customer asked something else before pressing them)."""
    for name in reversed(latest_intents(tracker)):
        if name and name not in FEEDBACK_INTENTS:
            return name
    return None


def store() -> FeedbackStore:
    return FeedbackStore(redis_client())


def count_quietly(kind: str, tracker: Tracker, topic: str | None = None) -> None:
    """Counts for the dashboard; a Redis failure costs the count, never the customer's answer."""
    try:
        store().count(kind, today(tracker), topic, tracker.get_slot("language") or "en")
    except redis.RedisError as error:
        logger.warning("could not count a %s for the dashboard: %s", kind, type(error).__name__)


class ActionRecordFeedback(Action):
    def name(self) -> str:
        return "action_record_feedback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list[Any]:
        resolved = (tracker.latest_message.get("intent") or {}).get("name") == "feedback_resolved"
        store().answer(tracker.sender_id, today(tracker), answered_topic(tracker), resolved,
                       tracker.get_slot("language") or "en")
        if resolved:
            dispatcher.utter_message(response="utter_feedback_thanks")
        else:
            dispatcher.utter_message(response="utter_feedback_sorry")
            offer_handoff(dispatcher, tracker)
        return []
