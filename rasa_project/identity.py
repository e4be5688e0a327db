"""The identity answer (ZIP code or date of birth) given at creation, kept only as a salted hash,
and compared in constant time. Wrong answers never say whether a reference number exists."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from datetime import date

from rasa_project.dates import parse_past_date

ZIP = re.compile(r"^\s*(\d{5})(?:-\d{4})?\s*$")


def normalise_identity(text: str, today: date) -> str | None:
    """'zip:12345' or 'dob:1990-05-01' for what a customer typed, or None when it is neither."""
    text = (text or "").strip()
    match = ZIP.match(text)
    if match:
        return f"zip:{match.group(1)}"
    if len(text) > 40:
        return None
    answer = parse_past_date(text, today)
    if answer.value is None or answer.problem:
        return None
    return f"dob:{answer.value.isoformat()}"


def hash_identity(normalised: str, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", normalised.encode(), salt, 50_000)
    return f"{salt.hex()}${digest.hex()}"


def identity_matches(normalised: str | None, stored: str) -> bool:
    if not normalised or "$" not in stored:
        return False
    salt_hex, _ = stored.split("$", 1)
    candidate = hash_identity(normalised, bytes.fromhex(salt_hex))
    return hmac.compare_digest(candidate, stored)
