"""What of the conversation the action server is sent: the latest turns, never the whole history.

Rasa sends every event of the conversation with each custom-action call; we send the events from
the `action_listen` before the customer's `CUSTOMER_MESSAGES`-th latest message to the end, and
never more than `MAX_EVENTS` of them (the latest), so an action call costs the same at turn 100
as at turn 1 (rasa_extensions/patches/action_payload.py, docs/flat-cost.md).

What an action may read from the events is therefore "the customer's latest `CUSTOMER_MESSAGES`
messages and what happened after each"; a fact about the whole conversation (the feedback
buttons were offered, the booking code was verified) is kept in a slot. Actions read the history
only through actions/recent_turns.py, which holds itself to this window whatever it is sent.
"""

from __future__ import annotations

# The most any action looks back, in customer messages: "not understood twice" needs the latest
# two; the agents' queue summary wants three topics past the two messages that asked for a person
# and accepted ("talk to someone", "yes"); one more for a topic asked twice in a row.
CUSTOMER_MESSAGES = 6

# A turn is 4-15 events (a form turn sets several slots), so six turns fit with room to spare; a
# flood of events (an endless form, many slots set in one turn) is cut to the latest, which are
# what rasa-sdk itself reads (the slots a form validator is asked to check come last).
MAX_EVENTS = 150
