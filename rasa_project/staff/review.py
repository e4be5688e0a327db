"""Conversation review: recent conversations with what they were about, filtered the way staff
look for ones worth turning into tests, and a conversation as a tests/conversations case."""

from __future__ import annotations

from dataclasses import dataclass

import redis
import yaml

from rasa_project.conversation_record import read_many
from rasa_project.staff import conversations, handoff

FALLBACK = "nlu_fallback"
BATCH = 500  # conversations read per pipelined round trip
MAX_LISTED = 200
EXPECT_CHARS = 60


@dataclass(frozen=True)
class Summary:
    id: str
    last_at: float
    intents: tuple[str, ...]
    language: str
    fallback: bool
    handoff: bool
    turns: int
    first_message: str

    def matches(self, intent: str | None = None, fallback: bool | None = None,
                had_handoff: bool | None = None, language: str | None = None) -> bool:
        return ((not intent or intent in self.intents)
                and (fallback is None or fallback == self.fallback)
                and (had_handoff is None or had_handoff == self.handoff)
                and (not language or language == self.language))


def summarise(conversation: conversations.Conversation, had_handoff: bool) -> Summary:
    said = [m for m in conversation.messages if m["from"] == "customer"]
    times = [m["at"] for m in conversation.messages if m.get("at")]
    intents = tuple(dict.fromkeys(conversation.intents))
    return Summary(conversation.id, max(times, default=0.0), intents,
                   str(conversation.slots.get("language") or "en"), FALLBACK in intents,
                   had_handoff, len(said), said[0]["text"] if said else "")


def recent(client: redis.Redis, **filters) -> list[Summary]:
    """The newest conversations first (at most MAX_LISTED) that match the filters."""
    handed = set(client.zrange(handoff.DONE, 0, -1)) | set(client.zrange(handoff.QUEUE, 0, -1))
    found = []
    keys = list(client.scan_iter(conversations.TRACKER_PREFIX + "*", count=500))
    for start in range(0, len(keys), BATCH):
        for key, events in read_many(client, keys[start:start + BATCH]).items():
            if not events:
                continue
            conversation_id = key.removeprefix(conversations.TRACKER_PREFIX)
            summary = summarise(conversations.from_events(conversation_id, events),
                                conversation_id in handed)
            if summary.turns and summary.matches(**filters):
                found.append(summary)
    return sorted(found, key=lambda s: s.last_at, reverse=True)[:MAX_LISTED]


def conversation_case(conversation: conversations.Conversation, name: str) -> str:
    """A tests/conversations case: every customer turn, with the start of each reply it got
    as `expect` and its buttons' titles as `buttons` (to correct before saving)."""
    turns: list[dict] = []
    for message in conversation.messages:
        if message["from"] == "customer":
            turns.append({"user": message["text"], "expect": []})
        elif turns:
            if message.get("text"):
                turns[-1]["expect"].append(message["text"][:EXPECT_CHARS])
            if message.get("buttons"):
                turns[-1].setdefault("buttons", []).extend(message["buttons"])
    return yaml.safe_dump({"conversations": [{"name": name, "turns": turns}]},
                          sort_keys=False, allow_unicode=True, width=100)
