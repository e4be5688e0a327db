"""Measured speed-ups of Rasa 3.6 internals, each behaving exactly as the code it replaces.

1. The action server's replies. Rasa checks every one with `jsonschema.validate`, which re-checks
the schema itself and builds a new validator on every call, on every turn that runs a custom
action (docs/performance.md). Here the same schema is compiled once; replies are
checked exactly as `jsonschema.validate` does (the best-matching error is raised, with Rasa's
message).

2. Event types. Rebuilding a stored conversation looks up each event's class by scanning every
subclass of `Event` (recursively, with an `inspect.isabstract` call each), for every stored
event. Found classes are remembered; unknown names still go to Rasa's scan.

3. The graph runner without dask's scheduler (graph_runner.py).

4. What the policies repeat while predicting (prediction_patches.py).

5. Calls to the action server over kept-alive connections (action_client.py), with a deadline,
carrying the current turn's events only (action_payload.py).

6. `Domain.is_empty`. Rasa asks it for every message (before warning about unknown intents) and
answers by turning the whole domain, and a freshly built empty one, into dictionaries. A loaded
domain does not change, so the answer is kept with it.

7. A conversation that cannot be stored fails its turn. Rasa's `FailSafeTrackerStore` keeps it
in memory instead, and the customer got a normal answer that was never stored (Redis frozen in
the middle of a turn, then restarted: tests/integration/test_resilience.py). Now the error reaches
the channel, which sends the clear no-answer reply (web.py). Not a speed-up: a correctness repair.

8. A cap on the events of one session (session_cap.py).

Installed when Rasa loads the project's channels (rasa_extensions/web.py), so only the Rasa
server uses them; training and `rasa test` run Rasa unchanged. Each was written against Rasa 3.6.21
(RASA_VERSION) and tested against it; with any other version none is installed (a warning says so).
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event

logger = logging.getLogger(__name__)
RASA_VERSION = "3.6.21"
_scan_event_subclasses = Event.resolve_by_type
_domain_is_empty = Domain.is_empty
_event_types: dict[str, type[Event]] = {}


@lru_cache(maxsize=1)
def _reply_validator():
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    error: ValidationError | None = best_match(_reply_validator().iter_errors(result))
    if error is not None:
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def resolve_event_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    found = _event_types.get(type_name)
    if found is None:
        found = _scan_event_subclasses(type_name, default)
        if found is not None and found is not default:
            _event_types[type_name] = found
    return found


def domain_is_empty(self: Domain) -> bool:
    if "_is_empty" not in self.__dict__:
        self.__dict__["_is_empty"] = _domain_is_empty(self)
    return self.__dict__["_is_empty"]


async def save_or_fail(self, tracker) -> None:
    """`FailSafeTrackerStore.save` without the silent fall-back to memory."""
    await self._tracker_store.save(tracker)


def install() -> None:
    import rasa

    if rasa.__version__ != RASA_VERSION:
        logger.warning("Rasa %s, not %s: the project's patches of Rasa internals are not installed",
                       rasa.__version__, RASA_VERSION)
        return
    from rasa.core.tracker_store import FailSafeTrackerStore
    from rasa.engine.runner.dask import DaskGraphRunner

    from rasa_extensions import action_client, action_payload, prediction_patches, session_cap
    from rasa_extensions.graph_runner import run_in_order

    RemoteAction._validate_action_result = validate_action_result
    Event.resolve_by_type = staticmethod(resolve_event_type)
    Domain.is_empty = domain_is_empty
    FailSafeTrackerStore.save = save_or_fail
    DaskGraphRunner.run = run_in_order
    prediction_patches.install()
    action_client.install()
    action_payload.install()
    session_cap.install()
