"""Checks of what customers type for names and contact details: plain checks, clear refusals."""

from __future__ import annotations

import re

EMAIL = re.compile(r"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}$")
NAME_CHARS = re.compile(r"^[^\W\d_][^\W\d_ '\-.]*(?:[ '\-.]+[^\W\d_]+)*\.?$")
FORM_TYPE = re.compile(r"^(?:form\s+)?([a-z])\s*-?\s*(\d{2,3})([a-z]?)$", re.I)
MAX_FREE_TEXT = 300


def normalise_email_or_phone(text: str) -> str | None:
    text = (text or "").strip()
    if EMAIL.match(text):
        return text.lower()
    digits = re.sub(r"[\s().+\-]", "", text)
    if digits.isdigit():
        if len(digits) == 11 and digits.startswith("1"):
            digits = digits[1:]
        if len(digits) == 10 and digits[0] not in "01":
            return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    return None


def normalise_name(text: str) -> str | None:
    name = " ".join((text or "").split())
    if not 2 <= len(name) <= 80 or not NAME_CHARS.match(name):
        return None
    return name


def normalise_form_type(text: str) -> str | None:
    match = FORM_TYPE.match((text or "").strip())
    if not match:
        return None
    letter, number, suffix = match.groups()
    return f"{letter.upper()}-{number}{suffix.upper()}"


def clean_free_text(text: str) -> str | None:
    """A short description in words: trimmed, at most MAX_FREE_TEXT characters, with letters."""
    text = " ".join((text or "").split())
    letters = sum(ch.isalpha() for ch in text)
    if not text or len(text) > MAX_FREE_TEXT or letters < 3 or letters < len(text) / 3:
        return None
    return text
