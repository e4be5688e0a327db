"""The action server gets Rasa's payload with the conversation's latest turns as its events (the
window, rasa_project/conversation_window.py), and the actions read nothing the window does not
hold."""

from __future__ import annotations

import ast
import inspect
import json
from pathlib import Path

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig
from rasa_sdk import Tracker

from actions import recent_turns
from actions.fallback import not_understood_twice
from actions.feedback import answered_topic
from actions.handoff import summary
from rasa_extensions.patches import action_payload
from rasa_project.conversation_window import CUSTOMER_MESSAGES, MAX_EVENTS

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(ROOT / "domain")
# Topics, fallbacks and the messages around a handoff and the feedback, in an order that repeats
# with a period prime to the window's, so the turns cut off differ from the turns kept.
INTENTS = ["ask_fax", "nlu_fallback", "ask_tdd", "complaint", "nlu_fallback", "nlu_fallback",
           "feedback_resolved", "request_human", "handoff_accept", "ask_outreach", "greet"]


def user(text: str, intent: str) -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": 0.9})


def conversation(turns: int, latest: str = "inform") -> list:
    events = [ActionExecuted("action_session_start"), ActionExecuted("action_listen")]
    for turn in range(turns):
        intent = INTENTS[turn % len(INTENTS)]
        events += [user(f"question {turn}", intent), ActionExecuted("action_answer_contact"),
                   BotUttered(f"answer {turn}"), ActionExecuted("action_listen")]
    # the turn under way: a slot set at the end
    return events + [user("EAC2190012345", latest), SlotSet("receipt_number", "EAC2190012345")]


def payloads(events: list, action_name: str = "action_answer_contact") -> tuple[dict, dict]:
    tracker = DialogueStateTracker.from_events("ana", events, DOMAIN.slots)
    action = RemoteAction(action_name, EndpointConfig("http://127.0.0.1:1"))
    return (action_payload.RASA_ACTION_CALL_FORMAT(action, tracker, DOMAIN),
            action_payload.action_call_format(action, tracker, DOMAIN))


def without_events(payload: dict) -> dict:
    return {**payload, "tracker": {**payload["tracker"], "events": None}}


def sdk_tracker(payload: dict) -> Tracker:
    """What rasa-sdk builds from the payload on the action server."""
    return Tracker.from_dict(json.loads(json.dumps(payload["tracker"])))


def test_the_window_is_the_default():
    assert action_payload.DEFAULT_EVENTS == "window"
    assert not action_payload.whole_conversation()


@pytest.mark.parametrize("setting", [None, "window", "turn"])  # `turn` was the old narrower one
def test_the_payload_is_rasas_with_the_latest_turns(monkeypatch, setting):
    if setting:
        monkeypatch.setenv("ACTION_SERVER_EVENTS", setting)
    rasas, ours = payloads(conversation(50))
    assert without_events(ours) == without_events(rasas)  # slots, latest message, loop, ...
    events = ours["tracker"]["events"]
    # The window is the tail of Rasa's events, from the action_listen before the customer's
    # CUSTOMER_MESSAGES-th latest message: the previous messages are in it.
    assert events == rasas["tracker"]["events"][-len(events):]
    assert events[0] == {**events[0], "event": "action", "name": "action_listen"}
    assert [e["text"] for e in events if e["event"] == "user"] == \
        [f"question {turn}" for turn in range(51 - CUSTOMER_MESSAGES, 50)] + ["EAC2190012345"]
    assert events[-1]["event"] == "slot"


def test_the_payload_does_not_grow_with_the_conversation():
    short, long = payloads(conversation(5))[1], payloads(conversation(500))[1]
    assert len(long["tracker"]["events"]) == len(payloads(conversation(50))[1]["tracker"]["events"])
    assert len(long["tracker"]["events"]) <= MAX_EVENTS
    size = {name: len(json.dumps(payload["tracker"]["events"])) for name, payload in
            (("short", short), ("long", long), ("rasa's long", payloads(conversation(500))[0]))}
    assert size["long"] < 1.1 * size["short"] and size["rasa's long"] > 50 * size["long"], size


def test_a_conversation_shorter_than_the_window_is_sent_whole():
    rasas, ours = payloads(conversation(2))
    assert ours == rasas


