"""The appending tracker store stores exactly what Rasa's Redis tracker store stores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import redis
from rasa.core.tracker_store import RedisTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    DefinePrevUserUtteredFeaturization,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_extensions.tracker_store import AppendingRedisTrackerStore, stored_events_are_a_prefix

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain")


@pytest.fixture()
def stores(redis_url, domain):
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    options = dict(host="127.0.0.1", port=client.connection_pool.connection_kwargs["port"], db=0)
    ours = AppendingRedisTrackerStore(domain, key_prefix="ours", **options)
    rasas = RedisTrackerStore(domain, key_prefix="rasa", **options)
    return client, ours, rasas


def session(first_timestamp: float, text: str) -> list:
    return [ActionExecuted("action_session_start", timestamp=first_timestamp),
            SessionStarted(timestamp=first_timestamp + 1),
            ActionExecuted("action_listen", timestamp=first_timestamp + 2),
            UserUttered(text, {"name": "greet", "confidence": 1.0}, timestamp=first_timestamp + 3),
            BotUttered("Hello!", timestamp=first_timestamp + 4)]


def stored(client, prefix: str, sender: str) -> dict:
    """The stored tracker as JSON values (ours is written without spaces)."""
    return json.loads(client.get(f"{prefix}:tracker:{sender}"))


async def save_both(ours, rasas, build) -> None:
    for store in (ours, rasas):
        await store.save(await build(store))


async def test_a_growing_conversation_is_stored_as_rasa_stores_it(stores, domain):
    client, ours, rasas = stores

    async def first(store):
        return DialogueStateTracker.from_events("alice", session(100, "hi"), domain.slots)

    async def later(store):
        tracker = await store.retrieve("alice")
        tracker.update(SlotSet("language", "en", timestamp=200))
        tracker.update(BotUttered("Anything else?", timestamp=201))
        return tracker

    await save_both(ours, rasas, first)
    await save_both(ours, rasas, later)
    assert stored(client, "ours", "alice") == stored(client, "rasa", "alice")
    assert len((await ours.retrieve("alice")).events) == 7


async def test_earlier_sessions_are_kept_when_only_the_last_one_was_read(stores, domain):
    client, ours, rasas = stores
    events = session(100, "hi") + session(1000, "hello again")

    async def two_sessions(store):
        return DialogueStateTracker.from_events("bob", events, domain.slots)

    async def next_turn(store):
        tracker = await store.retrieve("bob")
        assert len(tracker.events) == 5  # only the last session was read
        tracker.update(BotUttered("Still here.", timestamp=2000))
        return tracker

    await save_both(ours, rasas, two_sessions)
    await save_both(ours, rasas, next_turn)
    assert stored(client, "ours", "bob") == stored(client, "rasa", "bob")
    assert len((await ours.retrieve_full_tracker("bob")).events) == 11


async def test_a_concurrent_writer_is_merged_as_rasa_merges(stores, domain):
    client, ours, rasas = stores
    for store in (ours, rasas):
        await store.save(DialogueStateTracker.from_events("carol", session(100, "hi"),
                                                          domain.slots))
        first, second = await store.retrieve("carol"), await store.retrieve("carol")
        first.update(BotUttered("from the first", timestamp=300))
        second.update(BotUttered("from the second", timestamp=301))
        await store.save(first)
        await store.save(second)
    assert stored(client, "ours", "carol") == stored(client, "rasa", "carol")
    texts = [e.text for e in (await ours.retrieve("carol")).events if isinstance(e, BotUttered)]
    assert texts == ["Hello!", "from the first", "from the second"]


def test_prefix_check_on_json_values():
    assert stored_events_are_a_prefix('{"events": [{"a": 1}]}', '{"events": [{"a": 1}, {"b": 2}]}')
    assert stored_events_are_a_prefix('{"events": []}', '{"events": [{"a": 1}]}')
    assert not stored_events_are_a_prefix('{"events": [{"a": 2}]}', '{"events": [{"a": 1}]}')
    assert not stored_events_are_a_prefix(
        '{"events": [{"a": 1}, {"b": 2}]}', '{"events": [{"a": 1}]}'
    )


@pytest.mark.parametrize("before, after, appended", [
    ('{"events":[],"name":"a"}', '{"events":[{"a":1}],"name":"a"}', True),
    ('{"events":[{"a":1}],"name":"a"}', '{"events":[{"a":1}],"name":"a"}', True),
    ('{"events":[{"a":1}],"name":"a"}', '{"events":[{"a":1},{"b":2}],"name":"a"}', True),
    ('{"events":[{"a":"x"}],"name":"a"}', '{"events":[{"a":"x"}],"name":"b"}', True),
    ('{"events":[{"a":1}],"name":"a"}', '{"events":[{"a":12}],"name":"a"}', False),
    ('{"events":[1],"name":"a"}', '{"events":[12],"name":"a"}', False),  # not at a boundary
    ('{"events":[{"a":1},{"b":2}],"name":"a"}', '{"events":[{"a":1}],"name":"a"}', False),
    ('{"events": [{"a": 1}], "name": "a"}', '{"events":[{"a":1},{"b":2}],"name":"a"}', False),
    # An event with a list and then a "name" key: the stored events end at the last '],"name":'.
    ('{"events":[{"x":[1],"name":"y"}],"name":"a"}', '{"events":[{"x":[1],"name":"z"}],"name":"a"}',
     False),
    ('{"events":[{"x":[1],"name":"y"}],"name":"a"}',
     '{"events":[{"x":[1],"name":"y"},{"b":2}],"name":"a"}', True),
])
async def test_the_save_script_writes_only_when_the_stored_text_starts_the_new(stores, before,
                                                                               after, appended):
    client, ours, _ = stores
    client.set("ours:tracker:t", before)
    returned = await ours._save_if_appending(keys=["ours:tracker:t"], args=[after, "", after])
    if appended:
        assert returned is None and client.get("ours:tracker:t").decode() == after
        earlier = json.loads(before)["events"]
        assert json.loads(after)["events"][:len(earlier)] == earlier
    else:
        assert returned == before == client.get("ours:tracker:t").decode()


async def test_a_tracker_stored_by_rasas_own_store_is_continued(stores, domain):
    client, ours, rasas = stores
    await rasas.save(DialogueStateTracker.from_events("dan", session(100, "hi"), domain.slots))
    client.rename("rasa:tracker:dan", "ours:tracker:dan")
    tracker = await ours.retrieve("dan")
    tracker.update(BotUttered("Anything else?", timestamp=201))
    await ours.save(tracker)
    assert b", " not in client.get("ours:tracker:dan")  # now in our writing
    assert [e.type_name for e in (await ours.retrieve("dan")).events][-1] == "bot"


async def test_expiry_is_kept(stores, domain):
    client, ours, _ = stores
    ours.record_exp = 100
    await ours.save(DialogueStateTracker.from_events("eve", session(1, "hi"), domain.slots))
    assert 0 < client.ttl("ours:tracker:eve") <= 100


async def test_slot_values_of_any_json_shape_are_stored(stores, domain):
    client, ours, _ = stores
    events = session(1, "hi") + [SlotSet("field_office", {"hours": {9: "open"}, "big": 2 ** 70})]
    await ours.save(DialogueStateTracker.from_events("fay", events, domain.slots))
    slot = [e for e in (await ours.retrieve("fay")).events if isinstance(e, SlotSet)][-1]
    assert slot.value == {"hours": {"9": "open"}, "big": 2 ** 70}


def same_tracker(a: DialogueStateTracker, b: DialogueStateTracker) -> bool:
    from rasa.shared.core.trackers import EventVerbosity

    return (a.current_state(EventVerbosity.ALL) == b.current_state(EventVerbosity.ALL)
            and [e.as_dict() for e in a.events] == [e.as_dict() for e in b.events])


async def test_a_read_parses_only_the_new_events_and_gives_rasas_tracker(stores, domain):
    client, ours, rasas = stores
    conversation = session(100, "hi")
    earlier = None
    for turn in range(6):
        conversation += [ActionExecuted("action_listen", timestamp=200 + turn),
                         UserUttered(f"question {turn}", {"name": "ask_fax", "confidence": 0.9},
                                     timestamp=201 + turn),
                         # Rasa's own event after each user message; it edits that message in place
                         DefinePrevUserUtteredFeaturization(False, timestamp=201.5 + turn),
                         SlotSet("language", "en", timestamp=202 + turn),
                         BotUttered(f"answer {turn}", timestamp=203 + turn)]
        await ours.save(DialogueStateTracker.from_events("carol", conversation, domain.slots))
        read = await ours.retrieve("carol")
        rasas_read = rasas.deserialise_tracker("carol", client.get("ours:tracker:carol"))
        assert same_tracker(read, rasas_read)
        if earlier is not None:  # the events read before are reused, not parsed again
            assert all(a is b for a, b in zip(earlier.events, read.events, strict=False))
            assert len(read.events) == len(earlier.events) + 5
        earlier = read


async def test_reused_events_are_as_read_even_if_a_caller_changed_them(stores, domain):
    client, ours, rasas = stores
    await ours.save(DialogueStateTracker.from_events("fay", session(100, "hi"), domain.slots))
    first = await ours.retrieve("fay")
    first.update(
        DefinePrevUserUtteredFeaturization(True)
    )  # edits the shared user message; not saved
    second = await ours.retrieve("fay")
    assert second.latest_message is first.latest_message  # reused...
    assert same_tracker(second, rasas.deserialise_tracker("fay", client.get("ours:tracker:fay")))
    assert second.latest_message.use_text_for_featurization is None  # ...as it was read


async def test_a_stored_text_changed_at_its_start_is_parsed_again(stores, domain):
    client, ours, rasas = stores
    await ours.save(DialogueStateTracker.from_events("dan", session(100, "hi"), domain.slots))
    first = await ours.retrieve("dan")
    # Another writer (Rasa's own store, another replica) replaces the conversation.
    client.set("ours:tracker:dan", client.get("ours:tracker:dan").replace(b'"hi"', b'"yo"'))
    second = await ours.retrieve("dan")
    assert second.latest_message.text == "yo"
    assert not any(a is b for a, b in zip(first.events, second.events, strict=True))
    assert same_tracker(second, rasas.deserialise_tracker("dan", client.get("ours:tracker:dan")))


async def test_reading_only_new_events_can_be_switched_off(stores, domain, monkeypatch):
    _, ours, _ = stores
    monkeypatch.setenv("RASA_INCREMENTAL_LOAD", "0")
    await ours.save(DialogueStateTracker.from_events("erin", session(100, "hi"), domain.slots))
    first, second = await ours.retrieve("erin"), await ours.retrieve("erin")
    assert not any(a is b for a, b in zip(first.events, second.events, strict=True))


async def test_the_kept_events_have_a_budget(stores, domain, monkeypatch):
    _, ours, _ = stores
    ours.parsed_events.capacity = 12  # events
    for sender in ("gil", "hal", "ivy"):  # 5 events each: the least recently read is dropped
        await ours.save(DialogueStateTracker.from_events(sender, session(100, "hi"), domain.slots))
        await ours.retrieve(sender)
    assert list(ours.parsed_events.kept) == ["hal", "ivy"]
    assert ours.parsed_events.kept_events == 10
    assert (await ours.retrieve("gil")).latest_message.text == "hi"  # parsed in full again
