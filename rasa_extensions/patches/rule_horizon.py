"""RulePolicy derives only the latest dialogue states its rules can read (`RASA_RULE_HORIZON`, on
unless "0").

Rasa 3.6's RulePolicy builds the states of the whole conversation for each lookup (twice a turn:
on the text, then on the intent), formats them for a debug line, deep-copies them and, when no rule
applies, turns them all into one JSON "feature key": at turn 100 of one conversation the largest
cost of a turn that still grew with its length. What it decides from them reads only the latest
few states:

- A rule of n states is compared with the latest n states of the conversation; Rasa counts a rule
  as applicable at every state before its own start (`_is_rule_applicable`), so no rule reads
  further back than the longest rule learned (three states for this assistant).
- The feature key only answers "is this one of the trained `rules_not_in_stories`?" (which hides
  the turn from the ML policies); an entry is the key of a list of states no longer than the
  longest such entry. With one state more than every rule and every entry, a conversation longer
  than that can match neither its whole key (longer than any entry) nor its shortened one (exactly
  one state longer than any entry), and a shorter one is not shortened at all.

So while RulePolicy derives its states, `states_wanted` holds that count and the dialogue-state
patch (prediction.py) hands out only the latest that many. Each state is featurized on its own
(text or intent, the last message's choice), so the states kept are the ones Rasa would give.
Trackers RulePolicy trains on are left alone (the lookups are not complete yet then).
"""

from __future__ import annotations

import json
import os
from contextvars import ContextVar
from typing import Any

from rasa.core.policies.policy import Policy
from rasa.core.policies.rule_policy import (
    RULES,
    RULES_FOR_LOOP_UNHAPPY_PATH,
    RULES_NOT_IN_STORIES,
    RulePolicy,
)
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

RASA_PREDICTION_STATES = Policy._prediction_states  # RulePolicy inherits it

# The number of latest states the current caller can read; None: all of them.
states_wanted: ContextVar[int | None] = ContextVar("states_wanted", default=None)
# id(lookup) -> (lookup, horizon): a policy's lookup is fixed once it is trained or loaded.
_horizons: dict[int, tuple[dict, int]] = {}


def enabled() -> bool:
    return os.environ.get("RASA_RULE_HORIZON", "1") != "0"


def key_length(key: Any) -> int:
    """States in a rule or feature key (0 for the named sources, such as a form's rules)."""
    try:
        states = json.loads(key)
    except (TypeError, ValueError):
        return 0
    return len(states) if isinstance(states, list) else 0


def horizon(policy: RulePolicy) -> int:
    """One state more than the longest rule, unhappy-path rule or rule-not-in-stories key."""
    lookup = policy.lookup
    kept = _horizons.get(id(lookup))
    if kept is not None and kept[0] is lookup:
        return kept[1]
    keys = [*lookup.get(RULES, {}), *lookup.get(RULES_FOR_LOOP_UNHAPPY_PATH, {}),
            *lookup.get(RULES_NOT_IN_STORIES, [])]
    found = 1 + max(map(key_length, keys), default=0)
    _horizons[id(lookup)] = (lookup, found)
    return found


def latest(states: list[State], wanted: int | None) -> list[State]:
    return states if wanted is None or len(states) <= wanted else states[-wanted:]


def rule_prediction_states(self: RulePolicy, tracker: DialogueStateTracker, domain: Domain,
                           use_text_for_last_user_input: bool = False,
                           rule_only_data: dict[str, Any] | None = None) -> list[State]:
    if not enabled() or isinstance(tracker, TrackerWithCachedStates) or not self.lookup.get(RULES):
        return RASA_PREDICTION_STATES(self, tracker, domain, use_text_for_last_user_input,
                                      rule_only_data)
    token = states_wanted.set(horizon(self))
    try:
        return RASA_PREDICTION_STATES(self, tracker, domain, use_text_for_last_user_input,
                                      rule_only_data)
    finally:
        states_wanted.reset(token)


def forget() -> None:
    _horizons.clear()
