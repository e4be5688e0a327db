"""The website: one page with the chat widget, its static files, and the widget's settings.

The page talks to Rasa directly (socket.io, REST as fallback); this app only serves files, a
small JSON of settings and new conversation ids (signed, rasa_project/conversation_ids.py), so it
holds no conversation state. Contact facts the page shows (the
Contact Center number for when the assistant cannot be reached) come from the directory.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, file, json

from rasa_project import conversation_ids, settings
from rasa_project.directory.loader import default_directory
from rasa_project.messages import busy_message, no_answer_message
from rasa_project.staff import console as staff_console

STATIC = Path(__file__).with_name("static")


def settings_from_env(env=os.environ) -> dict:
    # Empty: the page's own origin, the front door that serves the page, REST and socket.io.
    rasa_url = env.get("RASA_PUBLIC_URL", "")
    retention_days = settings.tracker_expiry_seconds(env) // settings.DAY_SECONDS
    return {"rasa_url": rasa_url.rstrip("/"), "retention_days": retention_days}


def content_security_policy(rasa_url: str) -> str:
    connect = "'self'"  # covers the page's own ws:// and wss:// (CSP Level 3)
    if rasa_url:
        parsed = urlparse(rasa_url)
        socket = f"{'wss' if parsed.scheme == 'https' else 'ws'}://{parsed.netloc}"
        connect += f" {rasa_url} {socket}"
    return ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"connect-src {connect}; frame-ancestors 'none'; base-uri 'none'; "
            "form-action 'self'")


def create_app(settings: dict | None = None) -> Sanic:
    settings = settings or settings_from_env()
    directory = default_directory()
    contact_center = directory.phone_line("contact_center")
    app = Sanic("uscis_web")
    app.config.ACCESS_LOG = False  # URLs carry no personal data, but keep logs quiet anyway
    csp = content_security_policy(settings["rasa_url"])

    @app.get("/")
    async def index(request: Request) -> HTTPResponse:
        return await file(STATIC / "index.html", mime_type="text/html; charset=utf-8")

    @app.get("/health")
    async def health(request: Request) -> HTTPResponse:
        return json({"status": "ok"})

    @app.get("/config.json")
    async def config(request: Request) -> HTTPResponse:
        return json({
            "rasaUrl": settings["rasa_url"],
            "socketPath": "/socket.io/",
            "restPath": "/webhooks/rest/webhook",
            "retentionDays": settings["retention_days"],
            "contactCenterName": contact_center["name"],
            "contactCenterPhone": contact_center["phone"],
            "noAnswer": no_answer_message(),
            "busy": busy_message(),
        })

    @app.post("/session")
    async def new_session(request: Request) -> HTTPResponse:
        """A new conversation id for the page (the socket channel issues one too)."""
        return json({"sessionId": conversation_ids.issue()},
                    headers={"Cache-Control": "no-store"})

    app.static("/static", str(STATIC), name="static")
    staff_blueprint, app.ctx.staff_routes = staff_console.blueprint()  # /staff/: login required
    app.blueprint(staff_blueprint)

    @app.middleware("response")
    async def security_headers(request: Request, response: HTTPResponse) -> None:
        response.headers["Content-Security-Policy"] = csp
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"

    return app
