"""The REST and socket.io channels the website uses (named in credentials.yml)."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping

from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput
from redis.exceptions import RedisError
from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa_extensions import handoff, load_shedding, patches
from rasa_extensions.patches import action_client
from rasa_extensions.reply_language import message_in, tag_replies
from rasa_project import conversation_ids
from rasa_project.messages import (
    MAX_MESSAGE_CHARS,
    MAX_SENDER_CHARS,
    busy_message,
    message_language,
    no_answer_message,
    too_long_message,
)
from rasa_project.privacy import log_scrubbing
from rasa_project.privacy.client_address import CLIENT_METADATA_KEY, client_address, client_tag

logger = logging.getLogger(__name__)


def prepare_rasa_server() -> None:
    """Called as Rasa builds these channels from credentials.yml, the first code of ours that
    `rasa run` runs, before it loads the model: personal data out of the process's logs, and
    Rasa's internals patched (rasa_extensions/patches; RASA_PATCHES=off leaves Rasa as it is).
    Each is done once, however many channels call it."""
    log_scrubbing.install()
    patches.install()


def with_client_tag(metadata: object, request: Request) -> dict:
    """The message's metadata plus the keyed hash of the client address (never the address), in
    place of any value the client sent under that name."""
    metadata = dict(metadata) if isinstance(metadata, dict) else {}
    address = client_address(request.ip, request.headers.get("x-forwarded-for"))
    metadata[CLIENT_METADATA_KEY] = client_tag(address)
    return metadata


class AllowedOriginsError(ValueError):
    """CHAT_ALLOWED_ORIGINS would let any website open a chat: Rasa refuses to start."""


def allowed_origins(env: Mapping[str, str] = os.environ) -> list[str]:
    """The websites that may open the chat socket. Empty or `*` is refused: python-socketio
    reads an empty list as "no origin check" and `*` as "any origin", so either would let any
    page chat in a customer's name."""
    value = env.get("CHAT_ALLOWED_ORIGINS", "")
    origins = [origin.strip() for origin in value.split(",") if origin.strip()]
    if not origins:
        raise AllowedOriginsError(
            "CHAT_ALLOWED_ORIGINS is empty: set it to the website's origins, comma-separated "
            "(for example http://localhost:8080); an empty list would let any site open a chat.")
    bad = [origin for origin in origins
           if "*" in origin or not origin.startswith(("http://", "https://"))]
    if bad:
        raise AllowedOriginsError(
            f"CHAT_ALLOWED_ORIGINS has {', '.join(map(repr, bad))}: list each website origin "
            "in full (scheme://host[:port]); '*' and wildcards are refused, since any site could "
            "then open a chat.")
    return origins


def too_long(message: object) -> bool:
    return isinstance(message, str) and len(message) > MAX_MESSAGE_CHARS


class TurnFailed(Exception):
    """A turn that could not run or be stored; it carries only the cause's name and message."""


