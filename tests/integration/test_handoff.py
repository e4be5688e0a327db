"""Live-agent handoff through the real stack: the customer on Rasa's socket.io channel, the agent
in the staff console's API; nothing the customer types during the handoff is lost or answered by
the assistant, an abandoned claim goes back to the queue, and ending returns the customer to the
assistant."""

from __future__ import annotations

import asyncio

import redis

from rasa_project.staff import handoff
from tests.integration.staff_web import add_account, sign_in
from tests.integration.test_conversation_ids import Browser, user_texts

TUESDAY_MORNING = {"now": "2026-11-10T10:00:00-05:00"}  # staffed (STAFF_HOURS default)


async def say(customer: Browser, text: str, conversation: str) -> None:
    await customer.sio.emit("user_uttered", {"message": text, "session_id": conversation,
                                             "metadata": TUESDAY_MORNING})


async def replies_until(customer: Browser, needle: str) -> list[dict]:
    seen = []
    while not any(needle in reply.get("text", "") for reply in seen):
        seen.append(await customer.reply())
    return seen


async def test_an_agent_takes_over_and_gives_the_customer_back(stack):
    url = stack.settings.effective_redis_url
    client = redis.Redis.from_url(url, decode_responses=True)
    add_account(url, "hank", "agent")
    add_account(url, "ivy", "agent")
    web = stack.settings.web_url
    async with Browser(stack) as customer:
        conversation = await customer.session()
        await say(customer, "can I talk to a real person please", conversation)
        offer = await replies_until(customer, "A USCIS agent can also join this chat")
        assert [b["title"] for b in offer[-1]["quick_replies"]] == [
            "Yes, connect me with an agent", "No, thanks"]
        await say(customer, "/handoff_accept", conversation)
        queued = await replies_until(customer, "in line for a USCIS agent")
        assert "You are number" in queued[-1]["text"]

        # Before any agent: kept, and the customer is told so; the assistant does not run.
        await say(customer, "my green card never arrived", conversation)
        assert "your message is kept" in (await customer.reply())["text"]
        assert "my green card never arrived" not in user_texts(stack, conversation)

        hank = await asyncio.to_thread(sign_in, web, "hank")
        queue = (await asyncio.to_thread(hank.get, web + "/staff/api/queue")).json()
        assert conversation in [item["id"] for item in queue]
        assert (await asyncio.to_thread(
            hank.post, f"{web}/staff/api/handoffs/{conversation}/claim")).status_code == 200
        view = (await asyncio.to_thread(
            hank.get, f"{web}/staff/api/handoffs/{conversation}")).json()
        assert "can I talk to a real person please" in [m["text"] for m in view["history"]]
        assert [m["text"] for m in view["messages"]] == ["my green card never arrived"]

        # Another agent cannot take it while Hank holds it.
        ivy = await asyncio.to_thread(sign_in, web, "ivy")
        assert (await asyncio.to_thread(
            ivy.post, f"{web}/staff/api/handoffs/{conversation}/claim")).status_code == 409

        await asyncio.to_thread(hank.post, f"{web}/staff/api/handoffs/{conversation}/messages",
                                json={"text": "Hello, I am Hank from USCIS. Let me look."})
        agent_said = await customer.reply()
        assert agent_said["text"] == "Hello, I am Hank from USCIS. Let me look."
        assert agent_said["metadata"] == {"from": "agent"}
        await say(customer, "thank you Hank", conversation)
        # The agent's view (the messages are sealed under the stack's key: read through it).
        while "thank you Hank" not in [m["text"] for m in (await asyncio.to_thread(
                hank.get, f"{web}/staff/api/handoffs/{conversation}")).json()["messages"]]:
            await asyncio.sleep(0.1)
        assert "thank you Hank" not in user_texts(stack, conversation)

        # Hank's browser closes: his claim lapses and the customer is back in the queue.
        client.pexpire(handoff.claim_key(conversation), 1)
        while client.exists(handoff.claim_key(conversation)):
            await asyncio.sleep(0.05)
        queue = (await asyncio.to_thread(ivy.get, web + "/staff/api/queue")).json()
        assert [item["agent"] for item in queue if item["id"] == conversation] == [None]
        assert (await asyncio.to_thread(
            ivy.post, f"{web}/staff/api/handoffs/{conversation}/claim")).status_code == 200

        ended = await asyncio.to_thread(ivy.post, f"{web}/staff/api/handoffs/{conversation}/end")
        assert ended.status_code == 200
        assert "back with the virtual assistant" in (await customer.reply())["text"]
        assert not handoff.HandoffDesk(client).is_active(conversation)
        # What stays for review: the agent's words; the customer's masked (docs/staff.md).
        stored = handoff.transcript(client, conversation)
        assert [m["text"] for m in stored if m["from"] == "customer"] == [
            "*" * len("my green card never arrived"), "*" * len("thank you Hank")]
        assert "Let me look." in [m["text"] for m in stored if m["from"] == "agent"][0]
        assert not client.exists(handoff.messages_key(conversation))

        await say(customer, "what is the fax number", conversation)
        assert "does not have a general fax number" in (await customer.reply())["text"]
