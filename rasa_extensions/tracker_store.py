"""Rasa's Redis tracker store at a cost per turn that does not grow with the conversation.

Rasa 3.6's `RedisTrackerStore` reads the whole conversation back, parses it and replays every
event for each message, then on saving reads it again, merges (comparing every event with every
other when the first session begins with Rasa's `session_started_metadata` slot, as ours do)
and writes the whole text again. At turn 100 that was most of a turn.

Here a conversation is a Redis list (rasa_project/conversation_record.py): a small header, then
one JSON text per event.
- A save appends the new events (RPUSH) and rewrites only the earlier events redaction changes
  (LSET), in one Lua script that first checks the header is the one this replica read: the lock
  store serialises one conversation's messages, so anything else is a concurrent writer, and then
  the stored conversation is read in full and merged as Rasa merges.
- Each replica keeps the conversations it served last (`RASA_INCREMENTAL_LOAD`, on unless "0"):
  their events and the tracker replayed from them. A read asks for the header and the events
  after the ones kept; when another replica wrote in between, only what it added or rewrote is
  read. The tracker handed to Rasa is a copy of the kept one, equal to what Rasa's own store
  rebuilds from the same events (tests/integration/test_tracker_store.py).
- The events kept are the objects Rasa handed to `save` (or parsed from what another replica
  stored), so the dialogue states carry over from turn to turn (patches/prediction.py).

Redis is called through redis-py's asyncio client (redis_client.py), with the connection
settings Rasa gives its own, or a whole Redis URL as `url` (REDIS_URL: ACL user, password, TLS).
Events are written with orjson (fast_json.py). Personal data is redacted from what is stored
(rasa_project/privacy/redaction.py, one save at a time: `Redactor`); `redact_personal_data:
false` in endpoints.yml stores the conversation unchanged. Expiry is Rasa's: every save sets the
record's expiry again (`record_exp`), or none. A key holding a string (Rasa's own store, an older
version of this one) is read as such and stored as a list at its next save.
"""

from __future__ import annotations

import copy
import operator
import os
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import orjson
import rasa.shared.core.trackers
from rasa.core.tracker_store import RedisTrackerStore
from rasa.shared.core.conversation import Dialogue
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_extensions.fast_json import to_json
from rasa_extensions.patches.tracker_copy import copy_of
from rasa_extensions.redis_client import async_redis, sync_redis
from rasa_project.conversation_record import FIRST_EVENT_INDEX, FORMAT
from rasa_project.privacy.redaction import REDACTED, Redactor
from rasa_project.settings import REDIS_DEFAULT_PORT

SESSION_START = "action_session_start"
# Kept per replica, least recently used dropped first: as many conversations as fit in this many
# events (a conversation not kept is read in full, as Rasa reads it).
KEPT_EVENTS = 100_000

# KEYS[1]: the conversation. ARGV[1]: the number of events this replica holds.
# Returns {type, header, events after those held} (a string key: {"string", the text}).
READ = """
local kind = redis.call('TYPE', KEYS[1]).ok
if kind == 'string' then return {'string', redis.call('GET', KEYS[1])} end
if kind ~= 'list' then return false end
local from = tonumber(ARGV[1]) + 1
return {'list', redis.call('LINDEX', KEYS[1], 0), redis.call('LRANGE', KEYS[1], from, -1)}
"""

# KEYS[1]: the conversation. ARGV: the header the writer read ('' for none), the new header,
# expiry in seconds or '', the number of rewrites n, then n pairs (index, event), then the events
# to append. Writes nothing and returns the stored header (or false) when another writer came
# first.
APPEND = """
local kind = redis.call('TYPE', KEYS[1]).ok
local stored = false
if kind == 'list' then stored = redis.call('LINDEX', KEYS[1], 0)
elseif kind ~= 'none' then return {'conflict', kind} end
if (stored or '') ~= ARGV[1] then return {'conflict', stored or ''} end
if stored then redis.call('LSET', KEYS[1], 0, ARGV[2])
else redis.call('RPUSH', KEYS[1], ARGV[2]) end
local rewrites = tonumber(ARGV[4])
for i = 0, rewrites - 1 do
  redis.call('LSET', KEYS[1], ARGV[5 + 2 * i], ARGV[6 + 2 * i])
end
local first = 5 + 2 * rewrites
for i = first, #ARGV, 1000 do
  redis.call('RPUSH', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
if ARGV[3] == '' then redis.call('PERSIST', KEYS[1]) else redis.call('EXPIRE', KEYS[1], ARGV[3]) end
return {'ok'}
"""

