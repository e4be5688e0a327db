"""Failed identity checks, counted in Redis per reference, per conversation and per client address;
too many in one of them pause checks for a while.

Per reference alone, anyone could walk the references from one conversation, or from many
conversations; per conversation and per client address, one requester gets a small budget whatever
references it tries. The client address arrives already as a keyed hash (rasa_extensions/web.py),
the conversation id is hashed here: neither is stored as given.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

import redis

from rasa_project.identity import hash_identity

MAX_FAILED_CHECKS = 5  # per reference, per conversation
MAX_FAILED_CHECKS_PER_CLIENT = 20  # per client address: customers behind one NAT share it
LOCK_SECONDS = 15 * 60
PREFIX = "uscis:lockout:"
CLIENT_TAG = re.compile(r"^[0-9a-f]{16,64}$")


@dataclass(frozen=True)
class Requester:
    """Who is asking: the conversation and the client address tag from the channel (either may be
    empty, e.g. in the staff tool or a unit test)."""

    conversation: str = ""
    client: str = ""

    def counters(self) -> list[tuple[str, int]]:
        found = []
        if self.conversation:
            digest = hashlib.sha256(self.conversation.encode()).hexdigest()[:32]
            found.append((f"{PREFIX}conversation:{digest}", MAX_FAILED_CHECKS))
        if isinstance(self.client, str) and CLIENT_TAG.match(self.client):
            found.append((f"{PREFIX}client:{self.client}", MAX_FAILED_CHECKS_PER_CLIENT))
        return found


def counters(reference_key: str, requester: Requester | None) -> list[tuple[str, int]]:
    return [(reference_key, MAX_FAILED_CHECKS), *(requester or Requester()).counters()]


def is_locked(client: redis.Redis, keys: list[tuple[str, int]]) -> bool:
    counts = client.mget([key for key, _ in keys])
    return any(int(count or 0) >= limit for count, (_, limit) in zip(counts, keys))


def record_failure(client: redis.Redis, keys: list[tuple[str, int]]) -> bool:
    """Counts one failure on every counter; True when any of them is now locked."""
    with client.pipeline(transaction=True) as pipe:
        for key, _ in keys:
            pipe.incr(key)
            pipe.expire(key, LOCK_SECONDS)
        results = pipe.execute()
    return any(count >= limit for count, (_, limit) in zip(results[::2], keys))


def clear(client: redis.Redis, reference_key: str) -> None:
    """After a success only the reference's own counter restarts: a requester's budget does not
    come back by opening a record of its own."""
    client.delete(reference_key)


@lru_cache(maxsize=1)
def decoy_hash() -> str:
    """A stored-hash stand-in for a reference that does not exist, so that checking it costs the
    same hash as checking a wrong answer for one that does."""
    return hash_identity("no such record")
