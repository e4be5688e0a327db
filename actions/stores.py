"""The project's data on the stack's Redis, as actions reach it: one client, and the stores that
run on the conversation's clock."""

from __future__ import annotations

import os

import redis
from rasa_sdk import Tracker

from actions.latest_message import now
from rasa_project.infopass.bookings import BookingStore
from rasa_project.service_requests.store import ServiceRequestStore

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
