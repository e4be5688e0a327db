"""`DialogueStateTracker.applied_events` carried over from call to call (`RASA_INCREMENTAL_STATES`,
on unless "0", with the dialogue states of prediction.py).

Rasa 3.6 works out which events still apply (not undone by a restart, a revert or a form's
re-run) by walking every event of the conversation, copying the list on each undo, several times a
turn: at turn 100 of one conversation a cost that grew with it. The walk only ever looks at the
events so far, except for one thing it reads from all of them: the names of the forms activated
(`ActiveLoop`). So the result for a conversation is kept with the events it came from, and when
the next call's events begin with exactly those event objects (the same tracker grown, a copy, the
next turn's tracker: they share the events) and activate no new form, only the new events are
walked, by Rasa's own rules. Anything else is Rasa's walk. Tested against Rasa's on every step of
every story and rule (tests/unit/test_tracker_patches.py).
"""

from __future__ import annotations

import operator
import os
from collections import OrderedDict
from itertools import islice
from typing import NamedTuple

from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

RASA_APPLIED_EVENTS = DialogueStateTracker.applied_events
KEPT_CONVERSATIONS = 256


class Walked(NamedTuple):
    events: list[Event]  # the events walked, in order
    loop_names: frozenset
    applied: list[Event]


_walked: OrderedDict[str, Walked] = OrderedDict()


def enabled() -> bool:
    return os.environ.get("RASA_INCREMENTAL_STATES", "1") != "0"


def loop_names(events) -> frozenset:
    return frozenset(event.name for event in events if isinstance(event, ActiveLoop) and event.name)


def walk(tracker: DialogueStateTracker, new: list[Event], names: frozenset,
         applied: list[Event]) -> None:
    """Rasa's `applied_events` loop over `new`, continuing `applied` (changed in place)."""
    for event in new:
        if isinstance(event, (Restarted, SessionStarted)):
            applied.clear()
        elif isinstance(event, ActionReverted):
            tracker._undo_till_previous(ActionExecuted, applied)
        elif isinstance(event, UserUtteranceReverted):
            tracker._undo_till_previous(UserUttered, applied)
            tracker._undo_till_previous(ActionExecuted, applied)
        elif (isinstance(event, ActionExecuted) and event.action_name in names
              and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)):
            tracker._undo_till_previous_loop_execution(event.action_name, applied)
        else:
            applied.append(event)


def applied_events(self: DialogueStateTracker) -> list[Event]:
    if not enabled():
        return RASA_APPLIED_EVENTS(self)
    events = self.events
    kept = _walked.get(self.sender_id)
    if kept is not None:
        shared = min(len(kept.events), len(events))
        if not all(map(operator.is_, islice(events, shared), islice(kept.events, shared))):
            kept = None  # another conversation, or an edited one
        elif len(kept.events) > len(events):  # an earlier point of the same conversation
            return RASA_APPLIED_EVENTS(self)
    new = list(islice(events, len(kept.events), None)) if kept is not None else list(events)
    names = loop_names(new)
    if kept is None or not names <= kept.loop_names:
        walked = Walked(list(events), loop_names(events), RASA_APPLIED_EVENTS(self))
    else:
        applied = list(kept.applied)
        walk(self, new, kept.loop_names, applied)
        walked = Walked(kept.events + new, kept.loop_names, applied)
    _walked[self.sender_id] = walked
    _walked.move_to_end(self.sender_id)
    while len(_walked) > KEPT_CONVERSATIONS:
        _walked.popitem(last=False)
    return list(walked.applied)


def forget() -> None:
    _walked.clear()
