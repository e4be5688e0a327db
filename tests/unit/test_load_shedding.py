"""The places of one Rasa process: at most N messages at once, first come first served, and a
message that waited the longest allowed gets the busy reply instead of Rasa's handler."""

from __future__ import annotations

import asyncio

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from rasa_extensions import load_shedding
from rasa_project.messages import busy_message


async def test_n_at_once_in_arrival_order_and_the_rest_turned_away(monkeypatch):
    monkeypatch.setenv("RASA_MAX_IN_FLIGHT", "2")
    monkeypatch.setenv("RASA_MAX_QUEUE_WAIT_SECONDS", "1")
    finish = {name: asyncio.Event() for name in "abcd"}
    running, started = [], []

    async def rasa(message: UserMessage) -> None:
        started.append(message.text)
        running.append(message.text)
        assert len(running) <= 2
        await finish[message.text].wait()
        running.remove(message.text)
        await message.output_channel.send_text_message(message.sender_id, f"answer {message.text}")

    handle = load_shedding._behind_places(rasa)
    channels = {name: CollectingOutputChannel() for name in "abcd"}

    def send(name: str) -> asyncio.Future:
        return asyncio.ensure_future(handle(UserMessage(name, channels[name], name)))

    async def until_started(count: int) -> None:
        for _ in range(1000):
            if len(started) >= count:
                return
            await asyncio.sleep(0.01)

    a, b = send("a"), send("b")
    await until_started(2)
    c = send("c")
    await asyncio.sleep(0.1)  # c is waiting before d arrives
    d = send("d")
    await asyncio.sleep(0.1)
    assert started == ["a", "b"]  # no third place
    finish["a"].set()
    await asyncio.wait_for(a, 10)
    await until_started(3)
    assert started == ["a", "b", "c"]  # the first to wait got the place
    done, _ = await asyncio.wait([d], timeout=10)  # b and c hold on: d is turned away
    assert d in done and "d" not in started
    assert channels["d"].messages == [{"recipient_id": "d", "text": busy_message()}]
    for name in "bc":
        finish[name].set()
    await asyncio.wait_for(asyncio.gather(b, c), 10)
    assert [channels[n].messages for n in "abc"] == [
        [{"recipient_id": n, "text": f"answer {n}"}] for n in "abc"]


async def test_switched_off_it_is_rasas_handler(monkeypatch):
    monkeypatch.setenv("RASA_MAX_IN_FLIGHT", "0")

    async def rasa(message: UserMessage) -> None:
        return None

    assert load_shedding._behind_places(rasa) is rasa


async def test_the_busy_reply_is_in_the_language_of_the_message_turned_away(monkeypatch):
    monkeypatch.setenv("RASA_MAX_IN_FLIGHT", "1")
    monkeypatch.setenv("RASA_MAX_QUEUE_WAIT_SECONDS", "0")
    hold = asyncio.Event()

    async def rasa(message: UserMessage) -> None:
        await hold.wait()

    handle = load_shedding._behind_places(rasa)
    first = asyncio.ensure_future(handle(UserMessage("hello", CollectingOutputChannel(), "a")))
    await asyncio.sleep(0.05)
    turned_away = {text: CollectingOutputChannel() for text in
                   ("necesito el numero de telefono", "what is the phone number")}
    for text, channel in turned_away.items():
        await asyncio.wait_for(handle(UserMessage(text, channel, "b")), 10)
    hold.set()
    await asyncio.wait_for(first, 10)
    assert [channel.messages[0]["text"] for channel in turned_away.values()] == [
        busy_message("es"), busy_message("en")]
    assert busy_message("es").startswith("En este momento")
