"""Live-agent handoff in Rasa's socket.io and REST channels (the desk itself:
rasa_project/staff/handoff.py).

- While a conversation is in handoff, a customer message is stored on the desk and the assistant
  does not run (`intercept`); until an agent has taken the conversation the customer is told
  their message is kept and their place in line.
- Agent messages arrive on a Redis pub/sub channel; the relay emits each one to the customer's
  socket.io room (the room is the conversation id, as Rasa's channel names it), as a bot message
  with `metadata.from = "agent"` so the widget can say who is talking; a kept customer message is
  acknowledged with a `message_kept` event, so the widget stops waiting for the assistant.
- A REST client cannot be pushed to: agent messages wait in the conversation's outbox, and the
  REST channel returns them in the response to the customer's next message and from its poll
  endpoint, POST /webhooks/rest/agent_messages (rasa_extensions/web.py, docs/staff.md).

HANDOFF_ENABLED=0 turns both off (the assistant then answers every message, as before).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from urllib.parse import urlparse

import redis.asyncio
from redis.exceptions import RedisError

from rasa_extensions.redis_client import async_redis
from rasa_extensions.reply_language import message_in
from rasa_project.language import choose_language
from rasa_project.settings import REDIS_DEFAULT_PORT
from rasa_project.staff import handoff as desk

logger = logging.getLogger(__name__)
RECONNECT_SECONDS = 1.0


def enabled() -> bool:
    return os.environ.get("HANDOFF_ENABLED", "1") != "0" and bool(os.environ.get("REDIS_URL"))


def kept_message(place: int, language: str = "en") -> str:
    """The REST channel's reply to a message kept for the agent."""
    if place:
        return waiting_message(place, language)
    if language == "es":
        return "Su mensaje le llegó al agente."
    return "Your message went to the agent."


def waiting_message(place: int, language: str = "en") -> str:
    if language == "es":
        return (f"Todavía no se ha unido un agente; su mensaje queda guardado para el agente. "
                f"Usted es el número {place} en la fila.")
    return (f"An agent has not joined yet; your message is kept for them. You are number {place} "
            "in line.")


class HandoffInbox:
    """Keeps a customer's message for the agent when the conversation is in handoff."""

    def __init__(self) -> None:
        # The client the tracker and lock stores use: it reconnects after a Redis restart.
        url = urlparse(os.environ["REDIS_URL"])
        self.redis = async_redis(host=url.hostname or "127.0.0.1",
                                 port=url.port or REDIS_DEFAULT_PORT,
                                 db=int((url.path or "/0").lstrip("/") or 0),
                                 username=url.username or None, password=url.password or None,
                                 socket_timeout=5, decode_responses=True,
                                 use_ssl=url.scheme == "rediss")

    async def keep(self, conversation: str, text: str) -> int | None:
        """None when not in handoff; else 0 when an agent has the conversation, or the
        customer's place in line. With Redis unreachable the message goes on to Rasa, which
        answers with its own clear message."""
        try:
            return await self._keep(conversation, text)
        except RedisError as error:
            logger.warning("handoff check failed (%s); the assistant answers",
                           type(error).__name__)
            return None

    async def keep_and_collect(self, conversation: str, text: str) -> tuple[int | None, list]:
        """`keep`, and the agent messages waiting for a REST customer (taken from the outbox),
        in one round trip when the conversation is not in handoff."""
        try:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.exists(desk.info_key(conversation))
                active, sealed, _ = await self._take_outbox(pipe, conversation).execute()
        except RedisError as error:
            logger.warning("handoff check failed (%s); the assistant answers",
                           type(error).__name__)
            return None, []
        replies = [desk.read_record(conversation, item) for item in sealed]
        return (await self.keep(conversation, text) if active else None), replies

    async def collect(self, conversation: str) -> list[dict]:
        """The agent messages waiting for a REST customer, taken from the outbox."""
        async with self.redis.pipeline(transaction=True) as pipe:
            sealed, _ = await self._take_outbox(pipe, conversation).execute()
        return [desk.read_record(conversation, item) for item in sealed]

    @staticmethod
    def _take_outbox(pipe, conversation: str):
        pipe.lrange(desk.outbox_key(conversation), 0, -1)
        pipe.delete(desk.outbox_key(conversation))
        return pipe

    async def give_back(self, conversation: str, replies: list[dict]) -> None:
        """Puts messages taken from the outbox back at its head, in their order."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.lpush(desk.outbox_key(conversation), *(
                desk.message_record(conversation, r["from"], r["text"], r["at"])
                for r in reversed(replies)))
            pipe.expire(desk.outbox_key(conversation), desk.expiry_seconds())
            await pipe.execute()

    async def _keep(self, conversation: str, text: str) -> int | None:
        if not await self.redis.exists(desk.info_key(conversation)):
            return None
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.rpush(desk.messages_key(conversation),
                       desk.message_record(conversation, "customer", text))
            pipe.expire(desk.messages_key(conversation), desk.expiry_seconds())
            pipe.exists(desk.claim_key(conversation))
            *_, claimed = await pipe.execute()
        return 0 if claimed else await self._place(conversation)

    async def language(self, conversation: str, text: str) -> str:
        """The language of a notice: the message's own, else the conversation's when the
        handoff began (the desk keeps it), so an "ok" keeps a Spanish customer in Spanish."""
        try:
            began_in = await self.redis.hget(desk.info_key(conversation), "language")
        except RedisError:
            began_in = None
        return choose_language(text, began_in)

    async def _place(self, conversation: str) -> int:
        waiting = [member for member in await self.redis.zrange(desk.QUEUE, 0, -1)
                   if not await self.redis.exists(desk.claim_key(member))]
        return waiting.index(conversation) + 1 if conversation in waiting else 1


class HandoffRelay(HandoffInbox):
    def __init__(self, sio, namespace: str, bot_message_evt: str) -> None:
        super().__init__()
        self.sio = sio
        self.namespace = namespace
        self.bot_message_evt = bot_message_evt
        # Its own client, without a read timeout: a subscriber may wait long for a message.
        self.subscriber = redis.asyncio.from_url(os.environ["REDIS_URL"], decode_responses=True)
        self.task: asyncio.Task | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(self._relay())

    async def stop(self) -> None:
        if self.task:
            self.task.cancel()
        await self.redis.close()
        await self.subscriber.close()

    async def intercept(self, conversation: str, text: str, sid: str) -> bool:
        """True when the conversation is in handoff: the message went to the desk instead."""
        place = await self.keep(conversation, text)
        if place is not None:  # the widget stops waiting for the assistant's reply
            await self.sio.emit("message_kept", {}, room=sid, namespace=self.namespace)
        if place:
            said_in = await self.language(conversation, text)
            await self.sio.emit(self.bot_message_evt,
                                message_in(said_in, waiting_message(place, said_in)),
                                room=sid, namespace=self.namespace)
        return place is not None

    async def _relay(self) -> None:
        while True:
            try:
                pubsub = self.subscriber.pubsub()
                try:
                    await pubsub.subscribe(desk.CHANNEL)
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            await self._deliver(json.loads(message["data"]))
                finally:
                    await pubsub.reset()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # Redis restarted: subscribe again
                logger.warning("handoff relay lost Redis (%s); reconnecting", type(error).__name__)
                await asyncio.sleep(RECONNECT_SECONDS)

    async def _deliver(self, data: dict) -> None:
        sender = "assistant" if data.get("end") else "agent"
        await self.sio.emit(self.bot_message_evt,
                            {"text": data["text"], "metadata": {"from": sender}},
                            room=data["conversation"], namespace=self.namespace)
