"""The REST and socket.io channels the website uses (named in credentials.yml)."""

from __future__ import annotations

import json
import logging
import os
import uuid

from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa_extensions import action_client, rasa_patches
from rasa_project.messages import no_answer_message

logger = logging.getLogger(__name__)
rasa_patches.install()


def allowed_origins() -> list[str]:
    origins = os.environ.get("CHAT_ALLOWED_ORIGINS", "")
    return [origin.strip() for origin in origins.split(",") if origin.strip()]


class RestWithFallback(RestInput):
    """Rasa's REST channel; when a turn produces no reply at all (the action server is down, an
    action failed), the customer gets a clear message instead of silence."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message) -> Blueprint:
        blueprint = super().blueprint(on_new_message)

        @blueprint.listener("after_server_stop")
        async def close_action_server_connections(*_: object) -> None:
            await action_client.close_sessions()

        @blueprint.middleware("response")
        async def say_something(request: Request, response: HTTPResponse) -> HTTPResponse:
            if request.method == "POST" and request.path.endswith("/webhook") and response.body == b"[]":
                logger.warning("a turn produced no reply; sending the no-answer message")
                sender = (request.json or {}).get("sender", "") if _is_json(request) else ""
                fallback = [{"recipient_id": sender, "text": no_answer_message()}]
                return HTTPResponse(json.dumps(fallback), content_type="application/json")
            return response

        return blueprint


class SocketIOWithOrigins(SocketIOInput):
    """Rasa's socket.io channel with two repairs:

    - the allowed origins are enforced on the socket itself (Rasa turns socket.io's origin check
      off, so any site could open a chat socket);
    - `session_request` awaits `enter_room`, a coroutine in python-socketio 5.10+; Rasa 3.6 does
      not await it (RasaHQ/rasa#13027), so with session persistence no reply ever reached the page.
    """

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        origins = allowed_origins()
        if origins:
            sio.eio.cors_allowed_origins = origins

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: dict | None) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = data.get("session_id")
            if not isinstance(session_id, str) or not 8 <= len(session_id) <= 64:
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id)
            await sio.emit("session_confirm", session_id, room=sid)

        return blueprint


def _is_json(request: Request) -> bool:
    try:
        return isinstance(request.json, dict)
    except Exception:  # malformed body: Rasa already answered it
        return False


__all__ = ["RestWithFallback", "SocketIOWithOrigins"]
