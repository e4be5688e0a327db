"""Every patch of Rasa internals, with the Rasa version and the fingerprints it was written against.

After a Rasa upgrade, `python -m rasa_extensions.patches` lists the fingerprints of the installed
Rasa; a changed one means reading Rasa's new function against the patch (docs/patches.md).
"""

from __future__ import annotations

from rasa.core.actions.action import RemoteAction
from rasa.core.actions.forms import FormAction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.slots import Slot
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from rasa_extensions.patches import (
    action_client,
    action_payload,
    action_replies,
    applied_events,
    domain_emptiness,
    event_types,
    form_validation,
    graph_runner,
    prediction,
    rule_horizon,
    session_cap,
    tracker_copy,
    tracker_save,
)
from rasa_extensions.patches.fence import Patch

RASA_VERSION = "3.6.21"

PATCHES = [
    # Speed-ups, each behaving as the function it replaces (docs/patches.md).
    Patch(RemoteAction, "_validate_action_result", action_replies.validate_action_result,
          "f8cdb4be68123961"),
    Patch(Event, "resolve_by_type", event_types.resolve_event_type,
          "b5cf570fa7f286c7", static=True),
    Patch(Domain, "is_empty", domain_emptiness.domain_is_empty,
          "884be90ef485f1d2"),
    Patch(DaskGraphRunner, "run", graph_runner.run_in_order,
          "45f0f52f574f3aa9"),
    Patch(Domain, "states_for_tracker_history", prediction.states_for_tracker_history,
          "035111ce73ac90ba"),
    Patch(RulePolicy, "_get_possible_keys", prediction.get_possible_keys,
          "2915fd81711e194c"),
    Patch(RulePolicy, "_prediction_states", rule_horizon.rule_prediction_states,
          "f81907adf0fea37d"),  # RulePolicy inherits Policy's: the class is fingerprinted
    Patch(Slot, "__copy__", prediction.copy_slot,  # Rasa has none: the class is fingerprinted
          "0a694d68aef36732"),
    Patch(EndpointConfig, "session", action_client.kept_session,
          "e55aa13d9d4fb4bc"),
    Patch(RemoteAction, "_action_call_format", action_payload.action_call_format,
          "428795b944f22edb"),
    Patch(DialogueStateTracker, "copy", tracker_copy.copy_tracker,
          "dfa48dca9f355ad1"),
    Patch(FormAction, "_temporary_tracker", form_validation.temporary_tracker,
          "381bc4b6e07fc205"),
    Patch(DialogueStateTracker, "applied_events", applied_events.applied_events,
          "764d5065ea9997d6"),
    # Repairs: a turn that cannot be stored fails; a session is capped in events.
    Patch(FailSafeTrackerStore, "save", tracker_save.save_or_fail,
          "8426dc08f58d7110"),
    Patch(MessageProcessor, "_has_session_expired", session_cap.has_session_expired,
          "aa0e659a9cfa1f70"),
    Patch(MessageProcessor, "_update_tracker_session", session_cap.update_tracker_session,
          "b0d44217b5ca28ba"),
]

# What the patches keep between calls, dropped when they are taken out.
FORGET = [event_types.forget, prediction.forget, applied_events.forget, rule_horizon.forget]
