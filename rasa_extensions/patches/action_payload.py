"""What the action server is sent: Rasa's payload with the conversation's latest turns as its
events (`ACTION_SERVER_EVENTS=window`, the default), or with every event as Rasa sends them
(`all`).

Rasa sends every event of the conversation on each custom-action call (Rasa writes, the action
server parses): measured on the test stack, 45 kB of JSON at turn 10 of one conversation, 420 kB
(515 events) at turn 100, the largest cost that still grew with the conversation once the stored
events were read incrementally; the window is 27 kB (32 events) at both (docs/flat-cost.md).

The window (rasa_project/conversation_window.py) is the events from the `action_listen` before the
customer's CUSTOMER_MESSAGES-th latest message to the end, at most MAX_EVENTS of them (the
latest): bounded by a constant, never by the conversation's length. Form validators get the same
window: the one fact a validator needed from earlier turns (the reschedule form's verified code)
is kept in a slot.

The actions read the history only through actions/recent_turns.py, which holds itself to the
window whatever it is sent, so they answer alike with either setting (a unit test keeps every
other history read out of actions/). Everything else in the payload (slots, latest message,
active loop, followup action, domain) is Rasa's, unchanged.
"""

from __future__ import annotations

import os
from typing import Any

from rasa.core.actions.action import RemoteAction
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from rasa_project.conversation_window import CUSTOMER_MESSAGES, MAX_EVENTS

RASA_ACTION_CALL_FORMAT = RemoteAction._action_call_format
DEFAULT_EVENTS = "window"
WHOLE_CONVERSATION = "all"  # any other value is the window


def whole_conversation() -> bool:
    return os.environ.get("ACTION_SERVER_EVENTS", DEFAULT_EVENTS).strip() == WHOLE_CONVERSATION


def latest_turns(tracker: DialogueStateTracker) -> list[Event]:
    """The events from the action_listen before the CUSTOMER_MESSAGES-th latest customer message
    to the end (all of them in a shorter conversation), at most MAX_EVENTS: the latest. Walks
    back from the end, so the cost does not depend on the conversation's length."""
    latest: list[Event] = []
    messages = 0
    for event in reversed(tracker.events):
        if len(latest) == MAX_EVENTS:
            break
        latest.append(event)
        if isinstance(event, UserUttered):
            messages += 1
        elif (messages == CUSTOMER_MESSAGES and isinstance(event, ActionExecuted)
              and event.action_name == ACTION_LISTEN_NAME):
            break
    latest.reverse()
    return latest


def action_call_format(self: RemoteAction, tracker: DialogueStateTracker, domain) -> dict[str, Any]:
    if whole_conversation():
        return RASA_ACTION_CALL_FORMAT(self, tracker, domain)
    result = RASA_ACTION_CALL_FORMAT(self, _WithoutEvents(tracker), domain)
    result["tracker"]["events"] = [event.as_dict() for event in latest_turns(tracker)]
    return result


class _WithoutEvents:
    """The tracker, whose `current_state` leaves the events out (they are added after)."""

    def __init__(self, tracker: DialogueStateTracker) -> None:
        self._tracker = tracker

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tracker, name)

    def current_state(self, event_verbosity: EventVerbosity = EventVerbosity.NONE) -> dict:
        return self._tracker.current_state(EventVerbosity.NONE)
