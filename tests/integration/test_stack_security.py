"""Issue 12, items 1 and 6, against the running stack: the action server answers only Rasa, on
loopback, within a size limit; Redis wants its password; the state folder is the owner's only."""

from __future__ import annotations

import json
import os
import stat
import time
import uuid
import zlib

import pytest
import redis
import requests

from testing.conversation_runner import send

SERVICE_REQUEST_SLOTS = {
    "office_key": "vermont", "problem": "forged", "customer_name": "Mallory Forger",
    "identity_answer": "zip:20529", "contact_info": "m@example.com", "form_type": "I-485",
    "receipt_number": "EAC2190012345",
}


def action_call(action: str, slots: dict | None = None) -> dict:
    """What Rasa posts to /webhook; an attacker can write the same."""
    sender = f"forged-{uuid.uuid4().hex[:8]}"
    return {"next_action": action, "sender_id": sender, "version": "3.6.2", "domain": {},
            "tracker": {"sender_id": sender, "slots": slots or {}, "latest_message": {},
                        "events": [], "paused": False, "followup_action": None,
                        "active_loop": {}, "latest_action_name": None}}


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on `port` (/proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as rows:
            next(rows)
            for row in rows:
                local, state = row.split()[1], row.split()[3]
                address, port_hex = local.split(":")
                if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                    found.add(address)
    return found


@pytest.fixture(scope="module")
def token(stack) -> str:
    return stack.settings.secrets()["ACTION_SERVER_TOKEN"]


def service_request_keys(stack) -> set[bytes]:
    return set(redis.Redis.from_url(stack.settings.effective_redis_url).keys("uscis:sr:req:*"))


def test_action_server_listens_on_loopback_only(stack):
    addresses = listening_addresses(stack.settings.action_port)
    assert addresses == {"0100007F"}, addresses  # 127.0.0.1, not 0.0.0.0 or ::


def test_a_forged_tracker_without_the_token_creates_nothing(stack, token):
    url = f"{stack.settings.action_url}/webhook"
    before = service_request_keys(stack)
    forged = action_call("action_create_service_request", SERVICE_REQUEST_SLOTS)
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": token},
                    {"Authorization": f"Bearer {token[:-1]}"}):
        answer = requests.post(url, json=forged, headers=headers, timeout=10)
        assert answer.status_code == 401, headers
    assert requests.get(f"{stack.settings.action_url}/actions", timeout=10).status_code == 401
    assert service_request_keys(stack) == before
    # Rasa's own calls, with the token, still work: the same call creates the request.
    answer = requests.post(url, json=forged, headers={"Authorization": f"Bearer {token}"},
                           timeout=10)
    assert answer.status_code == 200, answer.text
    assert len(service_request_keys(stack) - before) == 1
    assert requests.get(f"{stack.settings.action_url}/health", timeout=10).status_code == 200


def test_oversized_and_compressed_bodies_are_refused(stack, token):
    url = f"{stack.settings.action_url}/webhook"
    auth = {"Authorization": f"Bearer {token}"}
    big = json.dumps(action_call("action_military_help_line",
                                 {"problem": "x" * (5 * 1024 * 1024)})).encode()
    try:
        answer = requests.post(url, data=big, headers={**auth, "Content-Type": "application/json"},
                               timeout=30)
        assert answer.status_code == 413
    except requests.ConnectionError:
        pass  # Sanic may close the connection instead of reading the rest: refused either way
    bomb = zlib.compress(b"{" + b" " * (200 * 1024 * 1024) + b"}", 9)  # 200 MB in ~200 kB
    assert len(bomb) < 1024 * 1024
    answer = requests.post(url, data=bomb, timeout=30, headers={
        **auth, "Content-Type": "application/json", "Content-Encoding": "deflate"})
    assert answer.status_code == 415
    ok = requests.post(url, json=action_call("action_military_help_line"), headers=auth,
                       timeout=10)
    assert ok.status_code == 200 and ok.json()["responses"]


def test_redis_refuses_clients_without_the_password(stack):
    unauthenticated = redis.Redis(host="127.0.0.1", port=stack.settings.redis_port)
    with pytest.raises(redis.AuthenticationError):
        unauthenticated.get("assistant:tracker:anyone")
    with pytest.raises(redis.AuthenticationError):
        redis.Redis(host="127.0.0.1", port=stack.settings.redis_port, password="guess").ping()
    assert redis.Redis.from_url(stack.settings.effective_redis_url).ping()


def test_no_secret_on_any_command_line_or_in_the_logs(stack, rasa_url):
    assert send(rasa_url, f"secrets-{uuid.uuid4().hex[:8]}", "what is the fax number", {})
    secrets = stack.settings.secrets()
    for service in stack.wanted():
        with open(f"/proc/{stack.pid(service)}/cmdline", "rb") as cmdline:
            shown = cmdline.read().decode(errors="replace")
        for value in secrets.values():
            assert value not in shown, service
    logs = "".join(path.read_text(errors="replace") for path in stack.log_dir.glob("*.log"))
    assert logs
    for value in secrets.values():
        assert value not in logs


def test_rasa_calls_the_action_server_with_the_token(stack, rasa_url):
    [reply] = send(rasa_url, f"token-{uuid.uuid4().hex[:8]}", "what is the fax number", {})
    assert "does not have a general fax number" in reply["text"]  # an action's answer


def test_state_folder_is_readable_by_its_owner_only(stack, rasa_url):
    assert send(rasa_url, f"modes-{uuid.uuid4().hex[:8]}", "what is the fax number", {})
    client = redis.Redis.from_url(stack.settings.effective_redis_url)
    client.bgrewriteaof()  # new append-only files, written by Redis itself
    while client.info("persistence")["aof_rewrite_in_progress"]:
        time.sleep(0.05)
    state = stack.settings.state_dir
    names = {path.name for path in state.rglob("*")}
    assert {"secrets.env", "redis.conf", "rasa-1.log", "actions-1.log"} <= names
    assert any(name.startswith("appendonly") for name in names)
    for path in [state, *state.rglob("*")]:
        mode = stat.S_IMODE(os.lstat(path).st_mode)
        assert mode & 0o077 == 0, f"{path} is {oct(mode)}"
