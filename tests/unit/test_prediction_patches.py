"""The prediction shortcuts give the trained rule policy exactly Rasa's states and predictions,
on every step of every story, rule and test story."""

from __future__ import annotations

import copy
import json
import logging
from pathlib import Path

import pytest
from rasa.core.policies.rule_policy import RULES, RulePolicy
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, DefinePrevUserUtteredFeaturization, UserUttered
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.importers.importer import TrainingDataImporter

from rasa_extensions.patches import prediction as patches, rule_horizon

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain_and_trackers() -> tuple[Domain, list[DialogueStateTracker]]:
    """Every conversation prefix that ends just before an action, from all dialogue data."""
    logging.disable(logging.WARNING)
    importer = TrainingDataImporter.load_from_dict(
        domain_path=str(ROOT / "domain"),
        training_data_paths=[
            str(ROOT / p) for p in ("data/stories", "data/rules", "tests/stories")
        ],
    )
    domain = importer.get_domain()
    generated = TrainingDataGenerator(importer.get_stories(), domain, remove_duplicates=False,
                                      augmentation_factor=0).generate()
    logging.disable(logging.NOTSET)
    prefixes = []
    for tracker in generated:
        events = list(tracker.events)
        for end, event in enumerate(events):
            if isinstance(event, ActionExecuted):
                prefixes.append(DialogueStateTracker.from_events(tracker.sender_id, events[:end],
                                                                 domain.slots))
    return domain, prefixes


def rule_policy(agent) -> RulePolicy:
    nodes = agent.processor.graph_runner._instantiated_nodes.values()
    return next(node._component for node in nodes if isinstance(node._component, RulePolicy))


def test_enough_conversations_to_compare(domain_and_trackers):
    _, trackers = domain_and_trackers
    assert len(trackers) > 300
    assert any(tracker.active_loop_name for tracker in trackers)


def test_states_are_rasas_and_each_caller_gets_its_own(domain_and_trackers, rasa_patched):
    domain, trackers = domain_and_trackers
    for tracker in trackers:
        for options in ({}, {"ignore_rule_only_turns": True, "rule_only_data": {"slots": ["x"]}}):
            rasas = patches.RASA_STATES_FOR_TRACKER_HISTORY(domain, tracker, **options)
            with patches.states_shared_within_a_run():
                first = domain.states_for_tracker_history(tracker, **options)
                if first and first[-1]:
                    next(iter(first[-1].values())).clear()  # a caller editing its copy
                second = domain.states_for_tracker_history(tracker, **options)
            assert second == rasas
    assert patches.states_this_run.get() is None


def test_a_changed_tracker_is_not_answered_from_memory(domain_and_trackers, rasa_patched):
    domain, trackers = domain_and_trackers
    tracker = copy.deepcopy(max(trackers, key=lambda t: len(t.events)))
    with patches.states_shared_within_a_run():
        before = domain.states_for_tracker_history(tracker)
        tracker.update(ActionExecuted("action_listen"))
        after = domain.states_for_tracker_history(tracker)
    assert after == patches.RASA_STATES_FOR_TRACKER_HISTORY(domain, tracker)
    assert len(after) == len(before) + 1


def long_conversations(domain: Domain, trackers: list[DialogueStateTracker]) -> list:
    """Conversations longer than any rule: stories told one after another in one conversation,
    cut before each action of the last two stories."""
    stories = [t for t in trackers if not t.is_rule_tracker and not t.sender_id.startswith("rule")]
    ends = [t for t in stories if t.events and isinstance(t.events[-1], ActionExecuted)]
    longest = sorted(ends, key=lambda t: len(t.events))[-24:]
    prefixes = []
    for start in range(0, len(longest), 4):
        events = [event for story in longest[start:start + 4] for event in story.events]
        tail = sum(len(story.events) for story in longest[start + 2:start + 4])
        for end in range(len(events) - tail, len(events)):
            if isinstance(events[end], ActionExecuted):
                prefixes.append(DialogueStateTracker.from_events(f"long-{start}", events[:end],
                                                                 domain.slots))
    return prefixes


def predictions(policy: RulePolicy, domain: Domain, trackers: list) -> list[tuple]:
    """What a rule prediction decides: the action, its events, whether the turn is hidden from
    the other policies, and which rule (the source when a rule applied)."""
    found = []
    for tracker in trackers:
        with patches.states_shared_within_a_run():
            prediction, source = policy._predict(tracker, domain)
        rule = source if source in policy.lookup[RULES] else None
        found.append((prediction.probabilities, prediction.events, prediction.hide_rule_turn,
                      prediction.is_end_to_end_prediction, prediction.is_no_user_prediction, rule))
    return found


def test_rule_predictions_are_rasas(agent, domain_and_trackers, rasa_patched):
    domain, trackers = domain_and_trackers
    policy = rule_policy(agent)
    conversations = trackers + long_conversations(domain, trackers)
    assert sum(len(domain.states_for_tracker_history(t)) > 2 * rule_horizon.horizon(policy)
               for t in conversations) > 50  # many reach well beyond the rules' horizon

    ours = predictions(policy, domain, conversations)
    rasa_patched.uninstall()
    rasas = predictions(policy, domain, conversations)
    assert [i for i, (a, b) in enumerate(zip(ours, rasas, strict=True)) if a != b] == []
    assert sum(max(p) == 1.0 for p, *_ in ours) > len(ours) / 2  # rules decided most steps
    assert sum(hidden for _, _, hidden, *_ in ours) > 0  # the check that reads the feature key


