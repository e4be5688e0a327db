"""The atomic lock store: one message of a conversation at a time, in order, never stuck.

No test here asserts on how long anything took: arrival order is fixed by waiting until Redis has
issued each ticket, lifetimes run on an injected clock, and waits end on events or on what Redis
holds (with generous caps that only a hung store would reach)."""

from __future__ import annotations

import asyncio

import pytest
import redis
from rasa.core.lock_store import LockError
from rasa.utils.endpoints import EndpointConfig

from rasa_extensions import lock_store
from rasa_extensions.lock_store import AtomicRedisLockStore

CAP_SECONDS = 20  # only a store that never lets a message through reaches this


def store_on(url: str, prefix: str = "locktest") -> AtomicRedisLockStore:
    client = redis.Redis.from_url(url)
    port = client.connection_pool.connection_kwargs["port"]
    return AtomicRedisLockStore(EndpointConfig(url="127.0.0.1", port=port, db=0,
                                               key_prefix=prefix, type="x"))


@pytest.fixture()
def stores(client, redis_url):
    return store_on(redis_url), store_on(redis_url)  # two Rasa workers


@pytest.fixture()
def clock(monkeypatch):
    """The lock store's clock, in ms, moved by the test."""
    now = {"ms": 1_000_000}
    monkeypatch.setattr(lock_store, "_now_ms", lambda: now["ms"])
    return now


def key(conversation: str) -> str:
    return f"locktest:conversation_lock:{conversation}"


async def until(condition, what: str) -> None:
    async def wait() -> None:
        while not condition():
            await asyncio.sleep(0.005)
    try:
        await asyncio.wait_for(wait(), CAP_SECONDS)
    except asyncio.TimeoutError:
        raise AssertionError(f"never happened: {what}") from None


def issued(client: redis.Redis, conversation: str) -> int:
    return int(client.hget(key(conversation), "issued") or 0)


async def test_messages_run_one_at_a_time_in_arrival_order_across_workers(stores, client):
    log: list[tuple[str, int]] = []
    inside: set[int] = set()
    all_waiting = asyncio.Event()

    async def message(number: int) -> None:
        async with stores[number % 2].lock("alice"):
            assert not inside, f"message {number} ran beside {inside}"
            inside.add(number)
            log.append(("start", number))
            if number == 0:
                await all_waiting.wait()  # the others queue up behind the first
            for _ in range(3):
                await asyncio.sleep(0)  # let every waiter look at the lock meanwhile
            inside.discard(number)
            log.append(("end", number))

    tasks = []
    for number in range(6):
        tasks.append(asyncio.create_task(message(number)))
        await until(
            lambda number=number: issued(client, "alice") == number + 1, f"ticket {number + 1}"
        )
    all_waiting.set()
    await asyncio.wait_for(asyncio.gather(*tasks), CAP_SECONDS)
    assert log == [(step, n) for n in range(6) for step in ("start", "end")]
    assert client.keys("locktest:*") == []  # nothing left behind


async def test_conversations_do_not_wait_for_each_other(stores):
    async def bob() -> int:
        async with stores[1].lock("bob") as ticket:
            return ticket

    async with stores[0].lock("alice"):  # held until bob is through, or the cap fails the test
        assert await asyncio.wait_for(bob(), CAP_SECONDS) == 1


async def test_a_message_that_stops_waiting_does_not_hold_up_the_next(stores, client):
    store = stores[0]
    holder_done = asyncio.Event()
    order: list[str] = []

    async def holder():
        async with store.lock("carol"):
            await holder_done.wait()

    async def waiter(name: str):
        async with store.lock("carol"):
            order.append(name)

    first = asyncio.create_task(holder())
    await until(lambda: issued(client, "carol") == 1, "the holder's ticket")
    looks: dict[int, int] = {}
    take_turn = store.take_turn

    async def counted(conversation, ticket, lifetime_s):
        got = await take_turn(conversation, ticket, lifetime_s)
        looks[got[0]] = looks.get(got[0], 0) + 1
        return got

    store.take_turn = counted
    quitter = asyncio.create_task(waiter("quitter"))
    await until(lambda: looks.get(2, 0) >= 2, "the quitter waiting for its turn")
    patient = asyncio.create_task(waiter("patient"))
    await until(lambda: issued(client, "carol") == 3, "the patient ticket")
    quitter.cancel()  # e.g. the customer closed the page
    with pytest.raises(asyncio.CancelledError):
        await quitter
    assert client.hget(key("carol"), "gone:2") == "1"  # marked to be skipped
    holder_done.set()
    await asyncio.wait_for(asyncio.gather(first, patient), CAP_SECONDS)
    assert order == ["patient"]
    assert client.keys("locktest:*") == []


