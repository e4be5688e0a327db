"""The website alone (no Rasa) on a free port against a throwaway Redis, with staff accounts, for
the staff console's tests; and a signed-in `requests` session."""

from __future__ import annotations

import io
import os
import re
import secrets
import subprocess
import sys
import time
from contextlib import contextmanager

import redis
import requests

from ops.settings import ROOT
from rasa_project.staff import accounts
from tests.redis_server import free_port

PASSWORD = "correct horse battery"


@contextmanager
def staff_website(redis_url: str, **extra_env: str):
    port = free_port()
    env = {**os.environ, "REDIS_URL": redis_url, "PYTHONPATH": str(ROOT),
           "ASSISTANT_SECRET_KEY": secrets.token_hex(32), **extra_env}
    process = subprocess.Popen([sys.executable, "-m", "rasa_project.web", "--port", str(port)],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(url + "/health", timeout=2)
                break
            except requests.ConnectionError:
                assert process.poll() is None, "the website did not start"
                assert time.monotonic() < deadline, "the website did not start in time"
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def add_account(redis_url: str, name: str, role: str, password: str = PASSWORD) -> None:
    store = accounts.AccountStore(redis.Redis.from_url(redis_url, decode_responses=True))
    assert accounts.main(["add", name, "--role", role], store=store,
                         stdin=io.StringIO(password + "\n")) == 0


def login_form_token(session: requests.Session, url: str) -> str:
    page = session.get(url + "/staff/login")
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def sign_in(url: str, name: str, password: str = PASSWORD) -> requests.Session:
    """A signed-in session whose state-changing calls carry the CSRF header."""
    session = requests.Session()
    token = login_form_token(session, url)
    answer = session.post(url + "/staff/login", allow_redirects=False,
                          data={"name": name, "password": password, "csrf": token})
    assert answer.status_code == 303, answer.text
    session.headers["X-CSRF-Token"] = session.get(url + "/staff/api/me").json()["csrf"]
    return session
