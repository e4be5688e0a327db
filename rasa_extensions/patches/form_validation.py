"""The tracker a form hands its validation action, made by copying the conversation instead of
replaying it (with `RASA_COPY_TRACKER_STATE`, on unless "0"; tracker_copy.py).

On every form turn Rasa 3.6 builds a temporary tracker for the form's `validate_<form>` action
from every event since the latest restart, plus the requested slot, the form's own execution
and the slots just extracted (`FormAction._temporary_tracker`): at turn 100 of one conversation
some 500 events replayed for each validation, a cost that grew with the conversation. When there
was no restart, those events are all the tracker's, so the same tracker is the conversation's
copy (which takes the state over) with the new events added by the same `update` Rasa's replay
uses. After a restart it is Rasa's own (the events before it are not the temporary tracker's).
Tested against Rasa's on every form step of every story and rule
(tests/unit/test_tracker_patches.py).
"""

from __future__ import annotations

import os

from rasa.core.actions.forms import FormAction
from rasa.shared.core.constants import REQUESTED_SLOT
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, Restarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

RASA_TEMPORARY_TRACKER = FormAction._temporary_tracker


def temporary_tracker(self: FormAction, current_tracker: DialogueStateTracker,
                      additional_events: list[Event], domain: Domain) -> DialogueStateTracker:
    if (os.environ.get("RASA_COPY_TRACKER_STATE", "1") == "0"
            or current_tracker._max_event_history
            or any(isinstance(event, Restarted) for event in current_tracker.events)):
        return RASA_TEMPORARY_TRACKER(self, current_tracker, additional_events, domain)
    temporary = current_tracker.copy()
    for event in [SlotSet(REQUESTED_SLOT, self.get_slot_to_fill(current_tracker)),
                  ActionExecuted(self.name()), *additional_events]:
        temporary.update(event)
    return temporary
