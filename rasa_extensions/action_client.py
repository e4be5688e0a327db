"""Rasa's HTTP calls to its endpoints (the action server) over kept-alive connections.

Rasa 3.6 builds a new aiohttp session, connector and TCP connection for every call to the action
server, and closes them after. Besides the CPU, each connect and close is one more wait on the
event loop; with 32 conversations a message waits behind every other message's work at each of
those, so a turn with three custom-action calls paid for them three times over. Here each
endpoint keeps one session (same headers, authentication and timeout as Rasa's) per event loop.

Idle connections are dropped after 2 s, before the action server's own keep-alive limit (Sanic's
5 s), so a request is never sent on a connection the server is closing at that moment.

Every call carries the whole conversation (and, for form validators, the domain): 18–44 kB of
JSON, which the standard library took 0.2–0.4 ms to write, 5 % of the Rasa server's CPU under
load; it is written with orjson (fast_json.py), in a tenth of that.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

from rasa_extensions.fast_json import to_json

KEEPALIVE_SECONDS = 2.0
_open_sessions: list[aiohttp.ClientSession] = []


class BorrowedSession:
    """`async with` gives the endpoint's session and leaves it open for the next call."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session

    async def __aexit__(self, *exc_info: Any) -> None:
        return None


def new_session(endpoint: EndpointConfig) -> aiohttp.ClientSession:
    auth = (aiohttp.BasicAuth(endpoint.basic_auth["username"], endpoint.basic_auth["password"])
            if endpoint.basic_auth else None)
    return aiohttp.ClientSession(
        headers=endpoint.headers, auth=auth,
        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
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


def install() -> None:
    EndpointConfig.session = kept_session
