"""The stored conversation's events, parsed once per process.

`RASA_INCREMENTAL_LOAD`: on unless "0".

Every message makes Rasa read the whole stored conversation back: parse its JSON and build every
event again. At turn 100 of one conversation (about 500 events, 320 kB) that was some 10 ms of
the Rasa server's CPU per message against well under 1 ms at turn 1. The stored text only grows
at its end while a conversation goes on (tracker_store.py writes it so), so the events parsed for
the last message are kept, with a digest of the text they came from; when the new text starts
with that same text, only the events after it are parsed. Anything else (another writer changed
the start, a tracker in another format, a text orjson cannot read) is parsed in full by Rasa.

The tracker is still rebuilt from all the events by Rasa itself (`recreate_from_dialogue`), so it
is exactly what Rasa's store would give; and the events are the same objects from message to
message, which lets the dialogue states carry over (patches/prediction.py).
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from typing import Any, NamedTuple

import orjson
from rasa.shared.core.events import Event, UserUttered, deserialise_events

EVENTS_START = '{"events":['
EVENTS_END = '],"name":'
# Kept per process, least recently read dropped first: as many conversations as fit in this many
# events (tens of MB for typical conversations; a conversation not kept is simply parsed in full).
KEPT_EVENTS = 100_000


class Kept(NamedTuple):
    length: int  # of the text up to the end of the last event
    digest: bytes
    events: list[Event]
    # DefinePrevUserUtteredFeaturization sets this flag on a user message in place (Rasa then
    # sets it again when it rebuilds the tracker); a kept message gets back the value it was read
    # with, as a freshly parsed one would have.
    user_flags: tuple[tuple[UserUttered, bool | None], ...]


def enabled() -> bool:
    return os.environ.get("RASA_INCREMENTAL_LOAD", "1") != "0"


class ParsedEvents:
    def __init__(self, capacity: int = KEPT_EVENTS) -> None:
        self.capacity = capacity  # in events
        self.kept: OrderedDict[str, Kept] = OrderedDict()
        self.kept_events = 0

    def events(self, sender_id: str, stored: str) -> list[Event] | None:
        """The events of the stored text, or None when it is not in the shape written here."""
        end = stored.rfind(EVENTS_END)
        if not stored.startswith(EVENTS_START) or end < 0:
            self._forget(sender_id)
            return None
        kept, hasher = self._continued(sender_id, stored, end)
        start = kept.length if kept else 0
        hasher.update(stored[start:end].encode())
        start = max(start, len(EVENTS_START))
        tail = stored[start:end].lstrip(",")
        try:
            added = deserialise_events(orjson.loads("[" + tail + "]"))
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            self._forget(sender_id)
            return None
        events = (kept.events if kept else []) + added
        flags = (kept.user_flags if kept else ()) + tuple(
            (event, event.use_text_for_featurization) for event in added
            if isinstance(event, UserUttered))
        self._forget(sender_id)
        self.kept[sender_id] = Kept(end, hasher.digest(), events, flags)
        self.kept_events += len(events)
        while self.kept_events > self.capacity:
            self._forget(next(iter(self.kept)))
        return list(events)

    def _forget(self, sender_id: str) -> None:
        kept = self.kept.pop(sender_id, None)
        if kept is not None:
            self.kept_events -= len(kept.events)

    def _continued(self, sender_id: str, stored: str, end: int) -> tuple[Kept | None, Any]:
        """The kept events when the stored text still starts with their text, and a digest of
        the text read so far."""
        hasher = hashlib.blake2b(digest_size=16)
        kept = self.kept.get(sender_id)
        if kept is None or kept.length > end or stored[kept.length] not in ",]":
            return None, hasher
        hasher.update(stored[:kept.length].encode())
        if hasher.digest() != kept.digest:
            return None, hashlib.blake2b(digest_size=16)
        for event, flag in kept.user_flags:
            event.use_text_for_featurization = flag
        return kept, hasher
