"""Load through the real stack: realistic multi-turn conversations over the REST webhook, each
request with a timeout, a bounded number of messages (or a bounded time), latency per message.
Busy replies (429/503 from the proxy or Rasa) are counted apart from errors; clients may come
from several loopback addresses so that per-client limits see many customers, not one."""

from __future__ import annotations

import asyncio
import os
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import aiohttp

REQUEST_TIMEOUT_SECONDS = 30
BUSY_STATUSES = (429, 503)

# Conversations that call custom actions, forms and Redis, as customers write them.
ASSISTANT_CONVERSATIONS = [
    ["hi", "my husband is in the army, who do we call?", "what is the fax number", "thanks"],
    ["I live in Kenya, who do I contact at uscis", "how do I renew my us passport", "bye"],
    ["open a service request", "EAC2190012345", "I-485", "my card never arrived", "stop"],
    ["can I email the service center?", "what's the uscis phone number", "thank you"],
    ["book an appointment", "60601", "stop"],
]
# One long conversation (100 turns) cycles through these: questions that each finish in one turn.
ASSISTANT_LONG_CONVERSATION = [
    "hi", "my husband is in the army, who do we call?", "what is the fax number", "thanks",
    "can I email the service center?", "what's the uscis phone number", "thank you"]
STOCK_LONG_CONVERSATION = ["hello", "I am sad", "yes", "great, thanks", "are you a bot?", "bye"]
# The stock `rasa init` assistant's own conversations.
STOCK_CONVERSATIONS = [
    ["hello", "I am sad", "yes", "bye"],
    ["hi", "great, thanks", "bye"],
    ["hey", "are you a bot?", "I am very unhappy", "no", "goodbye"],
]


@dataclass
class Sent:
    """One message and what became of it."""
    sender: str
    text: str
    status: int | None  # None: no HTTP answer (connection error or client timeout)
    replies: list
    seconds: float

    @property
    def ok(self) -> bool:
        return self.status == 200 and isinstance(self.replies, list) and bool(self.replies)

    @property
    def busy(self) -> bool:
        return self.status in BUSY_STATUSES


async def _user(url, conversations, budget, stop, records, index, source, timeout):
    connector = aiohttp.TCPConnector(local_addr=(source, 0) if source else None)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        turn = 0
        while True:
            conversation = conversations[(index + turn) % len(conversations)]
            sender = f"bench-{uuid.uuid4().hex[:12]}"
            for text in conversation:
                if budget["left"] <= 0 or stop():
                    return
                budget["left"] -= 1
                started = time.perf_counter()
                status, body = None, None
                try:
                    async with session.post(
                        url, json={"sender": sender, "message": text}
                    ) as response:
                        status = response.status
                        body = await response.json(content_type=None)
                except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                    pass
                records.append(Sent(sender, text, status, body, time.perf_counter() - started))
                if status in BUSY_STATUSES:
                    await asyncio.sleep(1)  # a person (or the widget) waits before trying again
            turn += 1


async def run_load(rasa_url: str, conversations: list[list[str]], users: int,
                   messages: int = 10**9, seconds: float | None = None,
                   stop: Callable[[], bool] | None = None, sources: int = 0) -> dict:
    """`users` conversations at once until `messages` are sent, `seconds` have passed or `stop()`
    says so. `sources` > 0 spreads the clients over 127.0.0.2 ... as separate customers."""
    url = f"{rasa_url}/webhooks/rest/webhook"
    records: list[Sent] = []
    budget = {"left": messages}
    deadline = time.monotonic() + seconds if seconds else None

    def done() -> bool:
        return bool((stop and stop()) or (deadline and time.monotonic() > deadline))

    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
    started = time.perf_counter()
    await asyncio.gather(*(
        _user(url, conversations, budget, done, records, i,
              f"127.0.0.{2 + i % sources}" if sources else None, timeout)
        for i in range(users)))
    elapsed = time.perf_counter() - started
    answered = [r for r in records if r.ok]
    latencies = [r.seconds * 1000 for r in answered]
    ordered = sorted(latencies) or [0.0]

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    busy = sum(r.busy for r in records)
    return {"users": users, "messages": len(records), "busy": busy,
            "errors": len(records) - len(answered) - busy,
            "busy_rate": busy / max(1, len(records)), "p50_ms": pct(50), "p95_ms": pct(95),
            "p99_ms": pct(99), "max_ms": max(r.seconds for r in records) * 1000 if records else 0,
            "throughput_msg_s": len(answered) / elapsed, "latencies_ms": latencies,
            "records": records}


def load(rasa_url: str, conversations: list[list[str]], users: int, messages: int = 10**9,
         **options) -> dict:
    return asyncio.run(run_load(rasa_url, conversations, users, messages, **options))


def cpu_seconds(pids: list[int]) -> float:
    """CPU time the processes have used so far (user + system)."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


async def run_long_conversation(rasa_url: str, messages: list[str], turns: int,
                                pids: list[int] = ()) -> dict:
    """One conversation of `turns` messages sent one after another (the messages repeat in order);
    the ratio of the median latency of the last ten turns to that of the first ten shows whether a
    turn costs more the longer the customer has been chatting. With `pids` (the Rasa and action
    servers) also the CPU time they used in the first and the last ten turns, which other work on
    a shared machine disturbs less than latency."""
    url = f"{rasa_url}/webhooks/rest/webhook"
    sender = f"bench-long-{uuid.uuid4().hex[:12]}"
    latencies: list[float] = []
    errors = 0
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
    cpu = []
    async with aiohttp.ClientSession(timeout=timeout) as session:
        for turn in range(turns):
            if pids and turn in (0, 10, turns - 10):
                cpu.append(cpu_seconds(pids))
            started = time.perf_counter()
            try:
                async with session.post(
                    url, json={"sender": sender, "message": messages[turn % len(messages)]}
                ) as response:
                    body = await response.json(content_type=None)
                    errors += not (response.status == 200 and isinstance(body, list) and body)
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                errors += 1
            latencies.append((time.perf_counter() - started) * 1000)
    first, last = statistics.median(latencies[:10]), statistics.median(latencies[-10:])
    result = {"turns": turns, "errors": errors, "first_10_median_ms": first,
              "last_10_median_ms": last, "ratio": last / first, "latencies_ms": latencies}
    if pids:
        cpu.append(cpu_seconds(pids))
        first_cpu, last_cpu = cpu[1] - cpu[0], cpu[3] - cpu[2]
        result.update(first_10_cpu_s=first_cpu, last_10_cpu_s=last_cpu,
                      cpu_ratio=last_cpu / first_cpu if first_cpu else 0.0)
    return result


def long_conversation(rasa_url: str, messages: list[str], turns: int = 100,
                      pids: list[int] = ()) -> dict:
    return asyncio.run(run_long_conversation(rasa_url, messages, turns, pids))
