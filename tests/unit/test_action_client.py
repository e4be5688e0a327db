"""Rasa's endpoint calls keep their connection, send the same JSON values, and close on stop."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import numpy
import pytest
from aiohttp import web
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.utils.endpoints import EndpointConfig

from rasa_extensions.fast_json import to_json
from rasa_extensions.patches import action_client

ROOT = Path(__file__).resolve().parents[2]


class EchoServer:
    """A real HTTP server that answers with the JSON it got, the text it was written as, and the
    client port it came from; it keeps the connections it has served, to see them close."""

    def __init__(self) -> None:
        self.url = ""
        self.handlers: dict[int, object] = {}  # client port -> the server's connection handler

    async def echo(self, request: web.Request) -> web.Response:
        raw = await request.text()
        port = request.transport.get_extra_info("peername")[1]
        self.handlers[port] = request.protocol
        return web.json_response({"port": port, "got": json.loads(raw), "raw": raw})

    async def closed(self, port: int, timeout: float = 10.0) -> None:
        """Returns once the connection from `port` is closed (an outcome, not a timing); the
        timeout is below aiohttp's default client keep-alive (15 s), so only ours passes."""
        async def wait() -> None:
            while self.handlers[port].transport is not None:
                await asyncio.sleep(0.01)
        await asyncio.wait_for(wait(), timeout)


@pytest.fixture()
async def echo_server():
    server = EchoServer()
    app = web.Application()
    app.router.add_post("/webhook", server.echo)
    runner = web.AppRunner(app)  # aiohttp's own keep-alive (75 s) never closes first here
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/webhook"
    yield server
    await runner.cleanup()


@pytest.fixture()
def installed(rasa_patched):
    assert EndpointConfig.session is action_client.kept_session


async def test_calls_share_one_connection(echo_server, installed, monkeypatch):
    monkeypatch.setattr(action_client, "KEEPALIVE_SECONDS", 60)  # no idle gap can close it
    endpoint = EndpointConfig(echo_server.url)
    ports = [(await endpoint.request(json={"n": n}))["port"] for n in range(3)]
    assert len(set(ports)) == 1
    await action_client.close_sessions()
    assert all(session.closed for session in endpoint._sessions_by_loop.values())
    await echo_server.closed(ports[0])


async def test_an_idle_connection_is_dropped_by_the_client_and_the_next_call_reconnects(
        echo_server, installed, monkeypatch):
    monkeypatch.setattr(action_client, "KEEPALIVE_SECONDS", 0.2)
    endpoint = EndpointConfig(echo_server.url)
    first = (await endpoint.request(json={"n": 1}))["port"]
    await echo_server.closed(first)  # the client closed it once idle (the server would not)
    assert (await endpoint.request(json={"n": 2}))["port"] != first
    await action_client.close_sessions()


async def test_a_conversation_arrives_as_the_standard_library_would_send_it(echo_server, installed):
    domain = Domain.load(ROOT / "domain")
    tracker = DialogueStateTracker.from_events("ana", [
        UserUttered("my card never arrived ünïcode </script>",
                    {"name": "inform", "confidence": numpy.float64(0.8123456789)}),
        SlotSet("receipt_number", "EAC2190012345"), SlotSet("sr_in_store", False)], domain.slots)
    payload = {"next_action": "validate_service_request_form", "sender_id": "ana",
               "tracker": tracker.current_state(EventVerbosity.ALL), "domain": domain.as_dict()}
    answer = await EndpointConfig(echo_server.url).request(json=payload)
    assert answer["got"] == json.loads(json.dumps(payload))
    assert answer["raw"] == to_json(payload)  # what went over the wire is orjson's writing
    assert answer["raw"].startswith('{"next_action":"validate_service_request_form","sender_id"')
    await action_client.close_sessions()


@pytest.fixture()
async def silent_server():
    """A real server that accepts the connection, reads the request and never answers."""
    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(65536)
        await asyncio.sleep(3600)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}/webhook"
    server.close()


async def test_a_server_that_never_answers_fails_the_call_at_the_deadline(silent_server, installed,
                                                                          monkeypatch):
    monkeypatch.setenv("ACTION_TIMEOUT_SECONDS", "0.5")
    # Rasa's RemoteAction passes its own 5-minute timeout on every call; the deadline wins.
    call = asyncio.ensure_future(EndpointConfig(silent_server).request(json={"n": 1}, timeout=300))
    done, _ = await asyncio.wait([call], timeout=30)  # bound: the test stops by itself
    assert call in done, "the call was still waiting"
    assert isinstance(call.exception(), asyncio.TimeoutError)
    await action_client.close_sessions()


def test_the_deadline_is_a_few_seconds_unless_configured(monkeypatch):
    monkeypatch.delenv("ACTION_TIMEOUT_SECONDS", raising=False)
    assert action_client.action_timeout_seconds() == 4.0
    monkeypatch.setenv("ACTION_TIMEOUT_SECONDS", "2.5")
    assert action_client.action_timeout_seconds() == 2.5
