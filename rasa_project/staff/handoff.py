"""The live-agent desk in Redis: the queue of conversations waiting for a person, who has taken
which, and every message of the handoff (customer's and agent's), kept in order.

A conversation is in handoff while its `info` key exists; Rasa's channels check it on each
customer message (rasa_extensions/handoff.py) and store the message here instead of running the
assistant. An agent's claim is a key that expires after STAFF_CLAIM_SECONDS unless the agent's
console renews it (it polls every few seconds), so a closed browser puts the customer back in
the queue. Agent messages are published on CHANNEL for Rasa to emit to the customer's socket,
and for a customer on the REST channel also queued in an outbox its responses drain.

Personal data (docs/staff.md): while the handoff is live, its messages and the REST outbox are
sealed (AES-GCM, rasa_project/privacy/sealing.py) so the agent reads them in clear and Redis
holds none of them; when it ends the sealed messages are deleted and only a redacted transcript
stays for review (`redacted_transcript`).
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass

import redis

from rasa_project import settings
from rasa_project.privacy.personal_data import personal_spans
from rasa_project.privacy.redaction import MASK, mask
from rasa_project.privacy.sealing import Unreadable, seal, unseal

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


def outbox_key(conversation: str) -> str:
    """Agent messages not yet given to a REST customer (sealed)."""
    return PREFIX + "outbox:" + conversation


SEALED = "handoff-messages"  # the sealing key's purpose
UNREADABLE = "[unreadable: sealed under another key]"
WORD = re.compile(r"[^\W\d_][\w'-]+")  # two letters or more: not "I"


def transcript(client: redis.Redis, conversation: str) -> list[dict]:
    return [json.loads(item) for item in client.lrange(transcript_key(conversation), 0, -1)]


def message_record(conversation: str, sender: str, text: str, now: float | None = None) -> str:
    """A message of the handoff as stored: sealed, bound to its conversation."""
    record = json.dumps({"from": sender, "text": text, "at": round(now or time.time(), 3)})
    return seal(SEALED, conversation, record)


def read_record(conversation: str, stored: str) -> dict:
    try:
        return json.loads(unseal(SEALED, conversation, stored))
    except Unreadable:  # the master secret changed since: the message cannot be read any more
        return {"from": "unknown", "text": UNREADABLE, "at": 0}


def redacted_transcript(messages: list[dict]) -> list[dict]:
    """What stays of a handoff for review once it ends: who wrote when, the agent's words with
    anything that looks personal masked (and the words the customer typed that the agent wrote
    back with a capital, as names usually are), the customer's words masked whole, since
    anything they typed to a person may be personal and names have no pattern."""
    typed = {word.lower() for m in messages if m["from"] == "customer"
             for word in WORD.findall(m["text"])}
    kept = []
    for message in messages:
        text = message["text"]
        if message["from"] == "customer":
            text = MASK * len(text)
        else:
            quoted = [match.span() for match in WORD.finditer(text)
                      if match.group()[0].isupper() and match.group().lower() in typed]
            text = mask(text, personal_spans(text) + quoted)
        kept.append({**message, "text": text})
    return kept


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
    def request(self, conversation: str, summary: str, language: str = "en",
                channel: str = "socketio") -> int:
        """Puts the conversation in the queue (once); its place among those waiting. `channel` is
        Rasa's input channel: a REST customer gets agent messages through the outbox."""
        if not self.redis.exists(info_key(conversation)):
            now = time.time()
            with self.redis.pipeline(transaction=True) as pipe:
                pipe.hset(info_key(conversation), mapping={
                    "summary": summary, "language": language, "requested_at": now,
                    "channel": channel})
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
        """The live handoff's messages in clear, for the agent."""
        return [read_record(conversation, item)
                for item in self.redis.lrange(messages_key(conversation), 0, -1)]

    def agent_message(self, conversation: str, agent: str, text: str) -> None:
        self.claim(conversation, agent)
        self._append(conversation, "agent", text)
        self._to_customer(conversation, "agent", text)

    def end(self, conversation: str, agent: str, farewell: str) -> list[dict]:
        """Ends the handoff; the customer's next message goes to the assistant again. The sealed
        messages go; their redacted transcript stays as long as the conversation is kept."""
        self.claim(conversation, agent)
        self._append(conversation, "agent", farewell)
        keep = settings.tracker_expiry_seconds()
        closed: dict = {}

        def close(pipe: redis.client.Pipeline) -> None:
            # Watched: a customer message kept meanwhile makes Redis refuse, and this runs again.
            closed["messages"] = [read_record(conversation, item)
                                  for item in pipe.lrange(messages_key(conversation), 0, -1)]
            closed["channel"] = pipe.hget(info_key(conversation), "channel")
            pipe.multi()
            pipe.delete(info_key(conversation), claim_key(conversation), messages_key(conversation),
                        transcript_key(conversation))
            pipe.rpush(transcript_key(conversation),
                       *(json.dumps(m) for m in redacted_transcript(closed["messages"])))
            pipe.expire(transcript_key(conversation), keep)
            pipe.zrem(QUEUE, conversation)
            pipe.zadd(DONE, {conversation: time.time()})

        self.redis.transaction(close, messages_key(conversation))
        messages, channel = closed["messages"], closed["channel"]
        # Only now: the customer's next message, once told, must reach the assistant.
        self._to_customer(conversation, "assistant", farewell, end=True, channel=channel)
        return messages

    def _to_customer(self, conversation: str, sender: str, text: str, end: bool = False,
                     channel: str | None = None) -> None:
        """To the customer's socket (Rasa's relay), and for a REST customer into the outbox its
        next response or poll drains (undelivered, it expires with the handoff)."""
        if (channel or self.redis.hget(info_key(conversation), "channel")) == "rest":
            with self.redis.pipeline(transaction=True) as pipe:
                pipe.rpush(outbox_key(conversation), message_record(conversation, sender, text))
                pipe.expire(outbox_key(conversation), expiry_seconds())
                pipe.execute()
        message = {"conversation": conversation, "text": text}
        self.redis.publish(CHANNEL, json.dumps({**message, "end": True} if end else message))

    def _append(self, conversation: str, sender: str, text: str) -> None:
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.rpush(messages_key(conversation), message_record(conversation, sender, text))
            pipe.expire(messages_key(conversation), expiry_seconds())
            pipe.execute()