class RestWithFallback(RestInput):
    """Rasa's REST channel; when a turn produces no reply at all (the action server is down, an
    action failed) or fails before it is stored (Redis down), the customer gets a clear message
    instead of silence or of an answer that was never stored; when the process is saturated
    (load_shedding.py), HTTP 503 with Retry-After and the busy message. Messages longer than
    MAX_MESSAGE_CHARS and senders longer than MAX_SENDER_CHARS are refused with a clear message
    before Rasa stores anything. Each message's metadata carries the keyed hash of the client
    address (for counting failed identity checks); each reply's `metadata.language` says the
    language it is written in (rasa_extensions/reply_language.py)."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials):
        prepare_rasa_server()
        return super().from_credentials(credentials)

    def get_metadata(self, request: Request) -> dict:
        return with_client_tag(super().get_metadata(request), request)

    def blueprint(self, on_new_message) -> Blueprint:
        limited = load_shedding.limited(on_new_message)

        async def handle(message) -> None:
            try:
                await limited(tag_replies(message))
            except Exception as error:  # noqa: BLE001 - Rasa's handler would catch it anyway
                # Rasa sends what was collected; a turn that failed sends nothing, so the
                # customer gets the no-answer message below and may send it again.
                message.output_channel.messages.clear()
                failure = f"{type(error).__name__}: {error}"
            else:
                return
            # Rasa logs the exception with every frame's variables: a Redis reconnection's hold
            # the password. Only the error's name and message go on.
            raise TurnFailed(failure) from None

        blueprint = super().blueprint(handle)
        inbox = handoff.HandoffInbox() if handoff.enabled() else None

        @blueprint.middleware("request")
        async def not_yet_turned_away(request: Request) -> None:
            # The flag lives in the connection's task, which serves every keep-alive request.
            load_shedding.turned_away.set(False)

        @blueprint.listener("after_server_stop")
        async def close_action_server_connections(*_: object) -> None:
            await action_client.close_sessions()

        @blueprint.middleware("request")
        async def within_limits(request: Request):
            if request.method != "POST" or not request.path.endswith("/webhook"):
                return None
            body = request.json if _is_json(request) else {}
            sender = body.get("sender")
            if isinstance(sender, str) and len(sender) > MAX_SENDER_CHARS:
                return json_response(
                    {"error": f"sender is longer than {MAX_SENDER_CHARS} characters"}, 400)
            if too_long(body.get("message")):
                said_in = message_language(body.get("message"), body.get("metadata"))
                return json_response(
                    [message_in(said_in, too_long_message(said_in), sender or "")], 413)
            message = body.get("message")
            if inbox is not None and isinstance(sender, str) and isinstance(message, str):
                place, replies = await inbox.keep_and_collect(sender, message)
                if place is not None:  # in handoff: kept for the agent, the assistant is silent
                    said_in = await inbox.language(sender, message)
                    return json_response(agent_replies(sender, replies) + [
                        message_in(said_in, handoff.kept_message(place, said_in), sender)], 200)
                request.ctx.agent_replies = replies  # the farewell, once the agent has ended
            return None

        @blueprint.route("/agent_messages", methods=["POST"])
        async def agent_messages(request: Request) -> HTTPResponse:
            """What agents wrote to this conversation since the customer's last message or poll;
            the conversation id in the body is the credential, as for the webhook."""
            body = request.json if _is_json(request) else {}
            sender = body.get("sender")
            if not isinstance(sender, str) or not sender or len(sender) > MAX_SENDER_CHARS:
                return json_response({"error": "sender (the conversation id) is required"}, 400)
            try:
                replies = await inbox.collect(sender) if inbox is not None else []
            except RedisError as error:
                logger.warning("agent messages unavailable (%s)", type(error).__name__)
                return json_response({"error": "try again shortly"}, 503)
            return json_response(agent_replies(sender, replies), 200)

        @blueprint.middleware("response")
        async def say_something(request: Request, response: HTTPResponse) -> HTTPResponse:
            # One response middleware: Sanic runs none after one that returns a response.
            return await with_agent_replies(request, said(request, response))

        def said(request: Request, response: HTTPResponse) -> HTTPResponse:
            if load_shedding.turned_away.get():
                load_shedding.turned_away.set(False)
                body = (request.json or {}) if _is_json(request) else {}
                sender = body.get("sender", "")
                said_in = message_language(body.get("message"), body.get("metadata"))
                busy = [message_in(said_in, busy_message(said_in), sender)]
                return HTTPResponse(json.dumps(busy), status=503, content_type="application/json",
                                    headers={"Retry-After": str(load_shedding.RETRY_AFTER_SECONDS)})
            if (
                request.method == "POST"
                and request.path.endswith("/webhook")
                and response.body == b"[]"
            ):
                logger.warning("a turn produced no reply; sending the no-answer message")
                body = (request.json or {}) if _is_json(request) else {}
                sender = body.get("sender", "")
                said_in = message_language(body.get("message"), body.get("metadata"))
                fallback = [message_in(said_in, no_answer_message(said_in), sender)]
                return HTTPResponse(json.dumps(fallback), content_type="application/json")
            return response

        async def with_agent_replies(request: Request, response: HTTPResponse) -> HTTPResponse:
            """The agent messages taken from the outbox with this message, before the reply."""
            replies = getattr(request.ctx, "agent_replies", None)
            if not replies:
                return response
            sender = request.json["sender"]
            try:
                body = json.loads(response.body)
            except ValueError:
                body = None
            if not isinstance(body, list):  # an error, not messages: they wait for a poll
                await inbox.give_back(sender, replies)
                return response
            headers = {k: v for k, v in response.headers.items() if k.lower() == "retry-after"}
            return HTTPResponse(json.dumps(agent_replies(sender, replies) + body),
                                status=response.status, headers=headers,
                                content_type="application/json")

        return blueprint


class SocketIOWithOrigins(SocketIOInput):
    """Rasa's socket.io channel with the client tag in each message's metadata, behind the same
    bound on messages in flight as REST (load_shedding.py), and these repairs:

    - the allowed origins are enforced on the socket itself (Rasa turns socket.io's origin check
      off, so any site could open a chat socket);
    - `session_request` awaits `enter_room`, a coroutine in python-socketio 5.10+; Rasa 3.6 does
      not await it (RasaHQ/rasa#13027), so with session persistence no reply ever reached the page;
    - conversation ids come from the server (rasa_project/conversation_ids.py): an id the client
      made up is replaced by a new one, and a socket is bound to the one id it was confirmed, so
      it can neither join another conversation's room nor send as another conversation (Rasa
      takes whatever `session_id` each message names);
    - messages longer than MAX_MESSAGE_CHARS get a clear reply and go no further;
    - during a live-agent handoff messages go to the agent's desk, not the assistant, and agent
      messages reach the customer's room (rasa_extensions/handoff.py);
    - each reply's `metadata.language` says the language it is written in (reply_language.py).
    """

    @classmethod
    def name(cls) -> str:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials):
        prepare_rasa_server()
        return super().from_credentials(credentials)

    def blueprint(self, on_new_message) -> Blueprint:
        limited = load_shedding.limited(on_new_message)

        async def answer(message) -> None:
            await limited(tag_replies(message))  # each reply says its language

        blueprint = super().blueprint(answer)
        sio = self.sio
        sio.eio.cors_allowed_origins = allowed_origins()  # refuses empty and "*"

        namespace = self.namespace or "/"
        handle_message = sio.handlers[namespace][self.user_message_evt]  # Rasa's
        relay = handoff.HandoffRelay(sio, namespace, self.bot_message_evt) if handoff.enabled() \
            else None

        if relay is not None:
            @blueprint.listener("after_server_start")
            async def start_handoff_relay(*_: object) -> None:
                relay.start()

            @blueprint.listener("before_server_stop")
            async def stop_handoff_relay(*_: object) -> None:
                await relay.stop()

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: dict | None) -> None:
            bound = await _bound_id(sio, sid, namespace)
            if bound is None:
                asked = data.get("session_id") if isinstance(data, dict) else None
                bound = asked if conversation_ids.is_issued(asked) else conversation_ids.issue()
                await sio.save_session(sid, {"session_id": bound}, namespace=namespace)
                if self.session_persistence:
                    await sio.enter_room(sid, bound, namespace=namespace)
            await sio.emit("session_confirm", bound, room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def user_message(sid: str, data: dict | None) -> None:
            data = data if isinstance(data, dict) else {}
            bound = await _bound_id(sio, sid, namespace)
            if bound is None or data.get("session_id") != bound:
                logger.warning("refused a socket message for a conversation the socket was not "
                               "given")
                return
            if too_long(data.get("message")):
                said_in = message_language(data.get("message"), data.get(self.metadata_key))
                await sio.emit(self.bot_message_evt, message_in(said_in, too_long_message(said_in)),
                               room=sid, namespace=namespace)
                return
            if relay is not None and await relay.intercept(bound, str(data.get("message")), sid):
                return  # a person has (or will have) this conversation: the assistant is silent
            metadata = data.get(self.metadata_key)
            if isinstance(metadata, str):
                metadata = json.loads(metadata)
            request = sio.get_environ(sid, namespace=namespace)["sanic.request"]
            await handle_message(
                sid, {**data, self.metadata_key: with_client_tag(metadata, request)}
            )

        return blueprint


async def _bound_id(sio, sid: str, namespace: str) -> str | None:
    try:
        return (await sio.get_session(sid, namespace=namespace)).get("session_id")
    except KeyError:  # the socket has gone
        return None


def agent_replies(sender: str, replies: list[dict]) -> list[dict]:
    """Messages from the handoff desk in the REST channel's shape; `metadata.from` says who
    wrote (an agent, or the assistant when the agent ended the chat)."""
    return [{"recipient_id": sender, "text": reply["text"], "metadata": {"from": reply["from"]}}
            for reply in replies]


def json_response(body: object, status: int) -> HTTPResponse:
    return HTTPResponse(json.dumps(body), status=status, content_type="application/json")


def _is_json(request: Request) -> bool:
    try:
        return isinstance(request.json, dict)
    except Exception:  # malformed body: Rasa already answered it
        return False


__all__ = ["AllowedOriginsError", "RestWithFallback", "SocketIOWithOrigins"]
