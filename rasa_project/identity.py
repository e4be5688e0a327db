"""The identity answer (ZIP code or date of birth) given at creation, kept only as a keyed hash,
and compared in constant time. Wrong answers never say whether a reference number exists.

There are only about 10^5 ZIP codes and as many plausible birth dates, so no unkeyed hash, however
slow, resists guessing offline by someone holding a copy of Redis. The hash is HMAC-SHA256 under a
key derived from ASSISTANT_SECRET_KEY, which is kept outside Redis (rasa_project/privacy/keys.py):
without the key a stored hash confirms nothing. A random salt per record keeps two records with the
same answer from looking alike."""

from __future__ import annotations

import hashlib
import hmac
import os
from datetime import date

from rasa_project.dates import parse_past_date
from rasa_project.privacy.keys import purpose_key
from rasa_project.text import zip_code

SCHEME = "hmac-sha256"

def normalise_identity(text: str, today: date) -> str | None:
    """'zip:12345' or 'dob:1990-05-01' for what a customer typed, or None when it is neither."""
    text = (text or "").strip()
    typed_zip = zip_code(text)
    if typed_zip:
        return f"zip:{typed_zip}"
    if len(text) > 40:
        return None
    answer = parse_past_date(text, today)
    if answer.value is None or answer.problem:
        return None
    return f"dob:{answer.value.isoformat()}"


def hash_identity(normalised: str, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hmac.new(purpose_key("identity-answer"), salt + normalised.encode(), hashlib.sha256)
    return f"{SCHEME}${salt.hex()}${digest.hexdigest()}"


def identity_matches(normalised: str | None, stored: str) -> bool:
    """Only hashes of this scheme match: the earlier unkeyed PBKDF2 ones are refused, not checked,
    so nothing stays verifiable without the key."""
    scheme, _, rest = (stored or "").partition("$")
    salt_hex, _, _ = rest.partition("$")
    if not normalised or scheme != SCHEME or not salt_hex:
        return False
    try:
        candidate = hash_identity(normalised, bytes.fromhex(salt_hex))
    except ValueError:
        return False
    return hmac.compare_digest(candidate, stored)


def keyed_index(*parts: str) -> str:
    """A lookup key built from personal data (a name and an identity answer): the same parts give
    the same key, and without ASSISTANT_SECRET_KEY nobody can tell which parts made it."""
    message = "\x1f".join(parts).encode()
    return hmac.new(purpose_key("lookup-index"), message, hashlib.sha256).hexdigest()[:32]
