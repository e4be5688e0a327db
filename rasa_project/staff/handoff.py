"""The live-agent desk in Redis: the queue of conversations waiting for a person, who has taken
which, and every message of the handoff (customer's and agent's), kept in order.

A conversation is in handoff while its `info` key exists; Rasa's socket channel checks it on each
customer message (rasa_extensions/handoff.py) and stores the message here instead of running the
assistant. An agent's claim is a key that expires after STAFF_CLAIM_SECONDS unless the agent's
console renews it (it polls every few seconds), so a closed browser puts the customer back in
the queue. Agent messages are published on CHANNEL for Rasa to emit to the customer's socket.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass

import redis

from rasa_project import settings

PREFIX = "staff:handoff:"
QUEUE = PREFIX + "queue"  # sorted set: conversation id -> time of the request
CHANNEL = PREFIX + "to-customer"  # pub/sub: {"conversation", "text", "end"}
DONE = PREFIX + "done"  # sorted set: conversation id -> when its last handoff ended


def info_key(conversation: str) -> str:
    return PREFIX + "info:" + conversation


def claim_key(conversation: str) -> str:
    return PREFIX + "claim:" + conversation


def messages_key(conversation: str) -> str:
    return PREFIX + "messages:" + conversation


def transcript_key(conversation: str) -> str:
    return PREFIX + "transcript:" + conversation


def transcript(client: redis.Redis, conversation: str) -> list[dict]:
    return [json.loads(item) for item in client.lrange(transcript_key(conversation), 0, -1)]


def message_record(sender: str, text: str, now: float | None = None) -> str:
    return json.dumps({"from": sender, "text": text, "at": now or time.time()})


def claim_seconds() -> int:
    return int(os.environ.get("STAFF_CLAIM_SECONDS", "30"))


def expiry_seconds() -> int:
    return int(os.environ.get("STAFF_HANDOFF_EXPIRY_SECONDS", str(4 * 3600)))


class NotYours(Exception):
    """The conversation is not in handoff, or another agent holds it."""


@dataclass(frozen=True)
class Waiting:
    id: str
    summary: str
    language: str
    requested_at: float
    agent: str | None


class HandoffDesk:
    def __init__(self, client: redis.Redis) -> None:
        self.redis = client

    # -- the customer's side ---------------------------------------------------------------------
    def request(self, conversation: str, summary: str, language: str = "en") -> int:
        """Puts the conversation in the queue (once); its place among those waiting."""
        if not self.redis.exists(info_key(conversation)):
            now = time.time()
            with self.redis.pipeline(transaction=True) as pipe:
                pipe.hset(info_key(conversation), mapping={
                    "summary": summary, "language": language, "requested_at": now})
                pipe.expire(info_key(conversation), expiry_seconds())
                pipe.zadd(QUEUE, {conversation: now})
                pipe.execute()
        return self.place(conversation)

    def is_active(self, conversation: str) -> bool:
        return bool(self.redis.exists(info_key(conversation)))

    def place(self, conversation: str) -> int:
        """1 for the first waiting; 0 when an agent has it (or it is not in handoff)."""
        waiting = [item.id for item in self.queue() if item.agent is None]
        return waiting.index(conversation) + 1 if conversation in waiting else 0

    def customer_message(self, conversation: str, text: str) -> None:
        self._append(conversation, "customer", text)

    # -- the agents' side ------------------------------------------------------------------------
    def queue(self) -> list[Waiting]:
        """Every conversation in handoff, oldest first, with the agent holding it if any."""
        items = []
        for conversation, requested_at in self.redis.zrange(QUEUE, 0, -1, withscores=True):
            info = self.redis.hgetall(info_key(conversation))
            if not info:  # expired: the customer left long ago
                self.redis.zrem(QUEUE, conversation)
                continue
            items.append(Waiting(conversation, info.get("summary", ""),
                                 info.get("language", "en"), requested_at,
                                 self.redis.get(claim_key(conversation))))
        return items

    def claim(self, conversation: str, agent: str) -> None:
        """Takes the conversation, or renews this agent's claim on it."""
        if not self.is_active(conversation):
            raise NotYours("this conversation is not waiting for a person")
        if not self.redis.set(claim_key(conversation), agent, nx=True, ex=claim_seconds()):
            if self.redis.get(claim_key(conversation)) != agent:
                raise NotYours("another agent has taken this conversation")
            self.redis.expire(claim_key(conversation), claim_seconds())

    def messages(self, conversation: str) -> list[dict]:
        return [json.loads(item) for item in self.redis.lrange(messages_key(conversation), 0, -1)]

    def agent_message(self, conversation: str, agent: str, text: str) -> None:
        self.claim(conversation, agent)
        self._append(conversation, "agent", text)
        self.redis.publish(CHANNEL, json.dumps({"conversation": conversation, "text": text}))

    def end(self, conversation: str, agent: str, farewell: str) -> list[dict]:
        """Ends the handoff; the customer's next message goes to the assistant again. The
        handoff's messages stay, as its transcript, as long as the conversation is kept."""
        self.claim(conversation, agent)
        self._append(conversation, "agent", farewell)
        messages = self.messages(conversation)
        keep = settings.tracker_expiry_seconds()
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(info_key(conversation), claim_key(conversation))
            pipe.rename(messages_key(conversation), transcript_key(conversation))
            pipe.expire(transcript_key(conversation), keep)
            pipe.zrem(QUEUE, conversation)
            pipe.zadd(DONE, {conversation: time.time()})
            pipe.execute()
        self.redis.publish(CHANNEL, json.dumps(
            {"conversation": conversation, "text": farewell, "end": True}))
        return messages

    def _append(self, conversation: str, sender: str, text: str) -> None:
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.rpush(messages_key(conversation), message_record(sender, text))
            pipe.expire(messages_key(conversation), expiry_seconds())
            pipe.execute()
