"""Per-purpose keys derived from the one master secret, ASSISTANT_SECRET_KEY.

Every keyed hash (identity answers, customer index keys, conversation ids) and every shared secret
the stack derives (action server token, local Redis password) gets its own key through HKDF-SHA256
(RFC 5869, from `cryptography`), so a key leaked for one purpose says nothing about another. The
master secret lives outside Redis: in the environment, or for a local stack in the state folder's
`secrets.env` (ops/secrets.py writes it, mode 0600). Without it nothing here works: the code
refuses rather than falling back to an unkeyed hash.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MASTER_ENV = "ASSISTANT_SECRET_KEY"
MIN_MASTER_CHARS = 32  # 32 hex characters: 128 bits


class MissingSecret(RuntimeError):
    pass


def master_secret(env: Mapping[str, str] = os.environ) -> str:
    secret = env.get(MASTER_ENV, "")
    if len(secret) < MIN_MASTER_CHARS:
        raise MissingSecret(
            f"{MASTER_ENV} is not set (or shorter than {MIN_MASTER_CHARS} characters); "
            "`make run` generates one in var/secrets.env, production sets it in the environment")
    return secret


def derive(master: str, purpose: str, length: int = 32) -> bytes:
    """The key for one purpose ('identity-answer', 'redis-password', ...)."""
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None,
                info=f"uscis-assistant/{purpose}".encode()).derive(master.encode())


@lru_cache(maxsize=16)
def _cached(master: str, purpose: str) -> bytes:
    return derive(master, purpose)


def purpose_key(purpose: str) -> bytes:
    """The key for one purpose, from the environment's master secret (read on every call, so a
    test or a restart with another secret takes effect; the derivation itself is cached)."""
    return _cached(master_secret(), purpose)
