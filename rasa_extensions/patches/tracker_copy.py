"""`DialogueStateTracker.copy` without replaying the conversation (`RASA_COPY_TRACKER_STATE`, on
unless "0").

Rasa 3.6 copies a tracker by building a new one and replaying every event on it
(`travel_back_in_time(inf)`), and copies one before running each action of a turn: at turn 100
of one conversation, some 500 events replayed several times a turn, a cost that grew with the
conversation. A tracker's state is its attributes; here the copy takes them over, with its own
events list, slots, active loop and latest action (what Rasa changes in place), and the parts
`init_copy` leaves unset unset, as Rasa's copy has them. Tested against Rasa's copy on every
step of every story and rule (tests/unit/test_tracker_patches.py). Also used by the tracker store
(rasa_extensions/tracker_store.py) to hand Rasa a copy of the tracker it keeps.
"""

from __future__ import annotations

import copy
import os
from collections import deque

from rasa.shared.constants import DEFAULT_SENDER_ID
from rasa.shared.core.trackers import DialogueStateTracker

RASA_COPY = DialogueStateTracker.copy


def copy_of(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """A tracker with the same state whose own parts (events, slots, loop, latest action) a
    caller may change; events are shared, as in Rasa's copy (it replays the same objects)."""
    copied = copy.copy(tracker)
    copied.events = deque(tracker.events, tracker.events.maxlen)
    copied.slots = copy.copy(tracker.slots)  # AnySlotDict when the domain has no slots
    for name, slot in tracker.slots.items():
        copied.slots[name] = copy.copy(slot)
    copied.active_loop = copy.copy(tracker.active_loop)
    copied.latest_action = copy.copy(tracker.latest_action)
    return copied


def copy_tracker(self: DialogueStateTracker) -> DialogueStateTracker:
    if os.environ.get("RASA_COPY_TRACKER_STATE", "1") == "0" or self._max_event_history:
        # With a capped history Rasa's copy replays only the events kept: its own state.
        return RASA_COPY(self)
    copied = copy_of(self)
    # What `init_copy` does not carry over.
    copied.sender_id = self.sender_id or DEFAULT_SENDER_ID
    copied.sender_source = None
    copied.model_id = None
    copied.assistant_id = None
    return copied
