"""Starts the real stack (Redis, two action servers, two Rasa replicas, the website, the nginx
front door, under supervisord) for the integration tests, on ports and in a state folder of its own
so that it never meets a developer's `make run`. Tests reach Rasa through the front door, so every
conversation test also crosses the proxy and the balancing between replicas."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sanic import Sanic

from ops.settings import ROOT, Settings
from ops.stack import Stack

# Tests that walk the website's routes build its app in this process, more than once: Sanic
# refuses a second app of the same name unless in test mode.
Sanic.test_mode = True

TEST_ENV = {
    "STACK_STATE_DIR": str(ROOT / "var" / "test"),
    "LOCAL_REDIS_PORT": os.environ.get("TEST_REDIS_PORT", "16389"),
    "ACTION_PORT": os.environ.get("TEST_ACTION_PORT", "15055"),
    "RASA_PORT": os.environ.get("TEST_RASA_PORT", "15005"),
    "WEB_PORT": os.environ.get("TEST_WEB_PORT", "18080"),
    # The next port after the website's (inside each engineer's port block); the action servers'
    # replicas take the ports after ACTION_PORT, Rasa's second replica the one after RASA_PORT.
    "PUBLIC_PORT": os.environ.get("TEST_PUBLIC_PORT",
                                  str(int(os.environ.get("TEST_WEB_PORT", "18080")) + 1)),
    "RASA_REPLICAS": "2",
    "ACTION_REPLICAS": "2",
    # The tests come from one address, faster than a person types; the proxy's own tests
    # (test_proxy.py) check the per-client limits.
    "RATE_LIMIT_PER_SECOND": "1000",
    "RATE_LIMIT_BURST": "1000",
    "CONN_LIMIT_PER_CLIENT": "2000",
    # Quicker than the defaults, still several failed checks over at least 15 s.
    "WATCHDOG_INTERVAL_SECONDS": "2",
    "WATCHDOG_TIMEOUT_SECONDS": "3",
    "ASSISTANT_ALLOW_CLOCK_OVERRIDE": "1",
}


@pytest.fixture(scope="session")
def stack() -> Stack:
    env = {**os.environ, **TEST_ENV}
    env.pop("REDIS_URL", None)  # the tests always use their own Redis
    for name in ("ASSISTANT_SECRET_KEY", "ACTION_SERVER_TOKEN"):
        env.pop(name, None)  # the stack generates its own, as `make run` does on a fresh clone
    stack = Stack(Settings.from_env(env))
    stack.down()
    shutil.rmtree(Path(TEST_ENV["STACK_STATE_DIR"]), ignore_errors=True)
    stack.up()
    yield stack
    stack.down()


@pytest.fixture(scope="session")
def rasa_url(stack: Stack) -> str:
    """The first Rasa replica, as a proxy reaches it: tests that set X-Forwarded-For play the
    proxy, and wrong identity answers count per client address, so they must not all come from
    the front door's one address. The front door's own tests use `stack.settings.public_url`."""
    return stack.settings.rasa_replica_urls[0]


@pytest.fixture(scope="module")
def redis_url():
    """A throwaway real Redis for tests that need Redis but not the whole stack."""
    from tests.redis_server import redis_server

    with redis_server() as url:
        yield url


@pytest.fixture()
def client(redis_url):
    """A client of the throwaway Redis (strings decoded), emptied for the test."""
    import redis

    client = redis.Redis.from_url(redis_url, decode_responses=True)
    client.flushdb()
    return client


@pytest.fixture()
def actions_on_redis(monkeypatch, redis_url):
    """Actions run against the throwaway Redis, with the clock override allowed."""
    import actions.stores

    monkeypatch.setenv("ASSISTANT_ALLOW_CLOCK_OVERRIDE", "1")
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setattr(actions.stores, "_STORE_CLIENT", None)  # reconnect to this Redis