# KEYS[1]: the conversation. ARGV: expiry or '', the header, then every event.
REPLACE = """
redis.call('DEL', KEYS[1])
for i = 2, #ARGV, 1000 do
  redis.call('RPUSH', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
if ARGV[1] ~= '' then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return {'ok'}
"""


def incremental_load_enabled() -> bool:
    return os.environ.get("RASA_INCREMENTAL_LOAD", "1") != "0"


def last_session_start(events: list[Event]) -> int:
    """Where Rasa's `get_trackers_for_conversation_sessions` begins the last session."""
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if isinstance(event, ActionExecuted) and event.action_name == SESSION_START:
            return index
    return 0


def last_session(tracker: DialogueStateTracker) -> DialogueStateTracker:
    return rasa.shared.core.trackers.get_trackers_for_conversation_sessions(tracker)[-1]


@dataclass
class Kept:
    """A conversation as this replica last stored or read it."""
    header: str
    version: int
    events: list[Event]  # all sessions, equal to what is stored
    redactor: Redactor
    session_start: int  # index of the last session's first event
    tracker: DialogueStateTracker  # Rasa's tracker of the last session, never handed out
    # The events of the tracker last handed out or saved, which are the stored ones from
    # index `handed_from` on.
    handed_out: list = field(default_factory=list)
    handed_from: int = 0


