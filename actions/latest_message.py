"""What the customer's latest message says: intent, confidence, entities, who sent it, and when."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker

from rasa_project.clock import current_time
from rasa_project.lockout import Requester
from rasa_project.privacy.client_address import CLIENT_METADATA_KEY


def latest_intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def confidence(tracker: Tracker) -> float:
    return float((tracker.latest_message.get("intent") or {}).get("confidence") or 0.0)


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
