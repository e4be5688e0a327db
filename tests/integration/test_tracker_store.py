"""The appending tracker store, on a real Redis, against Rasa's own Redis tracker store: the same
trackers read back and the same events stored, over a long conversation with forms, slot resets,
restarts, new sessions and a second replica writing in between; each turn appends its events."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import redis
from rasa.core.tracker_store import RedisTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    DefinePrevUserUtteredFeaturization,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from rasa_extensions.tracker_store import AppendingRedisTrackerStore
from rasa_project.conversation_record import header, read_events

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain")


@pytest.fixture()
def client(redis_url):
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    return client


def store(client, domain, prefix="ours", **options) -> AppendingRedisTrackerStore:
    port = client.connection_pool.connection_kwargs["port"]
    return AppendingRedisTrackerStore(domain, host="127.0.0.1", port=port, db=0,
                                      key_prefix=prefix, **options)


def rasas_store(client, domain) -> RedisTrackerStore:
    port = client.connection_pool.connection_kwargs["port"]
    return RedisTrackerStore(domain, host="127.0.0.1", port=port, db=0, key_prefix="rasa")


def user(text: str, timestamp: float, intent: str = "ask_fax") -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": 0.9},
                       parse_data={"intent": {"name": intent, "confidence": 0.9},
                                   "entities": [], "text": text}, timestamp=timestamp)


def new_session(t: float) -> list:
    # As Rasa starts one when the widget sends metadata: the metadata slot comes first.
    return [SlotSet("session_started_metadata", {"client": "c1"}, timestamp=t),
            ActionExecuted("action_session_start", timestamp=t + 0.1),
            SessionStarted(timestamp=t + 0.2),
            SlotSet("session_started_metadata", {"client": "c1"}, timestamp=t + 0.3),
            ActionExecuted("action_listen", timestamp=t + 0.4)]


def turn(number: int) -> list:
    """Turn `number` of a long conversation: questions, a form, slot resets, a restart, a
    reverted message, a new session."""
    t = 1000.0 + 10 * number
    kind = number % 9
    events = [user(f"question {number}", timestamp=t),
              DefinePrevUserUtteredFeaturization(False, timestamp=t + 0.1)]
    if kind == 1:  # a form starts
        events += [ActionExecuted("appointment_form", timestamp=t + 1),
                   ActiveLoop("appointment_form", timestamp=t + 1.1),
                   SlotSet("requested_slot", "zip_code", timestamp=t + 1.2),
                   BotUttered("Your ZIP code?", timestamp=t + 1.3)]
    elif kind == 2:  # the form goes on, then ends
        events += [SlotSet("zip_code", f"6060{number % 10}", timestamp=t + 1),
                   ActionExecuted("appointment_form", timestamp=t + 1.1),
                   ActiveLoop(None, timestamp=t + 1.2),
                   SlotSet("requested_slot", None, timestamp=t + 1.3),
                   BotUttered("Thanks.", timestamp=t + 1.4)]
    elif kind == 3:
        events += [ActionExecuted("action_reset_all", timestamp=t + 1),
                   AllSlotsReset(timestamp=t + 1.1)]
    elif kind == 4:  # the fallback takes the message back
        events += [ActionExecuted("action_default_fallback", timestamp=t + 1),
                   UserUtteranceReverted(timestamp=t + 1.1)]
    elif kind == 5 and number % 2:
        events += [ActionExecuted("action_restart", timestamp=t + 1), Restarted(timestamp=t + 1.1),
                   ActionExecuted("action_session_start", timestamp=t + 1.2),
                   SessionStarted(timestamp=t + 1.3)]
    else:
        events += [ActionExecuted("utter_fax", timestamp=t + 1),
                   BotUttered(f"answer {number}", timestamp=t + 1.1),
                   SlotSet("language", "es" if number % 4 else "en", timestamp=t + 1.2)]
    events.append(ActionExecuted("action_listen", timestamp=t + 2))
    if number % 25 == 24:  # the session expired
        events += new_session(t + 5)
    return events


def same_tracker(a: DialogueStateTracker, b: DialogueStateTracker) -> None:
    assert a.current_state(EventVerbosity.ALL) == b.current_state(EventVerbosity.ALL)
    assert [e.as_dict() for e in a.events] == [e.as_dict() for e in b.events]
    assert a.applied_events() == b.applied_events()


async def test_a_long_conversation_reads_and_stores_as_rasas_store_with_two_replicas(client,
                                                                                     domain):
    """Two replicas (two stores on one Redis, as two Rasa processes) take the turns in a random
    order; each read equals Rasa's own store's read of the same conversation."""
    replicas = [store(client, domain, redact_personal_data=False) for _ in range(2)]
    rasas = rasas_store(client, domain)
    choose = random.Random(7)
    for number in range(80):
        ours = choose.choice(replicas)
        events = new_session(1) if number == 0 else turn(number)
        for current in (ours, rasas):
            tracker = await current.retrieve("amy") or DialogueStateTracker("amy", domain.slots)
            for event in events:
                tracker.update(event)
            await current.save(tracker)
        reader = choose.choice(replicas)
        same_tracker(await reader.retrieve("amy"), await rasas.retrieve("amy"))
        same_tracker(await reader.retrieve_full_tracker("amy"),
                     await rasas.retrieve_full_tracker("amy"))
        assert read_events(client, "ours:tracker:amy") == read_events(client, "rasa:tracker:amy")
    stored = read_events(client, "ours:tracker:amy")
    assert header(client, "ours:tracker:amy")["count"] == len(stored)
    # A replica that never held the conversation (restarted) reads the same.
    same_tracker(await store(client, domain).retrieve("amy"), await rasas.retrieve("amy"))


async def test_a_turn_appends_its_events_and_a_stale_replica_reads_only_what_was_added(client,
                                                                                       domain):
    first, second = store(client, domain), store(client, domain)
    tracker = DialogueStateTracker("bo", domain.slots)
    for event in new_session(1) + turn(10):
        tracker.update(event)
    await first.save(tracker)
    held = await second.retrieve("bo")
    before = client.lrange("ours:tracker:bo", 1, -1)

    tracker = await first.retrieve("bo")
    for event in turn(11):
        tracker.update(event)
    await first.save(tracker)
    after = client.lrange("ours:tracker:bo", 1, -1)
    assert after[:len(before)] == before and len(after) == len(before) + len(turn(11))

    read = await second.retrieve("bo")  # stale: reads the new events, keeps the ones it held
    assert all(a is b for a, b in zip(held.events, read.events, strict=False))
    assert len(read.events) == len(held.events) + len(turn(11))
    same_tracker(read, await rasas_reading(client, domain, "bo"))


async def rasas_reading(client, domain, sender: str) -> DialogueStateTracker:
    """What Rasa's own store reads from the same events."""
    import json

    client.set(f"rasa:tracker:{sender}",
               json.dumps({"events": read_events(client, f"ours:tracker:{sender}"),
                           "name": sender}))
    return await rasas_store(client, domain).retrieve(sender)


