"""What Rasa 3.6 repeats while it predicts the next action, done once, with the same results.

Both were among the largest costs of a turn in the profiles (docs/performance.md): the dialogue
states, rebuilt from all the conversation's events, and the rule lookup.

1. Dialogue states. Within one prediction, RulePolicy (up to twice: on the text, then on the
intent) and any other policy rebuild the conversation's states by replaying every event on a
fresh copy of the tracker. The
tracker does not change while the graph runs, so each distinct request is answered once per run
and the others get their own copy of that answer (callers edit the states they get).

2. Rule lookup. For every rule and every past turn RulePolicy looked the rule's states up, reversed
them, and re-read each condition (turning lists back into tuples) to compare it with the
conversation, and went on checking turns after every rule was already decided. Each rule is
prepared once (its turns, latest first, as the comparisons Rasa makes); checking stops once no
rule is left undecided. The verdicts are Rasa's, tested on every step of every story and rule.

3. Dialogue states carried over (`RASA_INCREMENTAL_STATES`, on unless "0"). Rasa derives every
state again from the first event for each prediction, several times a turn, so a turn's cost grew
with the conversation: the main reason a late turn cost many times an early one. The states of a
conversation are kept with the replayed tracker they came from; when the next request's events
begin with exactly the same event objects (the same tracker, grown; or the next turn's, whose
stored events the tracker store hands over unchanged), only the new events are replayed. The one
event that edits an earlier one in place (Rasa's DefinePrevUserUtteredFeaturization: text or intent
for the user message) takes effect only straight after that message, before any kept state has read
it. Anything else (another conversation, an edited history, rule-only turns ignored) is derived
from scratch, as Rasa does.

4. Slot copies. Every tracker copy (several per prediction) copies each slot with `copy.copy`,
whose generic path is the slowest part of making a tracker. Slots get a `__copy__` that does
exactly what that path does for them: a new object of the same class with the same attributes.
"""

from __future__ import annotations

import json
import operator
import os
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any, NamedTuple

from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.slots import Slot
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_extensions.patches import rule_horizon

RASA_STATES_FOR_TRACKER_HISTORY = Domain.states_for_tracker_history
RASA_GET_POSSIBLE_KEYS = RulePolicy._get_possible_keys

# Set by the graph runner for the length of one graph run: request -> (tracker, states). A
# context variable: a run belongs to the task (or thread) running it, never to another one.
states_this_run: ContextVar[dict | None] = ContextVar("states_this_run", default=None)
# Conversations whose states are kept for the next request (least recently used dropped first);
# the kept events are the tracker store's own objects, so what is added is mostly the states.
KEPT_CONVERSATIONS = 256


class Replay:
    """Rasa's `generate_all_prior_trackers` paused after `events`, with the states it yielded."""

    def __init__(self, domain: Domain, tracker: DialogueStateTracker, omit_unset_slots: bool):
        self.domain = domain
        self.omit_unset_slots = omit_unset_slots
        self.tracker = tracker.init_copy()
        self.events: list = []
        self.states: list[State] = []  # one per ActionExecuted so far

    def continues(self, applied: list) -> bool:
        kept = self.events
        return len(kept) <= len(applied) and all(map(operator.is_, kept, applied[:len(kept)]))

    def advance(self, applied: list) -> list[State]:
        for event in applied[len(self.events):]:
            if isinstance(event, ActionExecuted):
                self.states.append(
                    self.domain.get_active_state(self.tracker, self.omit_unset_slots)
                )
            self.tracker.update(event)
            self.events.append(event)
        # The kept states themselves: whoever hands them out copies them.
        return [*self.states, self.domain.get_active_state(self.tracker, self.omit_unset_slots)]


_replays: OrderedDict[tuple, Replay] = OrderedDict()


def incremental_states_enabled() -> bool:
    return os.environ.get("RASA_INCREMENTAL_STATES", "1") != "0"


def states_carried_over(domain: Domain, tracker: DialogueStateTracker,
                        omit_unset_slots: bool) -> list[State]:
    key = (id(domain), tracker.sender_id, tracker.is_rule_tracker, tracker._max_event_history,
           omit_unset_slots)
    applied = tracker.applied_events()
    replay = _replays.get(key)
    if replay is None or replay.domain is not domain or not replay.continues(applied):
        replay = Replay(domain, tracker, omit_unset_slots)
    _replays[key] = replay
    _replays.move_to_end(key)
    while len(_replays) > KEPT_CONVERSATIONS:
        _replays.popitem(last=False)
    return replay.advance(applied)


