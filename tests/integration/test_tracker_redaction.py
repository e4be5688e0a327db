"""The tracker store redacts personal data as it saves, turn by turn, appending each turn's events
(rewriting only the earlier ones redaction changes), and Rasa reads back the same conversation
state."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import redis
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_extensions.tracker_store import AppendingRedisTrackerStore
from rasa_project.conversation_record import read_events
from rasa_project.privacy.redaction import redact_events

ROOT = Path(__file__).resolve().parents[2]
NAME, BIRTH, EMAIL = "Zebulon Quixotic", "03/04/1985", "zq@example.com"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain")


@pytest.fixture()
def store(redis_url, domain):
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    port = client.connection_pool.connection_kwargs["port"]
    return client, AppendingRedisTrackerStore(domain, host="127.0.0.1", port=port, db=0,
                                              key_prefix="ours")


def user(text: str, intent: str = "inform", entities: list | None = None) -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": 0.9}, entities or [],
                       parse_data={"intent": {"name": intent, "confidence": 0.9},
                                   "entities": entities or [], "text": text})


def turns() -> list[list]:
    """A Service Request form, one list of events per turn: name, birth date, email, then the
    action that uses them and clears them."""
    return [
        [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
         user("open a service request", "open_service_request"),
         ActionExecuted("service_request_form"), ActiveLoop("service_request_form"),
         SlotSet("requested_slot", "customer_name"), BotUttered("What is your full name?"),
         ActionExecuted("action_listen")],
        [user(NAME), SlotSet("customer_name", NAME), ActionExecuted("service_request_form"),
         SlotSet("requested_slot", "identity_answer"), BotUttered("ZIP code or date of birth?"),
         ActionExecuted("action_listen")],
        [user(BIRTH), SlotSet("identity_answer", "dob:1985-03-04"),
         ActionExecuted("service_request_form"), SlotSet("requested_slot", "contact_info"),
         ActionExecuted("action_listen")],
        [user(f"it is {EMAIL}"), SlotSet("contact_info", EMAIL),
         ActionExecuted("service_request_form"), ActiveLoop(None),
         SlotSet("requested_slot", None), ActionExecuted("action_create_service_request"),
         BotUttered("Your Service Request is made: SR7K3M9Q2XA."),
         SlotSet("customer_name", None), SlotSet("identity_answer", None),
         SlotSet("contact_info", None), ActionExecuted("action_listen")],
    ]


@pytest.mark.parametrize("replicas", [1, 2])
async def test_each_save_redacts_on_the_appending_path_and_rasa_reads_the_same_state(
        store, domain, monkeypatch, replicas):
    client, ours = store
    port = client.connection_pool.connection_kwargs["port"]
    stores = [ours] + [AppendingRedisTrackerStore(domain, host="127.0.0.1", port=port, db=0,
                                                  key_prefix="ours") for _ in range(replicas - 1)]
    slow_path = []
    original = AppendingRedisTrackerStore._save_merged
    monkeypatch.setattr(AppendingRedisTrackerStore, "_save_merged",
                        lambda *args: slow_path.append(1) or original(*args))
    clear = DialogueStateTracker("zeb", domain.slots)  # what Rasa would hold without redaction
    expected: list = []  # what redacting the whole conversation at each save gives
    for number, events in enumerate(turns()):
        ours = stores[number % replicas]  # with two, the turns alternate between replicas
        tracker = await ours.retrieve("zeb") or DialogueStateTracker("zeb", domain.slots)
        for event in events:
            tracker.update(event)
            clear.update(event)
        await ours.save(tracker)
        expected = redact_events(expected + [event.as_dict() for event in events])
        assert read_events(client, "ours:tracker:zeb") == expected
        back = await stores[(number + 1) % replicas].retrieve("zeb")
        # What the other replica holds is what is stored, its redactions included.
        assert [event.as_dict() for event in back.events] == expected
        # The form goes on as it would have: every slot, the active form, the states Rasa reads.
        assert back.current_slot_values() == clear.current_slot_values()
        assert back.active_loop_name == clear.active_loop_name
        assert back.past_states(domain) == clear.past_states(domain)
        if number == 2:  # in the middle of the form the answers it still needs are kept
            assert back.get_slot("customer_name") == NAME
    assert slow_path == [], "a redacted history must not defeat appending"

    # Event timestamps are left out: their digits hold "1985" now and then by chance.
    stored = re.sub(r'"timestamp": ?[0-9.e+-]+', "",
                    b"".join(client.lrange("ours:tracker:zeb", 0, -1)).decode())
    for secret in (NAME, "Zebulon", BIRTH, "1985", EMAIL):
        assert secret not in stored
    texts = [e["text"] for e in read_events(client, "ours:tracker:zeb") if e["event"] == "user"]
    assert texts == ["open a service request", "*" * len(NAME), "*" * len(BIRTH),
                     "*" * len(f"it is {EMAIL}")]


async def test_switched_off_the_store_keeps_the_conversation_as_it_is(redis_url, domain):
    client = redis.Redis.from_url(redis_url)
    port = client.connection_pool.connection_kwargs["port"]
    plain = AppendingRedisTrackerStore(domain, host="127.0.0.1", port=port, db=0,
                                       key_prefix="plain", redact_personal_data=False)
    tracker = DialogueStateTracker("zed", domain.slots)
    for event in [e for turn in turns() for e in turn]:
        tracker.update(event)
    await plain.save(tracker)
    assert NAME in str(read_events(client, "plain:tracker:zed"))
