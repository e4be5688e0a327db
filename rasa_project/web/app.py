"""The website: one page with the chat widget, in English (/en/) and Spanish (/es/), its static
files, and the widget's settings.

The page talks to Rasa directly (socket.io, REST as fallback); this app only serves the page,
files, a small JSON of settings and new conversation ids (signed, rasa_project/conversation_ids.py),
so it holds no conversation state. `/` sends a visitor to the language chosen before (a cookie),
else to the browser's preferred one (i18n.py). Contact facts the page shows (the Contact Center
number for when the assistant cannot be reached) come from the directory; only wording is in the
message catalog.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from urllib.parse import urlparse

import jinja2
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, html, json, redirect

from rasa_project import conversation_ids, settings
from rasa_project.directory.loader import default_directory, worded
from rasa_project.staff import console as staff_console
from rasa_project.web import i18n

STATIC = Path(__file__).with_name("static")
TEMPLATES = Path(__file__).with_name("templates")


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


def contact_center(language: str) -> dict:
    """The Contact Center's name in `language` (the directory's Spanish name, when it has one)
    and its number, for the widget's messages."""
    line = default_directory().phone_line("contact_center")
    return {"name": worded(line, "name", language), "phone": line["phone"]}


def render_page(language: str, retention_days: int) -> str:
    """The page in `language` (one of i18n.LANGUAGES)."""
    template = _templates(language).get_template("index.html")
    return template.render(
        language=language, languages=list(i18n.LANGUAGES), retention_days=retention_days,
        other_languages=[(code, name) for code, name in i18n.LANGUAGES.items() if code != language],
        widget_messages={"language": language, "messages": i18n.widget_messages(language),
                         "contactCenter": contact_center(language)})


@cache
def _templates(language: str) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
        undefined=jinja2.StrictUndefined, extensions=["jinja2.ext.i18n"])
    gettext = i18n.gettext(language)
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        gettext, lambda one, many, n: gettext(one if n == 1 else many), newstyle=True)
    return environment


def _secure(request: Request) -> bool:
    return request.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


def create_app(settings: dict | None = None) -> Sanic:
    settings = settings or settings_from_env()
    app = Sanic("uscis_web")
    app.config.ACCESS_LOG = False  # URLs carry no personal data, but keep logs quiet anyway
    csp = content_security_policy(settings["rasa_url"])
    pages = {language: render_page(language, settings["retention_days"])
             for language in i18n.LANGUAGES}

    @app.get("/")
    async def index(request: Request) -> HTTPResponse:
        language = i18n.negotiate(request.cookies.get(i18n.COOKIE),
                                  request.headers.get("accept-language"))
        # A relative address: the front door keeps the host the customer used.
        return redirect(f"/{language}/", headers={"Vary": "Cookie, Accept-Language",
                                                  "Cache-Control": "no-store"})

    def page_in(language: str):
        async def page(request: Request) -> HTTPResponse:
            response = html(pages[language])
            # Remembered for the next visit to `/`: a preference, no personal data.
            response.cookies[i18n.COOKIE] = language
            cookie = response.cookies[i18n.COOKIE]
            cookie["path"] = "/"
            cookie["max-age"] = i18n.COOKIE_MAX_AGE
            cookie["samesite"] = "Lax"
            cookie["httponly"] = True
            if _secure(request):
                cookie["secure"] = True
            return response
        return page

    for language in i18n.LANGUAGES:
        app.add_route(page_in(language), f"/{language}/", methods=["GET"],
                      name=f"page_{language}")

    @app.get("/health")
    async def health(request: Request) -> HTTPResponse:
        return json({"status": "ok"})

    @app.get("/config.json")
    async def config(request: Request) -> HTTPResponse:
        return json({
            "rasaUrl": settings["rasa_url"],
            "socketPath": "/socket.io/",
            "restPath": "/webhooks/rest/webhook",
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