async def test_a_message_stopped_while_taking_its_ticket_gives_it_back(stores, client):
    """Cancelled after Redis issued the ticket but before the reply arrived (the reply is held
    back here): the ticket is released, so the next message is not stuck behind it."""
    store = stores[0]
    reply_arrives = asyncio.Event()
    take_turn = store.take_turn

    async def slow_reply(conversation, ticket, lifetime_s):
        got = await take_turn(conversation, ticket, lifetime_s)
        if ticket == 0 and got[0] == 1:
            await reply_arrives.wait()
        return got

    store.take_turn = slow_reply

    async def message():
        async with store.lock("hal"):
            pass

    stopped = asyncio.create_task(message())
    await until(lambda: issued(client, "hal") == 1, "the first ticket issued")
    stopped.cancel()
    await asyncio.sleep(0)
    reply_arrives.set()
    with pytest.raises(asyncio.CancelledError):
        await stopped
    await asyncio.wait_for(message(), CAP_SECONDS)  # not held up for the 60 s lifetime
    assert client.keys("locktest:*") == []


async def test_a_holder_that_outlives_the_lifetime_is_passed(stores, clock):
    store = stores[0]
    assert await store.take_turn("dave", 0, lifetime_s=60) == (1, True)  # taken, never released
    assert await store.take_turn("dave", 0, lifetime_s=60) == (2, False)
    clock["ms"] += 60_000  # exactly the lifetime: still the holder's
    assert await store.take_turn("dave", 2, lifetime_s=60) == (2, False)
    clock["ms"] += 1
    assert await store.take_turn("dave", 2, lifetime_s=60) == (2, True)


async def test_a_waiting_message_gets_the_lock_once_the_holder_outlived_it(stores, client, clock):
    store = stores[0]
    await store.take_turn("erin", 0, lifetime_s=60)  # a worker that died holding the lock
    entered = asyncio.Event()

    async def waiter():
        async with store.lock("erin", lock_lifetime=60):
            entered.set()

    looks = []
    take_turn = store.take_turn

    async def counted(*args, **kwargs):
        looks.append(args)
        return await take_turn(*args, **kwargs)

    store.take_turn = counted
    task = asyncio.create_task(waiter())
    await until(lambda: len(looks) >= 5, "the waiter looked five times")
    assert not entered.is_set()  # it kept waiting while the holder may still run
    clock["ms"] += 60_001
    await asyncio.wait_for(task, CAP_SECONDS)
    assert entered.is_set()


async def test_a_ticket_whose_turn_came_and_went_is_passed_over(stores, clock):
    """A stalled worker's message: its turn came, it did not look for a lifetime, and the next
    ticket was served. It must not run beside that one: Rasa gets a LockError."""
    store = stores[0]
    await store.take_turn("fay", 0, lifetime_s=60)  # 1 holds
    await store.take_turn("fay", 0, lifetime_s=60)  # 2 waits, then stalls
    await store.take_turn("fay", 0, lifetime_s=60)  # 3 waits
    clock["ms"] += 60_001
    assert await store.take_turn("fay", 3, lifetime_s=60) == (3, False)  # 1 passed: 2's turn
    clock["ms"] += 60_001
    assert await store.take_turn("fay", 3, lifetime_s=60) == (3, True)  # 2 stalled: 3's turn
    with pytest.raises(LockError, match="passed over"):
        await store.take_turn("fay", 2, lifetime_s=60)


async def test_the_state_expires_and_a_waiter_left_behind_starts_afresh(stores, client):
    """Redis drops a conversation's lock state after twice the lifetime without a look (a worker
    crashed with tickets out); a message still waiting then starts afresh instead of hanging."""
    store = stores[0]
    await store.take_turn("gus", 0, lifetime_s=0.05)
    await store.take_turn("gus", 0, lifetime_s=0.05)
    assert 0 < client.pttl(key("gus")) <= 100  # twice the lifetime
    await until(lambda: not client.exists(key("gus")), "the lock state expired")
    assert await store.take_turn("gus", 2, lifetime_s=60) == (2, True)
    await store.release("gus", 2)
    assert client.keys("locktest:*") == []


async def test_redis_down_is_a_lock_error():
    store = AtomicRedisLockStore(EndpointConfig(url="127.0.0.1", port=1, type="x",
                                                socket_timeout=1))
    with pytest.raises(LockError):
        async with store.lock("erin"):
            pass
