"""The console's test report page (agents) and its "run the tests" button (admins).

A run is `make test-report`'s command (testing/test_report.py), started as a child process of
the web app so the app keeps answering (the stories run in a `rasa test` process of
their own). One run at a time across every web process: the run holds a Redis key (SET NX, with
an expiry so a crashed app does not block runs forever); the page shows whether a run is going,
who started it and how the last one ended, and reloads itself while one runs.
"""

from __future__ import annotations

import asyncio
import json as jsonlib
import logging
import sys
import time
from html import escape

import redis
from sanic.request import Request
from sanic.response import HTTPResponse, html as html_response, json, redirect

from rasa_project.staff import report_pages
from rasa_project.staff.guard import Guarded, staff_session

logger = logging.getLogger(__name__)
RUNNING = "staff:test-report:running"  # {"by", "started"} while a run goes
LAST = "staff:test-report:last"  # {"by", "started", "finished", "outcome"} of the last run
RUN_LIMIT_SECONDS = 2 * 3600  # longer than any run; then the key lapses
PAGE = "/staff/test-report"


def state(client: redis.Redis) -> dict:
    running, last = client.get(RUNNING), client.get(LAST)
    return {"running": jsonlib.loads(running) if running else None,
            "last": jsonlib.loads(last) if last else None}


_TASKS: set[asyncio.Task] = set()  # held until done: the loop keeps only weak references


def start(client: redis.Redis, who: str) -> bool:
    """Starts a run in the background; False when one is already going."""
    run = {"by": who, "started": time.time()}
    if not client.set(RUNNING, jsonlib.dumps(run), nx=True, ex=RUN_LIMIT_SECONDS):
        return False
    task = asyncio.get_running_loop().create_task(_run(client, run))
    _TASKS.add(task)
    task.add_done_callback(_TASKS.discard)
    return True


async def _run(client: redis.Redis, run: dict) -> None:
    try:
        # `make test-report`'s own command in a child process: the web app imports no test
        # tooling (an image has none) and a run that breaks cannot take the app with it.
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "testing.test_report", cwd=str(report_pages.ROOT),
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
        _, errors = await child.communicate()
        report = report_pages.latest()
        if child.returncode not in (0, 1) or report is None:
            logger.error("the test report run failed (exit %s): %s", child.returncode,
                         errors.decode(errors="replace")[-2000:])
            outcome = f"the run broke (exit {child.returncode})"
        else:
            outcome = report_pages.summary(report)
    except Exception as error:  # the page says the run broke, and why
        logger.exception("the test report run failed")
        outcome = f"the run broke: {type(error).__name__}"
    try:
        client.set(LAST, jsonlib.dumps({**run, "finished": time.time(), "outcome": outcome}))
    finally:
        client.delete(RUNNING)


def _when(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(seconds))


def page(report: dict | None, current: dict, csrf: str, admin: bool) -> str:
    running, last = current["running"], current["last"]
    head = ('<link rel="stylesheet" href="/static/chat.css">'
            '<link rel="stylesheet" href="/staff/static/console.css">')
    if running:
        head += '<meta http-equiv="refresh" content="5">'  # no script: the page reloads itself
        status = (f"A run started by {escape(running['by'])} at {_when(running['started'])} "
                  "is going; this page reloads until it ends.")
    elif last:
        status = (f"Last run, started by {escape(last['by'])}, ended "
                  f"{_when(last['finished'])}: {escape(last['outcome'])}.")
    else:
        status = "No run has been started from the console."
    before = (f'<p><a href="/staff/">Back to the console</a></p>'
              f'<p id="run-state" role="status">{status}</p>')
    if admin:
        disabled = " disabled" if running else ""
        before += (f'<form method="post" action="{PAGE}/run">'
                   f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
                   f'<button type="submit"{disabled}>Run every test story and conversation '
                   "test</button></form>")
    return report_pages.html_page(report, "Test report", head, before)


def routes(staff: Guarded, redis_client) -> None:
    @staff.route(PAGE, page=True)
    async def report_page(request: Request) -> HTTPResponse:
        session = staff_session(request)
        return html_response(page(report_pages.latest(), state(redis_client()), session.csrf,
                                  session.account.may("admin")),
                             headers={"Cache-Control": "no-store"})

    @staff.route("/staff/api/test-report")
    async def report(request: Request) -> HTTPResponse:
        return json({**state(redis_client()), "report": report_pages.latest()},
                    headers={"Cache-Control": "no-store"})

    @staff.route(PAGE + "/run", "POST", role="admin")
    async def run(request: Request) -> HTTPResponse:
        started = start(redis_client(), staff_session(request).account.name)
        if "form" in (request.content_type or ""):  # the page's button: back to the page
            return redirect(PAGE, status=303)
        return json({"started": started, **state(redis_client())}, status=202 if started else 409)
