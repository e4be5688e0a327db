"""Conversations live in Redis: restarting Redis and the Rasa server loses nothing."""

from __future__ import annotations

import uuid

import redis

from rasa_project.conversation_record import read_events
from testing.conversation_runner import send


def user_texts(client: redis.Redis, sender: str) -> list[str]:
    events = read_events(client, f"assistant:tracker:{sender}")  # endpoints.yml key_prefix
    assert events is not None, "the conversation is not in Redis"
    return [e["text"] for e in events if e["event"] == "user"]


def fax_question_while_down_then_back(stack, rasa_url: str, sender: str, service: str) -> None:
    """Asked while `service` is stopped: the clear no-answer reply; asked again once it is back:
    the real answer."""
    stack.stop(service)
    try:
        [reply] = send(rasa_url, sender, "what is the fax number", {})
    finally:
        stack.start(service)
    assert "couldn't answer that just now" in reply["text"]
    assert "1-800-375-5283" in reply["text"]
    reply = send(rasa_url, sender, "what is the fax number", {})
    assert "does not have a general fax number" in reply[0]["text"]


def test_history_survives_redis_and_rasa_restarts(stack, rasa_url):
    sender = f"persist-{uuid.uuid4().hex[:8]}"
    client = redis.Redis.from_url(stack.settings.effective_redis_url)
    assert send(rasa_url, sender, "hello", {})
    assert (
        "1-800-375-5283" in send(rasa_url, sender, "what's the uscis phone number", {})[0]["text"]
    )
    assert user_texts(client, sender) == ["hello", "what's the uscis phone number"]

    stack.restart("redis")
    stack.restart("rasa")

    client = redis.Redis.from_url(stack.settings.effective_redis_url)
    assert user_texts(client, sender) == ["hello", "what's the uscis phone number"]
    reply = send(rasa_url, sender, "is there a fax number", {})
    assert "fax" in reply[0]["text"]
    assert user_texts(client, sender) == ["hello", "what's the uscis phone number",
                                          "is there a fax number"]


def test_the_action_server_down_gets_a_clear_message_and_loses_nothing(stack, rasa_url):
    sender = f"actions-down-{uuid.uuid4().hex[:8]}"
    fax_question_while_down_then_back(stack, rasa_url, sender, "actions")
    client = redis.Redis.from_url(stack.settings.effective_redis_url)
    assert user_texts(client, sender) == ["what is the fax number", "what is the fax number"]


def test_a_crash_of_redis_loses_no_turn(stack, rasa_url):
    import os
    import signal

    sender = f"crash-{uuid.uuid4().hex[:8]}"
    assert send(rasa_url, sender, "hello", {})
    assert send(rasa_url, sender, "what is the fax number", {})
    os.kill(stack.pid("redis"), signal.SIGKILL)  # no shutdown, no final write of the file
    stack.restart("redis")

    client = redis.Redis.from_url(stack.settings.effective_redis_url)
    assert user_texts(client, sender) == ["hello", "what is the fax number"]
    assert send(rasa_url, sender, "thanks", {})  # Rasa reconnects by itself
    assert user_texts(client, sender) == ["hello", "what is the fax number", "thanks"]


def test_redis_down_gets_a_clear_message_and_the_conversation_goes_on(stack, rasa_url):
    sender = f"redis-down-{uuid.uuid4().hex[:8]}"
    assert send(rasa_url, sender, "hello", {})
    fax_question_while_down_then_back(stack, rasa_url, sender, "redis")
    client = redis.Redis.from_url(stack.settings.effective_redis_url)
    assert user_texts(client, sender) == ["hello", "what is the fax number"]


def test_a_frozen_action_server_gets_the_clear_message_and_the_message_is_kept(stack, rasa_url):
    """SIGSTOP: the action server still holds its port and takes connections, but never answers.
    Rasa gives up at ACTION_TIMEOUT_SECONDS (not its own 5 minutes) and the customer gets the
    no-answer message; the conversation goes on once the server runs again."""
    from tests.integration.faults import frozen

    sender = f"actions-frozen-{uuid.uuid4().hex[:8]}"
    with frozen(stack, "actions"):
        # send() waits 30 s at most: a reply at all means Rasa did not wait its default 5 minutes.
        [reply] = send(rasa_url, sender, "what is the fax number", {})
    assert "couldn't answer that just now" in reply["text"]
    assert "1-800-375-5283" in reply["text"]
    assert (
        "does not have a general fax number"
        in send(rasa_url, sender, "what is the fax number", {})[0]["text"]
    )
    client = redis.Redis.from_url(stack.settings.effective_redis_url)
    assert user_texts(client, sender) == ["what is the fax number", "what is the fax number"]
