"""Rasa's Redis tracker store, without re-reading the whole conversation on every save.

Rasa 3.6's `RedisTrackerStore.save` reads the stored tracker back, rebuilds every event and
replays the conversation twice (to merge in earlier sessions that `retrieve` left out) before it
writes. In the common case the stored events are simply the start of the tracker being saved, and
then that merge returns the tracker unchanged. This store checks that case on the JSON alone and
only falls back to Rasa's merge when it does not hold (another session, a concurrent writer);
usually the check is a comparison of the two texts, without parsing either.
Named in endpoints.yml; keys, expiry and the stored format are Rasa's own.
"""

from __future__ import annotations

import json
from typing import Optional

from rasa.core.tracker_store import RedisTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker


EVENTS_START = '{"events": ['
EVENTS_END = '], "name": '


def stored_text_starts_the_new_text(stored: str, serialised: str) -> bool:
    """The quick case: both texts come from `json.dumps` of Rasa's {"events": [...], "name": ...},
    and the stored events, as text, start the new text and end where a new event (or the list)
    would. The parser then reads exactly the stored events first."""
    events_text, separator, _ = stored.rpartition(EVENTS_END)
    if not separator or not events_text.startswith(EVENTS_START):
        return False
    if not serialised.startswith(events_text):
        return False
    return events_text == EVENTS_START or serialised[len(events_text)] in ",]"


def stored_events_are_a_prefix(stored: str | bytes, serialised: str) -> bool:
    """True when every stored event is, in order, the start of the events being saved."""
    stored_text = stored.decode() if isinstance(stored, bytes) else stored
    if stored_text_starts_the_new_text(stored_text, serialised):
        return True
    earlier = json.loads(stored_text).get("events") or []
    # Compared as JSON read back, not as the tracker's dicts: tuples, keys and numbers must
    # look exactly as they do in the stored copy.
    current = json.loads(serialised).get("events") or []
    return len(earlier) <= len(current) and current[:len(earlier)] == earlier


class AppendingRedisTrackerStore(RedisTrackerStore):
    async def save(self, tracker: DialogueStateTracker, timeout: Optional[float] = None) -> None:
        await self.stream_events(tracker)
        key = self.key_prefix + tracker.sender_id
        serialised = self.serialise_tracker(tracker)
        stored = self.red.get(key)
        if stored is not None and not stored_events_are_a_prefix(stored, serialised):
            prior = self.deserialise_tracker(tracker.sender_id, stored)
            serialised = self.serialise_tracker(self._merge_trackers(prior, tracker))
        self.red.set(key, serialised, ex=timeout or self.record_exp)
