"""One REDIS_URL, with an ACL user, a password, a database number and TLS, reaches every store.

A real redis-server whose default user has one password and an ACL user another: a store that
dropped the user name (authenticating as `default` with the user's password), the password, the
database number or TLS (`rediss://`, a TLS-only port) would fail or write elsewhere.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import subprocess
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
import yaml
from rasa.core.lock_store import LockStore
from rasa.core.tracker_store import TrackerStore
from rasa.core.utils import read_endpoints_from_path
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

import actions.stores
from ops.settings import Settings
from ops.stack import Stack
from rasa_extensions.lock_store import AtomicRedisLockStore
from rasa_extensions.redis_client import redis_url
from rasa_extensions.tracker_store import AppendingRedisTrackerStore
from rasa_project.conversation_record import read_events
from rasa_project.infopass.bookings import BookingStore
from rasa_project.infopass.offices import default_offices
from rasa_project.service_requests import staff
from rasa_project.service_requests.store import NewServiceRequest, ServiceRequestStore
from testing.conversation_runner import load_conversations, run_conversation
from tests.redis_server import free_port, free_ports, redis_server

ROOT = Path(__file__).resolve().parents[2]
ADMIN_PASSWORD = "admin-only"
USER, USER_PASSWORD = "assistant", "p@ss:w/rd#1?"  # characters a URL must escape
NOW = datetime(2026, 11, 30, 14, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A throwaway self-signed certificate for 127.0.0.1."""
    folder = tmp_path_factory.mktemp("redis-tls")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem"),
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True)
    return folder


def secured(tls: bool, certificate: Path):
    """A Redis with `requirepass` and an ACL user; TLS-only when `tls`."""
    options = ["--requirepass", ADMIN_PASSWORD]
    scheme, query = "redis", ""
    if tls:
        options += ["--port", "0", "--tls-port", "{port}", "--tls-auth-clients", "no",
                    "--tls-cert-file", str(certificate / "cert.pem"),
                    "--tls-key-file", str(certificate / "key.pem")]
        scheme, query = "rediss", f"?ssl_ca_certs={quote(str(certificate / 'cert.pem'))}"
    return redis_server(*options, url=f"{scheme}://:{ADMIN_PASSWORD}@127.0.0.1:{{port}}/0{query}")


@contextmanager
def secured_redis(kind: str, certificate: Path):
    """(the URL the app is given, an admin client on its database, the user the URL names)."""
    with secured(kind.endswith("tls"), certificate) as admin_url:
        admin = redis.Redis.from_url(admin_url, decode_responses=True)
        admin.acl_setuser(USER, enabled=True, passwords=[f"+{USER_PASSWORD}"], keys=["*"],
                          channels=["*"], commands=["+@all", "-@admin"])
        credentials = (f"{USER}:{quote(USER_PASSWORD, safe='')}" if "acl" in kind
                       else f":{ADMIN_PASSWORD}")
        db = 3
        url = admin_url.replace(f":{ADMIN_PASSWORD}@", f"{credentials}@").replace("/0", f"/{db}")
        yield url, redis.Redis.from_url(admin_url.replace("/0", f"/{db}"), decode_responses=True), \
            USER if "acl" in kind else "default"


@pytest.fixture(scope="module", params=["acl-user", "password-only", "acl-user-tls"])
def server(request, certificate):
    with secured_redis(request.param, certificate) as found:
        yield found


def wrong_password(url: str) -> str:
    return url.replace(f":{quote(USER_PASSWORD, safe='')}@", ":wrong@").replace(
        f":{ADMIN_PASSWORD}@", ":wrong@")


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain")


@pytest.fixture()
def endpoints(monkeypatch, server):
    """endpoints.yml as Rasa reads it, with REDIS_URL set as the stack and the image set it."""
    monkeypatch.setenv("REDIS_URL", server[0])
    monkeypatch.setenv("ACTION_ENDPOINT_URL", "http://127.0.0.1:9/webhook")
    monkeypatch.setenv("ACTION_SERVER_TOKEN", "not-used-here")
    monkeypatch.setenv("TRACKER_RECORD_EXPIRY_SECONDS", "600")
    return read_endpoints_from_path(ROOT / "endpoints.yml")


