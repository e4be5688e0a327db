"""A bound on the messages one Rasa process works on at once, and a fast "busy" reply past it.

Without it a traffic spike queues every message on the event loop: all of them slow down together
until clients time out (measured: 128 conversations at once, replies of many seconds). Here a
message waits at most RASA_MAX_QUEUE_WAIT_SECONDS for one of RASA_MAX_IN_FLIGHT places; if none
frees up it is not handled at all and the customer gets the busy message at once (REST: HTTP 503
with Retry-After; socket.io: a bot message marked `busy`, so the widget puts the text back in the
box). The wait is first come, first served. RASA_MAX_IN_FLIGHT=0 switches shedding off.

Installed by the project's channels (web.py) around the handler Rasa gives every channel, so it
counts REST and socket.io messages together, per process (each Sanic worker has its own places).
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import os
from collections.abc import Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOOutput

from rasa_project.messages import busy_message, message_language

logger = logging.getLogger(__name__)

DEFAULT_MAX_IN_FLIGHT = 32
DEFAULT_MAX_QUEUE_WAIT_SECONDS = 2.0
RETRY_AFTER_SECONDS = 5

# Set inside a request's own task when its message was turned away (read by the REST channel).
turned_away: contextvars.ContextVar[bool] = contextvars.ContextVar("turned_away", default=False)


def max_in_flight() -> int:
    return int(os.environ.get("RASA_MAX_IN_FLIGHT") or DEFAULT_MAX_IN_FLIGHT)


def max_queue_wait_seconds() -> float:
    return float(os.environ.get("RASA_MAX_QUEUE_WAIT_SECONDS") or DEFAULT_MAX_QUEUE_WAIT_SECONDS)


class Places:
    """`max_in_flight` places; `take` waits up to `max_wait` seconds for one, in arrival order."""

    def __init__(self, max_in_flight: int, max_wait: float) -> None:
        self.max_wait = max_wait
        self.semaphore = asyncio.Semaphore(max_in_flight)

    async def take(self) -> bool:
        if self.semaphore.locked() and self.max_wait <= 0:
            return False
        try:
            await asyncio.wait_for(self.semaphore.acquire(), self.max_wait)
        except asyncio.TimeoutError:
            return False
        return True

    def give_back(self) -> None:
        self.semaphore.release()


async def send_busy(message: UserMessage) -> None:
    channel = message.output_channel
    text = busy_message(message_language(message.text, message.metadata))
    if isinstance(channel, SocketIOOutput):
        await channel.sio.emit(channel.bot_message_evt, {"text": text, "busy": True},
                               room=message.sender_id)
    else:
        await channel.send_text_message(message.sender_id, text)


Handler = Callable[[UserMessage], Awaitable[None]]


_limited: dict[Handler, Handler] = {}


def limited(on_new_message: Handler) -> Handler:
    """Rasa's message handler behind this process's places. Rasa gives every channel the same
    handler, so the channels share the places."""
    if on_new_message not in _limited:
        _limited[on_new_message] = _behind_places(on_new_message)
    return _limited[on_new_message]


def _behind_places(on_new_message: Handler) -> Handler:
    limit = max_in_flight()
    if limit <= 0:
        return on_new_message
    places: dict[asyncio.AbstractEventLoop, Places] = {}

    async def handle(message: UserMessage) -> None:
        loop = asyncio.get_running_loop()
        if loop not in places:
            places[loop] = Places(limit, max_queue_wait_seconds())
        if not await places[loop].take():
            logger.warning("busy: %d messages in flight; a message was turned away", limit)
            turned_away.set(True)
            await send_busy(message)
            return
        try:
            await on_new_message(message)
        finally:
            places[loop].give_back()

    return handle
