"""A conversation that cannot be stored fails its turn: a correctness repair, not a speed-up.

Rasa's `FailSafeTrackerStore` keeps such a conversation in memory instead, and the customer got a
normal answer that was never stored (Redis frozen in the middle of a turn, then restarted:
tests/integration/test_resilience.py). With this the error reaches the channel, which sends the
clear no-answer reply (rasa_extensions/web.py).
"""

from __future__ import annotations


async def save_or_fail(self, tracker) -> None:
    """`FailSafeTrackerStore.save` without the silent fall-back to memory."""
    await self._tracker_store.save(tracker)
