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

from rasa_extensions import action_client
from rasa_extensions.fast_json import to_json

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
async def echo_server():
    """A real HTTP server that answers with the JSON it got and the client port it came from."""
    async def echo(request: web.Request) -> web.Response:
        body = await request.json()
        return web.json_response({"port": request.transport.get_extra_info("peername")[1],
                                  "got": body})

    app = web.Application()
    app.router.add_post("/webhook", echo)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}/webhook"
    await runner.cleanup()


@pytest.fixture()
def installed(monkeypatch):
    monkeypatch.setattr(EndpointConfig, "session", action_client.kept_session)


async def test_calls_share_one_connection_until_idle(echo_server, installed, monkeypatch):
    monkeypatch.setattr(action_client, "KEEPALIVE_SECONDS", 0.3)
    endpoint = EndpointConfig(echo_server)
    ports = [(await endpoint.request(json={"n": n}))["port"] for n in range(3)]
    assert len(set(ports)) == 1
    await asyncio.sleep(0.6)  # idle longer than the keep-alive: the connection was dropped
    assert (await endpoint.request(json={"n": 3}))["port"] != ports[0]
    await action_client.close_sessions()
    assert all(session.closed for session in endpoint._sessions_by_loop.values())


async def test_a_conversation_arrives_as_the_standard_library_would_send_it(echo_server, installed):
    domain = Domain.load(ROOT / "domain.yml")
    tracker = DialogueStateTracker.from_events("ana", [
        UserUttered("my card never arrived ünïcode </script>",
                    {"name": "inform", "confidence": numpy.float64(0.8123456789)}),
        SlotSet("receipt_number", "EAC2190012345"), SlotSet("sr_in_store", False)], domain.slots)
    payload = {"next_action": "validate_service_request_form", "sender_id": "ana",
               "tracker": tracker.current_state(EventVerbosity.ALL), "domain": domain.as_dict()}
    got = (await EndpointConfig(echo_server).request(json=payload))["got"]
    assert got == json.loads(json.dumps(payload))
    assert '"sender_id":"ana"' in to_json(payload)  # orjson wrote it
    await action_client.close_sessions()

