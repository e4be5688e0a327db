"""What the action server is sent: the current turn's events, not the whole conversation
(`ACTION_SERVER_EVENTS=turn`), or the whole conversation as Rasa sends it (`all`, the default:
the fallback, handoff and feedback actions merged from issue 13 onwards read earlier turns). Form
validators (`validate_*`) still get the whole conversation: they may compare an answer with earlier
turns (the reschedule form keeps the code verified in an earlier turn).

Rasa sends every event of the conversation on each custom-action call (Rasa writes, the action
server parses): at turn 100 of one conversation some 300 kB of JSON per call, the largest cost
that still grew with the conversation once the stored events were read incrementally. Our
other actions read only the latest message, the slots and the active form; a unit test keeps
event history out of every class but the form validators. Everything else in the payload is
Rasa's, unchanged.
"""

from __future__ import annotations

import os
from typing import Any

from rasa.core.actions.action import RemoteAction
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

RASA_ACTION_CALL_FORMAT = RemoteAction._action_call_format
DEFAULT_EVENTS = "all"  # `turn` only once no action but the form validators reads earlier turns
VALIDATOR_PREFIX = "validate_"  # Rasa's own name for a form's validation action


def whole_conversation() -> bool:
    return os.environ.get("ACTION_SERVER_EVENTS", DEFAULT_EVENTS) == "all"


def current_turn(tracker: DialogueStateTracker) -> list:
    """The events from the action_listen before the latest user message to the end (or all the
    events, if there is no such point)."""
    events = tracker.events
    seen_user = False
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if isinstance(event, UserUttered):
            seen_user = True
        elif (
            seen_user
            and isinstance(event, ActionExecuted)
            and event.action_name == ACTION_LISTEN_NAME
        ):
            return [events[i] for i in range(index, len(events))]
    return list(events)


def action_call_format(self: RemoteAction, tracker: DialogueStateTracker, domain) -> dict[str, Any]:
    if whole_conversation() or self.name().startswith(VALIDATOR_PREFIX):
        return RASA_ACTION_CALL_FORMAT(self, tracker, domain)
    result = RASA_ACTION_CALL_FORMAT(self, _WithoutEvents(tracker), domain)
    result["tracker"]["events"] = [event.as_dict() for event in current_turn(tracker)]
    return result


class _WithoutEvents:
    """The tracker, whose `current_state` leaves the events out (they are added after)."""

    def __init__(self, tracker: DialogueStateTracker) -> None:
        self._tracker = tracker

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tracker, name)

    def current_state(self, event_verbosity: EventVerbosity = EventVerbosity.NONE) -> dict:
        return self._tracker.current_state(EventVerbosity.NONE)

