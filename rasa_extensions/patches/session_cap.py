"""A cap on the events of one conversation session (`RASA_MAX_EVENTS_PER_SESSION`, default
1000, about 200 turns; 0 switches it off).

Some costs of a message still grow with the session (Rasa rebuilds the tracker from all its
events and checks which of them apply), so a client sending an endless conversation could make
every one of its messages slower. At the cap the next message starts a new session, as Rasa does
when a session expires (`action_session_start`; as after an idle hour, the slots start afresh:
the domain does not carry them over, so no form's personal answers follow), and the customer is
told so before the answer. Rasa's own expiry rules are unchanged.
"""

from __future__ import annotations

import logging
import os

from rasa.core.processor import MessageProcessor
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_project.messages import new_session_message

logger = logging.getLogger(__name__)

DEFAULT_MAX_EVENTS_PER_SESSION = 1000
RASA_HAS_SESSION_EXPIRED = MessageProcessor._has_session_expired
RASA_UPDATE_TRACKER_SESSION = MessageProcessor._update_tracker_session


def max_events_per_session() -> int:
    return int(os.environ.get("RASA_MAX_EVENTS_PER_SESSION") or DEFAULT_MAX_EVENTS_PER_SESSION)


def session_is_full(tracker: DialogueStateTracker) -> bool:
    # The tracker store hands the processor the latest session only.
    cap = max_events_per_session()
    return 0 < cap <= len(tracker.events)


def has_session_expired(self: MessageProcessor, tracker: DialogueStateTracker) -> bool:
    return session_is_full(tracker) or RASA_HAS_SESSION_EXPIRED(self, tracker)


async def update_tracker_session(self: MessageProcessor, tracker: DialogueStateTracker,
                                 output_channel, metadata=None) -> None:
    if session_is_full(tracker):
        logger.info("a session reached %d events; starting a new one", max_events_per_session())
        said_in = tracker.get_slot("language") or "en"
        await output_channel.send_text_message(tracker.sender_id, new_session_message(said_in))
    await RASA_UPDATE_TRACKER_SESSION(self, tracker, output_channel, metadata)

