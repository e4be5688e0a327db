"""Every /staff route is declared here with the role it needs; the guard refuses a request
without a live session (401, or a redirect to the login page for pages), without the role (403),
or, for a state-changing method, without the session's CSRF token (403). The route list is what
the test walks, so a route cannot be added without a role."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, json, redirect

from rasa_project.staff.sessions import Session, SessionStore, csrf_ok

COOKIE = "staff_session"
SAFE_METHODS = ("GET", "HEAD")


@dataclass(frozen=True)
class Route:
    path: str
    method: str
    role: str | None  # None: public (the login page)
    page: bool


class Guarded:
    def __init__(self, blueprint: Blueprint, sessions: Callable[[], SessionStore]) -> None:
        self.blueprint = blueprint
        self.sessions = sessions
        self.routes: list[Route] = []

    def route(self, path: str, method: str = "GET", role: str | None = "agent",
              page: bool = False):
        def register(handler: Callable[..., Awaitable[HTTPResponse]]):
            @wraps(handler)
            async def guarded(request: Request, *args, **kwargs) -> HTTPResponse:
                if role is not None:
                    session = self.sessions().get(request.cookies.get(COOKIE))
                    if session is None:
                        return redirect("/staff/login") if page else json(
                            {"error": "login required"}, status=401)
                    if not session.account.may(role):
                        return json({"error": "not allowed for your role"}, status=403)
                    if request.method not in SAFE_METHODS and not csrf_ok(
                            session.token, request.headers.get("x-csrf-token")
                            or (request.form or {}).get("csrf")):
                        return json({"error": "missing or wrong CSRF token"}, status=403)
                    request.ctx.staff = session
                return await handler(request, *args, **kwargs)

            name = f"{method.lower()}_{handler.__name__}"
            self.blueprint.add_route(guarded, path, methods=[method], name=name)
            self.routes.append(Route(path, method, role, page))
            return guarded

        return register


def staff_session(request: Request) -> Session:
    return request.ctx.staff
