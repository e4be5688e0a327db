"""Random codes customers read and type back: appointment confirmation codes and Service Request
references. Drawn with `secrets` from 32 characters that cannot be misread (no 0/O, no 1/I), so
each character carries 5 bits: unguessable, yet short enough to read over the phone."""

from __future__ import annotations

import re
import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CHARACTER = "[A-HJ-NP-Z2-9]"


def random_code(prefix: str, length: int) -> str:
    return prefix + "".join(secrets.choice(ALPHABET) for _ in range(length))


def code_pattern(prefix: str, length: int) -> re.Pattern:
    return re.compile(f"^{prefix}{CHARACTER}{{{length}}}$")
