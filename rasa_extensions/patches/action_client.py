"""Rasa's HTTP calls to its endpoints (the action server) over kept-alive connections.

Rasa 3.6 builds a new aiohttp session, connector and TCP connection for every call to the action
server, and closes them after. Besides the CPU, each connect and close is one more wait on the
event loop; with 32 conversations a message waits behind every other message's work at each of
those, so a turn with three custom-action calls paid for them three times over. Here each
endpoint keeps one session (same headers, authentication and timeout as Rasa's) per event loop.

Idle connections are dropped after 2 s, before the action server's own keep-alive limit (Sanic's
5 s), so a request is never sent on a connection the server is closing at that moment.

Every call carries the whole conversation (and, for form validators, the domain), tens of kB of
JSON written on every call, so it is written with orjson (fast_json.py), many times quicker than
the standard library (measurements: docs/performance.md).

Rasa waits up to 5 minutes (DEFAULT_REQUEST_TIMEOUT) for an action; a slow or frozen action server
then holds the customer, and the conversation's lock, that long. Every call here has a deadline of
ACTION_TIMEOUT_SECONDS (default 4): past it the call fails as an unreachable server does, Rasa logs
it and goes on without the action's events (the customer's message is already in the tracker), and
the channel sends the "couldn't answer, call the Contact Center" message.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

import aiohttp
from rasa.utils.endpoints import EndpointConfig

from rasa_extensions.fast_json import to_json

KEEPALIVE_SECONDS = 2.0
DEFAULT_ACTION_TIMEOUT_SECONDS = 4.0
_open_sessions: list[aiohttp.ClientSession] = []


def action_timeout_seconds() -> float:
    return float(os.environ.get("ACTION_TIMEOUT_SECONDS") or DEFAULT_ACTION_TIMEOUT_SECONDS)


class SessionWithDeadline:
    """The session's `request`, with the deadline in place of the 5-minute timeout Rasa passes."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    def request(self, *args: Any, **kwargs: Any):
        kwargs["timeout"] = aiohttp.ClientTimeout(total=action_timeout_seconds())
        return self.session.request(*args, **kwargs)


class BorrowedSession:
    """`async with` gives the endpoint's session and leaves it open for the next call."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def __aenter__(self) -> SessionWithDeadline:
        return SessionWithDeadline(self.session)

    async def __aexit__(self, *exc_info: Any) -> None:
        return None


def new_session(endpoint: EndpointConfig) -> aiohttp.ClientSession:
    auth = (aiohttp.BasicAuth(endpoint.basic_auth["username"], endpoint.basic_auth["password"])
            if endpoint.basic_auth else None)
    return aiohttp.ClientSession(
        headers=endpoint.headers, auth=auth,
        timeout=aiohttp.ClientTimeout(total=action_timeout_seconds()),
        json_serialize=to_json,
        connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS))


def kept_session(self: EndpointConfig) -> BorrowedSession:
    loop = asyncio.get_running_loop()
    sessions: dict = self.__dict__.setdefault("_sessions_by_loop", {})
    session = sessions.get(loop)
    if session is None or session.closed:
        session = sessions[loop] = new_session(self)
        _open_sessions.append(session)
    return BorrowedSession(session)


async def close_sessions() -> None:
    """Called when the Rasa server stops."""
    while _open_sessions:
        await _open_sessions.pop().close()

