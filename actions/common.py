"""What every action needs from the tracker: the directory's facts, the clock, the entities."""

from __future__ import annotations

import os
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import redis
from rasa_sdk import Tracker

from rasa_project.clock import current_time
from rasa_project.directory.loader import Directory, default_directory
from rasa_project.infopass.bookings import BookingStore
from rasa_project.lockout import Requester
from rasa_project.privacy.client_address import CLIENT_METADATA_KEY
from rasa_project.service_requests.store import ServiceRequestStore


def directory() -> Directory:
    return default_directory()


def facts() -> dict[str, str]:
    return dict(_facts())


@lru_cache(maxsize=1)
def _facts() -> dict[str, str]:
    # The directory is loaded once per process, so its response variables are too.
    return directory().facts()


def latest_intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def entity_texts(tracker: Tracker, entity: str) -> list[str]:
    """The surface texts of one entity type in the latest message, in order."""
    found: list[Any] = [
        item.get("value") for item in tracker.latest_message.get("entities") or []
        if item.get("entity") == entity
    ]
    return [value for value in found if isinstance(value, str) and value]


def requester(tracker: Tracker) -> Requester:
    """Who is asking, for counting failed identity checks: the conversation, and the keyed hash of
    the client address that the channel put in the message metadata."""
    metadata = tracker.latest_message.get("metadata") or {}
    return Requester(tracker.sender_id or "", str(metadata.get(CLIENT_METADATA_KEY) or ""))


def now(tracker: Tracker) -> datetime:
    return current_time(tracker.latest_message.get("metadata"))


# USCIS counts days in Central time (the Military Help Line's hours are given in CST too); the
# stack's clock is UTC, which after about 6 pm Central is already tomorrow.
CUSTOMER_DAY_ZONE = ZoneInfo("America/Chicago")


def today(tracker: Tracker) -> date:
    return now(tracker).astimezone(CUSTOMER_DAY_ZONE).date()


def confidence(tracker: Tracker) -> float:
    return float((tracker.latest_message.get("intent") or {}).get("confidence") or 0.0)


_STORE_CLIENT = None


def redis_client():
    """One client for the project's data on the stack's Redis (REDIS_URL)."""
    global _STORE_CLIENT
    if _STORE_CLIENT is None:
        url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6389/0")
        _STORE_CLIENT = redis.Redis.from_url(url, decode_responses=True, socket_timeout=5,
                                             socket_connect_timeout=5)
    return _STORE_CLIENT


def service_requests(tracker: Tracker) -> ServiceRequestStore:
    """The Service Request store, with the conversation's clock."""
    return ServiceRequestStore(redis_client(), clock=lambda: now(tracker))


def bookings(tracker: Tracker) -> BookingStore:
    """The InfoPass booking store, with the conversation's clock."""
    return BookingStore(redis_client(), clock=lambda: now(tracker))
