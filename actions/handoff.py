"""Offering a person (live agent) and putting the conversation in the agents' queue
(rasa_project/staff/handoff.py); outside staffed hours the customer gets the Contact Center and
a Service Request instead."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.directory_facts import facts, language
from actions.latest_message import now, today
from actions.recent_turns import latest_intents
from actions.stores import redis_client
from rasa_project.staff import staffed_hours
from rasa_project.staff.feedback import FeedbackStore
from rasa_project.staff.handoff import HandoffDesk

HANDOFF_INTENTS = {"request_human", "handoff_accept", "affirm", "deny", "greet", "nlu_fallback",
                   "feedback_resolved", "feedback_not_resolved"}
SUMMARY_TOPICS = 3


def offer_handoff(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Buttons to reach a person in this chat; never in the middle of a form."""
    if tracker.active_loop.get("name"):
        return
    if staffed_hours.staffed(now(tracker)):
        dispatcher.utter_message(response="utter_offer_handoff")
    else:
        utter_closed(dispatcher, tracker)


def handoff_buttons(tracker: Tracker) -> list[dict]:
    """A button to reach an agent in staffed hours, for an answer that stays the last message."""
    if staffed_hours.staffed(now(tracker)):
        title = ("Hablar con un agente de USCIS" if language(tracker) == "es"
                 else "Talk with a USCIS agent")
        return [{"title": title, "payload": "/handoff_accept"}]
    return []


def utter_closed(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    dispatcher.utter_message(response="utter_handoff_closed",
                             staff_hours=staffed_hours.describe(language=language(tracker)),
                             **facts(tracker))


def summary(tracker: Tracker) -> str:
    """What the customer asked about, for the agents' queue: the latest topics (intents) among
    the customer's latest messages (the agent reads the whole conversation in the console)."""
    topics: list[str] = []
    for name in reversed(latest_intents(tracker)):
        if name and name not in HANDOFF_INTENTS and name not in topics:
            topics.append(name)
        if len(topics) == SUMMARY_TOPICS:
            break
    return ", ".join(reversed(topics)) or "asked for a person"


class ActionStartHandoff(Action):
    def name(self) -> str:
        return "action_start_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list[Any]:
        if not staffed_hours.staffed(now(tracker)):
            utter_closed(dispatcher, tracker)
            return []
        language = tracker.get_slot("language") or "en"
        topics = summary(tracker)
        place = HandoffDesk(redis_client()).request(
            tracker.sender_id, topics, language,
            channel=tracker.get_latest_input_channel() or "socketio")  # REST: agent replies wait
        FeedbackStore(redis_client()).count("handoff", today(tracker), topics.split(", ")[-1],
                                            language)  # the dashboard's handoffs per topic
        dispatcher.utter_message(response="utter_handoff_queued", place=max(place, 1))
        return []
