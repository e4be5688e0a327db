"""The project's data on the stack's Redis, as actions reach it: one client, and the stores that
run on the conversation's clock."""

from __future__ import annotations

import redis
from rasa_sdk import Tracker

from actions.latest_message import now
from rasa_project import settings
from rasa_project.infopass.bookings import BookingStore
from rasa_project.service_requests.store import ServiceRequestStore

_STORE_CLIENT = None


def redis_client():
    """One client for the project's data on the stack's Redis (REDIS_URL)."""
    global _STORE_CLIENT
    if _STORE_CLIENT is None:
        _STORE_CLIENT = redis.Redis.from_url(settings.redis_url(), decode_responses=True,
                                             socket_timeout=5,
                                             socket_connect_timeout=5)
    return _STORE_CLIENT


def service_requests(tracker: Tracker) -> ServiceRequestStore:
    """The Service Request store, with the conversation's clock."""
    return ServiceRequestStore(redis_client(), clock=lambda: now(tracker))


def bookings(tracker: Tracker) -> BookingStore:
    """The InfoPass booking store, with the conversation's clock."""
    return BookingStore(redis_client(), clock=lambda: now(tracker))
