"""Conversation ids, issued by the server and signed, so a browser cannot choose one.

A conversation id is a bearer secret: whoever has it reads the replies and writes in the
conversation. Ids are `<24 random characters>.<signature>`, the signature an HMAC-SHA256 (cut to
128 bits) under a key derived from ASSISTANT_SECRET_KEY, so the socket channel can tell an id the
server issued from one a client made up without keeping a list of ids.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from rasa_project.privacy.keys import purpose_key

SHAPE = re.compile(r"^[A-Za-z0-9_-]{24}\.[A-Za-z0-9_-]{22}$")


def _signature(random_part: str) -> str:
    mac = hmac.new(purpose_key("conversation-id"), random_part.encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()[:16]).decode().rstrip("=")


def issue() -> str:
    random_part = secrets.token_urlsafe(18)  # 144 bits, 24 characters
    return f"{random_part}.{_signature(random_part)}"


def is_issued(conversation_id: object) -> bool:
    """True only for an id this server (this master secret) issued."""
    if not isinstance(conversation_id, str) or not SHAPE.match(conversation_id):
        return False
    random_part, signature = conversation_id.split(".")
    return hmac.compare_digest(signature, _signature(random_part))
