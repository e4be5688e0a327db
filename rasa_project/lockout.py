"""Failed identity checks, counted in Redis per reference, per conversation and per client address;
too many in one of them pause checks for a while.

Per reference alone, anyone could walk the references from one conversation, or from many
conversations; per conversation and per client address, one requester gets a small budget whatever
references it tries. The client address arrives already as a keyed hash (rasa_extensions/web.py),
the conversation id is hashed here: neither is stored as given.

A check is counted on every counter before its answer is compared, in one atomic step, so guesses
sent at the same moment cannot all slip in under a limit: no counter ever lets more answers be
compared than its limit.
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


# Refuse (-1) when any counter has reached its limit, counting nothing; else count the check on
# every counter and say (1 or 0) whether a wrong answer now locks one of them.
_TAKE_ATTEMPT = """
local n = #KEYS
for i = 1, n do
  if tonumber(redis.call('GET', KEYS[i]) or '0') >= tonumber(ARGV[i]) then return -1 end
end
local locks = 0
for i = 1, n do
  if redis.call('INCR', KEYS[i]) >= tonumber(ARGV[i]) then locks = 1 end
  redis.call('EXPIRE', KEYS[i], ARGV[n + 1])
end
return locks
"""
# A right answer: the reference's own counter restarts, and the check is given back to the
# requester's counters (they count failures, as before).
_SUCCEEDED = """
redis.call('DEL', KEYS[1])
for i = 2, #KEYS do
  if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
end
return 1
"""


def take_attempt(client: redis.Redis, keys: list[tuple[str, int]]) -> bool | None:
    """None when a counter is at its limit (compare nothing: locked); otherwise the check is
    counted and the answer may be compared, and the result says whether a wrong one locks."""
    result = int(client.eval(_TAKE_ATTEMPT, len(keys), *(key for key, _ in keys),
                             *(limit for _, limit in keys), LOCK_SECONDS))
    return None if result < 0 else bool(result)


def succeeded(client: redis.Redis, keys: list[tuple[str, int]]) -> None:
    """After a success only the reference's own counter restarts: a requester's budget does not
    come back by opening a record of its own (the successful check itself is not charged)."""
    client.eval(_SUCCEEDED, len(keys), *(key for key, _ in keys))


@lru_cache(maxsize=1)
def decoy_hash() -> str:
    """A stored-hash stand-in for a reference that does not exist, so that checking it costs the
    same hash as checking a wrong answer for one that does."""
    return hash_identity("no such record")
