"""The small patches (rasa_extensions/patches): action replies checked, event types found, domain
emptiness and failed saves as Rasa's own, once installed through the fence."""

from __future__ import annotations

from pathlib import Path

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from rasa_extensions.patches.action_replies import validate_action_result
from rasa_extensions.patches.domain_emptiness import RASA_IS_EMPTY, domain_is_empty
from rasa_extensions.patches.event_types import RASA_RESOLVE_BY_TYPE, resolve_event_type

pytestmark = pytest.mark.usefixtures("rasa_patched")

VALID = {"events": [{"event": "slot", "name": "x", "value": 1}],
         "responses": [{"response": "utter_fax", "text": None}]}
INVALID = {"events": "not a list", "responses": []}


def original(result):
    from jsonschema import validate

    validate(result, RemoteAction.action_response_format_spec())
    return True


def test_installed_on_rasa():
    assert RemoteAction._validate_action_result is validate_action_result


def test_same_verdicts_as_rasa():
    assert validate_action_result(None, VALID) is True and original(VALID) is True
    with pytest.raises(ValidationError) as ours:
        validate_action_result(None, INVALID)
    with pytest.raises(ValidationError) as theirs:
        original(INVALID)
    assert ours.value.message.startswith(theirs.value.message)
    assert "Failed to validate Action server response" in ours.value.message


def test_event_types_resolve_as_rasa_resolves_them():
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    assert Event.resolve_by_type is resolve_event_type
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert {"user", "bot", "action", "slot", "active_loop"} <= names
    for name in sorted(names):
        assert resolve_event_type(name) is RASA_RESOLVE_BY_TYPE(name)
        assert resolve_event_type(name) is RASA_RESOLVE_BY_TYPE(name)  # now from memory


def test_unknown_event_types_behave_as_in_rasa():
    from rasa.shared.core.events import SlotSet

    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        resolve_event_type("no_such_event")
    assert resolve_event_type("no_such_event", SlotSet) is SlotSet
    assert resolve_event_type("topic") is None


def test_domain_emptiness_is_rasas_answer_kept():
    from rasa.shared.core.domain import Domain

    assert Domain.is_empty is domain_is_empty
    loaded = Domain.load(str(Path(__file__).resolve().parents[2] / "domain"))
    for domain in (loaded, Domain.empty(), Domain.from_dict({"intents": ["greet"]})):
        assert domain.is_empty() is RASA_IS_EMPTY(domain)
        assert domain.is_empty() is RASA_IS_EMPTY(domain)  # now from memory
    assert Domain.empty().is_empty() and not loaded.is_empty()


async def test_a_tracker_that_cannot_be_stored_fails_the_turn_instead_of_living_in_memory():
    from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    class Down(InMemoryTrackerStore):
        async def save(self, tracker) -> None:
            raise ConnectionError("Redis is down")

    store = FailSafeTrackerStore(Down(Domain.empty()))
    with pytest.raises(ConnectionError):
        await store.save(DialogueStateTracker("someone", []))
    assert store._fallback_tracker_store is None  # nothing kept in memory instead
