"""The staff console's routes under /staff/ (a Sanic blueprint the website mounts)."""

from __future__ import annotations

import asyncio
import html
import secrets
import time
from dataclasses import asdict
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

import redis
from sanic import Blueprint
from sanic.request import Request
from sanic.response import (
    HTTPResponse,
    file,
    html as html_response,
    json,
    redirect,
    text as text_response,
)

from rasa_project import settings
from rasa_project.messages import MAX_MESSAGE_CHARS
from rasa_project.staff import conversations, review, test_runs
from rasa_project.staff.accounts import AccountStore
from rasa_project.staff.feedback import FeedbackStore
from rasa_project.staff.guard import COOKIE, Guarded, staff_session
from rasa_project.staff.handoff import HandoffDesk, NotYours, transcript
from rasa_project.staff.sessions import LoginLimiter, SessionStore, max_seconds

STATIC = Path(__file__).with_name("static")
LOGIN_COOKIE = "staff_login"  # double-submit token against login CSRF
STATIC_FILES = {  # name in the URL: (file, type); chart.js is pinned in package.json
    "console.js": ("console.js", "text/javascript"),
    "console.css": ("console.css", "text/css"),
    "dashboard.js": ("dashboard.js", "text/javascript"),
    "chart.umd.js": ("vendor/chart-4.6.1.umd.min.js", "text/javascript"),
}
DASHBOARD_DAYS = 30


@lru_cache(maxsize=4)
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, decode_responses=True, socket_timeout=5,
                                socket_connect_timeout=5)


def redis_client() -> redis.Redis:
    # Small calls to the stack's own Redis on loopback: sub-millisecond, so the synchronous
    # client is fine for a console used by a handful of staff.
    return _client(settings.redis_url())


def _secure(request: Request) -> bool:
    return request.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


def _set_cookie(request: Request, response: HTTPResponse, name: str, value: str,
                max_age: int) -> None:
    response.cookies[name] = value
    cookie = response.cookies[name]
    cookie["path"] = "/staff"
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["max-age"] = max_age
    if _secure(request):
        cookie["secure"] = True


def _login_page(token: str, message: str = "") -> str:
    alert = f'<p class="status" role="alert">{html.escape(message)}</p>' if message else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Staff sign-in</title>
<link rel="stylesheet" href="/static/chat.css"></head>
<body><main id="main"><h1>Staff sign-in</h1>{alert}
<form method="post" action="/staff/login">
<input type="hidden" name="csrf" value="{html.escape(token)}">
<p><label for="name">Name</label> <input id="name" name="name" autocomplete="username" required></p>
<p><label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit">Sign in</button></p></form></main></body></html>"""


def blueprint() -> tuple[Blueprint, Guarded]:
    bp = Blueprint("staff")
    staff = Guarded(bp, lambda: SessionStore(redis_client()))

    @staff.route("/staff/login", role=None, page=True)
    async def login_form(request: Request) -> HTTPResponse:
        token = secrets.token_urlsafe(24)
        response = html_response(_login_page(token))
        _set_cookie(request, response, LOGIN_COOKIE, token, 3600)
        return response

    @staff.route("/staff/login", "POST", role=None)
    async def login(request: Request) -> HTTPResponse:
        form = request.form or {}
        name, password = form.get("name") or "", form.get("password") or ""
        expected = request.cookies.get(LOGIN_COOKIE)
        if not expected or not secrets.compare_digest(expected, form.get("csrf") or ""):
            return html_response(_login_page(secrets.token_urlsafe(24), "Please sign in again."),
                                 status=403)
        client = redis_client()
        limiter = LoginLimiter(client)
        address = request.remote_addr or request.ip
        if not limiter.attempt(name, address):
            return html_response(_login_page(expected, "Too many failed sign-ins. Try again "
                                             "later."), status=429)
        account = AccountStore(client).verify(name, password)
        if account is None:
            return html_response(_login_page(expected, "Wrong name or password."), status=401)
        limiter.succeeded(name, address)
        session = SessionStore(client).create(account)
        response = redirect("/staff/", status=303)
        _set_cookie(request, response, COOKIE, session.token, max_seconds())
        del response.cookies[LOGIN_COOKIE]
        return response

    @staff.route("/staff/logout", "POST")
    async def logout(request: Request) -> HTTPResponse:
        SessionStore(redis_client()).end(staff_session(request).token)
        response = redirect("/staff/login", status=303)
        del response.cookies[COOKIE]
        return response

    @staff.route("/staff/", page=True)
    async def console(request: Request) -> HTTPResponse:
        return await file(STATIC / "console.html", mime_type="text/html; charset=utf-8",
                          headers={"Cache-Control": "no-store"})

    @staff.route("/staff/static/<name:str>")
    async def static(request: Request, name: str) -> HTTPResponse:
        if name not in STATIC_FILES:
            return json({"error": "not found"}, status=404)
        path, mime_type = STATIC_FILES[name]
        return await file(STATIC / path, mime_type=mime_type)

    @staff.route("/staff/api/me")
    async def me(request: Request) -> HTTPResponse:
        session = staff_session(request)
        return json({"name": session.account.name, "role": session.account.role,
                     "csrf": session.csrf}, headers={"Cache-Control": "no-store"})

    @staff.route("/staff/api/accounts", role="admin")
    async def accounts(request: Request) -> HTTPResponse:
        return json([{"name": a.name, "role": a.role}
                     for a in AccountStore(redis_client()).list()])

    handoff_routes(staff)
    review_routes(staff)
    dashboard_routes(staff)
    test_runs.routes(staff, redis_client)
    return bp, staff


