"""Every value Redis holds, whatever the key's type, as text: for privacy tests that look for
personal data stored in clear."""

from __future__ import annotations

import re

import redis


def without_timestamps(record: str) -> str:
    """A stored record without its timestamps, whose digits may hold a ZIP code's by chance
    (1796071096.9560614)."""
    return re.sub(r'"(?:timestamp|at|requested_at)":\s*[0-9.e+-]+', '"timestamp":0', record)


def every_value(client: redis.Redis) -> dict[str, str]:
    """key -> all its content (members, fields and values) as one text, for every key SCAN
    finds."""
    found = {}
    for key in client.scan_iter("*", count=1000):
        kind = _text(client.type(key))
        if kind == "string":
            parts = [client.get(key)]
        elif kind == "list":
            parts = client.lrange(key, 0, -1)
        elif kind == "hash":
            parts = [item for pair in client.hgetall(key).items() for item in pair]
        elif kind == "set":
            parts = list(client.smembers(key))
        elif kind == "zset":
            parts = [member for member, _ in client.zrange(key, 0, -1, withscores=True)]
        elif kind == "stream":
            parts = [str(entry) for entry in client.xrange(key)]
        else:
            parts = []
        found[_text(key)] = without_timestamps(
            "\n".join(_text(part) for part in parts if part is not None))
    return found


def holding(client: redis.Redis, secrets: list[str]) -> list[tuple[str, str]]:
    """(secret, key) for every secret found in clear in a key or its content; a number counts
    only as a whole number, not as digits inside a longer one."""
    found = []
    for key, content in every_value(client).items():
        for secret in secrets:
            pattern = re.escape(secret)
            if secret.isdigit():
                pattern = rf"(?<![\d.]){pattern}(?!\d)"
            if re.search(pattern, f"{key}\n{content}", re.IGNORECASE):
                found.append((secret, key))
    return found


def _text(value: object) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)