def test_the_rule_policy_gets_the_latest_states_only(agent, domain_and_trackers, rasa_patched,
                                                     monkeypatch):
    domain, trackers = domain_and_trackers
    policy = rule_policy(agent)
    horizon = rule_horizon.horizon(policy)
    lengths = [len(json.loads(key)) for key in policy.lookup[RULES]]
    assert horizon == max(lengths) + 1 < 10  # the rules read a few states, not a conversation
    tracker = max(long_conversations(domain, trackers), key=lambda t: len(t.events))
    everything = patches.RASA_STATES_FOR_TRACKER_HISTORY(domain, tracker)
    for text in (True, False):
        states = policy._prediction_states(tracker, domain, text)
        assert len(states) == horizon < len(everything)
        with monkeypatch.context() as switched:
            switched.setenv("RASA_RULE_HORIZON", "0")
            assert policy._prediction_states(tracker, domain, text)[-horizon:] == states
            assert len(policy._prediction_states(tracker, domain, text)) == len(everything)


def test_a_copied_slot_is_what_copy_copy_made(domain_and_trackers, rasa_patched):
    domain, _ = domain_and_trackers
    for slot in copy.deepcopy(domain.slots):
        slot.value = ["a", "list"] if slot.type_name == "list" else slot.value
        copied = copy.copy(slot)
        assert type(copied) is type(slot) and copied is not slot
        assert copied.__dict__ == slot.__dict__
        assert copied.value is slot.value  # a shallow copy, as before


def test_each_step_finds_rasas_applicable_rules(agent, domain_and_trackers):
    from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH

    domain, trackers = domain_and_trackers
    policy = rule_policy(agent)
    found_some = 0
    for tracker in trackers:
        states = patches.RASA_STATES_FOR_TRACKER_HISTORY(domain, tracker)
        for lookup in (policy.lookup[RULES], policy.lookup[RULES_FOR_LOOP_UNHAPPY_PATH]):
            ours = patches.get_possible_keys(policy, lookup, states)
            assert ours == patches.RASA_GET_POSSIBLE_KEYS(policy, lookup, states)
            found_some += bool(ours)
    assert found_some > len(trackers) / 2


def grown_step_by_step(tracker: DialogueStateTracker, domain: Domain) -> DialogueStateTracker:
    """The same conversation rebuilt event by event on one tracker, as Rasa grows it in a turn:
    each user message arrives not yet marked as featurized by text or intent."""
    grown = DialogueStateTracker(tracker.sender_id, domain.slots)
    for event in copy.deepcopy(list(tracker.events)):
        if isinstance(event, UserUttered):
            event.use_text_for_featurization = None
        grown.update(event)
        yield grown


def as_served(tracker: DialogueStateTracker, domain: Domain, late: bool) -> DialogueStateTracker:
    """The conversation as the Rasa server logs it: after each user message, the event that says
    whether its text or its intent was used (which changes that message in place); `late`: only
    after the next action, so that states in between read the message before the change."""
    events, pending = [], False
    for event in copy.deepcopy(list(tracker.events)):
        events.append(event)
        if isinstance(event, UserUttered):
            event.text = event.text or f"a message about {event.intent_name}"  # served: typed
            pending = True
        if pending and (not late or isinstance(event, ActionExecuted)):
            events.append(DefinePrevUserUtteredFeaturization(False))
            pending = False
    return DialogueStateTracker.from_events(tracker.sender_id, events, domain.slots)


def test_states_carried_over_are_rasas_at_every_step(domain_and_trackers, rasa_patched,
                                                     monkeypatch):
    domain, trackers = domain_and_trackers
    monkeypatch.setattr(patches, "_replays", patches.OrderedDict())
    longest = sorted(trackers, key=lambda t: len(t.events))[-30:]
    longest += [as_served(tracker, domain, late) for tracker in longest for late in (False, True)]
    carried = steps = 0
    for tracker in longest:
        for grown in grown_step_by_step(tracker, domain):
            for omit in (False, True):
                replay = patches._replays.get((id(domain), grown.sender_id, False, None, omit))
                carried += replay is not None and len(replay.events) > 0
                steps += 1
                assert (domain.states_for_tracker_history(grown, omit_unset_slots=omit)
                        == patches.RASA_STATES_FOR_TRACKER_HISTORY(domain, grown, omit))
    assert carried > steps / 2  # most steps continued from the kept replay


def test_an_edited_history_is_derived_again(domain_and_trackers, monkeypatch, rasa_patched):
    domain, trackers = domain_and_trackers
    monkeypatch.setattr(patches, "_replays", patches.OrderedDict())
    tracker = max(trackers, key=lambda t: len(t.events))
    events = list(tracker.events)
    domain.states_for_tracker_history(tracker)
    # Same sender, the same number of events, one of them different: not a continuation.
    edited = DialogueStateTracker.from_events(
        tracker.sender_id, events[:-1] + [ActionExecuted("action_listen")], domain.slots
    )
    assert (domain.states_for_tracker_history(edited)
            == patches.RASA_STATES_FOR_TRACKER_HISTORY(domain, edited))
    shorter = DialogueStateTracker.from_events(
        tracker.sender_id, events[: len(events) // 2], domain.slots
    )
    assert (domain.states_for_tracker_history(shorter)
            == patches.RASA_STATES_FOR_TRACKER_HISTORY(domain, shorter))


def test_carrying_states_over_can_be_switched_off(domain_and_trackers, monkeypatch, rasa_patched):
    domain, trackers = domain_and_trackers
    monkeypatch.setattr(patches, "_replays", patches.OrderedDict())
    monkeypatch.setenv("RASA_INCREMENTAL_STATES", "0")
    domain.states_for_tracker_history(trackers[-1])
    assert not patches._replays
