"""Conversations as Rasa stores them in Redis (key `assistant:tracker:<id>`, endpoints.yml; the
format: rasa_project/conversation_record.py), read as plain JSON: the messages in order, and what
the assistant collected (its slots)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

import redis

from rasa_project.conversation_record import read_events

TRACKER_PREFIX = os.environ.get("TRACKER_KEY_PREFIX", "assistant") + ":tracker:"
# Slots never shown, even to agents: the identity answer is checked, not read.
HIDDEN_SLOTS = {"identity_answer", "requested_slot"}


@dataclass
class Conversation:
    id: str
    messages: list[dict] = field(default_factory=list)  # {"from", "text", "intent", "at"}
    slots: dict = field(default_factory=dict)
    events: list[dict] = field(default_factory=list)

    @property
    def intents(self) -> list[str]:
        return [m["intent"] for m in self.messages if m.get("intent")]


def read(client: redis.Redis, conversation: str) -> Conversation | None:
    events = read_events(client, TRACKER_PREFIX + conversation)
    return from_events(conversation, events) if events else None


def parse(conversation: str, stored: str) -> Conversation:
    """A conversation in Rasa's own stored text (`{"events": [...], ...}`)."""
    return from_events(conversation, json.loads(stored).get("events") or [])


def from_events(conversation: str, events: list[dict]) -> Conversation:
    result = Conversation(conversation, events=events)
    for event in events:
        kind = event.get("event")
        if kind == "user":
            intent = (event.get("parse_data") or {}).get("intent", {}).get("name")
            result.messages.append({"from": "customer", "text": event.get("text") or "",
                                    "intent": intent, "at": event.get("timestamp")})
        elif kind == "bot" and event.get("text"):
            buttons = [b.get("title", "") for b in (event.get("data") or {}).get("buttons") or []]
            result.messages.append({"from": "assistant", "text": event["text"],
                                    "buttons": buttons, "at": event.get("timestamp")})
        elif kind == "slot" and event.get("name") not in HIDDEN_SLOTS:
            if event.get("value") is None:
                result.slots.pop(event.get("name"), None)
            else:
                result.slots[event["name"]] = event["value"]
    return result
