"""Runs an action against a real rasa-sdk Tracker and renders what it said with Rasa's own
response generator and the real domain/, so tests read the text a customer would read."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

ROOT = Path(__file__).resolve().parents[2]


@lru_cache(maxsize=1)
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain"))


def tracker(text: str, intent: str | None, entities: list[dict] | None = None,
            metadata: dict | None = None, ranking: list[dict] | None = None,
            confidence: float = 0.95, slots: dict | None = None) -> Tracker:
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence} if intent else {},
        "entities": entities or [],
        "intent_ranking": ranking
        or ([{"name": intent, "confidence": confidence}] if intent else []),
        "metadata": metadata or {},
    }
    events = [{"event": "action", "name": "action_listen"},
              {"event": "user", "text": text, "parse_data": latest, "metadata": metadata or {}}]
    return Tracker(
        "test-user",
        {"language": "en", **(slots or {})},
        latest,
        events,
        False,
        None,
        {},
        "action_listen",
    )


def entity(name: str, value: str) -> dict:
    return {"entity": name, "value": value, "start": 0, "end": len(value)}


async def run(action, tracker_: Tracker) -> tuple[list[dict], list[Any]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker_, domain().as_dict())
    return dispatcher.messages, events


async def render(message: dict, language: str = "en") -> str:
    """The text Rasa would send for one dispatched message, in a conversation in `language`."""
    generator = TemplatedNaturalLanguageGenerator(domain().responses)
    rasa_tracker = DialogueStateTracker.from_events("test-user", [], slots=domain().slots)
    rasa_tracker.update(SlotSet("language", language))
    kwargs = {k: v for k, v in message.items() if k not in ("response", "text") and v is not None}
    generated = await generator.generate(message["response"], rasa_tracker, "rest", **kwargs)
    assert generated is not None, f"no response named {message['response']}"
    return generated["text"]


