"""A customer on the REST channel (not the socket widget), through the real front door, handed to
an agent: every agent message reaches them (in the response to their next message or from the
poll endpoint), once; and what they type during the handoff (a name, a ZIP code, a receipt
number) is shown to the agent but found in clear in no Redis key, during the handoff or after."""

from __future__ import annotations

import uuid

import redis
import requests

from rasa_project.staff import handoff
from tests.integration import redis_scan
from tests.integration.staff_web import add_account, sign_in

NOW = {"now": "2026-11-10T10:00:00-05:00"}  # a Tuesday morning: staffed
NAME, ZIP, RECEIPT = "Wilhelmina Quattlebaum", "38517", "EAC2612345678"
SECRETS = [NAME, "Wilhelmina", "Quattlebaum", ZIP, RECEIPT, "2612345678"]


def webhook(front_door: str, sender: str, text: str) -> list[dict]:
    answer = requests.post(f"{front_door}/webhooks/rest/webhook", timeout=60,
                           json={"sender": sender, "message": text, "metadata": NOW})
    assert answer.status_code == 200, answer.text
    return answer.json()


def poll(front_door: str, sender: str) -> list[dict]:
    answer = requests.post(f"{front_door}/webhooks/rest/agent_messages", json={"sender": sender},
                           timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()


def texts(replies: list[dict]) -> list[str]:
    return [reply["text"] for reply in replies]


def test_a_rest_customer_gets_every_agent_message_and_nothing_personal_stays_in_clear(stack):
    front_door, web = stack.settings.public_url, stack.settings.web_url
    client = redis.Redis.from_url(stack.settings.effective_redis_url, decode_responses=True)
    sender = f"rest-handoff-{uuid.uuid4().hex[:12]}"
    assert "A USCIS agent can also join this chat" in " ".join(
        texts(webhook(front_door, sender, "can I talk to a real person please")))
    assert "in line for a USCIS agent" in " ".join(
        texts(webhook(front_door, sender, "/handoff_accept")))

    said = f"I am {NAME}, ZIP {ZIP}, my receipt number is {RECEIPT}"
    kept = webhook(front_door, sender, said)
    assert "your message is kept" in texts(kept)[-1]
    assert redis_scan.holding(client, SECRETS) == []  # sealed while the handoff is live

    add_account(stack.settings.effective_redis_url, "rhea", "agent")
    agent = sign_in(web, "rhea")
    assert agent.post(f"{web}/staff/api/handoffs/{sender}/claim").status_code == 200
    view = agent.get(f"{web}/staff/api/handoffs/{sender}").json()
    assert [m["text"] for m in view["messages"]] == [said]  # the agent reads it in clear

    for text in ("Hello Wilhelmina, I am Rhea from USCIS.", "Let me look at your case."):
        assert agent.post(f"{web}/staff/api/handoffs/{sender}/messages",
                          json={"text": text}).status_code == 200
    polled = poll(front_door, sender)
    assert texts(polled) == ["Hello Wilhelmina, I am Rhea from USCIS.",
                             "Let me look at your case."]
    assert {reply["metadata"]["from"] for reply in polled} == {"agent"}
    assert poll(front_door, sender) == []  # each message once

    agent.post(f"{web}/staff/api/handoffs/{sender}/messages",
               json={"text": "It is at the Vermont Service Center."})
    replied = webhook(front_door, sender, "thank you")
    assert texts(replied) == ["It is at the Vermont Service Center.",
                              "Your message went to the agent."]

    assert agent.post(f"{web}/staff/api/handoffs/{sender}/end").status_code == 200
    back = webhook(front_door, sender, "what is the fax number")
    assert "back with the virtual assistant" in back[0]["text"]
    assert back[0]["metadata"] == {"from": "assistant"}
    assert "does not have a general fax number" in " ".join(texts(back[1:]))
    assert poll(front_door, sender) == []

    assert redis_scan.holding(client, SECRETS) == []  # nor once it ended
    stored = handoff.transcript(client, sender)
    assert [m["from"] for m in stored] == ["customer", "agent", "agent", "agent", "customer",
                                           "agent"]
    assert stored[0]["text"] == "*" * len(said)
    assert stored[1]["text"] == f"Hello {'*' * len('Wilhelmina')}, I am Rhea from USCIS."
    assert not client.exists(handoff.messages_key(sender), handoff.outbox_key(sender))


def test_the_poll_endpoint_needs_a_conversation_id(stack):
    answer = requests.post(f"{stack.settings.public_url}/webhooks/rest/agent_messages", json={},
                           timeout=30)
    assert answer.status_code == 400
    unknown = requests.post(f"{stack.settings.public_url}/webhooks/rest/agent_messages",
                            json={"sender": f"nobody-{uuid.uuid4().hex}"}, timeout=30)
    assert unknown.status_code == 200 and unknown.json() == []
