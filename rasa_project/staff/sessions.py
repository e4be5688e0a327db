"""Server-side staff sessions in Redis, their CSRF tokens, and the failed-login limit.

The browser holds only a random token (cookie: HttpOnly, SameSite=Strict, Secure behind TLS);
Redis holds the session under a keyed hash of that token, so a Redis dump yields no usable cookie.
A session ends after STAFF_SESSION_IDLE_SECONDS without use or STAFF_SESSION_MAX_SECONDS after
login, whichever comes first. The CSRF token is a keyed hash of the session token: the page gets
it from /staff/api/me and sends it in the X-CSRF-Token header (or the form's `csrf` field).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass

import redis

from rasa_project import lockout
from rasa_project.privacy.keys import purpose_key
from rasa_project.staff.accounts import Account

PREFIX = "staff:session:"
FAILED_PREFIX = "staff:login-failures:"
MAX_FAILURES = 5


def idle_seconds() -> int:
    return int(os.environ.get("STAFF_SESSION_IDLE_SECONDS", "1800"))


def max_seconds() -> int:
    return int(os.environ.get("STAFF_SESSION_MAX_SECONDS", str(8 * 3600)))


def _keyed(purpose: str, token: str) -> str:
    return hmac.new(purpose_key(purpose), token.encode(), hashlib.sha256).hexdigest()


def csrf_token(session_token: str) -> str:
    return _keyed("staff-csrf", session_token)


def csrf_ok(session_token: str, offered: str | None) -> bool:
    return bool(offered) and hmac.compare_digest(csrf_token(session_token), offered)


@dataclass(frozen=True)
class Session:
    token: str
    account: Account

    @property
    def csrf(self) -> str:
        return csrf_token(self.token)


class SessionStore:
    def __init__(self, client: redis.Redis) -> None:
        self.redis = client

    def create(self, account: Account) -> Session:
        token = secrets.token_urlsafe(32)
        record = {"name": account.name, "role": account.role, "started": time.time()}
        self.redis.set(self._key(token), json.dumps(record), ex=idle_seconds())
        return Session(token, account)

    def get(self, token: str | None) -> Session | None:
        """The session, its idle time renewed; None when unknown, idle too long or too old."""
        if not token:
            return None
        key = self._key(token)
        raw = self.redis.get(key)
        if raw is None:
            return None
        record = json.loads(raw)
        if time.time() - record["started"] > max_seconds():
            self.redis.delete(key)
            return None
        self.redis.expire(key, idle_seconds())
        return Session(token, Account(record["name"], record["role"]))

    def end(self, token: str) -> None:
        self.redis.delete(self._key(token))

    @staticmethod
    def _key(token: str) -> str:
        return PREFIX + _keyed("staff-session", token)


class LoginLimiter:
    """Failed logins counted per name and per client address (rasa_project/lockout.py): after
    MAX_FAILURES failures either is locked for LOCK_SECONDS, right password or not."""

    def __init__(self, client: redis.Redis) -> None:
        self.redis = client

    def _keys(self, name: str, address: str) -> list[tuple[str, int]]:
        return [(FAILED_PREFIX + "name:" + _keyed("staff-login", name.lower()), MAX_FAILURES),
                (FAILED_PREFIX + "address:" + _keyed("staff-login", address), MAX_FAILURES)]

    def locked(self, name: str, address: str) -> bool:
        return lockout.is_locked(self.redis, self._keys(name, address))

    def failed(self, name: str, address: str) -> None:
        lockout.record_failure(self.redis, self._keys(name, address))

    def succeeded(self, name: str, address: str) -> None:
        lockout.clear(self.redis, self._keys(name, address)[0][0])
