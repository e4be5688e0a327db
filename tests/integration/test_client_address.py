"""Issue 12, item 4 through the real REST channel: the client address reaches the actions only as a
keyed hash, a proxy on this host names it, and one address cannot spray guesses over many
conversations."""

from __future__ import annotations

import json
import urllib.request
import uuid

import redis

from rasa_project.codes import random_code
from rasa_project.conversation_record import read_events
from rasa_project.lockout import MAX_FAILED_CHECKS, MAX_FAILED_CHECKS_PER_CLIENT

NOW = {"now": "2026-11-10T10:00:00-06:00"}


def say(rasa_url: str, sender: str, text: str, forwarded_for: str, metadata: dict = NOW) -> str:
    body = json.dumps({"sender": sender, "message": text, "metadata": metadata}).encode()
    request = urllib.request.Request(f"{rasa_url}/webhooks/rest/webhook", data=body, headers={
        "Content-Type": "application/json", "X-Forwarded-For": forwarded_for})
    with urllib.request.urlopen(request, timeout=30) as response:
        return "\n".join(reply.get("text", "") for reply in json.loads(response.read()))


def user_metadata(stack, sender: str) -> list[dict]:
    client = redis.Redis.from_url(stack.settings.effective_redis_url)
    events = read_events(client, f"assistant:tracker:{sender}") or []
    return [e.get("metadata") or {} for e in events if e["event"] == "user"]


def test_the_address_is_stored_only_as_a_tag_that_the_client_cannot_choose(stack, rasa_url):
    sender = f"address-{uuid.uuid4().hex[:8]}"
    say(rasa_url, sender, "hello", "198.51.100.1, 203.0.113.7")
    say(rasa_url, sender, "what is the fax number", "203.0.113.7",
        {**NOW, "client": "f" * 32})  # a client naming its own tag
    say(rasa_url, sender, "thanks", "203.0.113.8")
    first, second, third = (m["client"] for m in user_metadata(stack, sender))
    assert first == second != third  # the proxy's last entry is the address
    assert len(first) == 32 and first != "f" * 32
    client = redis.Redis.from_url(stack.settings.effective_redis_url)
    assert "203.0.113" not in json.dumps(read_events(client, f"assistant:tracker:{sender}"))


def test_one_address_cannot_spray_guesses_over_many_conversations(stack, rasa_url):
    address = f"203.0.113.{uuid.uuid4().int % 200 + 20}"
    tries_per_conversation = MAX_FAILED_CHECKS - 1  # never enough to lock a conversation
    replies = []
    for n in range(MAX_FAILED_CHECKS_PER_CLIENT // tries_per_conversation):
        sender = f"spray-{n}-{uuid.uuid4().hex[:8]}"
        for _ in range(tries_per_conversation):
            say(rasa_url, sender, "check my service request", address)
            say(rasa_url, sender, random_code("SR", 9), address)
            replies.append(say(rasa_url, sender, "20529", address))
    assert all("couldn't verify" in reply for reply in replies[:-1])
    assert "too many attempts" in replies[-1]
    # A new conversation from that address is paused too; another address is not.
    sender = f"spray-next-{uuid.uuid4().hex[:8]}"
    say(rasa_url, sender, "check my service request", address)
    say(rasa_url, sender, random_code("SR", 9), address)
    assert "too many attempts" in say(rasa_url, sender, "20529", address)
    sender = f"other-{uuid.uuid4().hex[:8]}"
    say(rasa_url, sender, "check my service request", "198.51.100.77")
    say(rasa_url, sender, random_code("SR", 9), "198.51.100.77")
    assert "couldn't verify" in say(rasa_url, sender, "20529", "198.51.100.77")


async def test_socket_messages_carry_the_tag_too(stack, rasa_url):
    import asyncio

    import socketio

    client = socketio.AsyncClient()
    confirmed: asyncio.Future = asyncio.get_running_loop().create_future()
    replied = asyncio.Event()
    client.on("session_confirm", lambda session_id: confirmed.done() or
              confirmed.set_result(session_id))
    client.on("bot_uttered", lambda *_: replied.set())
    await client.connect(rasa_url, headers={"Origin": stack.settings.public_url,
                                            "X-Forwarded-For": "203.0.113.99"},
                         transports=["polling"])
    try:
        await client.emit("session_request", {})
        sender = await asyncio.wait_for(confirmed, 30)  # the id the server issues
        await client.emit("user_uttered", {"session_id": sender, "message": "hello",
                                           "metadata": {"client": "f" * 32}})
        await asyncio.wait_for(replied.wait(), 30)
    finally:
        await client.disconnect()
    for _ in range(200):  # Rasa sends a turn's replies before it saves the turn
        if user_metadata(stack, sender):
            break
        await asyncio.sleep(0.05)
    [metadata] = user_metadata(stack, sender)
    assert len(metadata["client"]) == 32 and metadata["client"] != "f" * 32
    rest_sender = f"address-{uuid.uuid4().hex[:8]}"
    say(rasa_url, rest_sender, "hello", "203.0.113.99")
    assert user_metadata(stack, rest_sender)[0]["client"] == metadata["client"]
