"""The one place actions read the conversation's history: the customer's latest messages.

The action server is sent only the latest turns (rasa_project/conversation_window.py): the
events from the action_listen before the customer's CUSTOMER_MESSAGES-th latest message. Every
function here looks at no more than those messages even when Rasa sends the whole conversation
(`ACTION_SERVER_EVENTS=all`, or the patches off), so an action answers the same either way. A
fact about the whole conversation belongs in a slot, not here (tests/unit/test_action_payload.py
keeps every other history read out of actions/).
"""

from __future__ import annotations

from rasa_sdk import Tracker

from rasa_project.conversation_window import CUSTOMER_MESSAGES


def latest_intents(tracker: Tracker) -> list[str | None]:
    """The intents of the customer's latest messages (at most CUSTOMER_MESSAGES), oldest first;
    the last is the message being answered."""
    intents: list[str | None] = []
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intents.append(((event.get("parse_data") or {}).get("intent") or {}).get("name"))
        if len(intents) == CUSTOMER_MESSAGES:
            break
    intents.reverse()
    return intents
