"""The assistant's idea of "now": the wall clock, or a time a test injects.

Conversation tests need the Military Help Line both open and closed, so a message may carry
`metadata.now` (ISO 8601). It is honoured only when ASSISTANT_ALLOW_CLOCK_OVERRIDE=1, which the
test stack sets and production never does, so customers cannot move the clock.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

OVERRIDE_ENV = "ASSISTANT_ALLOW_CLOCK_OVERRIDE"


def override_allowed() -> bool:
    return os.environ.get(OVERRIDE_ENV, "0") == "1"


def wall_clock() -> datetime:
    """The real time; tests replace this function to fix it."""
    return datetime.now(timezone.utc)


def current_time(metadata: Mapping[str, Any] | None = None) -> datetime:
    if metadata and override_allowed():
        injected = parse_instant(metadata.get("now"))
        if injected is not None:
            return injected
    return wall_clock()


def parse_instant(value: Any) -> datetime | None:
    """An aware datetime from ISO 8601 text, or None; text without an offset is taken as UTC."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
