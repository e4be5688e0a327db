"""The handoff notices the customer reads while waiting for an agent are in the conversation's
language when the handoff began (the desk keeps it): a real Redis, the channel's own relay."""

from __future__ import annotations

import uuid

import redis

from rasa_extensions import handoff as channel
from rasa_project.staff import handoff


class RecordingSocket:
    """Stands in for the socket.io server: what the relay emits, in order."""

    def __init__(self) -> None:
        self.emitted: list[tuple[str, dict, str]] = []

    async def emit(self, event: str, data: dict, room: str, namespace: str) -> None:
        self.emitted.append((event, data, room))


async def test_the_waiting_notice_is_in_the_conversations_language(redis_url, monkeypatch):
    monkeypatch.setenv("REDIS_URL", redis_url)
    desk = handoff.HandoffDesk(redis.Redis.from_url(redis_url, decode_responses=True))
    english, spanish = (f"handoff-{language}-{uuid.uuid4().hex[:8]}" for language in ("en", "es"))
    first = desk.request(english, "phone lines", "en")
    second = desk.request(spanish, "teléfonos", "es")
    assert second == first + 1
    socket = RecordingSocket()
    relay = channel.HandoffRelay(socket, "/", "bot_uttered")
    try:
        assert await relay.intercept(spanish, "¿ya viene el agente?", "sid-es")
        assert await relay.intercept(english, "is the agent coming?", "sid-en")
        assert not await relay.intercept(f"not-in-handoff-{uuid.uuid4().hex[:8]}", "hi", "sid-x")
        assert await relay.language(spanish, "ok") == "es"
    finally:
        await relay.stop()
    assert socket.emitted == [
        ("message_kept", {}, "sid-es"),
        ("bot_uttered", {"text": "Todavía no se ha unido un agente; su mensaje queda guardado "
                                 f"para el agente. Usted es el número {second} en la fila.",
                         "metadata": {"language": "es"}},  # the widget marks it (lang="es")
         "sid-es"),
        ("message_kept", {}, "sid-en"),
        ("bot_uttered", {"text": "An agent has not joined yet; your message is kept for them. "
                                 f"You are number {first} in line.",
                         "metadata": {"language": "en"}}, "sid-en"),
    ]
    # The REST channel's reply to a kept message (the website uses the socket).
    assert channel.kept_message(second, "es") == socket.emitted[1][1]["text"]
    desk.claim(spanish, "olga")
    assert channel.kept_message(0, "es") == "Su mensaje le llegó al agente."
