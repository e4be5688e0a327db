"""Rasa's Redis tracker store, saving in one atomic step without re-reading the conversation.

Rasa 3.6's `RedisTrackerStore.save` reads the stored tracker back, rebuilds every event and
replays the conversation twice (to merge in earlier sessions that `retrieve` left out) before it
writes. In the common case the stored events are simply the start of the tracker being saved, and
then that merge returns the tracker unchanged. Here one Lua script checks that case on the text
inside Redis and writes the new tracker in the same step; only when it does not hold (another
session, a concurrent writer, a tracker written in another format) is the stored copy sent back
and Rasa's merge used.

Redis is called through redis-py's asyncio client (redis_client.py), with the connection
settings Rasa gives its own, or a whole Redis URL as `url` (REDIS_URL: ACL user, password, TLS):
Rasa's synchronous calls held up the whole event loop, every conversation, for each round trip.

Trackers are written with orjson (fast_json.py): the same JSON values as Rasa's (`json.dumps`
of the dialogue), without the spaces, in a sixth of the time; Rasa's reading (here and in its
own store) is unchanged.
Personal data is redacted from what is stored (rasa_project/privacy/redaction.py): the script
checks the stored text against the conversation Rasa holds (whose earlier events Rasa read back,
already redacted) and writes the redacted copy, so redacting earlier events never defeats the
prefix check. `redact_personal_data: false` in endpoints.yml stores the conversation unchanged.
Named in endpoints.yml; keys and expiry are Rasa's own.
"""

from __future__ import annotations

import json

import rasa.shared.core.trackers
from rasa.core.tracker_store import RedisTrackerStore
from rasa.shared.core.conversation import Dialogue
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_extensions import parsed_events
from rasa_extensions.fast_json import to_json
from rasa_extensions.parsed_events import ParsedEvents
from rasa_extensions.redis_client import async_redis, sync_redis
from rasa_project.privacy.redaction import redact_dialogue
from rasa_project.settings import REDIS_DEFAULT_PORT

EVENTS_START = '{"events":['
EVENTS_END = '],"name":'

# KEYS[1]: the tracker's key. ARGV[1]: the new tracker; ARGV[2]: expiry in seconds, or "";
# ARGV[3]: what to write (the new tracker redacted). Writes it and returns nothing when the stored
# events, as text, start the new tracker's text at an event boundary (the parser then reads
# exactly the stored events first); else returns the stored copy.
SAVE_IF_APPENDING = """
local stored = redis.call('GET', KEYS[1])
if stored then
  local events = string.match(stored, '^(.*)%],"name":')
  if not events or string.sub(events, 1, 11) ~= '{"events":[' then return stored end
  if string.sub(ARGV[1], 1, #events) ~= events then return stored end
  local after = string.sub(ARGV[1], #events + 1, #events + 1)
  if #events > 11 and after ~= ',' and after ~= ']' then return stored end
end
if ARGV[2] == '' then
  redis.call('SET', KEYS[1], ARGV[3])
else
  redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[2])
end
return false
"""


def stored_events_are_a_prefix(stored: str | bytes, serialised: str) -> bool:
    """True when every stored event is, in order, the start of the events being saved (read as
    JSON: for a stored copy in another format, e.g. written by Rasa's own store)."""
    earlier = json.loads(stored).get("events") or []
    current = json.loads(serialised).get("events") or []
    return len(earlier) <= len(current) and current[:len(earlier)] == earlier


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
        self._save_if_appending = self.calls.register_script(SAVE_IF_APPENDING)
        self.parsed_events = ParsedEvents()

    @staticmethod
    def serialise_tracker(tracker: DialogueStateTracker) -> str:
        return to_json(tracker.as_dialogue().as_dict())

    def stored_form(self, tracker: DialogueStateTracker) -> tuple[str, str]:
        """(the tracker as JSON, what to store: the same, redacted)."""
        dialogue = tracker.as_dialogue().as_dict()
        serialised = to_json(dialogue)
        if not self.redact_personal_data:
            return serialised, serialised
        redacted = redact_dialogue(dialogue)
        return serialised, serialised if redacted is dialogue else to_json(redacted)

    async def save(self, tracker: DialogueStateTracker, timeout: float | None = None) -> None:
        await self.stream_events(tracker)
        key = self.key_prefix + tracker.sender_id
        expiry = timeout or self.record_exp
        serialised, to_store = self.stored_form(tracker)
        stored = await self._save_if_appending(keys=[key],
                                               args=[serialised, expiry or "", to_store])
        if stored is None:
            return
        if not stored_events_are_a_prefix(stored, serialised):
            prior = self.deserialise_tracker(tracker.sender_id, stored)
            _, to_store = self.stored_form(self._merge_trackers(prior, tracker))
        await self.calls.set(key, to_store, ex=expiry)

    async def _retrieve(self, sender_id: str,
                        fetch_all_sessions: bool) -> DialogueStateTracker | None:
        """Rasa's, with the asyncio client, parsing only the events added since the last read."""
        stored = await self.calls.get(self.key_prefix + sender_id)
        if stored is None:
            return None
        events = self.parsed_events.events(sender_id, stored) if parsed_events.enabled() else None
        if events is None:
            tracker = self.deserialise_tracker(sender_id, stored)
        else:  # what deserialise_tracker does with the parsed events
            tracker = self.init_tracker(sender_id)
            tracker.recreate_from_dialogue(Dialogue(sender_id, events))
        if fetch_all_sessions:
            return tracker
        sessions = rasa.shared.core.trackers.get_trackers_for_conversation_sessions(tracker)
        return tracker if len(sessions) <= 1 else sessions[-1]

    async def keys(self) -> list[str]:
        return await self.calls.keys(self.key_prefix + "*")