@contextmanager
def states_shared_within_a_run() -> Iterator[None]:
    """One graph run, during which trackers do not change (it runs without awaiting)."""
    token = states_this_run.set({})
    try:
        yield
    finally:
        states_this_run.reset(token)


def copy_of(states: list[State]) -> list[State]:
    # States are dicts of sub-state dicts whose values are strings, numbers and tuples.
    return [{name: dict(sub_state) for name, sub_state in state.items()} for state in states]


def states_for_tracker_history(self: Domain, tracker: DialogueStateTracker,
                               omit_unset_slots: bool = False,
                               ignore_rule_only_turns: bool = False,
                               rule_only_data: dict[str, Any] | None = None) -> list[State]:
    def derived() -> list[State]:
        if not ignore_rule_only_turns and incremental_states_enabled():
            return states_carried_over(self, tracker, omit_unset_slots)
        return RASA_STATES_FOR_TRACKER_HISTORY(self, tracker, omit_unset_slots,
                                               ignore_rule_only_turns, rule_only_data)

    # Only the latest states the caller can read (rule_horizon.py), copied: callers edit them.
    wanted = rule_horizon.states_wanted.get()
    this_run = states_this_run.get()
    if this_run is None:
        return copy_of(rule_horizon.latest(derived(), wanted))
    request = (id(self), id(tracker), len(tracker.events), omit_unset_slots,
               ignore_rule_only_turns, json.dumps(rule_only_data, sort_keys=True, default=str))
    if request not in this_run:
        # The tracker is kept with its states so that its id cannot be reused during the run.
        this_run[request] = (tracker, derived())
    return copy_of(rule_horizon.latest(this_run[request][1], wanted))


class RuleTurn(NamedTuple):
    has_previous_action: bool
    # (state type, ((key, value, must be unset), ...)): what `_does_rule_match_state` checks.
    conditions: tuple[tuple[str, tuple[tuple[str, Any, bool], ...]], ...]


@cache
def rule_turns(rule_key: str) -> tuple[RuleTurn, ...]:
    """The rule's states, latest first, each turned once into the checks Rasa makes on it."""
    turns = []
    for state in reversed(json.loads(rule_key)):
        conditions = []
        for state_type, sub_state in state.items():
            checks = []
            for key, value in sub_state.items():
                value = tuple(value) if isinstance(value, list) else value  # JSON made tuples lists
                if value == SHOULD_NOT_BE_SET:
                    checks.append((key, value, True))
                elif value:
                    checks.append((key, value, False))
            conditions.append((state_type, tuple(checks)))
        turns.append(RuleTurn(bool(state.get(PREVIOUS_ACTION)), tuple(conditions)))
    return tuple(turns)


def is_rule_applicable(rule_key: str, turn_index: int, conversation_state: State) -> bool:
    """RulePolicy._is_rule_applicable and _does_rule_match_state, on the prepared rule."""
    turns = rule_turns(rule_key)
    if turn_index >= len(turns):
        return True
    turn = turns[turn_index]
    current_previous_action = conversation_state.get(PREVIOUS_ACTION)
    if not turn.has_previous_action and not current_previous_action:
        return True
    if not turn.has_previous_action or not current_previous_action:
        return False
    for state_type, checks in turn.conditions:
        current = conversation_state.get(state_type, {})
        for key, value, must_be_unset in checks:
            found = current.get(key)
            if must_be_unset:
                if found and found != SHOULD_NOT_BE_SET:
                    return False
            elif found != value:
                return False
    return True


def get_possible_keys(self: RulePolicy, lookup: dict[str, str], states: list[State]) -> set[str]:
    """RulePolicy._get_possible_keys, stopping when every remaining rule is shorter than the
    turns already checked (a rule is applicable at every turn before its start)."""
    possible_keys = set(lookup.keys())
    for turn_index, state in enumerate(reversed(states)):
        if all(turn_index >= len(rule_turns(key)) for key in possible_keys):
            break
        possible_keys = {key for key in possible_keys
                         if is_rule_applicable(key, turn_index, state)}
    return possible_keys


def copy_slot(self: Slot) -> Slot:
    """What `copy.copy` does for a slot (no __slots__, no __reduce__ of its own)."""
    copied = self.__class__.__new__(self.__class__)
    copied.__dict__.update(self.__dict__)
    return copied


def forget() -> None:
    """Drops the kept replays (when the patches are removed)."""
    _replays.clear()
