"""A session that reaches RASA_MAX_EVENTS_PER_SESSION events: the next message starts a new
session, the customer is told so, and the message is still answered. Through the trained
assistant (Rasa's processor and in-memory tracker store)."""

from __future__ import annotations

import asyncio

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.events import SessionStarted

from rasa_project.messages import new_session_message


def chat(agent, sender: str, text: str) -> list[str]:
    channel = CollectingOutputChannel()
    asyncio.run(agent.handle_message(UserMessage(text, channel, sender)))
    return [message.get("text") for message in channel.messages]


def latest_session(agent, sender: str) -> list:
    return list(asyncio.run(agent.tracker_store.retrieve(sender)).events)


def test_a_full_session_starts_a_new_one_and_says_so(agent, rasa_patched, monkeypatch):
    monkeypatch.setenv("RASA_MAX_EVENTS_PER_SESSION", "20")
    replies = [chat(agent, "long-talker", "hi") for _ in range(14)]
    told = [index for index, texts in enumerate(replies) if new_session_message() in texts]
    assert told, "the cap was never reached"
    for index in told:  # the notice comes first, then the answer to the message itself
        assert replies[index][0] == new_session_message() and len(replies[index]) > 1
    assert all(texts == replies[0] for i, texts in enumerate(replies) if i not in told)
    assert len(told) >= 2  # each time the session filled up again
    latest = latest_session(agent, "long-talker")
    assert isinstance(latest[1], SessionStarted)
    assert len(latest) < 20  # the session in use was started at the cap


def test_without_a_cap_the_session_goes_on(agent, rasa_patched, monkeypatch):
    monkeypatch.setenv("RASA_MAX_EVENTS_PER_SESSION", "0")
    replies = [chat(agent, "uncapped-talker", "hi") for _ in range(8)]
    assert not any(new_session_message() in texts for texts in replies)
    assert len(latest_session(agent, "uncapped-talker")) > 20