async def test_a_tracker_stored_by_rasas_own_store_is_continued_as_a_list(client, domain):
    rasas, ours = rasas_store(client, domain), store(client, domain)
    await rasas.save(DialogueStateTracker.from_events("dan", new_session(1) + turn(1),
                                                      domain.slots))
    client.rename("rasa:tracker:dan", "ours:tracker:dan")
    tracker = await ours.retrieve("dan")
    tracker.update(BotUttered("Anything else?", timestamp=2000))
    await ours.save(tracker)
    assert client.type("ours:tracker:dan") == b"list"
    events = read_events(client, "ours:tracker:dan")
    assert len(events) == len(new_session(1) + turn(1)) + 1
    assert events[-1]["text"] == "Anything else?"


async def test_a_concurrent_writer_is_merged_as_rasa_merges(client, domain):
    ours, rasas = store(client, domain), rasas_store(client, domain)
    for current in (ours, rasas):
        await current.save(DialogueStateTracker.from_events("carol", new_session(1) + turn(6),
                                                            domain.slots))
        first, second = await current.retrieve("carol"), await current.retrieve("carol")
        first.update(BotUttered("from the first", timestamp=3000))
        second.update(BotUttered("from the second", timestamp=3001))
        await current.save(first)
        await current.save(second)
    assert read_events(client, "ours:tracker:carol") == read_events(client, "rasa:tracker:carol")
    texts = [e.text for e in (await ours.retrieve("carol")).events if isinstance(e, BotUttered)]
    assert texts[-2:] == ["from the first", "from the second"]


async def test_expiry_is_set_again_by_every_save_or_removed_as_rasa_does(client, domain):
    ours = store(client, domain, record_exp=100)
    await ours.save(DialogueStateTracker.from_events("eve", new_session(1), domain.slots))
    assert 0 < client.ttl("ours:tracker:eve") <= 100
    client.expire("ours:tracker:eve", 5)
    tracker = await ours.retrieve("eve")
    tracker.update(BotUttered("hi", timestamp=50))
    await ours.save(tracker)
    assert client.ttl("ours:tracker:eve") > 5
    ours.record_exp = None
    tracker = await ours.retrieve("eve")
    tracker.update(BotUttered("again", timestamp=60))
    await ours.save(tracker)
    assert client.ttl("ours:tracker:eve") == -1  # Rasa's SET without EX keeps it forever


async def test_slot_values_of_any_json_shape_are_stored(client, domain):
    ours = store(client, domain)
    events = new_session(1) + [SlotSet("field_office", {"hours": {9: "open"}, "big": 2 ** 70})]
    await ours.save(DialogueStateTracker.from_events("fay", events, domain.slots))
    slot = [e for e in (await store(client, domain).retrieve("fay")).events
            if isinstance(e, SlotSet)][-1]
    assert slot.value == {"hours": {"9": "open"}, "big": 2 ** 70}


async def test_keeping_conversations_can_be_switched_off(client, domain, monkeypatch):
    ours = store(client, domain)
    monkeypatch.setenv("RASA_INCREMENTAL_LOAD", "0")
    await ours.save(DialogueStateTracker.from_events("erin", new_session(1), domain.slots))
    first, second = await ours.retrieve("erin"), await ours.retrieve("erin")
    assert not any(a is b for a, b in zip(first.events, second.events, strict=True))
    first.update(BotUttered("hi", timestamp=50))
    await ours.save(first)
    assert read_events(client, "ours:tracker:erin")[-1]["text"] == "hi"
    assert not ours.kept


async def test_the_kept_events_have_a_budget(client, domain):
    ours = store(client, domain)
    ours.capacity = 12  # events
    for sender in ("gil", "hal", "ivy"):  # 5 events each: the least recently used is dropped
        await ours.save(DialogueStateTracker.from_events(sender, new_session(1), domain.slots))
        await ours.retrieve(sender)
    assert list(ours.kept) == ["hal", "ivy"] and ours.kept_events == 10
    assert (await ours.retrieve("gil")).get_slot("session_started_metadata") == {"client": "c1"}
