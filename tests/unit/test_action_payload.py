"""The action server gets Rasa's payload with the current turn's events only; actions read
nothing older."""

from __future__ import annotations

import re
from pathlib import Path

from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from rasa_extensions.patches import action_payload

ROOT = Path(__file__).resolve().parents[2]


def conversation(turns: int) -> list:
    events = [ActionExecuted("action_session_start"), ActionExecuted("action_listen")]
    for turn in range(turns):
        events += [UserUttered(f"question {turn}", {"name": "ask_fax", "confidence": 0.9}),
                   ActionExecuted("action_answer_fax"), BotUttered(f"answer {turn}"),
                   ActionExecuted("action_listen")]
    # the turn under way: a slot set at the end
    return events + [UserUttered("EAC2190012345", {"name": "inform", "confidence": 0.8}),
                     SlotSet("receipt_number", "EAC2190012345")]


def payloads(monkeypatch, turns: int) -> tuple[dict, dict, list]:
    domain = Domain.load(ROOT / "domain")
    events = conversation(turns)
    tracker = DialogueStateTracker.from_events("ana", events, domain.slots)
    action = RemoteAction("action_answer_fax", EndpointConfig("http://127.0.0.1:1"))
    rasas = action_payload.RASA_ACTION_CALL_FORMAT(action, tracker, domain)
    ours = action_payload.action_call_format(action, tracker, domain)
    return rasas, ours, events


def test_the_payload_is_rasas_with_the_current_turns_events(monkeypatch):
    monkeypatch.setenv("ACTION_SERVER_EVENTS", "turn")
    rasas, ours, events = payloads(monkeypatch, 50)
    assert {**ours, "tracker": {**ours["tracker"], "events": None}} == \
        {**rasas, "tracker": {**rasas["tracker"], "events": None}}
    # From the action_listen before the latest user message: what rasa-sdk's Tracker reads.
    assert ours["tracker"]["events"] == rasas["tracker"]["events"][-3:]
    assert [e["event"] for e in ours["tracker"]["events"]] == ["action", "user", "slot"]
    assert len(rasas["tracker"]["events"]) == len(events)


def test_the_payload_does_not_grow_with_the_conversation(monkeypatch):
    monkeypatch.setenv("ACTION_SERVER_EVENTS", "turn")
    assert len(payloads(monkeypatch, 5)[1]["tracker"]["events"]) == \
        len(payloads(monkeypatch, 100)[1]["tracker"]["events"])


def test_the_whole_conversation_can_be_sent_as_rasa_does(monkeypatch):
    monkeypatch.setenv("ACTION_SERVER_EVENTS", "all")
    rasas, ours, _ = payloads(monkeypatch, 5)
    assert ours == rasas


def test_form_validators_get_the_whole_conversation(monkeypatch):
    monkeypatch.setenv("ACTION_SERVER_EVENTS", "turn")
    domain = Domain.load(ROOT / "domain")
    tracker = DialogueStateTracker.from_events("ana", conversation(5), domain.slots)
    action = RemoteAction("validate_reschedule_appointment_form", EndpointConfig("http://127.0.0.1:1"))
    assert (action_payload.action_call_format(action, tracker, domain)
            == action_payload.RASA_ACTION_CALL_FORMAT(action, tracker, domain))


def test_the_current_turn_is_the_default_only_if_no_other_action_reads_earlier_turns():
    """The contract that lets the payload leave old events out: no action but the form
    validators reads the event history. While some do, the default is Rasa's whole payload."""
    history = re.compile(r"tracker\.(events|applied_events|events_after_latest_restart|"
                         r"get_last_event_for|idx_after_latest_restart)\b")
    assert history.search("earlier = [e for e in tracker.events]")  # the check can find a read
    readers = []
    for path in (ROOT / "actions").rglob("*.py"):
        owner = None
        for line in path.read_text().splitlines():
            if line.startswith("class "):
                owner = line
            if history.search(line) and not (owner and owner.startswith("class Validate")):
                readers.append((path.name, line.strip()))
    if readers:
        assert action_payload.DEFAULT_EVENTS == "all", readers