class AppendingRedisTrackerStore(RedisTrackerStore):
    def __init__(self, domain: Domain, host: str = "localhost", port: int = REDIS_DEFAULT_PORT,
                 db: int = 0,
                 username: str | None = None, password: str | None = None,
                 use_ssl: bool = False, ssl_keyfile: str | None = None,
                 ssl_certfile: str | None = None, ssl_ca_certs: str | None = None,
                 redact_personal_data: bool = True, **kwargs) -> None:
        connection = dict(host=host, port=port, db=db, username=username, password=password)
        tls = dict(use_ssl=use_ssl, ssl_keyfile=ssl_keyfile, ssl_certfile=ssl_certfile,
                   ssl_ca_certs=ssl_ca_certs)
        super().__init__(domain, **connection, **tls, **kwargs)
        self.redact_personal_data = redact_personal_data
        # Rasa's constructor also builds a synchronous client (self.red, connecting only when
        # used); every Redis call of this store goes through this asyncio one instead.
        self.calls = async_redis(**connection, **tls, decode_responses=True)
        self.red = sync_redis(**connection, **tls)  # Rasa's own takes no URL
        self._read = self.calls.register_script(READ)
        self._append = self.calls.register_script(APPEND)
        self._replace = self.calls.register_script(REPLACE)
        self.kept: OrderedDict[str, Kept] = OrderedDict()
        self.kept_events = 0
        self.capacity = KEPT_EVENTS

    # -- reading ---------------------------------------------------------------------------------
    async def _retrieve(self, sender_id: str,
                        fetch_all_sessions: bool) -> DialogueStateTracker | None:
        kept = await self._up_to_date(sender_id)
        if kept is None:
            return None
        if fetch_all_sessions and kept.session_start > 0:
            return self._tracker_of(sender_id, kept.events)
        tracker = copy_of(kept.tracker)
        kept.handed_out, kept.handed_from = list(tracker.events), kept.session_start
        return tracker

    async def _up_to_date(self, sender_id: str) -> Kept | None:
        """The kept conversation, brought up to what is stored."""
        kept = self.kept.get(sender_id) if incremental_load_enabled() else None
        key = self.key_prefix + sender_id
        found = await self._read(keys=[key], args=[len(kept.events) if kept else 0])
        if not found:
            self._forget(sender_id)
            return None
        if found[0] == "string":  # Rasa's own format
            dialogue = orjson.loads(found[1])
            return self._keep(sender_id, "", 0, deserialise_events(dialogue.get("events") or []))
        header_text, texts = found[1], found[2]
        if kept is not None and header_text == kept.header:
            self.kept.move_to_end(sender_id)
            return kept
        header = orjson.loads(header_text)
        if (kept is None or header.get("epoch") != kept_epoch(kept)
                or header["count"] != len(kept.events) + len(texts)):
            if kept is not None:  # rewritten as a whole (a merge): read it all
                texts = await self.calls.lrange(key, FIRST_EVENT_INDEX, -1)
            return self._keep(sender_id, header_text, header["version"],
                              deserialise_events([orjson.loads(text) for text in texts]))
        # Another replica appended, and perhaps redacted some events this one holds.
        rewritten = sorted(int(index) for index, version in header.get("rewritten", {}).items()
                           if version > kept.version and int(index) < len(kept.events))
        if rewritten:
            async with self.calls.pipeline(transaction=False) as pipe:
                for index in rewritten:
                    pipe.lindex(key, index + FIRST_EVENT_INDEX)
                for index, text in zip(rewritten, await pipe.execute(), strict=True):
                    self._replace_event(kept, index, Event.from_parameters(orjson.loads(text)))
        added = deserialise_events([orjson.loads(text) for text in texts])
        kept.redactor.add([event.as_dict() for event in added])
        if self.kept.get(sender_id) is kept:  # not dropped while Redis answered
            self.kept.move_to_end(sender_id)
        self._extend(kept, added)
        kept.header, kept.version = header_text, header["version"]
        return kept

    def _tracker_of(self, sender_id: str, events: list[Event]) -> DialogueStateTracker:
        """What Rasa's store rebuilds from these events (all sessions)."""
        tracker = self.init_tracker(sender_id)
        tracker.recreate_from_dialogue(Dialogue(sender_id, list(events)))
        return tracker

    def _keep(self, sender_id: str, header: str, version: int, events: list[Event]) -> Kept:
        """Keeps a conversation read or written in full; its last session as Rasa reads it."""
        self._forget(sender_id)
        full = self._tracker_of(sender_id, events)
        start = last_session_start(events)
        tracker = last_session(full) if start > 0 else full
        redactor = Redactor()
        redactor.add([event.as_dict() for event in events])
        kept = Kept(header, version, list(events), redactor, start, tracker)
        if incremental_load_enabled():
            self.kept[sender_id] = kept
            self.kept_events += len(events)
            self._within_budget()
        return kept

    def _within_budget(self) -> None:
        """Drops the least recently used conversations (never the one just used, the last)."""
        while self.kept_events > self.capacity and len(self.kept) > 1:
            self._forget(next(iter(self.kept)))

    def _extend(self, kept: Kept, added: list[Event]) -> None:
        """Adds events to a kept conversation, replaying them as Rasa's `update` does."""
        if not added:
            return
        start = last_session_start(added)
        first = added[0]
        if start > 0 or isinstance(first, ActionExecuted) and first.action_name == SESSION_START:
            # A new session: Rasa reads it from its start (once per session).
            sender_id = kept.tracker.sender_id
            events = kept.events + added
            full = self._tracker_of(sender_id, events)
            kept.session_start = len(kept.events) + start
            kept.tracker = last_session(full)
        else:
            for event in added:
                kept.tracker.update(event)
        kept.events.extend(added)
        if self.kept.get(kept.tracker.sender_id) is kept:
            self.kept_events += len(added)
            self._within_budget()

    def _replace_event(self, kept: Kept, index: int, event: Event) -> None:
        """A stored event rewritten (redacted); the state does not change (redaction.py)."""
        kept.events[index] = event
        if index >= kept.session_start:
            kept.tracker.events[index - kept.session_start] = event

    def _forget(self, sender_id: str) -> None:
        kept = self.kept.pop(sender_id, None)
        if kept is not None:
            self.kept_events -= len(kept.events)

    async def keys(self) -> list[str]:
        return await self.calls.keys(self.key_prefix + "*")

    # -- saving ----------------------------------------------------------------------------------
    async def save(self, tracker: DialogueStateTracker, timeout: float | None = None) -> None:
        await self.stream_events(tracker)
        sender_id = tracker.sender_id
        expiry = timeout or self.record_exp
        kept = self.kept.get(sender_id) if incremental_load_enabled() else None
        added = self._added_to(kept, tracker) if kept is not None else None
        if added is None:  # not a tracker this replica handed out: compare with what is stored
            kept = await self._up_to_date(sender_id)
            added = (self._added_by_value(kept, tracker) if kept is not None
                     else list(tracker.events))
            if added is None:
                await self._save_merged(tracker, kept, expiry)
                return
        if kept is None:
            kept = Kept("", 0, [], Redactor(), 0, self.init_tracker(sender_id))
        dictionaries = [event.as_dict() for event in added]
        redactor = copy.deepcopy(kept.redactor)
        stored, superseded = (redactor.add(dictionaries) if self.redact_personal_data
                              else (dictionaries, []))
        rewrites = {index: {**kept.events[index].as_dict(), "value": REDACTED}
                    for index in superseded}
        header = self._next_header(kept, len(kept.events) + len(added), rewrites)
        arguments = [kept.header, header, expiry or "", len(rewrites)]
        for index, dictionary in rewrites.items():
            arguments += [index + FIRST_EVENT_INDEX, to_json(dictionary)]
        arguments += [to_json(dictionary) for dictionary in stored]
        result = await self._append(keys=[self.key_prefix + sender_id], args=arguments)
        if result[0] != "ok":  # another writer came first: merge with what it stored
            await self._save_merged(tracker, await self._up_to_date(sender_id), expiry)
            return
        if not incremental_load_enabled():
            return
        if not kept.header:
            kept = self._keep(sender_id, header, 0, [])
        elif self.kept.get(sender_id) is not kept:  # dropped meanwhile: read in full next time
            return
        # What is stored is kept: Rasa's events, or their redacted copies where those differ.
        added = [event if form is dictionary else Event.from_parameters(form)
                 for event, dictionary, form in zip(added, dictionaries, stored, strict=True)]
        for index, dictionary in rewrites.items():
            self._replace_event(kept, index, Event.from_parameters(dictionary))
        kept.redactor = redactor
        self.kept.move_to_end(sender_id)
        self._extend(kept, added)
        kept.header, kept.version = header, orjson.loads(header)["version"]
        kept.handed_out = list(tracker.events)
        kept.handed_from = len(kept.events) - len(kept.handed_out)

    @staticmethod
    def _added_to(kept: Kept, tracker: DialogueStateTracker) -> list[Event] | None:
        """The events of a tracker handed out by `retrieve` that are not stored yet (None when
        the tracker does not continue the kept conversation, event for event)."""
        held = kept.handed_out
        if not held or len(tracker.events) < len(held) or (
                kept.handed_from + len(held) != len(kept.events)):
            return None
        if not all(map(operator.is_, islice(tracker.events, len(held)), held)):
            return None
        return list(islice(tracker.events, len(held), None))

    @staticmethod
    def _added_by_value(kept: Kept, tracker: DialogueStateTracker) -> list[Event] | None:
        """The events after the stored ones, when the tracker continues what is stored (all of
        it, or its last session), compared as JSON values."""
        stored = [event.as_dict() for event in kept.events]
        current = [event.as_dict() for event in tracker.events]
        for start in (0, kept.session_start):
            part = stored[start:]
            if len(part) <= len(current) and current[:len(part)] == part:
                return list(islice(tracker.events, len(part), None))
        return None

    async def _save_merged(self, tracker: DialogueStateTracker, kept: Kept | None,
                           expiry) -> None:
        """The stored conversation with this one's new events, or Rasa's merge of the two when
        this one does not continue it, written as a whole."""
        events = list(tracker.events)
        if kept is not None:
            added = self._added_by_value(kept, tracker)
            if added is not None:
                events = kept.events + added
            else:
                prior = self._tracker_of(tracker.sender_id, kept.events)
                events = list(self._merge_trackers(prior, tracker).events)
        dictionaries = [event.as_dict() for event in events]
        redactor = Redactor()
        stored = redactor.add(dictionaries)[0] if self.redact_personal_data else dictionaries
        version = (kept.version if kept else 0) + 1
        header = to_json({"format": FORMAT, "name": tracker.sender_id, "count": len(stored),
                          "version": version, "epoch": uuid.uuid4().hex, "rewritten": {}})
        await self._replace(keys=[self.key_prefix + tracker.sender_id],
                            args=[expiry or "", header, *map(to_json, stored)])
        self._forget(tracker.sender_id)  # read back in full by the next message

    @staticmethod
    def _next_header(kept: Kept, count: int, rewrites: dict) -> str:
        previous = orjson.loads(kept.header) if kept.header else {}
        version = kept.version + 1
        rewritten = {**previous.get("rewritten", {}), **{str(index): version for index in rewrites}}
        return to_json({"format": FORMAT, "name": kept.tracker.sender_id, "count": count,
                        "version": version, "epoch": previous.get("epoch") or uuid.uuid4().hex,
                        "rewritten": rewritten})


def kept_epoch(kept: Kept) -> Any:
    return orjson.loads(kept.header).get("epoch") if kept.header else None
