"""What every action needs from the tracker: the directory's facts, the clock, the entities."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rasa_sdk import Tracker

from rasa_project.clock import current_time
from rasa_project.directory.loader import Directory, default_directory


def directory() -> Directory:
    return default_directory()


def facts() -> dict[str, str]:
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


def now(tracker: Tracker) -> datetime:
    return current_time(tracker.latest_message.get("metadata"))
