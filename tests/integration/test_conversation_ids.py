"""Issue 12, item 8: conversation ids come from the server, a socket is bound to the id it was
given, and over-long messages and senders are refused with a clear message (REST and socket.io)."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import redis
import requests
import socketio

from rasa_project.conversation_record import read_events
from rasa_project.messages import MAX_MESSAGE_CHARS, MAX_SENDER_CHARS

FAX = "what is the fax number"
FAX_ANSWER = "does not have a general fax number"


class Browser:
    """A socket.io client as the widget uses it, recording what the server sends."""

    def __init__(self, stack) -> None:
        self.stack = stack
        self.sio = socketio.AsyncClient(reconnection=False)
        self.confirmed: asyncio.Queue[str] = asyncio.Queue()
        self.replies: asyncio.Queue[dict] = asyncio.Queue()
        self.sio.on("session_confirm", self.confirmed.put)
        self.sio.on("bot_uttered", self.replies.put)

    async def __aenter__(self) -> Browser:
        await self.sio.connect(
            self.stack.settings.rasa_url,
            transports=["polling"],  # engineio's websocket client needs aiohttp 3.10
            headers={"Origin": self.stack.settings.public_url},
            socketio_path="/socket.io",
        )
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self.sio.disconnect()

    async def session(self, asked: str | None = None) -> str:
        await self.sio.emit("session_request", {"session_id": asked})
        return await asyncio.wait_for(self.confirmed.get(), 20)

    async def say(self, text: str, session_id: str) -> None:
        await self.sio.emit("user_uttered", {"message": text, "session_id": session_id})

    async def reply(self, timeout: float = 30) -> dict:
        return await asyncio.wait_for(self.replies.get(), timeout)


async def saved_user_texts(stack, session_id: str, count: int) -> list[str]:
    """The user texts once `count` are stored (or what is there after 10 s): Rasa sends a turn's
    replies before it saves the turn, so the reply can arrive first."""
    for _ in range(200):
        texts = user_texts(stack, session_id)
        if len(texts) >= count:
            break
        await asyncio.sleep(0.05)
    return texts


def user_texts(stack, session_id: str) -> list[str]:
    events = read_events(redis.Redis.from_url(stack.settings.effective_redis_url),
                         f"assistant:tracker:{session_id}") or []
    return [event.get("text") for event in events if event["event"] == "user"]


async def test_the_server_issues_ids_and_a_socket_cannot_use_another(stack):
    async with Browser(stack) as victim, Browser(stack) as attacker:
        victim_id = await victim.session()
        assert victim_id.count(".") == 1 and len(victim_id) == 47
        await victim.say(FAX, victim_id)
        assert FAX_ANSWER in (await victim.reply())["text"]

        # An id the client made up is not honoured: the server gives its own.
        made_up = f"victim-{uuid.uuid4().hex}"
        attacker_id = await attacker.session(made_up)
        assert attacker_id not in (made_up, victim_id)
        forged = victim_id.split(".")[0] + ".AAAAAAAAAAAAAAAAAAAAAA"
        assert await attacker.session(forged) == attacker_id  # bound: still its own id

        # Bound to its own id, the socket can neither join nor write into the victim's.
        assert await attacker.session(victim_id) == attacker_id
        await attacker.say("I am the victim now", victim_id)
        await victim.say(FAX, victim_id)
        assert FAX_ANSWER in (await victim.reply())["text"]  # the victim's next turn goes on
        assert attacker.replies.empty()  # nothing of the victim's reached the attacker
        assert await saved_user_texts(stack, victim_id, 2) == [FAX, FAX]
        assert "I am the victim now" not in user_texts(stack, attacker_id)


async def test_a_reloaded_page_keeps_an_issued_id(stack):
    issued = requests.post(f"{stack.settings.public_url}/session", timeout=10).json()["sessionId"]
    assert (
        issued
        != requests.post(f"{stack.settings.public_url}/session", timeout=10).json()["sessionId"]
    )
    async with Browser(stack) as page:
        assert await page.session(issued) == issued
        await page.say(FAX, issued)
        assert FAX_ANSWER in (await page.reply())["text"]
    assert user_texts(stack, issued) == [FAX]


async def test_an_over_long_socket_message_gets_a_clear_reply_and_is_not_stored(stack):
    async with Browser(stack) as page:
        session_id = await page.session()
        await page.say("x" * (MAX_MESSAGE_CHARS + 1), session_id)
        assert "too long" in (await page.reply(10))["text"]
        assert user_texts(stack, session_id) == []


@pytest.mark.parametrize("field, size, status", [
    ("message", MAX_MESSAGE_CHARS + 1, 413), ("sender", MAX_SENDER_CHARS + 1, 400)])
def test_over_long_rest_messages_and_senders_are_refused(stack, field, size, status):
    body = {"sender": f"long-{uuid.uuid4().hex[:8]}", "message": "hello", field: "y" * size}
    answer = requests.post(f"{stack.settings.rasa_url}/webhooks/rest/webhook", json=body,
                           timeout=30)
    assert answer.status_code == status
    assert "too long" in answer.text or "longer than" in answer.text
    assert user_texts(stack, body["sender"]) == []
    ok = requests.post(f"{stack.settings.rasa_url}/webhooks/rest/webhook",
                       json={"sender": "s" * MAX_SENDER_CHARS, "message": "m" * 50}, timeout=30)
    assert ok.status_code == 200
