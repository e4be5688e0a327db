"""A saturated Rasa process answers new messages at once with the busy message (REST: 503 with
Retry-After; socket.io: a bot message marked busy) instead of queueing them, and recovers.

Saturation is made for real on one Rasa replica, reached directly: the action servers are frozen
(SIGSTOP), so every message that reaches a custom action holds its place until the action
deadline (ACTION_TIMEOUT_SECONDS)."""

from __future__ import annotations

import asyncio
import time
import uuid

import aiohttp
import redis
import socketio

from rasa_extensions.load_shedding import max_in_flight
from rasa_project.messages import busy_message, no_answer_message
from testing.conversation_runner import send
from tests.integration.faults import frozen

QUESTION = "what is the fax number"  # answered by a custom action


async def post(
    session: aiohttp.ClientSession, url: str, sender: str
) -> tuple[int, str | None, str]:
    async with session.post(f"{url}/webhooks/rest/webhook",
                            json={"sender": sender, "message": QUESTION}) as response:
        body = await response.json(content_type=None)
        return response.status, response.headers.get("Retry-After"), body[0]["text"]


def wait_for_locks(client: redis.Redis, prefix: str, count: int) -> None:
    """Until `count` of these conversations hold their lock: their messages are in flight."""
    deadline = time.monotonic() + 30
    while len(client.keys(f"assistant:conversation_lock:{prefix}*")) < count:
        assert time.monotonic() < deadline, "the messages never reached Rasa"
        time.sleep(0.05)


async def socket_message_while_full(stack) -> dict:
    client = socketio.AsyncClient(reconnection=False)
    replies: asyncio.Queue = asyncio.Queue()
    confirmed: asyncio.Queue = asyncio.Queue()
    client.on("bot_uttered", replies.put_nowait)
    client.on("session_confirm", confirmed.put_nowait)
    # Polling: this engineio client's websocket transport needs a newer aiohttp than Rasa pins.
    await client.connect(stack.settings.rasa_replica_urls[0], transports=["polling"],
                         headers={"Origin": stack.settings.public_url}, wait_timeout=10)
    try:
        await client.emit("session_request", {})
        session_id = await asyncio.wait_for(confirmed.get(), 30)  # the server gives the id
        await client.emit("user_uttered", {"message": QUESTION, "session_id": session_id})
        return await asyncio.wait_for(replies.get(), 30)
    finally:
        await client.disconnect()


async def overload(stack, prefix: str, extra: int) -> tuple[list, dict]:
    limit = max_in_flight()
    client = redis.Redis.from_url(stack.settings.effective_redis_url)
    timeout = aiohttp.ClientTimeout(total=30)  # far below Rasa's own 5 minutes for an action
    async with aiohttp.ClientSession(timeout=timeout) as session:
        holding = [
            asyncio.ensure_future(
                post(session, stack.settings.rasa_replica_urls[0], f"{prefix}hold-{i}")
            )
            for i in range(limit)
        ]
        await asyncio.get_running_loop().run_in_executor(
            None, wait_for_locks, client, prefix, limit
        )
        turned_away = [
            asyncio.ensure_future(
                post(session, stack.settings.rasa_replica_urls[0], f"{prefix}more-{i}")
            )
            for i in range(extra)
        ]
        socket_reply = await socket_message_while_full(stack)
        return await asyncio.gather(*holding, *turned_away), socket_reply


def test_a_full_process_turns_new_messages_away_at_once_and_recovers(stack, rasa_url):
    prefix = f"load-{uuid.uuid4().hex[:6]}-"
    limit, extra = max_in_flight(), 8
    with frozen(stack, "actions"):
        replies, socket_reply = asyncio.run(overload(stack, prefix, extra))
    # The messages in flight finish with the no-answer message at the action deadline...
    assert replies[:limit] == [(200, None, no_answer_message())] * limit
    # ...and the ones that found every place taken were turned away with the busy message.
    assert replies[limit:] == [(503, "5", busy_message())] * extra
    assert "1-800-375-5283" in busy_message()
    assert socket_reply == {"text": busy_message(), "busy": True}
    # Nothing is left queued: the next message is answered normally.
    assert (
        "does not have a general fax number"
        in send(rasa_url, f"{prefix}after", QUESTION, {})[0]["text"]
    )
