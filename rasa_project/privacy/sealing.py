"""Text sealed (encrypted and authenticated) under a per-purpose key, for personal data that must
be readable for a while but not stored in clear: AES-256-GCM from `cryptography`, the key derived
from ASSISTANT_SECRET_KEY (keys.py), a random 96-bit nonce per message. The context (a
conversation id) is bound as associated data, so a sealed message copied to another conversation
does not open there."""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from rasa_project.privacy.keys import purpose_key

NONCE_BYTES = 12


class Unreadable(ValueError):
    """Sealed under another key or context, or altered."""


def seal(purpose: str, context: str, text: str) -> str:
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(purpose_key(purpose)).encrypt(nonce, text.encode(), context.encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(purpose: str, context: str, token: str) -> str:
    try:
        raw = base64.urlsafe_b64decode(token.encode())
        return AESGCM(purpose_key(purpose)).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:],
                                                    context.encode()).decode()
    except (InvalidTag, ValueError) as error:
        raise Unreadable(type(error).__name__) from None