def dashboard_routes(staff: Guarded) -> None:
    """First Contact Resolution, fallbacks and handoffs per topic and per day."""

    @staff.route("/staff/dashboard", page=True)
    async def dashboard_page(request: Request) -> HTTPResponse:
        return await file(STATIC / "dashboard.html", mime_type="text/html; charset=utf-8",
                          headers={"Cache-Control": "no-store"})

    @staff.route("/staff/api/dashboard")
    async def dashboard(request: Request) -> HTTPResponse:
        try:
            last = date.fromisoformat(request.args.get("to") or datetime.now(timezone.utc)
                                      .date().isoformat())
            first = date.fromisoformat(request.args.get("from") or
                                       (last - timedelta(days=DASHBOARD_DAYS - 1)).isoformat())
        except ValueError:
            return json({"error": "dates are YYYY-MM-DD"}, status=400)
        if not timedelta(0) <= last - first <= timedelta(days=366):
            return json({"error": "at most a year, from before to"}, status=400)
        figures = FeedbackStore(redis_client()).dashboard(first, last,
                                                          request.args.get("language"))
        return json(figures, headers={"Cache-Control": "no-store"})


def _flag(value: str | None) -> bool | None:
    return None if value in (None, "") else value in ("1", "true", "yes")


def review_routes(staff: Guarded) -> None:
    """Recent conversations for review (agents), exported as tests (admins)."""

    def stored(conversation: str) -> conversations.Conversation | None:
        return conversations.read(redis_client(), conversation)

    @staff.route("/staff/api/conversations")
    async def recent(request: Request) -> HTTPResponse:
        args = request.args
        # Off the event loop: reading every stored conversation takes a while, and the app
        # (and its health check) must keep answering meanwhile.
        found = await asyncio.to_thread(review.recent, redis_client(), intent=args.get("intent"),
                                        fallback=_flag(args.get("fallback")),
                                        had_handoff=_flag(args.get("handoff")),
                                        language=args.get("language"))
        if args.get("resolved") in ("resolved", "not_resolved"):  # the customer's own answer
            answers = FeedbackStore(redis_client())
            found = [item for item in found if answers.answer_of(item.id) == args["resolved"]]
        return json([asdict(item) for item in found], headers={"Cache-Control": "no-store"})

    @staff.route("/staff/api/conversations/<conversation:str>")
    async def one(request: Request, conversation: str) -> HTTPResponse:
        found = stored(conversation)
        if found is None:
            return json({"error": "no such conversation"}, status=404)
        return json({"id": found.id, "messages": found.messages, "collected": found.slots,
                     "handoff": transcript(redis_client(), conversation)},
                    headers={"Cache-Control": "no-store"})

    def export(conversation: str, render) -> HTTPResponse:
        found = stored(conversation)
        if found is None:
            return json({"error": "no such conversation"}, status=404)
        return text_response(render(found, f"reviewed {conversation[:12]}"),
                             content_type="text/yaml; charset=utf-8",
                             headers={"Cache-Control": "no-store"})

    @staff.route("/staff/api/conversations/<conversation:str>/story", role="admin")
    async def story(request: Request, conversation: str) -> HTTPResponse:
        from rasa_extensions.story_export import test_story  # Rasa's writer, loaded when used

        return export(conversation, lambda found, name: test_story(name, found.events))

    @staff.route("/staff/api/conversations/<conversation:str>/case", role="admin")
    async def case(request: Request, conversation: str) -> HTTPResponse:
        return export(conversation, review.conversation_case)


FAREWELL = ("The agent has left the chat. You are back with the virtual assistant: ask me "
            "anything else.")


def handoff_routes(staff: Guarded) -> None:
    """The live-agent desk: the queue, taking a conversation, chatting, ending."""

    def desk() -> HandoffDesk:
        return HandoffDesk(redis_client())

    @staff.route("/staff/api/queue")
    async def queue(request: Request) -> HTTPResponse:
        now = time.time()
        return json([{"id": item.id, "summary": item.summary, "language": item.language,
                      "agent": item.agent, "waiting_minutes": int((now - item.requested_at) // 60)}
                     for item in desk().queue()], headers={"Cache-Control": "no-store"})

    @staff.route("/staff/api/handoffs/<conversation:str>/claim", "POST")
    async def claim(request: Request, conversation: str) -> HTTPResponse:
        try:
            desk().claim(conversation, staff_session(request).account.name)
        except NotYours as error:
            return json({"error": str(error)}, status=409)
        return json({"claimed": conversation})

    @staff.route("/staff/api/handoffs/<conversation:str>")
    async def handoff(request: Request, conversation: str) -> HTTPResponse:
        """The conversation so far and the handoff's messages; renews the agent's claim."""
        try:
            desk().claim(conversation, staff_session(request).account.name)
        except NotYours as error:
            return json({"error": str(error)}, status=409)
        stored = conversations.read(redis_client(), conversation)
        return json({"history": stored.messages if stored else [],
                     "collected": stored.slots if stored else {},
                     "messages": desk().messages(conversation)},
                    headers={"Cache-Control": "no-store"})

    @staff.route("/staff/api/handoffs/<conversation:str>/messages", "POST")
    async def agent_message(request: Request, conversation: str) -> HTTPResponse:
        text = str((request.json or {}).get("text") or "").strip()[:MAX_MESSAGE_CHARS]
        if not text:
            return json({"error": "empty message"}, status=400)
        try:
            desk().agent_message(conversation, staff_session(request).account.name, text)
        except NotYours as error:
            return json({"error": str(error)}, status=409)
        return json({"sent": True})

    @staff.route("/staff/api/handoffs/<conversation:str>/end", "POST")
    async def end(request: Request, conversation: str) -> HTTPResponse:
        try:
            desk().end(conversation, staff_session(request).account.name, FAREWELL)
        except NotYours as error:
            return json({"error": str(error)}, status=409)
        return json({"ended": True})
