"""The runtime settings that more than one part of the assistant reads, each with its one default.

Every value comes from an environment variable (README, "Configuration"; `.env.example` lists
them all) with a default that suits a developer's machine. The action server, the website, the
staff console, the staff tools and the Rasa extensions read them here; `ops/settings.py` starts
every process with the same values. A setting read in one place only keeps its default beside its
reader. This module imports nothing from `ops/`: operations depend on the assistant, never the
reverse.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

# Ports on this machine (loopback). Rasa's and rasa-sdk's own defaults; the stack's Redis is not
# on Redis's 6379, so a system Redis can run beside it; the website app sits behind the front door.
RASA_PORT = 5005
ACTION_PORT = 5055
LOCAL_REDIS_PORT = 6389
WEB_PORT = 8081
PUBLIC_PORT = 8080  # the nginx front door: the page, REST and socket.io
REDIS_DEFAULT_PORT = 6379  # Redis's own, for a Redis URL or host that names no port

DAY_SECONDS = 86_400
# How long a conversation is kept after its last message (Rasa's tracker `record_exp`); a
# handoff transcript is kept as long, and the website tells customers so.
TRACKER_RECORD_EXPIRY_SECONDS = 30 * DAY_SECONDS


def redis_url(env: Mapping[str, str] = os.environ) -> str:
    """The project's Redis, REDIS_URL whole (ACL user, password, TLS). The stack always sets it;
    the default, the stack's Redis without its password, serves only a Redis run by hand."""
    return env.get("REDIS_URL") or f"redis://127.0.0.1:{LOCAL_REDIS_PORT}/0"


def tracker_expiry_seconds(env: Mapping[str, str] = os.environ) -> int:
    return int(env.get("TRACKER_RECORD_EXPIRY_SECONDS") or TRACKER_RECORD_EXPIRY_SECONDS)


def rasa_url(env: Mapping[str, str] = os.environ) -> str:
    """Where a client sends messages: RASA_URL (the stack sets its front door), else a Rasa
    server run by hand on its default port."""
    return (env.get("RASA_URL") or f"http://127.0.0.1:{RASA_PORT}").rstrip("/")
