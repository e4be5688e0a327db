"""Redaction of a stored conversation (Rasa's events as JSON dictionaries), applied by the tracker
store each time it saves, so personal data does not sit in Redis for the record's 30 days.

- A personal slot's value is kept only while it is live: the last value the slot was set to in
  the current session, while not cleared. Earlier values, values since cleared (the form used
  them, or was stopped) and values of earlier sessions become "[redacted]". The replayed state is
  the same: the slot's current value does not change, and these slots do not influence the
  conversation (domain/), so predictions do not either.
- The customer's own messages are masked where they are personal: the whole answer to a personal
  slot's question, and anything that looks like an email, phone, date, ZIP or receipt number.
  Masking keeps the length (`*`), so entity offsets stay right; entity values found there become
  "[redacted]"; intents and entity names, all that Rasa's policies read, are kept. Forms read
  answers from the latest message while the turn runs, and the store saves after the turn.
- Where the assistant quoted a masked piece back ("... is not a ZIP code I know"), it is masked too.

Redacting twice gives the same result, and only changes what is personal, so the stored copy is
always a redacted copy of the conversation Rasa holds in memory.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from rasa_project.privacy.personal_data import PERSONAL_SLOTS, personal_spans

REDACTED = "[redacted]"
MASK = "*"
MIN_QUOTED = 3  # shorter masked pieces are not searched for in the assistant's replies

Event = dict[str, Any]


def holds_personal_data(event: Event) -> bool:
    """A personal slot's event, or another slot's whose value looks personal (a birth date typed
    where the form asked for a time: the validator rejects it, but the event stays)."""
    if event.get("name") in PERSONAL_SLOTS:
        return True
    value = event.get("value")
    return isinstance(value, str) and value != REDACTED and bool(personal_spans(value))


def live_values(events: list[Event]) -> dict[int, bool]:
    """Index of each slot event holding personal data -> whether its value is live (kept)."""
    last: dict[str, int] = {}
    live: dict[int, bool] = {}
    for index, event in enumerate(events):
        kind = event.get("event")
        if kind in ("session_started", "restart", "reset_slots"):
            last.clear()  # every slot empty again (a new session carries none over: domain/)
        elif kind == "slot" and event.get("name") in last:
            last[event["name"]] = index  # a later value of a tracked slot supersedes it
            live[index] = False
        elif kind == "slot" and holds_personal_data(event):
            last[event["name"]] = index
            live[index] = False
    for index in last.values():
        live[index] = events[index].get("value") is not None
    return live


def mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = MASK * (end - start)
    return "".join(chars)


def redact_user_event(event: Event, whole: bool) -> tuple[Event, list[str]]:
    """The event with personal pieces masked, and the pieces masked."""
    text = event.get("text")
    if not isinstance(text, str) or not text:
        return event, []
    spans = [(0, len(text))] if whole and text.strip(MASK) else personal_spans(text)
    if not spans:
        return event, []
    redacted = copy.deepcopy(event)
    redacted["text"] = mask(text, spans)
    parse_data = redacted.get("parse_data")
    if isinstance(parse_data, dict):
        if isinstance(parse_data.get("text"), str):
            parse_data["text"] = redacted["text"]
        for entity in parse_data.get("entities") or []:
            start, end = entity.get("start"), entity.get("end")
            inside = isinstance(start, int) and isinstance(end, int) and any(
                start < span_end and span_start < end for span_start, span_end in spans)
            if inside or whole:
                entity["value"] = REDACTED
                if "text" in entity:
                    entity["text"] = REDACTED
    pieces = [text[start:end].strip() for start, end in spans]
    return redacted, [piece for piece in pieces if len(piece) >= MIN_QUOTED]


def redact_bot_event(event: Event, pieces: set[str]) -> Event:
    text = event.get("text")
    if not pieces or not isinstance(text, str):
        return event
    found = [piece for piece in pieces if piece in text]
    if not found:
        return event
    redacted = copy.deepcopy(event)
    for piece in sorted(found, key=len, reverse=True):
        redacted["text"] = redacted["text"].replace(piece, MASK * len(piece))
    return redacted


def redact_events(events: list[Event]) -> list[Event]:
    """The events with personal data redacted; the same list object when nothing changed."""
    live = live_values(events)
    requested: str | None = None
    pieces: set[str] = set()
    result: list[Event] = []
    changed = False
    for index, event in enumerate(events):
        kind = event.get("event")
        new = event
        if kind == "slot" and event.get("name") == "requested_slot":
            requested = event.get("value")
        elif kind in ("session_started", "restart", "active_loop") and not (
                kind == "active_loop" and event.get("name")):
            requested = None  # a form ended or a session began: nothing is being asked
        if index in live and not live[index] and event.get("value") not in (None, REDACTED):
            new = {**event, "value": REDACTED}
        elif kind == "user":
            new, masked = redact_user_event(event, whole=requested in PERSONAL_SLOTS)
            pieces.update(masked)
        elif kind == "bot":
            new = redact_bot_event(event, pieces)
        changed = changed or new is not event
        result.append(new)
    return result if changed else events


def redact_dialogue(dialogue: dict[str, Any]) -> dict[str, Any]:
    """A dialogue as Rasa serialises it ({"events": [...], "name": ...}), redacted; the same
    object when nothing changed."""
    events = dialogue.get("events") or []
    redacted = redact_events(events)
    return dialogue if redacted is events else {**dialogue, "events": redacted}


@dataclass
class Redactor:
    """`redact_events` one save at a time, for a store that appends each turn's events: what it
    needs to know of the events already stored (whose personal slot values are still live, what
    the form is asking), so that a save looks at the new events only. After each `add`, the
    stored events with the returned rewrites applied equal `redact_events` of the whole
    conversation (earlier events are stored redacted; redacting twice changes nothing)."""
    count: int = 0  # events seen
    tracked: dict[str, int] = field(default_factory=dict)  # slot -> index of its latest value
    values: dict[int, Any] = field(default_factory=dict)  # index -> that event's value
    requested: Any = None

    def add(self, events: list[Event]) -> tuple[list[Event], list[int]]:
        """The new events, redacted, and the indices of earlier (stored) events whose value is
        no longer live and must now be stored as REDACTED."""
        start = self.count
        superseded: list[int] = []
        for offset, event in enumerate(events):
            index = start + offset
            kind = event.get("event")
            if kind in ("session_started", "restart", "reset_slots"):
                superseded += self.tracked.values()
                self.tracked.clear()
            elif kind == "slot" and (event.get("name") in self.tracked
                                     or holds_personal_data(event)):
                if event["name"] in self.tracked:
                    superseded.append(self.tracked[event["name"]])
                self.tracked[event["name"]] = index
                self.values[index] = event.get("value")
        self.count += len(events)
        live = {index for index in self.tracked.values() if self.values[index] is not None}
        dead = {index for index in superseded if self.values.get(index) not in (None, REDACTED)}
        for index in superseded:
            self.values[index] = REDACTED if index in dead else self.values.get(index)
        redacted = []
        pieces: set[str] = set()
        for offset, event in enumerate(events):
            index = start + offset
            kind = event.get("event")
            new = event
            if kind == "slot" and event.get("name") == "requested_slot":
                self.requested = event.get("value")
            elif kind in ("session_started", "restart", "active_loop") and not (
                    kind == "active_loop" and event.get("name")):
                self.requested = None
            if index in self.values and index not in live:
                if event.get("value") not in (None, REDACTED):
                    new = {**event, "value": REDACTED}
            elif kind == "user":
                new, masked = redact_user_event(event, whole=self.requested in PERSONAL_SLOTS)
                pieces.update(masked)
            elif kind == "bot":
                new = redact_bot_event(event, pieces)
            redacted.append(new)
        for index in list(self.values):  # only live values need remembering
            if index not in live and index not in self.tracked.values():
                del self.values[index]
        return redacted, sorted(index for index in dead if index < start)
