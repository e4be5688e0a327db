"""The staff console's security: every /staff route refused without a session, the role, or the
CSRF token; argon2 hashes; cookies; session expiry; failed logins limited."""

from __future__ import annotations

import io
import json
import re

import pytest
import redis
import requests

from rasa_project.staff import accounts, console, sessions
from rasa_project.staff.accounts import Account, AccountStore
from tests.integration.staff_web import (
    PASSWORD,
    add_account,
    login_form_token,
    sign_in,
    staff_website,
)

ROUTES = console.blueprint()[1].routes


@pytest.fixture(scope="module")
def web(redis_url, tmp_path_factory):
    add_account(redis_url, "agnes", "agent")
    add_account(redis_url, "adam", "admin")
    nothing = tmp_path_factory.mktemp("no-tests")  # the walk starts a test run: an empty one
    with staff_website(redis_url, TEST_REPORT_STORIES=str(nothing),
                       TEST_REPORT_CONVERSATIONS=str(nothing),
                       TEST_REPORT_DIR=str(nothing / "report")) as url:
        yield url


def concrete(path: str) -> str:
    return re.sub(r"<[^>]+>", "x1", path)


def call(session: requests.Session, url: str, route) -> requests.Response:
    return session.request(route.method, url + concrete(route.path), allow_redirects=False,
                           json={} if route.method != "GET" else None)


def test_every_staff_route_of_the_app_is_declared_with_a_role():
    from rasa_project.web.app import create_app

    app = create_app({"rasa_url": "http://127.0.0.1:1", "retention_days": 30})
    served = {(f"/{route.path}".rstrip("/"), method) for route in app.router.routes
              for method in route.methods if route.path.startswith("staff")}
    declared = {(route.path.rstrip("/"), route.method) for route in ROUTES}
    assert served and served <= declared | {(p, "HEAD") for p, _ in declared}
    assert [r for r in ROUTES if r.role is None] == [r for r in ROUTES if r.path == "/staff/login"]
    declared_roles = {(route.path, route.method, route.role) for route in ROUTES}
    assert {("/staff/test-report", "GET", "agent"), ("/staff/api/test-report", "GET", "agent"),
            ("/staff/test-report/run", "POST", "admin")} <= declared_roles


def test_every_route_is_refused_without_a_session(web):
    anonymous = requests.Session()
    for route in ROUTES:
        if route.role is None:
            continue
        answer = call(anonymous, web, route)
        if route.page:
            assert (answer.status_code, answer.headers["location"]) == (302, "/staff/login"), route
        else:
            assert answer.status_code == 401, route
        assert "Customers waiting" not in answer.text


def test_admin_routes_are_refused_to_agents_and_open_to_admins(web):
    agent, admin = sign_in(web, "agnes"), sign_in(web, "adam")
    admin_routes = [route for route in ROUTES if route.role == "admin"]
    assert admin_routes
    for route in admin_routes:
        assert call(agent, web, route).status_code == 403, route
        assert call(admin, web, route).status_code not in (401, 403), route
    for route in ROUTES:
        if route.role == "agent" and route.path != "/staff/logout":  # logout: tested below
            assert call(agent, web, route).status_code not in (401, 403), route
    assert admin.get(web + "/staff/api/accounts").json() == [
        {"name": "adam", "role": "admin"}, {"name": "agnes", "role": "agent"}]


def test_state_changing_routes_need_the_csrf_token(web):
    agent = sign_in(web, "agnes")
    token = agent.headers.pop("X-CSRF-Token")
    changing = [route for route in ROUTES if route.method != "GET" and route.role]
    assert changing
    for route in changing:
        assert call(agent, web, route).status_code == 403, route
    agent.headers["X-CSRF-Token"] = "0" * len(token)
    for route in changing:
        assert call(agent, web, route).status_code == 403, route
    agent.headers["X-CSRF-Token"] = token
    assert agent.post(web + "/staff/logout", allow_redirects=False).status_code == 303
    assert agent.get(web + "/staff/api/me").status_code == 401  # the session is gone


def test_login_itself_needs_the_form_token(web):
    session = requests.Session()
    answer = session.post(web + "/staff/login", allow_redirects=False,
                          data={"name": "agnes", "password": PASSWORD, "csrf": "forged"})
    assert answer.status_code == 403
    assert "staff_session" not in session.cookies


def test_session_cookie_is_httponly_strict_and_secure_behind_tls(web):
    session = requests.Session()
    token = login_form_token(session, web)
    plain = session.post(web + "/staff/login", allow_redirects=False,
                         data={"name": "agnes", "password": PASSWORD, "csrf": token})
    cookie = plain.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/staff" in cookie
    assert "Secure" not in cookie
    token = login_form_token(session, web)
    tls = session.post(web + "/staff/login", allow_redirects=False,
                       headers={"X-Forwarded-Proto": "https"},
                       data={"name": "agnes", "password": PASSWORD, "csrf": token})
    assert "Secure" in tls.headers["set-cookie"]


def test_failed_logins_are_limited_even_for_the_right_password(web, redis_url):
    add_account(redis_url, "victim", "agent")
    session = requests.Session()
    statuses = []
    for _ in range(6):
        token = login_form_token(session, web)
        statuses.append(session.post(web + "/staff/login", allow_redirects=False, data={
            "name": "victim", "password": "wrong guess here", "csrf": token}).status_code)
    token = login_form_token(session, web)
    right = session.post(web + "/staff/login", allow_redirects=False,
                         data={"name": "victim", "password": PASSWORD, "csrf": token})
    assert statuses == [401] * 5 + [429]
    assert right.status_code == 429


def test_passwords_are_stored_as_argon2id_hashes_only(redis_url):
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    store = AccountStore(client)
    assert accounts.main(["add", "carol", "--role", "admin"], store=store,
                         stdin=io.StringIO("a long enough secret\n")) == 0
    stored = client.hgetall("staff:account:carol")
    assert stored["hash"].startswith("$argon2id$") and "a long enough secret" not in str(stored)
    assert store.verify("carol", "a long enough secret") == Account("carol", "admin")
    assert store.verify("carol", "a long enough secreT") is None
    assert store.verify("nobody", "a long enough secret") is None
    assert accounts.main(["add", "dave", "--role", "agent"], store=store,
                         stdin=io.StringIO("short\n")) == 2
    with pytest.raises(SystemExit):
        accounts.main(["add", "dave", "--role", "boss"], store=store,
                      stdin=io.StringIO("a long enough secret\n"))
    assert client.exists("staff:account:dave") == 0


def test_sessions_expire_when_idle_and_when_too_old(redis_url, monkeypatch):
    monkeypatch.setenv("ASSISTANT_SECRET_KEY", "k" * 64)
    monkeypatch.setenv("STAFF_SESSION_IDLE_SECONDS", "600")
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    store = sessions.SessionStore(client)
    session = store.create(Account("agnes", "agent"))
    key = store._key(session.token)
    assert 0 < client.ttl(key) <= 600  # Redis drops it after the idle time
    assert session.token not in client.get(key) and client.get(PREFIX_RAW(session.token)) is None
    assert store.get(session.token).account == Account("agnes", "agent")
    record = json.loads(client.get(key))
    client.set(key, json.dumps({**record, "started": record["started"] - 9 * 3600}), ex=600)
    assert store.get(session.token) is None  # older than STAFF_SESSION_MAX_SECONDS (8 hours)
    assert client.get(key) is None


def PREFIX_RAW(token: str) -> str:
    return sessions.PREFIX + token
