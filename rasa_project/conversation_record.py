"""How one conversation is kept in Redis, for everything that reads it besides Rasa.

The key is Rasa's (`<prefix>:tracker:<conversation id>`, endpoints.yml) and holds a list: element
0 a small JSON header, then each of Rasa's events as its own JSON text (`Event.as_dict()`), in
order. The tracker store (rasa_extensions/tracker_store.py) appends the new events of each turn
and rewrites the few earlier ones redaction changes, so a turn never rewrites the whole
conversation. A key holding a string is a conversation Rasa's own store wrote (`{"events": [...],
"name": ...}`); it is read the same way.
"""

from __future__ import annotations

import json
from typing import Any

HEADER_INDEX = 0
FIRST_EVENT_INDEX = 1
FORMAT = "events-1"


def header(client, key: str) -> dict[str, Any] | None:
    """The list's header, or None for a missing key or a string written by Rasa's store."""
    if _type(client, key) != "list":
        return None
    return json.loads(client.lindex(key, HEADER_INDEX))


def read_events(client, key: str) -> list[dict[str, Any]] | None:
    """The stored events as dictionaries, or None when there is no such conversation. `client`
    is a synchronous redis-py client (bytes or decoded)."""
    kind = _type(client, key)
    if kind == "string":
        return json.loads(client.get(key)).get("events") or []
    if kind == "list":
        return [json.loads(text) for text in client.lrange(key, FIRST_EVENT_INDEX, -1)]
    return None


def read_many(client, keys: list) -> dict[Any, list[dict[str, Any]]]:
    """`read_events` of many conversations in two pipelined round trips instead of two per
    conversation (the staff console lists them all)."""
    with client.pipeline(transaction=False) as pipe:
        for key in keys:
            pipe.type(key)
        kinds = [k.decode() if isinstance(k, bytes) else k for k in pipe.execute()]
    with client.pipeline(transaction=False) as pipe:
        read = [(key, kind) for key, kind in zip(keys, kinds, strict=True)
                if kind in ("string", "list")]
        for key, kind in read:
            if kind == "string":
                pipe.get(key)
            else:
                pipe.lrange(key, FIRST_EVENT_INDEX, -1)
        stored = pipe.execute()
    found = {}
    for (key, kind), value in zip(read, stored, strict=True):
        if kind == "string":
            found[key] = (json.loads(value).get("events") or []) if value else []
        else:
            found[key] = [json.loads(text) for text in value]
    return found


def _type(client, key: str) -> str:
    kind = client.type(key)
    return kind.decode() if isinstance(kind, bytes) else kind
