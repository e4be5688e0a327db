"""What a request about an appointment is for. A customer who says they cannot keep the time they
booked and asks for another wants to MOVE that appointment ("I booked one but can't make it, can
I pick another time?"), although the words "get", "time" and "appointment" sound like a new
booking; moving needs their confirmation code, not a ZIP code. An appointment at an embassy or
consulate is a visa appointment: the Department of State's, not an InfoPass."""

from __future__ import annotations

import re

# An appointment the customer already has.
_EXISTING = re.compile(
    r"\b(?:my|the|our|this)\s+(?:\w+\s+){0,2}?(?:appointment|appt|infopass|booking|visit)s?\b"
    r"|\b(?:booked|made|have|had|got|scheduled)\s+(?:an?\s+|my\s+|one\s+)?(?:\w+\s+)?"
    r"(?:appointment|appt|infopass|booking)\b",
    re.I,
)
# Another time for it, or moving it.
_ANOTHER_TIME = re.compile(
    r"\b(?:another|different|new|later|earlier|other)\s+(?:\w+\s+)?(?:time|day|date|slot|week)s?\b"
    r"|\b(?:move|push|shift|switch|swap|reschedul\w*|resched|postpone|rebook|change)\b",
    re.I,
)


def wants_to_move(text: str) -> bool:
    """True when the message is about an appointment the customer has and another time for it."""
    text = (text or "")[:1000]
    return bool(_EXISTING.search(text) and _ANOTHER_TIME.search(text))


# A U.S. embassy or consulate's appointment (a visa interview) is not at a USCIS field office.
_AT_EMBASSY = re.compile(
    r"\b(?:embass\w*|consulat\w*|visa\s+(?:interview|appointment|appt))\b", re.I
)


def form_for(intent: str, text: str) -> str | None:
    """The form that handles an appointment request of this intent, or None when the appointment
    is not a USCIS one (an embassy's visa appointment)."""
    if _AT_EMBASSY.search((text or "")[:1000]):
        return None
    if intent == "cancel_appointment":
        return "cancel_appointment_form"
    if intent == "reschedule_appointment" or wants_to_move(text):
        return "reschedule_appointment_form"
    return "appointment_form"
