"""The atomic lock store: one message of a conversation at a time, in order, never stuck."""

from __future__ import annotations

import asyncio
import time

import pytest
import redis
from rasa.core.lock_store import LockError
from rasa.utils.endpoints import EndpointConfig

from rasa_extensions.lock_store import AtomicRedisLockStore


def store_on(url: str, prefix: str = "locktest") -> AtomicRedisLockStore:
    client = redis.Redis.from_url(url)
    port = client.connection_pool.connection_kwargs["port"]
    return AtomicRedisLockStore(EndpointConfig(url="127.0.0.1", port=port, db=0,
                                               key_prefix=prefix, type="x"))


@pytest.fixture()
def stores(redis_url):
    redis.Redis.from_url(redis_url).flushdb()
    return store_on(redis_url), store_on(redis_url)  # two Rasa workers


async def test_messages_run_one_at_a_time_in_arrival_order_across_workers(stores, redis_url):
    log: list[tuple[str, int]] = []

    async def message(number: int) -> None:
        async with stores[number % 2].lock("alice"):
            log.append(("start", number))
            await asyncio.sleep(0.03)
            log.append(("end", number))

    tasks = []
    for number in range(6):
        tasks.append(asyncio.create_task(message(number)))
        await asyncio.sleep(0.005)  # arrival order = ticket order
    await asyncio.gather(*tasks)
    assert log == [(step, n) for n in range(6) for step in ("start", "end")]
    assert redis.Redis.from_url(redis_url).keys("locktest:*") == []  # nothing left behind


async def test_conversations_do_not_wait_for_each_other(stores):
    async with stores[0].lock("alice"):
        started = time.monotonic()
        async with stores[1].lock("bob"):
            assert time.monotonic() - started < 0.1


async def test_a_message_that_stops_waiting_does_not_hold_up_the_next(stores):
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
    await asyncio.sleep(0.02)
    quitter = asyncio.create_task(waiter("quitter"))
    await asyncio.sleep(0.02)
    patient = asyncio.create_task(waiter("patient"))
    await asyncio.sleep(0.02)
    quitter.cancel()  # e.g. the customer closed the page
    await asyncio.sleep(0.02)
    holder_done.set()
    await first
    await asyncio.wait_for(patient, timeout=0.5)
    assert order == ["patient"]


async def test_a_holder_that_outlives_the_lifetime_is_passed(stores):
    store = stores[0]
    ticket, acquired = await store.take_turn("dave", 0, lifetime_s=0.2)  # taken, never released
    assert acquired
    started = time.monotonic()
    async with store.lock("dave", lock_lifetime=0.2):
        waited = time.monotonic() - started
    assert 0.15 < waited < 1.0


async def test_redis_down_is_a_lock_error():
    store = AtomicRedisLockStore(EndpointConfig(url="127.0.0.1", port=1, type="x",
                                                socket_timeout=1))
    with pytest.raises(LockError):
        async with store.lock("erin"):
            pass