def test_a_flood_of_events_is_cut_to_the_latest():
    """A turn that sets a thousand slots (or a form that runs forever) still sends MAX_EVENTS
    events: the latest, which hold what rasa-sdk reads (the slots a validator is to check)."""
    flood = [SlotSet("receipt_number", f"EAC21900{n:05d}") for n in range(1000)]
    rasas, ours = payloads(conversation(3) + flood)
    assert len(ours["tracker"]["events"]) == MAX_EVENTS
    assert ours["tracker"]["events"] == rasas["tracker"]["events"][-MAX_EVENTS:]
    assert sdk_tracker(ours).slots_to_validate() == sdk_tracker(rasas).slots_to_validate()


def test_form_validators_get_the_window_and_the_slots_to_check(monkeypatch):
    """A validator's tracker is Rasa's temporary one (the form's name, then the candidates last):
    the window holds what rasa-sdk's FormValidationAction reads; the verified booking code the
    reschedule validator keeps is a slot (actions/infopass.py)."""
    events = conversation(40) + [
        SlotSet("requested_slot", "booking_code"),
        ActionExecuted("reschedule_appointment_form"),
        SlotSet("verified_booking_code", "IPABC123"), SlotSet("booking_code", "IPXYZ789")]
    rasas, ours = payloads(events, "validate_reschedule_appointment_form")
    assert len(ours["tracker"]["events"]) < len(rasas["tracker"]["events"]) / 5
    assert without_events(ours) == without_events(rasas)
    assert ours["tracker"]["slots"]["verified_booking_code"] == "IPABC123"
    assert sdk_tracker(ours).slots_to_validate() == sdk_tracker(rasas).slots_to_validate() == {
        "verified_booking_code": "IPABC123", "booking_code": "IPXYZ789"}


def test_the_whole_conversation_can_be_sent_as_rasa_does(monkeypatch):
    monkeypatch.setenv("ACTION_SERVER_EVENTS", "all")
    rasas, ours = payloads(conversation(50))
    assert ours == rasas


# -- the contract: actions read no more history than the window holds -----------------------------

# What rasa-sdk's Tracker offers over the event history. `get_latest_input_channel` reads the
# latest message only, always in the window.
HISTORY = {"events", "applied_events", "events_after_latest_restart", "idx_after_latest_restart",
           "get_last_event_for"}
HISTORY_MODULE = ROOT / "actions" / "recent_turns.py"


def history_reads(source: str) -> list[str]:
    return [f"line {node.lineno}: .{node.attr}" for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Attribute) and node.attr in HISTORY]


def test_no_action_reads_the_history_but_through_recent_turns():
    """A new action that wants earlier turns uses actions/recent_turns.py (which the next test
    holds to the window) or keeps the fact in a slot."""
    assert history_reads("earlier = [e for e in tracker.events]")  # the check can find a read
    assert history_reads("tracker.get_last_event_for('user')")
    assert history_reads(HISTORY_MODULE.read_text())
    readers = {path.name: found for path in (ROOT / "actions").rglob("*.py")
               if path != HISTORY_MODULE and (found := history_reads(path.read_text()))}
    assert readers == {}


def windowed(events: list) -> tuple[Tracker, Tracker]:
    """rasa-sdk's tracker as the action server builds it from Rasa's whole payload, and from
    the window."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ACTION_SERVER_EVENTS", "window")
        rasas, ours = payloads(events)
    return sdk_tracker(rasas), sdk_tracker(ours)


HISTORY_READERS = [
    *(function for name, function in inspect.getmembers(recent_turns, inspect.isfunction)
      if function.__module__ == recent_turns.__name__),
    not_understood_twice, summary, answered_topic,
]


@pytest.mark.parametrize("reader", HISTORY_READERS, ids=lambda f: f.__name__)
def test_what_the_actions_read_of_the_history_is_in_the_window(reader):
    """Every function of recent_turns, and each action's use of it, answers the same from the
    window as from the whole conversation, at every length (so patched or not, `all` or not, an
    action does the same) and the answers vary, so the comparison means something."""
    answers = set()
    for turns in range(0, 3 * len(INTENTS) + CUSTOMER_MESSAGES):
        whole, window = windowed(conversation(turns, latest=INTENTS[turns % len(INTENTS)]))
        assert reader(window) == reader(whole), turns
        answers.add(repr(reader(window)))
    assert len(answers) > 1
