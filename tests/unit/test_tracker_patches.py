"""A tracker copied without replaying its events is Rasa's copy, and the applied events carried
over are Rasa's: on every step of every story and rule, and of a conversation with forms, slot
resets, a reverted message, a restart and sessions."""

from __future__ import annotations

import logging
import operator
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.shared.importers.importer import TrainingDataImporter

from rasa_extensions.patches import applied_events, form_validation
from rasa_extensions.patches.tracker_copy import RASA_COPY, copy_tracker

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain_and_conversations() -> tuple[Domain, list[list]]:
    logging.disable(logging.WARNING)
    importer = TrainingDataImporter.load_from_dict(
        domain_path=str(ROOT / "domain"),
        training_data_paths=[str(ROOT / p) for p in ("data/stories", "data/rules")])
    domain = importer.get_domain()
    generated = TrainingDataGenerator(importer.get_stories(), domain, remove_duplicates=False,
                                      augmentation_factor=0).generate()
    logging.disable(logging.NOTSET)
    return domain, [list(tracker.events) for tracker in generated] + [by_hand()]


def by_hand() -> list:
    user = UserUttered("hi", {"name": "greet", "confidence": 1.0})
    return [SlotSet("session_started_metadata", {"client": "c"}),
            ActionExecuted("action_session_start"), SessionStarted(),
            ActionExecuted("action_listen"), user,
            ActionExecuted("appointment_form"), ActiveLoop("appointment_form"),
            SlotSet("requested_slot", "zip_code"), BotUttered("Your ZIP code?"),
            ActionExecuted("action_listen"), UserUttered("60601", {"name": "inform"}),
            SlotSet("zip_code", "60601"), ActionExecuted("appointment_form"), ActiveLoop(None),
            ActionExecuted("action_listen"), UserUttered("??", {"name": "nlu_fallback"}),
            ActionExecuted("action_default_fallback"), UserUtteranceReverted(),
            AllSlotsReset(), ActionExecuted("action_restart"), Restarted(),
            ActionExecuted("action_session_start"), SessionStarted(),
            ActionExecuted("action_listen")]


def state(tracker: DialogueStateTracker, domain: Domain) -> tuple:
    return (tracker.current_state(EventVerbosity.ALL), tracker.past_states(domain),
            [e.as_dict() for e in tracker.events], tracker.active_loop, tracker.latest_action,
            tracker.followup_action, tracker.is_paused(), tracker.sender_source,
            tracker.model_id, tracker.assistant_id, tracker.events.maxlen)


def test_the_copy_is_rasas_copy_on_every_step(domain_and_conversations):
    domain, conversations = domain_and_conversations
    steps = 0
    for events in conversations:
        for history in (None, 5):
            tracker = DialogueStateTracker("someone", domain.slots, max_event_history=history)
            tracker.model_id, tracker.sender_source = "model", "source"
            for event in events:
                tracker.update(event)
                assert state(copy_tracker(tracker), domain) == state(RASA_COPY(tracker), domain)
                steps += 1
    assert steps > 400


def test_the_copy_can_be_changed_without_changing_the_original(domain_and_conversations):
    domain, _ = domain_and_conversations
    tracker = DialogueStateTracker.from_events("someone", by_hand()[:8], domain.slots)
    before = state(tracker, domain)
    copied = copy_tracker(tracker)
    copied.update(SlotSet("zip_code", "94110"))
    copied.reject_action("appointment_form")
    copied.update(ActionExecuted("action_listen"))
    assert state(tracker, domain) == before


def test_the_applied_events_carried_over_are_rasas_on_every_step(domain_and_conversations,
                                                                  monkeypatch):
    domain, conversations = domain_and_conversations
    rasas, walks, steps, carried = applied_events.RASA_APPLIED_EVENTS, [], 0, 0
    monkeypatch.setattr(applied_events, "RASA_APPLIED_EVENTS",
                        lambda tracker: walks.append(1) or rasas(tracker))
    for number, events in enumerate(conversations):
        tracker = DialogueStateTracker(f"conversation {number % 3}", domain.slots)
        for event in events:
            tracker.update(event)
            expected, before = rasas(tracker), len(walks)
            got = applied_events.applied_events(tracker)
            carried += len(walks) == before
            assert len(got) == len(expected) and all(map(operator.is_, got, expected))
            # A copy shares the events; an earlier point of the conversation is Rasa's walk.
            assert applied_events.applied_events(copy_tracker(tracker)) == expected
            earlier = tracker.travel_back_in_time(events[0].timestamp)
            assert applied_events.applied_events(earlier) == rasas(earlier)
            steps += 1
    assert carried > steps * 0.7  # most calls walked only the new events


def without_times(found: tuple) -> tuple:
    """A tracker's state with the events' timestamps left out (each build stamps its own)."""
    current, past, events, *rest = found
    current = {**current, "events": [{**e, "timestamp": None} for e in current["events"]],
               "latest_event_time": None}
    return (current, past, [{**e, "timestamp": None} for e in events], *rest)


def test_a_forms_temporary_tracker_is_rasas_on_every_form_step(domain_and_conversations,
                                                            rasa_patched):
    """The tracker a form hands its validator: the conversation's copy with the new events
    equals Rasa's replay of the conversation with them (and is Rasa's own after a restart)."""
    from rasa.core.actions.forms import FormAction

    domain, conversations = domain_and_conversations
    steps = 0
    for events in [*conversations, by_hand()[:12]]:
        tracker = DialogueStateTracker("someone", domain.slots)
        for event in events:
            tracker.update(event)
            if not tracker.active_loop_name:
                continue
            form = FormAction(tracker.active_loop_name, None)
            asked = tracker.get_slot("requested_slot")
            extracted = [SlotSet(asked, "an answer")] if asked else []
            ours = form_validation.temporary_tracker(form, tracker, extracted, domain)
            rasas = form_validation.RASA_TEMPORARY_TRACKER(form, tracker, extracted, domain)
            assert without_times(state(ours, domain)) == without_times(state(rasas, domain))
            steps += 1
    assert steps > 50
