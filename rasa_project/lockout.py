"""Failed identity checks, counted per reference in Redis; too many lock lookups for a while."""

from __future__ import annotations

import redis

MAX_FAILED_CHECKS = 5
LOCK_SECONDS = 15 * 60


def is_locked(client: redis.Redis, key: str) -> bool:
    return int(client.get(key) or 0) >= MAX_FAILED_CHECKS


def record_failure(client: redis.Redis, key: str) -> bool:
    """Counts one failure; True when the reference is now locked."""
    with client.pipeline(transaction=True) as pipe:
        pipe.incr(key)
        pipe.expire(key, LOCK_SECONDS)
        failures, _ = pipe.execute()
    return failures >= MAX_FAILED_CHECKS


def clear(client: redis.Redis, key: str) -> None:
    client.delete(key)