def conversation(sender: str, text: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(sender, [
        ActionExecuted("action_listen"), UserUttered(text, {"name": "greet", "confidence": 1.0})])


def request() -> NewServiceRequest:
    return NewServiceRequest(kind="case_inquiry", office_key="vermont", problem="card not received",
                             customer_name="Maria Lopez", identity="zip:20529",
                             contact="maria@example.com", receipt_number="EAC2190012345",
                             form_type="I-485")


async def test_rasa_builds_both_stores_from_endpoints_yml_with_the_whole_url(endpoints, domain,
                                                                            server):
    _, admin, _ = server
    tracker_store = TrackerStore.create(endpoints.tracker_store, domain)
    lock_store = LockStore.create(endpoints.lock_store)
    # Rasa falls back to an in-memory store when it cannot build the configured one.
    assert isinstance(tracker_store, AppendingRedisTrackerStore)
    assert isinstance(lock_store, AtomicRedisLockStore)

    sender = f"url-{uuid.uuid4().hex[:8]}"
    async with lock_store.lock(sender):
        assert admin.keys(f"assistant:conversation_lock:{sender}")  # in the URL's database
        await tracker_store.save(conversation(sender, "hello over the URL"))
    assert admin.keys(f"assistant:conversation_lock:{sender}") == []
    assert "hello over the URL" in str(read_events(admin, f"assistant:tracker:{sender}"))
    assert 0 < admin.ttl(f"assistant:tracker:{sender}") <= 600
    assert (await tracker_store.retrieve(sender)).latest_message.text == "hello over the URL"
    assert tracker_store.red.exists(f"assistant:tracker:{sender}")  # Rasa's own client, same URL


def test_the_projects_stores_use_the_whole_url(monkeypatch, server, capsys):
    url, admin, user = server
    monkeypatch.setenv("REDIS_URL", url)
    monkeypatch.setattr(actions.stores, "_STORE_CLIENT", None)
    assert actions.stores.redis_client().acl_whoami() == user

    created = ServiceRequestStore.from_url(url).create(request())
    assert admin.hget(f"uscis:sr:req:{created.reference}", "status") == "received"
    assert staff.main(["show", created.reference]) == 0  # the staff command reads REDIS_URL
    assert created.reference in capsys.readouterr().out

    office = default_offices()["chicago"]
    start = datetime(2026, 12, 1, 15, 0, tzinfo=timezone.utc)
    booked = BookingStore.from_url(url, clock=lambda: NOW).book(office, start, "x", "Ann Lee",
                                                                 "zip:60601")
    assert booked.outcome == "booked"
    assert admin.hget(f"uscis:infopass:booking:{booked.code}", "status") == "booked"


async def test_a_wrong_password_fails_clearly_in_every_store(domain, server):
    url = wrong_password(server[0])
    clear = "invalid username-password pair"
    with pytest.raises(redis.AuthenticationError, match=clear):
        await AppendingRedisTrackerStore(domain, host=url).save(conversation("x", "hi"))
    with pytest.raises(redis.AuthenticationError, match=clear):
        await AtomicRedisLockStore.create(_lock_endpoint(url)).take_turn("x", 0, 1)
    with pytest.raises(redis.AuthenticationError, match=clear):
        ServiceRequestStore.from_url(url).create(request())
    with pytest.raises(redis.AuthenticationError, match=clear):
        BookingStore.from_url(url).get("IPABCDEFGH")


def _lock_endpoint(url: str):
    from rasa.utils.endpoints import EndpointConfig

    return EndpointConfig(url=url, type="rasa_extensions.lock_store.AtomicRedisLockStore")


def test_rasas_separate_settings_become_the_same_url():
    assert redis_url("redis.internal", 6380, 2, "assistant", "p@ss:w/rd", use_ssl=True,
                     ssl_ca_certs="/etc/ca.pem") == \
        "rediss://assistant:p%40ss%3Aw%2Frd@redis.internal:6380/2?ssl_ca_certs=%2Fetc%2Fca.pem"
    assert redis_url("127.0.0.1", "6389", "0") == "redis://127.0.0.1:6389/0"
    assert redis_url("rediss://u:p@h:1/4") == "rediss://u:p@h:1/4"  # a URL is kept whole


def test_the_manifests_redis_serves_every_store_through_its_acl_user_only(domain, tmp_path):
    """ops/deploy/k8s/redis.yaml's own start script, on this machine's redis-server, with the
    example Secret's REDIS_URL: the stores work as the ACL user; the default user is off."""
    manifest = ROOT / "ops" / "deploy" / "k8s"
    statefulset = next(d for d in yaml.safe_load_all((manifest / "redis.yaml").read_text())
                       if d["kind"] == "StatefulSet")
    script = statefulset["spec"]["template"]["spec"]["containers"][0]["args"][0]
    port = free_port()
    local = script.replace("port 6379", f"port {port}\nbind 127.0.0.1").replace(
        "dir /data", f"dir {tmp_path}")
    assert local.count(str(port)) == 1 and str(tmp_path) in local
    secret = yaml.safe_load((manifest / "secret.example.yaml").read_text())["stringData"]
    password = "an0ther p@ss"
    url = secret["REDIS_URL"].replace(secret["REDIS_PASSWORD"], quote(password, safe="")) \
        .replace("@redis:6379/", f"@127.0.0.1:{port}/")
    process = subprocess.Popen(["sh", "-c", local], env={"REDIS_PASSWORD": password,
                                                         "PATH": os.environ["PATH"]},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        client = redis.Redis.from_url(url, decode_responses=True)
        deadline = time.monotonic() + 10
        while True:
            try:
                assert client.acl_whoami() == "assistant"
                break
            except redis.ConnectionError:
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.05)
        with pytest.raises(redis.AuthenticationError):  # the default user is switched off
            redis.Redis(port=port, password=password).ping()

        tracker_store = AppendingRedisTrackerStore(domain, host=url, key_prefix="assistant")
        lock_store = AtomicRedisLockStore(_lock_endpoint(url))

        async def converse() -> None:
            async with lock_store.lock("k8s"):
                await tracker_store.save(conversation("k8s", "hello from the cluster"))
            stored = await tracker_store.retrieve("k8s")
            assert stored.latest_message.text == "hello from the cluster"

        asyncio.run(converse())
        assert ServiceRequestStore.from_url(url).create(request()).reference
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_stack_keeps_conversations_and_service_requests_on_a_tls_redis_as_an_acl_user(
        certificate, tmp_path):
    """The real Rasa server and action server, given only REDIS_URL (as `make run` and the
    Kubernetes pods are): a conversation that files a Service Request lands in that Redis."""
    with secured_redis("acl-user-tls", certificate) as (url, admin, _):
        env = {**os.environ, "REDIS_URL": url, "STACK_STATE_DIR": str(tmp_path),
               "ACTION_PORT": str(free_ports(2)), "RASA_PORT": str(free_port()),
               "PUBLIC_PORT": str(free_port()), "RASA_REPLICAS": "1",
               "ASSISTANT_ALLOW_CLOCK_OVERRIDE": "1"}
        stack = Stack(dataclasses.replace(Settings.from_env(env), with_web=False))
        stack.up()
        try:
            [conversation] = [c for c in load_conversations(ROOT / "tests" / "conversations")
                              if c.name == "a wrong identity answer reveals nothing"]
            result = run_conversation(stack.settings.rasa_url, conversation)
            assert result.passed, "\n".join(result.failures + result.transcript)
        finally:
            stack.down()
        assert admin.keys("assistant:tracker:*")  # Rasa's tracker store
        assert admin.keys("uscis:sr:req:*")  # the action server's Service Request store
